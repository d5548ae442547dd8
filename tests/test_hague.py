"""hague-2035.yaml: generated from the 2025 data, numbers traceable to their source rows.

The data folder is the repository's `data/` (with its `2025/` tables).
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest
import yaml

from burden_data import hague
from burden_data import nato as gen

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
COMMITTED = REPO / "instances" / hague.HAGUE_FILE


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / "2025" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def doc() -> dict:
    return hague.hague_document(DATA)


@pytest.fixture(scope="module")
def fx() -> float:
    return gen.implied_eur_per_usd(gen.read_countries(DATA / "countries.csv"))


# ---------------------------------------------------------------------------------------------
# Data flow
# ---------------------------------------------------------------------------------------------


def test_generator_is_deterministic_and_the_text_is_the_document(doc: dict) -> None:
    text = hague.render_hague(DATA)
    assert text == hague.render_hague(DATA)
    assert yaml.safe_load(text) == doc


def test_committed_instance_equals_a_fresh_build(tmp_path: Path) -> None:
    assert COMMITTED.exists(), "run: burden build-hague data --out instances/"
    fresh = hague.build_hague_instance(DATA, tmp_path)
    assert COMMITTED.read_bytes() == fresh.read_bytes(), (
        "hague-2035.yaml differs from a fresh build: rebuild with "
        "`burden build-hague data --out instances/ --force`"
    )


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    hague.build_hague_instance(DATA, tmp_path)
    with pytest.raises(FileExistsError):
        hague.build_hague_instance(DATA, tmp_path)
    hague.build_hague_instance(DATA, tmp_path, force=True)


def test_build_hague_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from optimizer.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["build-hague", str(DATA), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / hague.HAGUE_FILE).read_text() == hague.render_hague(DATA)
    again = runner.invoke(app, ["build-hague", str(DATA), "--out", str(tmp_path)])
    assert again.exit_code == 2 and "refusing to overwrite" in again.output
    missing = runner.invoke(app, ["build-hague", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert missing.exit_code == 2


def test_a_missing_source_row_is_an_error() -> None:
    import pandas as pd

    df = pd.DataFrame({"item": ["a"], "unit_cost": ["1"], "currency": ["EUR"]})
    with pytest.raises(hague.DataError, match="expected one row"):
        hague.cost(df, "b")


# ---------------------------------------------------------------------------------------------
# Numbers against their source rows
# ---------------------------------------------------------------------------------------------


def test_baseline_2025_column_choice(doc: dict) -> None:
    est = {r["iso3"]: r for r in _rows("nato_2025_estimates.csv")}
    countries = doc["countries"]
    for iso, row in est.items():
        if iso in ("ISL", "USA") or not (row[hague.SGAR] or row[hague.AUG]):
            continue
        expected = float(row[hague.SGAR] or row[hague.AUG])  # SGAR first, NOTES.md 1
        assert countries[iso]["defence_pct_gdp"] == expected, iso
    assert countries["POL"]["defence_pct_gdp"] == 4.3  # SGAR, not Aug-2025's 4.48
    assert countries["CZE"]["defence_pct_gdp"] == 2.0  # Aug-2025: not in the SG report
    assert countries["HUN"]["defence_pct_gdp"] == 2.1  # Aug-2025 (1 dp)
    assert countries["DEU"]["defence_pct_gdp"] == 2.4  # SGAR = Berlin's stated quota
    assert countries["ISL"]["defence_pct_gdp"] == 0.0


def test_every_ally_with_armed_forces_starts_at_two_percent(doc: dict) -> None:
    allies = [c for c, k in doc["countries"].items() if "nato" in k["tags"] and c != "ISL"]
    assert len(allies) == 31
    assert all(doc["countries"][c]["defence_pct_gdp"] >= 2.0 for c in allies)


def test_germany_reaches_its_quota_in_2029(doc: dict) -> None:
    de = doc["countries"]["DEU"]
    # linear from 2.4 in 2025 to 3.5 in 2029: 2.4 + 1.1 / 4 = 2.675 in 2026
    assert de["floor_pct_gdp"] == {2026: 2.675, 2029: 3.5}
    assert doc["spending_floor_pct_gdp"] == {2025: 2.0, 2035: 3.5}


def test_safe_as_allocated(doc: dict) -> None:
    rows = _rows("safe_allocations.csv")
    safe = doc["facilities"]["safe"]
    assert safe["allocations"] == {r["iso3"]: float(r["allocation_eur_bn"]) for r in rows}
    assert round(sum(safe["allocations"].values()), 2) == 150.01  # 150 up to rounding
    assert safe["cap"] == 150.0
    assert safe["min_eu_content_pct"] == 65.0
    assert safe["national_debt_share"] == 1.0
    assert safe["requires_unanimity"] is False
    fra = next(r for r in _rows("fiscal_rules.csv") if r["iso3"] == "FRA")
    rate = (float(fra["yield_10y_pct_sep2025"]) + float(fra["yield_10y_pct_snapshot_livedoor"])) / 2
    assert safe["interest_rate_pct"] == pytest.approx(rate, abs=1e-4)
    bonds = doc["facilities"]["defence_bonds"]
    assert bonds["requires_unanimity"] is True and bonds["national_debt_share"] == 0.0
    for c in ("DEU", "NLD", "DNK", "SWE"):
        assert doc["countries"][c]["accepts_common_debt"] is False


def test_escape_clause_limit_paths_end_in_2028(doc: dict) -> None:
    rules = _rows("fiscal_rules.csv")
    clause = [r["iso3"] for r in rules if r["escape_clause_requested"] == "yes"]
    assert len(clause) == 16
    for r in rules:
        c = r["iso3"]
        k = doc["countries"][c]
        after = round(min(1.5, max(0.0, 3.0 - k["deficit_pct_gdp"])), 4)
        if c in clause:
            assert k["borrowing_limit_pct_gdp"] == {2026: 1.5, 2028: 1.5, 2029: after}, c
            assert "escape_clause" in k["tags"]
        else:
            assert k["borrowing_limit_pct_gdp"] == after, c
        assert "debt_ceiling_pct_gdp" not in k  # the 60 % reference is not a ceiling (header)


def test_interest_is_the_ten_year_yield(doc: dict) -> None:
    rules = {r["iso3"]: r for r in _rows("fiscal_rules.csv")}
    median = statistics.median(
        float(r["yield_10y_pct_sep2025"]) for r in rules.values() if r["yield_10y_pct_sep2025"]
    )
    countries = doc["countries"]
    assert countries["DEU"]["interest_rate_pct"] == float(rules["DEU"]["yield_10y_pct_sep2025"])
    assert countries["ROU"]["interest_rate_pct"] == 6.69
    assert countries["IRL"]["interest_rate_pct"] == 2.964  # livedoor: no statranker value
    assert countries["GBR"]["interest_rate_pct"] == pytest.approx(median, abs=1e-4)


def test_capability_numbers_come_from_the_csv(doc: dict, fx: float) -> None:
    caps = doc["capabilities"]
    assert caps["brigades"]["targets"] == {2030: 25.0, 2035: 50.0}
    assert caps["brigades"]["running_cost"] == 1.0  # EUR 1000 m a year, Lithuania brigade
    assert caps["brigades"]["national"][0]["unit_cost"] == 6.0  # the EUR 6 bn other investment
    assert caps["tanks"]["targets"][2035] == 1400.0
    assert caps["tanks"]["national"][0]["unit_cost"] == pytest.approx(29.2e-3)
    assert doc["joint_programmes"]["leopard_framework"]["unit_cost"] == pytest.approx(22.9e-3)
    assert caps["ifvs"]["targets"][2035] == 2000.0
    assert caps["artillery"]["targets"][2035] == 700.0
    assert caps["artillery"]["national"][0]["unit_cost"] == pytest.approx(
        17.1 * fx / 1000, abs=1e-6
    )
    assert caps["shells"]["targets"][2035] == 1.0  # million
    assert caps["shells"]["national"][0] == {
        "id": "eu", "origin": "eu", "unit_cost": 8.0, "capacity_per_year": 1.0
    }  # fmt: skip
    assert doc["joint_programmes"]["nspa_shells"]["unit_cost"] == 5.0
    assert caps["air_defence"]["targets"][2035] == 24.0
    assert caps["air_defence"]["national"][0]["capacity_per_year"] == 12.0
    assert caps["interceptors"]["national"][0]["capacity_per_year"] == 650.0
    assert caps["combat_aircraft"]["targets"][2035] == 400.0
    assert caps["combat_aircraft"]["national"][0]["unit_cost"] == pytest.approx(
        82.5 * fx / 1000, abs=1e-6
    )
    assert caps["combat_aircraft"]["running_cost"] == pytest.approx(6.6 * fx / 1000, abs=1e-6)
    assert caps["destroyers"]["targets"] == {2035: 20.0}  # lead time 8: no 2030 point
    assert caps["destroyers"]["lead_time"] == 8


def test_joint_buying_is_cheaper_than_national(doc: dict) -> None:
    caps = doc["capabilities"]
    for key, p in doc["joint_programmes"].items():
        cheapest = min(o["unit_cost"] for o in caps[p["capability"]]["national"])
        assert p["unit_cost"] < cheapest, key


def test_full_cost_by_hand(fx: float) -> None:
    areas, _ = hague._areas_and_programmes(DATA, fx, ("DEU",))
    got = hague.full_cost(areas)
    # acquisition at the cheapest national price x the 2035 target (EUR bn):
    usd = fx / 1000
    acquisition = (
        50 * 6.0  # brigades
        + 1400 * 0.0292  # tanks
        + 2000 * round(0.0292 / 3, 6)  # IFVs
        + 700 * round(17.1 * usd, 6)  # artillery
        + 1.0 * 8.0  # shells
        + 24 * round(440 * usd, 6)  # air defence
        + 1536 * round(8.3 * usd, 6)  # interceptors
        + 400 * round(82.5 * usd, 6)  # aircraft
        + 20 * 1.18  # destroyers
    )
    assert got["acquisition"] == pytest.approx(acquisition, abs=1e-3)
    # at full strength: 50 brigades x 1 + 24 x 8 % of a battery + 400 x 6.6 USD m + 20 x 8 %
    running = 50 * 1.0 + 24 * round(0.08 * round(440 * usd, 6), 6)
    running += 400 * round(6.6 * usd, 6) + 20 * round(0.08 * 1.18, 6)
    assert got["running_per_year_at_full_strength"] == pytest.approx(running, abs=1e-3)


def test_every_ally_can_finance_its_floor_alone(doc: dict) -> None:
    # In the worst year (2035 for the Hague path; 2029 for Germany, then flat) the increase the
    # floor asks for must fit under the tax limit, the social-cut limit and the borrowing limit
    # after the clause; interest is small against the margins checked here (printed on failure).
    from optimizer.instance.resolved import path_value

    for c, k in doc["countries"].items():
        if c == "USA" or "nato" not in k["tags"] or k["defence_pct_gdp"] == 0:
            continue
        floor = k.get("floor_pct_gdp", doc["spending_floor_pct_gdp"])
        need = max(0.0, path_value(floor, 2035) - k["defence_pct_gdp"])
        cut = k.get("social_cut_limit_pct", 0.0) / 100 * k.get("social_pct_gdp", 0.0)
        room = k["tax_limit_pct_gdp"] + cut
        room += path_value(k["borrowing_limit_pct_gdp"], 2035)
        assert need < room - 0.2, (c, need, room)


def test_coalitions_and_alliance(doc: dict) -> None:
    co = doc["coalitions"]
    europe = co["europe_canada"]["members"]
    assert "USA" not in europe and len(europe) == 31
    assert set(europe) - set(co["willing"]["members"]) == {"HUN", "SVK"}
    assert set(europe) - set(co["no_frugal"]["members"]) == {"DEU", "NLD", "DNK", "SWE"}
    assert {"AUT", "CYP", "IRL", "MLT", "NOR", "GBR", "CAN"} <= set(co["eu_plus"]["members"])
    assert doc["alliance"] == {"all_except": ["USA"]}
    for c in ("AUT", "CYP", "IRL", "MLT", "ISL"):
        assert doc["countries"][c]["capability_share_pct"] == 0.0
    shares = [k.get("capability_share_pct", 0.0) for c, k in doc["countries"].items()]
    assert sum(shares) == pytest.approx(100.0, abs=1e-2)
    assert set(doc["scenarios"]) == {
        "hague", "capability", "spain-2.1", "no-joint", "bonds-open", "no-partners", "us-counts"
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Model version 2: validation and facts
# ---------------------------------------------------------------------------------------------


def test_instance_and_every_scenario_validate() -> None:
    from optimizer.instance.overrides import load_instance_with

    for scenario in [None, *yaml.safe_load(COMMITTED.read_text())["scenarios"]]:
        load_instance_with(COMMITTED, scenario=scenario)


def test_facts_2025() -> None:
    from burden_data.facts import facts_2025, format_facts_2025
    from optimizer.instance import load_instance

    facts = facts_2025(load_instance(COMMITTED))
    assert facts is not None
    assert facts["allies_at_2pct"] == facts["allies_with_armed_forces"] == 31
    assert facts["safe_total"] == 150.01
    assert len(facts["escape_clause"]) == 16
    assert facts["escape_clause_limits"]["POL"][2028] == 1.5
    assert "16 states" in format_facts_2025(facts)


# ---------------------------------------------------------------------------------------------
# Model version 2: every coalition and scenario solves (slow)
# ---------------------------------------------------------------------------------------------

SCENARIOS = [
    "hague",
    "capability",
    "spain-2.1",
    "no-joint",
    "bonds-open",
    "no-partners",
    "us-counts",
]


def _compare(out: Path, *args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from optimizer.cli import app

    result = CliRunner().invoke(
        app, ["compare", str(COMMITTED), "--out", str(out), "--no-report", *args]
    )
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> dict[str, Path]:
    """`burden compare` of every coalition (and `chosen`) in every scenario."""
    out = {}
    for scenario in SCENARIOS:
        folder = tmp_path_factory.mktemp(scenario)
        code, text = _compare(folder / "cmp", "--scenario", scenario)
        assert code in (0, 3), text  # 3: a coalition without a plan (explained below)
        out[scenario] = folder / "cmp"
    return out


def _table(folder: Path):
    import pandas as pd

    return pd.read_csv(folder / "comparison.csv")


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_coalition_solves_or_is_explained(compared: dict[str, Path], scenario: str) -> None:
    from typer.testing import CliRunner

    from optimizer.cli import app

    table = _table(compared[scenario])
    doc = yaml.safe_load(COMMITTED.read_text())
    assert set(doc["coalitions"]) | {"chosen"} == set(table["coalition"])
    for _, row in table.iterrows():
        if row["status"] == "optimal":
            continue
        args = ["explain", str(COMMITTED), "--coalition", row["coalition"], "--scenario", scenario]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 3 and result.output.strip(), (row["coalition"], result.output)


@pytest.mark.slow
def test_in_capability_most_targets_have_positive_marginal_pain(compared) -> None:
    import pandas as pd

    caps = pd.read_csv(compared["capability"] / "europe_canada" / "capabilities.csv")
    positive = (caps["marginal_pain"] > 1e-7).sum()
    assert positive > len(caps) / 2, caps


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["hague", "capability"])
def test_the_chosen_coalition_is_no_worse_than_any_named_one(compared, scenario: str) -> None:
    # the choice minimises total alliance pain + member_cost x members over every candidate set;
    # every named coalition is such a set (all of them lie in the alliance, the candidates)
    table = _table(compared[scenario]).set_index("coalition")
    cost = yaml.safe_load(COMMITTED.read_text())["coalition_choice"]["member_cost"]

    def value(name: str) -> float:
        row = table.loc[name]
        return row["total_pain"] + cost * len(str(row["members"]).split(";"))

    chosen = value("chosen")
    for name in table.index:
        if name != "chosen" and table.loc[name, "status"] == "optimal":
            assert chosen <= value(name) + 1e-6 * max(1.0, abs(value(name))), name
