"""Generate the real-data instances from `data/countries.csv`.

`build_nato_instances(csv, out_dir)` writes

* `nato-2035.yaml`: the 32 allies plus AUT, CYP, IRL, MLT (EU members outside NATO), base year
  2025, horizon 2026-2035, the floor path to 3.5 % by 2035, EU fiscal rules, SAFE as the
  common-debt facility, eight capability areas, seven real joint programmes, the coalitions and
  a coalition-choice block;
* `brussels-2025-2pct.yaml`, `brussels-2025-3p5pct.yaml`, `brussels-2025-5pct.yaml`: the
  price of 2 %, 3.5 % and 5 % of GDP by 2030, per country, in pain and in % of general
  government expenditure (one file per level: MODEL.md has no scenario mechanism).

Every number keeps its comment (PyYAML writes the document, `burden_data.yamltext` adds the
comments around it): a data figure names its source (a `countries.csv` column and the
publication behind it, see `data/sources.md` and `data/policy_facts.md`), anything else says
"assumption:" and why.
All assumptions are the named constants below; change them here and rebuild, never edit the
generated files (a test compares them with a fresh build).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from burden_data.facts import base_year_facts, level_prices
from burden_data.yamltext import N, emit, plain, wrap
from optimizer.instance import validate_document

# =============================================================================================
# Vintage, horizon, currency
# =============================================================================================

DATA_YEAR = 2024  # the year of the figures in countries.csv (sources.md)
BASE_YEAR = 2025  # MODEL.md: base year = first planning year - 1; 2024 data are rolled forward
NATO_YEARS = (2026, 2035)  # Hague commitment "by 2035" (policy_facts 1.1-1.2)
BRUSSELS_YEARS = (2026, 2030)  # short horizon of the price instances
BRUSSELS_LEVELS = (2.0, 3.5, 5.0)  # % of GDP: Wales guideline, Hague core leg, Hague headline
CURRENCY = "EUR"  # SAFE, the German budget and most members are in euro; USD data are converted
# EUR per USD. None: derive it from the CSV as the ratio IMF NGDP (EUR) / NGDPD (USD) of the
# euro-area members, i.e. the 2024 average rate inside IMF WEO April 2025 (they agree to 0.03 %).
EUR_PER_USD: float | None = None
FX_MAX_SPREAD = 0.005  # refuse to derive a rate if euro members disagree by more than 0.5 %

# =============================================================================================
# Growth (assumption: no growth forecast is in data/)
# =============================================================================================

# assumption: nominal growth = ~1 % real + ~2 % inflation (the ECB's and Fed's inflation target)
GROWTH_ADVANCED_PCT = 3.0
# assumption: catching-up economies grow ~2.5 % real (convergence) + ~2 % inflation
GROWTH_CONVERGING_PCT = 4.5
CONVERGING = ("ALB", "BGR", "CZE", "EST", "HRV", "HUN", "LTU", "LVA", "MKD", "MNE", "POL",
              "ROU", "SVK", "SVN", "TUR")  # fmt: skip

# =============================================================================================
# Pain curves: [width % of GDP, pain per unit raised]; weights non-decreasing along each curve
# =============================================================================================

# assumption: marginal cost of public funds 1.2 rising to 2.0 (Kleven & Kreiner 2006: MCF
# around 2 in high-tax continental/Scandinavian states, policy_facts 8.4 and 8.6)
TAX_PAIN = ((0.5, 1.2), (1.0, 1.6), (None, 2.0))
# assumption: cuts hurt more than taxes (spending multipliers > tax multipliers, 8.1) plus a
# distributional/political penalty (8.6), steepening to 3.0
SOCIAL_PAIN = ((0.5, 1.5), (0.5, 2.1), (None, 3.0))
# assumption: national debt is cheapest at first (near-zero short-run output cost, Kiel 8.5)
# but its weight rises with the debt ratio against the 60 % / 90 % thresholds (4.8, 8.6)
DEBT_PAIN_START = ((60.0, 0.6), (90.0, 0.9), (math.inf, 1.25))  # (debt ratio below, 1st weight)
DEBT_PAIN_STEPS = ((1.0, 0.0), (1.0, 0.4), (None, 1.15))  # (width, weight added to the start)
# No weight of one source equals a weight of another (tax 1.2/1.6/2.0, social 1.5/2.1/3.0, debt
# 0.6/1.0/1.75, 0.9/1.3/2.05 or 1.25/1.65/2.4, SAFE 0.4): the funding mix is unique, not one of
# several optima with the same pain.
# assumption: SAFE loans are EU-rated (lower rate than most members) but still debt (8.6)
COMMON_DEBT_PAIN = 0.4
DISCOUNT_RATE_PCT = 2.0  # assumption: ~ a real social discount rate; later pain weighs less

# =============================================================================================
# Limits (tax and social headroom are assumptions; fiscal rules follow policy_facts 4.6-4.8)
# =============================================================================================

# assumption: extra tax revenue a government can raise for defence, by how much it already
# taxes (general government revenue, % of GDP, 2024): (revenue at least, limit % of GDP)
TAX_LIMIT_TIERS = ((48.0, 1.0), (38.0, 1.5), (0.0, 2.0))
# assumption: at most 5 % of baseline social-protection spending can be cut in any year
SOCIAL_CUT_LIMIT_PCT = 5.0
ESCAPE_CLAUSE_LIMIT_PCT = 1.5  # national escape clause: max 1.5 % of GDP a year (4.6)
EU_DEBT_REFERENCE_PCT = 60.0  # Protocol 12 TFEU debt reference value (4.8)
EU_DEFICIT_REFERENCE_PCT = 3.0  # Protocol 12 TFEU deficit reference value (4.8)
# assumption: allies outside the EU are bound by no EU rule; markets and politics are assumed to
# tolerate 1 % of GDP a year of extra defence borrowing (below the EU clause's 1.5 because USA,
# GBR, CAN, TUR, MKD already run deficits of 2-7 %)
NON_EU_BORROWING_LIMIT_PCT = 1.0
# assumption: the increase can rise by at most 0.75 % of GDP a year (Poland added ~0.9 pp
# 2023->2024, NATO Table 3; Spain needs 0.72 pp to reach 2 % in 2026). Also bounds every
# candidate's increase, which coalition choice requires (MODEL.md "Coalition choice").
RAMP_LIMIT_PCT = 0.75
# The floor path: 2 % from 2026 (the Wales guideline, due 2024, met by every ally with armed
# forces in NATO's 2025 estimate, policy_facts 2.1 and 2.6), rising linearly to 3.5 % in 2035
# (the Hague core-defence leg on the NATO definition, 1.2 and 1.6).
FLOOR_PATH = {2026: 2.0, 2035: 3.5}

# =============================================================================================
# Memberships (sourced) and political assumptions
# =============================================================================================

# requested the national escape clause (Council 30 Apr 2025; activated 8 Jul / 10 Oct 2025, 4.7)
ESCAPE_CLAUSE = ("BEL", "BGR", "CZE", "DNK", "DEU", "EST", "GRC", "HRV", "LVA", "LTU", "HUN",
                 "POL", "PRT", "SVN", "SVK", "FIN")  # fmt: skip
# tentative SAFE allocation, EUR bn (Commission IP/25/2042, policy_facts 4.5) -> tag `safe`
SAFE_ALLOCATION = {"POL": 43.73, "ROU": 16.68, "FRA": 16.22, "HUN": 16.22, "ITA": 14.90,
                   "BEL": 8.34, "LTU": 6.38, "PRT": 5.84, "LVA": 5.68, "BGR": 3.26, "EST": 2.66,
                   "SVK": 2.32, "CZE": 2.06, "HRV": 1.70, "CYP": 1.18, "FIN": 1.00, "ESP": 1.00,
                   "GRC": 0.79, "DNK": 0.05}  # fmt: skip
SAFE_CAP = 150.0  # EUR bn, Regulation (EU) 2025/1106 (4.2)
SAFE_MIN_EU_CONTENT_PCT = 65.0  # non-EU/EEA/Ukraine components <= 35 % of the cost (4.4)
# assumption: SAFE lends 2026-2030 (first disbursements early 2026, 15 % pre-financing, 4.5);
# 40 a year lets the 150 be drawn in about four years
SAFE_CAP_PER_YEAR = 40.0
# assumption (the definition): the members most opposed to new joint EU borrowing; they
# do not accept common debt, and the facility needs unanimity (see the comment in the file)
FRUGAL = ("DEU", "NLD", "DNK", "SWE")
SAFE_REQUIRES_UNANIMITY = True
WILLING_EXCLUDES = ("HUN", "SVK")  # the "willing" coalition: all allies but these

# Coalition choice (assumption: the question "if the US steps back, which European allies and
# Canada carry the targets at least pain?"). Candidates: the europe_canada coalition. A small
# member cost per member (coordination) breaks ties towards fewer members.
CHOICE_CANDIDATES = "europe_canada"
CHOICE_REQUIRED: tuple[str, ...] = ()
CHOICE_MEMBER_COST = 0.5
CHOICE_MIN_MEMBERS = 0

# =============================================================================================
# Capability areas (illustrative targets, all assumptions grounded in public statements)
# =============================================================================================

US_COST_FACTOR = 0.95  # assumption: US systems bought off the shelf from long production runs
DOMESTIC_COST_FACTOR = 1.20  # assumption: small national series cost ~20 % more (7.2-7.3)
# assumption: a unit missing at a target year costs 4x the eu unit cost in pain: above every
# pain weight (max 3.0 here), so buying always beats falling short when money can be raised
SHORTFALL_PENALTY_FACTOR = 4.0


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    unit: str
    lead_time: int
    targets: dict[int, float]
    eu_unit_cost: float
    origins: tuple[str, ...]
    target_basis: str
    cost_basis: str


AREAS = (
    Area(
        "air_missile_defence", "Air and missile defence",
        "long-range air and missile defence battery-equivalent (fire unit + first interceptor load)",
        2, {2030: 50, 2035: 140}, 1.0, ("us", "eu", "domestic"),
        "Rutte, Chatham House 9 Jun 2025: NATO needs 'a 400 % increase in air and missile "
        "defence' (policy_facts 6.1); Germany to 'quadruple' air defence (6.2). assumption: "
        "today's European and Canadian long-range inventory ~35 battery-equivalents (inventories "
        "are classified), so +400 % = +140 by 2035, about a third of it by 2030",
        "assumption: ~EUR 1 bn per battery with its interceptors (order of magnitude of public "
        "Patriot and SAMP/T orders; no unit price in data/)",
    ),
    Area(
        "long_range_fires", "Long-range fires",
        "deep-strike battery-set (launchers + 100 missiles of 500+ km range)",
        3, {2030: 10, 2035: 30}, 0.8, ("us", "eu", "domestic"),
        "Russia expected to build 200 Iskander missiles in 2025 (Rutte, policy_facts 6.1); ELSA "
        "was launched in 2024 to close the European gap. assumption: 30 sets (3,000 missiles) "
        "by 2035, a third by 2030",
        "assumption: EUR 0.8 bn per set (~EUR 5-6 m per missile plus launchers)",
    ),
    Area(
        "ammunition", "Ammunition", "million 155 mm shells",
        1, {2027: 2, 2030: 6, 2035: 12}, 4.0, ("us", "eu", "domestic"),
        "Rutte: 'millions more artillery shells'; Russia 'produces in three months what the "
        "whole of NATO produces in a year' (policy_facts 6.1). assumption: +12 million shells of "
        "stock by 2035, +2 million already by 2027",
        "assumption: ~EUR 4,000 per shell",
    ),
    Area(
        "land_brigades", "Land brigades", "heavy brigade equipment set (tanks, IFVs, artillery)",
        3, {2030: 15, 2035: 45}, 5.0, ("us", "eu", "domestic"),
        "new capability targets: ~120-130 brigades vs ~80 today, 35-50 more (Reuters 5 Jun 2025, "
        "policy_facts 6.2; Germany +7 brigades, 5.6). assumption: +45 equipped brigades by 2035, "
        "a third by 2030",
        "assumption: EUR 5 bn per heavy brigade set (equipment only; personnel is 'other' spending)",
    ),
    Area(
        "enablers_airlift", "Enablers and airlift",
        "tanker or strategic transport aircraft (A330 MRTT / A400M / KC-46 class)",
        3, {2030: 15, 2035: 40}, 0.3, ("us", "eu"),
        "assumption: no sourced target; European reliance on US tankers and airlift is what the "
        "Multinational MRTT Fleet was set up to reduce (jfcbs.nato.int, Aug 2020); +40 aircraft "
        "by 2035",
        "assumption: EUR 0.3 bn per aircraft; no domestic option (only EU and US airframes)",
    ),
    Area(
        "isr_space", "ISR and space",
        "ISR/space package (one satellite or one HALE-drone orbit with its ground segment)",
        4, {2030: 10, 2035: 40}, 0.5, ("us", "eu", "domestic"),
        "assumption: no sourced target; enablers the US now provides to European allies; +40 "
        "packages by 2035",
        "assumption: EUR 0.5 bn per package",
    ),
    Area(
        "naval", "Naval", "frigate- or submarine-equivalent",
        5, {2031: 6, 2035: 20}, 1.0, ("eu", "domestic"),
        "assumption: no sourced target; +20 hulls by 2035 (shipbuilding lead time 5 years)",
        "assumption: EUR 1.0 bn per hull (Type 212CD: EUR 5.5 bn for 6 boats in 2021, "
        "defbrief.com 8 Jul 2021); no US option (US yards do not export surface combatants)",
    ),
    Area(
        "cyber", "Cyber", "cyber-defence package (tools and services of one cyber unit, ~EUR 0.1 bn)",
        1, {2028: 50, 2030: 100, 2035: 200}, 0.1, ("us", "eu", "domestic"),
        "assumption: no sourced target; the Hague declaration names network defence among "
        "defence-related needs (policy_facts 1.2); +200 packages by 2035",
        "assumption: EUR 0.1 bn per package",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    capability: str
    origin: str
    unit_cost: float
    lead_time: int
    capacity_per_year: float
    eligible: tuple[str, ...]
    source: str
    cost_basis: str


EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
        "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
        "SVN", "ESP", "SWE")  # fmt: skip
_JOINT = (
    "assumption: pooled buying saves 15 % on the national eu price (the EP puts pooling savings "
    "at up to 30 %, policy_facts 7.2) at one more year of lead time for coordination"
)

PROGRAMMES = (
    Programme(
        "european_sky_shield", "European Sky Shield Initiative (IRIS-T SLM/SLX layer)",
        "air_missile_defence", "eu", 0.85, 3, 10,
        ("BEL", "BGR", "CZE", "EST", "DEU", "HUN", "LVA", "LTU", "NLD", "NOR", "SVK", "SVN",
         "ROU", "GBR", "FIN", "DNK", "SWE", "AUT", "GRC", "TUR"),
        "letter of intent 13 Oct 2022 by 14 allies and Finland (NATO multimedia asset 677429); "
        "DNK and SWE Feb 2023, AUT (and CHE, not modelled) Jul 2023, GRC and TUR Feb 2024 "
        "(agenzianova.com 20 Mar 2024). ESSI also buys Patriot and Arrow 3: those are the us "
        "options and nspa_patriot",
        _JOINT + "; assumption: 10 fire units a year of European production",
    ),
    Programme(
        "nspa_patriot", "NSPA multinational Patriot procurement (GEM-T, COMLOG)",
        "air_missile_defence", "us", 0.81, 3, 6, ("DEU", "NLD", "ROU", "ESP"),
        "NSPA framework contract 3 Jan 2024 for up to 1,000 GEM-T missiles, USD 5.5 bn, for "
        "Germany, the Netherlands, Romania and Spain, 'in the spirit of ESSI' "
        "(devdiscourse.com/Reuters 3 Jan 2024)",
        _JOINT + " (0.85 x the us price 0.95); assumption: 6 battery-equivalents a year",
    ),
    Programme(
        "eda_ammunition", "EDA collaborative procurement of 155 mm ammunition",
        "ammunition", "eu", 3.4, 2, 1.5, EU27 + ("NOR",),
        "EDA project arrangement of 20 Mar 2023: 17 EU states and Norway, open to every EDA "
        "member (edrmagazine.eu 20 Mar 2023); 26 countries by Sep 2023 "
        "(thedefensepost.com 7 Sep 2023) -> eligible: EU-27 + NOR",
        _JOINT + "; assumption: 1.5 million shells a year",
    ),
    Programme(
        "elsa", "European Long-Range Strike Approach (ELSA)",
        "long_range_fires", "eu", 0.68, 5, 5, ("FRA", "DEU", "ITA", "POL", "GBR", "SWE", "NLD"),
        "letter of intent 11 Jul 2024 by FRA, DEU, ITA, POL (Adnkronos via ildenaro.it); GBR "
        "Oct 2024, SWE and NLD later (elegantsport.co.uk)",
        _JOINT + "; assumption: lead time 5 years (a missile still to be developed), 5 sets a "
        "year",
    ),
    Programme(
        "cv90_nordic", "CV90 MkIV 'Nordic' joint procurement",
        "land_brigades", "eu", 4.25, 4, 3, ("SWE", "FIN", "NOR", "LTU", "EST", "NLD"),
        "declaration of intent 5 Jun 2025 (Interfax-Ukraine, Finnish MoD); technical agreement "
        "Helsinki Nov 2025, main contract early 2026, deliveries from 2028 (Trend/Lithuanian MoD "
        "15 Nov 2025)",
        _JOINT + "; assumption: 3 brigade sets a year",
    ),
    Programme(
        "mmf", "Multinational MRTT Fleet (A330 MRTT, NSPA)",
        "enablers_airlift", "eu", 0.255, 4, 3, ("BEL", "CZE", "DEU", "LUX", "NLD", "NOR"),
        "six participating allies (JFC Brunssum, Aug 2020; aviation24.be 20 Jun 2024: eight "
        "aircraft delivered, ten expected by 2026)",
        _JOINT + "; assumption: 3 aircraft a year",
    ),
    Programme(
        "type_212cd", "Type 212CD submarines (Germany-Norway)",
        "naval", "eu", 0.92, 6, 2, ("DEU", "NOR"),
        "contract 8 Jul 2021: six identical boats (DEU 2, NOR 4) for EUR 5.5 bn; first "
        "Norwegian boat 2029 (defbrief.com; globaldefensecorp.com)",
        "EUR 5.5 bn / 6 boats = 0.92 (2021 price, not escalated: assumption); assumption: lead "
        "time 6 years (the 2021 order delivers from 2029), 2 boats a year",
    ),
)  # fmt: skip

# =============================================================================================
# Files
# =============================================================================================

NATO_FILE = "nato-2035.yaml"


def brussels_file(level: float) -> str:
    """`brussels-2025-2pct.yaml`, `-3p5pct.yaml`, `-5pct.yaml`."""
    text = f"{level:g}".replace(".", "p")
    return f"brussels-2025-{text}pct.yaml"


# =============================================================================================
# Reading the data
# =============================================================================================


def _num(row: pd.Series, column: str) -> float | None:
    value = row[column]
    return None if pd.isna(value) else float(value)


def _text(row: pd.Series, column: str) -> str | None:
    value = row[column]
    return None if pd.isna(value) else str(value)


def read_countries(csv_path: Path) -> pd.DataFrame:
    """countries.csv, checked for the columns and the 36 countries this module needs."""
    df = pd.read_csv(csv_path)
    needed = {
        "iso3", "name", "eu_member", "nato_member", "euro_area_2024", "gdp_2024_usd_bn_imf",
        "gdp_2024_eur_bn_imf", "defence_pct_gdp_2024_nato", "defence_pct_gdp_2024_nato_sgar2024",
        "defence_pct_gdp_2024_nato_rev2025", "defence_pct_gdp_2025e_nato",
        "milex_pct_gdp_2024_sipri", "gg_debt_pct_gdp_2024", "gg_debt_src",
        "gg_balance_pct_gdp_2024", "gg_balance_src", "gg_expenditure_pct_gdp_2024",
        "gg_expenditure_src", "gg_revenue_pct_gdp_2024_eurostat", "gg_revenue_pct_gdp_2024_imf",
        "gg_debt_pct_gdp_2025_eurostat", "gg_balance_pct_gdp_2025_eurostat",
        "social_protection_pct_gdp", "social_protection_year", "social_protection_src",
        "population_2024_m", "population_src", "notes",
    }  # fmt: skip
    missing = sorted(needed - set(df.columns))
    if missing:
        raise ValueError(f"{csv_path}: missing columns {', '.join(missing)}")
    if df["iso3"].duplicated().any():
        raise ValueError(f"{csv_path}: duplicate iso3 codes")
    return df


def implied_eur_per_usd(df: pd.DataFrame) -> float:
    """EUR per USD in IMF WEO April 2025 for 2024: NGDP (EUR) / NGDPD (USD) of euro members."""
    if EUR_PER_USD is not None:
        return EUR_PER_USD
    euro = df[df["gdp_2024_eur_bn_imf"].notna() & df["gdp_2024_usd_bn_imf"].notna()]
    if euro.empty:
        raise ValueError("no euro-area GDP in EUR to derive the exchange rate; set EUR_PER_USD")
    ratio = euro["gdp_2024_eur_bn_imf"] / euro["gdp_2024_usd_bn_imf"]
    rate = float(ratio.median())
    if (ratio.max() - ratio.min()) / rate > FX_MAX_SPREAD:
        raise ValueError("euro members' NGDP/NGDPD ratios disagree; set EUR_PER_USD by hand")
    return round(rate, 4)


# =============================================================================================
# One country
# =============================================================================================


@dataclass
class CountryData:
    """Everything derived for one country, with the comment of each figure."""

    iso: str
    name: str
    nato: bool
    eu: bool
    euro: bool
    fields: dict[str, N] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _growth(iso: str) -> tuple[float, str]:
    if iso in CONVERGING:
        return GROWTH_CONVERGING_PCT, (
            "assumption: catching-up economy, ~2.5 % real + ~2 % inflation (GROWTH_CONVERGING_PCT)"
        )
    return GROWTH_ADVANCED_PCT, (
        "assumption: advanced economy, ~1 % real + ~2 % inflation target (GROWTH_ADVANCED_PCT)"
    )


def _tax_limit(revenue: float) -> float:
    for at_least, limit in TAX_LIMIT_TIERS:
        if revenue >= at_least:
            return limit
    raise AssertionError("unreachable")


def _debt_curve(debt: float) -> list[list[float | None]]:
    start = next(weight for below, weight in DEBT_PAIN_START if debt < below)
    return [[width, round(start + add, 4)] for width, add in DEBT_PAIN_STEPS]


def _debt_tier_text(debt: float) -> str:
    if debt < 60:
        return "debt < 60 %"
    if debt < 90:
        return "debt 60-90 %"
    return "debt >= 90 %"


def _defence(row: pd.Series) -> tuple[float, str]:
    nato = _num(row, "defence_pct_gdp_2024_nato")
    sipri = _num(row, "milex_pct_gdp_2024_sipri")
    if bool(row["nato_member"]):
        if nato is None:  # Iceland
            return 0.0, (
                "no armed forces: NATO reports no defence expenditure, SIPRI records 0 "
                "(sources.md C)"
            )
        later = []
        for column, label in (
            ("defence_pct_gdp_2024_nato_sgar2024", "SGAR Apr-2025"),
            ("defence_pct_gdp_2024_nato_rev2025", "Aug-2025"),
        ):
            value = _num(row, column)
            if value is not None:
                later.append(f"{label} {value:.2f}")
        if sipri is not None:
            later.append(f"SIPRI {sipri:.2f}")
        extra = f" (later: {', '.join(later)})" if later else ""
        return nato, f"NATO Jun-2024 Table 3, 2024e{extra}"
    if sipri is None:
        raise ValueError(f"{row['iso3']}: no defence figure (neither NATO nor SIPRI)")
    return sipri, "SIPRI Apr-2025, 2024 (not an ally: no NATO figure)"


def _gdp_fields(f: dict[str, N], row: pd.Series, fx: float) -> None:
    """GDP: the 2024 figure rolled forward one year to the base year 2025."""
    iso = str(row["iso3"])
    growth, growth_note = _growth(iso)
    eur = _num(row, "gdp_2024_eur_bn_imf")
    usd = _num(row, "gdp_2024_usd_bn_imf")
    if eur is not None:
        gdp24, src = eur, "IMF WEO Apr-2025 NGDP, EUR bn"
    elif usd is not None:
        gdp24, src = usd * fx, f"IMF WEO Apr-2025 NGDPD {usd:g} USD bn x {fx:g}"
    else:
        raise ValueError(f"{iso}: no IMF GDP")
    gdp25 = round(gdp24 * (1 + growth / 100), 2)
    f["gdp"] = N(gdp25, f"2025 = 2024 {gdp24:.2f} ({src}) x {1 + growth / 100:.3f}")
    f["gdp_growth_pct"] = N(growth, growth_note)


def _debt_fields(f: dict[str, N], row: pd.Series) -> tuple[float, float]:
    """Debt and deficit: Eurostat 2025 (April 2026 EDP notification) where it exists, else the
    2024 figure held. Returns (debt, deficit) in % of GDP."""
    debt25 = _num(row, "gg_debt_pct_gdp_2025_eurostat")
    if debt25 is not None:
        debt, debt_note = debt25, "Eurostat EDP Apr-2026, 2025"
    else:
        debt = float(row["gg_debt_pct_gdp_2024"])
        debt_note = f"{row['gg_debt_src']}, 2024, held for 2025 (no 2025 figure)"
    f["debt_pct_gdp"] = N(debt, debt_note)
    bal25 = _num(row, "gg_balance_pct_gdp_2025_eurostat")
    if bal25 is not None:
        deficit, deficit_note = -bal25, "= -balance, Eurostat gov_10a_main B9, 2025"
    else:
        deficit = -float(row["gg_balance_pct_gdp_2024"])
        deficit_note = f"= -balance, {row['gg_balance_src']}, 2024, held"
    deficit = round(deficit, 4) + 0.0  # no "-0.0"
    f["deficit_pct_gdp"] = N(deficit, deficit_note + ("; a surplus" if deficit < 0 else ""))
    return debt, deficit


def _fiscal_rule_fields(f: dict[str, N], iso: str, eu: bool, deficit: float) -> None:
    """nato-2035's fiscal rules: the escape clause, the EU references, or outside the EU an
    assumed yearly limit."""
    if eu and iso in ESCAPE_CLAUSE:
        f["borrowing_limit_pct_gdp"] = N(
            ESCAPE_CLAUSE_LIMIT_PCT,
            "national escape clause requested (policy_facts 4.6-4.7): max 1.5 % of GDP a "
            "year; no debt ceiling while it is active",
        )
    elif eu:
        f["debt_ceiling_pct_gdp"] = N(
            EU_DEBT_REFERENCE_PCT,
            "EU debt reference value (4.8); no escape clause requested (4.7): room = gap "
            "to 60 % after baseline deficits, 0 when above",
        )
        limit = round(min(ESCAPE_CLAUSE_LIMIT_PCT,
                          max(0.0, EU_DEFICIT_REFERENCE_PCT - deficit)), 4) + 0.0  # fmt: skip
        f["borrowing_limit_pct_gdp"] = N(
            limit,
            f"= min(1.5, max(0, 3 - deficit {deficit:g})): headroom under the 3 % deficit "
            "reference (4.8), at most the clause's 1.5",
        )
    else:
        f["borrowing_limit_pct_gdp"] = N(
            NON_EU_BORROWING_LIMIT_PCT,
            "assumption: no EU rule binds; ~1 % of GDP a year of extra borrowing tolerated, "
            "below the EU clause's 1.5 as most already run deficits (NON_EU_BORROWING_LIMIT_PCT)",
        )


def _social_and_tax_fields(cd: CountryData, row: pd.Series) -> float | None:
    """Social spending with its cut limit (or a note where there is no figure) and the tax
    headroom. Returns the social-protection share of GDP (None: no figure)."""
    f = cd.fields
    social = _num(row, "social_protection_pct_gdp")
    if social is not None:
        year = int(row["social_protection_year"])
        f["social_pct_gdp"] = N(social, f"{row['social_protection_src']}, {year}")
        f["social_cut_limit_pct"] = N(
            SOCIAL_CUT_LIMIT_PCT,
            "assumption: at most a twentieth of social protection redirected in a year, a "
            "political limit (SOCIAL_CUT_LIMIT_PCT)",
        )
    else:
        cd.notes.append(
            "No COFOG GF10 social-protection figure (sources.md E; ESSPROS is a broader concept): "
            "social cuts are not a source for this country (pain.social: null)."
        )
    revenue = _num(row, "gg_revenue_pct_gdp_2024_eurostat")
    rev_src = "Eurostat"
    if revenue is None:
        revenue, rev_src = float(row["gg_revenue_pct_gdp_2024_imf"]), "IMF WEO"
    f["tax_limit_pct_gdp"] = N(
        _tax_limit(revenue),
        f"assumption: revenue {revenue:g} % of GDP ({rev_src} 2024); the more a state already "
        "taxes, the less it can add (>= 48 -> 1.0, >= 38 -> 1.5, else 2.0; TAX_LIMIT_TIERS)",
    )
    return social


def _floor_fields(cd: CountryData, share: float, kind: str) -> None:
    """Common debt refused by the frugal; no floor (and no ramp) without armed forces or
    outside the alliance."""
    f = cd.fields
    if cd.iso in FRUGAL:
        f["accepts_common_debt"] = N(
            False, "assumption: frugal, opposes new joint EU borrowing (FRUGAL, the issue's set)"
        )
    if share == 0.0 and cd.nato:
        f["floor_pct_gdp"] = N(
            0.0, "no armed forces: the floor does not apply (NATO's 2 % count excludes it, 2.6)"
        )
        if kind == "nato":
            f["ramp_limit_pct_gdp"] = N(0.0, "no armed forces: no increase in this model")
    elif not cd.nato and kind == "nato":
        f["floor_pct_gdp"] = N(
            0.0, "not an ally: no NATO floor; acts only in coalitions with EU members"
        )


def _pain_field(debt: float, social: float | None) -> N:
    """Debt weight by debt level; no social curve without social data."""
    pain: dict[str, Any] = {}
    if social is None:
        pain["social"] = None
    pain["debt"] = _debt_curve(debt)
    return N(
        pain,
        f"assumption: {_debt_tier_text(debt)}; borrowing hurts more the higher the debt "
        "(first weight 0.6 / 0.9 / 1.25 below 60 / 90 / above, 8.6; DEBT_PAIN_START)",
    )


def _tags_field(cd: CountryData) -> N:
    iso = cd.iso
    flags = (
        ("nato", cd.nato),
        ("eu", cd.eu),
        ("euro", cd.euro),
        ("escape_clause", cd.eu and iso in ESCAPE_CLAUSE),
        ("safe", iso in SAFE_ALLOCATION),
        ("frugal", iso in FRUGAL),
    )
    tag_notes = []
    if cd.euro:
        tag_notes.append("euro: euro area 2024")
    if iso in SAFE_ALLOCATION:
        tag_notes.append(f"safe: tentative SAFE allocation EUR {SAFE_ALLOCATION[iso]:g} bn (4.5)")
    return N([tag for tag, on in flags if on], "; ".join(tag_notes) or None)


def _extension_fields(cd: CountryData, row: pd.Series) -> None:
    """Fields the reports read (population, expenditure, Germany's federal budget)."""
    f = cd.fields
    f["population_m"] = N(float(row["population_2024_m"]), f"{row['population_src']}")
    f["gov_expenditure_pct_gdp"] = N(
        float(row["gg_expenditure_pct_gdp_2024"]),
        f"general government expenditure, {row['gg_expenditure_src']} 2024, held",
    )
    if cd.iso == "DEU":
        f["federal_budget"] = N(
            502.5, "Bundeshaushalt 2025 as adopted 18 Sep 2025, EUR bn (policy_facts 5.3)"
        )


def country_data(row: pd.Series, fx: float, kind: str) -> CountryData:
    """The instance fields of one country. `kind`: "nato" (nato-2035) or "brussels"."""
    iso = str(row["iso3"])
    nato, eu, euro = bool(row["nato_member"]), bool(row["eu_member"]), bool(row["euro_area_2024"])
    cd = CountryData(iso=iso, name=str(row["name"]), nato=nato, eu=eu, euro=euro)
    f = cd.fields
    f["name"] = N(cd.name)
    _gdp_fields(f, row, fx)
    # defence share: the 2024 figure of the June-2024 NATO vintage, held for 2025
    share, note = _defence(row)
    f["defence_pct_gdp"] = N(share, note)
    debt, deficit = _debt_fields(f, row)
    if kind == "nato":  # the price instances let debt fill the gap, see their header
        _fiscal_rule_fields(f, iso, eu, deficit)
    social = _social_and_tax_fields(cd, row)
    _floor_fields(cd, share, kind)
    f["pain"] = _pain_field(debt, social)
    f["tags"] = _tags_field(cd)
    _extension_fields(cd, row)
    note = _text(row, "notes")
    if note:
        cd.notes.append("Data note (countries.csv): " + note)
    return cd


def _country_node(cd: CountryData) -> N:
    above = [f"{cd.iso}: {cd.name}"]
    for note in cd.notes:
        above.extend(wrap(note, 92))
    return N(dict(cd.fields), above=tuple(above), blank=True)


# =============================================================================================
# Capabilities, programmes, coalitions
# =============================================================================================


def _capabilities(with_targets: bool) -> dict[str, N]:
    out: dict[str, N] = {}
    for area in AREAS:
        options = []
        for origin in area.origins:
            if origin == "eu":
                cost, why = area.eu_unit_cost, area.cost_basis
            elif origin == "us":
                cost = round(area.eu_unit_cost * US_COST_FACTOR, 4)
                why = "assumption: eu price x 0.95, off the shelf from long US production runs"
            else:
                cost = round(area.eu_unit_cost * DOMESTIC_COST_FACTOR, 4)
                why = "assumption: eu price x 1.2, small national series cost more (7.2-7.3)"
            options.append(N({"id": origin, "origin": origin, "unit_cost": cost}, why))
        body: dict[str, Any] = {
            "name": N(area.name),
            "unit": N(area.unit),
            "lead_time": N(
                area.lead_time, "assumption: typical years from contract to service for the area"
            ),
        }
        above: tuple[str, ...] = ()
        if with_targets:
            body["targets"] = N(
                {y: float(v) for y, v in area.targets.items()},
                "assumption: units added over today's forces (basis above)",
            )
            body["shortfall_penalty"] = N(
                round(SHORTFALL_PENALTY_FACTOR * area.eu_unit_cost, 4),
                "assumption: 4 x eu unit cost, above every pain weight (max 3): a soft target "
                "that is bought whenever money can be raised",
            )
            above = tuple(wrap("Target basis: " + area.target_basis, 92))
        body["national"] = N(options, block=True)
        out[area.key] = N(body, above=above, blank=True)
    return out


def _programmes(countries: set[str]) -> dict[str, N]:
    out: dict[str, N] = {}
    for p in PROGRAMMES:
        eligible = [c for c in p.eligible if c in countries]
        out[p.key] = N(
            {
                "name": N(p.name),
                "capability": N(p.capability),
                "origin": N(p.origin),
                "unit_cost": N(p.unit_cost, "see cost basis above"),
                "lead_time": N(p.lead_time, "assumption: coordination adds a year (cost above)"),
                "capacity_per_year": N(
                    float(p.capacity_per_year), "assumption: units a year (cost above)"
                ),
                "eligible": N(eligible, "participants (source above)"),
            },
            above=tuple(wrap("Source: " + p.source, 92) + wrap("Cost: " + p.cost_basis, 92)),
            blank=True,
        )
    return out


def _coalitions(cds: list[CountryData]) -> dict[str, N]:
    allies = [c.iso for c in cds if c.nato]
    eu_plus = [c.iso for c in cds if c.eu or c.iso in ("GBR", "NOR")]
    return {
        "nato": N({"tags": ["nato"]}, "all 32 allies"),
        "europe_canada": N(
            {"members": [c for c in allies if c != "USA"]}, "NATO Europe and Canada: allies but USA"
        ),
        "eu_plus": N({"members": eu_plus}, "EU-27 (incl. AUT, CYP, IRL, MLT) + GBR + NOR"),
        "willing": N(
            {"members": [c for c in allies if c not in WILLING_EXCLUDES]},
            "all allies but HUN and SVK (WILLING_EXCLUDES)",
        ),
        "no_frugal": N(
            {"members": [c for c in allies if c not in FRUGAL]},
            "allies without DEU, NLD, DNK, SWE: the only coalition here in which SAFE can open",
        ),
    }


# =============================================================================================
# The documents
# =============================================================================================

_SOURCES_HEADER = [
    "Sources (full references: data/sources.md and data/policy_facts.md; 'policy_facts n.m' and",
    "bare 'n.m' refer to rows of policy_facts.md):",
    "  NATO Jun-2024  Defence Expenditure of NATO Countries (2014-2024), 17 Jun 2024, Table 3",
    "                 (2024e, share of GDP) - the vintage behind the 'record 23 allies at 2 %'",
    "  IMF WEO        World Economic Outlook database, April 2025 (GDP, revenue, non-EU fiscal)",
    "  Eurostat       gov_10dd_edpt1 / gov_10a_main (April 2026 extract: 2024 and 2025),",
    "                 gov_10a_exp COFOG GF10 (2023); IMF GFS COFOG GF10 where Eurostat has none",
    "  SIPRI          Military Expenditure Database, April 2025 (only source for AUT/CYP/IRL/MLT)",
    "",
]


def _vintage_counts(df: pd.DataFrame) -> dict[str, tuple[int, int]]:
    allies = df[df["nato_member"]]
    out = {}
    for column in (
        "defence_pct_gdp_2024_nato",
        "defence_pct_gdp_2024_nato_sgar2024",
        "milex_pct_gdp_2024_sipri",
    ):
        values = allies[column].dropna()
        values = values[values > 0]
        out[column] = (int((values >= 2.0).sum()), len(values))
    return out


def _common_header(fx: float) -> list[str]:
    return [
        f"Currency: {CURRENCY} bn. Euro members' GDP is IMF NGDP in euro; the others' IMF NGDPD in",
        f"USD is converted at {fx:g} EUR per USD, the 2024 average rate implied by the same IMF",
        "vintage (NGDP / NGDPD of the euro members; EUR_PER_USD). SAFE's EUR 150 bn needs no",
        "conversion.",
        "",
        f"Base year {BASE_YEAR}, data year {DATA_YEAR}. The data are 2024 figures, so GDP is rolled",
        "forward one year: GDP 2025 = GDP 2024 x (1 + growth assumption). Shares of GDP (defence,",
        "social, expenditure, revenue) are held at their data-year value. Debt and deficit use",
        "Eurostat's 2025 figures where they exist (EU members, April 2026 notification), else the",
        "2024 figure held. defence_pct_gdp is the 2024 share of NATO's June-2024 estimate",
        "(Table 3, 2024e), held as the 2025 baseline: no-policy-change spending; everything above it",
        "from 2026 on is what the model decides. For AUT, CYP, IRL, MLT (not allies) it is SIPRI's",
        "2024 share. For LUX and TUR NATO's GDP denominator differs from the IMF's (sources.md B):",
        "their baseline in money is therefore larger than NATO's USD figure (see their notes).",
        "",
    ]


def _defaults_node() -> N:
    """The `defaults` section both kinds of instance share: the tax and social pain curves."""
    return N(
        {
            "pain": N(
                {
                    "tax": N(
                        [list(s) for s in TAX_PAIN],
                        "assumption: marginal cost of public funds 1.2 rising to 2.0 "
                        "(Kleven & Kreiner: ~2 in high-tax states, 8.4)",
                    ),
                    "social": N(
                        [list(s) for s in SOCIAL_PAIN],
                        "assumption: cuts hurt more than taxes (spending multipliers > tax "
                        "multipliers, 8.1) plus a political penalty (8.6)",
                    ),
                },
                "debt curves are per country (by debt level)",
            )
        },
        blank=True,
    )


_NATO_FLOOR_NOTE = (
    "Floor: every ally with armed forces, linearly from 2 % in 2026 to 3.5 % in "
    "2035 (the Hague's 'credible, incremental path', 1.3). The 1.5 % resilience "
    "leg has no NATO statistical series (1.6) and is not modelled. Spain asked "
    "for 'flexibility' (2.1 %), but 'NATO has no opt-out' (1.8): Spain keeps the "
    "common floor. Iceland (no armed forces) and AUT, CYP, IRL, MLT (not allies) "
    "carry their own floor of 0."
)
_NATO_CAPABILITIES_NOTE = (
    "Capability areas. Targets are ILLUSTRATIVE ASSUMPTIONS (NATO's capability "
    "targets are classified), counted as units added over today's forces by the "
    "target year, grounded in the public statements quoted per area. Targets "
    "are soft (shortfall_penalty), so every coalition stays feasible. National "
    "options by origin: us (US_COST_FACTOR x eu price), eu, domestic "
    "(DOMESTIC_COST_FACTOR x eu price); all unit costs are assumptions in EUR bn."
)
_NATO_PROGRAMMES_NOTE = (
    "Joint programmes: seven real multinational programmes; participants are "
    "sourced, costs, lead times and capacities are assumptions."
)
_SAFE_NOTE = (
    "SAFE as the common-debt facility. Eligible: every EU member (19 applied, "
    "tag safe; 4.5); non-EU allies (GBR, NOR, TUR, ...) may join procurements "
    "but not borrow (4.4). requires_unanimity: SAFE itself was adopted by "
    "qualified majority (Hungary abstained, 4.2), but a common-debt instrument "
    "beyond it needs every participating member's consent; we model that veto: "
    "if an eligible member of the coalition refuses common debt (the FRUGAL "
    "assumption: DEU, NLD, DNK, SWE - DNK nonetheless applied for EUR 0.05 bn of "
    "SAFE), nobody draws. Set requires_unanimity to false to model SAFE as "
    "adopted. Draws count as national debt (national_debt_share 1): they use "
    "the borrower's borrowing limit and debt room, so France, Italy, Spain "
    "and Romania - without the escape clause and above the 60 % reference - "
    "cannot draw, although they applied (4.5)."
)
_CHOICE_NOTE = (
    "Coalition choice (assumption): if the US steps back, which European allies "
    "and Canada carry the capability targets at least pain? Each member takes on "
    "the floor; every candidate has a ramp limit, so its increase is bounded as "
    "MODEL.md requires."
)
_DISCOUNT_NOTE = "assumption: ~ a real social discount rate: later pain weighs a little less"


def _safe_node(cds: list[CountryData]) -> N:
    """nato-2035's `common_debt`: SAFE."""
    return N(
        {
            "cap": N(SAFE_CAP, "SAFE, Regulation (EU) 2025/1106: up to EUR 150 bn (4.2)"),
            "cap_per_year": N(
                SAFE_CAP_PER_YEAR, "assumption: lending from early 2026 (4.5) over about four years"
            ),
            "pain_weight": N(
                COMMON_DEBT_PAIN,
                "assumption: EU-rated loans, cheaper than national debt (>= 0.6) but "
                "still debt (8.6)",
            ),
            "national_debt_share": N(
                1.0, "SAFE lends to member states: the loans are their debt (4.2)"
            ),
            "min_eu_content_pct": N(
                SAFE_MIN_EU_CONTENT_PCT, "non-EU components <= 35 % of the cost (4.4)"
            ),
            "eligible": N(
                [c.iso for c in cds if c.eu],
                "EU-27: SAFE loans go to member states only (4.2, 4.4)",
            ),
            "requires_unanimity": N(SAFE_REQUIRES_UNANIMITY, "see above"),
        },
        above=tuple(wrap(_SAFE_NOTE, 92)),
        blank=True,
    )


def _choice_node() -> N:
    return N(
        {
            "candidates": N(CHOICE_CANDIDATES, "assumption: the US steps back (see above)"),
            "required": N(list(CHOICE_REQUIRED)),
            "forbidden": N([]),
            "member_cost": N(
                CHOICE_MEMBER_COST,
                "assumption: small coordination cost per member; breaks ties towards fewer members",
            ),
            "min_members": N(CHOICE_MIN_MEMBERS, "assumption: no minimum size imposed"),
        },
        above=tuple(wrap(_CHOICE_NOTE, 92)),
        blank=True,
    )


def _nato_document(df: pd.DataFrame, fx: float) -> tuple[dict, list[str]]:
    cds = [country_data(row, fx, "nato") for _, row in df.iterrows()]
    isos = {c.iso for c in cds}
    doc: dict[str, Any] = {
        "name": N("nato-2035"),
        "description": N(
            "NATO allies plus AUT, CYP, IRL, MLT: raising defence spending to 3.5 % of GDP by "
            "2035 under EU fiscal rules, with SAFE and joint programmes. Generated from "
            "data/countries.csv by burden_data/nato.py; do not edit by hand."
        ),
        "currency": N(CURRENCY, "money in billions of euro"),
        "years": N(list(NATO_YEARS), "base year 2025 = first - 1"),
        "discount_rate_pct": N(DISCOUNT_RATE_PCT, _DISCOUNT_NOTE),
        "objective": N("total_pain"),
        "spending_floor_pct_gdp": N(
            {y: float(v) for y, v in FLOOR_PATH.items()},
            "2 % now (Wales, 2.1/2.6) -> 3.5 % core defence by 2035 (Hague, 1.2)",
            above=tuple(wrap(_NATO_FLOOR_NOTE, 92)),
            blank=True,
        ),
        "ramp_limit_pct_gdp": N(
            RAMP_LIMIT_PCT,
            "assumption: the increase rises <= 0.75 % of GDP a year (POL +0.86 in 2024, Table "
            "3; ESP needs +0.72 for 2 % in 2026)",
        ),
        "burden_share_min_pct": N(0.0, "must be 0 with coalition_choice (MODEL.md)"),
        "defaults": _defaults_node(),
        "countries": N({cd.iso: _country_node(cd) for cd in cds}, blank=True),
        "capabilities": N(
            _capabilities(with_targets=True),
            above=tuple(wrap(_NATO_CAPABILITIES_NOTE, 92)),
            blank=True,
        ),
        "joint_programmes": N(
            _programmes(isos), above=tuple(wrap(_NATO_PROGRAMMES_NOTE, 92)), blank=True
        ),
        "common_debt": _safe_node(cds),
        "coalitions": N(_coalitions(cds), blank=True),
        "default_coalition": N("nato"),
        "coalition_choice": _choice_node(),
    }
    facts = base_year_facts(validate_document(plain(doc)))
    return doc, _nato_header(df, fx, facts)


_FISCAL_RULES_HEADER = [
    "Fiscal rules (policy_facts 4.6-4.8), per country below:",
    "  * the 16 requesters of the national escape clause: borrowing_limit_pct_gdp 1.5 (the",
    "    clause's maximum) and no debt ceiling (BEL, GRC, PRT, FIN requested it above 60 %).",
    "    The clause is granted 'up to 2028'; MODEL.md has no year-dependent limit, so the",
    "    instance keeps 1.5 for 2029-2035 too (assumption: extended or replaced; this",
    "    overstates borrowing room after 2028).",
    "  * the 11 EU members without it: debt_ceiling_pct_gdp 60 (room = gap to 60 % of GDP",
    "    after the baseline deficits; ZERO for FRA, ITA, ESP, AUT, ROU, which are or drift",
    "    above 60 % - intended: without the clause they have no legal room to debt-finance",
    "    defence and must use tax or cuts) and a yearly limit min(1.5, 3 - deficit).",
    "  * allies outside the EU: no ceiling, NON_EU_BORROWING_LIMIT_PCT 1.0 a year.",
    "Tax headroom (TAX_LIMIT_TIERS by revenue), social cuts (SOCIAL_CUT_LIMIT_PCT) and pain",
    "curves are assumptions; the debt curve's first weight rises with the debt ratio.",
    "Every member can finance its floor in every year from tax and social cuts plus, where no",
    "debt ceiling applies, its borrowing limit, within the ramp limit: every coalition is",
    "feasible with national money alone (tests/test_realdata.py checks this).",
    "",
]


def _nato_header(df: pd.DataFrame, fx: float, facts: dict[str, Any]) -> list[str]:
    """The header of nato-2035: sources, rules and the facts reproduced from the file."""
    counts = _vintage_counts(df)
    n23, of23 = counts["defence_pct_gdp_2024_nato"]
    n22, of22 = counts["defence_pct_gdp_2024_nato_sgar2024"]
    n18, of18 = counts["milex_pct_gdp_2024_sipri"]
    de = facts["germany_5pct"]
    header = [
        "nato-2035: who raises defence spending to the Hague floor, how, buying what.",
        "GENERATED by `burden build-nato data/countries.csv --out instances/`",
        "(burden_data/nato.py). Do not edit: change the CSV or the constants and rebuild.",
        "Every figure cites its source in a comment or says 'assumption:' and why.",
        "",
        *_SOURCES_HEADER,
        *_common_header(fx),
        *_FISCAL_RULES_HEADER,
        "Facts reproduced from this file (burden_data/facts.py: base_year_facts):",
        f"  * allies at >= 2 % of GDP in the base data: {facts['allies_at_2pct']} of "
        f"{facts['allies_with_armed_forces']} with armed forces",
        "    (NATO June-2024 vintage, the 'record 23', policy_facts 2.4);",
        f"    below 2 %: {', '.join(facts['allies_below_2pct'])}; "
        f"no armed forces: {', '.join(facts['allies_without_armed_forces'])}.",
        f"    Later vintages give fewer: SG Annual Report Apr-2025 {n22} (of the {of22} allies in "
        "the press list),",
        f"    NATO Aug-2025 edition 18 (2.5; only partial in the CSV), SIPRI Apr-2025 {n18} of "
        f"{of18}. 18 is the best",
        "    current estimate for 2024 (2.5); the instance keeps the June-2024 vintage because it",
        f"    is the only complete table on the NATO definition ({of23} allies) that the 3.5 % "
        "floor uses (1.6).",
        f"  * Germany: 5 % of its 2025 GDP ({de['gdp']:.1f}) = {de['five_pct_of_gdp']:.1f} bn = "
        f"{de['share_pct']:.1f} % of the 2025 federal",
        "    budget of 502.5 bn (5.3); Pistorius said 42 %, Merz's EUR 225 bn gives 45 % (5.1, 5.2).",
        f"  * least spending in {NATO_YEARS[1]} (max of baseline and floor) in % of general "
        "government expenditure",
        "    (expenditure held at its 2024 share of GDP): country  % GDP  % of expenditure",
    ]
    rows = [
        f"{c} {r['spending_pct_gdp']:4.2f} {r['pct_of_gov_expenditure']:5.2f}"
        for c, r in facts["final_year_spending"].items()
    ]
    for i in range(0, len(rows), 4):
        header.append("      " + "   ".join(rows[i : i + 4]))
    return header


def _brussels_document(df: pd.DataFrame, fx: float, level: float) -> tuple[dict, list[str]]:
    cds = [country_data(row, fx, "brussels") for _, row in df.iterrows()]
    name = brussels_file(level).removesuffix(".yaml")
    floor: Any = float(level) if level == FLOOR_PATH[NATO_YEARS[0]] else {
        BRUSSELS_YEARS[0]: FLOOR_PATH[NATO_YEARS[0]], BRUSSELS_YEARS[1]: float(level)
    }  # fmt: skip
    doc: dict[str, Any] = {
        "name": N(name),
        "description": N(
            f"The price of {level:g} % of GDP by {BRUSSELS_YEARS[1]}: per country, in pain and "
            "in % of general government expenditure. Generated by burden_data/nato.py; "
            "do not edit by hand."
        ),
        "currency": N(CURRENCY, "money in billions of euro"),
        "years": N(list(BRUSSELS_YEARS), "base year 2025 = first - 1"),
        "discount_rate_pct": N(DISCOUNT_RATE_PCT, _DISCOUNT_NOTE),
        "objective": N("total_pain"),
        "spending_floor_pct_gdp": N(
            floor,
            f"2 % in 2026 (Wales), then linearly to {level:g} % in {BRUSSELS_YEARS[1]}"
            if isinstance(floor, dict)
            else "2 % every year (the Wales guideline)",
            blank=True,
        ),
        "defaults": _defaults_node(),
        "countries": N({cd.iso: _country_node(cd) for cd in cds}, blank=True),
        "capabilities": N(
            _capabilities(with_targets=False),
            above=tuple(
                wrap(
                    "The eight areas of nato-2035 without targets: this instance prices the "
                    "spending level alone; the increase lands in 'other' spending.",
                    92,
                )
            ),
            blank=True,
        ),
        "coalitions": N(
            {
                "all": N("*", "all 36 countries (default)"),
                "nato": N({"tags": ["nato"]}),
                "eu": N({"tags": ["eu"]}),
            },
            blank=True,
        ),
        "default_coalition": N("all"),
    }
    prices = level_prices(validate_document(plain(doc)))
    return doc, _brussels_header(name, level, fx, prices)


_BRUSSELS_METHOD_HEADER = [
    "How the price is set: same data, pain curves, tax headroom and social-cut limits as",
    "nato-2035, applied to every country with armed forces (the non-allies are priced too, for",
    "comparison; Iceland has floor 0). No debt ceiling, no borrowing limit, no ramp, no common",
    "debt, no capability targets: national debt fills whatever tax and cuts cannot, at the",
    "steep last segment of the debt curve - the question is what the level would cost, not",
    "whether today's EU rules allow it (compare borrowing with the 1.5 % escape clause).",
    "Without targets or shared limits the optimum splits per country and year; the table is",
    "that exact optimum (burden_data/facts.py: level_prices) and a solve must reproduce",
]


def _price_row(c: str, r: dict[str, float]) -> str:
    """One country's line of the price table."""
    g_last = r["spending"] / r["level_pct_gdp"] * 100 if r["level_pct_gdp"] else None
    debt_pct = 0.0 if not g_last else 100 * r["final_year_debt"] / g_last
    return (
        f"  {c}  {r['level_pct_gdp']:5.2f} {r['spending']:9.1f} "
        f"{r['pct_of_gov_expenditure']:5.2f} | {r['increase']:9.1f} "
        f"{r['increase_pct_of_gov_expenditure']:5.2f} | {r['final_year_tax']:6.1f} "
        f"{r['final_year_social']:6.1f} {r['final_year_debt']:6.1f} {debt_pct:5.2f} | "
        f"{r['final_year_pain']:5.1f} | {r['pain_discounted']:6.1f} {r['pain_pct_gdp']:5.2f}"
    )


def _brussels_header(name: str, level: float, fx: float, prices: dict[str, Any]) -> list[str]:
    """The header of a price instance: sources, method and the price table."""
    last = BRUSSELS_YEARS[1]
    header = [
        f"{name}: the price of {level:g} % of GDP by {last}, per country.",
        f"One of three files (2 %, 3.5 %, 5 %: {', '.join(brussels_file(x) for x in BRUSSELS_LEVELS)})",
        "- MODEL.md has no scenario mechanism, so the level is switched by choosing the file.",
        "GENERATED by `burden build-nato data/countries.csv --out instances/`",
        "(burden_data/nato.py). Do not edit: change the CSV or the constants and rebuild.",
        "",
        *_SOURCES_HEADER,
        *_common_header(fx),
        *_BRUSSELS_METHOD_HEADER,
        f"it: objective (total discounted pain) = {prices['objective']:.3f}.",
        "",
        f"Per country in {last} (bn = EUR bn; GGE = general government expenditure, held at its",
        "2024 share of GDP): level and spending; the increase over the baseline; how it is raised",
        "that year (debt also in % of GDP: compare the escape clause's 1.5); that year's pain; and",
        f"the discounted pain {BRUSSELS_YEARS[0]}-{last}, also in % of 2025 GDP.",
        "        level  spending  % of |  increase  % of |    tax   cuts   debt  debt |  pain |"
        "   pain  pain",
        f"        % GDP        bn   GGE |        bn   GGE |     bn     bn     bn % GDP |  {last} |"
        "  total %GDP",
    ]
    header.extend(_price_row(c, r) for c, r in prices["countries"].items())
    return header


# =============================================================================================
# Entry point
# =============================================================================================


def render_instances(csv_path: Path) -> dict[str, str]:
    """File name -> YAML text of every instance built from `csv_path` (nothing written)."""
    df = read_countries(Path(csv_path))
    fx = implied_eur_per_usd(df)
    out: dict[str, str] = {}
    doc, header = _nato_document(df, fx)
    out[NATO_FILE] = emit(doc, header)
    for level in BRUSSELS_LEVELS:
        doc, header = _brussels_document(df, fx, level)
        out[brussels_file(level)] = emit(doc, header)
    return out


def build_nato_instances(csv_path: Path, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the real-data instances generated from `csv_path` into `out_dir`.

    Writes `nato-2035.yaml` and `brussels-2025-{2,3p5,5}pct.yaml`; returns their paths.
    Raises FileExistsError (before writing anything) if one of them exists and `force` is False.
    Deterministic: the same CSV gives the same bytes.
    """
    texts = render_instances(Path(csv_path))
    out_dir = Path(out_dir)
    paths = [out_dir / name for name in texts]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise FileExistsError(f"refusing to overwrite {names}; use force=True (--force)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        path.write_text(texts[path.name], encoding="utf-8", newline="\n")
    return paths


if __name__ == "__main__":  # pragma: no cover - convenience until the CLI command exists
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--out", type=Path, default=Path("instances"))
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    for written in build_nato_instances(args.csv, args.out, force=args.force):
        print(written)
