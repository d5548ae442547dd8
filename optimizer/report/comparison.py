"""`burden compare`'s report: the comparison's tables as CSV, Markdown and a spreadsheet.

Files written next to the result folders (one per coalition), from the tables of
optimizer/analysis/coalitions.py (see its docstring for their columns):

- `comparison.csv`, `comparison_countries.csv`, `comparison_changes.csv`,
  `comparison_capabilities.csv`, `comparison_binding.csv`;
- with coalition choice: `choice.csv` and `choice_duals.csv`;
- `comparison.md` (readable tables), `comparison.xlsx` (a sheet per table); the figures
  (`figure_names`) as SVG files, drawn by optimizer/report/comparison_svg.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.analysis.coalitions import FUNDING, ChoiceReport, ComparisonTables
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.report.tables import markdown_table, write_xlsx


def write_tables(folder: Path, tables: ComparisonTables, choice: ChoiceReport | None) -> None:
    """The comparison's CSV files (and choice.csv, choice_duals.csv with coalition choice)."""

    def csv(table: pd.DataFrame, name: str) -> None:
        table.to_csv(Path(folder) / name, index=False, na_rep="", float_format=CSV_FLOAT)

    csv(tables.coalitions, "comparison.csv")
    csv(tables.countries, "comparison_countries.csv")
    csv(tables.changes, "comparison_changes.csv")
    csv(tables.caps, "comparison_capabilities.csv")
    csv(tables.binding, "comparison_binding.csv")
    if choice is not None:
        csv(choice.table, "choice.csv")
        csv(choice.duals, "choice_duals.csv")


def write_comparison_report(
    folder: Path,
    instance: Instance,
    tables: ComparisonTables,
    choice: ChoiceReport | None,
    figures: list[str],
) -> None:
    """comparison.md and comparison.xlsx; `figures`: the SVG files the Markdown shows."""
    folder = Path(folder)
    md = comparison_markdown(instance, tables, choice, figures)
    (folder / "comparison.md").write_text(md, encoding="utf-8")
    sheets = {
        "coalitions": tables.coalitions,
        "countries": tables.countries,
        "pain by country": _pivot(tables.countries, "pain"),
        "spending by country": _pivot(tables.countries, "spending_pct_gdp_last_year"),
        "changes": tables.changes,
        "capabilities": tables.caps,
        "binding": tables.binding,
        "spending paths": tables.paths,
    }
    if choice is not None:
        sheets["choice"] = choice.table
        sheets["choice duals"] = choice.duals
    notes = {
        "instance": f"{instance.name} ({instance.file or ''})",
        "money": f"billions of {instance.currency or ''}",
        "pain": "discounted pain: money weighted by the pain curves and discounted, over the horizon",
        "funding totals": "undiscounted sums over the horizon",
        "binding limit": "a limit or requirement that holds with equality or has a non-zero dual",
        "marginal pain": "discounted pain saved per unit of relaxation of a binding limit (≥ 0)",
        "reference coalition": str(tables.reference),
    }
    write_xlsx(folder / "comparison.xlsx", sheets, notes)


def figure_names(tables: ComparisonTables) -> list[str]:
    """The comparison's figures that have something to show, in report order."""
    names = []
    if not tables.countries.empty:
        names.append("pain_per_member.svg")
    if (tables.coalitions["status"] == "optimal").any():
        names.append("funding_mix.svg")
    if not tables.paths.empty:
        names.append("spending_paths.svg")
    if not tables.caps.empty and tables.caps["delivered_pct"].notna().any():
        names.append("capabilities.svg")
    return names


def write_figures(folder: Path, instance: Instance, tables: ComparisonTables) -> list[str]:
    """Write the comparison's figures (`figure_names`) into `folder`; returns their names."""
    from optimizer.report import comparison_svg as figures

    name, currency = instance.name, instance.currency or ""
    draw = {
        "pain_per_member.svg": lambda: figures.pain_per_member(
            tables.countries, currency, f"{name}: discounted pain per member, by coalition"
        ),
        "funding_mix.svg": lambda: figures.funding_mix(
            tables.coalitions, currency, f"{name}: how each coalition raises the money"
        ),
        "spending_paths.svg": lambda: figures.spending_paths(
            tables.paths, f"{name}: spending paths by coalition"
        ),
        "capabilities.svg": lambda: figures.capability_delivery(
            tables.caps, f"{name}: capability delivered vs target"
        ),
    }
    names = figure_names(tables)
    for figure in names:
        (Path(folder) / figure).write_text(draw[figure](), encoding="utf-8")
    return names


def comparison_markdown(
    instance: Instance,
    tables: ComparisonTables,
    choice: ChoiceReport | None,
    figures: list[str],
) -> str:
    """comparison.md: the same tables, for reading."""
    currency = instance.currency or ""
    last = instance.last_year
    out = [
        f"# Coalitions compared: {instance.name}",
        "",
        f"Money in billions of {currency}. *Pain* is discounted pain over {instance.first_year}–"
        f"{last} (money weighted by the pain curves); *pain % GDP* relates it to base-year GDP. "
        "Funding totals are undiscounted sums over the horizon. A *binding limit* holds with "
        "equality or has a non-zero dual (each result folder's binding.csv). Tables: `comparison.csv` (one row per coalition), `comparison_countries.csv`, "
        "`comparison_changes.csv`, `comparison.xlsx` (every table, a sheet each).",
        "",
        "## Overview",
        "",
    ]
    out += _overview(tables.coalitions, last)
    out += _funding_mix(tables.coalitions, currency)
    if not tables.countries.empty:
        out += _per_member(tables.countries, last)
    if not tables.changes.empty:
        out += _who_pays_more(tables.changes)
    if not tables.caps.empty:
        out += ["", "## Capabilities: delivered vs target", ""]
        view_caps = tables.caps[["coalition", "capability", "year", "target", "delivered",
                                 "shortfall", "delivered_pct", "marginal_pain"]]  # fmt: skip
        out.append(markdown_table(view_caps, digits={"year": 0, "delivered_pct": 1}))
    if not tables.binding.empty:
        out += ["", "## Binding limits (count by family)", ""]
        counts = (
            tables.binding.groupby(["coalition", "family"], sort=False).size().unstack(fill_value=0)
        )
        counts = counts.reindex(list(dict.fromkeys(tables.binding["coalition"])))
        counts.columns.name = None
        out.append(markdown_table(counts.reset_index(), digits=0))
    if choice is not None:
        out += _choice_explained(choice)
    if figures:
        out += ["", "## Figures", ""]
        out += [f"![{name}]({name})" for name in figures]
    return "\n".join(out) + "\n"


def _overview(coalitions: pd.DataFrame, last: int) -> list[str]:
    """The overview table: one row per coalition."""
    view = coalitions.copy()
    # no coalition with a plan (all stopped by a limit, say): neither column exists, each row "–"
    met = view["targets_met"] if "targets_met" in view else pd.Series(None, index=view.index)
    of = view["targets"] if "targets" in view else pd.Series(None, index=view.index)
    view["targets met"] = [
        f"{int(m)}/{int(t)}" if pd.notna(m) and pd.notna(t) else "–"
        for m, t in zip(met, of, strict=True)
    ]
    columns = {
        "coalition": "coalition",
        "status": "status",
        "n_members": "members",
        **(
            {"n_outsiders": "outsiders", "outsider_pain": "outsiders' pain"}
            if "n_outsiders" in view and (view["n_outsiders"] > 0).any()
            else {}
        ),
        "objective": "objective",
        "total_pain": "total pain",
        "total_pain_pct_base_gdp": "pain % GDP",
        "spending_pct_gdp_last_year": f"spend % GDP {last}",
        "spending_pct_gdp_last_year_mean": f"mean spend % GDP {last}",
        "targets met": "targets met",
        "min_delivery_pct": "min delivery %",
        "joint_share_pct": "joint % of procurement",
        "binding_limits": "binding limits",
    }
    present = [c for c in columns if c in view.columns]
    return [
        markdown_table(
            view[present],
            digits={
                "objective": 3,
                "total_pain": 3,
                "n_members": 0,
                "n_outsiders": 0,
                "outsider_pain": 3,
                "binding_limits": 0,
                "total_pain_pct_base_gdp": 3,
                "min_delivery_pct": 1,
                "joint_share_pct": 1,
                "spending_pct_gdp_last_year": 2,
                "spending_pct_gdp_last_year_mean": 2,
            },
            headers=columns,
        )  # fmt: skip
    ]


def _funding_mix(coalitions: pd.DataFrame, currency: str) -> list[str]:
    """The funding mix: the share of the money raised by each source, per coalition."""
    out = ["", "## Funding mix (share of the money raised, %)", ""]
    funding_columns = ["coalition", "increase_total"] + [f"{f}_share_pct" for f in FUNDING]
    funding_columns += ["common_debt_total"]
    present = [c for c in funding_columns if c in coalitions.columns]
    out.append(
        markdown_table(
            coalitions[present],
            digits=1,
            headers={
                "increase_total": f"raised (bn {currency})",
                "tax_share_pct": "tax %",
                "social_cut_share_pct": "social cut %",
                "national_debt_share_pct": "national debt %",
                "common_debt_share_pct": "common debt %",
                "common_debt_total": f"common debt (bn {currency})",
            },
        )
    )
    return out


def _per_member(countries: pd.DataFrame, last: int) -> list[str]:
    """Pain and last-year spending per member and coalition; the change against the reference."""
    out = ["", "## Pain per member (discounted pain; blank: not a member)", ""]
    out.append(markdown_table(_pivot(countries, "pain"), digits=2))
    out += ["", f"## Spending in {last}, % of GDP", ""]
    out.append(markdown_table(_pivot(countries, "spending_pct_gdp_last_year"), digits=2))
    ref = countries["reference"].iloc[0] if "reference" in countries else None
    if ref is not None:
        out += ["", f"## Change in each member's pain against `{ref}`", ""]
        out.append(markdown_table(_pivot(countries, "pain_change_vs_reference"), digits=2))
    return out


def _who_pays_more(changes: pd.DataFrame) -> list[str]:
    """Per pair of coalitions, one less some members: the remaining members' change in pain."""
    out = [
        "",
        "## Who pays more when members leave",
        "",
        "(Each coalition's total pain is unique; where its optimum is not, the split among "
        "members may differ between equally good plans.)",
        "",
    ]
    for (a, b, leaving), group in changes.groupby(
        ["from_coalition", "to_coalition", "leaving"], sort=False
    ):
        total = group["pain_change"].sum()
        top = group.sort_values("pain_change", ascending=False).head(5)
        items = ", ".join(
            f"{r.country} {r.pain_change:+,.2f}"
            + (f" ({r.pain_change_pct:+.0f} %)" if pd.notna(r.pain_change_pct) else "")
            for r in top.itertuples()
        )
        short = leaving if len(leaving) <= 60 else leaving[:57] + "…"
        out.append(
            f"- `{a}` → `{b}` ({short} leave): the remaining members' pain changes by "
            f"{total:+,.2f} in all; most: {items}."
        )
    return out


def _choice_explained(choice: ChoiceReport) -> list[str]:
    """Coalition choice explained: the sentences, the candidates' table and the duals."""
    out = ["", "## Coalition choice explained", ""]
    out += [f"- {line}" for line in choice.lines]
    out += [
        "",
        "Each chosen member removed, and each candidate left out added, in turn (fixed "
        "coalitions): *saves* is the pain (penalties included) its presence saves the "
        "coalition; *net* is how much the objective, member costs included, worsens by the "
        "change (≥ 0 when the choice is optimal).",
        "",
    ]
    table = choice.table.copy()
    keep = ["candidate", "chosen", "pain_saved_by_presence", "member_cost", "net_gain",
            "reason"]  # fmt: skip
    out.append(
        markdown_table(
            table[[c for c in keep if c in table.columns]],
            digits=3,
            headers={"pain_saved_by_presence": "saves", "net_gain": "net"},
        )
    )
    if len(choice.duals):
        out += [
            "",
            "Duals of the chosen coalition (its LP, coalition fixed; largest first):",
            "",
        ]
        out.append(
            markdown_table(
                choice.duals.head(25)[
                    ["family", "country", "subject", "year", "marginal_pain", "meaning"]
                ],
                digits={"dual": 4, "year": 0},
            )
        )
    return out


def _pivot(countries: pd.DataFrame, value: str) -> pd.DataFrame:
    if countries.empty:
        return countries
    order = list(dict.fromkeys(countries["coalition"]))
    wide = countries.pivot_table(index="country", columns="coalition", values=value, sort=False)
    wide = wide.reindex(columns=[c for c in order if c in wide.columns])
    names = countries.drop_duplicates("country").set_index("country")["name"]
    wide.insert(0, "name", names.reindex(wide.index))
    wide.columns.name = None
    return wide.reset_index()
