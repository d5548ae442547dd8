"""Turn a solve outcome into the spec's result tables (MODEL.md, "Result files").

Everything is mapped back to domain names here, so no report ever touches Pyomo objects. The
analysis every result carries (binding limits, sensitivity, fairness) is attached by the pipeline
(`optimizer.pipeline.one.read_solution`), not here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from optimizer.derive import Derived
from optimizer.instance.resolved import Instance
from optimizer.version import __version__

if TYPE_CHECKING:  # types only: reading a result folder needs neither Pyomo nor HiGHS
    from optimizer.model.sets import ModelSets
    from optimizer.solver.highs import SolveOutcome

#: Purchases at or below this many units are not listed (MODEL.md: units > 1e-9).
UNITS_EPS = 1e-9

COUNTRY_COLUMNS = [
    "country", "year", "member", "gdp", "baseline", "increase", "spending", "spending_pct_gdp",
    "other", "running_cost", "tax", "social_cut", "national_debt", "common_debt", "interest",
    "pain", "extra_debt", "debt_room",
]  # fmt: skip
FACILITY_COLUMNS = ["facility", "country", "year", "draw"]
SHARE_COLUMNS = ["country", "capability", "year", "required", "delivered", "shortfall",
                 "marginal_pain"]  # fmt: skip
PROCUREMENT_COLUMNS = [
    "country", "year", "capability", "route", "source", "origin", "units", "spend",
]  # fmt: skip
CAPABILITY_COLUMNS = ["capability", "year", "target", "delivered", "shortfall", "marginal_pain"]


@dataclass
class Result:
    """One solved (or failed) coalition: the summary and the tables of its result folder."""

    summary: dict[str, Any]
    countries: pd.DataFrame
    procurement: pd.DataFrame
    capabilities: pd.DataFrame
    binding: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Further tables, each written as `<name>.csv` (sensitivity, fairness: optimizer.analysis)."""
    texts: dict[str, str] = field(default_factory=dict)
    """Further files written as they are, by file name (e.g. `infeasibility.md`)."""

    @property
    def status(self) -> str:
        """The solve status (`optimal`, `infeasible`, ...)."""
        return self.summary["status"]


def _source_total(outcome: SolveOutcome, sets: ModelSets, c: str, f: str, t: int) -> float:
    return sum(outcome.value("seg", (c, f, s, t)) for s in sets.segments_of[c, f, t])


def _penalty(instance: Instance, sets: ModelSets, k: str) -> float:
    penalty = instance.capabilities[k].shortfall_penalty
    return sets.hard_target_penalty if penalty is None else penalty


def _members_found(outcome: SolveOutcome, sets: ModelSets) -> tuple[str, ...]:
    if not sets.choice:
        return sets.members
    return tuple(c for c in sets.members if outcome.value("y", c) > 0.5)


def _stocks(
    instance: Instance, sets: ModelSets, outcome: SolveOutcome, actors: tuple[str, ...]
) -> dict[tuple[str, str, int], float]:
    """stock_{c,k,t} (units in service) for every acting country, area and year."""
    arrivals: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    wanted = set(actors)
    for c, k, o, tau in sets.purchases:
        if c in wanted:
            lead = instance.capabilities[k].lead_time
            arrivals[c, k][tau + lead] += outcome.value("buy", (c, k, o, tau))
    for c, j, tau in sets.contributions:
        if c in wanted:
            programme = instance.programmes[j]
            money = outcome.value("con", (c, j, tau))
            arrivals[c, programme.capability][tau + programme.lead_time] += (
                money / programme.unit_cost
            )
    stock: dict[tuple[str, str, int], float] = {}
    for (c, k), by_year in arrivals.items():
        total = 0.0
        for t in sets.years:
            total += by_year.get(t, 0.0)
            stock[c, k, t] = total
    return stock


def extract(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    coalition: str,
    members: tuple[str, ...] | None = None,
) -> Result:
    """Build the summary and the tables of MODEL.md from a solve outcome.

    `members` overrides who the members are (a sub-coalition solved on a variants model).
    """
    optimal = outcome.status == "optimal"
    # A plan to write: the optimum, or a MILP's best plan when a limit stopped it (its tables are
    # filled, the spec's summary numbers stay null and `best_found` carries its objective and gap).
    planned = optimal or getattr(outcome, "incumbent", None) is not None
    if members is None:
        members = (
            _members_found(outcome, sets) if planned else (() if sets.choice else sets.members)
        )
    actors = instance.actors(members) if instance.alliance is not None else members
    member_set = set(members)
    stock = _stocks(instance, sets, outcome, actors) if planned else {}
    countries, facility_rows, pain_by_country = _country_table(
        instance, derived, sets, outcome, actors if planned else (), member_set, stock
    )
    procurement = _procurement_table(instance, sets, outcome, actors if planned else None)
    capabilities = _capability_table(instance, sets, outcome, planned, optimal)
    tables: dict[str, pd.DataFrame] = {}
    if instance.facilities:
        tables["facilities"] = pd.DataFrame(facility_rows, columns=FACILITY_COLUMNS)
    if instance.alliance is not None:
        shares = _share_rows(instance, derived, sets, outcome, member_set, stock, planned, optimal)
        tables["capability_shares"] = pd.DataFrame(shares, columns=SHARE_COLUMNS)
    summary = _summary(
        instance, derived, sets, outcome, coalition, members, actors, pain_by_country
    )
    if planned and not optimal:
        pain_by_member = {c: v for c, v in pain_by_country.items() if c in member_set}
        summary["best_found"] = {
            **outcome.incumbent,
            "total_pain": sum(pain_by_country.values()),
            "pain_by_member": dict(pain_by_member),
        }
    return Result(summary, countries, procurement, capabilities, tables=tables)


def _country_table(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    actors: tuple[str, ...],
    member_set: set[str],
    stock: dict[tuple[str, str, int], float],
) -> tuple[pd.DataFrame, list[tuple[str, str, int, float]], dict[str, float]]:
    """countries.csv, the rows of facilities.csv and each acting country's discounted pain."""
    running = {k: a.running_cost for k, a in instance.capabilities.items() if a.running_cost > 0}
    country_rows: list[dict[str, Any]] = []
    facility_rows: list[tuple[str, str, int, float]] = []
    pain_by_country: dict[str, float] = {}
    for c in actors:
        pain_by_country[c] = _country_rows(
            instance, derived, sets, outcome, c, c in member_set, stock, running,
            country_rows, facility_rows,
        )  # fmt: skip
    countries = pd.DataFrame(country_rows, columns=[*COUNTRY_COLUMNS, "floor_pct_gdp"])
    return countries, facility_rows, pain_by_country


def _country_rows(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    c: str,
    member: bool,
    stock: dict[tuple[str, str, int], float],
    running: dict[str, float],
    country_rows: list[dict[str, Any]],
    facility_rows: list[tuple[str, str, int, float]],
) -> float:
    """Append country `c`'s row of each year (and its draws) and return its discounted pain."""
    country = instance.countries[c]
    facilities = instance.facilities
    extra_debt = 0.0
    discounted_pain = 0.0
    borrowed = 0.0  # Σ_{τ<t} bor, for the interest
    drawn = dict.fromkeys(facilities, 0.0)  # Σ_{τ<t} com_h
    for t in sets.years:
        gdp = derived.gdp[c, t]
        increase = outcome.value("inc", (c, t))
        borrow = _source_total(outcome, sets, c, "debt", t)
        interest = country.interest_rate_pct / 100 * borrowed + sum(
            f.national_debt_share * f.interest_rate_pct / 100 * drawn[h]
            for h, f in facilities.items()
        )
        common = 0.0
        pain = sum(
            seg.weight * outcome.value("seg", (c, f, s, t))
            for f, curve in country.pain.items()
            for s, seg in enumerate(curve)
        )
        for h, f in facilities.items():
            draw = outcome.value("com", (c, h, t))
            common += draw
            pain += f.pain_weight * draw
            extra_debt += f.national_debt_share * draw
            drawn[h] += draw
            if draw > UNITS_EPS:
                facility_rows.append((h, c, t, draw))
        borrowed += borrow
        discounted_pain += derived.discount[t] * pain
        extra_debt += borrow
        spending = derived.baseline[c, t] + increase
        country_rows.append(
            {
                "country": c,
                "year": t,
                "member": member,
                "gdp": gdp,
                "baseline": derived.baseline[c, t],
                "increase": increase,
                "spending": spending,
                "spending_pct_gdp": 100 * spending / gdp,
                "other": outcome.value("other", (c, t)),
                "running_cost": country.cost_factor
                * sum(r * stock.get((c, k, t), 0.0) for k, r in running.items()),
                "tax": _source_total(outcome, sets, c, "tax", t),
                "social_cut": _source_total(outcome, sets, c, "social", t),
                "national_debt": borrow,
                "common_debt": common,
                "interest": interest,
                "pain": pain,
                "extra_debt": extra_debt,
                "debt_room": derived.debt_room.get((c, t)),
                "floor_pct_gdp": derived.floor_pct.get((c, t)),
            }
        )
    return discounted_pain


def _procurement_table(
    instance: Instance, sets: ModelSets, outcome: SolveOutcome, actors: tuple[str, ...] | None
) -> pd.DataFrame:
    """procurement.csv: the acting countries' purchases and contributions (None: no plan)."""
    procurement_rows = []
    if actors is not None:
        chosen = set(actors)
        for c, k, o, t in sets.purchases:
            units = outcome.value("buy", (c, k, o, t))
            if c in chosen and units > UNITS_EPS:
                option = next(opt for opt in instance.capabilities[k].options if opt.id == o)
                spend = units * option.unit_cost * instance.countries[c].cost_factor
                procurement_rows.append((c, t, k, "national", o, option.origin, units, spend))
        for c, j, t in sets.contributions:
            money = outcome.value("con", (c, j, t))
            programme = instance.programmes[j]
            units = money / programme.unit_cost
            if c in chosen and units > UNITS_EPS:
                row = (c, t, programme.capability, "joint", j, programme.origin, units, money)
                procurement_rows.append(row)
    procurement = pd.DataFrame(procurement_rows, columns=PROCUREMENT_COLUMNS)
    if len(procurement):
        procurement = procurement.sort_values(
            ["country", "year", "capability", "route", "source"], kind="stable"
        ).reset_index(drop=True)
    return procurement


def _capability_table(
    instance: Instance, sets: ModelSets, outcome: SolveOutcome, planned: bool, optimal: bool
) -> pd.DataFrame:
    """capabilities.csv: each target point's target, delivered units, shortfall and dual."""
    capability_rows = []
    target_duals = outcome.duals.get("capability_targets", {})
    # capability by area and year it counts from: (k, first year it counts) → units, so each
    # target point sums over years instead of scanning every purchase (770 M steps at large)
    counts_from: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    if planned:
        for c, k, o, tau in sets.purchases:
            reliability = instance.countries[c].reliability
            lead = instance.capabilities[k].lead_time
            counts_from[k][tau + lead] += reliability * outcome.value("buy", (c, k, o, tau))
        for c, j, tau in sets.contributions:
            programme = instance.programmes[j]
            units = outcome.value("con", (c, j, tau)) / programme.unit_cost
            counts_from[programme.capability][tau + programme.lead_time] += (
                instance.countries[c].reliability * units
            )
    for k, t in sets.target_points:
        area = instance.capabilities[k]
        delivered = sum(v for year, v in counts_from[k].items() if year <= t)
        capability_rows.append(
            {
                "capability": k,
                "year": t,
                "target": area.targets[t],
                "delivered": delivered if planned else None,
                "shortfall": outcome.value("short", (k, t)) if planned else None,
                "marginal_pain": max(0.0, target_duals.get((k, t), 0.0)) if optimal else None,
            }
        )
    return pd.DataFrame(capability_rows, columns=CAPABILITY_COLUMNS)


def _share_rows(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    member_set: set[str],
    stock: dict[tuple[str, str, int], float],
    planned: bool,
    optimal: bool,
) -> list[dict[str, Any]]:
    """capability_shares.csv's rows: each outsider's share of every target point (v2)."""
    share_rows = []
    share_duals = outcome.duals.get("outsider_targets", {})
    for c, k, t in sets.share_points if planned else ():
        if c in member_set:
            continue  # a candidate that joined: no own share
        share_rows.append(
            {
                "country": c,
                "capability": k,
                "year": t,
                "required": (derived.share or {})[c] / 100 * instance.capabilities[k].targets[t],
                "delivered": instance.countries[c].reliability * stock.get((c, k, t), 0.0),
                "shortfall": outcome.value("short_share", (c, k, t)),
                "marginal_pain": max(0.0, share_duals.get((c, k, t), 0.0)) if optimal else None,
            }
        )
    return share_rows


def _shortfall_cost(
    instance: Instance, derived: Derived, sets: ModelSets, outcome: SolveOutcome
) -> float:
    """Σ d_t · penalty · shortfall over the targets and the outsiders' shares."""
    return float(
        sum(
            derived.discount[t] * _penalty(instance, sets, k) * outcome.value("short", (k, t))
            for k, t in sets.shortfalls
        )
        + sum(
            derived.discount[t]
            * _penalty(instance, sets, k)
            * outcome.value("short_share", (c, k, t))
            for c, k, t in sets.share_shortfalls
        )
    )


def _summary(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    coalition: str,
    members: tuple[str, ...],
    actors: tuple[str, ...],
    pain_by_country: dict[str, float],
) -> dict[str, Any]:
    """summary.json: the spec's numbers (null without an optimum), who is in, the solver."""
    optimal = outcome.status == "optimal"
    member_set = set(members)
    outsiders = tuple(c for c in actors if c not in member_set)
    pain_by_member = {c: v for c, v in pain_by_country.items() if c in member_set}
    member_cost = None
    if optimal:
        member_cost = instance.choice.member_cost * len(members) if sets.choice else 0.0
    return {
        "status": outcome.status,
        "objective": outcome.objective if optimal else None,
        "total_pain": sum(pain_by_country.values()) if optimal else None,
        "member_pain": sum(pain_by_member.values()) if optimal else None,
        "outsider_pain": (
            sum(v for c, v in pain_by_country.items() if c not in member_set) if optimal else None
        ),
        "shortfall_cost": _shortfall_cost(instance, derived, sets, outcome) if optimal else None,
        "member_cost": member_cost,
        "coalition": coalition,
        "members": list(instance.in_country_order(members)),
        "outsiders": list(outsiders),
        "objective_kind": instance.objective,
        "currency": instance.currency,
        "years": [instance.first_year, instance.last_year],
        "stage_values": outcome.stage_values,
        "pain_by_member": {c: pain_by_member[c] for c in members} if optimal else {},
        "pain_by_outsider": {c: pain_by_country[c] for c in outsiders} if optimal else {},
        # every acting country (outsiders too: their pain counts)
        "base_year_gdp": {c: derived.gdp[c, derived.base_year] for c in actors},
        "message": outcome.message,
        "solver": {
            "name": "highs",
            "version": outcome.solver_version,
            "seconds": round(outcome.seconds, 6),
            "mixed_integer": outcome.mixed_integer,
            "mip_gap": outcome.mip_gap,
            "numerics": getattr(outcome, "numerics", {}),
        },
        "instance": {
            "name": instance.name,
            "sha256": instance.sha256,
            "file": str(instance.file) if instance.file else None,
        },
        "package": {"name": "burden", "version": __version__},
    }
