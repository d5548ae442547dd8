"""sweep.png: the price of a swept field, by member."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from optimizer.instance.json_schema import field_label
from optimizer.report.mpl import plt


def plot_sweep(table: pd.DataFrame, param: str, currency: str) -> bytes:
    """Discounted pain by member (stacked) at each value, with the total marked on top."""
    pains = [c for c in table.columns if c.startswith("pain_")]
    numbers = pd.to_numeric(table["value"], errors="coerce")
    numeric = bool(numbers.notna().all()) and numbers.is_unique
    if numeric:  # 3.5, 4, 5 spaced as numbers, bars as wide as the closest two allow
        x = numbers.to_numpy(dtype=float)
        gaps = np.diff(np.sort(x))
        bar = 0.6 * (float(gaps.min()) if len(gaps) else 1.0)
    else:
        x, bar = np.arange(len(table), dtype=float), 0.6
    fig, ax = plt.subplots(figsize=(max(8.0, 0.9 * len(table) + 4.5), 5.2))
    bottom = np.zeros(len(table))
    cmap = plt.get_cmap("tab10" if len(pains) <= 10 else "tab20")
    many = len(pains) > 12
    if many:  # the largest payers by name, the rest together
        totals = table[pains].fillna(0).sum().sort_values(ascending=False)
        shown = list(totals.index[:11])
        other = table[[c for c in pains if c not in shown]].fillna(0).sum(axis=1)
    else:
        shown, other = pains, None
    for i, column in enumerate(shown):
        values = table[column].fillna(0).to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, color=cmap(i % cmap.N), width=bar,
               label=column.removeprefix("pain_"))  # fmt: skip
        bottom += values
    if other is not None:
        ax.bar(x, other.to_numpy(dtype=float), bottom=bottom, color="#cccccc", width=bar,
               label=f"{len(pains) - len(shown)} others")  # fmt: skip
        bottom += other.to_numpy(dtype=float)
    total = table["total_pain"].to_numpy(dtype=float)
    top = float(np.nanmax(total)) if np.isfinite(total).any() else 1.0
    ax.plot(x, total, color="black", marker="o", lw=1.5, label="total pain")
    for xi, row in zip(x, table.itertuples(), strict=True):
        if row.status == "optimal":
            ax.text(xi, row.total_pain + 0.04 * top, f"{row.total_pain:,.4g}", ha="center",
                    va="bottom", fontsize=8)  # fmt: skip
        else:
            ax.text(xi, 0.05 * top, row.status, ha="center", va="bottom", color="#C44E52",
                    fontsize=9, rotation=90, fontweight="bold")  # fmt: skip
    if "shortfall_cost" in table and (table["shortfall_cost"].fillna(0) > 1e-9).any():
        ax.plot(x, total + table["shortfall_cost"].fillna(0).to_numpy(dtype=float), color="#C44E52",
                ls="--", marker="s", lw=1.2, label="total pain + shortfall cost")  # fmt: skip
    ax.set_xticks(
        x, [f"{v:g}" if numeric else str(v) for v in (numbers if numeric else table["value"])]
    )
    ax.set_xlim(float(x.min()) - bar, float(x.max()) + bar)
    ax.set_ylim(0, top * 1.15)
    label = field_label(param)
    ax.set_xlabel(f"{label}  (--param {param})")
    ax.set_ylabel(f"discounted pain (pain-weighted bn {currency})".replace("  ", " "))
    ax.set_title(
        f"The price of the {label.split(',')[0]}\ntotal discounted pain at each value, by member"
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="member")
    ax.grid(axis="y", alpha=0.3)
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=0.9 / width, right=1 - 2.0 / width, bottom=0.7 / height,
                        top=1 - 0.75 / height)  # fmt: skip
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()
