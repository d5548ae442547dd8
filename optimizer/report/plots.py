"""PNG figures of the coalition analyses (matplotlib, no display needed).

Every figure has a title, axis labels with units and a legend or colour bar.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.report.mpl import plt

DPI = 130


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


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
