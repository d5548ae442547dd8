"""Numeric sanity of a valid instance: numbers the model cannot compute with, and numbers that
are allowed but almost certainly a slip.

- errors (the instance is rejected, exit 2): a number beyond what HiGHS can take (|x| > 1e15:
  a larger matrix entry is an error to HiGHS, a bound or cost ≥ 1e20 is infinite to it), a divisor
  (GDP, a unit cost, the EU-content share) below 1e-100, a horizon longer than
  `MAX_HORIZON_YEARS`, and a GDP path that compounds out of 1e-100..1e15 over the horizon;
- warnings (printed, exit 0): absurd magnitudes (a GDP beyond the world's, a share of GDP above
  100 %, a number outside the solver's tolerances 1e-9..1e9, a century-long horizon) and a
  `_pct` value that looks like a fraction (`defence_pct_gdp: 0.02` for 2 %).

Rules read the document as written, so each issue names the path and line where the number stands
(`defaults.gdp_growth_pct`, not the country that inherited it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from optimizer.instance import schema
from optimizer.instance.errors import Issue
from optimizer.instance.loader import SourceMap
from optimizer.instance.resolved import Instance

#: Longest horizon accepted: the model has columns per year, and a typo such as
#: `years: [2026, 20300]` would otherwise build a model of 18,000 years.
MAX_HORIZON_YEARS = 1000
#: Below the first, a divisor overflows its quotient; above the second, HiGHS cannot take the
#: number (a matrix entry ≥ 1e15 is an error, a bound or cost ≥ 1e20 is infinite).
COMPUTABLE = (1e-100, 1e15)
#: Fields the model divides by: a positive value below 1e-100 would overflow the quotient (a
#: tiny value elsewhere is as good as 0, and only warned about).
DIVISORS = {"gdp", "unit_cost", "min_eu_content_pct"}
#: Outside these magnitudes, a number is beyond the solver's tolerances (HiGHS: 1e-9 feasibility).
PLAUSIBLE = (1e-9, 1e9)
#: `_pct` fields whose value below this threshold (and above 0) reads like a fraction of 1:
#: levels that are never that small in percent (a debt of 0.6 % of GDP, a defence budget of 0.02 %).
FRACTION_BELOW = {
    "defence_pct_gdp": 0.1,
    "debt_pct_gdp": 1.0,
    "debt_ceiling_pct_gdp": 1.0,
    "social_pct_gdp": 1.0,
    "gov_expenditure_pct_gdp": 1.0,
    "spending_floor_pct_gdp": 0.1,
    "floor_pct_gdp": 0.1,
    "gdp_growth_pct": 0.1,
    "discount_rate_pct": 0.1,
    "min_eu_content_pct": 1.0,
    "origin_min_share_pct": 1.0,
    "burden_share_min_pct": 1.0,
}
#: Largest plausible value of a percentage field (above it, a warning).
PCT_CEILING = {
    "debt_pct_gdp": 1000.0,
    "debt_ceiling_pct_gdp": 1000.0,
    "gdp_growth_pct": 50.0,
    "discount_rate_pct": 50.0,
    "deficit_pct_gdp": 50.0,
    "interest_rate_pct": 50.0,  # v2: a rate of 350 % is a slip for 3.5
}
#: Shares in percent that cannot exceed 100 % and mean something.
SHARES = {"origin_min_share_pct", "burden_share_min_pct", "social_cut_limit_pct"}
#: GDP in billions: the world's is about 110,000 bn USD.
WORLD_GDP = 1.2e5

Loc = tuple[Any, ...]

#: Every field name of the schema: a number belongs to the nearest one above it (not to an id
#: such as `us` in `origin_min_share_pct: {us: 20}`).
_FIELDS = {
    name
    for model in vars(schema).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
}


def _fmt(value: float) -> str:
    return f"{value:.10g}" if math.isfinite(value) else "a number this large"


def _numbers(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str, float]]:
    """Every number of the document: (location, name of the field it belongs to, value)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, loc + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _numbers(value, loc + (i,))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        field = next((p for p in reversed(loc) if isinstance(p, str) and p in _FIELDS), "")
        try:
            value = float(node)
        except OverflowError:  # an integer with hundreds of digits
            value = math.inf if node > 0 else -math.inf
        yield loc, field, value


def check(instance: Instance, document: dict, smap: SourceMap) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) of a resolved instance and its document."""
    errors: list[Issue] = []
    warnings: list[Issue] = []

    def add(target: list[Issue], loc: Loc, message: str) -> None:
        target.append(Issue(loc, message, smap.line_of(loc)))

    for loc, field, value in _numbers(document):
        if loc and loc[0] in ("years", "scenarios"):
            continue
        size = abs(value)
        if size > COMPUTABLE[1] or (0 < size < COMPUTABLE[0] and field in DIVISORS):
            add(errors, loc, f"{_fmt(value)} is beyond what the model can compute with (|x| ≤ "
                f"{COMPUTABLE[1]:g}; a divisor ≥ {COMPUTABLE[0]:g})")  # fmt: skip
            continue
        if field.endswith(("_pct", "_pct_gdp")) and 0 < value < FRACTION_BELOW.get(field, 0):
            add(warnings, loc, f"{_fmt(value)} looks like a fraction: percentages are written as "
                f"percent numbers (write {value * 100:g} for {value * 100:g} %)")  # fmt: skip
        elif field == "gdp" and value > WORLD_GDP:
            add(
                warnings,
                loc,
                f"{_fmt(value)} billion is more than the world's GDP: is it in billions?",
            )
        elif field in SHARES and value > 100:
            add(warnings, loc, f"{_fmt(value)} % is more than the whole")
        elif field.endswith("_pct_gdp") and value > PCT_CEILING.get(field, 100.0):
            add(warnings, loc, f"{_fmt(value)} % of GDP is implausible")
        elif field in PCT_CEILING and abs(value) > PCT_CEILING[field]:
            add(warnings, loc, f"{_fmt(value)} % is implausible")
        elif size > PLAUSIBLE[1] or 0 < size < PLAUSIBLE[0]:
            add(warnings, loc, f"{_fmt(value)} is an absurd magnitude, beyond the solver's "
                f"tolerances ({PLAUSIBLE[0]:g}..{PLAUSIBLE[1]:g}): check the units")  # fmt: skip

    first, last = instance.first_year, instance.last_year
    length = last - first + 1
    if length > MAX_HORIZON_YEARS:
        add(errors, ("years",), f"a horizon of {length:,} years is longer than this "
            f"implementation supports ({MAX_HORIZON_YEARS})")  # fmt: skip
        return errors, warnings
    if length > 100:
        add(warnings, ("years",), f"a horizon of {length} years is implausibly long")
    if not 1900 <= first <= 2300 or not 1900 <= last <= 2300:
        add(warnings, ("years",), f"years {first}..{last}: implausible calendar years")
    if errors:
        return errors, warnings
    errors += _derived_errors(instance, document, smap)
    try:
        smallest = (1 + instance.discount_rate_pct / 100) ** -(last - first)
    except OverflowError:
        smallest = 0.0
    if smallest < PLAUSIBLE[0]:
        add(warnings, ("discount_rate_pct",), f"discounting at {instance.discount_rate_pct:g} % "
            f"a year makes the last year's pain count {smallest:.3g} times the first's")  # fmt: skip
    return errors, warnings


def _where(document: dict, cid: str, name: str) -> Loc:
    """Where a country's (merged) field is written: the country itself, else `defaults`."""
    country = (document.get("countries") or {}).get(cid)
    if isinstance(country, dict) and name in country:
        return ("countries", cid, name)
    defaults = document.get("defaults")
    if isinstance(defaults, dict) and name in defaults:
        return ("defaults", name)
    return ("countries", cid, name)


def _derived_errors(instance: Instance, document: dict, smap: SourceMap) -> list[Issue]:
    """Derived numbers (MODEL.md, "Derived data") that leave the floating-point range."""
    issues: list[Issue] = []

    def fail(loc: Loc, message: str) -> None:
        issues.append(Issue(loc, message, smap.line_of(loc)))

    base, horizon = instance.base_year, instance.last_year - instance.base_year
    for cid, c in instance.countries.items():
        try:
            growth = (1 + c.gdp_growth_pct / 100) ** horizon
            lowest, highest = c.gdp * min(1.0, growth), c.gdp * max(1.0, growth)
        except OverflowError:
            lowest, highest = c.gdp, math.inf
        if not (math.isfinite(highest) and highest < COMPUTABLE[1] and lowest > COMPUTABLE[0]):
            loc = _where(document, cid, "gdp_growth_pct")
            fail(loc, f"GDP compounded over {horizon} years from {base} leaves the computable "
                 f"range ({lowest:.3g}..{highest:.3g} billion)")  # fmt: skip
    return issues
