"""report.md and report.html: written by every solve, self-contained, with readable plots."""

from __future__ import annotations

import re
import time
from pathlib import Path

from typer.testing import CliRunner

from optimizer.analysis.report_html import write_report
from optimizer.cli import app
from optimizer.instance import load_instance
from optimizer.run import solve_coalition

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
    # self-contained: every image is inline, nothing is fetched
    assert not re.search(r'(src|href)="(?!data:)', html)
    images = re.findall(r'src="data:image/png;base64,', html)
    assert len(images) == 5
    for name in re.findall(r"\]\(plots/(\w+)\.png\)", md):
        png = (out / "plots" / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert "Olson–Zeckhauser" in html and "binding.csv" in md


def test_report_is_fast_enough(tmp_path):
    """A ten-country instance: the whole report (five plots) well under the 1.5 s budget of
    a solve on an idle machine (CPU time, so other load does not count)."""
    result = solve_coalition(load_instance(INSTANCES / "medium-synthetic.yaml"))
    write_report(result, tmp_path)  # matplotlib's first figure loads fonts: not counted
    started = time.process_time()
    write_report(result, tmp_path)
    assert time.process_time() - started < 3.0


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
    from optimizer.analysis.report_html import build_blocks, to_html, to_markdown

    for name, coalition in (("teach-common-debt", "no_fff"), ("teach-max-pain", None),
                            ("medium-synthetic", None)):  # fmt: skip
        result = solve_coalition(load_instance(INSTANCES / f"{name}.yaml"), coalition)
        blocks = build_blocks(result, plots=False)
        assert "What binds" in to_markdown(blocks) and "<table>" in to_html(blocks, name)
