"""Duals in domain words: what binds, and what relaxing each limit by one unit would save.

HiGHS reports a row's dual with the sign of a minimisation: a ≥ row has dual ≥ 0, a ≤ row
dual ≤ 0, and dual · Δ(right-hand side) is the first-order change of the objective. The `dual`
column here is that dual for the row written as MODEL.md writes the family (`declared_dual`:
Pyomo compiles a few families negated), so it has the sign each family's docstring states:
≥ 0 for the requirements, ≤ 0 for the limits. Planners read one number the same way for
every limit, so every row also gets

    marginal_pain = pain saved per unit the limit is *relaxed*  (≥ 0 at an optimum)

- a ≤ limit (tax limit, social-cut limit, debt room, borrowing limit, ramp, programme capacity,
  common-debt caps): relaxing raises the right-hand side, so marginal_pain = −dual;
- a ≥ requirement (spending floor, capability target, origin share, burden share, max-pain cap):
  relaxing lowers it, so marginal_pain = +dual.

The model's rows are in money (billions of the instance currency), so `marginal_pain` is per
billion, except capability targets (per unit of the area) and the max-pain rows (per % of GDP).
`marginal_pain_per_point` converts to the instance field's own unit, by the derivative of the
right-hand side with respect to that field:

- per percentage point of GDP (tax limit, borrowing limit, ramp, floor):  × GDP_{c,t}/100;
- per point of the social-cut limit (% of baseline social spending):      × Soc_{c,t}/100;
- per point of the debt ceiling (% of GDP):                               × GDP_{c,t}/100
  (while baseline debt is above the ceiling the room stays 0, so the true derivative is 0);
- per unit of a programme's `capacity_per_year`:                          × unit_cost_j;
- per point of an origin's minimum share: × Σ procure / 100 (the envelope derivative);
- per point of `burden_share_min_pct`:    × (GDP share of c) · Σ_{c',t} inc / 100.

A dual is a derivative only where it is unique; at a degenerate optimum (a limit that binds
exactly where a pain segment fills up, say) HiGHS returns one valid dual among several, which
lies between the left and the right derivative. Under `max_pain` the duals are those of stage 3
(total pain with the shortfall cost and the largest pain held); for coalition choice, those of
the LP of the chosen coalition.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimizer.derive import Derived
from optimizer.families import FAMILIES, PRICED, Family
from optimizer.instance.resolved import Instance
from optimizer.model.sets import ModelSets
from optimizer.solver.highs import SolveOutcome

#: A row is binding when its slack is at most this, relative to max(1, |activity|) ...
SLACK_REL = 1e-7
#: ... or when its dual is larger than this in absolute value (complementary slackness).
DUAL_EPS = 1e-9

BINDING_COLUMNS = [
    "family", "constraint", "country", "subject", "year", "limit", "slack", "dual",
    "marginal_pain", "unit", "marginal_pain_per_point", "point_unit", "parameter",
]  # fmt: skip
SENSITIVITY_COLUMNS = [*BINDING_COLUMNS[:5], "binding", *BINDING_COLUMNS[5:]]


def shown_label(family: Family) -> str:
    """The family column's name for a family: its dual's name where that differs."""
    return family.dual_label or family.label


@dataclass
class _Row:
    family: Family
    country: str | None
    subject: str | None
    year: int | None
    limit: float | None
    unit: str
    factor: float | None
    point_unit: str | None
    parameter: str | None


def _procurement_total(
    instance: Instance, sets: ModelSets, outcome: SolveOutcome, members
) -> float:
    total = 0.0
    for c, k, o, t in sets.purchases:
        if c in members:
            price = next(opt.unit_cost for opt in instance.capabilities[k].options if opt.id == o)
            total += price * instance.countries[c].cost_factor * outcome.value("buy", (c, k, o, t))
    for c, j, t in sets.contributions:
        if c in members:
            total += outcome.value("con", (c, j, t))
    return total


@dataclass
class _Context:
    """What the describers of one solve's rows read."""

    instance: Instance
    derived: Derived
    sets: ModelSets
    outcome: SolveOutcome
    members: frozenset[str]
    acting: frozenset[str]
    """The members and the outsiders (v2): the countries whose rows are shown."""
    cache: dict[str, float]

    @property
    def per_money(self) -> str:
        return f"pain per {f'bn {self.instance.currency}'.strip()}"

    def gdp(self, c: str, t: int) -> float:
        return self.derived.gdp[c, t]

    def parameter(self, name: str, year: int | None = None, **subs: object) -> str:
        """The instance field behind a row of family `name` as a `--set` path (the registry's
        `field`); for a country's limit path, with the year's key if the path has one; for the
        one facility named `common_debt` (version 1's), `common_debt.<field>`."""
        path = FAMILIES[name].field
        for key, value in subs.items():
            path = path.replace(f"<{key}>", str(value))
        if path.startswith("facilities.") and list(self.instance.facilities) == ["common_debt"]:
            path = path.replace("facilities.common_debt.", "common_debt.", 1)
        if year is not None and path.startswith("countries."):
            value = getattr(self.instance.countries[subs["c"]], path.rsplit(".", 1)[1], None)
            if isinstance(value, dict) and year in value:
                path += f".{year}"
        return path


PCT_GDP = "pain per pp of GDP"


def _tax_limit(x: _Context, fam: Family, c: str, t: int) -> _Row:
    limit = x.instance.countries[c].limit("tax_limit_pct_gdp", t) / 100 * x.gdp(c, t)
    return _Row(fam, c, None, t, limit, x.per_money, x.gdp(c, t) / 100, PCT_GDP,
                x.parameter(fam.constraint, t, c=c))  # fmt: skip


def _social_floor(x: _Context, fam: Family, c: str, t: int) -> _Row:
    social = x.derived.social_baseline[c, t]
    limit = x.instance.countries[c].limit("social_cut_limit_pct", t) / 100 * social
    return _Row(fam, c, None, t, limit, x.per_money, social / 100,
                "pain per point of the social-cut limit",
                x.parameter(fam.constraint, t, c=c))  # fmt: skip


def _debt_room(x: _Context, fam: Family, c: str, t: int) -> _Row:
    room = x.derived.debt_room[c, t]
    factor = x.gdp(c, t) / 100 if room > 0 else 0.0
    return _Row(fam, c, None, t, room, x.per_money, factor, "pain per pp of the debt ceiling",
                x.parameter(fam.constraint, t, c=c))  # fmt: skip


def _borrowing_limit(x: _Context, fam: Family, c: str, t: int) -> _Row:
    limit = x.instance.countries[c].limit("borrowing_limit_pct_gdp", t) / 100 * x.gdp(c, t)
    return _Row(fam, c, None, t, limit, x.per_money, x.gdp(c, t) / 100, PCT_GDP,
                x.parameter(fam.constraint, t, c=c))  # fmt: skip


def _spending_floor(x: _Context, fam: Family, c: str, t: int) -> _Row:
    return _Row(fam, c, None, t, x.derived.floor_increase[c, t], x.per_money, x.gdp(c, t) / 100,
                "pain per pp of GDP of the floor", x.parameter(fam.constraint, c=c))  # fmt: skip


def _ramp_limit(x: _Context, fam: Family, c: str, t: int) -> _Row:
    limit = x.instance.countries[c].ramp_limit_pct_gdp / 100 * x.gdp(c, t)
    return _Row(fam, c, None, t, limit, x.per_money, x.gdp(c, t) / 100, PCT_GDP,
                x.parameter(fam.constraint, c=c))  # fmt: skip


def _funding_balance(x: _Context, fam: Family, c: str, t: int) -> _Row:
    return _Row(fam, c, None, t, None, x.per_money, x.gdp(c, t) / 100,
                "pain per pp of GDP of increase", None)  # fmt: skip


def _common_debt_content(x: _Context, fam: Family, c: str, t: int) -> _Row:
    parameter = None
    if len(x.instance.facilities) == 1:
        parameter = x.parameter(fam.constraint, h=next(iter(x.instance.facilities)))
    return _Row(fam, c, None, t, 0.0, x.per_money, None, None, parameter)


def _unpriced(x: _Context, fam: Family, c: str, t: int) -> _Row:
    """Running costs, common debt for procurement only: a limit of 0 with no field to move."""
    return _Row(fam, c, None, t, 0.0, x.per_money, None, None, None)


#: Families indexed by (country, year): shown for the acting countries only.
_COUNTRY_YEAR = {
    "tax_limit": _tax_limit, "social_floor": _social_floor, "debt_room": _debt_room,
    "annual_borrowing_limit": _borrowing_limit, "spending_floor": _spending_floor,
    "ramp_limit": _ramp_limit, "funding_balance": _funding_balance,
    "running_costs": _unpriced, "common_debt_procurement_only": _unpriced,
    "common_debt_content": _common_debt_content,
}  # fmt: skip


def _capability_targets(x: _Context, fam: Family, index: Any) -> _Row | None:
    k, t = index
    area = x.instance.capabilities[k]
    return _Row(fam, None, k, t, area.targets[t], f"pain per {area.unit}", 1.0,
                f"pain per {area.unit}", f"{x.parameter(fam.constraint, k=k)}.{t}")  # fmt: skip


def _programme_capacity(x: _Context, fam: Family, index: Any) -> _Row | None:
    j, t = index
    programme = x.instance.programmes[j]
    return _Row(fam, None, j, t, programme.capacity_per_year * programme.unit_cost,
                x.per_money, programme.unit_cost, "pain per unit of capacity_per_year",
                x.parameter(fam.constraint, j=j))  # fmt: skip


def _common_debt_cap(x: _Context, fam: Family, index: Any) -> _Row | None:
    # one facility: a scalar row (version 1's); several: one row per facility h
    h = next(iter(x.instance.facilities)) if index is None else index
    return _Row(fam, None, h if index is not None else None, None,
                x.instance.facilities[h].cap, x.per_money, 1.0, x.per_money,
                x.parameter(fam.constraint, h=h))  # fmt: skip


def _common_debt_cap_per_year(x: _Context, fam: Family, index: Any) -> _Row | None:
    facilities = x.instance.facilities
    h, t = (next(iter(facilities)), index) if len(facilities) == 1 else index
    subject = h if len(facilities) > 1 else None
    return _Row(fam, None, subject, t, facilities[h].cap_per_year, x.per_money, 1.0,
                x.per_money, x.parameter(fam.constraint, h=h))  # fmt: skip


def _facility_allocations(x: _Context, fam: Family, index: Any) -> _Row | None:
    h, c = index
    allocation = x.instance.facilities[h].allocations.get(c, 0.0)
    return _Row(fam, c, h, None, allocation, x.per_money, 1.0, x.per_money,
                x.parameter(fam.constraint, h=h, c=c))  # fmt: skip


def _outsider_targets(x: _Context, fam: Family, index: Any) -> _Row | None:
    c, k, t = index
    if c not in x.acting:
        return None
    area = x.instance.capabilities[k]
    need = (x.derived.share or {}).get(c, 0.0) / 100 * area.targets[t]
    return _Row(fam, c, k, t, need, f"pain per {area.unit}", area.targets[t] / 100,
                "pain per point of capability_share_pct",
                x.parameter(fam.constraint, c=c))  # fmt: skip


def _supply_limits(x: _Context, fam: Family, index: Any) -> _Row | None:
    k, o, t = index
    area = x.instance.capabilities[k]
    i = next(n for n, opt in enumerate(area.options) if opt.id == o)
    return _Row(fam, None, f"{k}/{o}", t, area.options[i].capacity_per_year,
                f"pain per {area.unit}", 1.0, f"pain per {area.unit}",
                x.parameter(fam.constraint, k=k, i=i))  # fmt: skip


def _origin_shares(x: _Context, fam: Family, index: Any) -> _Row | None:
    g = index
    if "procure" not in x.cache:
        x.cache["procure"] = _procurement_total(x.instance, x.sets, x.outcome, x.members)
    return _Row(fam, None, g, None, 0.0, x.per_money, x.cache["procure"] / 100,
                "pain per point of the minimum share", x.parameter(fam.constraint, g=g))  # fmt: skip


def _burden_share(x: _Context, fam: Family, index: Any) -> _Row | None:
    c = index
    if c not in x.members:
        return None
    base = x.derived.base_year
    # `members` is a frozenset: sum in the sets' order, never in hash order, or the last
    # digit changes with PYTHONHASHSEED (two runs of one instance would differ)
    ordered = [m for m in x.sets.members if m in x.members]
    share = x.gdp(c, base) / sum(x.gdp(m, base) for m in ordered)
    if "increase" not in x.cache:
        x.cache["increase"] = sum(
            x.outcome.value("inc", (m, t)) for m in ordered for t in x.sets.years
        )
    return _Row(fam, c, None, None, None, x.per_money, share * x.cache["increase"] / 100,
                "pain per point of burden_share_min_pct", x.parameter(fam.constraint))  # fmt: skip


def _max_pain_rows(x: _Context, fam: Family, index: Any) -> _Row | None:
    c = index
    if c not in x.members:
        return None
    return _Row(fam, c, None, None, None, "pain per % of GDP of the cap", 1.0,
                "pain per % of GDP of the cap", None)  # fmt: skip


#: The other priced families: index → row (None: not shown).
_OTHERS: dict[str, Callable[[_Context, Family, Any], _Row | None]] = {
    "capability_targets": _capability_targets, "programme_capacity": _programme_capacity,
    "common_debt_cap": _common_debt_cap, "common_debt_cap_per_year": _common_debt_cap_per_year,
    "facility_allocations": _facility_allocations, "outsider_targets": _outsider_targets,
    "supply_limits": _supply_limits, "origin_shares": _origin_shares,
    "burden_share": _burden_share, "max_pain_rows": _max_pain_rows,
}  # fmt: skip


def _describe(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    members: frozenset[str],
) -> Callable[[str, Any], _Row | None]:
    """A function (constraint name, index) → the row's domain description (None: not shown)."""
    acting = frozenset(members | set(sets.outsiders))
    context = _Context(instance, derived, sets, outcome, members, acting, {})

    def describe(name: str, index: Any) -> _Row | None:
        if name in _COUNTRY_YEAR:
            c, t = index
            if c not in acting:
                return None
            return _COUNTRY_YEAR[name](context, FAMILIES[name], c, t)
        if name in _OTHERS:
            return _OTHERS[name](context, FAMILIES[name], index)
        return None

    return describe


def declared_dual(sense: str, compiled: int | None, raw: float) -> float:
    """A row's dual in the orientation of its family's formula (`sense`), from HiGHS's dual of
    the row as compiled (`compiled`: −1 `≥`, 1 `≤`, 0 `=`; see `SolveOutcome.senses`).

    Pyomo compiles `x ≥ y·z` with variables on both sides as `y·z − x ≤ 0`: the same row
    negated, so its dual is negated too. Equalities keep the formula's orientation
    (`inc − Σ sources = 0` for the funding balance).
    """
    flipped = (sense == ">=" and compiled == 1) or (sense == "<=" and compiled == -1)
    return (-raw if flipped else raw) + 0.0


def sensitivity_table(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    members: tuple[str, ...] | list[str],
) -> pd.DataFrame:
    """Every row of every family of `PRICED` for the members, with its dual in domain words.

    Empty (with the columns) when the outcome is not optimal or carries no duals.
    """
    if outcome.status != "optimal" or not outcome.duals:
        return pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    describe = _describe(instance, derived, sets, outcome, frozenset(members))
    records = []
    for name in PRICED:
        duals = outcome.duals.get(name, {})
        slacks = outcome.slacks.get(name, {})
        activities = outcome.row_values.get(name, {})
        senses = outcome.senses.get(name, {})
        for index, raw in duals.items():
            row = describe(name, index)
            if row is None:
                continue
            fam = row.family
            dual = declared_dual(fam.sense, senses.get(index), float(raw))
            marginal = -dual if fam.sense in ("<=", "==") else dual
            slack = slacks.get(index)
            activity = activities.get(index, 0.0)
            binding = fam.sense != "==" and (
                abs(dual) > DUAL_EPS
                or (slack is not None and slack <= SLACK_REL * max(1.0, abs(activity)))
            )
            records.append(
                {
                    "family": shown_label(fam),
                    "constraint": name,
                    "country": row.country,
                    "subject": row.subject,
                    "year": row.year,
                    "binding": bool(binding),
                    "limit": row.limit,
                    "slack": None if slack is None or fam.sense == "==" else max(0.0, slack),
                    "dual": dual,
                    "marginal_pain": marginal + 0.0,
                    "unit": row.unit,
                    "marginal_pain_per_point": (
                        None if row.factor is None else marginal * row.factor + 0.0
                    ),
                    "point_unit": row.point_unit,
                    "parameter": row.parameter,
                }
            )
    table = pd.DataFrame(records, columns=SENSITIVITY_COLUMNS)
    if len(table):
        table["year"] = table["year"].astype("Int64")
    return table


def binding_table(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """The binding limits and requirements (binding.csv): family, country, year, slack, dual, ..."""
    if sensitivity.empty:
        return pd.DataFrame(columns=BINDING_COLUMNS)
    rows = sensitivity[sensitivity["binding"]]
    return rows[BINDING_COLUMNS].reset_index(drop=True)


# -- "what binds" in a few lines -------------------------------------------------------------------


def year_ranges(years) -> str:
    """[2026, 2027, 2028, 2031] → `2026–2028, 2031`."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    parts, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)


def _fmt(x: float) -> str:
    """Three significant digits, thousands separated."""
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _who(row: dict) -> str:
    parts = [str(row[k]) for k in ("country", "subject") if isinstance(row.get(k), str) and row[k]]
    return " ".join(parts)


def _price(row: dict) -> tuple[float, str]:
    """A row's marginal pain in the field's own unit where that is informative, else per unit."""
    per_point = row.get("marginal_pain_per_point")
    if not _missing(per_point) and per_point > DUAL_EPS:
        return float(per_point), str(row["point_unit"])
    return float(row["marginal_pain"]), str(row["unit"])


def what_binds(binding: pd.DataFrame, *, names: int = 3, places: int = 6) -> list[str]:
    """A few lines, one per family that binds (MODEL.md's order): who and when, and the dearest.

    "Dearest" are the rows whose relaxation would save the most pain, in the field's own unit
    (per percentage point where the field is a percentage). Families whose rows all have a zero
    dual are listed last as binding "at no marginal cost" (degenerate, or cheaper limits bind
    first).
    """
    if binding is None or binding.empty:
        return []
    by_family: dict[str, list[dict]] = defaultdict(list)
    for row in binding.to_dict("records"):  # plain dicts: pandas rows are slow
        by_family[row["constraint"]].append(row)
    lines, free = [], []
    for constraint in (c for c in PRICED if c in by_family):
        fam, rows = FAMILIES[constraint], by_family[constraint]
        groups: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            groups[_who(row)].extend([] if _missing(row["year"]) else [int(row["year"])])
        where = [f"{who} {year_ranges(years)}".strip() for who, years in groups.items()]
        where = [w for w in where[:places] if w]
        more = f" and {len(groups) - places} more" if len(groups) > places else ""
        text = shown_label(fam) + (f": {', '.join(where)}{more}" if where else "")
        priced = [row for row in rows if row["marginal_pain"] > DUAL_EPS]
        if not priced:
            free.append(f"{shown_label(fam)} ({len(rows)})")
            continue
        items = []
        for row in priced:
            value, unit = _price(row)
            year = "" if _missing(row["year"]) else str(int(row["year"]))
            items.append((" ".join(p for p in (_who(row), year) if p), value, unit))
        items = sorted(items, key=lambda item: -item[1])[:names]
        units = {unit for _l, _v, unit in items}
        if len(units) == 1:
            shown = ", ".join(f"{label} {_fmt(v)}".strip() for label, v, _u in items)
            text += f" · dearest: {shown} ({units.pop()})"
        else:
            shown = "; ".join(f"{label} {_fmt(v)} {u}".strip() for label, v, u in items)
            text += f" · dearest: {shown}"
        lines.append(text)
    if free:
        lines.append(f"binding at no marginal cost (rows): {', '.join(free)}")
    return lines


def parameter_sensitivity(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Marginal pain per unit of each instance field, summed over the years it applies to.

    E.g. `countries.ITA.tax_limit_pct_gdp`: pain saved if ITA's tax limit were 1 pp higher in
    every year. Floors are per year (a path point moves its neighbours too), so they are
    listed by year; every other field by itself.
    """
    columns = ["parameter", "family", "country", "subject", "year", "marginal_pain_per_point",
               "point_unit", "binding_rows"]  # fmt: skip
    if sensitivity.empty:
        return pd.DataFrame(columns=columns)
    rows = sensitivity[sensitivity["parameter"].notna() & sensitivity["binding"]]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    # one grouped aggregation, not a Python loop over groups: 0.2 s → 0.01 s per NATO-size
    # result, which `burden compare` pays once per coalition
    per_year = rows["constraint"].isin(("spending_floor", "capability_targets"))
    keyed = rows.assign(key_year=rows["year"].where(per_year))
    table = (
        keyed.groupby(["parameter", "constraint", "key_year"], sort=False, dropna=False)
        .agg(
            country=("country", "first"),
            subject=("subject", "first"),
            marginal_pain_per_point=("marginal_pain_per_point", "sum"),
            point_unit=("point_unit", "first"),
            binding_rows=("constraint", "size"),
        )
        .reset_index()
    )
    table["family"] = [shown_label(FAMILIES[c]) for c in table["constraint"]]
    table["year"] = table["key_year"].astype("Int64")
    table["marginal_pain_per_point"] = table["marginal_pain_per_point"].astype(float)
    table = table[columns].astype({"country": object, "subject": object})
    # stable, with names and years breaking ties: the same order on every run
    table = table.sort_values(["parameter", "year"], kind="mergesort", na_position="first")
    return table.sort_values(
        "marginal_pain_per_point", ascending=False, kind="mergesort"
    ).reset_index(drop=True)
