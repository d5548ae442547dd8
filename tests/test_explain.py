"""Infeasibility in domain words: `burden explain`, and `burden solve` on instances without a plan.

The fixtures in tests/infeasible/ each state their conflict, derived by hand, in the comment at
the top; the explanation must name exactly those constraint families, countries, areas and
years (families may add the ones the model's identities bring in, never drop one). Then seeded
random instances the project has never seen, whose conflicts a few lines of arithmetic here find
independently, and the same comparison.
"""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.instance import load_instance
from optimizer.pipeline.diagnose import diagnose

FIXTURES = Path(__file__).resolve().parent / "infeasible"
INSTANCES = Path(__file__).resolve().parent.parent / "instances"

# (families that must be named, countries, areas, years): the comments of the fixtures.
EXPECTED = {
    "floor-vs-funding": (
        {"spending floor", "tax limit", "social-cut limit", "debt room"},
        {"ITA"},
        set(),
        {2026, 2027},
    ),
    "ramp-vs-floor": ({"spending floor", "ramp limit"}, {"POL"}, set(), {2026, 2027, 2028}),
    "target-vs-capacity": (
        {"capability target", "programme capacity"},
        set(),
        {"air_defence"},
        {2026, 2027, 2028},
    ),
    "not-eligible": ({"capability target", "programme eligibility"}, set(), {"tankers"}, {2027}),
    "debt-over-years": (
        {"spending floor", "debt room", "tax limit"},
        {"GRC"},
        set(),
        {2026, 2027, 2028},
    ),
    "origin-quota": ({"origin share", "capability target"}, set(), {"ammo"}, {2027}),
    "choice-required": ({"spending floor", "tax limit"}, {"AAA"}, set(), {2026}),
}


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_fixture_explanation_names_the_conflict(name):
    families, countries, areas, years = EXPECTED[name]
    diagnosis = diagnose(load_instance(FIXTURES / f"{name}.yaml"))
    assert diagnosis.infeasible, diagnosis.note
    named = diagnosis.named()
    assert families <= set(named["families"]), named
    assert set(named["countries"]) == countries, named
    assert set(named["areas"]) == areas, named
    assert set(named["years"]) == years, named
    assert diagnosis.checks, "a pre-solve check should fire on each fixture"
    assert diagnosis.elastic, "the elastic re-solve should say what to relax"


def test_floor_vs_funding_in_the_words_of_the_issue():
    diagnosis = diagnose(load_instance(FIXTURES / "floor-vs-funding.yaml"))
    text = diagnosis.checks[0].text
    assert text.startswith("ITA 2026: the floor of 2.00 % of GDP needs 0.90 % of GDP more")
    assert "tax limit 0.30 %" in text and "social-cut limit 0.20 %" in text
    assert "debt room under the 140 % ceiling) 0.00 %" in text
    assert text.endswith("give at most 0.50 %")
    # the smallest relaxation: 0.4 % of GDP in each year, and one year alone is not enough
    assert [f.text.split(";")[0] for f in diagnosis.elastic] == [
        "spending floor ITA 2026: short by 0.40 % of GDP (8.8 bn EUR)",
        "spending floor ITA 2027: short by 0.40 % of GDP (8.8 bn EUR)",
    ]
    assert all("not enough" in f.text for f in diagnosis.elastic)
    constraints = {f.constraint.split("[")[0] for f in diagnosis.iis}
    assert {"spending_floor", "tax_limit", "social_floor", "debt_room"} <= constraints


def test_target_vs_capacity_numbers():
    diagnosis = diagnose(load_instance(FIXTURES / "target-vs-capacity.yaml"))
    assert "can deliver at most 20.0 by 2028" in diagnosis.checks[0].text
    assert diagnosis.elastic[0].text.startswith(
        "capability target air_defence 2028: short by 30 battery (60.0 % of 50); alone enough"
    )


def test_solve_writes_infeasibility_md_and_exits_3(tmp_path):
    out = tmp_path / "out"
    result = invoke("solve", FIXTURES / "ramp-vs-floor.yaml", "--out", out, "--no-report")
    assert result.exit_code == 3, result.output
    assert "POL 2028: the floor of 4.00 % of GDP needs 2.00 % of GDP more" in result.output
    assert "ramp limit" in result.output
    md = (out / "infeasibility.md").read_text()
    assert md.startswith("# Why `ramp-vs-floor` has no plan for coalition `east`")
    assert "## Irreducible infeasible subset (HiGHS IIS)" in md and "`ramp_limit[POL,2027]`" in md
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert summary["infeasibility"]["countries"] == ["POL"]
    assert "in conflict: spending floor, ramp limit" in summary["message"]


def test_explain_command_exit_codes(tmp_path):
    result = invoke("explain", FIXTURES / "not-eligible.yaml")
    assert result.exit_code == 3
    assert "mrtt: no member is eligible (eligible: ESP)" in result.output
    feasible = invoke("explain", FIXTURES / "not-eligible.yaml", "--coalition", "all")
    assert feasible.exit_code == 0, feasible.output
    assert "feasible" in feasible.output and "What binds" in feasible.output
    unknown = invoke("explain", FIXTURES / "not-eligible.yaml", "--coalition", "nope")
    assert unknown.exit_code == 2
    # an override makes a feasible instance infeasible, and explain says why
    overridden = invoke("explain", INSTANCES / "teach-pain-curve.yaml", "--set",
                        "countries.AAA.ramp_limit_pct_gdp=0.5")  # fmt: skip
    assert overridden.exit_code == 3, overridden.output
    assert "ramp limit" in overridden.output


# -- instances never seen: random, with the conflict found by independent arithmetic ---------------


def _random_instance(rng: random.Random) -> tuple[str, dict]:
    """Three countries funded by tax and social cuts only (no debt curve), each with its own
    floor; one area served only by a capacity-limited programme. Values stay ≥ 0.05 pp away
    from every boundary so that tolerances never decide."""
    countries, expected = {}, {"countries": set(), "years": set(), "areas": set(),
                               "families": set()}  # fmt: skip
    lines = []
    for i, cid in enumerate(("AAA", "BBB", "CCC")):
        gdp = rng.choice([300, 800, 1500, 2400])
        defence = rng.choice([1.0, 1.3, 1.6])
        tax = rng.choice([0.2, 0.4, 0.6])
        social_pct, cut = 20, rng.choice([0.5, 1.0, 2.0])  # cut of social spending: 0.1..0.4 pp
        capacity = tax + cut * social_pct / 100
        gap = rng.choice([-0.3, -0.1, 0.1, 0.3])  # floor need minus capacity, pp of GDP
        if i == 0 and gap < 0:
            gap = -gap  # at least one country in conflict
        floor = defence + capacity + gap
        lines.append(
            f"  {cid}: {{gdp: {gdp}, defence_pct_gdp: {defence}, tax_limit_pct_gdp: {tax}, "
            f"social_pct_gdp: {social_pct}, social_cut_limit_pct: {cut}, "
            f"floor_pct_gdp: {round(floor, 6)}}}"
        )
        countries[cid] = gap
        if gap > 0:
            expected["countries"].add(cid)
            expected["years"] |= {2026, 2027}
            expected["families"] |= {"spending floor", "tax limit", "social-cut limit"}
    units, years = rng.choice([(25, 2), (15, 2), (35, 2)]) if rng.random() < 0.5 else (5, 2)
    capacity = 10
    if units > capacity * years:  # contributions of 2026 and 2027 count for 2027 (lead 0)
        expected["areas"].add("air")
        expected["families"] |= {"capability target", "programme capacity"}
    text = textwrap.dedent(
        f"""\
        name: random
        currency: EUR
        years: [2026, 2027]
        defaults:
          pain: {{tax: [[null, 1.0]], social: [[null, 2.0]]}}
        countries:
        {{countries}}
        capabilities:
          air: {{unit: battery, targets: {{2027: {units}}}}}
        joint_programmes:
          shield: {{capability: air, origin: eu, unit_cost: 0.01, capacity_per_year: {capacity}}}
        coalitions:
          all: "*"
        """
    ).replace("{countries}", "\n".join(lines))
    return text, expected


@pytest.mark.parametrize("seed", range(8))
def test_unseen_random_instances(tmp_path, seed):
    rng = random.Random(seed)
    text, expected = _random_instance(rng)
    path = tmp_path / f"random-{seed}.yaml"
    path.write_text(text, encoding="utf-8")
    diagnosis = diagnose(load_instance(path))
    assert diagnosis.infeasible
    named = diagnosis.named()
    assert expected["families"] <= set(named["families"]), (text, named)
    assert set(named["countries"]) == expected["countries"], (text, named)
    assert set(named["areas"]) == expected["areas"], (text, named)
    years = set(named["years"])
    if expected["countries"]:
        assert years == {2026, 2027}, (text, named)
    else:
        assert 2027 in years, (text, named)
