"""report.md and a self-contained report.html for one result folder, with their plots.

The report is built from the result alone (summary, tables, binding, sensitivity, fairness), as a
list of blocks rendered twice: Markdown (plots as SVG files under `plots/`) and HTML (the same
SVG inline, drawn by the browser, so the file can be mailed on as it is and opens offline). Sections: summary, what binds,
marginal pain by instance field, capability targets, members and funding, fairness, plots
(spending paths, funding mix, debt against room, capability against target), and for an
infeasible result the diagnosis instead.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer.analysis.fairness import COALITION_ROW, oz_verdict
from optimizer.analysis.sensitivity import parameter_sensitivity
from optimizer.numbers import fmt
from optimizer.report import style, svg

#: (column, label, colour) of each funding source's bar
FUNDING_BARS = [(source, style.LABELS[source], style.COLOURS[source]) for source in style.FUNDING]


@dataclass
class Block:
    """One piece of the report: `kind` in h1, h2, p, ul, table, img, pre."""

    kind: str
    text: str = ""
    items: list[str] | None = None
    table: pd.DataFrame | None = None
    svg: str = ""
    name: str = ""


# -- numbers -------------------------------------------------------------------------------------


def _formatted(table: pd.DataFrame, digits: dict[str, int] | None = None) -> pd.DataFrame:
    digits = digits or {}
    out = table.copy()
    for column in out.columns:
        if column == "year":  # a year, never 2,032
            out[column] = [
                "" if _missing(v) or isinstance(v, str) else str(int(v)) for v in out[column]
            ]
            continue
        numeric = pd.api.types.is_numeric_dtype(out[column])
        out[column] = [
            fmt(v, digits.get(column, 3)) if numeric or not _missing(v) else "" for v in out[column]
        ]
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


# -- plots ---------------------------------------------------------------------------------------
# SVG text (optimizer/report/svg.py): no matplotlib on the single-solve path.


def plot_spending(countries: pd.DataFrame, members: list[str]) -> str:
    """Defence spending in % of GDP, one small panel per member (shared scale), with the floor
    dashed where the member has one: no colour has to tell 32 members apart."""
    panels = []
    has_floor = "floor_pct_gdp" in countries
    by_country = _by_country(countries)
    for c in members:
        rows = by_country.get(c, countries.iloc[:0])
        years = [float(y) for y in rows["year"]]
        series = [(_values(rows["spending_pct_gdp"]), svg.LINE, "")]
        floors = rows["floor_pct_gdp"] if has_floor else None
        # a floor of 0 (a non-ally, a country without forces) is no floor: not a line at 0
        if floors is not None and (floors.fillna(0) > 0).any():
            series.insert(0, (_values(floors), "#222", "4,3"))
        last = rows["spending_pct_gdp"].iloc[-1] if len(rows) else None
        panels.append(svg.Panel(c, years, series, note=f"{fmt(last, 2)} %" if last else ""))
    return svg.small_multiples(
        panels,
        title="Defence spending by member against its spending floor",
        y_label="defence spending, % of GDP",
        legend=[
            ("spending, % of GDP (top right: in the last year)", svg.LINE, "line"),
            ("the member's floor", "#222", "dash"),
        ],  # fmt: skip
    )


def _by_country(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each country's rows, in one pass: a filter per member scanned the table 32 times per
    figure (a fifth of a NATO-size report's time)."""
    return {str(c): rows for c, rows in table.groupby("country", sort=False)}


def _values(series: pd.Series) -> list[float | None]:
    return [None if _missing(v) else float(v) for v in series]


def plot_funding(countries: pd.DataFrame, members: list[str], currency: str, years: str) -> str:
    """100 % stacked bars: how each member raises its increase over the horizon (total noted)."""
    sums = countries.groupby("country")[[k for k, _l, _c in FUNDING_BARS]].sum().reindex(members)
    totals = sums.sum(axis=1)
    shares = sums.div(totals.where(totals > 0), axis=0).fillna(0.0) * 100
    rows = []
    for c in members:
        left, bars = 0.0, []
        for key, label, colour in FUNDING_BARS:
            value = float(shares.loc[c, key])
            if value > 0:
                bars.append((left, left + value, colour, 0.7, f"{c} {label}: {fmt(value, 3)} %"))
            left += value
        rows.append(svg.Row(c, bars=bars, note=fmt(float(totals[c]))))
    return svg.row_chart(
        rows,
        title=f"Funding mix of each member's increase, {years} in total",
        x_label=f"share of the member's increase, % (right: its total increase, {style.money(currency)})",
        x_max=100.0,
        x_ticks=[0, 25, 50, 75, 100],
        legend=[(label, colour, "bar") for _k, label, colour in FUNDING_BARS],
    )


def plot_debt(countries: pd.DataFrame, members: list[str], binding: pd.DataFrame) -> str | None:
    """New debt against the room under each ceiling, % of GDP, in each member's tightest year."""
    rows = countries.dropna(subset=["debt_room"])
    rows = rows[rows["country"].isin(members)]
    if rows.empty:
        return None
    binds = set()
    if binding is not None and len(binding):
        binds = set(binding.loc[binding["constraint"] == "debt_room", "country"])
    chart, top = [], 0.1
    by_country = _by_country(rows)
    for c in members:
        r = by_country.get(c, rows.iloc[:0])
        if not len(r):
            continue
        tight = r.loc[((r["debt_room"] - r["extra_debt"]) / r["gdp"]).idxmin()]
        room = 100 * float(tight["debt_room"]) / float(tight["gdp"])
        used = 100 * float(tight["extra_debt"]) / float(tight["gdp"])
        top = max(top, room, used)
        note = f"{int(tight['year'])}" + (" · binds" if c in binds else "")
        if room <= 1e-9:
            note += " · no room"
        chart.append(svg.Row(c, bars=[
            (0.0, room, "#d9d9d9", 0.75, f"{c}: room {fmt(room, 3)} % of GDP"),
            (0.0, used, "#C44E52", 0.4, f"{c}: new debt {fmt(used, 3)} % of GDP"),
        ], note=note))  # fmt: skip
    return svg.row_chart(
        chart,
        title="New debt against the room under each debt ceiling",
        x_label="% of GDP in the member's tightest year (noted on the right)",
        x_max=top * 1.05,
        legend=[
            ("room under the ceiling", "#d9d9d9", "bar"),
            ("new debt (national + κ·common)", "#C44E52", "bar"),
        ],  # fmt: skip
    )


def plot_capability(caps: pd.DataFrame) -> str | None:
    """Delivered capability in % of each target, green where met, red where short."""
    if caps.empty:
        return None
    rows, top = [], 100.0
    for r in caps.itertuples():
        pct = 100 * r.delivered / r.target if r.target > 0 else 100.0
        met = r.delivered + 1e-6 * max(1.0, r.target) >= r.target
        colour = "#55A868" if met else "#C44E52"
        top = max(top, pct)
        tip = f"{r.capability} {r.year}: {fmt(r.delivered)} of {fmt(r.target)}"
        rows.append(svg.Row(f"{r.capability} {r.year}", bars=[(0.0, pct, colour, 0.7, tip)],
                            note=f"{fmt(r.delivered)} of {fmt(r.target)}"))  # fmt: skip
    return svg.row_chart(
        rows,
        title="Capability delivered against each target",
        x_label="delivered, % of the target (right: delivered of target, in the area's unit)",
        x_max=top * 1.05,
        rules=[(100.0, "5,3")],
        legend=[
            ("met", "#55A868", "bar"),
            ("short", "#C44E52", "bar"),
            ("target (100 %)", "#222", "dash"),
        ],  # fmt: skip
    )


def plot_fairness(fairness: pd.DataFrame) -> str | None:
    """Per member, its share of the coalition's increase against its GDP share, population
    share and the reference allocations: one row of markers per member."""
    rows = fairness[fairness["country"] != COALITION_ROW]
    if len(rows) < 2:
        return None
    series = [("gdp_share_pct", "share of GDP", "#999999", "diamond"),
              ("population_share_pct", "share of population", "#DD8452", "triangle"),
              ("ref_ability_share_pct", "ability to pay", "#8172B3", "square"),
              ("ref_nato_share_pct", "NATO common-funding style", "#55A868", "square"),
              ("increase_share_pct", "share of the increase (the plan)", "#4C72B0", "circle")]  # fmt: skip
    series = [item for item in series if rows[item[0]].notna().any()]
    chart, top = [], 1.0
    for r in rows.itertuples(index=False):
        marks = []
        for key, label, colour, shape in series:
            value = getattr(r, key)
            if not _missing(value):
                top = max(top, float(value))
                marks.append((float(value), shape, colour, f"{r.country} {label}: {fmt(value)} %"))
        chart.append(svg.Row(str(r.country), markers=marks))
    return svg.row_chart(
        chart,
        title="Who carries the increase: its share against GDP and the reference allocations",
        x_label="% of the coalition",
        x_max=top * 1.05,
        legend=[(label, colour, shape) for _k, label, colour, shape in series],
        note_width=20.0,
    )


# -- the blocks ----------------------------------------------------------------------------------


def build_blocks(result, *, plots: bool = True) -> list[Block]:
    """The report of one result as blocks."""
    s = result.summary
    currency = s.get("currency") or ""
    first, last = s.get("years") or [None, None]
    span = f"{first}–{last}"
    blocks = _heading(s, span, currency)
    members = list(s.get("members") or [])
    if s["status"] != "optimal":
        blocks.append(Block("h2", "No plan"))
        blocks.append(Block("p", s.get("message") or ""))
        md = result.texts.get("infeasibility.md")
        if md:
            blocks.append(Block("pre", md))
        return blocks

    blocks += _summary(result, members, span, last, currency)
    blocks += _what_binds(result)
    blocks += _capability_targets(result, plots)
    blocks += _members_and_funding(result, members, span, last, currency, plots)
    blocks += _fairness(result, currency, plots)
    blocks.append(Block("h2", "About these numbers"))
    blocks.append(
        Block(
            "p",
            f"Model: MODEL.md version 1; instance sha256 `{s['instance']['sha256'][:16]}…`; "
            f"burden {s.get('package', {}).get('version', '')}. Files: summary.json, "
            "countries.csv, procurement.csv, capabilities.csv, binding.csv, sensitivity.csv, "
            "fairness.csv.",
        )
    )
    return blocks


def _heading(s: dict, span: str, currency: str) -> list[Block]:
    """The title, the run's status and settings, its scenario and overrides."""
    blocks = [Block("h1", f"{s['instance']['name']} · coalition {s['coalition']}")]
    overrides = s["instance"].get("overrides")
    scenario = s["instance"].get("scenario")
    meta = [
        f"status **{s['status']}**",
        f"objective `{s.get('objective_kind', 'total_pain')}`",
        f"horizon {span}",
        f"money in {style.money(currency)}",
        f"HiGHS {s['solver']['version']}, {s['solver']['seconds']:.2f} s",
    ]
    blocks.append(Block("p", " · ".join(meta)))
    if scenario or overrides:
        text = (
            (f"scenario `{scenario}`; " if scenario else "")
            + "overrides: "
            + (", ".join(f"`{o}`" for o in overrides or []) or "none")
        )
        blocks.append(Block("p", text))
    return blocks


def _summary(result, members: list[str], span: str, last, currency: str) -> list[Block]:
    """The headline numbers, the members and the outsiders."""
    blocks: list[Block] = []
    s = result.summary
    countries = result.countries
    last_rows = countries[countries["year"] == countries["year"].max()]
    cards = {
        "objective": fmt(s["objective"], 4),
        "total pain (discounted)": fmt(s["total_pain"], 4),
        "shortfall cost": fmt(s["shortfall_cost"], 3),
        "members": str(len(members)),
        **(
            {
                "outsiders": str(len(s.get("outsiders") or [])),
                "members' pain": fmt(s.get("member_pain"), 4),
                "outsiders' pain": fmt(s.get("outsider_pain"), 4),
            }
            if s.get("outsiders")
            else {}
        ),
        f"spending {last}, % of GDP": fmt(
            100 * last_rows["spending"].sum() / last_rows["gdp"].sum(), 3
        ),  # fmt: skip
        f"increase {span}, {style.money(currency)}": fmt(float(countries["increase"].sum()), 4),
    }
    blocks.append(Block("h2", "Summary"))
    blocks.append(Block("ul", items=[f"**{k}**: {v}" for k, v in cards.items()]))
    blocks.append(Block("p", f"Members: {', '.join(members)}."))
    if s.get("outsiders"):
        blocks.append(
            Block(
                "p",
                f"Outsiders (in the alliance, outside the coalition; they act nationally and "
                f"deliver their own share of each target): {', '.join(s['outsiders'])}.",
            )
        )
    return blocks


def _what_binds(result) -> list[Block]:
    """The binding limits, the dearest rows and the marginal pain by instance field."""
    blocks: list[Block] = []
    s = result.summary
    blocks.append(Block("h2", "What binds"))
    blocks.append(
        Block(
            "p",
            "Marginal pain is the discounted pain saved if a limit were one unit looser (a floor "
            "or target one unit lower): the dual of its row, sign-normalised so that it is ≥ 0. "
            "Money rows are per billion; `per point` converts to the instance field's unit "
            "(percentage points of GDP, of social spending, units of capacity). Every binding row "
            "is in binding.csv, every row in sensitivity.csv.",
        )
    )
    binds = s.get("what_binds") or []
    blocks.append(Block("ul", items=binds or ["nothing binds"]))
    binding = result.binding
    if binding is not None and len(binding):
        top = binding[binding["marginal_pain"] > 1e-9].copy()
        if len(top):
            top = top.sort_values("marginal_pain", ascending=False).head(15)
            table = top[["family", "country", "subject", "year", "marginal_pain", "unit",
                         "marginal_pain_per_point", "point_unit"]].rename(columns={
                "marginal_pain": "marginal pain", "marginal_pain_per_point": "per point",
                "point_unit": "point unit"})  # fmt: skip
            blocks.append(Block("p", "The 15 dearest binding rows:"))
            blocks.append(Block("table", table=_formatted(table)))
    sensitivity = result.tables.get("sensitivity")
    if sensitivity is not None and len(sensitivity):
        fields = parameter_sensitivity(sensitivity)
        fields = fields[fields["marginal_pain_per_point"] > 1e-9].head(12)
        if len(fields):
            blocks.append(Block("h2", "Marginal pain by instance field"))
            blocks.append(
                Block(
                    "p",
                    "Pain saved if the field were one point looser in every year it binds "
                    "(floors and targets: in that year). Try it: `burden solve … --set "
                    "FIELD=VALUE`, or `burden sweep … --param FIELD`.",
                )
            )
            table = fields[["parameter", "year", "marginal_pain_per_point", "point_unit"]]
            table = table.rename(columns={"marginal_pain_per_point": "marginal pain",
                                          "point_unit": "per"})  # fmt: skip
            blocks.append(Block("table", table=_formatted(table)))
    return blocks


def _capability_targets(result, plots: bool) -> list[Block]:
    """Each target, delivered against it (with a figure)."""
    blocks: list[Block] = []
    blocks.append(Block("h2", "Capability targets"))
    caps = result.capabilities
    if len(caps):
        table = caps.rename(columns={"marginal_pain": "marginal pain (per unit)"})
        blocks.append(Block("table", table=_formatted(table)))
    if plots:
        picture = plot_capability(caps)
        if picture:
            blocks.append(Block("img", "Capability delivered against target", svg=picture,
                                name="capability"))  # fmt: skip
    return blocks


def _members_and_funding(
    result, members: list[str], span: str, last, currency: str, plots: bool
) -> list[Block]:
    """The members table; spending, funding and debt figures."""
    blocks: list[Block] = []
    countries, binding = result.countries, result.binding
    blocks.append(Block("h2", "Members and funding"))
    from optimizer.report.terminal import member_table

    members_table = member_table(result, currency).reset_index()
    members_table = members_table.rename(
        columns=lambda c: (
            c.replace("_share_pct", " %")
            .replace("_pct_gdp", " % GDP")
            .replace("social_cut", "social cut")
            .replace("_", " ")
        )
    )
    blocks.append(
        Block(
            "p",
            f"Pain is discounted; funding shares are over {span}; spending and increase in "
            f"{last} ({style.money(currency)}).",
        )
    )
    blocks.append(Block("table", table=_formatted(members_table)))
    if plots:
        blocks.append(Block("img", "Spending paths by member",
                            svg=plot_spending(countries, members), name="spending"))  # fmt: skip
        blocks.append(Block("img", "Funding mix", svg=plot_funding(countries, members, currency,
                                                                    span), name="funding"))  # fmt: skip
        picture = plot_debt(countries, members, binding)
        if picture:
            blocks.append(Block("img", "Debt against ceiling", svg=picture, name="debt"))
        else:
            blocks.append(Block("p", "No member has a debt ceiling."))
    return blocks


def _fairness(result, currency: str, plots: bool) -> list[Block]:
    """The exploitation test, the Gini of pain and the shares against their references."""
    blocks: list[Block] = []
    s = result.summary
    fairness = result.tables.get("fairness")
    if fairness is not None and len(fairness):
        blocks.append(Block("h2", "Fairness"))
        stats = s.get("fairness") or {}
        gini = stats.get("gini_pain_pct_gdp")
        blocks.append(
            Block(
                "ul",
                items=[
                    "**Olson–Zeckhauser exploitation test** (rank correlation of GDP with the "
                    "increase in % of GDP): " + oz_verdict(stats.get("oz_rho"), stats.get("oz_p")),
                    "the same with last-year spending in % of GDP: "
                    + oz_verdict(stats.get("oz_rho_spending"), stats.get("oz_p_spending")),
                    f"**Gini of pain in % of GDP**: {fmt(gini, 3)} (0: everyone hurts alike)",
                ],
            )
        )
        columns = ["country", "gdp_share_pct", "population_share_pct", "increase_share_pct",
                   "increase_pct_gdp", "pain_pct_gdp", "ref_gdp_share_pct",
                   "ref_ability_share_pct", "ref_nato_share_pct", "gdp_gap"]  # fmt: skip
        names = {"gdp_share_pct": "GDP %", "population_share_pct": "population %",
                 "increase_share_pct": "increase %", "increase_pct_gdp": "increase % GDP/yr",
                 "pain_pct_gdp": "pain % GDP", "ref_gdp_share_pct": "ref. GDP %",
                 "ref_ability_share_pct": "ref. ability %", "ref_nato_share_pct": "ref. NATO %",
                 "gdp_gap": f"vs GDP ref., {style.money(currency)}"}  # fmt: skip
        table = fairness[columns].rename(columns=names)
        blocks.append(
            Block(
                "p",
                "Shares of the coalition (%); references share the coalition's whole increase "
                "by GDP, by ability to pay (GDP × GDP per head relative to the coalition) and NATO "
                "common-funding style (GDP, the largest capped at the second's share). Population "
                "columns are empty when a member has no `population_m`. All in fairness.csv.",
            )
        )
        blocks.append(Block("table", table=_formatted(table)))
        if plots:
            picture = plot_fairness(fairness)
            if picture:
                blocks.append(Block("img", "Shares of the increase", svg=picture, name="fairness"))
    return blocks


# -- rendering -----------------------------------------------------------------------------------


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown; images refer to plots/<name>.svg."""
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out += [f"# {b.text}", ""]
        elif b.kind == "h2":
            out += [f"## {b.text}", ""]
        elif b.kind == "p":
            out += [b.text, ""]
        elif b.kind == "ul":
            out += [f"- {item}" for item in b.items or []] + [""]
        elif b.kind == "pre":
            out += [b.text, ""]
        elif b.kind == "table" and b.table is not None:
            t = b.table
            out.append("| " + " | ".join(map(str, t.columns)) + " |")
            out.append("|" + "|".join("---" for _ in t.columns) + "|")
            for row in t.itertuples(index=False):
                out.append("| " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
            out.append("")
        elif b.kind == "img":
            out += [f"![{b.text}](plots/{b.name}.svg)", ""]
    return "\n".join(out).rstrip() + "\n"


CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #4C72B0;padding-bottom:.3rem}
h2{font-size:1.2rem;margin-top:2rem;color:#2b4a7a}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem}th{background:#f0f3f8;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr:nth-child(even) td{background:#fafafa}
img,figure svg{max-width:100%;height:auto;margin:.8rem 0;border:1px solid #eee}code{background:#f4f4f4;padding:0 .2rem}
pre{background:#f7f7f7;padding:1rem;white-space:pre-wrap;font-size:.85rem}
figure{margin:0}figcaption{font-size:.8rem;color:#666}
"""


def _inline_html(text: str) -> str:
    """Escape, then render **bold** and `code` spans."""
    parts = html.escape(text).split("`")
    for i in range(1, len(parts), 2):
        parts[i] = f"<code>{parts[i]}</code>"
    text = "".join(parts)
    pieces = text.split("**")
    for i in range(1, len(pieces), 2):
        pieces[i] = f"<strong>{pieces[i]}</strong>"
    return "".join(pieces)


def _is_number(text: str) -> bool:
    stripped = text.replace(",", "").replace("–", "").strip()
    try:
        float(stripped)
        return True
    except ValueError:
        return text.strip() == "–"


def to_html(blocks: list[Block], title: str) -> str:
    """The blocks as one self-contained HTML page (images embedded)."""
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<style>{CSS}</style></head><body>"]  # fmt: skip
    for b in blocks:
        if b.kind == "h1":
            out.append(f"<h1>{_inline_html(b.text)}</h1>")
        elif b.kind == "h2":
            out.append(f"<h2>{_inline_html(b.text)}</h2>")
        elif b.kind == "p":
            out.append(f"<p>{_inline_html(b.text)}</p>")
        elif b.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in b.items or [])
                       + "</ul>")  # fmt: skip
        elif b.kind == "pre":
            out.append(f"<pre>{html.escape(b.text)}</pre>")
        elif b.kind == "table" and b.table is not None:
            t = b.table
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in t.columns)
            rows = []
            for row in t.itertuples(index=False):
                cells = "".join(
                    f'<td class="n">{html.escape(str(v))}</td>'
                    if _is_number(str(v))
                    else f"<td>{html.escape(str(v))}</td>"
                    for v in row
                )
                rows.append(f"<tr>{cells}</tr>")
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
                       "</table>")  # fmt: skip
        elif b.kind == "img":
            # inline: the browser draws it, and the file stays one self-contained page
            out.append(f"<figure>{b.svg}<figcaption>{html.escape(b.text)}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(result, folder: Path) -> None:
    """report.md, report.html and plots/*.svg into `folder`."""
    folder = Path(folder)
    blocks = build_blocks(result)
    images = [b for b in blocks if b.kind == "img"]
    if images:
        (folder / "plots").mkdir(exist_ok=True)
        for b in images:
            (folder / "plots" / f"{b.name}.svg").write_text(b.svg, encoding="utf-8")
    (folder / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    title = f"{result.summary['instance']['name']} · {result.summary['coalition']}"
    (folder / "report.html").write_text(to_html(blocks, title), encoding="utf-8")
