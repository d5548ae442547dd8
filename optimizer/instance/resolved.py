"""The resolved instance: defaults merged, coalitions expanded, every cross-reference checked.

This is what the rest of the package reads; it never sees the raw YAML or the pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from optimizer.instance.errors import Issue

#: A path as given: a number for every year, or `{year: value}` (MODEL.md, "Units and conventions").
PathSpec = float | dict[int, float]

SOURCES = ("tax", "social", "debt")


def path_value(path: PathSpec | None, year: int) -> float | None:
    """The value of a path in `year`, or None where it does not apply.

    Between given years the value is interpolated linearly; before the first given year the
    path does not apply; after the last it stays at the last value.
    """
    if path is None:
        return None
    if not isinstance(path, dict):
        return float(path)
    if not path:
        return None
    years = sorted(path)
    if year < years[0]:
        return None
    if year >= years[-1]:
        return float(path[years[-1]])
    for lo, hi in zip(years, years[1:], strict=False):
        if lo <= year <= hi:
            share = (year - lo) / (hi - lo)
            return float(path[lo] + share * (path[hi] - path[lo]))
    raise AssertionError("unreachable: year inside the path's span")


@dataclass(frozen=True)
class Segment:
    """One pain segment: up to `width_pct_gdp` (None = unbounded) at `weight` pain per unit."""

    width_pct_gdp: float | None
    weight: float


@dataclass(frozen=True)
class Country:
    """A country with defaults merged (MODEL.md, "Defaults")."""

    id: str
    name: str
    gdp: float
    gdp_growth_pct: float
    defence_pct_gdp: float
    debt_pct_gdp: float | None
    deficit_pct_gdp: float
    debt_ceiling_pct_gdp: PathSpec | None
    """The four fiscal limits are paths (v2); read a year's value with `limit`."""
    borrowing_limit_pct_gdp: PathSpec | None
    social_pct_gdp: float | None
    social_cut_limit_pct: PathSpec | None
    tax_limit_pct_gdp: PathSpec | None
    accepts_common_debt: bool
    reliability: float
    cost_factor: float
    floor_pct_gdp: PathSpec | None
    """The floor path that applies to this country (its own, else the instance's, else none)."""
    ramp_limit_pct_gdp: float | None
    """The ramp limit that applies (its own, else the instance's, else none)."""
    tags: tuple[str, ...]
    pain: dict[str, tuple[Segment, ...]]
    """Pain curve per usable source; a source missing here cannot be used."""
    population_m: float | None = None
    gov_expenditure_pct_gdp: float | None = None
    federal_budget: float | None = None
    interest_rate_pct: float = 0.0
    """i_c: simple interest on its defence borrowing of earlier years, % a year (v2)."""
    capability_share_pct: float | None = None
    """σ_c as given (v2); None: its share of the alliance's base-year GDP (`Derived.share`)."""

    def limit(self, name: str, year: int) -> float | None:
        """The value of fiscal limit `name` (e.g. `tax_limit_pct_gdp`) in `year`; None: no limit."""
        return path_value(getattr(self, name), year)

    def limit_every_year(self, name: str, years: list[int] | tuple[int, ...]) -> bool:
        """Whether limit `name` has a value in every year given (coalition choice's finite U)."""
        return all(self.limit(name, t) is not None for t in years)


@dataclass(frozen=True)
class Option:
    """A national supply option of an area."""

    id: str
    origin: str
    unit_cost: float
    capacity_per_year: float | None = None
    """q: supply limit in units a year over every acting country (11b, v2)."""


@dataclass(frozen=True)
class Capability:
    """A capability area."""

    id: str
    unit: str
    lead_time: int
    targets: dict[int, float]
    shortfall_penalty: float | None
    options: tuple[Option, ...]
    running_cost: float = 0.0
    """r_k: money per unit in service per year (1b, v2)."""


@dataclass(frozen=True)
class Programme:
    """A joint programme."""

    id: str
    capability: str
    origin: str
    unit_cost: float
    lead_time: int
    capacity_per_year: float | None
    eligible: frozenset[str] | None
    """None: every country."""


@dataclass(frozen=True)
class CommonDebt:
    """A lending facility (v2: one of several; `common_debt` is the one named `common_debt`)."""

    cap: float
    cap_per_year: float | None
    pain_weight: float
    national_debt_share: float
    min_eu_content_pct: float | None
    eligible: frozenset[str] | None
    requires_unanimity: bool
    name: str = "common_debt"
    interest_rate_pct: float = 0.0
    """i_h, % a year; a country pays κ_h of it on its draws of earlier years."""
    allocations: dict[str, float] | None = None
    """Most each country may draw over the horizon; a country not listed: 0 (None: no limit)."""

    def eligible_for(self, cid: str) -> bool:
        """Whether `cid` is in the facility's `eligible` list (default: every country)."""
        return self.eligible is None or cid in self.eligible


#: v2's name for a lending facility
Facility = CommonDebt


@dataclass(frozen=True)
class CoalitionChoice:
    """Coalition choice, with the candidate set expanded."""

    candidates: tuple[str, ...]
    required: tuple[str, ...]
    forbidden: tuple[str, ...]
    member_cost: float
    min_members: int


@dataclass(frozen=True)
class Instance:
    """A valid instance, ready for the derive step."""

    name: str
    description: str
    currency: str
    first_year: int
    last_year: int
    discount_rate_pct: float
    objective: str
    burden_share_min_pct: float
    origin_min_share_pct: dict[str, float]
    countries: dict[str, Country]
    capabilities: dict[str, Capability]
    programmes: dict[str, Programme]
    facilities: dict[str, CommonDebt]
    """H: the lending facilities by name (`common_debt` alone is the facility `common_debt`)."""
    coalitions: dict[str, tuple[str, ...]]
    """Coalition name → members, in the instance's country order."""
    default_coalition: str
    choice: CoalitionChoice | None
    file: Path | None = None
    sha256: str = ""
    document: dict = field(default_factory=dict, repr=False)
    """The document as loaded (after overrides), for manifests."""
    warnings: tuple[Issue, ...] = ()
    """Numbers that are valid but look like a slip (`optimizer.instance.sanity`): printed, not fatal."""
    overrides: tuple[str, ...] = ()
    """`PATH=VALUE` overrides applied to the file before validation, in order (a `--scenario`'s
    first, then `--set`'s); see `optimizer.instance.overrides`."""
    scenario: str | None = None
    """The named scenario of the file that was applied (`--scenario`), if any."""
    alliance: tuple[str, ...] | None = None
    """A, in country order (v2); None: no `alliance`, the coalition alone acts."""

    @property
    def common_debt(self) -> CommonDebt | None:
        """The only facility, if there is exactly one (for code that knows one facility)."""
        if len(self.facilities) == 1:
            return next(iter(self.facilities.values()))
        return None

    def actors(self, members: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """A for a coalition S: the alliance if given, else S itself."""
        if self.alliance is None:
            return self.in_country_order(list(members))
        return self.alliance

    @property
    def years(self) -> list[int]:
        """The planning years T."""
        return list(range(self.first_year, self.last_year + 1))

    @property
    def base_year(self) -> int:
        """b = first − 1, the year of the data."""
        return self.first_year - 1

    def in_country_order(self, ids: set[str] | frozenset[str] | list[str]) -> tuple[str, ...]:
        """The given country ids, in the instance's country order."""
        wanted = set(ids)
        return tuple(c for c in self.countries if c in wanted)
