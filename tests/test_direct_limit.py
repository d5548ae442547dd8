"""The benchmarks' speed limit (benchmarks/direct.py) solves the same LP as `burden`.

`build_direct_lp` assembles MODEL.md's total_pain LP with numpy, without Pyomo; the benchmarks
compare the burden pipeline against it, which only means something if it is the same LP:

- same objective as `optimizer.pipeline.one.solve_coalition` (1e-6 relative) on medium-synthetic (every
  coalition; burden share on), the teach instances' total_pain coalitions and the tiny size;
- same matrix, bounds, costs, rows and columns as Pyomo's compiled model (where the internal
  compiler is reachable);
- `extract_direct` gives burden's countries/procurement/capabilities tables when fed burden's
  own solution;
- `DirectVariants` agrees with `optimizer.pipeline.variants.CoalitionSolver` on a walk of sub-coalitions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import highspy
import numpy as np
import pytest
import yaml

from optimizer.derive import derive
from optimizer.instance import load_instance
from optimizer.pipeline.one import solve_coalition_outcome

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
sys.path.insert(0, str(ROOT / "benchmarks"))

import direct  # noqa: E402  (benchmarks/direct.py)
from generate import synthetic_instance  # noqa: E402  (benchmarks/generate.py)


def close(a: float | None, b: float | None, rel: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(yaml.safe_dump(synthetic_instance(4, 3, 2, 2), sort_keys=False))
    return path


#: Version 2 teaching instances: the direct LP (the benchmarks' speed limit) is version 1's.
V2_TEACH = {"teach-alliance.yaml", "teach-escape-clause.yaml", "teach-facilities.yaml",
            "teach-frugal-bonds.yaml", "teach-interest.yaml", "teach-running-costs.yaml",
            "teach-supply-limit.yaml"}  # fmt: skip


def _total_pain_cases() -> list:
    cases = [("medium-synthetic.yaml", name) for name in _coalitions("medium-synthetic.yaml")]
    for path in sorted(INSTANCES.glob("teach-*.yaml")):
        doc = yaml.safe_load(path.read_text())
        if doc.get("objective", "total_pain") == "total_pain" and path.name not in V2_TEACH:
            cases += [(path.name, name) for name in doc["coalitions"]]
    return cases


def _coalitions(name: str) -> list[str]:
    return list(yaml.safe_load((INSTANCES / name).read_text())["coalitions"])


def _check_same_objective(path: Path, coalition: str) -> None:
    instance = load_instance(path)
    derived = derive(instance)
    result, _ = solve_coalition_outcome(instance, coalition, derived=derived)
    lp = direct.build_direct_lp(instance, derived, instance.coalitions[coalition])
    sol = direct.solve_direct(lp)
    assert sol.status == result.status
    if sol.status == "optimal":
        assert close(sol.objective, result.summary["objective"]), (
            sol.objective,
            result.summary["objective"],
        )
        tables = direct.extract_direct(lp, sol)
        assert close(tables.total_pain, result.summary["total_pain"], 1e-5) or close(
            tables.total_pain + tables.shortfall_cost, sol.objective
        )


@pytest.mark.parametrize(("name", "coalition"), _total_pain_cases())
def test_same_objective_as_burden(name: str, coalition: str) -> None:
    _check_same_objective(INSTANCES / name, coalition)


@pytest.mark.parametrize("coalition", ["all", "half"])
def test_same_objective_tiny(tiny: Path, coalition: str) -> None:
    _check_same_objective(tiny, coalition)


def test_arrays_and_highslp_routes_agree(tiny: Path) -> None:
    instance = load_instance(tiny)
    lp = direct.build_direct_lp(instance, derive(instance), instance.coalitions["all"])
    a = direct.solve_direct(lp, direct.pass_direct(lp, via="arrays"))
    b = direct.solve_direct(lp, direct.pass_direct(lp, via="highslp"))
    assert a.status == b.status == "optimal"
    assert close(a.objective, b.objective, 1e-9)
    assert a.row_dual is not None and np.abs(a.row_dual).max() > 0  # solved as an LP


# -- the same LP, entry by entry -------------------------------------------------------------


def _pyomo_lp(instance, derived, members):
    """Pyomo's compiled LP as dense arrays keyed like `DirectLP.column_keys/row_keys`."""
    solve = pytest.importorskip("optimizer.solver.highs")
    if not hasattr(solve, "Compiled"):
        pytest.skip("optimizer.solver.highs.Compiled is gone: compare objectives only")
    from optimizer.model import build_model

    m = build_model(instance, derived, members)
    c = solve.Compiled(m, [m.total_pain_objective])
    # v2 indexes draws by facility, com[c, h, t]; the direct LP knows one facility: com[c, t]
    cols = [
        ("com", (v.index()[0], v.index()[2]))
        if v.parent_component().local_name == "com"
        else (v.parent_component().local_name, v.index())
        for v in c.columns
    ]
    rows = [(r.constraint.parent_component().local_name, r.constraint.index()) for r in c.rows]
    a = np.zeros((len(rows), len(cols)))
    h = highspy.Highs()  # the LP as HiGHS received it
    h.setOptionValue("output_flag", False)
    c.pass_to(h)
    lp = h.getLp()
    start = np.asarray(lp.a_matrix_.start_)
    index, value = np.asarray(lp.a_matrix_.index_), np.asarray(lp.a_matrix_.value_)
    for j in range(len(cols)):
        a[index[start[j] : start[j + 1]], j] = value[start[j] : start[j + 1]]
    cost = c.costs["total_pain_objective"][0]
    bounds = (np.asarray(lp.col_lower_), np.asarray(lp.col_upper_))
    return cols, rows, a, cost, bounds, (np.asarray(lp.row_lower_), np.asarray(lp.row_upper_))


def _dense(lp: direct.DirectLP) -> np.ndarray:
    a = np.zeros((lp.num_row, lp.num_col))
    cols = np.repeat(np.arange(lp.num_col), np.diff(lp.a_start))
    a[lp.a_index, cols] = lp.a_value
    return a


@pytest.mark.parametrize(
    ("name", "coalition"),
    [
        ("medium-synthetic.yaml", "all"),
        ("medium-synthetic-choice.yaml", "no_frugal"),
        ("teach-common-debt.yaml", "all"),
        ("teach-common-debt.yaml", "no_fff"),
        ("teach-joint-vs-national.yaml", "pair"),
    ],
)
def test_same_lp_as_pyomo(name: str, coalition: str) -> None:
    instance = load_instance(INSTANCES / name)
    derived = derive(instance)
    members = instance.coalitions[coalition]
    p_cols, p_rows, p_a, p_cost, p_colb, p_rowb = _pyomo_lp(instance, derived, members)
    lp = direct.build_direct_lp(instance, derived, members)
    d_cols = {k: i for i, k in enumerate(lp.column_keys())}
    d_rows = {k: i for i, k in enumerate(lp.row_keys())}
    # Pyomo's compiler leaves out a column that no row or objective uses; the direct LP keeps
    # it (a free-standing column at cost 0): it must then be empty
    assert set(p_cols) <= set(d_cols)
    extra = [d_cols[k] for k in set(d_cols) - set(p_cols)]
    a = _dense(lp)
    assert not a[:, extra].any() and not lp.cost[extra].any()
    assert sorted(p_rows, key=str) == sorted(d_rows, key=str)
    ci = np.array([d_cols[k] for k in p_cols])
    ri = np.array([d_rows[k] for k in p_rows])
    mine = a[ri][:, ci]
    # a row may come out negated (Pyomo moves terms across the relation): compare up to sign
    sign = np.ones(len(ri))
    for r in range(len(ri)):
        nz = np.flatnonzero(p_a[r])
        if len(nz) and np.sign(mine[r, nz[0]]) != np.sign(p_a[r, nz[0]]):
            sign[r] = -1.0
    assert np.allclose(mine * sign[:, None], p_a, rtol=1e-12, atol=0)
    lo, hi = lp.row_lower[ri], lp.row_upper[ri]
    lo, hi = np.where(sign > 0, lo, -hi), np.where(sign > 0, hi, -lo)
    assert np.allclose(lo, p_rowb[0], rtol=1e-12) and np.allclose(hi, p_rowb[1], rtol=1e-12)
    assert np.allclose(lp.col_lower[ci], p_colb[0]) and np.allclose(lp.col_upper[ci], p_colb[1])
    assert np.allclose(lp.cost[ci], p_cost, rtol=1e-12, atol=0)


def test_matrix_is_clean_csc(tiny: Path) -> None:
    """No duplicate entries, no zeros, rows ascending within every column."""
    instance = load_instance(INSTANCES / "medium-synthetic.yaml")
    lp = direct.build_direct_lp(instance, derive(instance), instance.coalitions["all"])
    assert lp.a_start[0] == 0 and lp.a_start[-1] == lp.num_nz
    assert (lp.a_value != 0).all()
    cols = np.repeat(np.arange(lp.num_col), np.diff(lp.a_start))
    same_col = cols[1:] == cols[:-1]
    assert (lp.a_index[1:][same_col] > lp.a_index[:-1][same_col]).all()


# -- extraction ------------------------------------------------------------------------------


def test_extract_matches_burden_tables() -> None:
    """Burden's own solution, fed to `extract_direct`, gives burden's result tables."""
    instance = load_instance(INSTANCES / "medium-synthetic.yaml")
    derived = derive(instance)
    result, outcome = solve_coalition_outcome(instance, "all", derived=derived)
    lp = direct.build_direct_lp(instance, derived, instance.coalitions["all"])
    x = np.array([outcome.value(name, index) for name, index in lp.column_keys()])
    duals = np.array([outcome.duals.get(name, {}).get(index, 0.0) for name, index in lp.row_keys()])
    row_value = np.zeros(lp.num_row)
    cols = np.repeat(np.arange(lp.num_col), np.diff(lp.a_start))
    np.add.at(row_value, lp.a_index, lp.a_value * x[cols])
    sol = direct.DirectSolution("optimal", float(lp.cost @ x), x, row_value, duals)
    tables = direct.extract_direct(lp, sol)

    for column in direct.COUNTRY_COLUMNS:
        expected = result.countries[column].to_numpy()
        got = tables.countries[column]
        if expected.dtype.kind in "fi" or column == "debt_room":
            assert np.allclose(
                np.asarray(got, float),
                expected.astype(float),
                rtol=1e-9,
                atol=1e-12,
                equal_nan=True,
            ), column
        else:
            assert list(got) == list(expected), column
    assert len(tables.procurement["units"]) == len(result.procurement)
    for column in direct.PROCUREMENT_COLUMNS:
        expected = result.procurement[column].to_numpy()
        got = tables.procurement[column]
        if column in ("units", "spend"):
            assert np.allclose(got, expected.astype(float), rtol=1e-9), column
        else:
            assert list(got) == list(expected), column
    for column in direct.CAPABILITY_COLUMNS:
        expected = result.capabilities[column].to_numpy()
        got = tables.capabilities[column]
        if column in ("capability",):
            assert list(got) == list(expected)
        else:
            assert np.allclose(np.asarray(got, float), expected.astype(float), rtol=1e-7, atol=1e-9)
    assert close(tables.total_pain, result.summary["total_pain"], 1e-9)
    assert close(tables.shortfall_cost, result.summary["shortfall_cost"], 1e-9)


# -- re-solves -------------------------------------------------------------------------------


def test_variants_agree_with_coalition_solver() -> None:
    from optimizer.pipeline.variants import CoalitionSolver

    instance = load_instance(INSTANCES / "medium-synthetic-choice.yaml")
    assert instance.burden_share_min_pct == 0  # else CoalitionSolver rebuilds per variant
    derived = derive(instance)
    pool = instance.coalitions["all"]
    burden = CoalitionSolver(instance, pool, derived=derived)
    mine = direct.DirectVariants(instance, derived, pool)
    walk = direct.neighbour_walk(pool, 20, seed=1, min_size=2)
    assert len(set(walk)) > 10
    for members in walk:
        a = burden.solve(members)
        b = mine.solve(members)
        assert a.status == b.status, members
        if a.status == "optimal":
            assert close(a.objective, b.objective), (members, a.objective, b.objective)
    # a variant equals the LP built for the sub-coalition alone
    members = walk[-1]
    alone = direct.solve_direct(direct.build_direct_lp(instance, derived, members))
    assert close(alone.objective, mine.solve(members).objective)


def test_variants_reject_burden_share() -> None:
    instance = load_instance(INSTANCES / "medium-synthetic.yaml")
    with pytest.raises(ValueError, match="burden_share"):
        direct.DirectVariants(instance, derive(instance), instance.coalitions["all"])
