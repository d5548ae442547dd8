"""Scenario overrides: `--set PATH=VALUE`, named `scenarios:`, and their rejection rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.instance import InstanceError
from optimizer.instance.load import load_instance
from optimizer.instance.overrides import (
    OverrideError,
    apply_overrides,
    load_instance_with,
    parse_assignment,
    resolve_path,
    split_path,
)

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
PAIN_CURVE = INSTANCES / "teach-pain-curve.yaml"

TOY = """\
name: toy
currency: EUR
years: [2026, 2028]
spending_floor_pct_gdp: {2026: 2.0, 2028: 3.0}
defaults:
  pain: {tax: [[0.5, 1], [null, 3]], debt: [[1.0, 2], [null, 4]]}
countries:
  AAA: {gdp: 1000, defence_pct_gdp: 1.0, debt_pct_gdp: 60, debt_ceiling_pct_gdp: 90}
capabilities:
  ammo: {targets: {2028: 5}, national: [{origin: domestic, unit_cost: 2}]}
coalitions:
  alone: [AAA]
scenarios:
  high: {spending_floor_pct_gdp.2028: 4.0}
  tight: {countries.AAA.debt_ceiling_pct_gdp: 61, countries.AAA.tax_limit_pct_gdp: 0.5}
"""


@pytest.fixture
def toy(tmp_path) -> Path:
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return path


def test_parse_and_split():
    assert parse_assignment("spending_floor_pct_gdp.2035=5") == ("spending_floor_pct_gdp.2035", 5)
    assert parse_assignment("coalitions.duo=[AAA, BBB]") == ("coalitions.duo", ["AAA", "BBB"])
    assert parse_assignment("countries.AAA.floor_pct_gdp=null") == (
        "countries.AAA.floor_pct_gdp",
        None,
    )
    assert split_path("capabilities.ammo.national[0].unit_cost") == [
        "capabilities", "ammo", "national", "0", "unit_cost"]  # fmt: skip
    for bad in ("novalue", "=5", "x="):
        with pytest.raises(OverrideError):
            parse_assignment(bad)


def test_paths_resolve_against_the_schema_and_the_file(toy):
    document = __import__("yaml").safe_load(TOY)
    assert resolve_path(split_path("spending_floor_pct_gdp.2035"), document) == (
        "spending_floor_pct_gdp", 2035)  # fmt: skip
    assert resolve_path(split_path("countries.AAA.floor_pct_gdp.2030"), document) == (
        "countries", "AAA", "floor_pct_gdp", 2030)  # fmt: skip
    assert resolve_path(split_path("capabilities.ammo.national.0.unit_cost"), document) == (
        "capabilities", "ammo", "national", 0, "unit_cost")  # fmt: skip
    assert resolve_path(split_path("origin_min_share_pct.us"), document) == (
        "origin_min_share_pct", "us")  # fmt: skip
    rejected = {
        "countries.AAA.debt_ceiling": "did you mean 'debt_ceiling_pct_gdp'",
        "countries.XYZ.gdp": "has no entry 'XYZ'",
        "nonsense": "unknown field 'nonsense'",
        "capabilities.ammo.national.3.unit_cost": "no index 3",
        "spending_floor_pct_gdp.soon": "not a year",
        "countries.AAA.gdp.x": "is a single value",
        "scenarios.high": "cannot be overridden",
    }
    for path, message in rejected.items():
        with pytest.raises(OverrideError, match=message):
            resolve_path(split_path(path), document)


def test_apply_creates_paths_and_keeps_the_original(toy):
    document = __import__("yaml").safe_load(TOY)
    out, applied = apply_overrides(document, [("countries.AAA.floor_pct_gdp.2027", 2.5)])
    assert out["countries"]["AAA"]["floor_pct_gdp"] == {2027: 2.5}
    assert "floor_pct_gdp" not in document["countries"]["AAA"]
    assert list(applied.values()) == ["countries.AAA.floor_pct_gdp.2027=2.5"]


def test_load_with_set_and_scenario(toy):
    base = load_instance(toy)
    assert base.countries["AAA"].floor_pct_gdp == {2026: 2.0, 2028: 3.0}
    inst = load_instance_with(toy, ["spending_floor_pct_gdp.2028=3.5"])
    assert inst.countries["AAA"].floor_pct_gdp == {2026: 2.0, 2028: 3.5}
    assert inst.overrides == ("spending_floor_pct_gdp.2028=3.5",)
    high = load_instance_with(toy, [], "high")
    assert high.countries["AAA"].floor_pct_gdp[2028] == 4.0 and high.scenario == "high"
    # --set wins over the scenario (applied after it)
    both = load_instance_with(toy, ["spending_floor_pct_gdp.2028=5"], "high")
    assert both.countries["AAA"].floor_pct_gdp[2028] == 5
    tight = load_instance_with(toy, [], "tight")
    assert tight.countries["AAA"].tax_limit_pct_gdp == 0.5
    assert tight.sha256 == base.sha256  # the file's bytes; the overrides are recorded apart


def test_bad_values_are_reported_like_invalid_fields(toy):
    with pytest.raises(InstanceError) as info:
        load_instance_with(toy, ["countries.AAA.gdp=-5"])
    text = info.value.render()
    assert "countries.AAA.gdp: must be > 0" in text
    assert text.endswith("(value from --set countries.AAA.gdp=-5)")
    with pytest.raises(InstanceError, match="unknown scenario 'nope'; the instance has: high"):
        load_instance_with(toy, [], "nope")
    with pytest.raises(InstanceError, match="names no field: unknown field 'debt_ceiling'"):
        load_instance_with(toy, ["countries.AAA.debt_ceiling=140"])


def test_a_scenario_that_names_no_field_fails_validation(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(TOY + "  broken: {countries.AAA.gdpp: 5}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "scenarios.broken.countries.AAA.gdpp: names no field" in result.output
    assert "did you mean 'gdp'" in result.output


def test_cli_set_and_scenario_on_solve_and_compare(toy, tmp_path):
    out = tmp_path / "solve"
    args = ["solve", str(toy), "--out", str(out), "--no-report", "--scenario", "high",
            "--set", "countries.AAA.debt_ceiling_pct_gdp=95"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["instance"]["scenario"] == "high"
    assert summary["instance"]["overrides"] == [
        "spending_floor_pct_gdp.2028=4.0", "countries.AAA.debt_ceiling_pct_gdp=95"]  # fmt: skip
    # as teach-pain-curve, with the floor path {2026: 2, 2028: 4} (room 350: no ceiling bites):
    # 2026 needs 10 = 5 @1 + 5 @2 -> 15; 2027 (3 %) 20 = 5 @1 + 10 @2 + 5 @3 -> 40;
    # 2028 30 = 5 @1 + 10 @2 + 15 @3 -> 70
    assert summary["objective"] == pytest.approx(15 + 40 + 70)
    bad = CliRunner().invoke(app, ["solve", str(toy), "--set", "countries.AAA.gdpx=1",
                                   "--out", str(tmp_path / "x")])  # fmt: skip
    assert bad.exit_code == 2
    assert "countries.AAA.gdpx" in bad.output and "names no field" in bad.output
    compared = CliRunner().invoke(app, ["compare", str(toy), "--out", str(tmp_path / "cmp"),
                                        "--no-report", "--set", "spending_floor_pct_gdp=2"])  # fmt: skip
    assert compared.exit_code == 0, compared.output


def test_plain_number_path_cannot_take_a_year(tmp_path):
    path = tmp_path / "plain.yaml"
    text = TOY.replace(
        "spending_floor_pct_gdp: {2026: 2.0, 2028: 3.0}", "spending_floor_pct_gdp: 2.0"
    )
    path.write_text(text.split("scenarios:")[0], encoding="utf-8")
    with pytest.raises(InstanceError, match="a plain number is the same in every year"):
        load_instance_with(path, ["spending_floor_pct_gdp.2028=3"])
