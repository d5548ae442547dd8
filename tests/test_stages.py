"""The status line of a long solve: which stages the pipeline announces, and where they show."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from optimizer.cli.common import status_line
from optimizer.instance import load_instance
from optimizer.pipeline.folder import write_files
from optimizer.pipeline.one import solve_coalition
from optimizer.stages import listening, stage

INSTANCES = Path(__file__).resolve().parent.parent / "instances"


def _stages_of(name: str, coalition: str | None, folder: Path) -> list[str]:
    seen: list[str] = []
    with listening(seen.append):
        result = solve_coalition(load_instance(INSTANCES / name), coalition)
        write_files(result, folder, report=True)
    return seen


def test_a_solve_announces_its_stages_in_order(tmp_path):
    seen = _stages_of("teach-pain-curve.yaml", None, tmp_path)
    expected = [
        "building the model",
        "compiling the model",
        "HiGHS: total pain (warm start for the tie-break)",  # v2: see minimise_last_stage
        "HiGHS: total pain",
        "HiGHS: tie-break, least procurement",  # v2: after the last pain stage
        "reading the solution",
        "writing the result tables",
        "writing the report",
    ]
    assert len(seen) == len(expected), seen
    for text, start in zip(seen, expected, strict=True):
        assert text.startswith(start), seen
    instance = load_instance(INSTANCES / "teach-pain-curve.yaml")
    members = instance.coalitions[instance.default_coalition]
    assert seen[0] == (
        f"building the model: {len(members)} members × {len(instance.years)} years, "
        f"{len(instance.capabilities)} areas, {len(instance.programmes)} joint programmes"
    )


def test_max_pain_and_coalition_choice_announce_each_highs_run(tmp_path):
    runs = [s for s in _stages_of("teach-max-pain.yaml", None, tmp_path) if s.startswith("HiGHS")]
    assert [r.split(":")[1].split("·")[0].strip() for r in runs][-4:] == [
        "stage 2, the largest member's pain",
        "total pain (warm start for the tie-break)",
        "total pain",
        "tie-break, least procurement",  # v2: after the last pain stage
    ]
    (tmp_path / "c").mkdir()
    seen = _stages_of("teach-coalition-choice.yaml", None, tmp_path / "c")
    assert "candidates" in seen[0]  # the pool the choice draws from
    runs = [s for s in seen if s.startswith("HiGHS")]
    # the MILP, then the LP of the chosen coalition (integrality relaxed)
    assert runs[0].startswith("HiGHS (branch and bound)")
    assert not any("branch and bound" in r for r in runs[1:]) and len(runs) >= 2


def test_the_status_line_shows_stages_on_a_terminal_only():
    terminal = io.StringIO()
    with status_line(Console(file=terminal, force_terminal=True, width=120)):
        stage("building the model: 3 members")
        stage("HiGHS (dual simplex): total pain")
    shown = terminal.getvalue()
    assert "building the model: 3 members" in shown and "HiGHS (dual simplex)" in shown
    piped = io.StringIO()
    with status_line(Console(file=piped, force_terminal=False, width=120)):
        stage("building the model: 3 members")
    assert piped.getvalue() == ""


def test_a_listener_is_removed_even_when_the_block_fails():
    seen: list[str] = []
    with pytest.raises(RuntimeError), listening(seen.append):
        stage("one")
        raise RuntimeError
    stage("two")  # nobody listens: nothing happens
    assert seen == ["one"]
    called = []
    stage(lambda: called.append(1) or "never built")  # a callable is built only for listeners
    assert called == []
