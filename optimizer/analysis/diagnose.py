"""Why an instance has no plan, in the planner's words.

Three independent views, each naming constraint families, countries, areas and years:

1. **Pre-solve checks**: arithmetic on the instance alone, each a proof of infeasibility when it
   fires (every bound used is generous, so a reported conflict is real):
   - per member and year: what the floor demands against what the member can raise at most
     (tax limit or tax pain curve + social-cut limit + borrowing room + common debt), against what
     the ramp limit lets the increase reach, and, summed over years, against the debt room;
   - per capability target: the most the coalition could deliver by the target year (routes
     open to members, lead times, programme eligibility and capacity, members' money at the
     cheapest price) against the target;
   - origin quotas no open route can serve, a burden share above 100 %.
2. **HiGHS's irreducible infeasible subset** (IIS, `Highs.getIis`) of the LP (of the LP
   relaxation under coalition choice), mapped back from rows and column bounds to named
   constraints. Infeasibility is first confirmed with presolve off, since HiGHS's presolve has
   misreported it (HiGHS #2351, #2511).
3. **An elastic re-solve**: every capability target and every spending floor gets a shortfall
   column, and the total shortfall is minimised (floors weighted per percentage point of GDP,
   targets per percent of the target): the smallest relaxation that makes a plan possible. For each
   item short, a second solve asks whether relaxing that item alone would do, and by how much.

This module is the pure part: the pre-solve checks, and the IIS's rows and the elastic
re-solve's shortfalls (`optimizer.solver.diagnose` runs HiGHS) in domain words.
`optimizer.pipeline.diagnose.diagnose()` puts the three together in a `Diagnosis`, with
`lines()` for the terminal, `markdown()` for infeasibility.md and `to_dict()` for summary.json.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

from optimizer.derive import Derived, closes, curve_room, facility_bound, may_draw, source_bound
from optimizer.families import label as family_label
from optimizer.instance.resolved import Instance

#: Money below this (billions) is treated as zero in the checks.
EPS = 1e-7
#: Relative tolerance of a check: it fires only when the demand exceeds the capacity by more.
CHECK_REL = 1e-6

#: The order of the IIS's findings: by family (in the order below), then by row name.
IIS_ORDER = tuple(dict.fromkeys(family_label(name) for name in (
    "spending_floor", "capability_targets", "tax_limit", "social_floor", "debt_room",
    "annual_borrowing_limit", "ramp_limit", "programme_capacity", "common_debt_cap",
    "common_debt_cap_per_year", "common_debt_procurement_only", "common_debt_content",
    "origin_shares", "burden_share", "funding_balance", "spending_identity", "membership",
    "min_members", "facility_open", "max_pain_rows", "running_costs", "outsider_targets",
    "supply_limits", "facility_allocations", "seg",
)))  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One statement about the conflict, with what it names."""

    source: str
    """`check`, `iis` or `elastic`."""
    text: str
    families: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    constraint: str = ""
    """For IIS entries: `name[index]` of the model row or column."""
    programmes: tuple[str, ...] = ()


@dataclass
class Diagnosis:
    """The explanation of one coalition of one instance."""

    instance: str
    coalition: str
    members: tuple[str, ...]
    status: str
    """`infeasible`, `feasible` (with presolve off HiGHS finds a plan) or `error`."""
    note: str = ""
    checks: list[Finding] = field(default_factory=list)
    iis: list[Finding] = field(default_factory=list)
    iis_note: str = ""
    elastic: list[Finding] = field(default_factory=list)
    elastic_note: str = ""
    seconds: float = 0.0
    relaxed: bool = False
    """Coalition choice: the IIS is of the LP relaxation (membership in 0..1)."""

    @property
    def infeasible(self) -> bool:
        return self.status == "infeasible"

    def _all(self) -> list[Finding]:
        return [*self.checks, *self.elastic, *self.iis]

    def named(self) -> dict[str, list]:
        """Families, countries, areas and years named by any finding, in first-seen order.

        The model's identities (funding balance, spending identity) and non-negativity bounds
        take part in every conflict, so they name nothing here (they are listed in the IIS).
        """
        out: dict[str, list] = {"families": [], "countries": [], "areas": [], "years": []}
        for f in self._all():
            if f.families and f.families[0] in STRUCTURAL:
                continue
            for key in out:
                for item in getattr(f, key):
                    if item not in out[key]:
                        out[key].append(item)
        out["years"] = sorted(out["years"])
        return out

    def lines(self, *, limit: int = 8, rest_in: str = "infeasibility.md") -> list[str]:
        """The explanation for the terminal: a few lines; `rest_in` says where the rest is (a
        solve writes infeasibility.md; `burden explain` writes no file and says so)."""
        if self.status == "feasible":
            return [f"feasible: coalition {self.coalition} has a plan. {self.note}".strip()]
        if self.status != "infeasible":
            return [f"could not diagnose: {self.note}"]
        named = self.named()
        out = [
            f"Why coalition {self.coalition} ({', '.join(self.members) or 'no members'}) has "
            "no plan:"
        ]
        parts = [f"families: {', '.join(named['families'])}"] if named["families"] else []
        for key in ("countries", "areas"):
            if named[key]:
                parts.append(f"{key}: {', '.join(map(str, named[key]))}")
        if named["years"]:
            from optimizer.analysis.sensitivity import year_ranges

            parts.append(f"years: {year_ranges(named['years'])}")
        if parts:
            out.append("in conflict — " + " · ".join(parts))
        for f in self.checks[:limit]:
            out.append(f"• {f.text}")
        if len(self.checks) > limit:
            out.append(f"  … and {len(self.checks) - limit} more checks ({rest_in})")
        if self.elastic:
            out.append("smallest relaxation that makes a plan possible (elastic re-solve):")
            for f in self.elastic[:limit]:
                out.append(f"• {f.text}")
            if len(self.elastic) > limit:
                out.append(f"  … and {len(self.elastic) - limit} more ({rest_in})")
        elif self.elastic_note:
            out.append(f"elastic re-solve: {self.elastic_note}")
        if self.iis:
            out.append(
                f"irreducible conflict found by HiGHS ({len(self.iis)} rows and bounds): "
                + "; ".join(group_findings(self.iis))
            )
        elif self.iis_note:
            out.append(f"IIS: {self.iis_note}")
        return out

    def to_dict(self) -> dict:
        """For summary.json."""
        named = self.named()
        return {
            "status": self.status,
            "coalition": self.coalition,
            **named,
            "checks": [f.text for f in self.checks],
            "elastic": [f.text for f in self.elastic],
            "iis": [f.constraint for f in self.iis],
            "note": self.note,
        }

    def markdown(self) -> str:
        """infeasibility.md."""
        named = self.named()
        md = [f"# Why `{self.instance}` has no plan for coalition `{self.coalition}`", ""]
        md.append(f"Members: {', '.join(self.members) or '(none)'}. Status: **{self.status}**.")
        if self.note:
            md += ["", self.note]
        if self.status != "infeasible":
            return "\n".join(md) + "\n"
        md += ["", "## In conflict", ""]
        for key in ("families", "countries", "areas", "years"):
            if named[key]:
                md.append(f"- **{key}**: {', '.join(map(str, named[key]))}")
        md += ["", "## Pre-solve checks", ""]
        md.append(
            "Arithmetic on the instance alone; each fires only when even generous bounds "
            "cannot meet a requirement, so each is a proof that no plan exists."
        )
        md.append("")
        md += [f"- {f.text}" for f in self.checks] or ["- none fired (the conflict is subtler)"]
        md += ["", "## Smallest relaxation (elastic re-solve)", ""]
        md.append(
            "Every spending floor and capability target may fall short; the total shortfall "
            "(floors in percentage points of GDP, targets in percent of the target) is minimised. "
            "`alone` says whether relaxing only that item would be enough."
        )
        md.append("")
        md += [f"- {f.text}" for f in self.elastic] or [f"- {self.elastic_note or 'none'}"]
        md += ["", "## Irreducible infeasible subset (HiGHS IIS)", ""]
        md.append(
            "A smallest set of rows and bounds of the model that has no solution together "
            "(dropping any one of them leaves a feasible set). Found on the LP with presolve off"
            + (" (the LP relaxation, under coalition choice)." if self.relaxed else ".")
        )
        md.append("")
        if self.iis:
            md += ["| family | constraint | what it says |", "|---|---|---|"]
            for f in self.iis:
                family = ", ".join(f.families)
                md.append(f"| {family} | `{f.constraint}` | {f.text} |")
        else:
            md.append(f"- {self.iis_note or 'not available'}")
        md += ["", f"_Diagnosed in {self.seconds:.2f} s._", ""]
        return "\n".join(md)


#: Families that take part in every conflict: listed in the IIS, but naming nothing.
STRUCTURAL = ("funding balance", "spending identity", "non-negativity", "membership")


def group_findings(findings: list[Finding], *, limit: int = 12) -> list[str]:
    """`spending floor ITA 2026–2027` per family and country/area, structural families last."""
    from optimizer.analysis.sensitivity import year_ranges

    groups: dict[tuple[str, str], list[int]] = {}
    for f in findings:
        family = f.families[0] if f.families else "bound"
        if family == "non-negativity":
            continue
        who = " ".join([*f.countries, *(f.programmes or f.areas)])
        groups.setdefault((family, who), []).extend(f.years)
    keys = sorted(groups, key=lambda key: key[0] in STRUCTURAL)
    out = [f"{fam} {who} {year_ranges(groups[fam, who])}".replace("  ", " ").strip()
           for fam, who in keys]  # fmt: skip
    if len(out) > limit:
        out = [*out[:limit], f"… {len(out) - limit} more"]
    return out


# -- helpers -------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.2f} %"


def _money(x: float, currency: str) -> str:
    return f"{x:,.1f} bn {currency}".rstrip()


@dataclass
class _Source:
    amount: float
    label: str


class _Capacity:
    """What each member can raise at most per year, by source, with the limit that sets it."""

    def __init__(self, instance: Instance, derived: Derived, members: tuple[str, ...], choice):
        self.instance, self.derived, self.members = instance, derived, members
        # v2: per facility, the members that shut it by its unanimity rule (fixed coalition)
        self.shut_by = {
            h: [] if choice else [c for c in members if closes(instance, f, c)]
            for h, f in instance.facilities.items()
        }
        self.sources: dict[tuple[str, int], dict[str, _Source]] = {}
        self.total: dict[tuple[str, int], float] = {}
        self.reach: dict[tuple[str, int], float] = {}
        for c in members:
            ramp_total = 0.0
            country = instance.countries[c]
            for t in derived.years:
                sources = self._sources(c, t)
                self.sources[c, t] = sources
                self.total[c, t] = sum(s.amount for s in sources.values())
                if country.ramp_limit_pct_gdp is not None:
                    ramp_total += country.ramp_limit_pct_gdp / 100 * derived.gdp[c, t]
                    self.reach[c, t] = ramp_total
                else:
                    self.reach[c, t] = math.inf

    def _common(self, c: str) -> tuple[float, str, float]:
        """The most c can draw in a year over every facility open to it, what sets it, and the
        smallest κ among them (an upper bound on what the facilities add: the checks below
        fire only when a demand exceeds it)."""
        facilities = self.instance.facilities
        if not facilities:
            return 0.0, "no common-debt facility", 1.0
        amounts, labels, kappas = [], [], []
        for h, f in facilities.items():
            if self.shut_by[h]:
                labels.append(
                    f"{h} is shut: {', '.join(self.shut_by[h])} refuse(s) common debt and it "
                    "requires unanimity"
                )
            elif not may_draw(self.instance, f, c):
                labels.append(f"{c} may not draw on {h} (not eligible, no allocation or refuses)")
            else:
                amounts.append(facility_bound(f, c))
                kappas.append(f.national_debt_share)
                labels.append(f"{h} cap" if len(facilities) > 1 else "common-debt cap")
        return sum(amounts), "; ".join(labels), min(kappas, default=1.0)

    def kappa(self, c: str) -> float:
        """The smallest κ among the facilities open to c (1 without any)."""
        return self._common(c)[2]

    def money(self, c: str, t: int) -> float:
        """The most c can add to defence in t: funding capacity, and the ramp's reach."""
        return min(self.total[c, t], self.reach[c, t])

    def _curve(self, c: str, source: str, t: int) -> float:
        return curve_room(self.instance, c, source, self.derived.gdp[c, t])

    def _sources(self, c: str, t: int) -> dict[str, _Source]:
        return {"tax": self._tax(c, t), "social": self._social(c, t), **self._debt(c, t)}

    def _bound(self, c: str, t: int, source: str) -> float:
        d = self.derived
        derived = {"gdp": d.gdp, "social_baseline": d.social_baseline, "debt_room": d.debt_room}
        return source_bound(self.instance, c, t, source, derived)

    def _tax(self, c: str, t: int) -> _Source:
        country = self.instance.countries[c]
        if "tax" not in country.pain:
            return _Source(0.0, "tax (no pain curve)")
        tax_limit = country.limit("tax_limit_pct_gdp", t)
        # the amount is derive's bound; the label says which of the two sets it
        gdp = self.derived.gdp[c, t]
        by_limit = tax_limit is not None and tax_limit / 100 * gdp <= self._curve(c, "tax", t)
        sets = "tax limit" if by_limit else "tax (pain curve width)"
        return _Source(self._bound(c, t, "tax"), sets)

    def _social(self, c: str, t: int) -> _Source:
        country = self.instance.countries[c]
        if "social" not in country.pain:
            return _Source(0.0, "social cut (no pain curve)")
        cut_limit = country.limit("social_cut_limit_pct", t)
        limit = (
            cut_limit / 100 * self.derived.social_baseline[c, t]
            if cut_limit is not None
            else math.inf
        )
        sets = (
            "social-cut limit" if limit <= self._curve(c, "social", t)
            else "social cut (pain curve width)"
        )  # fmt: skip
        return _Source(self._bound(c, t, "social"), sets)

    def _debt(self, c: str, t: int) -> dict[str, _Source]:
        """Borrowing and common debt: bor ≤ W, com ≤ C, bor + κ com ≤ D."""
        d = self.derived
        country = self.instance.countries[c]
        width = self._curve(c, "debt", t) if "debt" in country.pain else 0.0
        limits = []
        borrowing_limit = country.limit("borrowing_limit_pct_gdp", t)
        if borrowing_limit is not None:
            limits.append((borrowing_limit / 100 * d.gdp[c, t], "borrowing limit"))
        if (c, t) in d.debt_room:
            ceiling = country.limit("debt_ceiling_pct_gdp", t)
            limits.append((d.debt_room[c, t], f"debt room under the {ceiling:g} % ceiling"))
        room = min((amount for amount, _label in limits), default=math.inf)
        # every limit that sets the room (borrowing limit and debt room may both be 0)
        room_label = ", ".join(
            label for amount, label in limits if amount <= room + EPS * max(1.0, room)
        )
        common, common_label, kappa = self._common(c)
        draw = common if kappa == 0 else min(common, room / kappa)
        borrow = min(width, room - kappa * draw) if room < math.inf else width
        borrow = max(0.0, borrow)
        if "debt" not in country.pain:
            label = "borrowing (no debt pain curve)"
        elif room_label and (room <= width or math.isinf(width)):
            label = f"borrowing room ({room_label})"
        else:
            label = "borrowing (pain curve width)"
        return {
            "debt": _Source(borrow, label),
            "common": _Source(draw, f"common debt ({common_label})"),
        }


def _families_of(label: str) -> tuple[str, ...]:
    """The constraint families a source's label names (a label may name two limits)."""
    if "no pain curve" in label or "no debt pain curve" in label:
        return ()  # a source without a curve is not a limit: it is not there at all
    found = []
    for text, family in (("tax limit", "tax limit"), ("social-cut limit", "social-cut limit"),
                         ("pain curve", "pain curve width"), ("borrowing limit", "borrowing limit"),
                         ("debt room", "debt room"), ("shut", "common-debt unanimity")):  # fmt: skip
        if text in label:
            found.append(family)
    return tuple(found)


# -- 1. pre-solve checks ------------------------------------------------------------------------------


def _floor_checks(instance: Instance, derived: Derived, cap: _Capacity, c: str) -> list[Finding]:
    """Member c's floors against its funding capacity, its ramp and (summed) its debt room."""
    findings: list[Finding] = []
    debt_need = 0.0
    fired_debt = False
    for t in derived.years:
        need = derived.floor_increase.get((c, t), 0.0)
        if need <= EPS:
            continue
        sources = cap.sources[c, t]
        total = cap.total[c, t]
        tol = CHECK_REL * max(1.0, need)
        if need > total + tol:
            findings.append(_funding_finding(instance, derived, cap, c, t, need))
        if need > cap.reach[c, t] + tol:
            findings.append(_ramp_finding(instance, derived, cap, c, t, need))
        # debt: what tax and social cuts cannot cover must be borrowed (κ per unit drawn)
        rest = max(0.0, need - sources["tax"].amount - sources["social"].amount)
        draw = min(rest, sources["common"].amount)
        debt_need += cap.kappa(c) * draw + (rest - draw)
        room = derived.debt_room.get((c, t))
        if (
            room is not None
            and not fired_debt
            and debt_need > room + CHECK_REL * max(1.0, debt_need)
            and need <= total + tol
        ):
            fired_debt = True
            findings.append(_debt_finding(instance, derived, sources, c, t, debt_need, room))
    return findings


def _funding_finding(
    instance: Instance, derived: Derived, cap: _Capacity, c: str, t: int, need: float
) -> Finding:
    gdp = derived.gdp[c, t]
    sources = cap.sources[c, t]
    used = [s for s in sources.values() if s.amount > EPS or "limit" in s.label
            or "room" in s.label]  # fmt: skip
    parts = " + ".join(f"{s.label} {_pct(100 * s.amount / gdp)}" for s in used) or (
        "no source of money"
    )
    families = ["spending floor"]
    for s in sources.values():
        families += [f for f in _families_of(s.label) if f not in families]
    return Finding(
        "check",
        f"{c} {t}: the floor of {derived.floor_pct[c, t]:.2f} % of GDP needs "
        f"{_pct(100 * need / gdp)} of GDP more ({_money(need, instance.currency)}), "
        f"but {parts} give{'s' if len(used) == 1 else ''} at most "
        f"{_pct(100 * cap.total[c, t] / gdp)}",
        tuple(families),
        (c,),
        (),
        (t,),
    )


def _ramp_finding(
    instance: Instance, derived: Derived, cap: _Capacity, c: str, t: int, need: float
) -> Finding:
    gdp = derived.gdp[c, t]
    return Finding(
        "check",
        f"{c} {t}: the floor of {derived.floor_pct[c, t]:.2f} % of GDP needs "
        f"{_pct(100 * need / gdp)} of GDP more, but the ramp limit of "
        f"{instance.countries[c].ramp_limit_pct_gdp:g} % of GDP a year from "
        f"{derived.years[0]} lets the increase reach at most "
        f"{_pct(100 * cap.reach[c, t] / gdp)} by {t}",
        ("spending floor", "ramp limit"),
        (c,),
        (),
        (t,),
    )


def _debt_finding(
    instance: Instance,
    derived: Derived,
    sources: dict[str, _Source],
    c: str,
    t: int,
    debt_need: float,
    room: float,
) -> Finding:
    currency = instance.currency
    first = next(y for y in derived.years if derived.floor_increase.get((c, y), 0.0) > EPS)
    ceiling = instance.countries[c].limit("debt_ceiling_pct_gdp", t)
    return Finding(
        "check",
        f"{c} {first}–{t}: the floors need at least "
        f"{_money(debt_need, currency)} of new debt beyond what "
        f"{sources['tax'].label} and {sources['social'].label} can raise, but "
        f"the room under the {ceiling:g} % debt ceiling is {_money(room, currency)} by {t}",
        (
            "spending floor",
            "debt room",
            *_families_of(sources["tax"].label),
            *_families_of(sources["social"].label),
        ),
        (c,),
        (),
        tuple(y for y in derived.years if first <= y <= t),
    )


def presolve_checks(
    instance: Instance, derived: Derived, members: tuple[str, ...], choice: bool = False
) -> list[Finding]:
    """The arithmetic checks of the module docstring (under choice: required members only for
    floors, every candidate for targets)."""
    cap = _Capacity(instance, derived, members, choice)
    findings: list[Finding] = []
    floor_members = set(instance.choice.required) if choice and instance.choice else set(members)
    blocked: set[str] = set()
    for c in members:
        fired = _floor_checks(instance, derived, cap, c)
        if fired:
            blocked.add(c)
        if c in floor_members:
            findings += fired
    able = tuple(c for c in members if c not in blocked) if choice else members
    findings += _target_checks(instance, derived, able, cap)
    findings += _other_checks(instance, able)
    if choice and instance.choice is not None and instance.choice.min_members > len(able):
        findings.append(
            Finding(
                "check",
                f"coalition choice needs at least {instance.choice.min_members} members, but only "
                f"{len(able)} candidates can meet their own floors ({', '.join(able) or 'none'})",
                ("minimum members", "spending floor"),
                tuple(sorted(blocked)),
            )
        )
    return findings


def _target_checks(instance, derived, members, cap: _Capacity) -> list[Finding]:
    findings: list[Finding] = []
    for k, area in instance.capabilities.items():
        for t, target in area.targets.items():
            if target <= EPS or area.shortfall_penalty is not None:
                continue
            finding = _target_check(instance, derived, members, cap, k, t)
            if finding is not None:
                findings.append(finding)
    return findings


def _routes(instance, derived, members, k: str, t: int):
    """The ways the members could deliver area k's target of year t: (routes (payer, year,
    price, None) at an unlimited rate, units a capped programme adds at most, why a route is
    missing, the families those reasons name)."""
    area = instance.capabilities[k]
    reasons: list[str] = []
    families = ["capability target"]
    national_years = [y for y in derived.years if y <= t - area.lead_time]
    if not area.options:
        reasons.append("no national option")
    elif not national_years:
        reasons.append(
            f"national options: lead time {area.lead_time} leaves no year to pay "
            f"(first year {derived.years[0]})"
        )
        families.append("lead time")
    routes = []  # (payer, year, price, capped programme id or None)
    if area.options and members:
        for c in members:
            price = min(o.unit_cost for o in area.options) * instance.countries[c].cost_factor
            routes += [(c, y, price, None) for y in national_years]
    capped: dict[str, float] = {}
    for j, prog in instance.programmes.items():
        if prog.capability != k:
            continue
        eligible = [c for c in members if prog.eligible is None or c in prog.eligible]
        years = [y for y in derived.years if y <= t - prog.lead_time]
        if not eligible:
            allowed = ", ".join(sorted(prog.eligible or ()))
            reasons.append(f"{j}: no member is eligible (eligible: {allowed})")
            families.append("programme eligibility")
            continue
        if not years:
            reasons.append(f"{j}: lead time {prog.lead_time} leaves no year to pay")
            families.append("lead time")
            continue
        if prog.capacity_per_year is not None:
            rho = max(instance.countries[c].reliability for c in eligible)
            capped[j] = rho * prog.capacity_per_year * len(years)
            continue
        routes += [(c, y, prog.unit_cost, None) for c in eligible for y in years]
    return routes, capped, reasons, families


def _target_check(instance, derived, members, cap: _Capacity, k: str, t: int) -> Finding | None:
    """Area k's target of year t against the most the members could deliver by t."""
    area = instance.capabilities[k]
    target = area.targets[t]
    routes, capped, reasons, families = _routes(instance, derived, members, k, t)
    if not routes and not capped:
        return Finding(
            "check",
            f"{k} {t}: target {target:g} {area.unit}, but the coalition has no way "
            f"to deliver any by {t}: {'; '.join(reasons) or 'no route'}",
            tuple(dict.fromkeys(families)),
            (),
            (k,),
            (t,),
        )
    # the most money could buy: each member-year's whole capacity at its cheapest price
    best: dict[tuple[str, int], float] = {}
    for c, y, price, _ in routes:
        best[c, y] = min(best.get((c, y), math.inf), price)
    bought = sum(
        instance.countries[c].reliability * cap.money(c, y) / price
        for (c, y), price in best.items()
    )
    most = bought + sum(capped.values())
    if target <= most + CHECK_REL * max(1.0, target):
        return None
    detail = []
    if best:
        payers = sorted({c for c, _y in best})
        years = sorted({y for _c, y in best})
        detail.append(
            f"the members' whole funding capacity in {years[0]}–{years[-1]} buys at "
            f"most {bought:,.1f} at the cheapest prices"
            + (f" ({', '.join(payers)})" if len(payers) <= 6 else "")
        )
        families.append("funding limits")
    for j, units in capped.items():
        prog = instance.programmes[j]
        detail.append(
            f"{j}'s capacity of {prog.capacity_per_year:g} a year adds at most {units:,.1f}"
        )
        families.append("programme capacity")
    return Finding(
        "check",
        f"{k} {t}: target {target:g} {area.unit}, but the coalition can deliver "
        f"at most {most:,.1f} by {t}: {'; '.join(detail)}",
        tuple(dict.fromkeys(families)),
        tuple(sorted({c for c, _y in best})) if len(best) else (),
        (k,),
        (t,),
    )


def _other_checks(instance: Instance, members) -> list[Finding]:
    findings: list[Finding] = []
    needs_procurement = [
        (k, t)
        for k, area in instance.capabilities.items()
        if area.shortfall_penalty is None
        for t, target in area.targets.items()
        if target > EPS
    ]
    shares = instance.origin_min_share_pct
    if needs_procurement and shares:
        total = sum(shares.values())
        if total > 100 + 1e-9:
            findings.append(
                Finding(
                    "check",
                    f"the minimum origin shares add up to {total:g} % of procurement (> 100 %), "
                    "and the hard targets need procurement",
                    ("origin share", "capability target"),
                    (),
                    tuple(dict.fromkeys(k for k, _t in needs_procurement)),
                )
            )
        for g, share in shares.items():
            if share <= 0:
                continue
            open_route = any(
                o.origin == g for a in instance.capabilities.values() for o in a.options
            )
            open_route = open_route or any(
                p.origin == g and (p.eligible is None or any(c in p.eligible for c in members))
                for p in instance.programmes.values()
            )
            if not open_route:
                findings.append(
                    Finding(
                        "check",
                        f"origin share {g}: at least {share:g} % of procurement must come from "
                        f"{g}, but no national option or programme open to the members has "
                        f"origin {g}, and the hard targets need procurement",
                        ("origin share", "capability target"),
                        (),
                        tuple(dict.fromkeys(k for k, _t in needs_procurement)),
                    )
                )
    if instance.burden_share_min_pct > 100 and len(members) > 1:
        findings.append(
            Finding(
                "check",
                f"burden_share_min_pct {instance.burden_share_min_pct:g} > 100: summed over the "
                "members it asks for more than the whole increase, so no member may spend more "
                "than its baseline (floors and targets then cannot be met)",
                ("burden share",),
                tuple(members),
            )
        )
    return findings


# -- 2. and 3.: the LP, in domain words -------------------------------------------------------------


def _key(name: str, index: Any) -> str:
    """`name[index]` of a model row or column."""
    return f"{name}[{','.join(map(str, index)) if isinstance(index, tuple) else index}]"


def _country_row(instance: Instance, derived: Derived, name: str, country: str, year) -> str:
    """What a country-year row of `name` says (empty: nothing more than its name)."""
    c = instance.countries[country]
    if name == "spending_floor":
        need = derived.floor_increase[country, year]
        return (
            f": spending ≥ {derived.floor_pct[country, year]:.2f} % of GDP "
            f"({_money(need, instance.currency)} above the baseline)"
        )
    if name == "tax_limit":
        return f": tax rise ≤ {c.limit('tax_limit_pct_gdp', year):g} % of GDP"
    if name == "social_floor":
        cut = c.limit("social_cut_limit_pct", year)
        return (
            f": social cut ≤ {cut:g} % of baseline social spending "
            f"({_pct(cut * c.social_pct_gdp / 100)} of GDP)"
        )
    if name == "debt_room":
        return (
            f": new debt to {year} ≤ {_money(derived.debt_room[country, year], instance.currency)}"
            f" (room under the {c.limit('debt_ceiling_pct_gdp', year):g} % ceiling)"
        )
    if name == "annual_borrowing_limit":
        return f": borrowing ≤ {c.limit('borrowing_limit_pct_gdp', year):g} % of GDP a year"
    if name == "ramp_limit":
        return f": the increase rises ≤ {c.ramp_limit_pct_gdp:g} % of GDP a year"
    if name == "running_costs":
        return ": other spending ≥ the running costs of the units in service"
    return ""


def _indexed_row(instance: Instance, derived: Derived, name: str, index: Any) -> str:
    """The text of a row of a family indexed otherwise than by (country or area, year)."""
    title = family_label(name)
    if name == "programme_capacity":
        j, year = index
        prog = instance.programmes[j]
        return f"{title}: {j} {year}: ≤ {prog.capacity_per_year:g} units a year"
    if name == "origin_shares":
        share = instance.origin_min_share_pct[index]
        return f"{title}: {index}: ≥ {share:g} % of procurement from {index}"
    if name == "outsider_targets":  # v2, 10b: (c, k, t)
        country, area, year = index
        cap = instance.capabilities[area]
        share = (derived.share or {}).get(country, 0.0)
        return (
            f"{title}: {country} {area} {year}: as an outsider, {country} alone delivers "
            f"≥ {share:.4g} % of the target ({share / 100 * cap.targets[year]:.4g} {cap.unit}) "
            f"with national purchases"
        )
    if name == "supply_limits":  # v2, 11b: (k, o, t)
        area, option, year = index
        q = next(o.capacity_per_year for o in instance.capabilities[area].options if o.id == option)
        return (
            f"{title}: {area} {option} {year}: every acting country together buys ≤ {q:g} "
            f"{instance.capabilities[area].unit} a year from {option}"
        )
    if name == "facility_allocations":  # v2, 12: (h, c)
        facility, country = index
        allocation = instance.facilities[facility].allocations.get(country, 0.0)
        return (
            f"{title}: {facility} {country}: draws over the horizon ≤ "
            f"{_money(allocation, instance.currency)}"
        )
    raise KeyError(name)


_INDEXED = (
    "programme_capacity", "origin_shares", "outsider_targets", "supply_limits",
    "facility_allocations",
)  # fmt: skip


#: What the model's balances say, whatever the row.
_BALANCES = {
    "funding_balance": ": increase = tax + social cut + borrowing + common debt",
    "spending_identity": ": increase = procurement + other spending",
}


def _row_subject(instance: Instance, index: Any) -> tuple[str | None, str | None, int | None]:
    """(country, area, year) a row's index names."""
    country = area = year = None
    if isinstance(index, tuple) and len(index) == 2 and isinstance(index[1], int):
        who, year = index
        if who in instance.countries:
            country = who
        elif who in instance.capabilities:
            area = who
    elif isinstance(index, str) and index in instance.countries:
        country = index
    elif isinstance(index, int):
        year = index
    return country, area, year


def _describe_row(instance: Instance, derived: Derived, name: str, index) -> Finding:
    title = family_label(name)
    country, area, year = _row_subject(instance, index)
    first = country or area or (index if not isinstance(index, tuple) else index[0])
    text = f"{title}: {' '.join(str(p) for p in (first, year) if p is not None)}"
    if name in _INDEXED:
        text = _indexed_row(instance, derived, name, index)
    elif name in _BALANCES:
        text += _BALANCES[name]
    elif name == "capability_targets" and area is not None:
        cap = instance.capabilities[area]
        text += f": deliver ≥ {cap.targets[year]:g} {cap.unit}"
    elif country is not None:
        text += _country_row(instance, derived, name, country, year)
    # what an index other than (country or area, year) names
    if name == "outsider_targets":
        country, area, year = index
    elif name == "supply_limits":
        area, _option, year = index
    elif name == "facility_allocations":
        _facility, country = index
    areas = (area,) if area else ()
    programmes: tuple[str, ...] = ()
    if name == "programme_capacity":
        areas = (instance.programmes[index[0]].capability,)
        programmes = (index[0],)
        year = index[1]
    return Finding(
        "iis",
        text,
        (title,),
        (country,) if country else (),
        areas,
        (year,) if year is not None else (),
        _key(name, index),
        programmes,
    )


def _describe_column(
    instance: Instance, derived: Derived, name: str, index: Any, bound: int
) -> Finding | None:
    """A column bound of the IIS (`bound`: HiGHS's IIS bound status of the column)."""
    key = _key(name, index)
    upper = bound in (3, 4)  # kIisBoundStatusUpper, Boxed
    if name == "seg" and upper:
        c, f, s, t = index
        seg = instance.countries[c].pain[f][s]
        return Finding(
            "iis",
            f"pain curve width: {c} {t}: {f} segment {s + 1} holds at most "
            f"{seg.width_pct_gdp:g} % of GDP (the curve has no unbounded last segment)",
            ("pain curve width",),
            (c,),
            (),
            (t,),
            key + " ≤ ub",
        )
    if name == "short" and upper:
        k, t = index
        return Finding(
            "iis",
            f"capability target: {k} {t}: a hard target (no shortfall_penalty), no shortfall allowed",
            ("capability target",),
            (),
            (k,),
            (t,),
            key + " ≤ 0",
        )
    if name == "y":
        return Finding("iis", f"membership: {index} fixed", ("membership",), (index,), (), (),
                       key)  # fmt: skip
    if not upper:
        country = index[0] if isinstance(index, tuple) and index[0] in instance.countries else None
        year = index[-1] if isinstance(index, tuple) and isinstance(index[-1], int) else None
        return Finding(
            "iis",
            f"non-negativity: {key} ≥ 0",
            ("non-negativity",),
            (country,) if country else (),
            (),
            (year,) if year is not None else (),
            key + " ≥ 0",
        )
    return Finding("iis", f"bound: {key}", (), (), (), (), key)


class IisResult(Protocol):
    """What `optimizer.solver.diagnose.Feasibility.iis` returns (its `IisOutcome`)."""

    status: str
    relaxed: bool
    model_status: str
    found: bool
    rows: list[tuple[str, Any]]
    columns: list[tuple[str, Any, int]]


def iis_findings(instance: Instance, derived: Derived, iis: IisResult) -> tuple[list[Finding], str]:
    """The IIS's rows and bounds in domain words, ordered by family (`IIS_ORDER`), and the note
    that says on what HiGHS found it (or why there is none)."""
    what = "the LP relaxation" if iis.relaxed else "the LP"
    if iis.status == "feasible":
        return [], f"{what} is feasible (presolve off)"
    if iis.status == "unknown":
        return [], f"HiGHS could not settle {what}: {iis.model_status}"
    if not iis.found:
        return [], f"HiGHS found no IIS for {what}"
    findings = [_describe_row(instance, derived, name, index) for name, index in iis.rows]
    for name, index, bound in iis.columns:
        f = _describe_column(instance, derived, name, index, bound)
        if f is not None:
            findings.append(f)
    order = IIS_ORDER
    findings.sort(key=lambda f: (order.index(f.families[0]) if f.families and f.families[0]
                                 in order else len(order), f.constraint))  # fmt: skip
    return findings, f"on {what}" + (" (membership relaxed to 0..1)" if iis.relaxed else "")


# -- 3. the elastic re-solve ----------------------------------------------------------------------


@dataclass(frozen=True)
class ElasticItem:
    """A row the elastic re-solve lets fall short, with its weight per unit short."""

    kind: str
    """`floor` or `target`."""
    key: tuple
    """(country, year) of a floor, (area, year) of a target."""
    weight: float

    @property
    def row(self) -> tuple[str, Any, float]:
        """(component name, index, weight) for `optimizer.solver.diagnose.Feasibility.elastic`."""
        name = "spending_floor" if self.kind == "floor" else "capability_targets"
        return name, self.key, self.weight


def elastic_items(
    instance: Instance, derived: Derived, floors: list[tuple], targets: list[tuple]
) -> list[ElasticItem]:
    """The floors' and targets' rows (model keys, in the model's order), weighted: floors per
    percentage point of GDP, targets per percent of the target."""
    items = [ElasticItem("floor", (c, t), 100 / derived.gdp[c, t]) for c, t in floors]
    for k, t in targets:
        target = instance.capabilities[k].targets[t]
        items.append(ElasticItem("target", (k, t), 100 / max(target, 1e-9)))
    return items


class ElasticResult(Protocol):
    """What `optimizer.solver.diagnose.Feasibility.elastic` returns (its `ElasticOutcome`)."""

    rows: list[int]
    solved: bool
    model_status: str
    short: list[tuple[int, float]]
    alone: dict[int, float | None]


def _alone_text(alone: dict[int, float | None], i: int, value: float) -> str:
    if i not in alone:
        return ""
    if alone[i] is None:
        return "relaxing it alone is not enough"
    return (
        "alone enough" if alone[i] <= value * (1 + 1e-6) + 1e-9 else f"alone: {alone[i]:,.3g} short"
    )


def elastic_findings(
    instance: Instance, derived: Derived, items: list[ElasticItem], elastic: ElasticResult
) -> tuple[list[Finding], str]:
    """The smallest shortfalls of floors and targets that make a plan possible, and a note."""
    if not elastic.rows:
        return [], "no floor or target to relax"
    if not elastic.solved:
        return (
            [],
            f"even with every floor and target relaxed there is no plan ({elastic.model_status})",
        )
    kept = [items[position] for position in elastic.rows]
    findings = []
    for i, value in elastic.short:
        item, extra = kept[i], _alone_text(elastic.alone, i, value)
        if item.kind == "floor":
            c, t = item.key
            pct = 100 * value / derived.gdp[c, t]
            text = (
                f"spending floor {c} {t}: short by {_pct(pct)} of GDP "
                f"({_money(value, instance.currency)})"
            )
            alone = elastic.alone.get(i)
            if alone is not None and "alone:" in extra:
                extra = f"alone: {_pct(100 * alone / derived.gdp[c, t])} of GDP"
            findings.append(Finding("elastic", f"{text}; {extra}".rstrip("; "),
                                    ("spending floor",), (c,), (), (t,)))  # fmt: skip
        else:
            k, t = item.key
            area = instance.capabilities[k]
            share = 100 * value / max(area.targets[t], 1e-12)
            text = (
                f"capability target {k} {t}: short by {value:,.3g} {area.unit} "
                f"({share:.1f} % of {area.targets[t]:g})"
            )
            findings.append(Finding("elastic", f"{text}; {extra}".rstrip("; "),
                                    ("capability target",), (), (k,), (t,)))  # fmt: skip
    if not findings:
        return [], "no floor or target needs relaxing: the conflict lies elsewhere"
    return findings, ""


def unreachable_targets(instance: Instance, rows: list[str]) -> list[Finding]:
    """The targets the model found no way to deliver while it was built (`capability_targets[k,t]`
    rows no plan can satisfy)."""
    findings = []
    for text in rows:
        k, t = text.split("[", 1)[1].split("]", 1)[0].split(",")
        area = instance.capabilities[k]
        findings.append(
            Finding(
                "elastic",
                f"capability target {k} {t}: nothing can deliver it: short by all of "
                f"{area.targets[int(t)]:g} {area.unit}",
                ("capability target",),
                (),
                (k,),
                (int(t),),
            )
        )
    return findings
