"""`burden sweep`: every row of sweep.csv equals a separate `burden solve --set` with that value."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from optimizer.analysis.sweep import parse_values
from optimizer.cli import app

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
PAIN_CURVE = INSTANCES / "teach-pain-curve.yaml"


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_parse_values():
    assert parse_values("2,3.5,5") == ["2", "3.5", "5"]
    assert parse_values("2:3:0.5") == ["2", "2.5", "3"]
    assert parse_values("[{2027: 2}, 3]") == ["{2027: 2}", "3"]
    for bad in ("", "3:2:1", " , "):
        with pytest.raises(ValueError):
            parse_values(bad)


def test_each_row_equals_a_separate_solve(tmp_path):
    """teach-pain-curve's 2028 floor at 2, 3 (the file's own), 4 and 0.5 (below the baseline)."""
    param, values = "spending_floor_pct_gdp.2028", ["2", "3", "4", "0.5"]
    out = tmp_path / "sweep"
    result = invoke("sweep", PAIN_CURVE, "--param", param, "--values", ",".join(values),
                    "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns[:9]) == ["param", "value", "status", "objective", "total_pain",
                                       "shortfall_cost", "member_cost", "members", "n_members"]  # fmt: skip
    assert table["value"].tolist() == [2, 3, 4, 0.5]
    # by hand (teach-pain-curve's comment): at 3 the optimum is 80
    assert table.loc[1, "objective"] == pytest.approx(80)
    for i, value in enumerate(values):
        folder = tmp_path / f"solve-{i}"
        single = invoke("solve", PAIN_CURVE, "--set", f"{param}={value}", "--out", folder,
                        "--no-report")  # fmt: skip
        assert single.exit_code == 0
        summary = json.loads((folder / "summary.json").read_text())
        row = table.iloc[i]
        assert row["status"] == summary["status"]
        assert row["objective"] == pytest.approx(summary["objective"], rel=1e-12, abs=1e-12)
        assert row["total_pain"] == pytest.approx(summary["total_pain"], rel=1e-12, abs=1e-12)
        assert row["pain_AAA"] == pytest.approx(summary["pain_by_member"]["AAA"], rel=1e-12)
        point = next(out.glob(f"{i + 1:02d}-*"))
        assert json.loads((point / "summary.json").read_text())["objective"] == pytest.approx(
            summary["objective"], rel=1e-12
        )
    png = (out / "sweep.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_infeasible_points_are_rows_with_their_status(tmp_path):
    out = tmp_path / "sweep"
    result = invoke("sweep", PAIN_CURVE, "--param", "countries.AAA.ramp_limit_pct_gdp",
                    "--values", "0.5,1,2", "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sweep.csv")
    assert table["status"].tolist() == ["infeasible", "optimal", "optimal"]
    assert "ramp limit" in table.loc[0, "message"]


def test_bad_params_and_values_are_rejected(tmp_path):
    unknown = invoke("sweep", PAIN_CURVE, "--param", "countries.AAA.floor", "--values", "2,3",
                     "--out", tmp_path / "a")  # fmt: skip
    assert unknown.exit_code == 2
    assert (
        "unknown field 'floor'" in unknown.output
        and "did you mean 'floor_pct_gdp'" in unknown.output
    )
    invalid = invoke("sweep", PAIN_CURVE, "--param", "countries.AAA.gdp", "--values", "100,-1",
                     "--out", tmp_path / "b")  # fmt: skip
    assert invalid.exit_code == 2
    assert "countries.AAA.gdp: must be > 0" in invalid.output
    assert not (tmp_path / "b").exists()  # nothing solved, nothing written
