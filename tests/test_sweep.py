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


# -- nothing lost: manifests, --resume, workers ---------------------------------------------------
SWEEP_ARGS = ("--param", "spending_floor_pct_gdp.2028", "--values", "2,3,4,0.5")


def _csvs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_every_point_has_its_manifest_and_instance(tmp_path):
    out = tmp_path / "sweep"
    result = invoke("sweep", PAIN_CURVE, *SWEEP_ARGS, "--out", out)
    assert result.exit_code == 0, result.output
    assert "verified: all" in result.output
    top = json.loads((out / "manifest.json").read_text())
    assert top["command"] == "sweep"
    assert top["sweep"]["param"] == "spending_floor_pct_gdp.2028"
    assert top["sweep"]["values"] == ["2", "3", "4", "0.5"]
    assert {"sweep.csv", "sweep.png"} <= set(top["files"])
    points = sorted(p for p in out.iterdir() if p.is_dir())
    assert [p.name for p in points] == ["01-2", "02-3", "03-4", "04-0.5"]
    for point, value in zip(points, ["2", "3", "4", "0.5"], strict=True):
        manifest = json.loads((point / "manifest.json").read_text())
        assert manifest["sweep_point"] == {"param": "spending_floor_pct_gdp.2028", "value": value}
        # the point's own resolved instance: the swept value is in it
        assert manifest["instance"]["document"]["spending_floor_pct_gdp"]["2028"] == float(value)
        assert (point / "instance.yaml").is_file() and "summary.json" in manifest["files"]


def test_interrupted_sweep_resumes_to_the_same_files(tmp_path, monkeypatch):
    """Ctrl-C at the third point keeps the first two; --resume solves only the other two and
    gives the same CSVs as a sweep never interrupted."""
    from test_bad_corpus import run_burden

    import optimizer.pipeline.sweep as sweep_module

    real, calls = sweep_module.solve_point, []

    def interrupted_at_the_third(instance, *args):
        calls.append(instance.overrides[-1])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(instance, *args)

    monkeypatch.setattr(sweep_module, "solve_point", interrupted_at_the_third)
    out = tmp_path / "sw"
    args = ("sweep", str(PAIN_CURVE), *SWEEP_ARGS, "--out", str(out))
    code, output = run_burden(*args)
    assert code == 130 and "2 of 4 values are kept" in output and "--resume" in output, output
    work = tmp_path / ".sw.sweep"
    assert not out.exists() and sorted(p.name for p in work.iterdir()) == [
        "01-2", "02-3", "sweep.json"
    ]  # fmt: skip
    code, output = run_burden(*args)  # neither --resume nor --force: refused, nothing lost
    assert code == 2 and "--resume" in output and (work / "01-2").is_dir()
    code, output = run_burden(*args, "--resume")
    assert code == 0 and "resuming: 2 of 4" in output, output
    assert [c.split("=")[1] for c in calls[3:]] == ["4", "0.5"]  # 2 and 3 not solved again
    assert not work.exists()
    code, output = run_burden(*args, "--resume")
    assert code == 0 and "already complete" in output and len(calls) == 5
    code, output = run_burden(*args[:-1], str(tmp_path / "whole"))
    assert code == 0, output
    assert _csvs(out) == _csvs(tmp_path / "whole")


def test_resume_refuses_a_different_sweep(tmp_path):
    from test_bad_corpus import run_burden

    from optimizer.results.sweep_folder import SweepFolder

    out = tmp_path / "sw"
    SweepFolder(out, {"items": ["other"]}, resume=False)  # an interrupted sweep of other values
    code, output = run_burden("sweep", str(PAIN_CURVE), *SWEEP_ARGS, "--out", str(out), "--resume")
    assert code == 2 and "different sweep" in output, output


def test_workers_give_the_same_files(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke("sweep", PAIN_CURVE, *SWEEP_ARGS, "--out", one).exit_code == 0
    result = invoke("sweep", PAIN_CURVE, *SWEEP_ARGS, "--out", two, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert _csvs(one) == _csvs(two) and len(_csvs(one)) > 4


def test_unknown_coalition_is_refused_before_solving(tmp_path):
    result = invoke(
        "sweep", PAIN_CURVE, *SWEEP_ARGS, "--coalition", "nope", "--out", tmp_path / "x"
    )
    assert result.exit_code == 2 and "unknown coalition 'nope'" in result.output
    assert not any(tmp_path.iterdir())
