"""The real-data instances: generated from data/countries.csv, never hand-edited.

The sourced data are part of the repository (`data/`), so every test here runs from a clone
alone: none skips for a missing file.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from burden_data import base_year_facts, build_nato_instances, level_prices
from burden_data import nato as gen
from optimizer.derive import derive
from optimizer.instance import Instance, load_instance

REPO = Path(__file__).resolve().parents[1]
CSV = REPO / "data" / "countries.csv"
INSTANCES = REPO / "instances"
FILES = [gen.NATO_FILE] + [gen.brussels_file(level) for level in gen.BRUSSELS_LEVELS]


def _path(name: str) -> Path:
    path = INSTANCES / name
    assert path.exists(), f"{path} missing: burden build-nato data/countries.csv --out instances/"
    return path


def _load(name: str) -> dict:
    return yaml.safe_load(_path(name).read_text(encoding="utf-8"))


def _resolved(name: str) -> Instance:
    return load_instance(_path(name))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fresh")
    build_nato_instances(CSV, out)
    return out


# ---------------------------------------------------------------------------------------------
# Data flow: deterministic, committed = generated, no silent overwrite
# ---------------------------------------------------------------------------------------------


def test_generator_is_deterministic(fresh: Path, tmp_path: Path) -> None:
    paths = build_nato_instances(CSV, tmp_path)
    assert [p.name for p in paths] == FILES
    for p in paths:
        assert p.read_bytes() == (fresh / p.name).read_bytes(), p.name


@pytest.mark.parametrize("name", FILES)
def test_committed_instances_equal_a_fresh_build(fresh: Path, name: str) -> None:
    committed = INSTANCES / name
    assert committed.exists(), f"{committed} missing: run burden build-nato"
    assert committed.read_bytes() == (fresh / name).read_bytes(), (
        f"{name} differs from a fresh build: do not edit it by hand; rebuild with "
        "`burden build-nato data/countries.csv --out instances/ --force`"
    )


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / gen.NATO_FILE).write_text("hand-made\n")
    with pytest.raises(FileExistsError, match="force"):
        build_nato_instances(CSV, tmp_path)
    # nothing was written: the check happens before any file is touched
    assert (tmp_path / gen.NATO_FILE).read_text() == "hand-made\n"
    assert not (tmp_path / gen.brussels_file(5.0)).exists()
    paths = build_nato_instances(CSV, tmp_path, force=True)
    assert all(p.exists() for p in paths)
    assert (tmp_path / gen.NATO_FILE).read_text() != "hand-made\n"


def test_emitted_text_is_the_document(fresh: Path) -> None:
    """The hand-written YAML reads back as exactly the document the generator built."""
    df = gen.read_countries(CSV)
    fx = gen.implied_eur_per_usd(df)
    doc, _ = gen._nato_document(df, fx)
    assert yaml.safe_load((fresh / gen.NATO_FILE).read_text()) == gen.plain(doc)


# ---------------------------------------------------------------------------------------------
# Coverage of the data
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_every_country_of_the_csv_is_there(name: str) -> None:
    df = pd.read_csv(CSV)
    inst = _load(name)
    assert list(inst["countries"]) == list(df["iso3"])  # all 36, in the CSV's order
    for _, row in df.iterrows():
        tags = set(inst["countries"][row["iso3"]]["tags"])
        assert ("nato" in tags) == bool(row["nato_member"]), row["iso3"]
        assert ("eu" in tags) == bool(row["eu_member"]), row["iso3"]
    non_allies = {c for c, v in inst["countries"].items() if "nato" not in v["tags"]}
    assert non_allies == {"AUT", "CYP", "IRL", "MLT"}
    assert sum("nato" in v["tags"] for v in inst["countries"].values()) == 32


def test_figures_come_from_the_csv() -> None:
    df = pd.read_csv(CSV).set_index("iso3")
    inst = _load(gen.NATO_FILE)
    fx = gen.implied_eur_per_usd(df.reset_index())
    assert 0.92 < fx < 0.93  # IMF 2024 average, EUR per USD
    for c, v in inst["countries"].items():
        row = df.loc[c]
        eur = row["gdp_2024_eur_bn_imf"]
        gdp24 = eur if not pd.isna(eur) else row["gdp_2024_usd_bn_imf"] * fx
        assert v["gdp"] == pytest.approx(gdp24 * (1 + v["gdp_growth_pct"] / 100), abs=0.006)
        nato = row["defence_pct_gdp_2024_nato"]
        expected = (
            (0.0 if pd.isna(nato) else nato)
            if row["nato_member"]
            else row["milex_pct_gdp_2024_sipri"]
        )
        assert v["defence_pct_gdp"] == pytest.approx(expected), c
        assert v["gov_expenditure_pct_gdp"] == row["gg_expenditure_pct_gdp_2024"]
        assert v["population_m"] == row["population_2024_m"]
    assert inst["countries"]["DEU"]["federal_budget"] == 502.5  # policy_facts 5.3


# ---------------------------------------------------------------------------------------------
# Facts reproduced from the instance
# ---------------------------------------------------------------------------------------------


def test_allies_at_two_percent_june_2024_vintage() -> None:
    facts = base_year_facts(_resolved(gen.NATO_FILE))
    assert facts["allies"] == 32
    assert facts["allies_with_armed_forces"] == 31
    assert facts["allies_at_2pct"] == 23  # NATO June-2024 estimate (policy_facts 2.4)
    assert set(facts["allies_below_2pct"]) == {
        "BEL", "CAN", "ESP", "HRV", "ITA", "LUX", "PRT", "SVN"
    }  # fmt: skip
    assert facts["allies_without_armed_forces"] == ["ISL"]


def test_germany_five_percent_of_its_federal_budget() -> None:
    facts = base_year_facts(_resolved(gen.NATO_FILE))
    de = facts["germany_5pct"]
    assert 40.0 <= de["share_pct"] <= 45.0  # Pistorius 42 %, Merz/dpa arithmetic 45 % (5.1-5.2)
    assert de["five_pct_of_gdp"] == pytest.approx(221.7, abs=0.5)


def test_final_year_spending_in_percent_of_government_expenditure() -> None:
    inst = _load(gen.NATO_FILE)
    facts = base_year_facts(_resolved(gen.NATO_FILE))
    assert facts["final_year"] == 2035
    rows = facts["final_year_spending"]
    assert set(rows) == set(inst["countries"])
    deu = rows["DEU"]
    assert deu["spending_pct_gdp"] == pytest.approx(3.5)
    assert deu["pct_of_gov_expenditure"] == pytest.approx(100 * 3.5 / 49.5, abs=0.01)
    assert rows["POL"]["spending_pct_gdp"] == pytest.approx(4.12)  # above the floor already
    assert rows["ISL"]["spending_pct_gdp"] == 0.0
    for c, row in rows.items():
        assert row["pct_of_gov_expenditure"] is not None and row["pct_of_gov_expenditure"] < 15, c


# ---------------------------------------------------------------------------------------------
# Modelling rules of the issue and MODEL.md
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_instances_are_valid(name: str) -> None:
    loader = pytest.importorskip("optimizer.instance")
    loader.load_instance(_path(name))  # raises InstanceError naming each bad field


@pytest.mark.parametrize("name", FILES)
def test_pain_curves_are_convex(name: str) -> None:
    inst = _resolved(name)
    for c, country in inst.countries.items():
        for source, curve in country.pain.items():
            widths = [segment.width_pct_gdp for segment in curve]
            weights = [segment.weight for segment in curve]
            assert all(w is None or w > 0 for w in widths), (c, source)
            assert all(w is not None for w in widths[:-1]), (c, source)
            assert weights == sorted(weights), (c, source)


def test_fiscal_rules() -> None:
    inst = _load(gen.NATO_FILE)
    for c, v in inst["countries"].items():
        tags = set(v["tags"])
        assert "tax_limit_pct_gdp" in v, c
        if "escape_clause" in tags:
            assert c in gen.ESCAPE_CLAUSE
            assert v["borrowing_limit_pct_gdp"] == 1.5 and "debt_ceiling_pct_gdp" not in v, c
        elif "eu" in tags:
            assert v["debt_ceiling_pct_gdp"] == 60.0, c
            assert v["borrowing_limit_pct_gdp"] == pytest.approx(
                min(1.5, max(0.0, 3.0 - v["deficit_pct_gdp"]))
            )
        else:
            assert "debt_ceiling_pct_gdp" not in v and v["borrowing_limit_pct_gdp"] == 1.0, c
    assert len([c for c, v in inst["countries"].items() if "escape_clause" in v["tags"]]) == 16
    safe = inst["common_debt"]
    assert safe["cap"] == 150.0 and safe["min_eu_content_pct"] == 65.0
    assert set(safe["eligible"]) == set(gen.EU27)
    refusing = {c for c, v in inst["countries"].items() if v.get("accepts_common_debt") is False}
    assert refusing == {"DEU", "NLD", "DNK", "SWE"}


def test_coalitions() -> None:
    inst = _load(gen.NATO_FILE)
    allies = [c for c, v in inst["countries"].items() if "nato" in v["tags"]]
    co = inst["coalitions"]
    assert co["nato"] == {"tags": ["nato"]}
    assert co["europe_canada"]["members"] == [c for c in allies if c != "USA"]
    assert set(co["eu_plus"]["members"]) == set(gen.EU27) | {"GBR", "NOR"}
    assert set(co["willing"]["members"]) == set(allies) - {"HUN", "SVK"}
    assert set(co["no_frugal"]["members"]) == set(allies) - {"DEU", "NLD", "DNK", "SWE"}
    assert inst["default_coalition"] == "nato"
    assert inst["coalition_choice"]["candidates"] in co
    assert len(inst["joint_programmes"]) >= 6
    assert set(inst["capabilities"]) == {
        "air_missile_defence", "long_range_fires", "ammunition", "land_brigades",
        "enablers_airlift", "isr_space", "naval", "cyber",
    }  # fmt: skip
    for area in inst["capabilities"].values():
        assert area["shortfall_penalty"] > 0  # soft targets: every coalition stays feasible
        assert {o["origin"] for o in area["national"]} <= {"us", "eu", "domestic"}


def test_every_candidate_has_a_bounded_increase() -> None:
    """Coalition choice needs a finite U for every candidate: here, a ramp limit everywhere."""
    assert _load(gen.NATO_FILE)["ramp_limit_pct_gdp"] is not None
    for c, country in _resolved(gen.NATO_FILE).countries.items():
        assert country.ramp_limit_pct_gdp is not None, c


def test_iceland_has_no_floor_and_no_increase() -> None:
    isl = _load(gen.NATO_FILE)["countries"]["ISL"]
    assert isl["defence_pct_gdp"] == 0.0
    assert isl["floor_pct_gdp"] == 0.0 and isl["ramp_limit_pct_gdp"] == 0.0


def test_every_member_can_finance_its_floor_alone() -> None:
    """Each year, the floor's increase fits the ramp and the national sources' limits (borrowing
    counted only where no debt ceiling applies): every coalition is feasible without SAFE."""
    inst = _resolved(gen.NATO_FILE)
    derived = derive(inst)
    for c, country in inst.countries.items():
        previous = 0.0
        for t in inst.years:
            g = derived.gdp[c, t]
            need = max(0.0, derived.floor_increase.get((c, t), 0.0))
            assert need - previous <= country.ramp_limit_pct_gdp / 100 * g + 1e-9, (c, t)
            previous = need
            capacity = country.tax_limit_pct_gdp / 100 * g
            if country.social_cut_limit_pct is not None:
                capacity += country.social_cut_limit_pct / 100 * derived.social_baseline[c, t]
            if country.debt_ceiling_pct_gdp is None:
                capacity += country.borrowing_limit_pct_gdp / 100 * g
            assert need <= capacity, (c, t, need, capacity)


@pytest.mark.parametrize("name", FILES)
def test_every_number_has_a_comment(name: str) -> None:
    """A line that sets a number carries a comment (source or 'assumption:'), or sits in a block
    whose comment lines precede it (the header tables are comments themselves)."""
    path = _path(name)
    bare = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.lstrip().startswith("#") or ":" not in line:
            continue
        key, value = line.split("#", 1)[0].split(":", 1)
        if key.strip() in ("name", "description", "unit"):  # text, not figures
            continue
        if re.search(r"\d", value) and "#" not in line:
            bare.append(f"{n}: {line}")
    assert not bare, "numbers without a comment:\n" + "\n".join(bare)


# ---------------------------------------------------------------------------------------------
# The price instances: the exact optimum by hand, checked against the reference solver
# ---------------------------------------------------------------------------------------------


def test_brussels_levels_and_prices() -> None:
    objectives = []
    for level in gen.BRUSSELS_LEVELS:
        inst = _load(gen.brussels_file(level))
        assert inst["years"] == list(gen.BRUSSELS_YEARS)
        prices = level_prices(_resolved(gen.brussels_file(level)))
        deu = prices["countries"]["DEU"]
        assert deu["level_pct_gdp"] == pytest.approx(max(level, 2.12))
        assert deu["pct_of_gov_expenditure"] == pytest.approx(100 * max(level, 2.12) / 49.5, 0.01)
        objectives.append(prices["objective"])
    assert objectives == sorted(objectives) and objectives[0] > 0  # dearer with the level


@pytest.mark.parametrize("level", gen.BRUSSELS_LEVELS)
def test_brussels_price_equals_the_reference_optimum(level: float) -> None:
    ref = pytest.importorskip("tests.reference.ref_model")
    path = _path(gen.brussels_file(level))
    result = ref.solve_reference(path)
    assert result["status"] == "optimal"
    prices = level_prices(load_instance(path))
    assert result["objective"] == pytest.approx(prices["objective"], rel=1e-7)
    last = gen.BRUSSELS_YEARS[1]
    values = result["values"]
    for c, row in prices["countries"].items():
        assert result["country_pain"][c] == pytest.approx(row["pain_discounted"], abs=2e-3), c
        # no two sources share a pain weight, so the funding mix is unique too
        for key, source in (("final_year_tax", "tax"), ("final_year_social", "soc")):
            assert values.get((source, c, last), 0.0) == pytest.approx(row[key], abs=2e-3), c
        assert values.get(("bor", c, last), 0.0) == pytest.approx(row["final_year_debt"], abs=2e-3)


@pytest.mark.parametrize("coalition", ["nato", "europe_canada", "eu_plus", "willing", "no_frugal"])
def test_nato_2035_is_feasible_for_every_coalition(coalition: str) -> None:
    ref = pytest.importorskip("tests.reference.ref_model")
    result = ref.solve_reference(_path(gen.NATO_FILE), coalition)
    assert result["status"] == "optimal"
    assert math.isfinite(result["objective"])
    drawn = sum(v for k, v in result["values"].items() if k[0] == "com")
    if coalition == "no_frugal":
        assert drawn > 1.0  # SAFE opens once the frugal members are out
    else:
        assert drawn == pytest.approx(0.0, abs=1e-6)  # a refusing frugal member keeps it shut


@pytest.mark.slow
def test_nato_2035_coalition_choice_solves() -> None:
    ref = pytest.importorskip("tests.reference.ref_model")
    result = ref.solve_reference(_path(gen.NATO_FILE))
    assert result["status"] == "optimal"
    assert not set(result["members"]) & {"USA", "AUT", "CYP", "IRL", "MLT"}
