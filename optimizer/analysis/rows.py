"""One row per solve: the columns comparison.csv and sweep.csv share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line's start-up reaches this module: no pandas, no Pyomo
    from optimizer.results.extract import Result

#: the funding sources, in the order of their `<source>_total` columns
FUNDING = ("tax", "social_cut", "national_debt", "common_debt")


def comparison_row(result: Result) -> dict:
    """One row of comparison.csv: the spec's columns first, then planner's columns."""
    s = result.summary
    row = {
        "coalition": s["coalition"],
        "status": s["status"],
        "members": ";".join(s["members"]),
        "objective": s["objective"],
        "total_pain": s["total_pain"],
        "shortfall_cost": s["shortfall_cost"],
        "member_cost": s["member_cost"],
        "n_members": len(s["members"]),
        # v2: the pain of the alliance's countries outside the coalition (0 without alliance)
        "member_pain": s.get("member_pain"),
        "outsider_pain": s.get("outsider_pain"),
        "outsiders": ";".join(s.get("outsiders") or []),
        "n_outsiders": len(s.get("outsiders") or []),
    }
    countries = result.countries
    if s["status"] == "optimal" and not countries.empty:
        last = countries[countries["year"] == countries["year"].max()]
        row["spending_pct_gdp_last_year"] = 100 * last["spending"].sum() / last["gdp"].sum()
        base_gdp = sum(s["base_year_gdp"].values())
        row["total_pain_pct_base_gdp"] = 100 * s["total_pain"] / base_gdp
        for column in FUNDING:
            row[f"{column}_total"] = countries[column].sum()
        caps = result.capabilities
        row["targets_met"] = int((caps["shortfall"] <= 1e-9).sum())
        row["targets"] = len(caps)
    return row
