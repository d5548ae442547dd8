"""Readable terminal summaries of results (rich tables) and the comparison table."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optimizer.numbers import fmt as _fmt
from optimizer.report import style
from optimizer.results.extract import Result

#: (column, heading) of each funding source in the terminal's tables
FUNDING_COLUMNS = [(source, style.SHORT_LABELS[source]) for source in style.FUNDING]


def member_table(result: Result, currency: str) -> pd.DataFrame:
    """Per acting country: discounted pain, last-year spending, the funding mix over the horizon;
    with `alliance` the members first, then the outsiders (`member` false)."""
    countries = result.countries
    if countries.empty:
        return pd.DataFrame()
    last = countries["year"].max()
    grouped = countries.groupby("country", sort=False)
    sums = grouped[["increase", "tax", "social_cut", "national_debt", "common_debt"]].sum()
    final = countries[countries["year"] == last].set_index("country")
    s = result.summary
    outsiders = list(s.get("outsiders") or [])
    order = [c for c in sums.index if c not in outsiders] + [
        c for c in sums.index if c in outsiders
    ]
    table = pd.DataFrame(index=pd.Index(order, name=sums.index.name))
    if outsiders:
        table["member"] = [c not in outsiders for c in order]
    table["pain"] = pd.Series({**s.get("pain_by_member", {}), **s.get("pain_by_outsider", {})})
    table["pain_pct_gdp"] = 100 * table["pain"] / pd.Series(result.summary["base_year_gdp"])
    table[f"spending_pct_gdp_{last}"] = final["spending_pct_gdp"]
    table[f"increase_{last}"] = final["increase"]
    total = sums["increase"].where(sums["increase"] > 0)
    for column, _label in FUNDING_COLUMNS:
        table[f"{column}_share_pct"] = (100 * sums[column] / total).fillna(0.0)
    return table


def print_summary(result: Result, console: Console) -> None:
    """The solve summary: headline numbers, the members table and the targets."""
    s = result.summary
    currency = s.get("currency") or ""
    console.print(
        f"[bold]{escape(str(s['instance']['name']))}[/bold] · coalition "
        f"[bold]{escape(str(s['coalition']))}[/bold] · "
        f"status [bold]{s['status']}[/bold]"
    )
    if s["status"] != "optimal":
        if s.get("message"):
            console.print(s["message"], markup=False)
        return
    unit = style.money(currency)
    console.print(
        f"objective ({s['objective_kind']}) {_fmt(s['objective'], 6)} · total pain "
        f"{_fmt(s['total_pain'], 6)} · shortfall cost {_fmt(s['shortfall_cost'], 6)} · member "
        f"cost {_fmt(s['member_cost'], 6)} · money in {unit}"
    )
    if s.get("outsiders"):
        console.print(
            f"members' pain {_fmt(s.get('member_pain'), 6)} · outsiders' pain "
            f"{_fmt(s.get('outsider_pain'), 6)} (outsiders: {escape(', '.join(s['outsiders']))})"
        )
    members = member_table(result, currency)
    last = s["years"][1]
    n_out = len(s.get("outsiders") or [])
    who = f"Members ({len(members) - n_out})" + (f" and outsiders ({n_out})" if n_out else "")
    table = Table(title=f"{who}: pain is discounted, funding mix over the horizon")
    for header in ("country", "pain", "pain % GDP", f"spend % GDP {last}", f"increase {last}",
                   *(label + " %" for _c, label in FUNDING_COLUMNS)):  # fmt: skip
        table.add_column(header, justify="left" if header == "country" else "right")
    for country, row in members.iterrows():
        outsider = "member" in row and not row["member"]
        table.add_row(
            escape(str(country)) + (" (outsider)" if outsider else ""),  # no rich markup in ids
            _fmt(row["pain"]),
            _fmt(row["pain_pct_gdp"], 2),
            _fmt(row[f"spending_pct_gdp_{last}"], 2),
            _fmt(row[f"increase_{last}"]),
            *(_fmt(row[f"{column}_share_pct"], 1) for column, _l in FUNDING_COLUMNS),
        )
    console.print(table)
    caps = result.capabilities
    if not caps.empty:
        targets = Table(title="Capability targets")
        for header in ("area", "year", "target", "delivered", "shortfall", "marginal pain", "met"):
            targets.add_column(header, justify="left" if header == "area" else "right")
        for row in caps.itertuples():
            met = row.delivered + 1e-6 * max(1.0, row.target) >= row.target
            targets.add_row(
                escape(str(row.capability)), str(row.year), _fmt(row.target), _fmt(row.delivered),
                _fmt(row.shortfall), _fmt(row.marginal_pain),
                "[green]yes[/green]" if met else "[red]no[/red]",
            )  # fmt: skip
        console.print(targets)


def print_comparison(table: pd.DataFrame, console: Console) -> None:
    """The comparison as a rich table."""
    out = Table(title="Coalitions compared")
    columns = ["coalition", "status", "n_members", "objective", "total_pain",
               "shortfall_cost", "spending_pct_gdp_last_year"]  # fmt: skip
    if "n_outsiders" in table and (table["n_outsiders"] > 0).any():
        # v2, with `alliance`: the outsiders' pain apart (counted in total_pain)
        columns[3:3] = ["n_outsiders"]
        columns[6:6] = ["outsider_pain"]
    for column in columns:
        out.add_column(
            column.replace("_", " "), justify="left" if column == "coalition" else "right"
        )
    for _i, row in table.iterrows():
        cells = []
        for column in columns:
            value = row.get(column)
            cells.append(_fmt(value, 6) if isinstance(value, float) else escape(str(value)))
        out.add_row(*cells)
    console.print(out)


def numerics_line(summary: dict[str, Any]) -> str | None:
    """A warning, in a planner's words, when HiGHS's plan is less accurate than its tolerances.

    Only for a plan: an infeasible model's last iterate misses constraints by construction (its
    "max primal infeasibility" is the shortfall the explanation already names), so printing it
    as numerical trouble would only alarm."""
    if summary.get("status") not in ("optimal", "time_limit"):
        return None
    numerics = (summary.get("solver") or {}).get("numerics") or {}
    if not numerics.get("trouble"):
        return None
    primal = numerics.get("max_primal_infeasibility")
    dual = numerics.get("max_dual_infeasibility")
    if primal is None and dual is None:  # no solution to measure: the status message says why
        return None
    parts = []
    if primal is not None and primal > 0:
        parts.append(f"the plan may miss a limit or target by up to {primal:.3g} (in that "
                     "constraint's unit: bn of money, % of GDP or units of capability)")  # fmt: skip
    if dual is not None and dual > 0:
        parts.append(f"its marginal pains may be off by up to {dual:.3g}")
    what = "; ".join(parts) or "HiGHS reported an error while solving"
    return (
        f"warning: the solver's answer is less accurate than usual: {what}. The verification "
        "below re-checks every constraint; numbers of very different sizes in the instance "
        "(e.g. a GDP of 1e5 next to a unit cost of 1e-5) are the usual cause."
    )
