"""PNG figures of the coalition analyses (matplotlib, no display needed).

Every figure has a title, axis labels with units and a legend or colour bar.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.report import style
from optimizer.report.mpl import plt

FUNDING_COLOURS = style.COLOURS
FUNDING_LABELS = style.LABELS
DPI = 130
BAR_LIMIT = 12  # above this many countries the pain figure is a heat map


def _legend_outside(ax, title: str) -> None:
    ax.legend(title=title, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def pain_per_member(countries: pd.DataFrame, path: Path, currency: str, title: str) -> Path:
    """Discounted pain of each member in each coalition (grouped bars, or a heat map if many).

    `countries`: comparison_countries.csv rows (coalition, country, pain, pain_pct_gdp).
    """
    wide = countries.pivot_table(index="country", columns="coalition", values="pain", sort=False)
    order = list(dict.fromkeys(countries["coalition"]))
    wide = wide.reindex(columns=[c for c in order if c in wide.columns])
    unit = f"discounted pain (pain-weighted bn {currency})".replace("  ", " ")
    if len(wide) <= BAR_LIMIT:
        fig, ax = plt.subplots(figsize=(max(7, 1.0 * len(wide) + 3), 4.8))
        n = max(1, len(wide.columns))
        width = 0.8 / n
        x = np.arange(len(wide))
        colours = plt.get_cmap("tab10")
        top = np.nanmax(wide.to_numpy(dtype=float)) if wide.notna().any().any() else 1.0
        for i, coalition in enumerate(wide.columns):
            values = wide[coalition].to_numpy(dtype=float)
            xs = x + (i - (n - 1) / 2) * width
            ax.bar(xs, np.nan_to_num(values), width, label=coalition, color=colours(i % 10))
            for xi, value in zip(xs, values, strict=True):
                if np.isfinite(value) and abs(value) <= 1e-3 * max(top, 1e-12):
                    ax.text(xi, 0, "0", ha="center", va="bottom", fontsize=7, color=colours(i % 10))
        ax.set_xticks(x, wide.index, rotation=0 if len(wide) <= 8 else 45)
        ax.set_xlabel("member (no bar: not a member; 0: a member without pain)")
        ax.set_ylabel(unit)
        _legend_outside(ax, "coalition")
        ax.grid(axis="y", alpha=0.3)
    else:
        fig, ax = plt.subplots(figsize=(1.3 * len(wide.columns) + 4, 0.28 * len(wide) + 1.8))
        data = wide.to_numpy(dtype=float)
        masked = np.ma.masked_invalid(data)
        cmap = plt.get_cmap("YlOrRd").copy()
        cmap.set_bad("#eeeeee")
        image = ax.imshow(masked, aspect="auto", cmap=cmap)
        ax.set_xticks(range(len(wide.columns)), wide.columns, rotation=30, ha="right")
        ax.set_yticks(range(len(wide)), wide.index, fontsize=8)
        finite = data[np.isfinite(data)]
        top = finite.max() if finite.size else 1.0
        for (i, j), value in np.ndenumerate(data):
            if math.isfinite(value):
                ax.text(
                    j,
                    i,
                    f"{value:.3g}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if value > 0.6 * top else "black",
                    in_layout=False,  # inside the axes: tight_layout need not measure 200 labels
                )
        bar = fig.colorbar(image, ax=ax, fraction=0.04)
        bar.set_label(unit)
        ax.set_xlabel("coalition (grey: not a member)")
        ax.set_ylabel("member")
    ax.set_title(title)
    return _save(fig, path)


def funding_mix(table: pd.DataFrame, path: Path, currency: str, title: str) -> Path:
    """Stacked bars: money raised over the horizon by source, per coalition (comparison.csv)."""
    ok = table[table["status"] == "optimal"]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(ok) + 3), 4.8))
    bottom = np.zeros(len(ok))
    x = np.arange(len(ok))
    for source, colour in FUNDING_COLOURS.items():
        values = ok[f"{source}_total"].fillna(0).to_numpy(dtype=float)
        ax.bar(x, values, 0.6, bottom=bottom, color=colour, label=FUNDING_LABELS[source])
        bottom += values
    for xi, total in zip(x, bottom, strict=True):
        ax.text(xi, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 1.12 * max(bottom.max() if len(bottom) else 1.0, 1e-9))
    ax.set_xticks(x, ok["coalition"], rotation=20, ha="right")
    ax.set_xlabel("coalition")
    ax.set_ylabel(f"money raised over the horizon\n(bn {currency}, undiscounted)")
    ax.set_title(title)
    _legend_outside(ax, "funding source")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def spending_paths(paths: pd.DataFrame, path: Path, currency: str, title: str) -> Path:
    """Per coalition and year: defence spending in % of the members' GDP, and the increase.

    `paths`: rows (coalition, year, spending_pct_gdp, increase, floor_pct_gdp).
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    colours = plt.get_cmap("tab10")
    for i, (coalition, rows) in enumerate(paths.groupby("coalition", sort=False)):
        colour = colours(i % 10)
        left.plot(rows["year"], rows["spending_pct_gdp"], marker="o", ms=3, color=colour,
                  label=coalition)  # fmt: skip
        if rows["floor_pct_gdp"].notna().any():
            left.plot(rows["year"], rows["floor_pct_gdp"], ls=":", color=colour, alpha=0.7)
        right.plot(rows["year"], rows["increase"], marker="o", ms=3, color=colour, label=coalition)
    floors = paths["floor_pct_gdp"].notna().any()
    left.set_title(
        "Defence spending, % of the members' GDP"
        + ("\n(dotted: the members' GDP-weighted floor)" if floors else "")
    )
    left.set_xlabel("year")
    left.set_ylabel("% of GDP")
    right.set_title("Increase over baseline spending")
    right.set_xlabel("year")
    right.set_ylabel(f"bn {currency} per year")
    years = sorted(paths["year"].unique())
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        step = max(1, math.ceil(len(years) / 12))
        ax.set_xticks(years[::step], [str(y) for y in years[::step]])
    _legend_outside(right, "coalition")
    fig.suptitle(title)
    return _save(fig, path)


def capability_delivery(caps: pd.DataFrame, path: Path, title: str) -> Path:
    """Delivered in % of target, per area (last target year) and coalition."""
    last = caps.sort_values("year").groupby(["coalition", "capability"], sort=False).tail(1)
    wide = last.pivot_table(index="capability", columns="coalition", values="delivered_pct",
                            sort=False)  # fmt: skip
    order = [c for c in dict.fromkeys(caps["coalition"]) if c in wide.columns]
    wide = wide.reindex(columns=order)
    fig, ax = plt.subplots(figsize=(max(7, 1.2 * len(wide) + 3), 4.8))
    n = max(1, len(wide.columns))
    width = 0.8 / n
    x = np.arange(len(wide))
    colours = plt.get_cmap("tab10")
    for i, coalition in enumerate(wide.columns):
        ax.bar(x + (i - (n - 1) / 2) * width, wide[coalition].to_numpy(dtype=float), width,
               label=coalition, color=colours(i % 10))  # fmt: skip
    ax.axhline(100, color="black", lw=1, ls="--", label="target")
    ax.set_xticks(x, wide.index, rotation=20, ha="right")
    ax.set_xlabel("capability area (last target year)")
    ax.set_ylabel("delivered, % of target")
    ax.set_title(title)
    _legend_outside(ax, "coalition")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def members_price(table: pd.DataFrame, path: Path, currency: str, title: str) -> Path:
    """Bars: the change in the other members' pain when each member leaves (members.csv)."""
    data = table.sort_values("others_pain_change", ascending=False, na_position="last")
    fig, ax = plt.subplots(figsize=(max(7, 0.35 * len(data) + 3), 4.8))
    values = data["others_pain_change"].to_numpy(dtype=float)
    finite = np.where(np.isfinite(values), values, 0.0)
    colours = ["#C44E52" if v > 0 else "#4C72B0" for v in finite]
    ax.bar(range(len(data)), finite, color=colours)
    top = np.nanmax(np.abs(finite)) if len(finite) else 1.0
    for i, (value, status) in enumerate(zip(values, data["status"], strict=True)):
        if not np.isfinite(value):
            ax.text(i, 0.02 * (top or 1.0), status, rotation=90, ha="center", va="bottom",
                    fontsize=7, color="#C44E52")  # fmt: skip
    ax.set_xticks(range(len(data)), data["member"], rotation=90 if len(data) > 12 else 0)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("member left out")
    ax.set_ylabel(f"change in the others' discounted pain (bn {currency}, pain-weighted)")
    ax.set_title(title)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="#C44E52", label="the others pay more"),
            Patch(color="#4C72B0", label="the others pay less"),
        ],
        fontsize=8,
    )
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def shapley_allocation(table: pd.DataFrame, path: Path, currency: str, title: str) -> Path:
    """Left: each member's Shapley share of the savings (± 1.96 SE); right: cost share vs pain."""
    if len(table) > 12:  # many members: one panel above the other
        fig, (left, right) = plt.subplots(2, 1, figsize=(max(10, 0.32 * len(table) + 3), 9))
    else:
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    x = np.arange(len(table))
    se = table["standard_error"].to_numpy(dtype=float)
    left.bar(x, table["shapley_savings"], color="#55A868", label="Shapley share of savings")
    if np.any(se > 0):
        left.errorbar(x, table["shapley_savings"], yerr=1.96 * se, fmt="none", ecolor="black",
                      capsize=2, label="95 % interval (sampling)")  # fmt: skip
    left.axhline(0, color="black", lw=0.8)
    left.set_xticks(x, table["member"], rotation=90 if len(table) > 12 else 0)
    left.set_xlabel("member")
    left.set_ylabel(f"savings (bn {currency}, pain-weighted, discounted)")
    left.set_title("Shapley allocation of the coalition's savings")
    left.legend(fontsize=8)
    left.grid(axis="y", alpha=0.3)
    width = 0.4
    right.bar(x - width / 2, table["shapley_cost"], width, color="#4C72B0",
              label="Shapley cost share")  # fmt: skip
    right.bar(x + width / 2, table["pain_in_coalition"].fillna(0), width, color="#DD8452",
              label="pain borne in the coalition's optimum")  # fmt: skip
    right.set_xticks(x, table["member"], rotation=90 if len(table) > 12 else 0)
    right.set_xlabel("member")
    right.set_ylabel(f"discounted pain (bn {currency}, pain-weighted)")
    right.set_title("Fair cost share vs pain borne")
    right.legend(fontsize=8)
    right.grid(axis="y", alpha=0.3)
    fig.suptitle(title)
    return _save(fig, path)
