"""The command line: result files and columns, exit codes, never overwriting, a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.results.extract import CAPABILITY_COLUMNS, COUNTRY_COLUMNS, PROCUREMENT_COLUMNS

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
CHOICE = INSTANCES / "teach-coalition-choice.yaml"

INFEASIBLE = """\
name: impossible
years: [2026, 2026]
defaults: {pain: {tax: [[null, 1.0]]}}
countries:
  AAA: {gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 0.5}
capabilities:
  air: {targets: {2026: 10}, national: [{origin: us, unit_cost: 1.0}]}
coalitions: {alone: [AAA]}
"""
# AAA can raise at most 0.5 % of 100 = 0.5 from tax, so it can buy 0.5 units: a hard target
# of 10 cannot be met.


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_solve_writes_the_spec_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("solve", CHOICE, "--out", out)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    for key in ("status", "objective", "total_pain", "shortfall_cost", "member_cost",
                "coalition", "members", "solver", "instance"):  # fmt: skip
        assert key in summary
    assert summary["coalition"] == "chosen"
    assert set(summary["solver"]) >= {"name", "version", "seconds"}
    assert set(summary["instance"]) >= {"name", "sha256"}
    assert (
        list(pd.read_csv(out / "countries.csv").columns[: len(COUNTRY_COLUMNS)]) == COUNTRY_COLUMNS
    )
    procurement = pd.read_csv(out / "procurement.csv")
    assert list(procurement.columns[: len(PROCUREMENT_COLUMNS)]) == PROCUREMENT_COLUMNS
    assert (procurement["units"] > 1e-9).all()
    assert set(procurement["route"]) <= {"national", "joint"}
    capabilities = pd.read_csv(out / "capabilities.csv")
    assert list(capabilities.columns[: len(CAPABILITY_COLUMNS)]) == CAPABILITY_COLUMNS
    assert (capabilities["marginal_pain"] >= 0).all()
    # the summary's members are in the instance's country order
    import yaml

    order = list(yaml.safe_load(CHOICE.read_text())["countries"])
    assert summary["members"] == [c for c in order if c in summary["members"]]


def test_existing_results_are_never_overwritten_silently(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("solve", CHOICE, "--out", out).exit_code == 0
    before = (out / "summary.json").read_bytes()
    result = invoke("solve", CHOICE, "--coalition", "all", "--out", out)
    assert result.exit_code == 2
    assert "--force" in result.output
    assert (out / "summary.json").read_bytes() == before
    result = invoke("solve", CHOICE, "--coalition", "all", "--out", out, "--force")
    assert result.exit_code == 0
    assert json.loads((out / "summary.json").read_text())["coalition"] == "all"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_default_out_gets_a_new_numbered_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("solve", CHOICE).exit_code == 0
    assert invoke("solve", CHOICE).exit_code == 0
    folders = sorted(p.name for p in (tmp_path / "burden-results").iterdir())
    assert len(folders) == 2 and folders[1] == folders[0] + "-2"


def test_infeasible_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "impossible.yaml"
    path.write_text(INFEASIBLE)
    out = tmp_path / "out"
    result = invoke("solve", path, "--out", out)
    assert result.exit_code == 3, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert summary["objective"] is None and summary["total_pain"] is None


def test_unknown_coalition_exits_2(tmp_path: Path) -> None:
    result = invoke("solve", CHOICE, "--coalition", "nope", "--out", tmp_path / "a")
    assert result.exit_code == 2 and "nope" in result.output
    result = invoke("compare", CHOICE, "--coalitions", "all,nope", "--out", tmp_path / "b")
    assert result.exit_code == 2 and "nope" in result.output
    assert not (tmp_path / "b").exists()


def test_compare_writes_every_coalition_and_chosen(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = invoke("compare", CHOICE, "--out", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns[:5]) == ["coalition", "status", "members", "objective", "total_pain"]
    import yaml

    names = list(yaml.safe_load(CHOICE.read_text())["coalitions"])
    assert list(table["coalition"]) == [*names, "chosen"]
    for name in table["coalition"]:
        summary = json.loads((out / name / "summary.json").read_text())
        row = table[table["coalition"] == name].iloc[0]
        assert summary["objective"] == row["objective"]
        assert ";".join(summary["members"]) == row["members"]
    # --coalitions without chosen: no chosen row
    out2 = tmp_path / "cmp2"
    assert invoke("compare", CHOICE, "--coalitions", names[0], "--out", out2).exit_code == 0
    assert list(pd.read_csv(out2 / "comparison.csv")["coalition"]) == [names[0]]


def test_real_subprocess(tmp_path: Path) -> None:
    """The installed entry point, as a planner runs it: no traceback, the right exit codes."""
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning:optimizer"}
    ok = subprocess.run(
        [sys.executable, "-m", "optimizer", "solve", str(CHOICE), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "chosen" in ok.stdout and (tmp_path / "o" / "summary.json").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text(INFEASIBLE.replace("gdp: 100", "gdp: -100"))
    failed = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(bad)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert failed.returncode == 2
    assert "countries.AAA.gdp: must be > 0" in failed.stderr
    assert "Traceback" not in failed.stderr + failed.stdout
