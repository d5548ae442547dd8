"""The files of `burden members`: members.csv, members_matrix.csv, members_summary.json, and
with the report members.md and members.png."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.analysis.members import MembersResult
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.report.tables import markdown_table
from optimizer.results.write import write_json


def write_members(
    folder: Path, instance: Instance, result: MembersResult, *, report: bool = True
) -> pd.DataFrame:
    """members.csv, members_matrix.csv, members_summary.json, members.md and members.png
    (the last two only with `report`: `burden members --no-report`)."""
    from optimizer.report.plots import members_price  # matplotlib: only with the report

    folder = Path(folder)
    table = result.table(instance)
    table.to_csv(folder / "members.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    result.matrix().to_csv(folder / "members_matrix.csv", na_rep="", float_format=CSV_FLOAT)
    write_json(folder / "members_summary.json", result.summary())
    if not report:
        return table
    currency = instance.currency or ""
    members_price(
        table,
        folder / "members.png",
        currency,
        f"{instance.name} · {result.coalition}: what each member's exit costs the others",
    )
    full = result.full
    lines = [
        f"# Price of exclusion: {instance.name}, coalition `{result.coalition}`",
        "",
        f"{len(result.members)} members; with all of them the objective is "
        f"{full.objective:,.4f} (total pain {full.total_pain:,.4f}, money in bn {currency}, "
        "pain discounted). Each row: that member left out, the rest re-solved with the same "
        "targets. *others Δ* is the change in the remaining members' total pain; *most "
        "affected* the member whose pain rises most. The objective and the total pain are "
        "unique; where the optimum is not, how the pain falls on individual members may differ "
        "between equally good plans (the matrix in members_matrix.csv is one of them).",
        "",
    ]
    view = table.sort_values("others_pain_change", ascending=False, na_position="first")
    lines.append(
        markdown_table(
            view[
                [
                    "member", "name", "status", "objective_without", "objective_change",
                    "own_pain", "others_pain_change", "others_pain_change_pct",
                    "most_affected", "most_affected_change",
                ]
            ],
            digits={"others_pain_change_pct": 1},
            headers={
                "objective_without": "objective without",
                "objective_change": "objective Δ",
                "own_pain": "own pain",
                "others_pain_change": "others Δ",
                "others_pain_change_pct": "others Δ %",
                "most_affected": "most affected",
                "most_affected_change": "its Δ",
            },
        )
    )  # fmt: skip
    infeasible = [c for c, e in result.without.items() if e.status != "optimal"]
    if infeasible:
        lines += [
            "",
            f"Without {', '.join(infeasible)} the rest cannot meet the targets "
            "(status in the table).",
        ]
    lines += ["", "![members.png](members.png)", ""]
    (folder / "members.md").write_text("\n".join(lines), encoding="utf-8")
    return table
