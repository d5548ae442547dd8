"""Sensitivity: every dual mapped to a domain name, with the documented sign and the right units.

Three independent checks:

1. hand-derived toys, one per family, whose marginal pain per point of an instance field is
   worked out in the comments; the same number is then measured by finite differences through
   `--set` overrides (two more solves);
2. the duals of the shipped instances against the row duals of the independent implementation
   in tests/reference/ (highspy directly, no Pyomo), wherever the dual is unique: finite
   differences on the reference LP, left and right, decide uniqueness;
3. the sign of every dual of every shipped instance (requirements ≥ 0, limits ≤ 0).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pytest

from optimizer.analysis.sensitivity import parameter_sensitivity, what_binds
from optimizer.families import FAMILIES
from optimizer.instance import load_instance
from optimizer.instance.overrides import load_instance_with
from optimizer.pipeline.one import solve_coalition

INSTANCES = Path(__file__).resolve().parent.parent / "instances"

BASE = """\
name: toy
currency: EUR
years: [2026, 2027]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "toy.yaml"
    path.write_text(BASE + textwrap.dedent(text), encoding="utf-8")
    return path


def objective(path: Path, *sets: str) -> float:
    result = solve_coalition(load_instance_with(path, list(sets)))
    assert result.status == "optimal"
    return result.summary["objective"]


# Each toy: GDP 1000 (growth 0, so GDP_t = 1000; 1 pp of GDP = 10 bn), discount 0, two years.
TOYS = {
    # need 10 a year (floor 2 %, defence 1 %); tax @1 limited to 0.5 % = 5, debt @2 unlimited:
    # 5 @1 + 5 @2 a year. One bn more tax room saves 2 - 1 = 1 a year: 10 per pp of GDP a
    # year, 20 for the field (both years).
    "tax_limit": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 0.5,
                pain: {tax: [[null, 1]], debt: [[null, 2]]}}
        """,
        "countries.AAA.tax_limit_pct_gdp",
        0.5,
        20.0,
    ),
    # social cut @1 limited to 2 % of social spending (20 % of GDP = 200) = 4; debt @2.
    # One point of the limit = 2 bn = 2 pain a year: 4 for the field.
    "social_floor": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, social_pct_gdp: 20, social_cut_limit_pct: 2,
                pain: {social: [[null, 1]], debt: [[null, 2]]}}
        """,
        "countries.AAA.social_cut_limit_pct",
        2.0,
        4.0,
    ),
    # debt @1 limited to 0.5 % a year, tax @2: 10 per pp a year, 20 for the field.
    "annual_borrowing_limit": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, borrowing_limit_pct_gdp: 0.5,
                pain: {tax: [[null, 2]], debt: [[null, 1]]}}
        """,
        "countries.AAA.borrowing_limit_pct_gdp",
        0.5,
        20.0,
    ),
    # debt @1 under a ceiling 0.7 pp above the debt: room 7 in both years, cumulative; tax @2.
    # Needs 20 over two years: 7 borrowed, 13 taxed. One pp of ceiling = 10 bn more room by
    # 2027 = 10 pain (the split of borrowing between the years is not unique, the field's
    # marginal pain is).
    "debt_room": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, debt_pct_gdp: 60, debt_ceiling_pct_gdp: 60.7,
                pain: {tax: [[null, 2]], debt: [[null, 1]]}}
        """,
        "countries.AAA.debt_ceiling_pct_gdp",
        60.7,
        10.0,
    ),
    # own floor 1.5 % then 3.5 %: need 5 then 25; ramp 1.5 % = 15 a year, so 2026 must spend
    # 10 (not 5). One pp more ramp (in both years) lets 2026 spend 10 less: 10 pain (tax @1).
    "ramp_limit": (
        """
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, ramp_limit_pct_gdp: 1.5,
                floor_pct_gdp: {2026: 1.5, 2027: 3.5}, pain: {tax: [[null, 1]]}}
        """,
        "countries.AAA.ramp_limit_pct_gdp",
        1.5,
        10.0,
    ),
    # the tax_limit toy's floor: 1 pp more floor = 10 bn more a year at the margin's 2: 40.
    "spending_floor": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 0.5,
                pain: {tax: [[null, 1]], debt: [[null, 2]]}}
        """,
        "spending_floor_pct_gdp",
        2.0,
        40.0,
    ),
    # no floor; 10 units of ammo by 2027 at 1 each, tax @1: 1 pain per unit.
    "capability_targets": (
        """
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 1]]}}
        capabilities:
          ammo: {targets: {2027: 10}, national: [{origin: eu, unit_cost: 1}]}
        """,
        "capabilities.ammo.targets.2027",
        10,
        1.0,
    ),
    # 30 units by 2027 (lead time 0); programme 1 a unit, capacity 10 a year; national 2 a unit.
    # 20 joint + 10 national = 40 money @1. One unit of capacity a year: 2 joint replace 2
    # national, saving 2 money = 2 pain.
    "programme_capacity": (
        """
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 1]]}}
        capabilities:
          air: {targets: {2027: 30}, national: [{origin: us, unit_cost: 2}]}
        joint_programmes:
          shield: {capability: air, origin: eu, unit_cost: 1, capacity_per_year: 10}
        """,
        "joint_programmes.shield.capacity_per_year",
        10,
        2.0,
    ),
    # need 10 a year; common debt @1 (κ = 0) capped at 4 in total, tax @2: one bn of cap
    # replaces one bn of tax: 1.
    "common_debt_cap": (
        """
        spending_floor_pct_gdp: 2.0
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 2]]}}
        capabilities:
          ammo: {targets: {2027: 1}, national: [{origin: eu, unit_cost: 1}]}
        common_debt: {cap: 4, pain_weight: 1, national_debt_share: 0}
        """,
        "common_debt.cap",
        4,
        1.0,
    ),
    # 10 units of ammo, eu 1 or us 2 a unit, at least s = 50 % of spending on us: money
    # 20/(2 - s) = 13.33; d/ds = 20/(2 - s)^2 = 8.889 per unit of s: 0.0889 per point.
    "origin_shares": (
        """
        origin_min_share_pct: {us: 50}
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 1]]}}
        capabilities:
          ammo: {targets: {2027: 10}, national: [{origin: eu, unit_cost: 1},
                                                 {origin: us, unit_cost: 2}]}
        """,
        "origin_min_share_pct.us",
        50,
        20 / 1.5**2 / 100,
    ),
    # two equal economies; 10 units of ammo, AAA's tax @1, BBB's @2; phi = 80: BBB must carry
    # 0.8 * 0.5 * 10 = 0.05 * phi, at 1 more pain a unit: 0.05 per point.
    "burden_share": (
        """
        burden_share_min_pct: 80
        countries:
          AAA: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 1]]}}
          BBB: {gdp: 1000, defence_pct_gdp: 1.0, pain: {tax: [[null, 2]]}}
        capabilities:
          ammo: {targets: {2027: 10}, national: [{origin: eu, unit_cost: 1}]}
        """,
        "burden_share_min_pct",
        80,
        0.05,
    ),
}
for _name, (_text, *_rest) in TOYS.items():  # every toy: one coalition, at least one area
    _text = textwrap.dedent(_text).strip("\n") + '\ncoalitions: {all: "*"}\n'
    if "capabilities" not in _text:
        _text += (
            "capabilities: {ammo: {targets: {2027: 0}, national: [{origin: eu, unit_cost: 1}]}}\n"
        )
    TOYS[_name] = (_text, *_rest)


@pytest.mark.parametrize("family", list(TOYS))
def test_marginal_pain_per_point_by_hand_and_by_finite_difference(tmp_path, family):
    text, field, value, expected = TOYS[family]
    path = write(tmp_path, text)
    result = solve_coalition(load_instance(path))
    assert result.status == "optimal"
    sensitivity = result.tables["sensitivity"]
    assert family in set(result.binding["constraint"]), result.binding
    fields = parameter_sensitivity(sensitivity)
    rows = fields[fields["family"] == FAMILIES[family].label]
    # the field's marginal pain: summed over its rows (floors and targets are listed per year)
    marginal = float(rows["marginal_pain_per_point"].sum())
    assert marginal == pytest.approx(expected, rel=1e-6, abs=1e-9)
    # central finite difference: loosen the field by h (a requirement: lower it; a limit:
    # raise it) and tighten it by h; each toy is linear (or smooth) on both sides
    h = 1e-3 * max(1.0, abs(value))
    sign = -1 if FAMILIES[family].sense == ">=" else 1
    looser = objective(path, f"{field}={value + sign * h}")
    tighter = objective(path, f"{field}={value - sign * h}")
    assert (tighter - looser) / (2 * h) == pytest.approx(expected, rel=1e-5, abs=1e-7)


def test_every_dual_has_the_documented_sign():
    """Requirements' duals ≥ 0, limits' ≤ 0, the marginal cost of money ≥ 0: in every
    shipped instance (fixed coalitions and the LP of a chosen one)."""
    tol = 1e-7
    for name in ("teach-pain-curve", "teach-joint-vs-national", "teach-common-debt",
                 "teach-max-pain", "teach-coalition-choice", "medium-synthetic"):  # fmt: skip
        inst = load_instance(INSTANCES / f"{name}.yaml")
        coalitions = [None] if name.startswith("medium") else [None, *inst.coalitions]
        for coalition in coalitions:
            result = solve_coalition(inst, coalition)
            if result.status != "optimal":
                continue
            table = result.tables["sensitivity"]
            assert len(table), name
            for row in table.itertuples():
                sense = FAMILIES[row.constraint].sense
                if sense == ">=":
                    assert row.dual >= -tol, (name, row)
                elif sense == "<=":
                    assert row.dual <= tol, (name, row)
                assert row.marginal_pain >= -tol, (name, row)
            binding = result.binding
            # MODEL.md v2: duals are the last pain stage's, the written plan the tie-break's,
            # which may spend 1e-7 · z* + 1e-7 of the objective: a row with dual d may be slack
            # by up to that over |d| in the files
            allowance = 2 * (1e-7 * abs(result.summary["objective"]) + 1e-7)
            slack = binding["slack"].fillna(0)
            assert (
                (slack <= 1e-6 * (1 + binding["limit"].abs().fillna(0)))
                | (slack * binding["dual"].abs() <= allowance)
            ).all()


# -- against the independent implementation ------------------------------------------------------

REF_KEY = {
    "spending_identity": lambda i: ("spending_identity", *i),
    "funding_balance": lambda i: ("funding_balance", *i),
    "tax_limit": lambda i: ("tax_limit", *i),
    "social_floor": lambda i: ("social_floor", *i),
    "debt_room": lambda i: ("debt_room", *i),
    "annual_borrowing_limit": lambda i: ("borrowing_limit", *i),
    "spending_floor": lambda i: ("spending_floor", *i),
    "ramp_limit": lambda i: ("ramp", *i),
    "capability_targets": lambda i: ("target", *i),
    "programme_capacity": lambda i: ("capacity", *i),
    "common_debt_cap": lambda i: ("com_cap",),
    "common_debt_cap_per_year": lambda i: ("com_cap_per_year", i),
    "common_debt_procurement_only": lambda i: ("com_procure", *i),
    "common_debt_content": lambda i: ("com_content", *i),
    "origin_shares": lambda i: ("origin_share", i),
    "burden_share": lambda i: ("burden_share", i),
}


class _ReferenceLP:
    """The reference implementation's LP of a fixed coalition under total_pain, kept on one
    HiGHS object so that row bounds can be moved for finite differences."""

    def __init__(self, path: Path, members: tuple[str, ...]):
        from tests.reference import ref_model as ref

        inst = ref.load_instance(path)
        built = ref._build(inst, members, choice=False)
        self.problem = built.problem
        cost = ref._add_terms(*built.pain.values(), built.shortfall_cost, built.member_cost)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        inf = highspy.kHighsInf

        def bound(v):
            return inf if v == ref.INF else (-inf if v == -ref.INF else v)

        p = self.problem
        for i in range(len(p.keys)):
            h.addVar(bound(p.lower[i]), bound(p.upper[i]))
            h.changeColCost(i, cost.get(i, 0.0))
        self.bounds = []
        for _key, coefs, lo, up in p.rows:
            idx = np.array(list(coefs), dtype=np.int32)
            h.addRow(bound(lo), bound(up), len(idx), idx, np.array(list(coefs.values())))
            self.bounds.append((bound(lo), bound(up)))
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        self.h = h
        self.objective = h.getInfo().objective_function_value
        self.duals = list(h.getSolution().row_dual)

    def slope(self, row: int, step: float) -> float | None:
        """(objective(b + step) − objective(b)) / step, moving the row's finite bound(s)."""
        lo, up = self.bounds[row]
        new_lo = lo + step if np.isfinite(lo) else lo
        new_up = up + step if np.isfinite(up) else up
        self.h.changeRowBounds(row, new_lo, new_up)
        self.h.run()
        ok = self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        value = self.h.getInfo().objective_function_value
        self.h.changeRowBounds(row, lo, up)
        return (value - self.objective) / step if ok else None


@pytest.mark.parametrize(
    ("name", "coalition", "sample"),
    [
        ("teach-pain-curve", None, None),
        ("teach-joint-vs-national", None, None),
        ("teach-common-debt", None, None),
        ("medium-synthetic", None, 40),
    ],
)
def test_duals_agree_with_the_reference_implementation_where_unique(name, coalition, sample):
    path = INSTANCES / f"{name}.yaml"
    inst = load_instance(path)
    result = solve_coalition(inst, coalition)
    members = tuple(result.summary["members"])
    table = result.tables["sensitivity"]
    ref = _ReferenceLP(path, members)
    rows = table
    if sample is not None:  # the dearest rows and every family, to keep the test fast
        dear = table.sort_values("marginal_pain", ascending=False).head(sample // 2)
        spread = table.groupby("constraint", sort=False).head(2)
        rows = pd.concat([dear, spread]).drop_duplicates(["constraint", "country", "subject",
                                                          "year"])  # fmt: skip
    compared = 0
    for row in rows.itertuples():
        index = _index(row)
        key = REF_KEY[row.constraint](index)
        i = ref.problem.row_index.get(key)
        if i is None:
            continue
        scale = max(
            1.0, abs(ref.bounds[i][0] if np.isfinite(ref.bounds[i][0]) else ref.bounds[i][1])
        )
        step = 1e-5 * scale
        right, left = ref.slope(i, step), ref.slope(i, -step)
        if right is None or left is None or abs(right - left) > 1e-6 * max(1.0, abs(right)):
            continue  # a kink: the dual is not unique here
        assert row.dual == pytest.approx(right, rel=1e-5, abs=1e-6), (name, key)
        assert ref.duals[i] == pytest.approx(right, rel=1e-5, abs=1e-6), (name, key)
        compared += 1
    assert compared >= min(len(rows), 3), f"too few unique duals compared in {name}"


def _index(row):
    if row.constraint in ("common_debt_cap",):
        return ()
    if row.constraint == "common_debt_cap_per_year":
        return int(row.year)
    if row.constraint == "origin_shares":
        return row.subject
    if row.constraint == "burden_share":
        return row.country
    who = row.country if isinstance(row.country, str) else row.subject
    return (who, int(row.year))


def test_teach_pain_curve_floor_duals_by_hand():
    """teach-pain-curve's comment: one more unit of floor costs 2 in 2026 and 3 in 2028 (unique);
    2027 is a kink (debt's cheap segment fills exactly): any dual in [2, 3]."""
    result = solve_coalition(load_instance(INSTANCES / "teach-pain-curve.yaml"))
    floors = result.binding.set_index(["constraint", "year"]).loc["spending_floor"]
    assert floors.loc[2026, "marginal_pain"] == pytest.approx(2)
    assert floors.loc[2028, "marginal_pain"] == pytest.approx(3)
    assert 2 - 1e-9 <= floors.loc[2027, "marginal_pain"] <= 3 + 1e-9
    # per pp of GDP: GDP 1000, so × 10
    assert floors.loc[2028, "marginal_pain_per_point"] == pytest.approx(30)
    lines = what_binds(result.binding)
    assert lines and lines[0].startswith("spending floor: AAA 2026–2028")


def test_binding_csv_and_summary_lines_are_written(solve_yaml):
    code, summary, out = solve_yaml(INSTANCES / "teach-joint-vs-national.yaml")
    assert code == 0
    binding = pd.read_csv(out / "binding.csv")
    assert list(binding.columns[:8]) == ["family", "constraint", "country", "subject", "year",
                                         "limit", "slack", "dual"]  # fmt: skip
    assert set(binding["family"]) == {"capability target", "programme capacity"}
    assert any(line.startswith("programme capacity: sky_shield 2026–2027")
               for line in summary["what_binds"])  # fmt: skip
    assert (out / "sensitivity.csv").exists()
