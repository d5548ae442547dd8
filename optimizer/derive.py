"""Derived data (MODEL.md, "Derived data"), computed once and shared by the model and the reports.

Everything here is plain arithmetic on the resolved instance: no Pyomo. Keys are `(country,
year)` for the planning years; `gdp` also holds the base year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from optimizer.instance.resolved import CommonDebt, Instance, path_value


@dataclass(frozen=True)
class Derived:
    """Per-country, per-year numbers the model and the reports read (money in billions)."""

    years: tuple[int, ...]
    base_year: int
    gdp: dict[tuple[str, int], float]
    """GDP_{c,t} for the base year and every planning year."""
    baseline: dict[tuple[str, int], float]
    """B_{c,t}: baseline defence spending."""
    social_baseline: dict[tuple[str, int], float]
    """Soc_{c,t}, where the country gives `social_pct_gdp`."""
    baseline_debt: dict[tuple[str, int], float]
    """BD_{c,t}, where the country gives `debt_pct_gdp`."""
    debt_room: dict[tuple[str, int], float]
    """R_{c,t}, where the country has a debt ceiling."""
    floor_increase: dict[tuple[str, int], float]
    """(Fl_{c,t} − defence_pct_gdp_c)/100 · GDP_{c,t}, where the floor applies (may be < 0)."""
    floor_pct: dict[tuple[str, int], float]
    """Fl_{c,t}, where the floor applies."""
    discount: dict[int, float]
    """d_t."""
    increase_bound: dict[tuple[str, int], float]
    """U_{c,t}: a bound on inc_{c,t} implied by the other constraints (inf where none)."""
    share: dict[str, float] | None = None
    """σ_c in % for every alliance country (v2); None without `alliance`."""


def curve_room(instance: Instance, cid: str, source: str, gdp: float) -> float:
    """The most a country's pain curve for `source` holds in a year of GDP `gdp` (0 without a
    curve, inf when its last segment is unbounded)."""
    curve = instance.countries[cid].pain.get(source)
    if not curve:
        return 0.0
    widths = [seg.width_pct_gdp for seg in curve]
    return math.inf if None in widths else sum(widths) / 100 * gdp


def source_bound(instance: Instance, cid: str, year: int, source: str, derived: dict) -> float:
    """The most a country can raise from one national source in one year (`derived`: the
    `gdp`, `social_baseline` and `debt_room` of `Derived`, by name)."""
    country = instance.countries[cid]
    if not country.pain.get(source):
        return 0.0
    gdp = derived["gdp"][cid, year]
    bound = curve_room(instance, cid, source, gdp)
    tax_limit = country.limit("tax_limit_pct_gdp", year)
    cut_limit = country.limit("social_cut_limit_pct", year)
    borrowing_limit = country.limit("borrowing_limit_pct_gdp", year)
    if source == "tax" and tax_limit is not None:
        bound = min(bound, tax_limit / 100 * gdp)
    if source == "social" and cut_limit is not None:
        social = derived["social_baseline"][cid, year]
        bound = min(bound, cut_limit / 100 * social)
    if source == "debt":
        if borrowing_limit is not None:
            bound = min(bound, borrowing_limit / 100 * gdp)
        if (cid, year) in derived["debt_room"]:
            bound = min(bound, derived["debt_room"][cid, year])
    return bound


def facility_bound(facility: CommonDebt, cid: str) -> float:
    """The most `cid` can draw on one facility in one year, if it may draw on it at all."""
    bound = facility.cap
    if facility.cap_per_year is not None:
        bound = min(bound, facility.cap_per_year)
    if facility.allocations is not None:
        bound = min(bound, facility.allocations.get(cid, 0.0))
    return bound


def _common_debt_bound(instance: Instance, cid: str) -> float:
    """The most `cid` can draw in one year, over every facility it may draw on."""
    total = 0.0
    for facility in instance.facilities.values():
        if may_draw(instance, facility, cid):
            total += facility_bound(facility, cid)
    return total


def may_draw(instance: Instance, facility: CommonDebt, cid: str) -> bool:
    """Constraint 12's first rule for facility h: eligible for h and accepting common debt
    (and, with allocations, listed: a country not listed has allocation 0)."""
    if not (facility.eligible_for(cid) and instance.countries[cid].accepts_common_debt):
        return False
    return facility.allocations is None or facility.allocations.get(cid, 0.0) > 0


def closes(instance: Instance, facility: CommonDebt, cid: str) -> bool:
    """Whether member `cid` shuts unanimity facility h: eligible for h but refusing common debt."""
    return (
        facility.requires_unanimity
        and facility.eligible_for(cid)
        and not instance.countries[cid].accepts_common_debt
    )


def can_draw_common_debt(instance: Instance, cid: str) -> bool:
    """Whether `cid` may draw on some facility (constraint 12's first rule)."""
    return any(may_draw(instance, f, cid) for f in instance.facilities.values())


def closes_common_debt(instance: Instance, cid: str) -> bool:
    """Whether `cid` as a member shuts some unanimity facility: eligible but not accepting."""
    return any(closes(instance, f, cid) for f in instance.facilities.values())


def derive(instance: Instance) -> Derived:
    """Compute every derived number of MODEL.md once."""
    years = tuple(instance.years)
    first, base = instance.first_year, instance.base_year
    gdp: dict[tuple[str, int], float] = {}
    baseline: dict[tuple[str, int], float] = {}
    social: dict[tuple[str, int], float] = {}
    baseline_debt: dict[tuple[str, int], float] = {}
    room: dict[tuple[str, int], float] = {}
    floor_increase: dict[tuple[str, int], float] = {}
    floor_pct: dict[tuple[str, int], float] = {}
    for cid, c in instance.countries.items():
        growth = 1 + c.gdp_growth_pct / 100
        for t in (base, *years):
            gdp[cid, t] = c.gdp * growth ** (t - base)
        cumulative_deficit = 0.0
        for t in years:
            g = gdp[cid, t]
            baseline[cid, t] = c.defence_pct_gdp / 100 * g
            if c.social_pct_gdp is not None:
                social[cid, t] = c.social_pct_gdp / 100 * g
            cumulative_deficit += c.deficit_pct_gdp / 100 * g
            if c.debt_pct_gdp is not None:
                baseline_debt[cid, t] = c.debt_pct_gdp / 100 * gdp[cid, base] + cumulative_deficit
            ceiling = c.limit("debt_ceiling_pct_gdp", t)
            if ceiling is not None:
                room[cid, t] = max(0.0, ceiling / 100 * g - baseline_debt[cid, t])
            floor = path_value(c.floor_pct_gdp, t)
            if floor is not None:
                floor_pct[cid, t] = floor
                floor_increase[cid, t] = (floor - c.defence_pct_gdp) / 100 * g
    discount = {t: (1 + instance.discount_rate_pct / 100) ** -(t - first) for t in years}

    partial = {"gdp": gdp, "social_baseline": social, "debt_room": room}
    bound: dict[tuple[str, int], float] = {}
    for cid, c in instance.countries.items():
        ramp_total = 0.0
        for t in years:
            funding = sum(
                source_bound(instance, cid, t, s, partial) for s in ("tax", "social", "debt")
            )
            funding += _common_debt_bound(instance, cid)
            u = funding
            if c.ramp_limit_pct_gdp is not None:
                ramp_total += c.ramp_limit_pct_gdp / 100 * gdp[cid, t]
                u = min(u, ramp_total)
            bound[cid, t] = u
    share = None
    if instance.alliance is not None:
        alliance_gdp = sum(gdp[c, base] for c in instance.alliance)
        share = {
            c: instance.countries[c].capability_share_pct
            if instance.countries[c].capability_share_pct is not None
            else 100 * gdp[c, base] / alliance_gdp
            for c in instance.alliance
        }
    return Derived(
        share=share,
        years=years,
        base_year=base,
        gdp=gdp,
        baseline=baseline,
        social_baseline=social,
        baseline_debt=baseline_debt,
        debt_room=room,
        floor_increase=floor_increase,
        floor_pct=floor_pct,
        discount=discount,
        increase_bound=bound,
    )
