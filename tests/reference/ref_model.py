"""Reference implementation of MODEL.md (version 2), independent of `optimizer/`.

Literal rather than fast: the instance is read with `yaml.safe_load`, every number of the
"Derived data" section is a small function of the instance, and the LP/MILP is written as plain
sparse rows (one `_Problem.add_row` call per constraint, commented with its spec number) and
solved with highspy directly.

Variable keys (all values in `solve_reference(...)["values"]`):

    ("inc", c, t) ("other", c, t) ("seg", c, f, s, t) ("buy", c, k, o, t) ("con", c, j, t)
    ("com", c, h, t) ("short", k, t) ("short_own", c, k, t) ("y", c) ("open", h) ("m",)

plus the spec's short names ("tax", c, t) ("soc", c, t) ("bor", c, t) ("natspend", c, t)
("procure", c, t). A variable that the model does not have (a non-member's, a source without a
curve, a programme c is not eligible for, ...) is absent and means 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import yaml

INF = math.inf
SOURCES = ("tax", "social", "debt")
HOLD_REL = 1e-6  # stage holds of max_pain: value * (1 + HOLD_REL) + HOLD_ABS
HOLD_ABS = 1e-9
MIP_REL_GAP = 1e-9

Key = tuple[Any, ...]

# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearPath:
    """A path: constant (`points` empty, `constant` set) or points interpolated linearly."""

    constant: float | None = None
    points: tuple[tuple[int, float], ...] = ()

    def value(self, year: int) -> float | None:
        """Value in `year`; None before the first given year (the path does not apply)."""
        if self.constant is not None:
            return self.constant
        if not self.points or year < self.points[0][0]:
            return None
        if year >= self.points[-1][0]:
            return self.points[-1][1]
        for (y0, v0), (y1, v1) in zip(self.points, self.points[1:], strict=False):
            if y0 <= year <= y1:
                return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
        raise AssertionError("unreachable")


def parse_path(raw: Any) -> YearPath | None:
    """A plain number is that value in every year; a mapping {year: value} is interpolated."""
    if raw is None:
        return None
    if isinstance(raw, dict):
        return YearPath(points=tuple(sorted((int(y), float(v)) for y, v in raw.items())))
    return YearPath(constant=float(raw))


# --------------------------------------------------------------------------------------------
# Instance
# --------------------------------------------------------------------------------------------

Curve = tuple[tuple[float | None, float], ...]  # ((width % GDP or None, weight), ...)


@dataclass(frozen=True)
class Country:
    id: str
    gdp: float
    gdp_growth_pct: float
    defence_pct_gdp: float
    debt_pct_gdp: float | None
    deficit_pct_gdp: float
    debt_ceiling_pct_gdp: YearPath | None  # v2: the four fiscal limits are paths
    borrowing_limit_pct_gdp: YearPath | None
    social_pct_gdp: float | None
    social_cut_limit_pct: YearPath | None
    tax_limit_pct_gdp: YearPath | None
    accepts_common_debt: bool
    reliability: float
    cost_factor: float
    floor: YearPath | None  # the path that applies to this country (own one, else instance's)
    ramp_limit_pct_gdp: float | None  # the value that applies (own one, else instance's)
    tags: tuple[str, ...]
    pain: dict[str, Curve | None]  # per source; None = no curve: the source cannot be used
    interest_rate_pct: float = 0.0
    capability_share_pct: float | None = None

    def limit(self, name: str, t: int) -> float | None:
        """A fiscal limit's value in year t (None: no limit that year)."""
        path = getattr(self, name)
        return None if path is None else path.value(t)


@dataclass(frozen=True)
class Option:
    id: str
    origin: str
    unit_cost: float
    capacity_per_year: float | None = None


@dataclass(frozen=True)
class Area:
    id: str
    lead_time: int
    targets: dict[int, float]
    shortfall_penalty: float | None  # None: hard target, no shortfall variable
    options: tuple[Option, ...]
    running_cost: float = 0.0


@dataclass(frozen=True)
class Programme:
    id: str
    capability: str
    origin: str
    unit_cost: float
    lead_time: int
    capacity_per_year: float | None
    eligible: tuple[str, ...]


@dataclass(frozen=True)
class CommonDebt:
    cap: float
    cap_per_year: float | None
    pain_weight: float
    national_debt_share: float
    min_eu_content_pct: float | None
    eligible: tuple[str, ...]
    requires_unanimity: bool
    interest_rate_pct: float = 0.0
    allocations: dict[str, float] | None = None


@dataclass(frozen=True)
class Choice:
    candidates: tuple[str, ...]
    required: tuple[str, ...]
    forbidden: tuple[str, ...]
    member_cost: float
    min_members: int


@dataclass(frozen=True)
class Instance:
    name: str
    first: int
    last: int
    discount_rate_pct: float
    objective: str
    burden_share_min_pct: float
    origin_min_share_pct: dict[str, float]
    countries: dict[str, Country]  # in file order
    areas: dict[str, Area]
    programmes: dict[str, Programme]
    facilities: dict[str, CommonDebt]  # H (common_debt alone: the facility "common_debt")
    coalitions: dict[str, tuple[str, ...]]  # resolved, in country order
    default_coalition: str
    choice: Choice | None
    raw: dict[str, Any] = field(repr=False, compare=False)
    alliance: tuple[str, ...] | None = None  # A; None: no alliance (A = S)

    # ---- Derived data (spec section "Derived data") ----
    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def base_year(self) -> int:
        return self.first - 1

    def gdp(self, c: str, t: int) -> float:
        """GDP_{c,t} = gdp_c * (1 + gdp_growth_pct_c/100)^(t - b)."""
        country = self.countries[c]
        return country.gdp * (1 + country.gdp_growth_pct / 100) ** (t - self.base_year)

    def baseline(self, c: str, t: int) -> float:
        """B_{c,t} = defence_pct_gdp_c/100 * GDP_{c,t}."""
        return self.countries[c].defence_pct_gdp / 100 * self.gdp(c, t)

    def social(self, c: str, t: int) -> float:
        """Soc_{c,t} = social_pct_gdp_c/100 * GDP_{c,t} (0 when not given)."""
        return (self.countries[c].social_pct_gdp or 0.0) / 100 * self.gdp(c, t)

    def baseline_debt(self, c: str, t: int) -> float:
        """BD_{c,t} = debt_pct/100 * GDP_{c,b} + sum_{tau=first..t} deficit/100 * GDP_{c,tau}."""
        country = self.countries[c]
        debt = (country.debt_pct_gdp or 0.0) / 100 * self.gdp(c, self.base_year)
        for tau in range(self.first, t + 1):
            debt += country.deficit_pct_gdp / 100 * self.gdp(c, tau)
        return debt

    def debt_room(self, c: str, t: int) -> float | None:
        """R_{c,t} = max(0, ceiling/100 * GDP_{c,t} - BD_{c,t}); None when no ceiling."""
        ceiling = self.countries[c].limit("debt_ceiling_pct_gdp", t)
        if ceiling is None:
            return None
        return max(0.0, ceiling / 100 * self.gdp(c, t) - self.baseline_debt(c, t))

    def discount(self, t: int) -> float:
        """d_t = (1 + r/100)^-(t - first)."""
        return (1 + self.discount_rate_pct / 100) ** -(t - self.first)

    def floor(self, c: str, t: int) -> float | None:
        """Fl_{c,t} in % of GDP, None when no floor applies in year t."""
        path = self.countries[c].floor
        return None if path is None else path.value(t)

    def may_draw(self, h: str, c: str) -> bool:
        """Constraint 12, first bullet: eligible for h and accepting common debt (with
        allocations, a country not listed has allocation 0: it cannot draw either)."""
        f = self.facilities[h]
        if not (c in f.eligible and self.countries[c].accepts_common_debt):
            return False
        return f.allocations is None or f.allocations.get(c, 0.0) > 0

    def closes_facility(self, h: str, c: str) -> bool:
        """Constraint 12, unanimity: c is eligible for h but does not accept common debt."""
        f = self.facilities[h]
        return (
            f.requires_unanimity and c in f.eligible and not self.countries[c].accepts_common_debt
        )

    def share(self, c: str) -> float:
        """sigma_c in %: capability_share_pct, else 100 GDP_{c,b} / sum_{A} GDP_{c',b}."""
        given = self.countries[c].capability_share_pct
        if given is not None:
            return given
        alliance = self.alliance or ()
        return 100 * self.countries[c].gdp / sum(self.countries[a].gdp for a in alliance)

    def resolve_coalition_form(self, form: Any) -> tuple[str, ...]:
        return _resolve_form(form, self.countries)


def _resolve_form(form: Any, countries: dict[str, Country]) -> tuple[str, ...]:
    """A coalition form to its members, in the instance's country order."""
    if form == "*":
        chosen = set(countries)
    elif isinstance(form, list):
        chosen = {str(c) for c in form}
    elif isinstance(form, dict) and "members" in form:
        chosen = {str(c) for c in form["members"]}
    elif isinstance(form, dict) and "all_except" in form:
        chosen = set(countries) - {str(c) for c in form["all_except"]}
    elif isinstance(form, dict) and "tags" in form:
        wanted = {str(tag) for tag in form["tags"]}
        chosen = {c for c, country in countries.items() if wanted & set(country.tags)}
    else:
        raise ValueError(f"unknown coalition form {form!r}")
    return tuple(c for c in countries if c in chosen)


_MISSING = object()


def _country_field(raw: dict[str, Any], defaults: dict[str, Any], key: str) -> Any:
    """The country's own value if it names the field (an explicit null = not given), else the
    default's value, else None (not given)."""
    if key in raw:
        return raw[key]
    return defaults.get(key)


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _parse_curve(raw: Any) -> Curve | None:
    if raw is None:
        return None
    return tuple((None if w is None else float(w), float(weight)) for w, weight in raw)


def _parse_pain(raw: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Curve | None]:
    """Per-source merge: the country's curve if its `pain` names the source, else defaults.pain's.
    `pain: null` in the country means no curve at all."""
    default_pain = defaults.get("pain") or {}
    if "pain" in raw and raw["pain"] is None:
        return {f: None for f in SOURCES}
    own = raw.get("pain") or {}
    pain: dict[str, Curve | None] = {}
    for f in SOURCES:
        pain[f] = _parse_curve(own[f]) if f in own else _parse_curve(default_pain.get(f))
    return pain


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def load_instance(path: str | Path) -> Instance:
    """Read an instance file (assumed valid) into resolved, default-merged data."""
    raw = yaml.safe_load(Path(path).read_text())
    first, last = (int(y) for y in raw["years"])
    defaults = raw.get("defaults") or {}
    instance_floor = parse_path(raw.get("spending_floor_pct_gdp"))
    instance_ramp = _float_or_none(raw.get("ramp_limit_pct_gdp"))

    countries: dict[str, Country] = {}
    for cid, craw in raw["countries"].items():
        craw = craw or {}

        def get(key: str, craw: dict[str, Any] = craw) -> Any:
            return _country_field(craw, defaults, key)

        own_floor = get("floor_pct_gdp")
        own_ramp = get("ramp_limit_pct_gdp")
        countries[str(cid)] = Country(
            id=str(cid),
            gdp=float(get("gdp")),
            gdp_growth_pct=float(_or(get("gdp_growth_pct"), 0.0)),
            defence_pct_gdp=float(get("defence_pct_gdp")),
            debt_pct_gdp=_float_or_none(get("debt_pct_gdp")),
            deficit_pct_gdp=float(_or(get("deficit_pct_gdp"), 0.0)),
            debt_ceiling_pct_gdp=parse_path(get("debt_ceiling_pct_gdp")),
            borrowing_limit_pct_gdp=parse_path(get("borrowing_limit_pct_gdp")),
            social_pct_gdp=_float_or_none(get("social_pct_gdp")),
            social_cut_limit_pct=parse_path(get("social_cut_limit_pct")),
            tax_limit_pct_gdp=parse_path(get("tax_limit_pct_gdp")),
            interest_rate_pct=float(_or(get("interest_rate_pct"), 0.0)),
            capability_share_pct=_float_or_none(get("capability_share_pct")),
            accepts_common_debt=bool(_or(get("accepts_common_debt"), True)),
            reliability=float(_or(get("reliability"), 1.0)),
            cost_factor=float(_or(get("cost_factor"), 1.0)),
            # A country that gives floor_pct_gdp (itself or via defaults) has only that path;
            # explicit null (or nothing) -> the instance path.
            floor=parse_path(own_floor) if own_floor is not None else instance_floor,
            ramp_limit_pct_gdp=float(own_ramp) if own_ramp is not None else instance_ramp,
            tags=tuple(str(tag) for tag in (get("tags") or [])),
            pain=_parse_pain(craw, defaults),
        )

    areas: dict[str, Area] = {}
    for kid, kraw in raw["capabilities"].items():
        kraw = kraw or {}
        options = tuple(
            Option(
                id=str(o.get("id") if o.get("id") is not None else o["origin"]),
                origin=str(o["origin"]),
                unit_cost=float(o["unit_cost"]),
                capacity_per_year=_float_or_none(o.get("capacity_per_year")),
            )
            for o in (kraw.get("national") or [])
        )
        areas[str(kid)] = Area(
            id=str(kid),
            lead_time=int(_or(kraw.get("lead_time"), 0)),
            targets={int(y): float(v) for y, v in (kraw.get("targets") or {}).items()},
            shortfall_penalty=_float_or_none(kraw.get("shortfall_penalty")),
            options=options,
            running_cost=float(_or(kraw.get("running_cost"), 0.0)),
        )

    all_countries = tuple(countries)
    programmes: dict[str, Programme] = {}
    for jid, jraw in (raw.get("joint_programmes") or {}).items():
        eligible = jraw.get("eligible")
        programmes[str(jid)] = Programme(
            id=str(jid),
            capability=str(jraw["capability"]),
            origin=str(jraw["origin"]),
            unit_cost=float(jraw["unit_cost"]),
            lead_time=int(_or(jraw.get("lead_time"), 0)),
            capacity_per_year=_float_or_none(jraw.get("capacity_per_year")),
            eligible=all_countries if eligible is None else tuple(str(c) for c in eligible),
        )

    given = raw.get("facilities") or {}
    if raw.get("common_debt") is not None:
        given = {"common_debt": raw["common_debt"]}
    facilities: dict[str, CommonDebt] = {}
    for h, cd in given.items():
        eligible = cd.get("eligible")
        allocations = cd.get("allocations")
        facilities[str(h)] = CommonDebt(
            cap=float(cd["cap"]),
            cap_per_year=_float_or_none(cd.get("cap_per_year")),
            pain_weight=float(cd["pain_weight"]),
            national_debt_share=float(_or(cd.get("national_debt_share"), 1.0)),
            min_eu_content_pct=_float_or_none(cd.get("min_eu_content_pct")),
            eligible=all_countries if eligible is None else tuple(str(c) for c in eligible),
            requires_unanimity=bool(_or(cd.get("requires_unanimity"), False)),
            interest_rate_pct=float(_or(cd.get("interest_rate_pct"), 0.0)),
            allocations=None
            if allocations is None
            else {str(c): float(v) for c, v in allocations.items()},
        )

    coalitions = {
        str(name): _resolve_form(form, countries) for name, form in raw["coalitions"].items()
    }
    default_coalition = str(raw.get("default_coalition") or next(iter(coalitions)))

    alliance = None
    if raw.get("alliance") is not None:
        form = raw["alliance"]
        alliance = (
            coalitions[form]
            if isinstance(form, str) and form != "*"
            else _resolve_form(form, countries)
        )

    choice = None
    if raw.get("coalition_choice") is not None:
        ch = raw["coalition_choice"]
        candidates_form = _or(ch.get("candidates"), "*")
        if isinstance(candidates_form, str) and candidates_form != "*":
            candidates = coalitions[candidates_form]  # a coalition's name
        else:
            candidates = _resolve_form(candidates_form, countries)
        choice = Choice(
            candidates=candidates,
            required=tuple(str(c) for c in (ch.get("required") or [])),
            forbidden=tuple(str(c) for c in (ch.get("forbidden") or [])),
            member_cost=float(_or(ch.get("member_cost"), 0.0)),
            min_members=int(_or(ch.get("min_members"), 0)),
        )

    return Instance(
        name=str(raw["name"]),
        first=first,
        last=last,
        discount_rate_pct=float(_or(raw.get("discount_rate_pct"), 0.0)),
        objective=str(_or(raw.get("objective"), "total_pain")),
        burden_share_min_pct=float(_or(raw.get("burden_share_min_pct"), 0.0)),
        origin_min_share_pct={
            str(g): float(v) for g, v in (raw.get("origin_min_share_pct") or {}).items()
        },
        countries=countries,
        areas=areas,
        programmes=programmes,
        facilities=facilities,
        coalitions=coalitions,
        default_coalition=default_coalition,
        choice=choice,
        raw=raw,
        alliance=alliance,
    )


def segment_width(inst: Instance, c: str, width_pct: float | None, t: int) -> float:
    """Constraint 3: width of a pain segment in money (inf for a null width)."""
    return INF if width_pct is None else width_pct / 100 * inst.gdp(c, t)


def inc_upper_bound(inst: Instance, c: str, t: int) -> float:
    """U_{c,t}: a bound on inc_{c,t} implied by the other constraints (coalition choice).

    - ramp (9) telescoped from inc_{first-1} = 0: inc_t <= sum_{tau<=t} ramp/100 * GDP_tau;
    - funding (2): inc_t + int_t = tax + soc + bor + com with int_t >= 0, each source bounded by
      its segment widths (3) and its limit in year t: tax (4), social (5), debt by the borrowing
      limit (7) and the debt room (6), each facility by its cap (12).
    The smaller of the two; inf when neither is finite.
    """
    country = inst.countries[c]
    ramp_bound = INF
    if country.ramp_limit_pct_gdp is not None:
        ramp_bound = sum(
            country.ramp_limit_pct_gdp / 100 * inst.gdp(c, tau) for tau in range(inst.first, t + 1)
        )

    def widths_total(f: str) -> float:
        curve = country.pain[f]
        if curve is None:
            return 0.0  # a source without a curve cannot be used
        return sum(segment_width(inst, c, w, t) for w, _ in curve)

    tax_bound = widths_total("tax")
    tax_limit = country.limit("tax_limit_pct_gdp", t)
    if tax_limit is not None:
        tax_bound = min(tax_bound, tax_limit / 100 * inst.gdp(c, t))
    social_bound = widths_total("social")
    cut_limit = country.limit("social_cut_limit_pct", t)
    if cut_limit is not None:
        social_bound = min(social_bound, cut_limit / 100 * inst.social(c, t))
    debt_bound = widths_total("debt")
    borrowing_limit = country.limit("borrowing_limit_pct_gdp", t)
    if borrowing_limit is not None:
        debt_bound = min(debt_bound, borrowing_limit / 100 * inst.gdp(c, t))
    room = inst.debt_room(c, t)
    if room is not None:
        debt_bound = min(debt_bound, room)
    common_bound = sum(f.cap for h, f in inst.facilities.items() if inst.may_draw(h, c))
    funding_bound = tax_bound + social_bound + debt_bound + common_bound
    return min(ramp_bound, funding_bound)


# --------------------------------------------------------------------------------------------
# A linear problem as plain lists
# --------------------------------------------------------------------------------------------


class _Problem:
    """Columns with bounds (and integrality) and rows as sparse {column: coefficient} maps."""

    def __init__(self) -> None:
        self.keys: list[Key] = []
        self.index: dict[Key, int] = {}
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[Key, dict[int, float], float, float]] = []
        self.row_index: dict[Key, int] = {}

    def add_col(self, key: Key, lower: float = 0.0, upper: float = INF, integer: bool = False):
        assert key not in self.index, key
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)

    def has(self, key: Key) -> bool:
        return key in self.index

    def add_row(
        self, key: Key, terms: list[tuple[Key, float]], lower: float = -INF, upper: float = INF
    ) -> None:
        """lower <= sum coef * col <= upper; terms naming absent columns are dropped (= 0)."""
        coefs: dict[int, float] = {}
        for col_key, coef in terms:
            if col_key in self.index:
                i = self.index[col_key]
                coefs[i] = coefs.get(i, 0.0) + coef
        assert key not in self.row_index, key
        self.row_index[key] = len(self.rows)
        self.rows.append((key, coefs, lower, upper))

    def linear(self, terms: list[tuple[Key, float]]) -> dict[int, float]:
        """An expression as {column: coefficient}, dropping absent columns."""
        coefs: dict[int, float] = {}
        for col_key, coef in terms:
            if col_key in self.index:
                i = self.index[col_key]
                coefs[i] = coefs.get(i, 0.0) + coef
        return coefs


@dataclass
class _Solution:
    status: str
    x: list[float] = field(default_factory=list)
    row_dual: list[float] = field(default_factory=list)


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    # every objective here is bounded below by 0, so "unbounded or infeasible" is infeasible
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
}


def _run_highs(
    problem: _Problem,
    cost: dict[int, float],
    extra_rows: list[tuple[dict[int, float], float, float]],
    mip: bool,
) -> _Solution:
    """Minimise cost . x over the problem plus `extra_rows` (stage holds)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if mip:
        h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        h.setOptionValue("mip_abs_gap", 1e-9)
    inf = highspy.kHighsInf

    def bound(v: float) -> float:
        return inf if v == INF else (-inf if v == -INF else v)

    for i in range(len(problem.keys)):
        h.addVar(bound(problem.lower[i]), bound(problem.upper[i]))
        h.changeColCost(i, cost.get(i, 0.0))
        if mip and problem.integer[i]:
            h.changeColIntegrality(i, highspy.HighsVarType.kInteger)
    all_rows = [(coefs, lo, up) for _, coefs, lo, up in problem.rows] + extra_rows
    for coefs, lo, up in all_rows:
        idx = np.array(list(coefs.keys()), dtype=np.int32)
        val = np.array(list(coefs.values()), dtype=np.float64)
        h.addRow(bound(lo), bound(up), len(idx), idx, val)
    h.run()
    status = _STATUS.get(h.getModelStatus(), "error")
    if status != "optimal":
        return _Solution(status)
    sol = h.getSolution()
    duals = list(sol.row_dual) if not mip else []
    return _Solution(status, list(sol.col_value), duals)


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass
class _Built:
    problem: _Problem
    countries: tuple[str, ...]  # members (fixed) or candidates (choice)
    pain: dict[str, dict[int, float]]  # pain_c, discounted, as {column: coefficient}
    shortfall_cost: dict[int, float]
    member_cost: dict[int, float]


def _add_terms(*exprs: dict[int, float]) -> dict[int, float]:
    total: dict[int, float] = {}
    for expr in exprs:
        for i, coef in expr.items():
            total[i] = total.get(i, 0.0) + coef
    return total


def _value(expr: dict[int, float], x: list[float]) -> float:
    return sum(coef * x[i] for i, coef in expr.items())


def _build(inst: Instance, countries: tuple[str, ...], choice: bool) -> _Built:
    """The LP of a fixed coalition (`countries` = S), or the MILP of coalition choice
    (`countries` = candidates not forbidden). Every country of A acts (A = `alliance`, else the
    coalition itself; without alliance non-candidates are left out entirely)."""
    p = _Problem()
    years = inst.years
    facilities = inst.facilities
    max_pain = inst.objective == "max_pain"
    members = countries
    actors = inst.alliance if inst.alliance is not None else members
    alliance_choice = choice and inst.alliance is not None
    outsiders = tuple(c for c in actors if c not in members)
    # 10b rows: outsiders alone; under choice with alliance also every candidate (times 1 - y)
    own_share = tuple(c for c in actors if c in outsiders or (alliance_choice and c in members))

    # Facilities open for a fixed coalition: no member closes it by unanimity (12).
    open_h = {h: choice or not any(inst.closes_facility(h, c) for c in members) for h in facilities}

    # ---- variables (all >= 0) ----
    for c in actors:
        country = inst.countries[c]
        for t in years:
            p.add_col(("inc", c, t))
            p.add_col(("other", c, t))
            for f in SOURCES:
                curve = country.pain[f]
                for s, (width, _) in enumerate(curve or ()):
                    # (3) pain segments: seg_{c,f,s,t} <= w_s/100 * GDP_{c,t} (as a column bound)
                    p.add_col(("seg", c, f, s, t), upper=segment_width(inst, c, width, t))
            for k, area in inst.areas.items():
                for o in area.options:
                    p.add_col(("buy", c, k, o.id, t))
            if c not in members:
                continue  # an outsider: no programme, no facility
            for j, prog in inst.programmes.items():
                if c in prog.eligible:  # con only if c is eligible for j
                    p.add_col(("con", c, j, t))
            for h in facilities:
                if inst.may_draw(h, c) and open_h[h]:  # (12) eligible and accepting
                    p.add_col(("com", c, h, t))
    for k, area in inst.areas.items():
        if area.shortfall_penalty is not None:
            for t in sorted(area.targets):
                p.add_col(("short", k, t))
                for c in own_share:
                    p.add_col(("short_own", c, k, t))
    if choice:
        assert inst.choice is not None
        for c in countries:
            lower = 1.0 if c in inst.choice.required else 0.0
            upper = 0.0 if c in inst.choice.forbidden else 1.0
            p.add_col(("y", c), lower, upper, integer=True)
        for h, f in facilities.items():
            if f.requires_unanimity:
                p.add_col(("open", h), 0.0, 1.0, integer=True)
    if max_pain:
        p.add_col(("m",))

    def source(c: str, f: str, t: int) -> list[tuple[Key, float]]:
        curve = inst.countries[c].pain[f] or ()
        return [(("seg", c, f, s, t), 1.0) for s in range(len(curve))]

    def tax(c: str, t: int) -> list[tuple[Key, float]]:
        return source(c, "tax", t)

    def soc(c: str, t: int) -> list[tuple[Key, float]]:
        return source(c, "social", t)

    def bor(c: str, t: int) -> list[tuple[Key, float]]:
        return source(c, "debt", t)

    def com(c: str, t: int) -> list[tuple[Key, float]]:
        return [(("com", c, h, t), 1.0) for h in facilities]

    def new_debt(c: str, t: int) -> list[tuple[Key, float]]:
        """bor + sum_h kappa_h com_h."""
        return bor(c, t) + [
            (("com", c, h, t), f.national_debt_share) for h, f in facilities.items()
        ]

    def interest(c: str, t: int) -> list[tuple[Key, float]]:
        """int = i_c/100 sum_{tau<t} bor + sum_h kappa_h i_h/100 sum_{tau<t} com_h."""
        rate = inst.countries[c].interest_rate_pct / 100
        terms: list[tuple[Key, float]] = []
        for tau in range(inst.first, t):
            terms += scale(bor(c, tau), rate)
            for h, f in facilities.items():
                terms.append(
                    (("com", c, h, tau), f.national_debt_share * f.interest_rate_pct / 100)
                )
        return terms

    def natspend(c: str, t: int) -> list[tuple[Key, float]]:
        cf = inst.countries[c].cost_factor
        return [
            (("buy", c, k, o.id, t), o.unit_cost * cf)
            for k, area in inst.areas.items()
            for o in area.options
        ]

    def procure(c: str, t: int) -> list[tuple[Key, float]]:
        return natspend(c, t) + [(("con", c, j, t), 1.0) for j in inst.programmes]

    def spend_origin(c: str, t: int, g: str) -> list[tuple[Key, float]]:
        cf = inst.countries[c].cost_factor
        national = [
            (("buy", c, k, o.id, t), o.unit_cost * cf)
            for k, area in inst.areas.items()
            for o in area.options
            if o.origin == g
        ]
        joint = [(("con", c, j, t), 1.0) for j, prog in inst.programmes.items() if prog.origin == g]
        return national + joint

    def stock(c: str, k: str, t: int) -> list[tuple[Key, float]]:
        """Units of k in service for c in t: paid at least the lead time before t."""
        area = inst.areas[k]
        terms: list[tuple[Key, float]] = []
        for o in area.options:
            for tau in range(inst.first, t - area.lead_time + 1):
                terms.append((("buy", c, k, o.id, tau), 1.0))
        for j, prog in inst.programmes.items():
            if prog.capability == k:
                for tau in range(inst.first, t - prog.lead_time + 1):
                    terms.append((("con", c, j, tau), 1 / prog.unit_cost))
        return terms

    def neg(terms: list[tuple[Key, float]]) -> list[tuple[Key, float]]:
        return [(key, -coef) for key, coef in terms]

    def scale(terms: list[tuple[Key, float]], factor: float) -> list[tuple[Key, float]]:
        return [(key, coef * factor) for key, coef in terms]

    # ---- per acting country and year ----
    for c in actors:
        country = inst.countries[c]
        for t in years:
            gdp = inst.gdp(c, t)
            inc = ("inc", c, t)
            # (1) spending identity: inc = procure + other
            p.add_row(
                ("spending_identity", c, t),
                [(inc, 1.0)] + neg(procure(c, t)) + [(("other", c, t), -1.0)],
                0.0,
                0.0,
            )
            # (1b) running costs: other >= cf * sum_k r_k * stock
            running: list[tuple[Key, float]] = []
            for k, area in inst.areas.items():
                if area.running_cost > 0:
                    running += scale(stock(c, k, t), country.cost_factor * area.running_cost)
            if running:
                p.add_row(("running_costs", c, t), [(("other", c, t), 1.0)] + neg(running), 0.0)
            # (2) funding balance: inc + int = tax + soc + bor + com
            p.add_row(
                ("funding_balance", c, t),
                [(inc, 1.0)] + interest(c, t) + neg(tax(c, t) + soc(c, t) + bor(c, t) + com(c, t)),
                0.0,
                0.0,
            )
            # (4) tax limit (the path's value in t)
            tax_limit = country.limit("tax_limit_pct_gdp", t)
            if tax_limit is not None:
                p.add_row(("tax_limit", c, t), tax(c, t), upper=tax_limit / 100 * gdp)
            # (5) social floor: soc <= social_cut_limit_{c,t}/100 * Soc
            cut_limit = country.limit("social_cut_limit_pct", t)
            if cut_limit is not None:
                p.add_row(
                    ("social_floor", c, t), soc(c, t), upper=cut_limit / 100 * inst.social(c, t)
                )
            # (6) debt room: sum_{tau<=t} (bor + sum_h kappa_h com_h) <= R_{c,t}
            room = inst.debt_room(c, t)
            if room is not None:
                cumulative: list[tuple[Key, float]] = []
                for tau in range(inst.first, t + 1):
                    cumulative += new_debt(c, tau)
                p.add_row(("debt_room", c, t), cumulative, upper=room)
            # (7) annual borrowing limit: bor + sum_h kappa_h com_h <= limit_{c,t}/100 * GDP
            borrowing_limit = country.limit("borrowing_limit_pct_gdp", t)
            if borrowing_limit is not None:
                p.add_row(
                    ("borrowing_limit", c, t), new_debt(c, t), upper=borrowing_limit / 100 * gdp
                )
            # (8) spending floor: inc >= (Fl - defence_pct)/100 * GDP (times y_c under choice
            # without alliance; with alliance the floor applies whatever y_c is)
            floor = inst.floor(c, t)
            if floor is not None:
                required = (floor - country.defence_pct_gdp) / 100 * gdp
                if choice and not alliance_choice:
                    p.add_row(("spending_floor", c, t), [(inc, 1.0), (("y", c), -required)], 0.0)
                else:
                    p.add_row(("spending_floor", c, t), [(inc, 1.0)], lower=required)
            # (9) ramp limit: inc_t - inc_{t-1} <= ramp/100 * GDP_t, inc_{first-1} = 0
            if country.ramp_limit_pct_gdp is not None:
                terms = [(inc, 1.0)]
                if t > inst.first:
                    terms.append((("inc", c, t - 1), -1.0))
                p.add_row(("ramp", c, t), terms, upper=country.ramp_limit_pct_gdp / 100 * gdp)
            drawn = [key for key, _ in com(c, t) if p.has(key)]
            if drawn:
                # (12) the facilities finance procurement only: sum_h com_h <= procure
                p.add_row(("com_procure", c, t), com(c, t) + neg(procure(c, t)), upper=0.0)
                # (12) content rule: sum_h m_h/100 com_h <= spend^{eu}
                content = [
                    (("com", c, h, t), f.min_eu_content_pct / 100)
                    for h, f in facilities.items()
                    if f.min_eu_content_pct is not None
                ]
                if any(p.has(key) for key, _ in content):
                    p.add_row(
                        ("com_content", c, t), content + neg(spend_origin(c, t, "eu")), upper=0.0
                    )
            if choice and c in members:
                bound = inc_upper_bound(inst, c, t)
                if bound == INF:
                    raise ValueError(f"candidate {c}: no finite bound U on inc in {t}")
                if alliance_choice:
                    # y_c = 0 makes c an outsider: no contribution, no draw
                    for j in inst.programmes:
                        if p.has(("con", c, j, t)):
                            p.add_row(("con_switch", c, j, t),
                                      [(("con", c, j, t), 1.0), (("y", c), -bound)], upper=0.0)  # fmt: skip
                    for h in facilities:
                        if p.has(("com", c, h, t)):
                            p.add_row(("com_switch", c, h, t),
                                      [(("com", c, h, t), 1.0), (("y", c), -bound)], upper=0.0)  # fmt: skip
                else:
                    # inc <= U y (every variable of c is 0 when y_c = 0)
                    p.add_row(("inc_switch", c, t), [(inc, 1.0), (("y", c), -bound)], upper=0.0)

    # (10a) capability targets of the alliance (of the coalition without alliance)
    for k, area in inst.areas.items():
        for t in sorted(area.targets):
            terms: list[tuple[Key, float]] = []
            for c in actors:
                terms += scale(stock(c, k, t), inst.countries[c].reliability)
            terms.append((("short", k, t), 1.0))
            p.add_row(("target", k, t), terms, lower=area.targets[t])
            # (10b) each outsider alone: rho stock + short_own >= sigma/100 target (* (1 - y))
            for c in own_share:
                need = inst.share(c) / 100 * area.targets[t]
                terms = scale(stock(c, k, t), inst.countries[c].reliability)
                terms.append((("short_own", c, k, t), 1.0))
                if alliance_choice and c in members:
                    terms.append((("y", c), need))
                p.add_row(("own_target", c, k, t), terms, lower=need)

    # (11) programme capacity: sum_{c in S} con <= capacity_per_year * u_j
    for j, prog in inst.programmes.items():
        if prog.capacity_per_year is not None:
            for t in years:
                p.add_row(
                    ("capacity", j, t),
                    [(("con", c, j, t), 1.0) for c in members],
                    upper=prog.capacity_per_year * prog.unit_cost,
                )
    # (11b) supply limit of a national option: sum_{c in A} buy <= q
    for k, area in inst.areas.items():
        for o in area.options:
            if o.capacity_per_year is not None:
                for t in years:
                    p.add_row(
                        ("supply", k, o.id, t),
                        [(("buy", c, k, o.id, t), 1.0) for c in actors],
                        upper=o.capacity_per_year,
                    )

    # (12) per facility: cap, cap per year, allocations, unanimity switch under choice
    for h, f in facilities.items():
        draws = [(c, t) for c in members for t in years if p.has(("com", c, h, t))]
        p.add_row(("com_cap", h), [(("com", c, h, t), 1.0) for c, t in draws], upper=f.cap)
        if f.cap_per_year is not None:
            for t in years:
                p.add_row(
                    ("com_cap_per_year", h, t),
                    [(("com", c, h, t), 1.0) for c in members],
                    upper=f.cap_per_year,
                )
        if f.allocations is not None:
            for c in members:
                p.add_row(
                    ("allocation", h, c),
                    [(("com", c, h, t), 1.0) for t in years],
                    upper=f.allocations.get(c, 0.0),
                )
        if choice and f.requires_unanimity:
            # com_h <= cap_h open_h; open_h <= 1 - y_c for every candidate that closes h
            for c, t in draws:
                p.add_row(("com_open", c, h, t),
                          [(("com", c, h, t), 1.0), (("open", h), -f.cap)], upper=0.0)  # fmt: skip
            for c in members:
                if inst.closes_facility(h, c):
                    p.add_row(("open_closed_by", h, c), [(("open", h), 1.0), (("y", c), 1.0)],
                              upper=1.0)  # fmt: skip

    # (13) origin shares over every acting country: sum spend^g >= share/100 * sum procure
    for g, share in inst.origin_min_share_pct.items():
        terms = []
        for c in actors:
            for t in years:
                terms += spend_origin(c, t, g) + scale(neg(procure(c, t)), share / 100)
        p.add_row(("origin_share", g), terms, lower=0.0)

    # (14) burden share over S: sum_t inc_c >= phi/100 * GDP_cb / sum_S GDP_b * sum_S sum_t inc
    if inst.burden_share_min_pct > 0:
        assert not choice, "burden_share_min_pct must be 0 under coalition choice"
        total_gdp = sum(inst.countries[c].gdp for c in members)
        for c in members:
            share = inst.burden_share_min_pct / 100 * inst.countries[c].gdp / total_gdp
            terms = [(("inc", c, t), 1.0) for t in years]
            for c2 in members:
                terms += [(("inc", c2, t), -share) for t in years]
            p.add_row(("burden_share", c), terms, lower=0.0)

    # coalition choice: sum y >= min_members
    if choice:
        assert inst.choice is not None
        p.add_row(
            ("min_members",), [(("y", c), 1.0) for c in members], lower=inst.choice.min_members
        )

    # ---- objective parts: every acting country's pain ----
    pain: dict[str, dict[int, float]] = {}
    for c in actors:
        terms = []
        for t in years:
            d = inst.discount(t)
            for f in SOURCES:
                for s, (_, weight) in enumerate(inst.countries[c].pain[f] or ()):
                    terms.append((("seg", c, f, s, t), d * weight))
            for h, fac in facilities.items():
                terms.append((("com", c, h, t), d * fac.pain_weight))
        pain[c] = p.linear(terms)
    shortfall_cost = p.linear(
        [
            (("short", k, t), inst.discount(t) * area.shortfall_penalty)
            for k, area in inst.areas.items()
            if area.shortfall_penalty is not None
            for t in sorted(area.targets)
        ]
        + [
            (("short_own", c, k, t), inst.discount(t) * area.shortfall_penalty)
            for k, area in inst.areas.items()
            if area.shortfall_penalty is not None
            for t in sorted(area.targets)
            for c in own_share
        ]
    )
    member_cost = p.linear(
        [(("y", c), inst.choice.member_cost) for c in members] if choice and inst.choice else []
    )

    # max_pain: m >= 100 * pain_c / GDP_{c,b} for every acting country
    if max_pain:
        for c in actors:
            terms = [(("m",), 1.0)]
            terms += [
                (p.keys[i], -100 * coef / inst.countries[c].gdp) for i, coef in pain[c].items()
            ]
            p.add_row(("max_pain_link", c), terms, lower=0.0)

    return _Built(p, actors, pain, shortfall_cost, member_cost)


@dataclass
class _Staged:
    status: str
    solution: _Solution | None = None
    q_star: float | None = None
    m_star: float | None = None


def _solve_stages(
    built: _Built, inst: Instance, mip: bool, holds: tuple[float | None, float] | None = None
) -> _Staged:
    """total_pain: one solve. max_pain: the three lexicographic stages; with `holds` = (q*, m*)
    given (re-solve of a chosen coalition), only stage 3 under those holds."""
    p = built.problem
    total = _add_terms(*built.pain.values(), built.shortfall_cost, built.member_cost)
    if inst.objective != "max_pain":
        sol = _run_highs(p, total, [], mip)
        return _Staged(sol.status, sol if sol.status == "optimal" else None)

    m_col = {p.index[("m",)]: 1.0}
    extra: list[tuple[dict[int, float], float, float]] = []
    has_penalty = any(a.shortfall_penalty is not None for a in inst.areas.values())
    if holds is None:
        q_star = None
        if has_penalty:  # stage 1: minimise the shortfall cost
            sol = _run_highs(p, built.shortfall_cost, [], mip)
            if sol.status != "optimal":
                return _Staged(sol.status)
            q_star = _value(built.shortfall_cost, sol.x)
        # stage 2: minimise m holding the shortfall cost (member_cost does not enter)
        if q_star is not None:
            extra.append((built.shortfall_cost, -INF, q_star * (1 + HOLD_REL) + HOLD_ABS))
        sol = _run_highs(p, m_col, extra, mip)
        if sol.status != "optimal":
            return _Staged(sol.status)
        m_star = sol.x[p.index[("m",)]]
    else:
        q_star, m_star = holds
        if q_star is not None:
            extra.append((built.shortfall_cost, -INF, q_star * (1 + HOLD_REL) + HOLD_ABS))
    # stage 3: minimise the total_pain objective holding also m
    extra.append((m_col, -INF, m_star * (1 + HOLD_REL) + HOLD_ABS))
    sol = _run_highs(p, total, extra, mip)
    if sol.status != "optimal":
        return _Staged(sol.status)
    return _Staged("optimal", sol, q_star, m_star)


def _values(built: _Built, inst: Instance, x: list[float]) -> dict[Key, float]:
    p = built.problem
    values = {key: x[i] for i, key in enumerate(p.keys)}
    for c in built.countries:
        country = inst.countries[c]
        for t in inst.years:
            for name, f in (("tax", "tax"), ("soc", "social"), ("bor", "debt")):
                values[(name, c, t)] = sum(
                    values[("seg", c, f, s, t)] for s in range(len(country.pain[f] or ()))
                )
            natspend = sum(
                o.unit_cost * country.cost_factor * values[("buy", c, k, o.id, t)]
                for k, area in inst.areas.items()
                for o in area.options
            )
            values[("natspend", c, t)] = natspend
            values[("procure", c, t)] = natspend + sum(
                values.get(("con", c, j, t), 0.0) for j in inst.programmes
            )
    return values


def _result(
    inst: Instance,
    built: _Built,
    staged: _Staged,
    members: tuple[str, ...],
    coalition: str,
    member_cost: float,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "status": staged.status,
        "coalition": coalition,
        "members": list(members),
        "objective": None,
        "total_pain": None,
        "shortfall_cost": None,
        "member_cost": None,
        "values": {},
        "capability_duals": {},
        "country_pain": {},
    }
    if staged.status != "optimal" or staged.solution is None:
        return result
    x = staged.solution.x
    country_pain = {c: _value(built.pain[c], x) for c in built.countries}  # every c in A
    total_pain = sum(country_pain.values())
    member_pain = sum(v for c, v in country_pain.items() if c in members)
    shortfall_cost = _value(built.shortfall_cost, x)
    if inst.objective == "max_pain":
        objective = staged.m_star
    else:
        objective = total_pain + shortfall_cost + member_cost
    p = built.problem
    duals = {}
    if staged.solution.row_dual:
        for k, area in inst.areas.items():
            for t in sorted(area.targets):
                duals[(k, t)] = staged.solution.row_dual[p.row_index[("target", k, t)]] + 0.0
    result.update(
        objective=objective,
        total_pain=total_pain,
        shortfall_cost=shortfall_cost,
        member_cost=member_cost,
        values=_values(built, inst, x),
        capability_duals=duals,
        country_pain=country_pain,
        member_pain=member_pain,
        outsider_pain=total_pain - member_pain,
        outsiders=[c for c in built.countries if c not in members],
        # the largest acting country's discounted pain in % of its base-year GDP (= m, max_pain)
        max_pain_pct=max(
            (100 * country_pain[c] / inst.countries[c].gdp for c in built.countries), default=0.0
        ),
        q_star=staged.q_star,
        m_star=staged.m_star,
    )
    return result


def solve_fixed(
    inst: Instance,
    members: tuple[str, ...],
    coalition: str,
    holds: tuple[float | None, float] | None = None,
    member_cost: float = 0.0,
) -> dict[str, Any]:
    """Solve the LP of a fixed coalition (all stages, or stage 3 only under `holds`)."""
    built = _build(inst, members, choice=False)
    staged = _solve_stages(built, inst, mip=False, holds=holds)
    return _result(inst, built, staged, members, coalition, member_cost)


def solve_choice(inst: Instance) -> dict[str, Any]:
    """Coalition choice: the MILP picks S; stage values and duals come from the LP of S fixed
    (under max_pain with the MILP's q* and m* holds)."""
    assert inst.choice is not None
    built = _build(inst, inst.choice.candidates, choice=True)
    staged = _solve_stages(built, inst, mip=True)
    if staged.status != "optimal" or staged.solution is None:
        return _result(inst, built, staged, (), "chosen", 0.0)
    x = staged.solution.x
    members = tuple(c for c in inst.choice.candidates if x[built.problem.index[("y", c)]] > 0.5)
    holds = None
    if inst.objective == "max_pain":
        assert staged.m_star is not None
        holds = (staged.q_star, staged.m_star)
    result = solve_fixed(
        inst, members, "chosen", holds=holds, member_cost=inst.choice.member_cost * len(members)
    )
    result["milp_objective"] = _value(
        _add_terms(*built.pain.values(), built.shortfall_cost, built.member_cost), x
    )
    for c in inst.choice.candidates:
        result["values"][("y", c)] = 1.0 if c in members else 0.0
    return result


def solve_reference(instance_path: str | Path, coalition: str | None = None) -> dict[str, Any]:
    """Solve an instance as MODEL.md defines it.

    `coalition=None`: coalition choice when the instance has `coalition_choice`, else the
    `default_coalition` (else the first coalition). A name: that coalition, fixed ("chosen" also
    selects coalition choice).

    Returns status, objective, total_pain, shortfall_cost, member_cost, coalition, members (in
    country order), values {variable key: value}, capability_duals {(area, year): dual >= 0}
    (LP solves only: fixed coalitions and the re-solve of a chosen one), country_pain
    {c: discounted pain_c}, max_pain_pct, q_star and m_star (max_pain stage values).
    """
    inst = load_instance(instance_path)
    if coalition is None and inst.choice is not None or coalition == "chosen":
        return solve_choice(inst)
    name = inst.default_coalition if coalition is None else coalition
    return solve_fixed(inst, inst.coalitions[name], name)
