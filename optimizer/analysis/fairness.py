"""Is the split fair? Shares against GDP and population, reference allocations, two statistics.

Per member (fairness.csv, one row each, then a `(coalition)` row with totals and statistics):

- `increase_total`: Σ_t inc_{c,t}, the member's extra defence money over the horizon
  (undiscounted, billions); `increase_share_pct` its share of the coalition's;
- `gdp_share_pct`: share of the coalition's base-year GDP (the basis of MODEL.md's burden share,
  constraint 14); `population_share_pct` share of its population (`population_m`, optional: empty
  when any member lacks it);
- `increase_pct_gdp`: Σ_t inc / Σ_t GDP · 100, the average yearly increase in % of GDP;
  `spending_pct_gdp_last`: defence spending in % of GDP in the last year;
- `pain`: discounted pain (as in summary.json), `pain_share_pct`, `pain_pct_gdp` (pain in % of
  base-year GDP, the measure of the `max_pain` objective);
- reference allocations of the coalition's total increase, each as a share (`ref_*_share_pct`)
  and as the member's actual increase minus that reference (`*_gap`, billions; > 0: pays more):
  - `gdp`: proportional to base-year GDP;
  - `ability`: ability to pay, proportional to GDP · (GDP per head / coalition GDP per head), i.e.
    GDP²/population: a member twice as rich per head as the coalition pays twice its GDP share
    (needs population);
  - `nato`: NATO common-funding style: shares by national income (GDP here) with the largest
    contributor capped at the second largest's share, the rest scaled up pro rata (NATO's cost
    share formula since 2021 puts the United States at Germany's share).

Statistics (on the `(coalition)` row, and in summary.json under `fairness`):

- Olson–Zeckhauser exploitation test: Spearman rank correlation of base-year GDP with the burden
  in % of GDP (`oz_rho`, `oz_p`: with `increase_pct_gdp`; `oz_rho_spending`, `oz_p_spending`: with
  last-year spending in % of GDP, the classic form). ρ > 0 with a small p: the large members carry
  a disproportionate share (the small "exploit" the large); ρ < 0: the reverse. Needs ≥ 3 members.
- `gini_pain_pct_gdp`: the Gini coefficient of pain in % of GDP across members (0: everyone
  hurts alike; → 1: one member carries all the pain).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimizer.instance.resolved import Instance

COALITION_ROW = "(coalition)"

FAIRNESS_COLUMNS = [
    "country", "name", "member", "gdp", "gdp_share_pct", "population_m", "population_share_pct",
    "gdp_per_head", "increase_total", "increase_share_pct", "increase_pct_gdp",
    "spending_pct_gdp_last", "pain", "pain_share_pct", "pain_pct_gdp",
    "ref_gdp_share_pct", "gdp_gap", "ref_ability_share_pct", "ability_gap",
    "ref_nato_share_pct", "nato_gap",
    "oz_rho", "oz_p", "oz_rho_spending", "oz_p_spending", "gini_pain_pct_gdp",
]  # fmt: skip


def gini(values) -> float:
    """Gini coefficient of non-negative values (mean absolute difference / twice the mean)."""
    x = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if len(x) == 0 or x.mean() <= 0:
        return 0.0
    diff = np.abs(x[:, None] - x[None, :]).mean()
    return float(diff / (2 * x.mean()))


def nato_shares(gdp: pd.Series) -> pd.Series:
    """GDP shares with the largest capped at the second largest's, the others scaled pro rata.

    With s1 ≥ s2 the two largest shares, the others are multiplied by f = 1/(1 − s1 + s2) and the
    largest set to s2 · f, so the largest and the second pay the same and the shares sum to 1.
    """
    shares = gdp / gdp.sum()
    if len(shares) < 2:
        return shares
    order = shares.sort_values(ascending=False)
    s1, s2 = float(order.iloc[0]), float(order.iloc[1])
    factor = 1 / (1 - s1 + s2)
    out = shares * factor
    out[order.index[0]] = s2 * factor
    return out


def spearman(x, y) -> tuple[float | None, float | None]:
    """Spearman's ρ and its two-sided p-value (None with fewer than 3 members or no variation).

    ρ is Pearson's correlation of the ranks (ties share their mean rank); the p-value uses
    Student's t with n − 2 degrees of freedom, t = ρ √((n − 2)/(1 − ρ²)), as scipy's
    `spearmanr` does (written out here: importing scipy.stats would add seconds to every solve).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None, None
    rx = pd.Series(x).rank().to_numpy()
    ry = pd.Series(y).rank().to_numpy()
    rho = float(np.corrcoef(rx, ry)[0, 1])
    rho = max(-1.0, min(1.0, rho))
    df = n - 2
    if abs(rho) >= 1.0:
        return rho, 0.0
    t2 = rho * rho * df / (1 - rho * rho)
    return rho, _incomplete_beta(df / 2, 0.5, df / (df + t2))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) (Lentz's continued fraction)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):  # the continued fraction converges fast on this side only
        return 1.0 - _incomplete_beta(b, a, 1.0 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return math.exp(log_front) * h / a


def fairness_table(instance: Instance, countries: pd.DataFrame, summary: dict) -> pd.DataFrame:
    """fairness.csv from a result's countries table and summary (empty when not optimal)."""
    if summary.get("status") != "optimal" or countries.empty:
        return pd.DataFrame(columns=FAIRNESS_COLUMNS)
    # every acting country: the members and, under `alliance`, the outsiders (their pain counts)
    outsiders = list(summary.get("outsiders") or [])
    members = list(summary["members"]) + outsiders
    grouped = countries.groupby("country", sort=False)
    last = countries[countries["year"] == countries["year"].max()].set_index("country")
    table = pd.DataFrame(index=pd.Index(members, name="country"))
    table["name"] = [instance.countries[c].name for c in members]
    table["member"] = [c not in set(outsiders) for c in members]
    table["gdp"] = pd.Series(summary["base_year_gdp"])
    table["gdp_share_pct"] = 100 * table["gdp"] / table["gdp"].sum()
    population = pd.Series({c: instance.countries[c].population_m for c in members}, dtype=float)
    has_population = bool(population.notna().all() and (population > 0).all())
    table["population_m"] = population
    if has_population:
        table["population_share_pct"] = 100 * population / population.sum()
        table["gdp_per_head"] = table["gdp"] / population  # bn / million = thousands per head
    else:
        table["population_share_pct"] = np.nan
        table["gdp_per_head"] = np.nan
    increase = grouped["increase"].sum()
    table["increase_total"] = increase
    total_increase = float(increase.sum())
    table["increase_share_pct"] = 100 * increase / total_increase if total_increase > 0 else 0.0
    table["increase_pct_gdp"] = 100 * increase / grouped["gdp"].sum()
    table["spending_pct_gdp_last"] = last["spending_pct_gdp"]
    pain = pd.Series(
        {**summary.get("pain_by_member", {}), **summary.get("pain_by_outsider", {})}, dtype=float
    )
    table["pain"] = pain
    total_pain = float(pain.sum())
    table["pain_share_pct"] = 100 * pain / total_pain if total_pain > 0 else 0.0
    table["pain_pct_gdp"] = 100 * pain / table["gdp"]

    references = {"gdp": table["gdp"] / table["gdp"].sum(), "nato": nato_shares(table["gdp"])}
    if has_population:
        ability = table["gdp"] ** 2 / population
        references["ability"] = ability / ability.sum()
    for name in ("gdp", "ability", "nato"):
        share = references.get(name)
        if share is None:
            table[f"ref_{name}_share_pct"] = np.nan
            table[f"{name}_gap"] = np.nan
        else:
            table[f"ref_{name}_share_pct"] = 100 * share
            table[f"{name}_gap"] = increase - share * total_increase

    rho, p = spearman(table["gdp"], table["increase_pct_gdp"])
    rho_s, p_s = spearman(table["gdp"], table["spending_pct_gdp_last"])
    stats = {
        "oz_rho": rho,
        "oz_p": p,
        "oz_rho_spending": rho_s,
        "oz_p_spending": p_s,
        "gini_pain_pct_gdp": gini(table["pain_pct_gdp"]),
    }
    table = table.reset_index()
    coalition = {
        "country": COALITION_ROW,
        "name": f"{len(members) - len(outsiders)} members"
        + (f", {len(outsiders)} outsiders" if outsiders else ""),
        "gdp": float(table["gdp"].sum()),
        "gdp_share_pct": 100.0,
        "population_m": float(population.sum()) if has_population else np.nan,
        "population_share_pct": 100.0 if has_population else np.nan,
        "gdp_per_head": float(table["gdp"].sum() / population.sum()) if has_population else np.nan,
        "increase_total": total_increase,
        "increase_share_pct": 100.0,
        "increase_pct_gdp": 100 * total_increase / float(countries["gdp"].sum()),
        "spending_pct_gdp_last": 100 * float(last["spending"].sum()) / float(last["gdp"].sum()),
        "pain": total_pain,
        "pain_share_pct": 100.0,
        "pain_pct_gdp": 100 * total_pain / float(table["gdp"].sum()),
        **stats,
    }
    table = pd.concat([table, pd.DataFrame([coalition])], ignore_index=True)
    return table.reindex(columns=FAIRNESS_COLUMNS)


def fairness_stats(table: pd.DataFrame) -> dict:
    """The coalition row's statistics, for summary.json (empty when there is no table)."""
    if table.empty:
        return {}
    row = table[table["country"] == COALITION_ROW].iloc[0]

    def num(key: str) -> float | None:
        value = row[key]
        return None if pd.isna(value) else float(value)

    return {
        key: num(key)
        for key in ("oz_rho", "oz_p", "oz_rho_spending", "oz_p_spending", "gini_pain_pct_gdp")
    }


def oz_verdict(rho: float | None, p: float | None) -> str:
    """The Olson–Zeckhauser test in words."""
    if rho is None:
        return "not testable (fewer than 3 members, or no variation)"
    stats = f"ρ = {rho:+.2f}, p = {p:.3f}"
    if p is None or p >= 0.05:
        return f"no significant relation between size and burden ({stats})"
    if rho > 0:
        return f"larger economies carry more in % of GDP: the small exploit the large ({stats})"
    return f"smaller economies carry more in % of GDP: no exploitation of the large ({stats})"
