"""The instance file's schema: one pydantic model per YAML section (MODEL.md, "Instance file").

Every model forbids unknown keys, so a misspelt field is an error rather than silently ignored.
Numbers are strict (a quoted "1.5" is text, not a number) and NaN or infinity are rejected.
Fields that may be left out default to `None`; which fields a country set explicitly (including
an explicit `null`) is read from pydantic's `model_fields_set` when defaults are merged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StrictBool, StrictInt, model_validator
from pydantic_core import PydanticCustomError

Number = Annotated[float, Strict()]
NonNegative = Annotated[float, Strict(), Field(ge=0)]
Positive = Annotated[float, Strict(), Field(gt=0)]
Count = Annotated[StrictInt, Field(ge=0)]
Id = Annotated[str, Strict()]
Year = StrictInt

#: A path: a plain number (every year) or `{year: value}`, interpolated linearly between years.
PathValue = NonNegative | dict[Year, NonNegative]


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, use_attribute_docstrings=True
    )


SEGMENT_WIDTH = Annotated[float, Strict(), Field(gt=0)] | None


def _curve_error(source: str, segment: int, slot: int, message: str) -> PydanticCustomError:
    """An error at `pain.<source>[segment][slot]` (slot 0: width, 1: weight); see validate.py."""
    return PydanticCustomError("pain_curve", message, {"sub": (source, segment, slot)})


def _check_curve(source: str, curve: list[tuple[float | None, float]] | None) -> None:
    if curve is None:
        return
    for s, (width, _weight) in enumerate(curve):
        if width is None and s != len(curve) - 1:
            raise _curve_error(
                source, s, 0, f"segment {s}: only the last segment's width may be null"
            )
    weights = [weight for _width, weight in curve]
    for s in range(1, len(weights)):
        if weights[s] < weights[s - 1]:
            raise _curve_error(
                source,
                s,
                1,
                f"segment {s}: weights must not decrease along the curve "
                f"({weights[s - 1]:g} then {weights[s]:g})",
            )


Curve = list[tuple[SEGMENT_WIDTH, NonNegative]]


class Pain(_Section):
    """Pain curves per national funding source: `[[width % of GDP, weight], ...]`."""

    tax: Curve | None = None
    """Pain of raising taxes: segments of [width in % of GDP (null = unbounded, last only), pain per unit]."""
    social: Curve | None = None
    """Pain of cutting social spending: segments as for `tax`."""
    debt: Curve | None = None
    """Pain of national borrowing: segments as for `tax`."""

    @model_validator(mode="after")
    def _curves_are_convex(self) -> Pain:
        for source in ("tax", "social", "debt"):
            _check_curve(source, getattr(self, source))
        return self


class CountryFields(_Section):
    """A country's data (also the shape of `defaults`, where every field is optional)."""

    name: str | None = None
    """Display name."""
    gdp: Positive | None = None
    """Base-year GDP, billions of the instance currency (required, > 0)."""
    gdp_growth_pct: Annotated[float, Strict(), Field(gt=-100)] | None = None
    """Nominal GDP growth per year, % (default 0)."""
    defence_pct_gdp: NonNegative | None = None
    """Base-year defence spending, % of GDP (required)."""
    debt_pct_gdp: NonNegative | None = None
    """Base-year general government debt, % of GDP (required with a debt ceiling)."""
    deficit_pct_gdp: Number | None = None
    """Baseline annual deficit, % of GDP; negative = surplus (default 0)."""
    debt_ceiling_pct_gdp: PathValue | None = None
    """Debt ceiling, % of GDP of the same year, or a path (none: no debt-room limit)."""
    borrowing_limit_pct_gdp: PathValue | None = None
    """Most extra borrowing (national + κ·common) in one year, % of GDP (none: no limit)."""
    social_pct_gdp: NonNegative | None = None
    """Baseline social spending, % of GDP (required with a social-cut limit)."""
    social_cut_limit_pct: PathValue | None = None
    """Largest cut of social spending in a year, % of baseline social spending."""
    tax_limit_pct_gdp: PathValue | None = None
    """Largest tax increase in a year, % of GDP."""
    accepts_common_debt: StrictBool | None = None
    """Whether the country accepts common debt (default true)."""
    reliability: Annotated[float, Strict(), Field(gt=0, le=1)] | None = None
    """Share of the country's capability that counts towards targets, in (0, 1] (default 1)."""
    cost_factor: Positive | None = None
    """Multiplier on national unit costs (default 1)."""
    floor_pct_gdp: PathValue | None = None
    """The country's own spending-floor path, % of GDP; replaces the instance path entirely."""
    ramp_limit_pct_gdp: NonNegative | None = None
    """Largest year-on-year rise of the increase, % of GDP; wins over the instance value."""
    interest_rate_pct: NonNegative | None = None
    """v2: simple interest per year on the country's defence borrowing of earlier years, % (default 0)."""
    capability_share_pct: Annotated[float, Strict(), Field(ge=0, le=100)] | None = None
    """v2: the country's own share of each target when it is an outsider, % (default: its share
    of the alliance's base-year GDP)."""
    tags: list[Id] | None = None
    """Free labels, usable in coalition definitions (e.g. `eu`, `frugal`)."""
    pain: Pain | None = None
    """Pain curves, merged per source with `defaults.pain`; `null` = no curve at all."""
    population_m: NonNegative | None = None
    """Extension: population, millions (reports only)."""
    gov_expenditure_pct_gdp: NonNegative | None = None
    """Extension: general government expenditure, % of GDP (reports only)."""
    federal_budget: NonNegative | None = None
    """Extension: central-government budget of the base year, billions (reports only)."""


class NationalOption(_Section):
    """A national supply option of a capability area."""

    id: Id | None = None
    """Option id, unique within the area (default: the origin)."""
    origin: Id
    """Where it is made: `us`, `eu`, `domestic`, ... (required)."""
    unit_cost: Positive
    """Cost per unit, billions (required, > 0); national purchases pay it times `cost_factor`."""
    capacity_per_year: NonNegative | None = None
    """v2: most units all acting countries together can buy from it in one year (none: no limit)."""
    name: str | None = None
    """Display name."""


class Capability(_Section):
    """A capability area with its targets and national options."""

    unit: str | None = None
    """The area's unit of capability (batteries, brigades, ...)."""
    lead_time: Count = 0
    """Years between paying for a unit and it counting towards a target (default 0)."""
    targets: dict[Year, NonNegative] = Field(default_factory=dict)
    """Required capability `{year: units}`; points, applying only in the years listed."""
    shortfall_penalty: NonNegative | None = None
    """Pain per unit of shortfall; absent = a hard target."""
    running_cost: NonNegative = 0.0
    """v2: money per unit in service per year, paid from `other` (default 0)."""
    national: list[NationalOption] = Field(default_factory=list)
    """National supply options."""
    name: str | None = None
    """Display name."""


class JointProgramme(_Section):
    """A joint procurement programme that members pay into."""

    capability: Id
    """The capability area it delivers (required)."""
    origin: Id
    """Where it is made (required)."""
    unit_cost: Positive
    """Money per unit of capability delivered (required, > 0)."""
    lead_time: Count = 0
    """Years between paying in and the capability counting (default 0)."""
    capacity_per_year: NonNegative | None = None
    """Most units the programme can deliver per year of contributions (none: no limit)."""
    eligible: list[Id] | None = None
    """Countries that may pay in (default: every country)."""
    name: str | None = None
    """Display name."""


class CommonDebt(_Section):
    """A common-debt facility (e.g. SAFE) that lends for procurement."""

    cap: NonNegative
    """Total lending over the horizon, billions (required)."""
    cap_per_year: NonNegative | None = None
    """Most lending in one year (none: no limit)."""
    pain_weight: NonNegative
    """Pain per unit drawn (required)."""
    national_debt_share: Annotated[float, Strict(), Field(ge=0, le=1)] = 1.0
    """κ: share of a draw that counts as national debt (1: loans; 0: common bonds)."""
    min_eu_content_pct: Annotated[float, Strict(), Field(gt=0, le=100)] | None = None
    """Least share of origin-`eu` procurement behind each draw, % (none: no content rule)."""
    eligible: list[Id] | None = None
    """Countries that may draw (default: every country)."""
    requires_unanimity: StrictBool = False
    """If true, one eligible member that refuses common debt shuts the facility for all."""
    interest_rate_pct: NonNegative = 0.0
    """v2: interest per year on draws, %; a country pays `national_debt_share` of it (default 0)."""
    allocations: dict[Id, NonNegative] | None = None
    """v2: most each country may draw over the horizon, billions; a country not listed: 0
    (none: no allocations)."""


class Coalition(_Section):
    """A member set: exactly one of `"*"`, a list, `members`, `all_except`, `tags`."""

    all: bool = False
    """Every country (written `"*"`)."""
    members: list[Id] | None = None
    """These countries."""
    all_except: list[Id] | None = None
    """Every country but these."""
    tags: list[Id] | None = None
    """Every country carrying one of these tags."""

    @model_validator(mode="before")
    @classmethod
    def _forms(cls, data: Any) -> Any:
        if data == "*":
            return {"all": True}
        if isinstance(data, list):
            return {"members": data}
        if isinstance(data, dict):
            given = [k for k in ("all", "members", "all_except", "tags") if k in data]
            if len(given) > 1:
                raise ValueError(f"give exactly one coalition form, not {' and '.join(given)}")
            if not given:
                raise ValueError('a coalition is "*", a list, or one of members, all_except, tags')
            return data
        raise ValueError('a coalition is "*", a list, or one of members, all_except, tags')


class CoalitionChoice(_Section):
    """Let the model choose the coalition (mixed-integer)."""

    candidates: Annotated[Coalition | Id, Field(union_mode="left_to_right")] = Coalition(all=True)
    """Who may join: a coalition form or a coalition's name (default every country)."""
    required: list[Id] = Field(default_factory=list)
    """Candidates that must join."""
    forbidden: list[Id] = Field(default_factory=list)
    """Countries that may not join."""
    member_cost: NonNegative = 0.0
    """Pain added per member."""
    min_members: Count = 0
    """Least number of members."""


class InstanceFile(_Section):
    """The whole instance file."""

    name: str
    """Instance name (required)."""
    description: str | None = None
    """Free text."""
    currency: str | None = None
    """Money is in billions of this currency."""
    years: tuple[Year, Year]
    """Planning horizon `[first, last]`; the base year is first − 1 (required)."""
    discount_rate_pct: NonNegative = 0.0
    """Discount rate for pain, % per year (default 0)."""
    objective: Literal["total_pain", "max_pain"] = "total_pain"
    """`total_pain` (default) or `max_pain` (egalitarian, lexicographic)."""
    spending_floor_pct_gdp: PathValue | None = None
    """Spending-floor path for every member without its own, % of GDP."""
    ramp_limit_pct_gdp: NonNegative | None = None
    """Largest year-on-year rise of a member's increase, % of GDP."""
    burden_share_min_pct: NonNegative = 0.0
    """φ: each member's total increase ≥ φ % of its GDP share of the coalition's increase."""
    origin_min_share_pct: dict[Id, NonNegative] = Field(default_factory=dict)
    """Least share of all procurement from an origin, % (e.g. `{us: 20}`)."""
    defaults: CountryFields | None = None
    """Country fields used where a country does not give its own."""
    countries: Annotated[dict[Id, CountryFields], Field(min_length=1)]
    """Countries by id (ISO 3166 alpha-3 codes recommended; required, at least one)."""
    capabilities: Annotated[dict[Id, Capability], Field(min_length=1)]
    """Capability areas by id (required, at least one)."""
    joint_programmes: dict[Id, JointProgramme] = Field(default_factory=dict)
    """Joint procurement programmes by id."""
    common_debt: CommonDebt | None = None
    """The common-debt facility (none: no facility); the facility named `common_debt`."""
    facilities: dict[Id, CommonDebt] | None = None
    """v2: lending facilities by name (not together with `common_debt`)."""
    alliance: Annotated[Coalition | Id, Field(union_mode="left_to_right")] | None = None
    """v2: who acts: a coalition form or a coalition's name (absent: the coalition solved)."""
    coalitions: Annotated[dict[Id, Coalition], Field(min_length=1)]
    """Named member sets (required, at least one)."""
    default_coalition: Id | None = None
    """The coalition solved by default (else the first one in file order)."""
    coalition_choice: CoalitionChoice | None = None
    """Let the model choose the members (makes the model mixed-integer)."""
    scenarios: dict[Id, dict[Id, Any]] | None = None
    """Extension: named sets of overrides, `{name: {dotted.path: value}}`, applied with
    `--scenario NAME` before validation (e.g. `{high: {spending_floor_pct_gdp.2035: 5}}`); each
    path must name a field of this schema, as for `--set PATH=VALUE`."""
