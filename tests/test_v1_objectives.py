"""Every version-1 instance keeps its optimal objective under model version 2 (MODEL.md v2:
"An instance that uses only version-1 fields has the same optimal objective value").

`v1_objectives.json` holds each (file, coalition)'s status and objective as solved by the
version-1 code (commit 484f387, before issue 14), for every instance in `instances/`, in
`tests/infeasible/` and the coalition toys of `coalition_toys.py`. Each must come out the same
to 1e-9 relative. The real-data instances and the Brussels levels take seconds each: slow.
"""

from __future__ import annotations

import json
from pathlib import Path

import coalition_toys as toys
import pytest
import yaml

from optimizer.instance import load_instance
from optimizer.instance.validate import validate_document
from optimizer.pipeline.one import solve_coalition

ROOT = Path(__file__).resolve().parent.parent
EXPECTED: dict[str, list] = json.loads((Path(__file__).parent / "v1_objectives.json").read_text())
TOYS = {
    "pool6": toys.pool6(),
    "pool6-choice": toys.pool6(choice=True),
    "pool6-extra": toys.pool6(extra=True),
}
SLOW_FILES = ("instances/nato-2035.yaml", "instances/brussels-")


def _cases() -> list:
    cases = []
    for key in sorted(EXPECTED):
        source = key.split("::")[0]
        marks = [pytest.mark.slow] if source.startswith(SLOW_FILES) else []
        cases.append(pytest.param(key, id=key, marks=marks))
    return cases


@pytest.mark.parametrize("key", _cases())
def test_version_1_objective_unchanged(key: str) -> None:
    source, coalition = key.split("::")
    if source.startswith("coalition_toys."):
        instance = validate_document(yaml.safe_load(TOYS[source.removeprefix("coalition_toys.")]))
    else:
        instance = load_instance(ROOT / source)
    assert instance.alliance is None and not any(  # a version-1 instance
        f.allocations or f.interest_rate_pct for f in instance.facilities.values()
    )
    status, objective = EXPECTED[key]
    result = solve_coalition(instance, coalition)
    assert result.status == status
    if objective is not None:
        assert result.summary["objective"] == pytest.approx(objective, rel=1e-9, abs=1e-9)
