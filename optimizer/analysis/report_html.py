"""report.md and a self-contained report.html for one result folder, with their plots.

The report is built from the result alone (summary, tables, binding, sensitivity, fairness), as a
list of blocks rendered twice: Markdown (plots as files under `plots/`) and HTML (the same PNGs
embedded as base64, so the file can be mailed on as it is). Sections: summary, what binds,
marginal pain by instance field, capability targets, members and funding, fairness, plots
(spending paths, funding mix, debt against room, capability against target), and for an
infeasible result the diagnosis instead.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.analysis.fairness import COALITION_ROW, oz_verdict
from optimizer.analysis.mpl import plt
from optimizer.analysis.sensitivity import parameter_sensitivity

DPI = 100
FUNDING = [
    ("tax", "tax", "#4C72B0"),
    ("social_cut", "social cut", "#DD8452"),
    ("national_debt", "national debt", "#55A868"),
    ("common_debt", "common debt", "#8172B3"),
]


@dataclass
class Block:
    """One piece of the report: `kind` in h1, h2, p, ul, table, img, pre."""

    kind: str
    text: str = ""
    items: list[str] | None = None
    table: pd.DataFrame | None = None
    png: bytes = b""
    name: str = ""


# -- numbers -------------------------------------------------------------------------------------


def fmt(value, digits: int = 3) -> str:
    """A number for a table: thousands separated, `digits` significant below 1000, – for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return str(value)
    if isinstance(value, float | np.floating):
        x = float(value)
        if x == 0:
            return "0"
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        return f"{x:.{max(digits, 1 + int(math.log10(abs(x))) if abs(x) >= 1 else digits)}g}"
    return str(value)


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


def _png(fig, *, left: float = 0.8, right: float = 2.2, bottom: float = 0.6, top: float = 0.45):
    """The figure as PNG bytes, with margins in inches (legends sit outside on the right).

    Margins are set by hand because `tight_layout` draws every figure twice, doubling the time
    of the report.
    """
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    plt.close(fig)
    return buffer.getvalue()


def _colours(n: int):
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]


def plot_spending(countries: pd.DataFrame, members: list[str]) -> bytes:
    """Defence spending in % of GDP by member and year, with the floors dashed."""
    many = len(members) > 16
    fig, ax = plt.subplots(figsize=(10 if many else 9, 6.0 if len(members) > 12 else 4.8))
    colours = _colours(len(members))
    floors = countries.dropna(subset=["floor_pct_gdp"]) if "floor_pct_gdp" in countries else None
    same_floor = False
    if floors is not None and len(floors):
        by_member = floors.pivot_table(index="year", columns="country", values="floor_pct_gdp")
        same_floor = bool(by_member.nunique(axis=1).le(1).all()) and set(by_member.columns) == set(
            members
        )
    if floors is not None and len(floors):
        if same_floor:
            f = floors.groupby("year")["floor_pct_gdp"].first()
            ax.plot(f.index, f.values, ls="--", lw=2.2, color="black", label="floor", zorder=3)
        else:
            for colour, c in zip(colours, members, strict=True):
                f = floors[floors["country"] == c]
                ax.plot(f["year"], f["floor_pct_gdp"], ls="--", lw=2.4, color=colour, alpha=0.45)
            ax.plot([], [], ls="--", lw=2.4, color="grey", alpha=0.6, label="floor (wide, dashed)")
    for colour, c in zip(colours, members, strict=True):
        rows = countries[countries["country"] == c]
        ax.plot(rows["year"], rows["spending_pct_gdp"], marker="o", ms=3, lw=1.4, color=colour,
                label=c)  # fmt: skip
    ax.set_title("Defence spending by member against the spending floor")
    ax.set_xlabel("year")
    ax.set_ylabel("defence spending, % of GDP")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7 if many else 8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              ncol=2 if many else 1, title="member")  # fmt: skip
    return _png(fig, right=2.6 if many else 1.9)


def plot_funding(countries: pd.DataFrame, members: list[str], currency: str, years: str) -> bytes:
    """100 % stacked bars: how each member raises its increase over the horizon (total noted)."""
    sums = countries.groupby("country")[[k for k, _l, _c in FUNDING]].sum().reindex(members)
    totals = sums.sum(axis=1)
    shares = sums.div(totals.where(totals > 0), axis=0).fillna(0.0) * 100
    order = list(reversed(members))
    height = max(2.6, 0.3 * len(members) + 1.3)
    fig, ax = plt.subplots(figsize=(9, height))
    left = np.zeros(len(order))
    for key, label, colour in FUNDING:
        values = shares.loc[order, key].to_numpy()
        ax.barh(order, values, left=left, color=colour, label=label, height=0.7)
        left += values
    for i, c in enumerate(order):
        ax.text(101.5, i, f"{fmt(float(totals[c]))}", va="center", fontsize=8)
    ax.text(101.5, len(order) - 0.35, f"bn {currency}".strip(), fontsize=8, style="italic")
    ax.set_xlim(0, 116)
    ax.set_ylim(-0.6, len(order) - 0.1)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(f"share of the member's increase, % (right: the total increase, bn {currency})")
    ax.set_ylabel("member")
    ax.set_title(f"Funding mix of each member's increase, {years} in total")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="source")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig, right=1.6)


def plot_debt(countries: pd.DataFrame, members: list[str], binding: pd.DataFrame) -> bytes | None:
    """New debt against the room under each ceiling, % of GDP, in each member's tightest year."""
    rows = countries.dropna(subset=["debt_room"])
    rows = rows[rows["country"].isin(members)]
    if rows.empty:
        return None
    picked = []
    for c in members:
        r = rows[rows["country"] == c]
        if len(r):
            picked.append(r.loc[((r["debt_room"] - r["extra_debt"]) / r["gdp"]).idxmin()])
    table = pd.DataFrame(picked)
    table["room_pct"] = 100 * table["debt_room"] / table["gdp"]
    table["used_pct"] = 100 * table["extra_debt"] / table["gdp"]
    binds = set()
    if binding is not None and len(binding):
        binds = set(binding.loc[binding["constraint"] == "debt_room", "country"])
    order = list(reversed(table["country"].tolist()))
    table = table.set_index("country").loc[order]
    height = max(2.8, 0.3 * len(order) + 1.9)
    fig, ax = plt.subplots(figsize=(9, height))
    ax.barh(order, table["room_pct"], color="#d9d9d9", label="room under the ceiling", height=0.7)
    ax.barh(order, table["used_pct"], color="#C44E52", label="new debt (national + κ·common)",
            height=0.38)  # fmt: skip
    transform = ax.get_yaxis_transform()
    for i, c in enumerate(order):
        note = f"{int(table.loc[c, 'year'])}" + (" · binds" if c in binds else "")
        if table.loc[c, "room_pct"] <= 1e-9:
            note += " · no room"
        ax.text(1.01, i, note, va="center", fontsize=8, transform=transform)
    ax.set_xlim(0, max(float(table["room_pct"].max()), float(table["used_pct"].max()), 0.1) * 1.05)
    ax.set_xlabel("% of GDP in the member's tightest year (noted on the right)")
    ax.set_ylabel("member")
    ax.set_title("New debt against the room under each debt ceiling")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.5 / height - 0.12), ncol=2)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig, right=1.9, bottom=1.1)


def plot_capability(caps: pd.DataFrame) -> bytes | None:
    """Delivered capability in % of each target (horizontal bars), green where met, red short."""
    from matplotlib.patches import Patch

    if caps.empty:
        return None
    caps = caps.iloc[::-1].copy()
    caps["pct"] = 100 * caps["delivered"] / caps["target"].where(caps["target"] > 0)
    caps["pct"] = caps["pct"].fillna(100.0)
    labels = [f"{r.capability} {r.year}" for r in caps.itertuples()]
    met = caps["delivered"] + 1e-6 * caps["target"].clip(lower=1) >= caps["target"]
    longest = max(len(label) for label in labels)
    fig, ax = plt.subplots(figsize=(9, max(2.6, 0.3 * len(caps) + 1.4)))
    y = np.arange(len(caps))
    ax.barh(y, caps["pct"], color=np.where(met, "#55A868", "#C44E52"), height=0.7)
    ax.axvline(100, color="black", ls="--", lw=1)
    top = max(100.0, float(caps["pct"].max()))
    for yi, r in zip(y, caps.itertuples(), strict=True):
        ax.text(r.pct + top * 0.01, yi, f"{r.delivered:.4g} of {r.target:.4g}", va="center",
                fontsize=7)  # fmt: skip
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(-0.6, len(caps) - 0.4)
    ax.set_xlim(0, top * 1.3)
    ax.set_xlabel("delivered, % of the target (labels: delivered of target, in the area's unit)")
    ax.set_ylabel("area and target year")
    ax.set_title("Capability delivered against each target")
    handles = [Patch(color="#55A868", label="met"), Patch(color="#C44E52", label="short"),
               plt.Line2D([], [], color="black", ls="--", label="target (100 %)")]  # fmt: skip
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="x", alpha=0.3)
    return _png(fig, left=0.35 + 0.075 * longest, right=1.5)


def plot_fairness(fairness: pd.DataFrame) -> bytes | None:
    """Per member, its share of the coalition's increase against its GDP share, population
    share and the reference allocations: one row of markers per member."""
    rows = fairness[fairness["country"] != COALITION_ROW]
    if len(rows) < 2:
        return None
    order = list(reversed(rows["country"].tolist()))
    rows = rows.set_index("country").loc[order]
    series = [("gdp_share_pct", "share of GDP", "#999999", "D", 40),
              ("population_share_pct", "share of population", "#DD8452", "^", 40),
              ("ref_ability_share_pct", "ability to pay (GDP²/pop.)", "#8172B3", "s", 34),
              ("ref_nato_share_pct", "NATO common-funding style", "#55A868", "X", 46),
              ("increase_share_pct", "share of the increase (the plan)", "#4C72B0", "o", 70)]  # fmt: skip
    series = [item for item in series if rows[item[0]].notna().any()]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.3 * len(order) + 1.5)))
    y = np.arange(len(order))
    for key, label, colour, marker, size in series:
        ax.scatter(rows[key], y, s=size, color=colour, marker=marker, label=label, zorder=3,
                   edgecolors="white", linewidths=0.5)  # fmt: skip
    ax.hlines(y, 0, rows[[k for k, *_ in series]].max(axis=1), color="#e5e5e5", lw=0.8, zorder=1)
    ax.set_yticks(y, order, fontsize=8 if len(order) > 16 else 9)
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.set_xlim(left=0)
    ax.set_xlabel("% of the coalition")
    ax.set_ylabel("member")
    ax.set_title("Who carries the increase: its share against GDP and the reference allocations")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="x", alpha=0.3)
    return _png(fig, right=2.6)


# -- the blocks ----------------------------------------------------------------------------------


def _money(currency: str) -> str:
    return f"bn {currency}".strip()


def build_blocks(result, *, plots: bool = True) -> list[Block]:
    """The report of one result as blocks."""
    s = result.summary
    currency = s.get("currency") or ""
    first, last = s.get("years") or [None, None]
    span = f"{first}–{last}"
    blocks = [Block("h1", f"{s['instance']['name']} · coalition {s['coalition']}")]
    overrides = s["instance"].get("overrides")
    scenario = s["instance"].get("scenario")
    meta = [
        f"status **{s['status']}**",
        f"objective `{s.get('objective_kind', 'total_pain')}`",
        f"horizon {span}",
        f"money in {_money(currency)}",
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
    members = list(s.get("members") or [])
    if s["status"] != "optimal":
        blocks.append(Block("h2", "No plan"))
        blocks.append(Block("p", s.get("message") or ""))
        md = result.texts.get("infeasibility.md")
        if md:
            blocks.append(Block("pre", md))
        return blocks

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
        f"increase {span}, {_money(currency)}": fmt(float(countries["increase"].sum()), 4),
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

    blocks.append(Block("h2", "Capability targets"))
    caps = result.capabilities
    if len(caps):
        table = caps.rename(columns={"marginal_pain": "marginal pain (per unit)"})
        blocks.append(Block("table", table=_formatted(table)))
    if plots:
        png = plot_capability(caps)
        if png:
            blocks.append(Block("img", "Capability delivered against target", png=png,
                                name="capability"))  # fmt: skip

    blocks.append(Block("h2", "Members and funding"))
    from optimizer.report import member_table

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
            f"{last} ({_money(currency)}).",
        )
    )
    blocks.append(Block("table", table=_formatted(members_table)))
    if plots:
        blocks.append(Block("img", "Spending paths by member",
                            png=plot_spending(countries, members), name="spending"))  # fmt: skip
        blocks.append(Block("img", "Funding mix", png=plot_funding(countries, members, currency,
                                                                    span), name="funding"))  # fmt: skip
        png = plot_debt(countries, members, binding)
        if png:
            blocks.append(Block("img", "Debt against ceiling", png=png, name="debt"))
        else:
            blocks.append(Block("p", "No member has a debt ceiling."))

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
                 "gdp_gap": f"vs GDP ref., {_money(currency)}"}  # fmt: skip
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
            png = plot_fairness(fairness)
            if png:
                blocks.append(Block("img", "Shares of the increase", png=png, name="fairness"))
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


# -- rendering -----------------------------------------------------------------------------------


def _md_inline(text: str) -> str:
    return text


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown; images refer to plots/<name>.png."""
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
            out += [f"![{b.text}](plots/{b.name}.png)", ""]
    return "\n".join(out).rstrip() + "\n"


CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #4C72B0;padding-bottom:.3rem}
h2{font-size:1.2rem;margin-top:2rem;color:#2b4a7a}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem}th{background:#f0f3f8;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr:nth-child(even) td{background:#fafafa}
img{max-width:100%;margin:.8rem 0;border:1px solid #eee}code{background:#f4f4f4;padding:0 .2rem}
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
            data = base64.b64encode(b.png).decode("ascii")
            out.append(f'<figure><img alt="{html.escape(b.text)}" '
                       f'src="data:image/png;base64,{data}"></figure>')  # fmt: skip
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(result, folder: Path) -> None:
    """report.md, report.html and plots/*.png into `folder`."""
    folder = Path(folder)
    blocks = build_blocks(result)
    images = [b for b in blocks if b.kind == "img"]
    if images:
        (folder / "plots").mkdir(exist_ok=True)
        for b in images:
            (folder / "plots" / f"{b.name}.png").write_bytes(b.png)
    (folder / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    title = f"{result.summary['instance']['name']} · {result.summary['coalition']}"
    (folder / "report.html").write_text(to_html(blocks, title), encoding="utf-8")
