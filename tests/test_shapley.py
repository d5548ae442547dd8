"""Shapley allocation of a coalition's savings (optimizer/analysis/shapley.py, `burden shapley`).

The game: v(T) = least pain of T meeting the targets scaled by T's base-year GDP share, hard
targets penalised where T cannot meet them. Checked here: the formula on a known game,
efficiency and symmetry of the exact allocation, v(T) against separate solves of the instance
with scaled (and penalised) targets, sampling within 3 standard errors of the exact values,
identical numbers with 2 worker processes, the core check against brute force, the rebuild route
(burden_share_min_pct > 0) and the command line.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coalition_toys import pool6, write
from typer.testing import CliRunner

from optimizer.analysis.shapley import default_penalty, exact_shapley
from optimizer.cli import app
from optimizer.derive import derive
from optimizer.instance import load_instance
from optimizer.pipeline.one import solve_coalition
from optimizer.pipeline.shapley import shapley


@pytest.fixture(scope="module")
def inst6(tmp_path_factory):
    return load_instance(write(tmp_path_factory.mktemp("pool6"), pool6()))


@pytest.fixture(scope="module")
def exact6(inst6):
    return shapley(inst6, inst6.coalitions["all"])


def test_formula_on_a_known_game() -> None:
    # 3 players; v({0}) = 1, v({1}) = 2, v({2}) = 3, pairs 4, 5, 6 (01, 02, 12), v(N) = 7.
    # φ_0 = 1/3·1 + 1/6·(4−2) + 1/6·(5−3) + 1/3·(7−6) = 1/3 + 1/3 + 1/3 + 1/3 = 4/3
    values = np.array([0, 1, 2, 4, 3, 5, 6, 7], dtype=float)
    phi = exact_shapley(values, 3)
    assert phi == pytest.approx([4 / 3, 7 / 3, 10 / 3])
    assert phi.sum() == pytest.approx(7.0)


def test_exact_allocation_is_efficient_and_symmetric(inst6, exact6) -> None:
    r = exact6
    assert r.method == "exact"
    assert len(r.values) == 2**6 - 1
    assert r.savings > 0
    assert r.allocation.sum() == pytest.approx(r.savings, rel=1e-9, abs=1e-9)
    assert r.cost_share.sum() == pytest.approx(r.grand_value, rel=1e-9)
    share = dict(zip(r.members, r.allocation, strict=True))
    assert share["AAA"] == pytest.approx(share["BBB"], abs=1e-7)  # identical members
    assert share["CCC"] == pytest.approx(share["DDD"], abs=1e-7)
    assert share["AAA"] != pytest.approx(share["CCC"], abs=1e-3)
    # EEE cannot deliver its share alone: valued with penalised shortfalls
    eee = r.values[1 << r.members.index("EEE")]
    assert eee.status == "infeasible" and eee.penalised
    assert r.penalty == default_penalty(inst6)
    table = r.table(inst6)
    assert list(table["member"]) == list(r.members)
    assert table["share_of_savings_pct"].sum() == pytest.approx(100.0)


def _scaled(instance, scale: float, penalty: float | None = None):
    areas = {
        k: dataclasses.replace(
            a,
            targets={t: v * scale for t, v in a.targets.items()},
            shortfall_penalty=a.shortfall_penalty if a.shortfall_penalty is not None else penalty,
        )
        for k, a in instance.capabilities.items()
    }
    return dataclasses.replace(instance, capabilities=areas)


@pytest.mark.parametrize("members", [("AAA", "CCC"), ("BBB", "DDD", "FFF"), ("EEE",)])
def test_game_values_equal_separate_solves(inst6, exact6, members) -> None:
    """v(T) = the objective of T alone with scaled targets (penalised where T falls short)."""
    r = exact6
    mask = sum(1 << r.members.index(c) for c in members)
    evaluation = r.values[mask]
    derived = derive(inst6)
    gdp = {c: derived.gdp[c, derived.base_year] for c in r.members}
    scale = sum(gdp[c] for c in members) / sum(gdp.values())
    assert evaluation.target_scale == pytest.approx(scale)
    plain = _scaled(inst6, scale)
    alone = dataclasses.replace(plain, coalitions={"t": members}, default_coalition="t")
    result = solve_coalition(alone, "t")
    if evaluation.penalised:
        assert result.status == "infeasible"
        soft = dataclasses.replace(
            _scaled(inst6, scale, r.penalty), coalitions={"t": members}, default_coalition="t"
        )
        result = solve_coalition(soft, "t")
    assert result.status == "optimal"
    assert evaluation.value == pytest.approx(result.summary["objective"], rel=1e-7, abs=1e-7)


def test_sampled_estimates_lie_within_three_standard_errors(tmp_path) -> None:
    inst = load_instance(write(tmp_path, pool6(extra=True)))
    members = inst.coalitions["all"]
    exact = shapley(inst, members)
    sampled = shapley(inst, members, exact_limit=0, seed=0, tolerance=0.01, max_permutations=800)
    assert sampled.method == "sampled" and exact.method == "exact"
    assert sampled.converged
    assert sampled.permutations % 8 == 0 and 20 * 8 <= sampled.permutations <= 800
    assert np.all(sampled.standard_error > 0)
    assert np.all(sampled.standard_error <= 0.01 * abs(sampled.savings) + 1e-12)
    gap = np.abs(sampled.cost_share - exact.cost_share)
    assert np.all(gap <= 3 * sampled.standard_error), gap / sampled.standard_error
    # each permutation's marginal contributions add up to v(N): sampling is efficient too
    assert sampled.allocation.sum() == pytest.approx(exact.savings, rel=1e-9)
    # the same seed gives the same estimate
    again = shapley(inst, members, exact_limit=0, seed=0, tolerance=0.01, max_permutations=800)
    assert np.array_equal(again.cost_share, sampled.cost_share)


def test_two_workers_give_identical_numbers(inst6, exact6) -> None:
    parallel = shapley(inst6, inst6.coalitions["all"], workers=2)
    assert np.array_equal(parallel.cost_share, exact6.cost_share)
    assert {m: e.value for m, e in parallel.values.items()} == {
        m: e.value for m, e in exact6.values.items()
    }


def test_core_check_finds_the_most_gaining_sub_coalition(exact6) -> None:
    r = exact6
    n, full = len(r.members), (1 << len(r.members)) - 1
    gains = {
        mask: sum(r.cost_share[j] for j in range(n) if mask >> j & 1) - r.value(mask)
        for mask in range(1, full)
    }
    best = max(gains, key=gains.get)
    core = r.core_table()
    assert core["gain_by_leaving"].iloc[0] == pytest.approx(gains[best])
    assert r.in_core() == (gains[best] <= 1e-6 * abs(r.savings) + 1e-9)
    summary = r.summary()
    assert summary["most_gaining_sub_coalition"]["gain_by_leaving"] == pytest.approx(gains[best])


BURDEN_SHARE = """\
name: shares
years: [2026, 2026]
burden_share_min_pct: 50
defaults: {tax_limit_pct_gdp: 3.0, pain: {tax: [[1.0, 1.0], [null, 2.0]]}, defence_pct_gdp: 2.0}
countries:
  AAA: {gdp: 100}
  BBB: {gdp: 200, pain: {tax: [[0.5, 0.5], [null, 3.0]]}}
  CCC: {gdp: 100, tax_limit_pct_gdp: 0.2}
capabilities:
  air: {targets: {2026: 4}, national: [{origin: us, unit_cost: 1.0}]}
coalitions: {all: "*"}
"""


def test_rebuild_route_with_burden_share(tmp_path) -> None:
    """burden_share_min_pct > 0: every variant is rebuilt; scaled and penalised targets too."""
    inst = load_instance(write(tmp_path, BURDEN_SHARE))
    r = shapley(inst, inst.coalitions["all"])
    assert r.allocation.sum() == pytest.approx(r.savings, rel=1e-9, abs=1e-12)
    ccc = r.values[1 << r.members.index("CCC")]
    assert ccc.penalised  # 0.2 % of 100 = 0.2 < its share of 4 units (1)
    scale = 0.25
    soft = dataclasses.replace(
        _scaled(inst, scale, r.penalty), coalitions={"t": ("CCC",)}, default_coalition="t"
    )
    assert ccc.value == pytest.approx(solve_coalition(soft, "t").summary["objective"], rel=1e-9)
    pair = r.values[(1 << 0) | (1 << 1)]
    plain = dataclasses.replace(
        _scaled(inst, 0.75), coalitions={"t": ("AAA", "BBB")}, default_coalition="t"
    )
    assert pair.value == pytest.approx(solve_coalition(plain, "t").summary["objective"], rel=1e-9)


def test_cli_writes_the_files(tmp_path: Path) -> None:
    path = write(tmp_path, pool6())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["shapley", str(path), "--coalition", "pairs", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for name in ("shapley.csv", "shapley_core.csv", "shapley_game.csv", "shapley_summary.json",
                 "shapley.md", "shapley.png"):  # fmt: skip
        assert (out / name).exists(), name
    table = pd.read_csv(out / "shapley.csv")
    assert list(table["member"]) == ["AAA", "BBB", "CCC", "DDD"]
    summary = json.loads((out / "shapley_summary.json").read_text())
    assert summary["method"] == "exact" and summary["coalition"] == "pairs"
    assert summary["penalty_per_unit_shortfall"] > 0
    assert table["shapley_savings"].sum() == pytest.approx(summary["savings"], abs=1e-9)
    assert len(pd.read_csv(out / "shapley_game.csv")) == 15
    assert "Core check" in (out / "shapley.md").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "shapley" and manifest["coalition"] == "pairs"
    assert manifest["game"]["seed"] == 0 and "shapley.csv" in manifest["files"]
    assert manifest["instance"]["sha256"] and (out / "instance.yaml").is_file()
    again = CliRunner().invoke(app, ["shapley", str(path), "--coalition", "nope", "--out",
                                     str(tmp_path / "x")])  # fmt: skip
    assert again.exit_code == 2
