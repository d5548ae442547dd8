"""Readable tables: Markdown (no extra dependency) and Excel workbooks (openpyxl)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer import numbers


def fmt(value: object, digits: int = 3) -> str:
    """A Markdown cell: `optimizer.numbers.fmt`, with `|` escaped in text."""
    if isinstance(value, str):
        return value.replace("|", "\\|")
    return numbers.fmt(value, digits)


def markdown_table(
    table: pd.DataFrame,
    digits: dict[str, int] | int = 3,
    index: bool = False,
    headers: dict[str, str] | None = None,
) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""
    if index:
        table = table.reset_index()
    headers = headers or {}
    columns = list(table.columns)
    head = [headers.get(str(c), str(c)) for c in columns]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and table[c].dtype != bool for c in columns]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---:" if num else "---" for num in numeric) + "|",
    ]
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(columns, row, strict=True):
            d = digits.get(str(column), 3) if isinstance(digits, dict) else digits
            if hasattr(value, "item"):
                value = value.item()
            if str(column) == "year" and isinstance(value, int | float) and value == value:
                cells.append(str(int(value)))  # a year, not a quantity
                continue
            # `digits` are the decimals a column needs; the shared formatter counts significant
            # digits, at least three
            cells.append(fmt(value, max(d, 3)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], notes: dict[str, str] | None = None):
    """One sheet per table: bold frozen header, filter, widths fitted, 3 decimals for floats.

    `notes`: an optional first sheet "about" with one line per key.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        if notes:
            about = pd.DataFrame({"item": list(notes), "value": list(notes.values())})
            about.to_excel(writer, sheet_name="about", index=False)
        for name, table in sheets.items():
            sheet_name = name[:31]
            table.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            ws.freeze_panes = "B2" if len(table.columns) > 1 else "A2"
            if len(table):
                ws.auto_filter.ref = ws.dimensions
            for j, column in enumerate(table.columns, start=1):
                cell = ws.cell(row=1, column=j)
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                values = table[column]
                is_float = pd.api.types.is_float_dtype(values)
                width = max([len(str(column))] + [len(fmt(v)) for v in values.head(200)])
                ws.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 48)
                if is_float:
                    for row in range(2, len(table) + 2):
                        ws.cell(row=row, column=j).number_format = "#,##0.000"
        if notes:
            ws = writer.sheets["about"]
            ws.column_dimensions["A"].width = 28
            ws.column_dimensions["B"].width = 110
            ws.cell(row=1, column=1).font = Font(bold=True)
            ws.cell(row=1, column=2).font = Font(bold=True)
