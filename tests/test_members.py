"""The price of exclusion (optimizer/analysis/members.py, `burden members`).

members.csv's objective without each member is checked against a separate `solve_coalition`
of the coalition without it, and against the independent reference implementation.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from coalition_toys import pool6, write
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.instance import load_instance
from optimizer.pipeline.members import price_members, resolve_members
from optimizer.pipeline.one import solve_coalition

try:
    from reference.ref_model import load_instance as ref_load
    from reference.ref_model import solve_fixed
except ImportError:  # pragma: no cover
    from tests.reference.ref_model import load_instance as ref_load
    from tests.reference.ref_model import solve_fixed

INSTANCES = Path(__file__).resolve().parent.parent / "instances"


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("members"), pool6())
    return path, load_instance(path)


def test_objective_without_each_member_equals_a_separate_solve(pool) -> None:
    path, inst = pool
    name, members = resolve_members(inst, "all")
    result = price_members(inst, name, members)
    table = result.table(inst).set_index("member")
    full = solve_coalition(inst, "all")
    assert result.full.objective == pytest.approx(full.summary["objective"], rel=1e-9)
    ref = ref_load(path)
    for c in members:
        rest = tuple(m for m in members if m != c)
        alone = dataclasses.replace(inst, coalitions={"rest": rest}, default_coalition="rest")
        separate = solve_coalition(alone, "rest")
        row = table.loc[c]
        assert row["status"] == separate.status
        if separate.status == "optimal":
            expected = separate.summary["objective"]
            assert row["objective_without"] == pytest.approx(expected, rel=1e-7, abs=1e-7)
            independent = solve_fixed(ref, rest, "rest")["objective"]
            assert row["objective_without"] == pytest.approx(independent, rel=1e-6, abs=1e-6)
            others = sum(separate.summary["pain_by_member"].values())
            assert row["others_pain_without"] == pytest.approx(others, rel=1e-7, abs=1e-7)
            # the others' pain with c is read from the loop's own solve of the full coalition:
            # the split of pain among members is not unique on a wide optimal face, and a
            # separate solve of another model may land on another vertex of it
            with_c = sum(p for m, p in result.full.pain_by_member.items() if m != c)
            assert row["others_pain_with"] == pytest.approx(with_c, rel=1e-9, abs=1e-9)
            assert row["others_pain_change"] == pytest.approx(others - with_c, abs=1e-7)
        else:
            assert pd.isna(row["objective_without"])
            assert not row["targets_met_without"]


def test_chosen_coalition_members() -> None:
    """teach-coalition-choice: chosen = AAA, BBB; fixed LP 50; without AAA: BBB alone 90
    (10 @ 1 + 20 @ 4); without BBB: AAA alone 70 (10 @ 1 + 20 @ 3)."""
    inst = load_instance(INSTANCES / "teach-coalition-choice.yaml")
    name, members = resolve_members(inst, None)
    assert (name, members) == ("chosen", ("AAA", "BBB"))
    table = price_members(inst, name, members).table(inst).set_index("member")
    assert table.loc["AAA", "objective_with"] == pytest.approx(50)
    assert table.loc["AAA", "objective_without"] == pytest.approx(90)
    assert table.loc["BBB", "objective_without"] == pytest.approx(70)
    # without BBB, AAA raises 30 instead of 20: 70 instead of 40
    assert table.loc["BBB", "others_pain_change"] == pytest.approx(30)
    assert table.loc["BBB", "most_affected"] == "AAA"


def test_cli_writes_members_csv_and_workers_agree(pool, tmp_path: Path) -> None:
    path, _inst = pool
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}"
        result = CliRunner().invoke(
            app, ["members", str(path), "--coalition", "no_e", "--out", str(out),
                  "--workers", workers],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outs.append(out)
    for name in ("members.csv", "members_matrix.csv", "members_summary.json", "members.md",
                 "members.png"):  # fmt: skip
        assert (outs[0] / name).exists(), name
    one, two = (pd.read_csv(out / "members.csv") for out in outs)
    pd.testing.assert_frame_equal(one, two)
    assert list(one.columns[:4]) == ["member", "name", "status", "objective_without"]
    assert list(one["member"]) == ["AAA", "BBB", "CCC", "DDD", "FFF"]
    summary = json.loads((outs[0] / "members_summary.json").read_text())
    assert summary["coalition"] == "no_e" and summary["variants_solved"] == 6
    manifest = json.loads((outs[1] / "manifest.json").read_text())  # how the folder was made
    assert manifest["command"] == "members" and manifest["coalition"] == "no_e"
    assert manifest["members"] == ["AAA", "BBB", "CCC", "DDD", "FFF"]
    assert "members.csv" in manifest["files"] and "members.png" in manifest["files"]
    assert (outs[1] / "instance.yaml").is_file()
    matrix = pd.read_csv(outs[0] / "members_matrix.csv", index_col=0)
    for row in one.itertuples():
        assert pd.isna(matrix.loc[row.member, row.member])  # the member left out
        if pd.notna(row.most_affected_change):
            assert matrix.loc[row.member].max() == pytest.approx(row.most_affected_change)


def test_cli_unknown_coalition_and_no_plan(pool, tmp_path: Path) -> None:
    path, _inst = pool
    bad = CliRunner().invoke(app, ["members", str(path), "--coalition", "nope", "--out",
                                   str(tmp_path / "a")])  # fmt: skip
    assert bad.exit_code == 2
    # EEE alone cannot meet the hard air target: no plan to price (exit 3)
    text = pool6().replace(
        "  pairs: [AAA, BBB, CCC, DDD]", "  pairs: [AAA, BBB, CCC, DDD]\n  e: [EEE]"
    )
    lone = write(tmp_path, text, "lone.yaml")
    none = CliRunner().invoke(app, ["members", str(lone), "--coalition", "e", "--out",
                                    str(tmp_path / "b")])  # fmt: skip
    assert none.exit_code == 3
    assert not (tmp_path / "b").exists()
