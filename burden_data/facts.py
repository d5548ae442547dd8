"""Facts reproduced from an instance's own data (the resolved `Instance` and its `Derived`).

Everything here reads the instance as validated and the derived data of MODEL.md (GDP paths,
floors), so the numbers quoted in the comments of the generated files can be re-checked without
the solver:

* `base_year_facts`: allies at >= 2 % of GDP in the base data, every country's least final-year
  spending (the larger of its baseline share and its floor) as % of its general government
  expenditure, and Germany's 5 % of GDP as a share of its federal budget.
* `level_prices`: for the Brussels price instances, the exact optimum per country. Those
  instances have no capability targets, no common debt, no ramp and no debt limits, so the LP
  splits into one small problem per country and year: raise the floor's increase from the
  cheapest pain segments first. The solver must reproduce these numbers (tested).
"""

from __future__ import annotations

import math
from typing import Any

from optimizer.derive import Derived, derive
from optimizer.instance.resolved import SOURCES, Instance

TWO_PCT = 2.0  # the Wales guideline, % of GDP (policy_facts 2.1)
FIVE_PCT = 5.0  # the Hague headline, % of GDP (policy_facts 1.1)
_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# Base-year facts
# ---------------------------------------------------------------------------------------------


def base_year_facts(instance: Instance, derived: Derived | None = None) -> dict[str, Any]:
    """Headline facts of an instance, from its own data.

    Returns a dict with:
      `allies`, `allies_with_armed_forces` (tag `nato`; defence share > 0),
      `allies_at_2pct` (count with `defence_pct_gdp` >= 2.00), `allies_at_2pct_list`,
      `allies_below_2pct`, `allies_without_armed_forces`;
      `final_year_spending`: per country the least spending the instance allows in its last
      year (max of baseline share and floor), in % of GDP, money, and % of general government
      expenditure (`gov_expenditure_pct_gdp`, held at its share of GDP), plus 5 % of GDP in %
      of that expenditure;
      `germany_5pct`: 5 % of DEU's base-year GDP against its `federal_budget` (None if absent).
    The >= 2 % count uses `defence_pct_gdp`, whose vintage the instance states in its comments.
    """
    derived = derived or derive(instance)
    base, last = instance.base_year, instance.last_year
    countries = instance.countries
    allies = [c for c, country in countries.items() if "nato" in country.tags]
    share = {c: country.defence_pct_gdp for c, country in countries.items()}
    armed = [c for c in allies if share[c] > 0]
    at_two = [c for c in armed if share[c] >= TWO_PCT - _EPS]

    final: dict[str, dict[str, float | None]] = {}
    for c, country in countries.items():
        fl = derived.floor_pct.get((c, last))
        pct = max(share[c], fl if fl is not None else 0.0)
        gge = country.gov_expenditure_pct_gdp
        final[c] = {
            "floor_pct_gdp": fl,
            "spending_pct_gdp": round(pct, 4),
            "spending": round(pct / 100 * derived.gdp[c, last], 3),
            "gov_expenditure_pct_gdp": gge,
            "pct_of_gov_expenditure": None if not gge else round(100 * pct / gge, 2),
            "five_pct_of_gov_expenditure": None if not gge else round(100 * FIVE_PCT / gge, 2),
        }

    germany = None
    if "DEU" in countries and countries["DEU"].federal_budget:
        budget = countries["DEU"].federal_budget
        gdp_b = derived.gdp["DEU", base]
        five = FIVE_PCT / 100 * gdp_b
        germany = {
            "year": base,
            "gdp": round(gdp_b, 2),
            "five_pct_of_gdp": round(five, 2),
            "federal_budget": budget,
            "share_pct": round(100 * five / budget, 2),
        }

    return {
        "instance": instance.name,
        "currency": instance.currency,
        "base_year": base,
        "final_year": last,
        "allies": len(allies),
        "allies_with_armed_forces": len(armed),
        "allies_at_2pct": len(at_two),
        "allies_at_2pct_list": at_two,
        "allies_below_2pct": [c for c in armed if c not in at_two],
        "allies_without_armed_forces": [c for c in allies if c not in armed],
        "final_year_spending": final,
        "germany_5pct": germany,
    }


# ---------------------------------------------------------------------------------------------
# The price of a spending level (Brussels instances)
# ---------------------------------------------------------------------------------------------


def _check_separable(instance: Instance) -> None:
    problems = []
    if any(area.targets for area in instance.capabilities.values()):
        problems.append("capability targets")
    if instance.common_debt is not None:
        problems.append("common_debt")
    if instance.burden_share_min_pct:
        problems.append("burden_share_min_pct")
    if instance.origin_min_share_pct:
        problems.append("origin_min_share_pct")
    if instance.objective != "total_pain":
        problems.append("objective other than total_pain")
    for c, country in instance.countries.items():
        if country.ramp_limit_pct_gdp is not None:
            problems.append(f"countries.{c}.ramp_limit_pct_gdp")
        if country.debt_ceiling_pct_gdp is not None:
            problems.append(f"countries.{c}.debt_ceiling_pct_gdp")
    if problems:
        raise ValueError(
            "level_prices needs an instance that splits per country; this one has: "
            + ", ".join(problems)
        )


def _cheapest(
    instance: Instance, derived: Derived, c: str, year: int, need: float
) -> tuple[float, dict[str, float]]:
    """Least pain to raise `need` in one year, and how much each source gives."""
    country = instance.countries[c]
    g = derived.gdp[c, year]
    cap_money = {
        "tax": math.inf
        if country.tax_limit_pct_gdp is None
        else country.tax_limit_pct_gdp / 100 * g,
        "social": math.inf
        if country.social_cut_limit_pct is None
        else country.social_cut_limit_pct / 100 * derived.social_baseline[c, year],
        "debt": math.inf
        if country.borrowing_limit_pct_gdp is None
        else country.borrowing_limit_pct_gdp / 100 * g,
    }
    pieces = []
    for order, f in enumerate(SOURCES):
        left = cap_money[f]
        for s, segment in enumerate(country.pain.get(f, ())):
            width = segment.width_pct_gdp
            size = min(math.inf if width is None else width / 100 * g, left)
            if size > 0:
                pieces.append((segment.weight, order, s, f, size))
            left -= size
            if left <= 0:
                break
    pieces.sort()
    pain, used, rest = 0.0, dict.fromkeys(SOURCES, 0.0), need
    for weight, _order, _s, f, size in pieces:
        if rest <= 0:
            break
        take = min(size, rest)
        pain += weight * take
        used[f] += take
        rest -= take
    if rest > _EPS * max(1.0, need):
        raise ValueError(
            f"{c} {year}: the floor needs {need:.3f} but sources give only {need - rest:.3f}"
        )
    return pain, used


def level_prices(
    instance: Instance, coalition: str | None = None, derived: Derived | None = None
) -> dict[str, Any]:
    """Exact optimum of a per-country-separable instance (the Brussels price instances).

    Every member must raise inc_{c,t} = max(0, Fl_{c,t} - defence_pct_gdp_c)/100 * GDP_{c,t}
    and nothing more (pain weights are positive and nothing else asks for money); the cheapest
    funding fills the pain segments in order of weight, within the tax, social-cut and
    borrowing limits. Returns `objective` (total discounted pain, as the solver reports it) and
    per country: the final-year level, spending and increase (money and % of general government
    expenditure), the final year's funding split and pain, the discounted pain over the horizon
    and that pain in % of base-year GDP.
    """
    _check_separable(instance)
    derived = derived or derive(instance)
    first, last = instance.first_year, instance.last_year
    out: dict[str, Any] = {}
    total = 0.0
    for c in instance.coalitions[coalition or instance.default_coalition]:
        country = instance.countries[c]
        share = country.defence_pct_gdp
        discounted = 0.0
        final_pain, final_used, final_need = 0.0, dict.fromkeys(SOURCES, 0.0), 0.0
        for t in instance.years:
            need = max(0.0, derived.floor_increase.get((c, t), 0.0))
            pain, used = _cheapest(instance, derived, c, t, need)
            discounted += pain * derived.discount[t]
            if t == last:
                final_pain, final_used, final_need = pain, used, need
        total += discounted
        fl_last = derived.floor_pct.get((c, last))
        level = max(share, fl_last if fl_last is not None else 0.0)
        gge = country.gov_expenditure_pct_gdp
        g_last = derived.gdp[c, last]
        out[c] = {
            "level_pct_gdp": round(level, 4),
            "spending": round(level / 100 * g_last, 3),
            "increase": round(final_need, 3),
            "pct_of_gov_expenditure": None if not gge else round(100 * level / gge, 2),
            "increase_pct_of_gov_expenditure": None
            if not gge
            else round(100 * final_need / (gge / 100 * g_last), 2),
            "final_year_tax": round(final_used["tax"], 3),
            "final_year_social": round(final_used["social"], 3),
            "final_year_debt": round(final_used["debt"], 3),
            "final_year_pain": round(final_pain, 3),
            "pain_discounted": round(discounted, 3),
            "pain_pct_gdp": round(100 * discounted / derived.gdp[c, first - 1], 3),
        }
    return {"objective": total, "years": [first, last], "countries": out}


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def format_facts(facts: dict[str, Any]) -> str:
    """`base_year_facts` as a short plain-text report (for the command line)."""
    cur = facts.get("currency") or ""
    lines = [
        f"instance {facts['instance']}: base year {facts['base_year']}, "
        f"final year {facts['final_year']}",
        f"allies at >= 2 % of GDP (base data): {facts['allies_at_2pct']} of "
        f"{facts['allies_with_armed_forces']} with armed forces ({facts['allies']} allies)",
        f"  at >= 2 %: {', '.join(facts['allies_at_2pct_list'])}",
        f"  below 2 %: {', '.join(facts['allies_below_2pct'])}",
    ]
    if facts["allies_without_armed_forces"]:
        lines.append(f"  no armed forces: {', '.join(facts['allies_without_armed_forces'])}")
    de = facts.get("germany_5pct")
    if de:
        lines.append(
            f"Germany: 5 % of GDP {de['year']} = {de['five_pct_of_gdp']:.1f} {cur} bn = "
            f"{de['share_pct']:.1f} % of the federal budget ({de['federal_budget']:.1f})"
        )
    lines.append(
        f"least spending in {facts['final_year']} (max of baseline and floor), "
        "% of GDP / % of general government expenditure / 5 % of GDP in % of it:"
    )
    for c, row in facts["final_year_spending"].items():
        gge = row["pct_of_gov_expenditure"]
        five = row["five_pct_of_gov_expenditure"]
        lines.append(
            f"  {c}  {row['spending_pct_gdp']:5.2f}  "
            f"{'n/a' if gge is None else f'{gge:5.2f}'}  {'n/a' if five is None else f'{five:5.2f}'}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# 2025 facts (hague-2035: SAFE as allocated, the escape clause, every ally at 2 %)
# ---------------------------------------------------------------------------------------------

SAFE_ENVELOPE = 150.0  # EUR bn, Regulation (EU) 2025/1106 (safe_terms.csv)
ESCAPE_CLAUSE_TAG = "escape_clause"


def _facility(instance: Instance, name: str) -> Any:
    facilities = getattr(instance, "facilities", None)  # model version 2
    if isinstance(facilities, dict):
        return facilities.get(name)
    return instance.common_debt if name == "common_debt" else None


def facts_2025(instance: Instance) -> dict[str, Any] | None:
    """The 2025 facts of an instance with SAFE allocations or escape-clause states, else None.

    Returns `allies_at_2pct` / `allies_with_armed_forces` (every ally with armed forces at >= 2 %
    in NATO's 2025 estimates), `safe_allocations` (country -> EUR bn, the facility `safe`) and
    their `safe_total` (EUR 150 bn up to rounding), `escape_clause` (the countries tagged
    `escape_clause`, with their borrowing limit in the clause's last year 2028 and in 2029).
    """
    from optimizer.instance.resolved import path_value

    safe = _facility(instance, "safe")
    allocations = dict(getattr(safe, "allocations", None) or {}) if safe is not None else {}
    clause = [c for c, k in instance.countries.items() if ESCAPE_CLAUSE_TAG in k.tags]
    if not allocations and not clause:
        return None
    base = base_year_facts(instance)
    limits = {}
    for c in clause:
        spec = instance.countries[c].borrowing_limit_pct_gdp
        limits[c] = {year: path_value(spec, year) for year in (2028, 2029)}
    return {
        "allies_with_armed_forces": base["allies_with_armed_forces"],
        "allies_at_2pct": base["allies_at_2pct"],
        "allies_below_2pct": base["allies_below_2pct"],
        "safe_allocations": allocations,
        "safe_total": round(sum(allocations.values()), 2),
        "safe_cap": None if safe is None else safe.cap,
        "escape_clause": clause,
        "escape_clause_limits": limits,
    }


def format_facts_2025(facts: dict[str, Any]) -> str:
    """`facts_2025` as plain text (for the command line)."""
    every = facts["allies_at_2pct"] == facts["allies_with_armed_forces"]
    lines = [
        f"2025: {facts['allies_at_2pct']} of {facts['allies_with_armed_forces']} allies with armed "
        f"forces at >= 2 % of GDP ({'all' if every else 'not all'})",
    ]
    if facts["safe_allocations"]:
        lines.append(
            f"SAFE allocations: {len(facts['safe_allocations'])} countries, total "
            f"{facts['safe_total']:.2f} bn (envelope {facts['safe_cap']:g}; "
            f"{SAFE_ENVELOPE:g} up to rounding: "
            f"{abs(facts['safe_total'] - SAFE_ENVELOPE) < 0.05})"
        )
        lines.append("  " + ", ".join(f"{c} {v:g}" for c, v in facts["safe_allocations"].items()))
    if facts["escape_clause"]:
        lines.append(
            f"national escape clause: {len(facts['escape_clause'])} states: "
            + ", ".join(facts["escape_clause"])
        )
        for c, lim in facts["escape_clause_limits"].items():
            a, b = lim[2028], lim[2029]
            shown = [("none" if v is None else f"{v:g}") for v in (a, b)]
            lines.append(f"  {c}: borrowing limit 2028 {shown[0]} -> 2029 {shown[1]} % of GDP")
    return "\n".join(lines)
