"""Generate `hague-2035.yaml`: the real decision 2026-2035 on the 2025 data (model version 2).

`build_hague_instance(data_dir, out_dir)` reads `<data_dir>/countries.csv` (GDP, debt, deficits,
social spending, the June-2024 vintage) and the 2025 files of `<data_dir>/2025/` (NATO's 2025
estimates, SAFE allocations and terms, fiscal rules and 10-year yields, capability needs and
costs, joint-procurement evidence) and writes one instance:

* baseline 2025 from NATO's 2025 estimates (every ally with armed forces at >= 2 %);
* floors as paths (the Hague 3.5 % by 2035; Germany's own plan, 3.5 % in 2029);
* fiscal rules as limit paths (the national escape clause 2026-2028 for its 16 requesters, then
  the 3 % deficit reference), interest at each country's 10-year yield;
* two facilities: SAFE as allocated (no veto) and common defence bonds (any frugal member can
  veto, size an assumption);
* the alliance: Europe's allies and Canada, with the EU's non-NATO members as partners;
* capability targets in the units of `capability_needs.csv`, unit costs from
  `capability_costs.csv`, joint discounts from `joint_procurement_and_capacity.csv`;
* the scenarios `hague`, `capability`, `spain-2.1`, `no-joint`, `bonds-open`, `us-counts`.

Every number is looked up in a source row by the code below (a missing row is an error, not a
silent default) or is a named constant marked "assumption" whose reason is written next to it in
the file. The country block (GDP, debt, deficit, tax and social limits, pain curves) is the one
of `nato-2035.yaml` (`nato.country_data`), so the two instances differ only where 2025 data or
version-2 fields enter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from burden_data import nato
from burden_data.yamltext import N, emit, plain, wrap

HAGUE_FILE = "hague-2035.yaml"
YEARS = (2026, 2035)
BASE_YEAR = 2025

# =============================================================================================
# Floors (policy_facts 1.1-1.3, 1.8, 5.4)
# =============================================================================================

HAGUE_CORE_PCT = 3.5  # Hague declaration para 3: at least 3.5 % core defence by 2035 (1.2)
WALES_PCT = 2.0  # every ally with armed forces at >= 2 % in 2025 (NATO Aug 2025, policy_facts 2.6)
# Germany: Einzelplan 14 (+ Sondervermoegen) to EUR 152.8 bn by 2029, "the 3.5 % NATO quota
# targeted for 2029" (policy_facts 5.4); 2025 core budget EP14 62.4 + Sondervermoegen 24.06.
GERMANY_2029_EUR_BN = 152.8
GERMANY_QUOTA_YEAR = 2029
GERMANY_2025_BUDGET_EUR_BN = (62.4, 24.06)  # EP 14 (draft) + Sondervermoegen Bundeswehr (5.4)
SPAIN_PCT = 2.1  # Sanchez: Spain needs 2.1 %, "no more, no less" (policy_facts 1.8)

# =============================================================================================
# Fiscal rules and interest
# =============================================================================================

NON_EU_BORROWING_LIMIT_PCT = nato.NON_EU_BORROWING_LIMIT_PCT  # assumption, as in nato-2035
RAMP_LIMIT_PCT = nato.RAMP_LIMIT_PCT  # assumption, as in nato-2035
DISCOUNT_RATE_PCT = nato.DISCOUNT_RATE_PCT  # assumption, as in nato-2035

# =============================================================================================
# Facilities
# =============================================================================================

SAFE_PAIN = nato.COMMON_DEBT_PAIN  # assumption, as in nato-2035 (EU-rated, still debt)
SAFE_CAP_PER_YEAR = nato.SAFE_CAP_PER_YEAR  # assumption, as in nato-2035
# assumption: common defence bonds (no such instrument is adopted): EUR 300 bn over the decade,
# the order of the unmet SAFE demand (~EUR 190 bn requested for 150, safe_terms.csv) plus a
# second SAFE (considered Dec 2025) - swept by `burden sweep --param facilities.defence_bonds.cap`
BONDS_CAP = 300.0
BONDS_CAP_PER_YEAR = 50.0  # assumption: issued over about six years
# assumption: bonds are not the borrower's debt (national_debt_share 0) and the interest is
# serviced in common, so only a political cost remains: lower than SAFE's 0.4
BONDS_PAIN = 0.2
BONDS_MIN_EU_CONTENT_PCT = 65.0  # assumption: the same buy-European rule as SAFE
CHOICE_MEMBER_COST = 0.05  # assumption: a tiny coordination cost per member breaks ties

# =============================================================================================
# Coalitions
# =============================================================================================

NON_NATO_EU = ("AUT", "CYP", "IRL", "MLT")  # the EU's members outside NATO: partners
# SAFE's third-country participants that are allies (safe_terms.csv: Norway as EEA-EFTA on
# equal terms; the UK and Canada as Security and Defence Partnership states)
EU_PLUS_EXTRA = ("NOR", "GBR", "CAN")
# Nordic-Baltic Eight (NB8)
NORDIC_BALTIC = ("DNK", "EST", "FIN", "ISL", "LVA", "LTU", "NOR", "SWE")
# Weimar+ (Weimar triangle FRA, DEU, POL with ITA, ESP, GBR; ministers' format since 2024)
WEIMAR_PLUS = ("FRA", "DEU", "POL", "ITA", "ESP", "GBR")

# =============================================================================================
# Capabilities
# =============================================================================================

# assumption: Readiness 2030 (policy_facts 4.1: the EU's plan is named for 2030): half of each
# target by 2030 where the lead time allows it, all of it by 2035 (the Hague horizon)
MIDPOINT_YEAR, MIDPOINT_SHARE = 2030, 0.5
# assumption: a missing unit costs in pain 4x its national price plus ten years of running it:
# above every pain weight (<= 3), so buying beats falling short whenever money can be raised
SHORTFALL_FACTOR = 4.0
SHORTFALL_RUNNING_YEARS = 10
# assumption: the running cost of equipment is 8 % of its price a year (F-35A sustainment USD
# 6.6 m/yr on USD 82.5 m flyaway, capability_costs.csv, NOTES.md 4) where no own figure exists
UPKEEP_SHARE = 0.08
# assumption: two reloads of 32 interceptors (8 launchers x 4) for each long-range battery
INTERCEPTORS_PER_BATTERY = 64
# assumption: an IFV costs a third of a Leopard 2A8 (no CV90/Lynx price found, NOTES.md 4)
IFV_TO_TANK = 1 / 3
# assumption: the GEM-T plant's 1,000 missiles spread over four years
GEM_T_PER_YEAR = 250.0
# assumption: EU shell capacity (2.0 m a year end-2025) split half national, half pooled
SHELL_SPLIT = 0.5


class DataError(ValueError):
    """A source row the generator needs is missing or unreadable."""


# =============================================================================================
# Reading the 2025 files
# =============================================================================================


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    path = data_dir / "2025" / name
    if not path.is_file():
        raise DataError(f"{path}: not found (the 2025 tables of the data folder, data/2025/)")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _first_number(text: str, what: str) -> float:
    """The first number in a cell such as `~440` or `1400` (commas as thousands separators)."""
    match = _NUMBER.search(text.replace(",", ""))
    if not match:
        raise DataError(f"{what}: no number in {text!r}")
    return float(match.group())


def _row(df: pd.DataFrame, column: str, value: str, what: str) -> pd.Series:
    rows = df[df[column] == value]
    if len(rows) != 1:
        raise DataError(f"{what}: expected one row with {column} = {value!r}, found {len(rows)}")
    return rows.iloc[0]


@dataclass(frozen=True)
class Sourced:
    """A number and the text that says where it comes from."""

    value: float
    source: str


def cost(costs: pd.DataFrame, item: str) -> Sourced:
    """`unit_cost` of the capability_costs.csv row `item`, as written (its own currency/unit)."""
    row = _row(costs, "item", item, "capability_costs.csv")
    value = _first_number(row["unit_cost"], f"capability_costs.csv {item}")
    return Sourced(value, f"capability_costs.csv '{item}': {row['unit_cost']} {row['currency']}")


def need(needs: pd.DataFrame, item: str) -> Sourced:
    """`quantity` of the capability_needs.csv row `item`."""
    row = _row(needs, "item", item, "capability_needs.csv")
    value = _first_number(row["quantity"], f"capability_needs.csv {item}")
    return Sourced(
        value,
        f"capability_needs.csv '{item}': {row['quantity']} {row['unit']} ({row['source_org']})",
    )


def capacity(joint: pd.DataFrame, metric: str, year: str) -> Sourced:
    """`value` of a joint_procurement_and_capacity.csv row (metric and year)."""
    rows = joint[(joint["metric"] == metric) & (joint["year"] == year)]
    if len(rows) != 1:
        raise DataError(f"joint_procurement_and_capacity.csv: no single row {metric!r} {year!r}")
    row = rows.iloc[0]
    value = _first_number(row["value"], f"joint_procurement_and_capacity.csv {metric}")
    return Sourced(value, f"joint_procurement_and_capacity.csv '{metric}' {year}: {row['value']}")


def eu_parameter(params: pd.DataFrame, name: str) -> Sourced:
    """A value of fiscal_rules_eu_parameters.csv."""
    row = _row(params, "parameter", name, "fiscal_rules_eu_parameters.csv")
    value = _first_number(row["value"], name)
    return Sourced(
        value, f"fiscal_rules_eu_parameters.csv {name} = {row['value']} ({row['source']})"
    )


def safe_allocations(data_dir: Path) -> dict[str, float]:
    """SAFE pre-allocations, EUR bn, in the file's order (safe_allocations.csv)."""
    df = _read(data_dir, "safe_allocations.csv")
    return {r["iso3"]: float(r["allocation_eur_bn"]) for _, r in df.iterrows()}


def escape_clause_states(data_dir: Path) -> list[str]:
    """The requesters of the national escape clause (fiscal_rules.csv, in its order)."""
    df = _read(data_dir, "fiscal_rules.csv")
    return [r["iso3"] for _, r in df.iterrows() if r["escape_clause_requested"] == "yes"]


# =============================================================================================
# Baseline 2025
# =============================================================================================

SGAR = "defence_pct_gdp_2025_sgar_mar2026_1dp"
AUG = "defence_pct_gdp_2025_nato_aug2025"


def baseline_2025(row: pd.Series) -> Sourced:
    """Defence % of GDP 2025 of one ally (a row of nato_2025_estimates.csv).

    NOTES.md 1: "Use the Aug-2025 column as 'NATO Aug 2025'; prefer SGAR/2026 for the best
    current estimate". SGAR (NATO's annual report of 26 Mar 2026) is the later vintage and
    covers 29 of 31 allies with armed forces; Aug-2025 covers 24 (Germany only as a 2.00
    placeholder). So: SGAR where given, else the Aug-2025 estimate (CZE, HUN).
    """
    iso = row["iso3"]
    if row[SGAR]:
        value = float(row[SGAR])
        other = f"; Aug-2025 {row[AUG]}" if row[AUG] else "; no Aug-2025 value"
        return Sourced(value, f"NATO SG Annual Report 26 Mar 2026, 2025 (1 dp){other}")
    if row[AUG]:
        return Sourced(
            float(row[AUG]),
            f"NATO Aug-2025 estimate ({row['precision_aug2025']}); not in the SG report's list",
        )
    raise DataError(f"nato_2025_estimates.csv: no 2025 value for {iso}")


# =============================================================================================
# The document
# =============================================================================================


def _pct(x: float) -> float:
    return round(x, 4) + 0.0


def _floor_nodes(
    cds: list[nato.CountryData], base: dict[str, Sourced], gdp: dict[str, float]
) -> dict[str, N]:
    """Per country: the own floor path where it differs from the instance path."""
    out: dict[str, N] = {}
    for cd in cds:
        if cd.iso == "DEU":
            start = base["DEU"].value
            step = (HAGUE_CORE_PCT - start) / (GERMANY_QUOTA_YEAR - BASE_YEAR)
            g29 = gdp["DEU"] * (1 + cd.fields["gdp_growth_pct"].value / 100) ** (
                GERMANY_QUOTA_YEAR - BASE_YEAR
            )
            out["DEU"] = N(
                {YEARS[0]: _pct(start + step), GERMANY_QUOTA_YEAR: HAGUE_CORE_PCT},
                f"Germany's plan: 3.5 % NATO quota in {GERMANY_QUOTA_YEAR} (EP 14 to EUR "
                f"{GERMANY_2029_EUR_BN} bn = {100 * GERMANY_2029_EUR_BN / g29:.2f} % of the "
                f"model's {GERMANY_QUOTA_YEAR} GDP {g29:.0f}, the rest NATO-definition items "
                "outside EP 14, policy_facts 5.4), linear from 2025",
            )
    return out


def _limit_path(clause: bool, deficit: float, clause_cap: float, deficit_ref: float) -> Any:
    after = _pct(min(clause_cap, max(0.0, deficit_ref - deficit)))
    if not clause:
        return after
    return {YEARS[0]: clause_cap, 2028: clause_cap, 2029: after}


def _yield(row: pd.Series | None, fallback: float) -> tuple[float, str]:
    if row is not None and row["yield_10y_pct_sep2025"]:
        return float(
            row["yield_10y_pct_sep2025"]
        ), "10-y yield Sep 2025 (statranker, fiscal_rules.csv)"
    if row is not None and row["yield_10y_pct_snapshot_livedoor"]:
        return float(row["yield_10y_pct_snapshot_livedoor"]), (
            "10-y yield, livedoor/Jiji snapshot (fiscal_rules.csv; no statranker value)"
        )
    return fallback, (
        "assumption: no yield in the data; the median of the EU yields in fiscal_rules.csv "
        "(market yields of GBR/USA were higher, TUR's lira yield is not comparable)"
    )


def _capability_shares(isos: list[str], gdp: dict[str, float], zero: set[str]) -> dict[str, float]:
    """σ_c = 100 GDP_c / Σ GDP over the countries that carry a share (not `zero`)."""
    carrying = [c for c in isos if c not in zero]
    total = sum(gdp[c] for c in carrying)
    return {c: (0.0 if c in zero else round(100 * gdp[c] / total, 4)) for c in isos}


@dataclass(frozen=True)
class AreaSpec:
    """One capability area as written: every number with its source text."""

    key: str
    name: str
    unit: str
    target: Sourced
    lead_time: Sourced
    national: tuple[tuple[str, str, Sourced, Sourced | None], ...]  # (id, origin, cost, cap)
    running_cost: Sourced
    midpoint: bool
    basis: str


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    capability: str
    origin: str
    unit_cost: Sourced
    lead_time: Sourced
    capacity: Sourced | None
    eligible: tuple[str, ...] | None
    source: str


# The text of each capability area, in the file's order: key -> (name, unit, lead time in years,
# its source, half by the midpoint year, the target's basis). The numbers come from the data
# files (`_area_numbers`).
_AREA_TEXT: dict[str, tuple[str, str, int, str, bool, str]] = {
    "brigades": (
        "Armoured and mechanised brigades (formation without its heavy equipment)",
        "brigade",
        3,
        "Lithuania brigade: decided 2023-24, operational end-2027 (capability_costs.csv)",
        True,
        "Bruegel/Kiel (Feb 2025): 50 new brigades if the US withdraws (~250,000 of the 300,000 "
        "troops); reported NATO targets 82 -> 131 brigades (+49, capability_needs.csv)",
    ),
    "tanks": (
        "Main battle tanks",
        "tank",
        3,
        "Leopard 2A8: order May 2023 -> deliveries 2025-2026, 2-3.5 years "
        "(joint_procurement_and_capacity.csv lead_times)",
        True,
        "Bruegel/Kiel: at least 1,400 tanks (more than DEU, FRA, ITA and GBR hold together)",
    ),
    "ifvs": (
        "Infantry fighting vehicles",
        "IFV",
        3,
        "CV90 MkIV Nordic: contract early 2026 -> deliveries 2028, ~2-3 years",
        True,
        "Bruegel/Kiel: at least 2,000 IFVs",
    ),
    "artillery": (
        "Artillery (guns and launchers)",
        "gun or launcher",
        2,
        "assumption: K9 deliveries to Poland began within a year; 2 years for a European gun",
        True,
        "Bruegel/Kiel: at least 700 artillery pieces",
    ),
    "shells": (
        "155 mm ammunition stock",
        "million shells",
        2,
        "NSPA order: 24-36 months (joint_procurement_and_capacity.csv lead_times)",
        True,
        "Bruegel/Kiel: 1 million 155 mm shells (90 days of high-intensity combat, a stock, "
        "NOTES.md 4)",
    ),
    "air_defence": (
        "Long-range air and missile defence",
        "battery (fire unit, first load)",
        3,
        "Patriot: ~3 years order to delivery (joint_procurement_and_capacity.csv)",
        True,
        "IISS (May 2025): 24 long-range SAM systems to replace the US; NATO: +400 % air and "
        "missile defence (Rutte, capability_needs.csv; base not published)",
    ),
    "interceptors": (
        "Long-range interceptors (reloads)",
        "missile",
        3,
        "GEM-T European plant: contract 2024-25, first deliveries 2027",
        True,
        "no published count; derived from the air-defence target (assumption above)",
    ),
    "combat_aircraft": (
        "Tactical combat aircraft",
        "aircraft",
        3,
        "assumption: a production lot is delivered about 3 years after order",
        True,
        "IISS: 400 tactical combat aircraft (its most expensive line item)",
    ),
    "destroyers": (
        "Destroyers and frigates",
        "ship",
        8,
        "Type 212CD: contract 2021 -> first boat 2029, 8 years (capability_costs.csv)",
        False,
        "IISS: 20 destroyers",
    ),
}

# capability_needs.csv rows of the targets counted in units as written
_NEED_ROWS = {
    "brigades": "new mechanised/armoured brigades",
    "tanks": "main battle tanks (minimum)",
    "ifvs": "infantry fighting vehicles (minimum)",
    "artillery": "artillery pieces (minimum)",
    "air_defence": "long-range surface-to-air missile systems",
    "combat_aircraft": "tactical combat aircraft",
    "destroyers": "destroyers",
}

_IN_BRIGADE = "running cost inside the brigade's EUR 1 bn a year (not counted twice)"
_A_STOCK = "assumption: a stock; storage cost neglected"
_M = 1e-3  # EUR m -> EUR bn

_Option = tuple[str, str, Sourced, Sourced | None]  # (id, origin, cost, capacity per year)


class _Prices:
    """The 2025 cost, need and capacity tables with the conversions every area uses."""

    def __init__(self, data_dir: Path, fx: float) -> None:
        self.costs = _read(data_dir, "capability_costs.csv")
        self.needs = _read(data_dir, "capability_needs.csv")
        self.joint = _read(data_dir, "joint_procurement_and_capacity.csv")
        self.fx = fx
        # joint discount: the Leopard 2A8 larger lot (same product, same year, same buyer's
        # framework) is the most like-for-like evidence: 29.2 -> 22.9 (NOTES.md 4: "~22 % lower")
        self.leo_small = self.cost("Leopard 2A8 MBT (first lot)")
        self.leo_large = self.cost("Leopard 2A8 MBT (option lot)")
        self.lot_ratio = self.leo_large.value / self.leo_small.value
        self.lot_text = (
            f"x {self.lot_ratio:.4f} = Leopard 2A8 option lot / first lot ({self.leo_large.value}"
            f" / {self.leo_small.value}, capability_costs.csv; the larger-lot evidence in "
            "joint_procurement_and_capacity.csv)"
        )

    def cost(self, item: str) -> Sourced:
        return cost(self.costs, item)

    def need(self, item: str) -> Sourced:
        return need(self.needs, item)

    def capacity(self, metric: str, year: str) -> Sourced:
        return capacity(self.joint, metric, year)

    def usd(self, s: Sourced, scale: float) -> Sourced:
        return Sourced(
            round(s.value * self.fx * scale, 6),
            f"{s.source} x {self.fx:g} EUR/USD (IMF 2024 rate)",
        )

    def usd_proxy(self, s: Sourced, text: str) -> _Option:
        """A European option priced as the US one (EUR m -> bn), `text` saying why."""
        return ("eu", "eu", Sourced(round(s.value * self.fx * _M, 6), text), None)

    def eur(self, s: Sourced, scale: float) -> Sourced:
        return Sourced(round(s.value * scale, 6), s.source)

    def pooled(self, s: Sourced) -> Sourced:
        return Sourced(round(s.value * self.lot_ratio, 6), f"national price {self.lot_text}")

    def ifv_price(self) -> Sourced:
        return Sourced(
            round(self.leo_small.value * _M * IFV_TO_TANK, 6),
            f"assumption: {IFV_TO_TANK:.3f} x the Leopard 2A8 first-lot price (no CV90/Lynx price "
            "in capability_costs.csv, NOTES.md 4)",
        )

    def shell_capacity(self) -> Sourced:
        return self.capacity("EU 155mm shell production capacity", "end 2025 (target/claim)")


def _area(key: str, target: Sourced, national: tuple[_Option, ...], running: Sourced) -> AreaSpec:
    name, unit, lead_years, lead_text, midpoint, basis = _AREA_TEXT[key]
    lead = Sourced(float(lead_years), lead_text)
    return AreaSpec(key, name, unit, target, lead, national, running, midpoint, basis)


def _brigade_option(p: _Prices) -> tuple[tuple[_Option, ...], Sourced]:
    """A brigade's own price and yearly running cost."""
    item = "German brigade Lithuania (Panzerbrigade 45) - one-off"
    setup = p.cost(item)
    basis = _row(p.costs, "item", item, "")["unit_cost_basis"]
    # the set-up's "EUR 4 bn major equipment + EUR 6 bn other investment + 1 bn/yr operating":
    # the major equipment is counted in the tank, IFV and artillery areas, so a brigade's own
    # price is the other investment (barracks, vehicles, command and support)
    other = _first_number(basis.split("+")[1], "brigade other investment")
    price = Sourced(
        other,
        f"{setup.source}: basis '{basis}' -> the EUR {other:g} bn other investment (its major "
        "equipment is in the tank, IFV and artillery areas); upper bound: includes stationing "
        "abroad",
    )
    running = p.eur(p.cost("German brigade Lithuania - yearly operating cost"), _M)
    return (("national", "domestic", price, None),), running


def _land_areas(p: _Prices) -> list[AreaSpec]:
    brigade, brigade_running = _brigade_option(p)
    k9 = p.cost("K9 155mm SPH (Poland 2nd executive contract)")
    in_brigade = Sourced(0.0, _IN_BRIGADE)
    return [
        _area("brigades", p.need(_NEED_ROWS["brigades"]), brigade, brigade_running),
        _area(
            "tanks",
            p.need(_NEED_ROWS["tanks"]),
            (("leopard_2a8", "eu", p.eur(p.leo_small, _M), None),),
            in_brigade,
        ),
        _area("ifvs", p.need(_NEED_ROWS["ifvs"]), (("eu", "eu", p.ifv_price(), None),), in_brigade),
        _area(
            "artillery",
            p.need(_NEED_ROWS["artillery"]),
            (
                ("k9", "kor", p.usd(k9, _M), None),
                p.usd_proxy(
                    k9, "assumption: the K9 price (no CAESAR/PzH 2000 price found, NOTES.md 4)"
                ),
            ),
            in_brigade,
        ),
    ]


def _shells_area(p: _Prices) -> AreaSpec:
    market = p.cost("155mm shell 2023-24 (NATO MC chair Bauer / Politico)")
    stock = p.need("155 mm shells")
    cap = p.shell_capacity()
    option = (
        "eu",
        "eu",
        Sourced(market.value * 1e-3, f"{market.source} -> EUR bn per million"),
        Sourced(
            cap.value / 1e6 * SHELL_SPLIT,
            f"{cap.source} x {SHELL_SPLIT} (assumption: half contracted nationally, half pooled)",
        ),
    )
    return _area(
        "shells", Sourced(stock.value / 1e6, stock.source), (option,), Sourced(0.0, _A_STOCK)
    )


def _air_defence_areas(p: _Prices) -> list[AreaSpec]:
    ad_us = p.usd(p.cost("Patriot batteries Switzerland (FMS approval)"), _M)
    fire_units = p.capacity("Patriot fire unit production", "2024-2025")
    patriot = (
        "patriot",
        "us",
        ad_us,
        Sourced(
            fire_units.value, f"{fire_units.source} (world production: an upper bound for Europe)"
        ),
    )
    eu_text = (
        "assumption: the Patriot price (SAMP/T NG price not found; IRIS-T SLM fire-unit count "
        "undisclosed, NOTES.md 4)"
    )
    upkeep = Sourced(
        round(UPKEEP_SHARE * ad_us.value, 6),
        f"{UPKEEP_SHARE:g} x price a year (F-35 sustainment ratio, capability_costs.csv "
        "running_costs)",
    )
    air_defence = _area(
        "air_defence",
        p.need(_NEED_ROWS["air_defence"]),
        (patriot, ("eu", "eu", Sourced(ad_us.value, eu_text), None)),
        upkeep,
    )
    pac3 = p.cost("PAC-3 MSE interceptor (Germany FMS)")
    pac3_cap = p.capacity("PAC-3 MSE production", "2024")
    reloads = Sourced(
        air_defence.target.value * INTERCEPTORS_PER_BATTERY,
        f"assumption: {INTERCEPTORS_PER_BATTERY} per battery of the air-defence target "
        f"({air_defence.target.value:g}): two reloads of 8 launchers x 4",
    )
    cap = Sourced(pac3_cap.value, f"{pac3_cap.source} (world production by 2027: an upper bound)")
    interceptors = _area(
        "interceptors", reloads, (("pac3_mse", "us", p.usd(pac3, _M), cap),), Sourced(0.0, _A_STOCK)
    )
    return [air_defence, interceptors]


def _aircraft_and_ships(p: _Prices) -> list[AreaSpec]:
    f35 = p.cost("F-35A flyaway (Lots 15-17 average)")
    aircraft = _area(
        "combat_aircraft",
        p.need(_NEED_ROWS["combat_aircraft"]),
        (
            ("f35a", "us", p.usd(f35, _M), None),
            p.usd_proxy(
                f35,
                "assumption: the F-35A flyaway price (no Rafale/Eurofighter price in "
                "capability_costs.csv)",
            ),
        ),
        p.usd(p.cost("F-35A annual sustainment per aircraft (USAF)"), _M),
    )
    sub = p.cost("Type 212CD submarine (German option 4 boats)")
    ship = Sourced(
        sub.value,
        f"{sub.source}: the only warship price in the data (F126/FDI/Type 31 not found): a proxy, "
        "likely low for a destroyer",
    )
    ships = _area(
        "destroyers",
        p.need(_NEED_ROWS["destroyers"]),
        (("eu", "eu", ship, None),),
        Sourced(round(UPKEEP_SHARE * sub.value, 6), f"{UPKEEP_SHARE:g} x price a year"),
    )
    return [aircraft, ships]


# The joint programmes, in the file's order: key -> (name, area, origin, lead time in years, its
# source, eligible members (None: every coalition member; "nspa": every ally), source). Prices
# and capacities come from the data files (`_programme_numbers`).
_PROGRAMME_TEXT: dict[str, tuple[str, str, str, int, str, Any, str]] = {
    "leopard_framework": (
        "Leopard 2A8 framework (BAAINBw, open to partners)",
        "tanks",
        "eu",
        3,
        "as the national tank option",
        None,
        "framework of May 2023 for up to 123 tanks, usable by partners (CZE, NLD, LTU, ITA "
        "interested; capability_costs.csv): open to every coalition member",
    ),
    "cv90_nordic": (
        "CV90 MkIV Nordic joint buy",
        "ifvs",
        "eu",
        3,
        "contract early 2026 -> deliveries 2028",
        ("FIN", "SWE", "NOR", "LTU", "EST", "NLD"),
        "collaborative (FIN SWE NOR LTU EST NLD), capability_costs.csv",
    ),
    "pooled_artillery": (
        "Pooled European artillery buy",
        "artillery",
        "eu",
        3,
        "assumption: the national lead time plus a year of coordination",
        None,
        "assumption: no artillery programme in the data; a pooled buy open to every member",
    ),
    "nspa_shells": (
        "NSPA multinational 155 mm order",
        "shells",
        "eu",
        2,
        "NSPA order: 24-36 months",
        "nspa",
        "NSPA order of Jan 2024 (capability_costs.csv): NSPA buys for any ally",
    ),
    "sky_shield": (
        "European Sky Shield Initiative (pooled long-range layer)",
        "air_defence",
        "eu",
        4,
        "assumption: national lead time + 1",
        nato.PROGRAMMES[0].eligible,
        "ESSI participants as in nato-2035 (" + nato.PROGRAMMES[0].source[:80] + "...)",
    ),
    "nspa_gem_t": (
        "GEM-T interceptors from the European plant (NSPA/COMLOG)",
        "interceptors",
        "eu",
        3,
        "first deliveries 2027 (2024-25 order)",
        "nspa",
        "collaborative (DEU NLD ESP + European plant), capability_costs.csv; "
        "NSPA buys for any ally",
    ),
}


def _programme_numbers(p: _Prices) -> dict[str, tuple[Sourced, Sourced | None]]:
    """Per programme: its unit cost and capacity per year (None: no limit)."""
    k9 = p.cost("K9 155mm SPH (Poland 2nd executive contract)")
    nspa = p.cost("155mm shell NATO NSPA multinational order")
    shell_cap = p.shell_capacity()
    ad_us = p.usd(p.cost("Patriot batteries Switzerland (FMS approval)"), _M)
    gemt = p.cost("Patriot GEM-T interceptors (DEU NLD ESP + European plant)")
    return {
        "leopard_framework": (p.eur(p.leo_large, _M), None),
        "cv90_nordic": (p.pooled(p.ifv_price()), None),
        "pooled_artillery": (
            p.pooled(Sourced(round(k9.value * p.fx * _M, 6), "the eu gun price")),
            None,
        ),
        "nspa_shells": (
            Sourced(
                nspa.value * 1e-3,
                f"{nspa.source} -> EUR bn per million "
                "(~37 % below the EUR 8,000 quote, joint_procurement_and_capacity.csv)",
            ),
            Sourced(
                shell_cap.value / 1e6 * (1 - SHELL_SPLIT),
                f"{shell_cap.source} x {1 - SHELL_SPLIT:g} (assumption: the pooled half)",
            ),
        ),
        "sky_shield": (p.pooled(ad_us), None),
        "nspa_gem_t": (
            p.eur(gemt, _M),
            Sourced(GEM_T_PER_YEAR, "assumption: up to 1,000 missiles over about four years"),
        ),
    }


def _programmes(p: _Prices, allies: tuple[str, ...]) -> list[ProgrammeSpec]:
    numbers = _programme_numbers(p)
    out = []
    for key, (name, area, origin, lead, lead_text, eligible, source) in _PROGRAMME_TEXT.items():
        unit_cost, cap = numbers[key]
        members = allies if eligible == "nspa" else eligible  # NSPA buys for any ally
        lead_time = Sourced(float(lead), lead_text)
        out.append(
            ProgrammeSpec(key, name, area, origin, unit_cost, lead_time, cap, members, source)
        )
    return out


def _areas_and_programmes(
    data_dir: Path, fx: float, allies: tuple[str, ...]
) -> tuple[list[AreaSpec], list[ProgrammeSpec]]:
    """The capability areas and joint programmes, priced from the 2025 tables of `data_dir`."""
    p = _Prices(data_dir, fx)
    areas = [
        *_land_areas(p),
        _shells_area(p),
        *_air_defence_areas(p),
        *_aircraft_and_ships(p),
    ]
    return areas, _programmes(p, allies)


def _area_node(area: AreaSpec) -> N:
    targets: dict[int, float] = {}
    full = area.target.value
    if area.midpoint:
        targets[MIDPOINT_YEAR] = round(full * MIDPOINT_SHARE, 6)
    targets[YEARS[1]] = full
    max_cost = max(opt[2].value for opt in area.national)
    penalty = round(
        SHORTFALL_FACTOR * (max_cost + SHORTFALL_RUNNING_YEARS * area.running_cost.value), 6
    )
    options = []
    for oid, origin, price, cap in area.national:
        body: dict[str, Any] = {"id": oid, "origin": origin, "unit_cost": price.value}
        note = price.source
        if cap is not None:
            body["capacity_per_year"] = cap.value
            note += f"; capacity: {cap.source}"
        options.append(N(body, above=tuple(wrap(note, 88))))
    body_map: dict[str, Any] = {
        "name": N(area.name),
        "unit": N(area.unit),
        "lead_time": N(int(area.lead_time.value), area.lead_time.source),
        "targets": N(
            targets,
            f"{full:g} by {YEARS[1]}: {area.target.source}"
            + (f"; assumption: half by {MIDPOINT_YEAR} (Readiness 2030)" if area.midpoint else ""),
        ),
        "shortfall_penalty": N(
            penalty,
            f"assumption: {SHORTFALL_FACTOR:g} x (dearest price + {SHORTFALL_RUNNING_YEARS} "
            "years of running cost): a soft target bought whenever money can be raised",
        ),
        "running_cost": N(area.running_cost.value, area.running_cost.source),
        "national": N(options, block=True),
    }
    return N(body_map, above=tuple(wrap("Target basis: " + area.basis, 92)), blank=True)


def _programme_node(p: ProgrammeSpec, members: set[str]) -> N:
    body: dict[str, Any] = {
        "name": N(p.name),
        "capability": N(p.capability),
        "origin": N(p.origin),
        "unit_cost": N(p.unit_cost.value, None),
        "lead_time": N(int(p.lead_time.value), p.lead_time.source),
    }
    if p.capacity is not None:
        body["capacity_per_year"] = N(p.capacity.value, None)
    if p.eligible is not None:
        body["eligible"] = N([c for c in p.eligible if c in members], "participants (source above)")
    above = wrap("Source: " + p.source, 92) + wrap("unit_cost: " + p.unit_cost.source, 92)
    if p.capacity is not None:
        above += wrap("capacity_per_year: " + p.capacity.source, 92)
    return N(body, above=tuple(above), blank=True)


def full_cost(areas: list[AreaSpec], years: tuple[int, int] = YEARS) -> dict[str, float]:
    """The targets' cost at national prices: acquisition once, running from delivery to `years[1]`.

    Each unit is taken as bought as late as its target allows (the midpoint share delivered in
    the midpoint year, the rest in the final year), so the running cost is a lower bound of what
    the plan carries; `per_year` divides the total by the horizon's length.
    """
    acquisition = running = 0.0
    for area in areas:
        price = min(opt[2].value for opt in area.national)
        full = area.target.value
        acquisition += price * full
        if area.midpoint:
            half = full * MIDPOINT_SHARE
            running += area.running_cost.value * (
                half * (years[1] - MIDPOINT_YEAR + 1) + (full - half) * 1
            )
        else:
            running += area.running_cost.value * full
    total = acquisition + running
    run_full = sum(a.running_cost.value * a.target.value for a in areas)
    return {
        "acquisition": round(acquisition, 3),
        "running_to_horizon": round(running, 3),
        "total": round(total, 3),
        "per_year": round(total / (years[1] - years[0] + 1), 3),
        "running_per_year_at_full_strength": round(run_full, 3),
    }


@dataclass(frozen=True)
class _Rules:
    """The 2025 fiscal-rule, SAFE and yield inputs of the document."""

    est: pd.DataFrame  # nato_2025_estimates.csv by iso3
    rules: pd.DataFrame  # fiscal_rules.csv by iso3
    alloc: dict[str, float]
    clause: set[str]
    clause_cap: Sourced
    deficit_ref: Sourced
    debt_ref: Sourced
    de_threshold: Sourced
    clause_years: str
    envelope: float
    content: str
    min_content: float
    median_yield: float
    eu_rate: float


def _read_rules(data_dir: Path) -> _Rules:
    rules = _read(data_dir, "fiscal_rules.csv").set_index("iso3", drop=False)
    params = _read(data_dir, "fiscal_rules_eu_parameters.csv")
    terms = _read(data_dir, "safe_terms.csv")
    clause_years = _row(params, "parameter", "national_escape_clause_years", "")["value"]
    if clause_years != "2025-2028":
        raise DataError(f"escape clause years {clause_years!r}: the limit paths assume 2025-2028")
    content = _row(terms, "parameter", "eu_content_rule", "")["value"]
    yields = [float(v) for v in rules["yield_10y_pct_sep2025"] if v]
    fra = rules.loc["FRA"]
    return _Rules(
        est=_read(data_dir, "nato_2025_estimates.csv").set_index("iso3", drop=False),
        rules=rules,
        alloc=safe_allocations(data_dir),
        clause=set(escape_clause_states(data_dir)),
        clause_cap=eu_parameter(params, "national_escape_clause_cap_pct_gdp"),
        deficit_ref=eu_parameter(params, "eu_deficit_reference_pct_gdp"),
        debt_ref=eu_parameter(params, "eu_debt_reference_pct_gdp"),
        de_threshold=eu_parameter(params, "germany_debt_brake_defence_exemption_threshold_pct_gdp"),
        clause_years=clause_years,
        envelope=_first_number(_row(terms, "parameter", "total_envelope_eur_bn", "")["value"], ""),
        content=content,
        min_content=_first_number(content, "eu_content_rule"),  # ">=65% of component cost ..."
        median_yield=round(float(pd.Series(yields).median()), 4),
        eu_rate=round(
            (float(fra["yield_10y_pct_sep2025"]) + float(fra["yield_10y_pct_snapshot_livedoor"]))
            / 2,
            4,
        ),  # fmt: skip
    )


def _borrowing_node(cd: nato.CountryData, r: _Rules) -> N:
    """borrowing_limit_pct_gdp: the escape clause's path, the deficit headroom, or outside the
    EU the assumption of nato-2035."""
    if not cd.eu:
        return N(
            NON_EU_BORROWING_LIMIT_PCT,
            "assumption: no EU rule binds; ~1 % of GDP a year of extra borrowing tolerated "
            "(as nato-2035)",
        )
    deficit = float(cd.fields["deficit_pct_gdp"].value)
    cap, ref = r.clause_cap.value, r.deficit_ref.value
    in_clause = cd.iso in r.clause
    path = _limit_path(in_clause, deficit, cap, ref)
    if not in_clause:
        return N(
            path,
            f"no escape clause: min({cap:g}, max(0, {ref:g} - deficit {deficit:g})), "
            "headroom under the 3 % reference every year",
        )
    text = (
        f"escape clause (requested, fiscal_rules.csv): {cap:g} % a year to 2028, then "
        f"min({cap:g}, max(0, {ref:g} - deficit {deficit:g}))"
    )
    if cd.iso == "DEU":
        text += (
            f"; the debt brake exempts defence above {r.de_threshold.value:g} % of "
            "GDP (no upper limit): the whole increase is exempt, the EU rule binds"
        )
    return N(path, text)


def _german_baseline(base: Sourced, gdp: float) -> N:
    core = sum(GERMANY_2025_BUDGET_EUR_BN)
    return N(
        base.value,
        f"{base.source}; 2025 budget: EP 14 {GERMANY_2025_BUDGET_EUR_BN[0]} + "
        f"Sondervermoegen {GERMANY_2025_BUDGET_EUR_BN[1]} = {core:.2f} bn = "
        f"{100 * core / gdp:.2f} % of GDP, NATO's definition adds pensions and "
        "Ukraine aid (policy_facts 5.4); Berlin's stated quota 2.4",
    )


@dataclass(frozen=True)
class _Shares:
    """What the per-country fields need besides the country: baselines, floors, shares."""

    base: dict[str, Sourced]
    gdp: dict[str, float]
    own_floor: dict[str, N]
    no_share: set[str]
    sigma: dict[str, float]


def _set_country_fields(cd: nato.CountryData, r: _Rules, s: _Shares) -> None:
    """Overwrite and add the fields in which hague-2035 differs from nato-2035's countries."""
    f, iso = cd.fields, cd.iso
    if iso in s.base:
        f["defence_pct_gdp"] = N(s.base[iso].value, s.base[iso].source)
    if iso == "DEU":
        f["defence_pct_gdp"] = _german_baseline(s.base[iso], s.gdp[iso])
    f["borrowing_limit_pct_gdp"] = _borrowing_node(cd, r)
    rate, rate_text = _yield(r.rules.loc[iso] if iso in r.rules.index else None, r.median_yield)
    f["interest_rate_pct"] = N(rate, rate_text)
    if iso in s.own_floor:
        f["floor_pct_gdp"] = s.own_floor[iso]
    elif iso in NON_NATO_EU:
        f["floor_pct_gdp"] = N(0.0, "not an ally: no NATO floor; a partner")
    if iso != "USA":
        f["capability_share_pct"] = N(
            s.sigma[iso],
            "0: no armed forces / not an ally, carries no own share"
            if iso in s.no_share
            else "its share of the base-year GDP of the allies that carry targets",
        )
    if iso == "ISL":
        f["ramp_limit_pct_gdp"] = N(0.0, "no armed forces: no increase")
    if iso == "USA":
        f["floor_pct_gdp"] = N(
            {BASE_YEAR: float(r.est.loc["USA"][SGAR]), YEARS[1]: HAGUE_CORE_PCT},
            "acts only in the us-counts scenario; its own path to 3.5 %",
        )
    tags = list(f["tags"].value)
    if "escape_clause" not in tags and iso in r.clause:
        tags.append("escape_clause")
    if iso in NON_NATO_EU:
        tags.append("partner")
    f["tags"] = N(tags, f["tags"].comment)


def _coalitions(isos: list[str], eu27: list[str], allies_eu_ca: tuple[str, ...]) -> dict[str, N]:
    return {
        "europe_canada": N({"members": list(allies_eu_ca)}, "NATO Europe and Canada"),
        "eu_plus": N(
            {"members": [c for c in isos if c in eu27 or c in EU_PLUS_EXTRA]},
            "EU-27 (AUT, CYP, IRL, MLT as partners) + NOR, GBR, CAN (SAFE's allied third "
            "countries, safe_terms.csv)",
        ),
        "willing": N(
            {"members": [c for c in allies_eu_ca if c not in nato.WILLING_EXCLUDES]},
            "Europe and Canada without HUN and SVK",
        ),
        "no_frugal": N(
            {"members": [c for c in allies_eu_ca if c not in nato.FRUGAL]},
            "Europe and Canada without DEU, NLD, DNK, SWE: the bonds can open",
        ),
        "nordic_baltic": N({"members": list(NORDIC_BALTIC)}, "NB8"),
        "weimar_plus": N({"members": list(WEIMAR_PLUS)}, "Weimar triangle + ITA, ESP, GBR"),
    }


def _scenarios(
    isos: list[str],
    eu27: list[str],
    programmes: list[ProgrammeSpec],
    us_shares: dict[str, float],
) -> dict[str, Any]:
    """The named scenarios; `us_shares`: σ_c with the USA carrying its share (us-counts)."""
    return {
        "hague": N({}, "the file as written: 3.5 % by 2035, Germany's plan"),
        "capability": N(
            {
                "spending_floor_pct_gdp": WALES_PCT,
                "countries.DEU.floor_pct_gdp": WALES_PCT,
            },
            "only today's 2 % floor: the capability targets set the bill",
        ),
        "spain-2.1": N({"countries.ESP.floor_pct_gdp": SPAIN_PCT}, "Spain's own 2.1 % (1.8)"),
        "no-joint": N(
            {f"joint_programmes.{p.key}.capacity_per_year": 0.0 for p in programmes},
            "joint programmes closed: what pooling saves",
        ),
        "bonds-open": N(
            {"facilities.defence_bonds.requires_unanimity": False},
            "no veto on the common bonds",
        ),
        "no-partners": N(
            {
                "alliance": "europe_canada",
                "coalitions.eu_plus.members": [
                    c for c in isos if c in eu27 and c not in NON_NATO_EU or c in EU_PLUS_EXTRA
                ],
                "coalition_choice.candidates": "europe_canada",
            },
            "the EU's non-NATO members do not act at all (MODEL.md 10a counts an outsider's "
            "purchases towards the alliance's target, so a partner outside a coalition would "
            "otherwise buy for it when its money is cheap)",
        ),
        "us-counts": N(
            {
                "alliance": "*",
                **{f"countries.{c}.capability_share_pct": v for c, v in us_shares.items()},
            },
            "the USA acts as an ally outside every European coalition and carries its GDP share "
            "of each target",
        ),
    }


def _safe_node(r: _Rules) -> N:
    return N(
        {
            "cap": N(r.envelope, "safe_terms.csv total_envelope_eur_bn"),
            "cap_per_year": N(SAFE_CAP_PER_YEAR, "assumption: as nato-2035"),
            "pain_weight": N(SAFE_PAIN, "assumption: as nato-2035"),
            "national_debt_share": N(1.0, "loans to member states: their debt"),
            "interest_rate_pct": N(
                r.eu_rate,
                "assumption: the EU's cost of funds (no rate in the data; NOTES.md "
                "2): mean of France's two yields in fiscal_rules.csv, EU bonds "
                "trade near France",
            ),
            "min_eu_content_pct": N(r.min_content, f"safe_terms.csv: {r.content[:60]}"),
            "allocations": N(
                dict(r.alloc), f"safe_allocations.csv (sum {sum(r.alloc.values()):.2f})"
            ),
            "requires_unanimity": N(
                False, "adopted by qualified majority, Hungary abstained (safe_terms.csv)"
            ),
        },
        above=tuple(
            wrap(
                "SAFE (Regulation (EU) 2025/1106). A country without an allocation "
                "cannot draw. Draws count as national debt (its borrowing limit). "
                "Countries that refuse common debt (DNK, FRUGAL assumption) draw "
                "nothing: MODEL.md's accepts_common_debt is one flag per country, so "
                "Denmark loses its EUR 0.05 bn.",
                92,
            )
        ),
    )


def _bonds_node(eu27: list[str]) -> N:
    return N(
        {
            "cap": N(BONDS_CAP, "assumption (BONDS_CAP, see generator)"),
            "cap_per_year": N(BONDS_CAP_PER_YEAR, "assumption"),
            "pain_weight": N(BONDS_PAIN, "assumption: not national debt"),
            "national_debt_share": N(0.0, "common bonds: not the borrower's debt"),
            "min_eu_content_pct": N(BONDS_MIN_EU_CONTENT_PCT, "assumption"),
            "eligible": N(eu27, "EU-27: an EU instrument"),
            "requires_unanimity": N(True, "a new instrument needs every member"),
        },
        above=tuple(
            wrap(
                "Common defence bonds (not adopted; an assumption): any eligible "
                "member of the coalition that refuses common debt (DEU, NLD, DNK, "
                "SWE) closes them.",
                92,
            )
        ),
        blank=True,
    )


def _header(fx: float, r: _Rules, cost_summary: dict[str, float]) -> list[str]:
    return [
        "hague-2035: the real decision 2026-2035 on the 2025 data (model version 2).",
        "GENERATED by `burden build-hague DATA_DIR --out instances/` (burden_data/hague.py)",
        "from DATA_DIR/countries.csv and DATA_DIR/2025/*.csv. Do not edit: rebuild.",
        "Every figure names its source row or says 'assumption'.",
        "",
        f"Currency EUR bn; USD at {fx:g} EUR per USD (IMF WEO Apr-2025, 2024; as nato-2035).",
        "Countries: GDP, debt, deficit, tax and social limits and pain curves as nato-2035",
        "(burden_data/nato.py). New here:",
        "  * defence_pct_gdp 2025: NATO SG Annual Report (26 Mar 2026, 1 dp) for 29 allies, the",
        "    later and more complete vintage (NOTES.md 1: 'prefer SGAR/2026'); NATO Aug-2025 for",
        "    CZE and HUN (not in that report's list). Germany 2.4 = SGAR = Berlin's stated quota;",
        "    its budget lines (EP 14 + Sondervermoegen) alone are less (see DEU).",
        f"  * fiscal rules: the escape clause ({r.clause_cap.value:g} % of GDP, {r.clause_years}) "
        f"for its {len(r.clause)} requesters as a",
        "    limit path ending in 2028; then, and for every other EU member, the headroom under",
        f"    the {r.deficit_ref.value:g} % deficit reference. The {r.debt_ref.value:g} % debt "
        "reference is NOT a ceiling here: under",
        "    the 2024 framework it sets the speed of adjustment, not a cap; the deficit rule is",
        "    what binds a year's borrowing (judgment, stated). No debt ceiling therefore.",
        "  * interest: each country's 10-year yield (fiscal_rules.csv); SAFE at the EU's cost.",
        "",
        "Targets' full cost at national prices (burden_data/hague.py: full_cost):",
        f"  acquisition {cost_summary['acquisition']:.0f} bn + running to 2035 "
        f"{cost_summary['running_to_horizon']:.0f} bn = {cost_summary['total']:.0f} bn",
        f"  ({cost_summary['per_year']:.0f} bn a year over 2026-2035; running at full strength "
        f"{cost_summary['running_per_year_at_full_strength']:.0f} bn a year).",
        "  Published: Bruegel/Kiel EUR 250 bn a year (2 % -> 3.5 %, all of it, incl. 300,000",
        "  troops); IISS USD 1 trn over 25 years, of which USD 226-344 bn one-off procurement",
        f"  (= EUR {226 * fx:.0f}-{344 * fx:.0f} bn). Not tuned to either.",
    ]


_DESCRIPTION = (
    "The real decision 2026-2035 on 2025 data: Europe's allies and Canada raise core "
    "defence to the Hague 3.5 % under the EU's fiscal rules, with SAFE as allocated, "
    "common bonds, joint programmes and capability targets in units. Generated by "
    "burden_data/hague.py; do not edit by hand."
)
_CAPABILITIES_NOTE = (
    "Capability areas: targets in units added over today's forces, from "
    "capability_needs.csv; prices from capability_costs.csv (contract totals / "
    "quantities: upper bounds); USD at the IMF 2024 rate. No unit numbers exist "
    "for cyber, space/ISR/C2, airlift or drones with a price: not modelled "
    "(IISS leaves C2/space/ISR uncosted too)."
)


def _countries(
    cds: list[nato.CountryData], r: _Rules, alliance: list[str]
) -> tuple[dict[str, N], dict[str, float]]:
    """The country nodes, and σ_c with the USA carrying its share (for us-counts)."""
    gdp = {cd.iso: float(cd.fields["gdp"].value) for cd in cds}
    base = {cd.iso: baseline_2025(r.est.loc[cd.iso]) for cd in cds if cd.nato and cd.iso != "ISL"}
    no_share = {"ISL", *NON_NATO_EU}
    own_floor = _floor_nodes(cds, base, gdp)
    shares = _Shares(base, gdp, own_floor, no_share, _capability_shares(alliance, gdp, no_share))
    sigma_us = _capability_shares([cd.iso for cd in cds], gdp, no_share)
    for cd in cds:
        _set_country_fields(cd, r, shares)
    nonzero = [c for c in alliance if c not in no_share]
    us_shares = {c: sigma_us[c] for c in ["USA", *nonzero]}
    return {cd.iso: nato._country_node(cd) for cd in cds}, us_shares


def _document(data_dir: Path) -> tuple[dict, list[str]]:
    df = nato.read_countries(data_dir / "countries.csv")
    fx = nato.implied_eur_per_usd(df)
    r = _read_rules(data_dir)
    cds = [nato.country_data(row, fx, "brussels") for _, row in df.iterrows()]
    isos = [cd.iso for cd in cds]
    allies_eu_ca = tuple(cd.iso for cd in cds if cd.nato and cd.iso != "USA")
    alliance = [c for c in isos if c != "USA"]
    countries, us_shares = _countries(cds, r, alliance)
    areas, programmes = _areas_and_programmes(data_dir, fx, allies_eu_ca)
    eu27 = [cd.iso for cd in cds if cd.eu]
    doc: dict[str, Any] = {
        "name": N("hague-2035"),
        "description": N(_DESCRIPTION),
        "currency": N("EUR", "money in billions of euro"),
        "years": N(list(YEARS), f"base year {BASE_YEAR} = first - 1"),
        "discount_rate_pct": N(DISCOUNT_RATE_PCT, "assumption: as nato-2035"),
        "objective": N("total_pain"),
        "spending_floor_pct_gdp": N(
            {BASE_YEAR: WALES_PCT, YEARS[1]: HAGUE_CORE_PCT},
            "2 % in 2025 (every ally, NATO 2025 estimates, policy_facts 2.6) -> 3.5 % in 2035 "
            "(Hague, 1.2): +0.15 pp a year, a 'credible, incremental path' (1.3)",
            blank=True,
        ),
        "ramp_limit_pct_gdp": N(RAMP_LIMIT_PCT, "assumption: as nato-2035"),
        "burden_share_min_pct": N(0.0, "must be 0 with coalition_choice (MODEL.md)"),
        "defaults": nato._defaults_node(),
        "countries": N(countries, blank=True),
        "alliance": N(
            {"all_except": ["USA"]},
            "Europe's allies, Canada and the EU's non-NATO members (partners, no floor, no own "
            "share); the USA is not in European coalitions",
            blank=True,
        ),
        "capabilities": N(
            {a.key: _area_node(a) for a in areas},
            above=tuple(wrap(_CAPABILITIES_NOTE, 92)),
            blank=True,
        ),
        "joint_programmes": N(
            {p.key: _programme_node(p, set(alliance)) for p in programmes}, blank=True
        ),
        "facilities": N({"safe": _safe_node(r), "defence_bonds": _bonds_node(eu27)}, blank=True),
        "coalitions": N(_coalitions(isos, eu27, allies_eu_ca), blank=True),
        "default_coalition": N("europe_canada"),
        "coalition_choice": N(
            {
                "candidates": N({"all_except": ["USA"]}, "the whole alliance"),
                "member_cost": N(CHOICE_MEMBER_COST, "assumption: breaks ties"),
            },
            blank=True,
        ),
        "scenarios": N(_scenarios(isos, eu27, programmes, us_shares), blank=True),
    }
    return doc, _header(fx, r, full_cost(areas))


def render_hague(data_dir: Path) -> str:
    """The YAML text of hague-2035.yaml built from `data_dir` (nothing written)."""
    doc, header = _document(Path(data_dir))
    return emit(doc, header)


def hague_document(data_dir: Path) -> dict:
    """The instance as a plain dict (what `yaml.safe_load` of the file gives)."""
    doc, _ = _document(Path(data_dir))
    return plain(doc)


def build_hague_instance(data_dir: Path, out_dir: Path, *, force: bool = False) -> Path:
    """Write `hague-2035.yaml` built from `data_dir` into `out_dir`; return its path.

    Raises FileExistsError if it exists and `force` is False. Deterministic.
    """
    text = render_hague(Path(data_dir))
    path = Path(out_dir) / HAGUE_FILE
    if path.exists() and not force:
        raise FileExistsError(f"refusing to overwrite {path}; use force=True (--force)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


__all__ = ["build_hague_instance", "full_cost", "hague_document", "render_hague"]
