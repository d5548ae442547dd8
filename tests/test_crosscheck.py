"""Every shipped instance, every coalition: `burden` against the independent reference.

`tests/reference/ref_model.py` implements MODEL.md directly in highspy (no Pyomo, no code shared
with `optimizer/`); `check_results.py` re-checks every constraint of the spec on the result files
(`burden verify`'s checker, with the instance file given, and the duals' bounds on top).
The objective, total_pain, shortfall_cost and member_cost must agree to 1e-6 relative.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from reference.check_results import check_result_folder
from reference.ref_model import solve_reference
from typer.testing import CliRunner

from optimizer.cli import app

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
# The real instance's coalition choice takes ~5-15 s per implementation, and its other
# coalitions and the Brussels levels ~3-5 s each: the default run keeps one of each file.
SLOW = {("nato-2035.yaml", name) for name in ("chosen", "europe_canada", "eu_plus", "willing")}
SLOW |= {
    (f"brussels-2025-{level}.yaml", name)
    for level in ("2pct", "3p5pct", "5pct")
    for name in ("eu", "nato")
}


def _cases() -> list:
    cases = []
    for path in sorted(INSTANCES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        names = list(doc["coalitions"]) + (["chosen"] if "coalition_choice" in doc else [])
        for name in names:
            marks = [pytest.mark.slow] if (path.name, name) in SLOW else []
            cases.append(pytest.param(path, name, id=f"{path.stem}-{name}", marks=marks))
    return cases


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize(("path", "coalition"), _cases())
def test_agrees_with_reference(tmp_path: Path, path: Path, coalition: str) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["solve", str(path), "--coalition", coalition, "--out", str(out), "--no-report"]
    )
    summary = json.loads((out / "summary.json").read_text())
    ref = solve_reference(path, coalition)
    assert summary["status"] == ref["status"], result.output
    if ref["status"] != "optimal":
        assert result.exit_code == 3
        return
    assert result.exit_code == 0, result.output
    for key in ("objective", "total_pain", "shortfall_cost", "member_cost"):
        assert close(summary[key], ref[key]), (key, summary[key], ref[key])
    assert summary["members"] == ref["members"]
    assert check_result_folder(path, out) == []
