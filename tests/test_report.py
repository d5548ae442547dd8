"""report.md and report.html: written by every solve, self-contained, with readable plots."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from xml.etree import ElementTree

from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.instance import load_instance
from optimizer.pipeline.one import solve_coalition
from optimizer.report.html import write_report

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
FIXTURES = Path(__file__).resolve().parent / "infeasible"


def test_solve_writes_a_self_contained_report(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(INSTANCES / "medium-synthetic.yaml"),
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    for section in ("Summary", "What binds", "Capability targets", "Members and funding",
                    "Fairness"):  # fmt: skip
        assert f"<h2>{section}</h2>" in html and f"## {section}" in md
    # self-contained: every figure is inline SVG the browser draws, nothing is fetched
    assert not re.search(r'(src|href)="(?!data:)', html)
    assert "<script" not in html
    figures = re.findall(r"<figure><svg [^>]*>", html)
    assert len(figures) == 5
    names = re.findall(r"\]\(plots/(\w+)\.svg\)", md)
    assert sorted(names) == ["capability", "debt", "fairness", "funding", "spending"]
    for name in names:
        picture = (out / "plots" / f"{name}.svg").read_text()
        ElementTree.fromstring(picture)  # well-formed XML: a viewer can draw it
        assert picture in html and len(picture) > 2_000
    # one panel per member in the spending figure: members never share a colour
    spending = (out / "plots" / "spending.svg").read_text()
    members = result_members(out)
    assert all(f">{c}</text>" in spending for c in members)
    assert "Olson–Zeckhauser" in html and "binding.csv" in md


def result_members(out: Path) -> list[str]:
    return json.loads((out / "summary.json").read_text())["members"]


def test_report_is_fast_enough(tmp_path):
    """A ten-country instance: the whole report (five figures as SVG text) in a small part of
    a solve (CPU time, so other load does not count). With matplotlib it took ~1.3 s here."""
    result = solve_coalition(load_instance(INSTANCES / "medium-synthetic.yaml"))
    write_report(result, tmp_path)
    started = time.process_time()
    write_report(result, tmp_path)
    assert time.process_time() - started < 0.5


def test_no_report_and_infeasible_report(tmp_path):
    quiet = tmp_path / "quiet"
    result = CliRunner().invoke(app, ["solve", str(INSTANCES / "teach-pain-curve.yaml"), "--out",
                                      str(quiet), "--no-report"])  # fmt: skip
    assert result.exit_code == 0
    assert not (quiet / "report.html").exists() and not (quiet / "plots").exists()
    none = tmp_path / "none"
    result = CliRunner().invoke(app, ["solve", str(FIXTURES / "floor-vs-funding.yaml"), "--out",
                                      str(none)])  # fmt: skip
    assert result.exit_code == 3
    html = (none / "report.html").read_text()
    assert "<h2>No plan</h2>" in html and "ITA 2026: the floor of 2.00 % of GDP" in html


def test_tables_with_rows_without_a_year():
    """Binding rows without a year (common-debt cap, origin share, burden share, max-pain cap)
    render in the report's tables (a regression: pandas' NA in the year column)."""
    from optimizer.report.html import build_blocks, to_html, to_markdown

    for name, coalition in (("teach-common-debt", "no_fff"), ("teach-max-pain", None),
                            ("medium-synthetic", None)):  # fmt: skip
        result = solve_coalition(load_instance(INSTANCES / f"{name}.yaml"), coalition)
        blocks = build_blocks(result, plots=False)
        assert "What binds" in to_markdown(blocks) and "<table>" in to_html(blocks, name)


def test_the_workbook_holds_the_tables_formatted(tmp_path: Path) -> None:
    """write_xlsx (streamed by openpyxl's write-only workbook): every value as in the table,
    missing values empty, the header bold and frozen with a filter, floats with 3 decimals,
    the "about" sheet first."""
    import numpy as np
    import pandas as pd
    from openpyxl import load_workbook

    from optimizer.report.tables import write_xlsx

    table = pd.DataFrame({
        "country": ["AAA", "BBB", "CCC"],
        "pain": [1.25, np.nan, 3.0],
        "year": np.array([2030, 2031, 2032], dtype=np.int64),
        "member": [True, False, True],
        "note": ["x", None, "z"],
    })  # fmt: skip
    path = tmp_path / "t.xlsx"
    write_xlsx(path, {"a table with a long name over 31 characters": table}, {"what": "a test"})
    book = load_workbook(path)
    assert book.sheetnames == ["about", "a table with a long name over 3"]
    about, ws = book["about"], book["a table with a long name over 3"]
    assert [[c.value for c in row] for row in about.iter_rows()] == [["item", "value"],
                                                                    ["what", "a test"]]  # fmt: skip
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["country", "pain", "year", "member", "note"],
        ["AAA", 1.25, 2030, True, "x"],
        ["BBB", None, 2031, False, None],
        ["CCC", 3.0, 2032, True, "z"],
    ]
    assert all(ws.cell(row=1, column=j).font.b for j in range(1, 6))
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:E4"
    assert ws["B2"].number_format == "#,##0.000" and ws["C2"].number_format == "General"
    assert ws.column_dimensions["A"].width >= 9
    read = pd.read_excel(path, sheet_name=1)
    pd.testing.assert_frame_equal(read[["country", "year"]], table[["country", "year"]])


def test_a_one_year_panel_shows_its_point_and_its_year_once() -> None:
    """A single-year instance: a line of one point would be invisible and the panel's first and
    last year would print on top of each other ("20262026")."""
    from optimizer.report import svg

    picture = svg.small_multiples(
        [svg.Panel("AAA", [2026.0], [([2.5], "#123456", ""), ([2.0], "#222", "4,3")])],
        title="one year",
        y_label="%",
    )
    root = ElementTree.fromstring(picture)
    ns = "{http://www.w3.org/2000/svg}"
    assert [c.get("fill") for c in root.iter(f"{ns}circle")] == ["#123456"]
    assert [r.get("fill") for r in root.iter(f"{ns}rect")].count("#222") == 1  # the floor
    assert [t.text for t in root.iter(f"{ns}text")].count("2026") == 1
