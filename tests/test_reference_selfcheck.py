"""Self-checks of the reference implementation (tests/reference) on hand-solvable instances.

Each toy's optimum is derived by hand in a comment. GDP never grows unless said, so
GDP_{c,t} = gdp_c; the base year is first - 1.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

try:  # tests/ on sys.path (pytest's default rootdir-less import) or the repository root
    from reference.check_results import check_result_folder
    from reference.ref_model import (
        SOURCES,
        YearPath,
        load_instance,
        solve_fixed,
        solve_reference,
    )
except ImportError:  # pragma: no cover
    from tests.reference.check_results import check_result_folder
    from tests.reference.ref_model import (
        SOURCES,
        YearPath,
        load_instance,
        solve_fixed,
        solve_reference,
    )


def write(tmp_path: Path, text: str, name: str = "instance.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


def test_path_interpolation() -> None:
    path = YearPath(points=((2026, 2.0), (2030, 3.0)))
    assert path.value(2025) is None  # before the first given year: no value
    assert path.value(2026) == 2.0
    assert path.value(2028) == pytest.approx(2.5)
    assert path.value(2035) == 3.0  # constant after the last
    assert YearPath(constant=1.5).value(1900) == 1.5


# --------------------------------------------------------------------------------------------
# total_pain
# --------------------------------------------------------------------------------------------

ONE_COUNTRY = """
name: one
years: [2026, 2026]
countries:
  "AAA": {gdp: 100, defence_pct_gdp: 1.0, pain: {tax: [[1.0, 2.0], [null, 5.0]]}}
capabilities:
  k:
    targets: {2026: 10}
    national: [{origin: us, unit_cost: 0.15}]
coalitions:
  all: "*"
"""


def test_one_country_tax_only(tmp_path: Path) -> None:
    # 10 units at 0.15 = 1.5 money, all from tax (no other curve).
    # Tax segment 1: 1.0 % of GDP 100 = 1.0 at weight 2 -> 2.0; segment 2: 0.5 at weight 5 -> 2.5.
    # Objective 4.5. One more unit of target costs 0.15 at weight 5 = 0.75 (the dual).
    result = solve_reference(write(tmp_path, ONE_COUNTRY))
    assert result["status"] == "optimal"
    assert result["objective"] == pytest.approx(4.5, abs=1e-9)
    assert result["total_pain"] == pytest.approx(4.5, abs=1e-9)
    assert result["shortfall_cost"] == pytest.approx(0.0, abs=1e-9)
    assert result["member_cost"] == 0.0
    assert result["members"] == ["AAA"]
    assert result["values"][("seg", "AAA", "tax", 0, 2026)] == pytest.approx(1.0, abs=1e-9)
    assert result["values"][("seg", "AAA", "tax", 1, 2026)] == pytest.approx(0.5, abs=1e-9)
    assert result["values"][("buy", "AAA", "k", "us", 2026)] == pytest.approx(10, abs=1e-9)
    assert result["capability_duals"][("k", 2026)] == pytest.approx(0.75, abs=1e-9)


FLOORS_AND_DEFAULTS = """
name: floors
years: [2026, 2028]
discount_rate_pct: 10
spending_floor_pct_gdp: {2026: 2.0, 2028: 4.0}
defaults:
  floor_pct_gdp: {2027: 3.0}
  pain:
    tax: [[null, 1.0]]
    social: [[null, 0.5]]
countries:
  "AAA": {gdp: 100, defence_pct_gdp: 1.0, social_pct_gdp: 10, social_cut_limit_pct: 10}
  "BBB":
    gdp: 200
    defence_pct_gdp: 1.0
    floor_pct_gdp: null
    pain: {tax: [[null, 2.0]], social: null}
capabilities:
  k:
    national: [{origin: us, unit_cost: 1.0}]
coalitions:
  all: "*"
"""


def test_floors_paths_and_per_source_pain_merge(tmp_path: Path) -> None:
    # d = 1, 1/1.1, 1/1.21.
    # AAA takes the defaults' floor {2027: 3}: no floor in 2026, then inc >= (3-1)% * 100 = 2
    # in 2027 and 2028 (constant after the last point). Its social curve (0.5) is cheapest but
    # capped at 10 % of Soc = 10 % * 10 = 1.0; the other 1.0 comes from tax (1.0): 1.5 a year.
    # BBB's explicit null floor -> the instance path 2, 3, 4 %: inc >= 2, 4, 6 (GDP 200).
    # BBB names social: null (no curve) and its own tax (2.0): pain 2 * (2, 4, 6).
    # Total = 1.5/1.1 + 1.5/1.21 + 4 + 8/1.1 + 12/1.21 = 4 + 9.5/1.1 + 13.5/1.21.
    expected = 4 + 9.5 / 1.1 + 13.5 / 1.21
    result = solve_reference(write(tmp_path, FLOORS_AND_DEFAULTS))
    assert result["status"] == "optimal"
    assert result["objective"] == pytest.approx(expected, abs=1e-9)
    values = result["values"]
    assert values[("inc", "AAA", 2026)] == pytest.approx(0.0, abs=1e-9)
    assert values[("soc", "AAA", 2027)] == pytest.approx(1.0, abs=1e-9)
    assert values[("inc", "BBB", 2027)] == pytest.approx(4.0, abs=1e-9)
    assert ("seg", "BBB", "social", 0, 2026) not in values  # no curve: cannot be used


RAMP = """
name: ramp
years: [2026, 2027]
discount_rate_pct: 100
ramp_limit_pct_gdp: 0.5
defaults:
  ramp_limit_pct_gdp: 5.0
countries:
  "AAA":
    gdp: 100
    defence_pct_gdp: 1.0
    ramp_limit_pct_gdp: null
    pain: {tax: [[1.0, 1.0], [null, 3.0]]}
capabilities:
  k:
    targets: {2027: 3}
    shortfall_penalty: 10
    national: [{origin: us, unit_cost: 1.0}]
coalitions:
  all: "*"
"""


def test_ramp_null_takes_instance_value(tmp_path: Path) -> None:
    # d_2026 = 1, d_2027 = 0.5. The country's null ramp means the instance's 0.5 % (= 0.5),
    # not the defaults' 5 %: inc_2026 <= 0.5, inc_2027 <= inc_2026 + 0.5 <= 1.0.
    # Every unit bought costs at most 1 * 1 (2026) or 0.5 * 1 (2027), below the penalty, so
    # buy the most: 0.5 + 1.0 = 1.5 units; shortfall 1.5 at 10 * 0.5 = 7.5.
    # Pain 0.5 * 1 + 0.5 * (1.0 * 1) = 1.0. Objective 8.5. Dual = d * penalty = 5.
    # (With the defaults' 5 % the optimum would be 3.0 with no shortfall.)
    result = solve_reference(write(tmp_path, RAMP))
    assert result["objective"] == pytest.approx(8.5, abs=1e-9)
    assert result["total_pain"] == pytest.approx(1.0, abs=1e-9)
    assert result["shortfall_cost"] == pytest.approx(7.5, abs=1e-9)
    assert result["capability_duals"][("k", 2027)] == pytest.approx(5.0, abs=1e-9)


COMMON_DEBT = """
name: common
years: [2026, 2026]
countries:
  "AAA":
    gdp: 100
    defence_pct_gdp: 1.0
    debt_pct_gdp: 60
    debt_ceiling_pct_gdp: 60.5
    pain: {tax: [[null, 1.0]]}
  "BBB":
    gdp: 100
    defence_pct_gdp: 1.0
    accepts_common_debt: false
    pain: {tax: [[null, 10.0]]}
capabilities:
  k:
    targets: {2026: 3}
    national:
      - {origin: us, unit_cost: 1.0}
      - {id: eu-new, origin: eu, unit_cost: 1.2}
common_debt:
  cap: 2
  cap_per_year: 1.5
  pain_weight: 0.1
  national_debt_share: 0.5
  min_eu_content_pct: 50
  requires_unanimity: true
coalitions:
  solo: ["AAA"]
  with_b: {members: ["AAA", "BBB"]}
"""


def test_common_debt_room_content_and_unanimity(tmp_path: Path) -> None:
    path = write(tmp_path, COMMON_DEBT)
    # solo: debt room R = 60.5 % - 60 % of 100 = 0.5; kappa = 0.5 so com <= 1 (cap_per_year 1.5
    # is looser). Buy x eu units (1.2 each) and 3 - x us units (1.0): money 3 + 0.2x.
    # Content rule: com <= (100/50) * 1.2x = 2.4x. Pain = 0.1 com + (3 + 0.2x - com).
    # For x <= 1/2.4, com = 2.4x: pain = 3 - 1.96x (falls); beyond, com = 1: 2.1 + 0.2x (rises).
    # Optimum x = 1/2.4: pain = 2.1 + 0.2/2.4. Dual: one more unit = 1 us unit from tax = 1.
    solo = solve_reference(path, "solo")
    assert solo["objective"] == pytest.approx(2.1 + 0.2 / 2.4, abs=1e-9)
    assert solo["values"][("com", "AAA", "common_debt", 2026)] == pytest.approx(1.0, abs=1e-9)
    assert solo["capability_duals"][("k", 2026)] == pytest.approx(1.0, abs=1e-9)
    # with_b: BBB is eligible (default: everyone) but does not accept: unanimity closes the
    # facility. AAA buys 3 us units from tax (1.0 < BBB's 10): objective 3.
    with_b = solve_reference(path, "with_b")
    assert with_b["objective"] == pytest.approx(3.0, abs=1e-9)
    assert with_b["members"] == ["AAA", "BBB"]
    # default coalition: the first one in file order
    assert solve_reference(path)["members"] == ["AAA"]


# --------------------------------------------------------------------------------------------
# max_pain
# --------------------------------------------------------------------------------------------

MAX_PAIN = """
name: egalitarian
years: [2026, 2026]
objective: max_pain
countries:
  "AAA": {gdp: 100, defence_pct_gdp: 1.0, pain: {tax: [[null, 2.0]]}}
  "BBB": {gdp: 200, defence_pct_gdp: 1.0, pain: {tax: [[null, 1.0]]}}
capabilities:
  k:
    targets: {2026: 6}
    shortfall_penalty: 100
    national: [{origin: us, unit_cost: 1.0}]
coalitions:
  all: "*"
"""


def test_max_pain_lexicographic(tmp_path: Path) -> None:
    # Stage 1: buying is far cheaper than the penalty: q* = 0 (x_A + x_B = 6 units, 1 each).
    # Stage 2: pain% A = 100 * 2 x_A / 100 = 2 x_A, pain% B = 100 * x_B / 200 = x_B / 2;
    # equal at x_B = 4 x_A -> x_A = 1.2, x_B = 4.8, m* = 2.4.
    # Stage 3: total pain 2 x_A + x_B = 6 + x_A, so x_A as small as the m hold allows:
    # x_B <= 2 (2.4 (1 + 1e-6) + 1e-9), total pain = 7.2 - 4.8e-6 (about).
    # (Under total_pain all 6 would be B's: 6.0.)
    result = solve_reference(write(tmp_path, MAX_PAIN))
    assert result["status"] == "optimal"
    assert result["objective"] == pytest.approx(2.4, abs=1e-9)
    assert result["total_pain"] == pytest.approx(7.2, abs=1e-5)
    assert result["total_pain"] < 7.2  # stage 3 used the hold's slack
    assert result["shortfall_cost"] == pytest.approx(0.0, abs=1e-9)
    assert result["max_pain_pct"] <= 2.4 * (1 + 1e-6) + 1e-9 + 1e-12


# --------------------------------------------------------------------------------------------
# coalition choice
# --------------------------------------------------------------------------------------------

CHOICE = """
name: choice
years: [2026, 2026]
countries:
  "AAA": {gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 4, pain: {tax: [[null, 1.0]]}}
  "BBB": {gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 5, pain: {tax: [[null, 2.0]]}}
  "CCC": {gdp: 100, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 10, pain: {tax: [[null, 3.0]]}}
capabilities:
  k:
    targets: {2026: 10}
    national: [{origin: us, unit_cost: 1.0}]
coalitions:
  all: "*"
coalition_choice:
  member_cost: 6
"""


def test_coalition_choice(tmp_path: Path) -> None:
    # 10 money needed; tax limits 4, 5, 10 (GDP 100); weights 1, 2, 3; member_cost 6.
    # A or B alone: infeasible. C alone: 30 + 6 = 36. {A,B}: 4 + 5 = 9 < 10, infeasible.
    # {A,C}: 4*1 + 6*3 = 22, + 12 = 34. {B,C}: 5*2 + 5*3 = 25, + 12 = 37.
    # {A,B,C}: 4*1 + 5*2 + 1*3 = 17, + 18 = 35.  Best: {A,C} with 34; the LP dual is C's 3.
    path = write(tmp_path, CHOICE)
    result = solve_reference(path)
    assert result["status"] == "optimal"
    assert result["coalition"] == "chosen"
    assert result["members"] == ["AAA", "CCC"]
    assert result["objective"] == pytest.approx(34.0, abs=1e-9)
    assert result["total_pain"] == pytest.approx(22.0, abs=1e-9)
    assert result["member_cost"] == pytest.approx(12.0, abs=1e-9)
    assert result["capability_duals"][("k", 2026)] == pytest.approx(3.0, abs=1e-9)
    # a named coalition is solved fixed, without member cost: 4 + 5*2 + 1*3 = 17
    fixed = solve_reference(path, "all")
    assert fixed["objective"] == pytest.approx(17.0, abs=1e-9)
    assert fixed["member_cost"] == 0.0


# The spec's own example instance (with BBB given room to ramp up: its null-free own ramp).
SPEC_EXAMPLE = """
name: toy
currency: EUR
years: [2026, 2030]
discount_rate_pct: 0
objective: {objective}
spending_floor_pct_gdp: {{2026: 2.0, 2030: 3.0}}
ramp_limit_pct_gdp: 0.5
burden_share_min_pct: 0
origin_min_share_pct: {{us: 20}}
defaults:
  gdp_growth_pct: 3.0
  pain:
    tax:    [[0.5, 1.2], [null, 1.8]]
    social: [[0.3, 1.5], [null, 3.0]]
    debt:   [[1.0, 0.6], [null, 1.4]]
countries:
  "AAA":
    gdp: 1000
    defence_pct_gdp: 1.5
    debt_pct_gdp: 60
    deficit_pct_gdp: 2.0
    debt_ceiling_pct_gdp: 90
    borrowing_limit_pct_gdp: 1.5
    social_pct_gdp: 20
    social_cut_limit_pct: 3
    tax_limit_pct_gdp: 1.0
    tags: [eu]
  "BBB":
    gdp: 500
    defence_pct_gdp: 1.2
    debt_pct_gdp: 80
    debt_ceiling_pct_gdp: 90
    accepts_common_debt: false
    ramp_limit_pct_gdp: 1.0
    tags: [eu]
  "CCC":
    gdp: 300
    defence_pct_gdp: 2.5
    reliability: 0.9
    cost_factor: 1.1
    floor_pct_gdp: {{2028: 2.0}}
capabilities:
  air_defence:
    unit: battery
    lead_time: 2
    targets: {{2028: 10, 2030: 30}}
    shortfall_penalty: 50
    national:
      - {{origin: us, unit_cost: 1.1}}
      - {{id: eu-new, origin: eu, unit_cost: 1.3}}
joint_programmes:
  sky_shield:
    capability: air_defence
    origin: eu
    unit_cost: 0.9
    lead_time: 3
    capacity_per_year: 15
    eligible: ["AAA", "BBB"]
common_debt:
  cap: 150
  cap_per_year: 40
  pain_weight: 0.4
  national_debt_share: 1.0
  min_eu_content_pct: 65
  eligible: ["AAA", "BBB"]
  requires_unanimity: true
coalitions:
  all: "*"
  west: {{members: ["AAA", "CCC"]}}
  no_c: {{all_except: ["CCC"]}}
  eu: {{tags: [eu]}}
coalition_choice:
  candidates: "*"
  required: ["AAA"]
  member_cost: 0.5
  min_members: 2
"""


@pytest.mark.parametrize("objective", ["total_pain", "max_pain"])
def test_choice_matches_best_fixed_coalition(tmp_path: Path, objective: str) -> None:
    # The MILP must pick the best admissible subset (AAA required, at least 2 members); its
    # stage values are those of that subset's LP (+ member_cost * |S| under total_pain).
    # Under max_pain "best" is lexicographic: shortfall cost, then m*, then the stage-3 value.
    path = write(tmp_path, SPEC_EXAMPLE.format(objective=objective))
    inst = load_instance(path)
    chosen = solve_reference(path)
    assert chosen["status"] == "optimal"

    def rank(result: dict[str, Any]) -> tuple[float, ...]:
        stage3 = result["total_pain"] + result["shortfall_cost"] + result["member_cost"]
        if objective == "total_pain":
            return (round(result["objective"], 6),)
        return (round(result["shortfall_cost"], 6), round(result["objective"], 6), stage3)

    best = None
    for size in (2, 3):
        for subset in itertools.combinations(inst.countries, size):
            if "AAA" not in subset:
                continue
            fixed = solve_fixed(inst, subset, "x", member_cost=0.5 * size)
            if fixed["status"] == "optimal" and (best is None or rank(fixed) < rank(best)):
                best = fixed
    assert best is not None
    assert chosen["members"] == best["members"]
    assert chosen["objective"] == pytest.approx(best["objective"], rel=1e-6)
    assert chosen["total_pain"] == pytest.approx(best["total_pain"], rel=1e-6)


# --------------------------------------------------------------------------------------------
# check_result_folder
# --------------------------------------------------------------------------------------------


def write_result_folder(instance_path: Path, result: dict[str, Any], out: Path) -> None:
    """Write the spec's result files from a reference result (for the checker's self-test)."""
    inst = load_instance(instance_path)
    out.mkdir(parents=True, exist_ok=True)
    values = result["values"]
    members = result["members"]
    outsiders = result.get("outsiders", [])
    actors = [c for c in inst.countries if c in set(members) | set(outsiders)]
    summary = {
        key: result[key]
        for key in ("status", "objective", "total_pain", "shortfall_cost", "member_cost")
    }
    summary["coalition"] = result["coalition"]
    summary["members"] = members
    summary["outsiders"] = outsiders
    summary["member_pain"] = result.get("member_pain")
    summary["outsider_pain"] = result.get("outsider_pain")
    summary["solver"] = {"name": "reference", "version": "0", "seconds": 0.0}
    sha = hashlib.sha256(instance_path.read_bytes()).hexdigest()
    summary["instance"] = {"name": inst.name, "sha256": sha}
    (out / "summary.json").write_text(json.dumps(summary))
    facilities = inst.facilities
    with (out / "facilities.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["facility", "country", "year", "draw"])
        for (name, *key), value in values.items():
            if name == "com" and value > 1e-9:
                c, h, t = key
                writer.writerow([h, c, t, value])
    with (out / "countries.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            "country year member gdp baseline increase spending spending_pct_gdp other "
            "running_cost tax social_cut national_debt common_debt interest pain extra_debt "
            "debt_room".split()
        )
        for c in actors:
            extra_debt = 0.0
            borrowed = 0.0
            drawn = dict.fromkeys(facilities, 0.0)
            for t in inst.years:
                by_h = {h: values.get(("com", c, h, t), 0.0) for h in facilities}
                com = sum(by_h.values())
                interest = inst.countries[c].interest_rate_pct / 100 * borrowed + sum(
                    f.national_debt_share * f.interest_rate_pct / 100 * drawn[h]
                    for h, f in facilities.items()
                )
                borrowed += values[("bor", c, t)]
                for h in facilities:
                    drawn[h] += by_h[h]
                inc = values[("inc", c, t)]
                extra_debt += values[("bor", c, t)] + sum(
                    f.national_debt_share * by_h[h] for h, f in facilities.items()
                )
                running = 0.0  # the self-check instances have no running costs
                pain = sum(f.pain_weight * by_h[h] for h, f in facilities.items()) + sum(
                    weight * values[("seg", c, f, s, t)]
                    for f in SOURCES
                    for s, (_, weight) in enumerate(inst.countries[c].pain[f] or ())
                )
                spending = inst.baseline(c, t) + inc
                room = inst.debt_room(c, t)
                writer.writerow(
                    [c, t, c in members, inst.gdp(c, t), inst.baseline(c, t), inc, spending]
                    + [100 * spending / inst.gdp(c, t), values[("other", c, t)], running]
                    + [values[("tax", c, t)], values[("soc", c, t)], values[("bor", c, t)]]
                    + [com, interest, pain, extra_debt, "" if room is None else room]
                )
    delivered = {(k, t): 0.0 for k, area in inst.areas.items() for t in area.targets}
    with (out / "procurement.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow("country year capability route source origin units spend".split())
        for c in actors:
            country = inst.countries[c]
            for t in inst.years:
                for k, area in inst.areas.items():
                    rows = [
                        ("national", o.id, o.origin, area.lead_time, values[("buy", c, k, o.id, t)])
                        + (o.unit_cost * country.cost_factor,)
                        for o in area.options
                    ] + [
                        ("joint", j, p.origin, p.lead_time, values.get(("con", c, j, t), 0.0))
                        + (p.unit_cost,)
                        for j, p in inst.programmes.items()
                        if p.capability == k
                    ]
                    for route, source, origin, lead, amount, price in rows:
                        units, spend = (
                            (amount, amount * price)
                            if route == "national"
                            else (amount / price, amount)
                        )
                        if units > 1e-9:
                            writer.writerow([c, t, k, route, source, origin, units, spend])
                        for target_year in area.targets:
                            if t <= target_year - lead:
                                delivered[(k, target_year)] += country.reliability * units
    with (out / "capabilities.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow("capability year target delivered shortfall marginal_pain".split())
        for (k, t), amount in delivered.items():
            short = values.get(("short", k, t), 0.0)
            dual = result["capability_duals"].get((k, t), 0.0)
            writer.writerow([k, t, inst.areas[k].targets[t], amount, short, dual])


@pytest.mark.parametrize("coalition", ["all", "west", "no_c", None])
@pytest.mark.parametrize("objective", ["total_pain", "max_pain"])
def test_checker_accepts_reference_results(
    tmp_path: Path, objective: str, coalition: str | None
) -> None:
    path = write(tmp_path, SPEC_EXAMPLE.format(objective=objective))
    result = solve_reference(path, coalition)
    assert result["status"] == "optimal"
    write_result_folder(path, result, tmp_path / "out")
    assert check_result_folder(path, tmp_path / "out") == []


def test_checker_flags_broken_folder(tmp_path: Path) -> None:
    # ONE_COUNTRY's optimum written by hand (see test_one_country_tax_only), then broken.
    path = write(tmp_path, ONE_COUNTRY)
    out = tmp_path / "out"
    out.mkdir()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    summary = {
        "status": "optimal",
        "objective": 4.5,
        "total_pain": 4.5,
        "shortfall_cost": 0.0,
        "member_cost": 0.0,
        "coalition": "all",
        "members": ["AAA"],
        "outsiders": [],
        "member_pain": 4.5,
        "outsider_pain": 0.0,
        "solver": {"name": "hand", "version": "0", "seconds": 0.0},
        "instance": {"name": "one", "sha256": sha},
    }
    (out / "summary.json").write_text(json.dumps(summary))
    header = (
        "country,year,member,gdp,baseline,increase,spending,spending_pct_gdp,other,running_cost,"
        "tax,social_cut,national_debt,common_debt,interest,pain,extra_debt,debt_room\n"
    )
    (out / "countries.csv").write_text(
        header + "AAA,2026,true,100,1,1.5,2.5,2.5,0,0,1.5,0,0,0,0,4.5,0,\n"
    )
    (out / "procurement.csv").write_text(
        "country,year,capability,route,source,origin,units,spend\n"
        "AAA,2026,k,national,us,us,10,1.5\n"
    )
    (out / "capabilities.csv").write_text(
        "capability,year,target,delivered,shortfall,marginal_pain\nk,2026,10,10,0,0.75\n"
    )
    assert check_result_folder(path, out) == []

    # Funding balance broken: tax 1.0 (pain 2.0, consistent) but the increase stays 1.5.
    (out / "countries.csv").write_text(
        header + "AAA,2026,true,100,1,1.5,2.5,2.5,0,0,1.0,0,0,0,0,2.0,0,\n"
    )
    errors = check_result_folder(path, out)
    assert any(e.startswith("2. funding balance [AAA 2026]") for e in errors), errors

    # Capability target broken: only 9 units delivered, hard target 10.
    (out / "countries.csv").write_text(
        header + "AAA,2026,true,100,1,1.5,2.5,2.5,0,0,1.5,0,0,0,0,4.5,0,\n"
    )
    (out / "procurement.csv").write_text(
        "country,year,capability,route,source,origin,units,spend\n"
        "AAA,2026,k,national,us,us,9,1.35\n"
    )
    errors = check_result_folder(path, out)
    assert any(e.startswith("10. capability target [k 2026]: delivered") for e in errors), errors
    assert any(e.startswith("1. spending identity [AAA 2026]") for e in errors), errors
