"""`burden compare`'s figures as SVG text (optimizer/report/svg.py), as the single-solve report.

They were PNGs drawn by matplotlib in a worker process: importing matplotlib and drawing the
four figures of nato-2035 cost ~4 s of CPU, a quarter of the whole command, and on a shared
2-core machine the worker got no core of its own (benchmarks/README.md, "The planner's wait").
As SVG text they take milliseconds, need no worker and open in any browser, in Markdown
viewers, and in Word, PowerPoint and LibreOffice.

Coalitions agree on much (often the same pain for a country, every target met): the per-member
pain and the capabilities are tables of coloured cells with the number in each, where markers
on one axis would hide each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence

import pandas as pd

from optimizer.numbers import fmt
from optimizer.report import style, svg

#: matplotlib's tab10, the colours the PNG figures used; one per coalition.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip


def coalition_colours(coalitions: Sequence[str]) -> dict[str, str]:
    """Each coalition's colour, in order (repeating after ten)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(coalitions)}


def _order(values: pd.Series) -> list[str]:
    return [str(v) for v in dict.fromkeys(values)]


def _finite(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    values: dict[tuple[str, str], float],
    *,
    title: str,
    caption: str,
    colour: Callable[[float], str],
    label: Callable[[float], str],
    marked: Collection[tuple[str, str]] = frozenset(),
) -> str:
    """A table of coloured cells, a row per `rows`, a column per `columns`, the value written in
    each (`label`, with "°" in the `marked` cells); a missing value is a grey cell. Every number stays readable where marks on
    one axis would hide each other (coalitions often agree)."""
    cell_w = max(64.0, 7.0 * max([len(c) for c in columns] + [4]) + 10)
    cell_h, top = 17.0, 64.0
    left = 16 + 7.0 * max([len(r) for r in rows] + [4])
    width = max(left + cell_w * len(columns) + 16, 32 + 8.6 * len(title), 32 + 6.4 * len(caption))
    height = top + cell_h * len(rows) + 34
    canvas = svg.Canvas(width, height, title)
    canvas.text(16, 18, title, size=14, weight="bold")
    for j, name in enumerate(columns):
        canvas.text(left + (j + 0.5) * cell_w, top - 10, name, size=11, anchor="middle",
                    weight="bold")  # fmt: skip
    for i, row in enumerate(rows):
        y = top + i * cell_h
        canvas.text(left - 6, y + cell_h / 2, row, size=11, anchor="end")
        for j, name in enumerate(columns):
            x = left + j * cell_w
            value = values.get((row, name))
            if value is None:
                canvas.rect(x, y, cell_w, cell_h, MISSING, stroke="white")
                continue
            fill, text = colour(value), label(value) + ("°" if (row, name) in marked else "")
            canvas.rect(x, y, cell_w, cell_h, fill, stroke="white", title=f"{row}, {name}: {text}")
            canvas.text(x + cell_w / 2, y + cell_h / 2, text, size=10, anchor="middle",
                        colour="white" if _dark(fill) else svg.INK)  # fmt: skip
    canvas.text(16, height - 14, caption, size=11)
    return canvas.render()


MISSING = "#eeeeee"
#: ColorBrewer's YlOrRd, light to dark, as the PNG heat map used.
YL_OR_RD = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _shade(value: float, top: float) -> str:
    share = 0.0 if top <= 0 else min(1.0, max(0.0, value / top))
    return YL_OR_RD[min(len(YL_OR_RD) - 1, int(share * len(YL_OR_RD)))]


def pain_per_member(countries: pd.DataFrame, currency: str, title: str) -> str:
    """Discounted pain of each country in each coalition (comparison_countries.csv): a row per
    country, a column per coalition; an outsider carrying its own share (`alliance` scope) is
    marked °, a country that does not act in a coalition is grey."""
    names = _order(countries["coalition"])
    values: dict[tuple[str, str], float] = {}
    outsiders = set()
    for r in countries.itertuples(index=False):
        pain = _finite(r.pain)
        if pain is not None:
            values[str(r.country), str(r.coalition)] = pain
            if not bool(r.member):
                outsiders.add((str(r.country), str(r.coalition)))
    top = max(values.values(), default=1.0)
    caption = f"discounted pain (pain-weighted {style.money(currency)}); grey: not a member"
    if outsiders:
        caption += "; °: an outsider carrying its own share"
    return heat_map(
        _order(countries["country"]),
        names,
        values,
        title=title,
        caption=caption,
        colour=lambda v: _shade(v, top),
        label=lambda v: f"{v:.3g}",
        marked=outsiders,
    )


def funding_mix(table: pd.DataFrame, currency: str, title: str) -> str:
    """Stacked bars: money raised over the horizon by source, per coalition with a plan
    (comparison.csv); the total at the right."""
    ok = table[table["status"] == "optimal"]
    rows, top = [], 0.0
    for r in ok.itertuples(index=False):
        left, bars = 0.0, []
        for source, colour in style.COLOURS.items():
            value = _finite(getattr(r, f"{source}_total")) or 0.0
            if value > 0:
                tip = f"{r.coalition} {style.LABELS[source]}: {fmt(value)}"
                bars.append((left, left + value, colour, 0.7, tip))
            left += max(value, 0.0)
        top = max(top, left)
        rows.append(svg.Row(str(r.coalition), bars=bars, note=f"{left:,.0f}"))
    return svg.row_chart(
        rows,
        title=title,
        x_label=f"money raised over the horizon ({style.money(currency)}, undiscounted; right: total)",
        x_max=top * 1.05,
        legend=[(style.LABELS[s], colour, "bar") for s, colour in style.COLOURS.items()],
    )


def spending_paths(paths: pd.DataFrame, title: str) -> str:
    """One panel per coalition: defence spending in % of the members' GDP by year (shared
    scale), the members' GDP-weighted floor dashed, the last year's share noted. (The PNG had a
    second panel, the increase in money by year: it is comparison.xlsx's "spending paths".)"""
    colours = coalition_colours(_order(paths["coalition"]))
    panels = []
    for name, rows in paths.groupby("coalition", sort=False):
        colour = colours[str(name)]
        years = [float(y) for y in rows["year"]]
        series = [([_finite(v) for v in rows["spending_pct_gdp"]], colour, "")]
        if rows["floor_pct_gdp"].notna().any():
            series.insert(0, ([_finite(v) for v in rows["floor_pct_gdp"]], "#222", "4,3"))
        last = rows.iloc[-1] if len(rows) else None
        note = ""
        if last is not None and _finite(last["spending_pct_gdp"]) is not None:
            note = f"{last['spending_pct_gdp']:.2f} %"
        panels.append(svg.Panel(str(name), years, series, note=note))
    return svg.small_multiples(
        panels,
        title=title,
        y_label="% of the members' GDP",
        legend=[
            ("spending (top right: last year)", "#4C72B0", "line"),
            ("GDP-weighted floor", "#222", "dash"),
        ],  # fmt: skip
        columns=3,
    )


def capability_delivery(caps: pd.DataFrame, title: str) -> str:
    """Delivered in % of the target in each area's last target year: a row per area, a column
    per coalition, green where the target is met, red shades by how far short."""
    last = (
        caps.sort_values("year", kind="stable")
        .groupby(["coalition", "capability"], sort=False)
        .tail(1)
    )
    values: dict[tuple[str, str], float] = {}
    for r in last.itertuples(index=False):
        pct = _finite(r.delivered_pct)
        if pct is not None:
            values[str(r.capability), str(r.coalition)] = pct
    return heat_map(
        _order(caps["capability"]),
        _order(caps["coalition"]),
        values,
        title=title,
        caption="delivered, % of the target in the area's last target year (green: met)",
        colour=_delivery_colour,
        label=lambda v: f"{v:.4g}",
    )


def _delivery_colour(pct: float) -> str:
    if pct >= 100.0 - 1e-6:
        return "#55A868"
    return "#C44E52" if pct < 90.0 else "#f4a582"
