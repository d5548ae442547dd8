"""Facts reproduced from a loaded instance (the dict `yaml.safe_load` returns).

Everything here is computed from the instance's own fields, using MODEL.md's derived data
(GDP path, floor paths, defaults), so a reader can re-check the numbers quoted in the comments of
the generated files without the solver:

* `base_year_facts`: allies at >= 2 % of GDP in the base data, every country's least final-year
  spending (the larger of its baseline share and its floor) as % of its general government
  expenditure, and Germany's 5 % of GDP as a share of its federal budget.
* `level_prices`: for the Brussels price instances, the exact optimum per country. Those
  instances have no capability targets, no common debt, no ramp and no debt limits, so the LP
  splits into one small problem per country and year: raise the floor's increase from the
  cheapest pain segments first. The solver must reproduce these numbers.
"""

from __future__ import annotations

import math
from typing import Any

SOURCES = ("tax", "social", "debt")
TWO_PCT = 2.0  # the Wales guideline, % of GDP (policy_facts 2.1)
FIVE_PCT = 5.0  # the Hague headline, % of GDP (policy_facts 1.1)
_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# Reading an instance dict the way MODEL.md does
# ---------------------------------------------------------------------------------------------


def path_value(path: Any, year: int) -> float | None:
    """A MODEL.md path at `year`: a plain number, or `{year: value}` interpolated linearly.

    None before the first given year (the path does not apply) or when there is no path.
    """
    if path is None:
        return None
    if not isinstance(path, dict):
        return float(path)
    points = sorted((int(y), float(v)) for y, v in path.items())
    if not points or year < points[0][0]:
        return None
    if year >= points[-1][0]:
        return points[-1][1]
    for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    raise AssertionError("unreachable")


def _field(instance: dict, c: str, key: str, default: Any = None) -> Any:
    """A country field: the country's own value (explicit null = not given), else `defaults`."""
    country = instance["countries"][c] or {}
    if key in country:
        return country[key]
    defaults = instance.get("defaults") or {}
    if key in defaults:
        return defaults[key]
    return default


def _base_year(instance: dict) -> int:
    return int(instance["years"][0]) - 1


def gdp(instance: dict, c: str, year: int) -> float:
    """GDP_{c,t} = gdp_c * (1 + growth/100)^(t - b)."""
    growth = _field(instance, c, "gdp_growth_pct", 0.0) or 0.0
    return float(_field(instance, c, "gdp")) * (1 + growth / 100) ** (year - _base_year(instance))


def floor_pct(instance: dict, c: str, year: int) -> float | None:
    """Fl_{c,t}: the country's own floor path (itself or via defaults), else the instance path."""
    country = instance["countries"][c] or {}
    defaults = instance.get("defaults") or {}
    if "floor_pct_gdp" in country and country["floor_pct_gdp"] is not None:
        return path_value(country["floor_pct_gdp"], year)
    if "floor_pct_gdp" not in country and defaults.get("floor_pct_gdp") is not None:
        return path_value(defaults["floor_pct_gdp"], year)
    return path_value(instance.get("spending_floor_pct_gdp"), year)


def tags(instance: dict, c: str) -> list[str]:
    return list(_field(instance, c, "tags", []) or [])


def pain_curves(instance: dict, c: str) -> dict[str, list | None]:
    """The merged pain curve per source (MODEL.md "Defaults": merged per source)."""
    country = instance["countries"][c] or {}
    default_pain = (instance.get("defaults") or {}).get("pain") or {}
    if "pain" in country and country["pain"] is None:
        return dict.fromkeys(SOURCES)
    own = country.get("pain") or {}
    return {f: own[f] if f in own else default_pain.get(f) for f in SOURCES}


def members(instance: dict, coalition: str | None = None) -> list[str]:
    """Members of a named coalition (default: `default_coalition`, else the first), file order."""
    coalitions = instance["coalitions"]
    name = coalition or instance.get("default_coalition") or next(iter(coalitions))
    form = coalitions[name]
    countries = list(instance["countries"])
    if form == "*" or (isinstance(form, dict) and form.get("all")):
        chosen = set(countries)
    elif isinstance(form, list):
        chosen = set(form)
    elif "members" in form:
        chosen = set(form["members"])
    elif "all_except" in form:
        chosen = set(countries) - set(form["all_except"])
    else:
        wanted = set(form["tags"])
        chosen = {c for c in countries if wanted & set(tags(instance, c))}
    return [c for c in countries if c in chosen]


# ---------------------------------------------------------------------------------------------
# Base-year facts
# ---------------------------------------------------------------------------------------------


def base_year_facts(instance: dict) -> dict[str, Any]:
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
    base, last = _base_year(instance), int(instance["years"][1])
    countries = list(instance["countries"])
    allies = [c for c in countries if "nato" in tags(instance, c)]
    share = {c: float(_field(instance, c, "defence_pct_gdp")) for c in countries}
    armed = [c for c in allies if share[c] > 0]
    at_two = [c for c in armed if share[c] >= TWO_PCT - _EPS]

    final: dict[str, dict[str, float | None]] = {}
    for c in countries:
        fl = floor_pct(instance, c, last)
        pct = max(share[c], fl if fl is not None else 0.0)
        money = pct / 100 * gdp(instance, c, last)
        gge = _field(instance, c, "gov_expenditure_pct_gdp")
        final[c] = {
            "floor_pct_gdp": fl,
            "spending_pct_gdp": round(pct, 4),
            "spending": round(money, 3),
            "gov_expenditure_pct_gdp": gge,
            "pct_of_gov_expenditure": None if not gge else round(100 * pct / gge, 2),
            "five_pct_of_gov_expenditure": None if not gge else round(100 * FIVE_PCT / gge, 2),
        }

    germany = None
    if "DEU" in instance["countries"] and _field(instance, "DEU", "federal_budget"):
        budget = float(_field(instance, "DEU", "federal_budget"))
        gdp_b = gdp(instance, "DEU", base)
        five = FIVE_PCT / 100 * gdp_b
        germany = {
            "year": base,
            "gdp": round(gdp_b, 2),
            "five_pct_of_gdp": round(five, 2),
            "federal_budget": budget,
            "share_pct": round(100 * five / budget, 2),
        }

    return {
        "instance": instance.get("name"),
        "currency": instance.get("currency"),
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


def _check_separable(instance: dict) -> None:
    problems = []
    if any((a or {}).get("targets") for a in instance["capabilities"].values()):
        problems.append("capability targets")
    if instance.get("common_debt") is not None:
        problems.append("common_debt")
    if instance.get("ramp_limit_pct_gdp") is not None:
        problems.append("ramp_limit_pct_gdp")
    if instance.get("burden_share_min_pct"):
        problems.append("burden_share_min_pct")
    if instance.get("origin_min_share_pct"):
        problems.append("origin_min_share_pct")
    if instance.get("objective", "total_pain") != "total_pain":
        problems.append("objective other than total_pain")
    for c in instance["countries"]:
        for key in ("ramp_limit_pct_gdp", "debt_ceiling_pct_gdp"):
            if _field(instance, c, key) is not None:
                problems.append(f"countries.{c}.{key}")
    if problems:
        raise ValueError(
            "level_prices needs an instance that splits per country; this one has: "
            + ", ".join(problems)
        )


def _cheapest(instance: dict, c: str, year: int, need: float) -> tuple[float, dict[str, float]]:
    """Least pain to raise `need` in one year, and how much each source gives."""
    g = gdp(instance, c, year)
    social = _field(instance, c, "social_pct_gdp")
    caps = {
        "tax": _field(instance, c, "tax_limit_pct_gdp"),
        "social": _field(instance, c, "social_cut_limit_pct"),
        "debt": _field(instance, c, "borrowing_limit_pct_gdp"),
    }
    cap_money = {
        "tax": math.inf if caps["tax"] is None else caps["tax"] / 100 * g,
        "social": math.inf
        if caps["social"] is None
        else caps["social"] / 100 * float(social) / 100 * g,
        "debt": math.inf if caps["debt"] is None else caps["debt"] / 100 * g,
    }
    pieces = []
    for order, f in enumerate(SOURCES):
        curve = pain_curves(instance, c)[f]
        left = cap_money[f]
        for s, (width, weight) in enumerate(curve or []):
            size = min(math.inf if width is None else width / 100 * g, left)
            if size > 0:
                pieces.append((float(weight), order, s, f, size))
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


def level_prices(instance: dict, coalition: str | None = None) -> dict[str, Any]:
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
    first, last = (int(y) for y in instance["years"])
    rate = float(instance.get("discount_rate_pct") or 0.0)
    out: dict[str, Any] = {}
    total = 0.0
    for c in members(instance, coalition):
        share = float(_field(instance, c, "defence_pct_gdp"))
        discounted = 0.0
        final_pain, final_used, final_need = 0.0, dict.fromkeys(SOURCES, 0.0), 0.0
        for t in range(first, last + 1):
            fl = floor_pct(instance, c, t)
            need = 0.0 if fl is None else max(0.0, (fl - share) / 100 * gdp(instance, c, t))
            pain, used = _cheapest(instance, c, t, need)
            discounted += pain * (1 + rate / 100) ** -(t - first)
            if t == last:
                final_pain, final_used, final_need = pain, used, need
        total += discounted
        fl_last = floor_pct(instance, c, last)
        level = max(share, fl_last if fl_last is not None else 0.0)
        gge = _field(instance, c, "gov_expenditure_pct_gdp")
        g_last = gdp(instance, c, last)
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
            "pain_pct_gdp": round(100 * discounted / gdp(instance, c, first - 1), 3),
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
