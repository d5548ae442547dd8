"""Every "Required" and "Ranges" rule of MODEL.md, and the loader's own rules: exit 2 and the path.

Each case starts from one valid instance, breaks exactly one rule, and runs `burden validate`
in-process. The message must name the field path (and the file); no traceback may appear.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optimizer.cli import app

BASE: dict = {
    "name": "valid",
    "years": [2026, 2028],
    "spending_floor_pct_gdp": {2026: 2.0, 2028: 3.0},
    "defaults": {"pain": {"tax": [[1.0, 1.0], [None, 2.0]], "debt": [[None, 1.5]]}},
    "countries": {
        "AAA": {
            "gdp": 100.0,
            "defence_pct_gdp": 1.5,
            "debt_pct_gdp": 60.0,
            "debt_ceiling_pct_gdp": 90.0,
            "social_pct_gdp": 20.0,
            "social_cut_limit_pct": 2.0,
            "tax_limit_pct_gdp": 2.0,
            "borrowing_limit_pct_gdp": 1.0,
            "tags": ["eu"],
        },
        "BBB": {"gdp": 50.0, "defence_pct_gdp": 2.5, "ramp_limit_pct_gdp": 1.0},
    },
    "capabilities": {
        "air": {
            "lead_time": 1,
            "targets": {2028: 5.0},
            "shortfall_penalty": 10.0,
            "national": [
                {"origin": "us", "unit_cost": 1.0},
                {"id": "eu-x", "origin": "eu", "unit_cost": 1.2},
            ],
        }
    },
    "joint_programmes": {
        "shield": {"capability": "air", "origin": "eu", "unit_cost": 0.8, "eligible": ["AAA"]}
    },
    "common_debt": {"cap": 10.0, "pain_weight": 0.5, "eligible": ["AAA", "BBB"]},
    "coalitions": {"all": "*", "eu": {"tags": ["eu"]}, "pair": ["AAA", "BBB"]},
    "coalition_choice": {"candidates": "*", "required": ["AAA"]},
}


def run_validate(tmp_path: Path, text: str):
    path = tmp_path / "instance.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    return result, path


def dump(doc: dict) -> str:
    return yaml.safe_dump(doc, sort_keys=False)


def test_base_instance_is_valid(tmp_path: Path) -> None:
    result, _ = run_validate(tmp_path, dump(BASE))
    assert result.exit_code == 0, result.output


def _set(doc: dict, path: tuple, value) -> None:
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _delete(doc: dict, path: tuple) -> None:
    node = doc
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


DELETE = object()

# (case id, field path to change, new value or DELETE, path expected in the message)
CASES = [
    ("name required", ("name",), DELETE, "name"),
    ("years required", ("years",), DELETE, "years"),
    ("countries required", ("countries",), DELETE, "countries"),
    ("countries non-empty", ("countries",), {}, "countries"),
    ("capabilities required", ("capabilities",), DELETE, "capabilities"),
    ("coalitions required", ("coalitions",), DELETE, "coalitions"),
    ("gdp required", ("countries", "BBB", "gdp"), DELETE, "countries.BBB.gdp"),
    ("defence required", ("countries", "BBB", "defence_pct_gdp"), DELETE, "countries.BBB.defence_pct_gdp"),
    ("debt with ceiling", ("countries", "AAA", "debt_pct_gdp"), DELETE, "countries.AAA.debt_pct_gdp"),
    ("social with cut limit", ("countries", "AAA", "social_pct_gdp"), DELETE, "countries.AAA.social_pct_gdp"),
    ("option origin", ("capabilities", "air", "national", 0, "origin"), DELETE, "capabilities.air.national[0].origin"),
    ("option unit_cost", ("capabilities", "air", "national", 0, "unit_cost"), DELETE, "capabilities.air.national[0].unit_cost"),
    ("programme origin", ("joint_programmes", "shield", "origin"), DELETE, "joint_programmes.shield.origin"),
    ("programme unit_cost", ("joint_programmes", "shield", "unit_cost"), DELETE, "joint_programmes.shield.unit_cost"),
    ("programme capability", ("joint_programmes", "shield", "capability"), DELETE, "joint_programmes.shield.capability"),
    ("programme capability exists", ("joint_programmes", "shield", "capability"), "naval", "joint_programmes.shield.capability"),
    ("common debt cap", ("common_debt", "cap"), DELETE, "common_debt.cap"),
    ("common debt pain weight", ("common_debt", "pain_weight"), DELETE, "common_debt.pain_weight"),
    ("gdp > 0", ("countries", "AAA", "gdp"), 0.0, "countries.AAA.gdp"),
    ("unit_cost > 0", ("capabilities", "air", "national", 1, "unit_cost"), 0.0, "capabilities.air.national[1].unit_cost"),
    ("programme unit_cost > 0", ("joint_programmes", "shield", "unit_cost"), -1.0, "joint_programmes.shield.unit_cost"),
    ("cost_factor > 0", ("countries", "AAA", "cost_factor"), 0.0, "countries.AAA.cost_factor"),
    ("reliability > 0", ("countries", "AAA", "reliability"), 0.0, "countries.AAA.reliability"),
    ("reliability <= 1", ("countries", "AAA", "reliability"), 1.2, "countries.AAA.reliability"),
    ("kappa <= 1", ("common_debt", "national_debt_share"), 1.5, "common_debt.national_debt_share"),
    ("kappa >= 0", ("common_debt", "national_debt_share"), -0.1, "common_debt.national_debt_share"),
    ("eu content > 0", ("common_debt", "min_eu_content_pct"), 0.0, "common_debt.min_eu_content_pct"),
    ("eu content <= 100", ("common_debt", "min_eu_content_pct"), 101.0, "common_debt.min_eu_content_pct"),
    ("pain width > 0", ("defaults", "pain", "tax"), [[0.0, 1.0], [None, 2.0]], "defaults.pain"),
    ("only last width null", ("defaults", "pain", "tax"), [[None, 1.0], [1.0, 2.0]], "defaults.pain"),
    ("weights >= 0", ("defaults", "pain", "debt"), [[None, -1.0]], "defaults.pain.debt"),
    ("weights non-decreasing", ("defaults", "pain", "tax"), [[1.0, 2.0], [None, 1.0]], "defaults.pain"),
    ("defence >= 0", ("countries", "AAA", "defence_pct_gdp"), -1.0, "countries.AAA.defence_pct_gdp"),
    ("debt >= 0", ("countries", "AAA", "debt_pct_gdp"), -5.0, "countries.AAA.debt_pct_gdp"),
    ("ceiling >= 0", ("countries", "AAA", "debt_ceiling_pct_gdp"), -5.0, "countries.AAA.debt_ceiling_pct_gdp"),
    ("borrowing >= 0", ("countries", "AAA", "borrowing_limit_pct_gdp"), -1.0, "countries.AAA.borrowing_limit_pct_gdp"),
    ("tax limit >= 0", ("countries", "AAA", "tax_limit_pct_gdp"), -1.0, "countries.AAA.tax_limit_pct_gdp"),
    ("cut limit >= 0", ("countries", "AAA", "social_cut_limit_pct"), -1.0, "countries.AAA.social_cut_limit_pct"),
    ("floor path >= 0", ("spending_floor_pct_gdp",), {2026: -1.0}, "spending_floor_pct_gdp"),
    ("country floor >= 0", ("countries", "BBB", "floor_pct_gdp"), -2.0, "countries.BBB.floor_pct_gdp"),
    ("ramp >= 0", ("countries", "BBB", "ramp_limit_pct_gdp"), -1.0, "countries.BBB.ramp_limit_pct_gdp"),
    ("discount >= 0", ("discount_rate_pct",), -1.0, "discount_rate_pct"),
    ("burden share >= 0", ("burden_share_min_pct",), -1.0, "burden_share_min_pct"),
    ("origin share >= 0", ("origin_min_share_pct",), {"us": -5.0}, "origin_min_share_pct.us"),
    ("growth > -100", ("countries", "AAA", "gdp_growth_pct"), -100.0, "countries.AAA.gdp_growth_pct"),
    ("penalty >= 0", ("capabilities", "air", "shortfall_penalty"), -1.0, "capabilities.air.shortfall_penalty"),
    ("target >= 0", ("capabilities", "air", "targets"), {2028: -1.0}, "capabilities.air.targets"),
    ("cap >= 0", ("common_debt", "cap"), -1.0, "common_debt.cap"),
    ("cap per year >= 0", ("common_debt", "cap_per_year"), -1.0, "common_debt.cap_per_year"),
    ("capacity >= 0", ("joint_programmes", "shield", "capacity_per_year"), -1.0, "joint_programmes.shield.capacity_per_year"),
    ("member cost >= 0", ("coalition_choice", "member_cost"), -1.0, "coalition_choice.member_cost"),
    ("lead time integer", ("capabilities", "air", "lead_time"), 1.5, "capabilities.air.lead_time"),
    ("lead time >= 0", ("joint_programmes", "shield", "lead_time"), -1, "joint_programmes.shield.lead_time"),
    ("min members integer", ("coalition_choice", "min_members"), 2.5, "coalition_choice.min_members"),
    ("min members >= 0", ("coalition_choice", "min_members"), -1, "coalition_choice.min_members"),
    ("years integers", ("years",), [2026.5, 2028], "years"),
    ("years quoted", ("years",), ["2026", 2028], "years"),
    ("target year in horizon", ("capabilities", "air", "targets"), {2030: 1.0}, "capabilities.air.targets.2030"),
    ("first <= last", ("years",), [2029, 2028], "years"),
    ("coalition member is a country", ("coalitions", "pair"), ["AAA", "XXX"], "coalitions.pair[1]"),
    ("all_except names countries", ("coalitions", "eu"), {"all_except": ["XXX"]}, "coalitions.eu.all_except[0]"),
    ("programme eligible countries", ("joint_programmes", "shield", "eligible"), ["ZZZ"], "joint_programmes.shield.eligible[0]"),
    ("facility eligible countries", ("common_debt", "eligible"), ["AAA", "ZZZ"], "common_debt.eligible[1]"),
    ("candidates are countries", ("coalition_choice", "candidates"), ["AAA", "QQQ"], "coalition_choice.candidates[1]"),
    ("required are countries", ("coalition_choice", "required"), ["QQQ"], "coalition_choice.required[0]"),
    ("forbidden are countries", ("coalition_choice", "forbidden"), ["QQQ"], "coalition_choice.forbidden[0]"),
    ("empty coalition", ("coalitions", "eu"), {"tags": ["nobody"]}, "coalitions.eu"),
    ("empty member list", ("coalitions", "pair"), [], "coalitions.pair"),
    ("all_except everyone", ("coalitions", "eu"), {"all_except": ["AAA", "BBB"]}, "coalitions.eu"),
    ("empty candidate set", ("coalition_choice", "candidates"), [], "coalition_choice.candidates"),
    ("chosen reserved", ("coalitions", "chosen"), "*", "coalitions.chosen"),
    ("two coalition forms", ("coalitions", "eu"), {"tags": ["eu"], "members": ["AAA"]}, "coalitions.eu"),
    ("unknown coalition form", ("coalitions", "eu"), {"everyone": True}, "coalitions.eu"),
    ("candidates names a coalition", ("coalition_choice", "candidates"), "nope", "coalition_choice.candidates"),
    ("required is a candidate", ("coalition_choice", "candidates"), ["BBB"], "coalition_choice.required[0]"),
    ("required not forbidden", ("coalition_choice", "forbidden"), ["AAA"], "coalition_choice.required[0]"),
    ("burden share 0 under choice", ("burden_share_min_pct",), 10.0, "burden_share_min_pct"),
    ("default coalition exists", ("default_coalition",), "nope", "default_coalition"),
    ("option ids unique", ("capabilities", "air", "national", 1, "id"), "us", "capabilities.air.national[1]"),
    ("misspelt field", ("countries", "AAA", "gdp_growht_pct"), 1.0, "countries.AAA.gdp_growht_pct"),
    ("misspelt top field", ("coalition",), "*", "coalition"),
    ("objective value", ("objective",), "min_pain", "objective"),
    ("bool field", ("countries", "AAA", "accepts_common_debt"), "maybe", "countries.AAA.accepts_common_debt"),
    ("quoted number", ("countries", "AAA", "gdp"), "100", "countries.AAA.gdp"),
    ("NaN rejected", ("countries", "AAA", "gdp"), float("nan"), "countries.AAA.gdp"),
    ("infinity rejected", ("countries", "AAA", "debt_ceiling_pct_gdp"), float("inf"), "countries.AAA.debt_ceiling_pct_gdp"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "path", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_rejected_with_path(tmp_path: Path, case, path, value, expected) -> None:
    doc = copy.deepcopy(BASE)
    if value is DELETE:
        _delete(doc, path)
    else:
        _set(doc, path, value)
    result, file = run_validate(tmp_path, dump(doc))
    assert result.exit_code == 2, f"{case}: exit {result.exit_code}\n{result.output}"
    assert expected in result.output, f"{case}: {expected!r} not in\n{result.output}"
    assert str(file) in result.output.replace("\n", "")
    assert "Traceback" not in result.output


def test_unbounded_candidate_is_named(tmp_path: Path) -> None:
    # BBB without its ramp limit: its tax and debt curves end unbounded with no tax limit,
    # borrowing limit or ceiling, so coalition choice has no bound U for it.
    doc = copy.deepcopy(BASE)
    del doc["countries"]["BBB"]["ramp_limit_pct_gdp"]
    result, _ = run_validate(tmp_path, dump(doc))
    assert result.exit_code == 2
    assert "countries.BBB" in result.output and "candidate BBB" in result.output
    # Forbidden candidates need a bound too (the spec: "required and forbidden ones included").
    doc["coalition_choice"]["forbidden"] = ["BBB"]
    result, _ = run_validate(tmp_path, dump(doc))
    assert result.exit_code == 2 and "candidate BBB" in result.output


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    doc = copy.deepcopy(BASE)
    doc["countries"]["AAA"]["gdp"] = -1.0
    doc["countries"]["BBB"]["reliability"] = 2.0
    doc["capabilities"]["air"]["national"][0]["unit_cost"] = 0.0
    result, _ = run_validate(tmp_path, dump(doc))
    assert result.exit_code == 2
    for path in (
        "countries.AAA.gdp",
        "countries.BBB.reliability",
        "capabilities.air.national[0].unit_cost",
    ):
        assert path in result.output
    assert "must be > 0" in result.output


BASE_TEXT = """\
name: raw
years: [2026, 2027]
defaults:
  pain: {tax: [[null, 1.0]]}
countries:
  AAA: {gdp: 100, defence_pct_gdp: 1.0}
  NOR: {gdp: 50, defence_pct_gdp: 2.0}
capabilities:
  air: {targets: {2027: 1}, national: [{origin: us, unit_cost: 1.0}]}
coalitions:
  all: "*"
"""


def test_duplicate_key_rejected_with_line(tmp_path: Path) -> None:
    text = BASE_TEXT.replace(
        "  NOR: {gdp: 50", "  AAA: {gdp: 1, defence_pct_gdp: 1}\n  NOR: {gdp: 50"
    )
    result, file = run_validate(tmp_path, text)
    assert result.exit_code == 2
    assert "duplicate key 'AAA'" in result.output
    assert f"{file}:7:" in result.output.replace("\n", "")


def test_unquoted_no_gets_quote_hint(tmp_path: Path) -> None:
    text = BASE_TEXT.replace('  all: "*"', '  all: "*"\n  north: [AAA, NO]')
    result, _ = run_validate(tmp_path, text)
    assert result.exit_code == 2
    flat = result.output.replace("\n", "")
    assert "coalitions.north[1]" in flat and "quote it" in flat and "NO" in flat


def test_numeric_country_id_gets_quote_hint(tmp_path: Path) -> None:
    text = BASE_TEXT.replace("  NOR: {gdp: 50", "  2026: {gdp: 50")
    result, _ = run_validate(tmp_path, text)
    assert result.exit_code == 2
    assert "quote it" in result.output.replace("\n", "")


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    text = BASE_TEXT.replace("  air: {targets", "  air: {targets: [1, 2}\n  sea: {targets")
    result, file = run_validate(tmp_path, text)
    assert result.exit_code == 2
    assert "YAML syntax error" in result.output
    assert f"{file}:9:" in result.output.replace("\n", "")


def test_quoted_year_key_rejected(tmp_path: Path) -> None:
    text = BASE_TEXT.replace("{targets: {2027: 1}", "{targets: {'2027': 1}")
    result, _ = run_validate(tmp_path, text)
    assert result.exit_code == 2
    assert "capabilities.air.targets" in result.output
    assert "unquoted" in result.output


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_top_level_must_be_mapping(tmp_path: Path) -> None:
    result, _ = run_validate(tmp_path, "- just\n- a list\n")
    assert result.exit_code == 2


def test_explicit_null_overrides_default(tmp_path: Path) -> None:
    """A country's `null` means "not given" and wins over `defaults` (then the builtin applies)."""
    from optimizer.instance import load_instance

    doc = copy.deepcopy(BASE)
    doc["defaults"]["gdp_growth_pct"] = 5.0
    doc["defaults"]["ramp_limit_pct_gdp"] = 0.7
    doc["ramp_limit_pct_gdp"] = 0.3
    doc["countries"]["AAA"]["gdp_growth_pct"] = None
    doc["countries"]["AAA"]["ramp_limit_pct_gdp"] = None
    doc["countries"]["AAA"]["pain"] = {"tax": None}
    doc["countries"]["BBB"]["pain"] = None
    del doc["countries"]["BBB"]["ramp_limit_pct_gdp"]
    path = tmp_path / "i.yaml"
    path.write_text(dump(doc))
    inst = load_instance(path)
    aaa, bbb = inst.countries["AAA"], inst.countries["BBB"]
    assert aaa.gdp_growth_pct == 0.0 and bbb.gdp_growth_pct == 5.0
    assert aaa.ramp_limit_pct_gdp == 0.3  # explicit null: the instance-level value applies
    assert bbb.ramp_limit_pct_gdp == 0.7  # from defaults
    assert set(aaa.pain) == {"debt"}  # tax: null removes it; debt merged from defaults
    assert bbb.pain == {}  # pain: null means no curve at all


def test_country_floor_replaces_instance_path(tmp_path: Path) -> None:
    from optimizer.derive import derive
    from optimizer.instance import load_instance

    doc = copy.deepcopy(BASE)
    doc["countries"]["BBB"]["floor_pct_gdp"] = {2027: 4.0}
    path = tmp_path / "i.yaml"
    path.write_text(dump(doc))
    derived = derive(load_instance(path))
    assert derived.floor_pct["AAA", 2027] == pytest.approx(2.5)  # instance path interpolated
    assert ("BBB", 2026) not in derived.floor_pct  # before its own first year: no floor
    assert derived.floor_pct["BBB", 2028] == 4.0  # after its last year: stays
