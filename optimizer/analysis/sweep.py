"""Sweeps: solve one coalition for each value of one instance field, e.g. the 2035 floor.

Each point is exactly `burden solve INSTANCE --set PARAM=VALUE` (after the same `--set` and
`--scenario` overrides): the file is loaded, overridden and validated afresh, then solved, so a
row of sweep.csv equals that separate solve. Points are independent tasks (`solve_point`), run
in this process, on local processes or on a Dask cluster (`optimizer.pipeline.parallel.run_tasks`). `sweep.csv` has one row per value: `param, value,
status, objective, total_pain, shortfall_cost, member_cost, members, n_members`, then the
coalition's spending in % of GDP in the last year, total pain in % of base-year GDP, each
member's discounted pain (`pain_<id>`) and, for a point without a plan, what is in conflict.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from optimizer.instance.overrides import load_instance_with
from optimizer.instance.resolved import Instance
from optimizer.results.extract import Result
from optimizer.solver.highs import SolveOptions

SWEEP_COLUMNS = [
    "param", "value", "status", "objective", "total_pain", "shortfall_cost", "member_cost",
    "members", "n_members", "spending_pct_gdp_last_year", "total_pain_pct_base_gdp",
]  # fmt: skip


def parse_values(text: str) -> list[str]:
    """`2,3.5,5` → ['2', '3.5', '5']; `2:5:1` → ['2', '3', '4', '5'] (inclusive); a YAML flow
    list `[{2030: 3}, {2030: 4}]` → one value per item (written back as YAML)."""
    text = text.strip()
    if not text:
        raise ValueError("--values: give at least one value")
    if text.startswith("["):
        try:
            items = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"--values: not a YAML list ({exc})") from None
        return [
            yaml.safe_dump(item, default_flow_style=True).strip().removesuffix("...").strip()
            for item in items
        ]
    if text.count(":") == 2 and "," not in text and "{" not in text:
        start, stop, step = (float(x) for x in text.split(":"))
        if step <= 0 or stop < start:
            raise ValueError("--values START:STOP:STEP needs STEP > 0 and STOP ≥ START")
        values, n = [], 0
        while start + n * step <= stop + 1e-9 * max(1.0, abs(stop)):
            values.append(f"{round(start + n * step, 10):g}")
            n += 1
        return values
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise ValueError("--values: give at least one value")
    return values


def sweep_row(param: str, value: str, result: Result) -> dict:
    """One row of sweep.csv."""
    from optimizer.report.terminal import comparison_row

    base = comparison_row(result)
    row = {"param": param, "value": value}
    for column in SWEEP_COLUMNS[2:]:
        row[column] = base.get(column)
    s = result.summary
    for c, pain in (s.get("pain_by_member") or {}).items():
        row[f"pain_{c}"] = pain
    if s["status"] != "optimal":
        row["message"] = s.get("message", "")
    return row


def point_names(values: list[str]) -> list[str]:
    """The folder of each value: `NN-value` (numbered in order; a slug, `optimizer.slugs.safe_slug`)."""
    from optimizer.slugs import safe_slug

    width = max(2, len(str(len(values))))
    names = []
    for i, value in enumerate(values):
        names.append(safe_slug(f"{i + 1:0{width}d}-{value}"))
    return names


def load_points(
    path: Path,
    param: str,
    values: list[str],
    *,
    sets: list[str] | tuple[str, ...] = (),
    scenario: str | None = None,
) -> list[Instance]:
    """Each point's instance: the file with the `--set`s, the scenario, then `PARAM=VALUE`.

    Raises:
        InstanceError: an override (base or swept value) is invalid. Every point is validated
            here, before the first solve.
    """
    return [
        load_instance_with(path, sets, scenario, labelled=[("--values", f"{param}={v}")])
        for v in values
    ]


@dataclass
class PointRun:
    """One solved point. `folder`: where the task wrote its result folder (None: not written);
    `checks` and `failure`: its verification there (`failure` empty when every check held)."""

    result: Result
    folder: Path | None = None
    checks: int = 0
    failure: str = ""


def solve_point(
    instance: Instance,
    coalition: str | None,
    options: SolveOptions,
    folder: Path | None = None,
    point: dict | None = None,
) -> PointRun:
    """One point of a sweep, exactly as `burden solve` (a task for `optimizer.pipeline.parallel`).

    With `folder` (a new folder's path on a disk this process shares with the caller): the
    result folder is also written there, with its manifest (`point`: the param and value), and
    verified, so that a local worker does that work rather than the process collecting results.

    Raises:
        UnknownCoalitionError: the coalition name is unknown.
    """
    from optimizer.pipeline.one import solve_coalition

    result = solve_coalition(instance, coalition, options)
    if folder is None:
        return PointRun(result)
    from optimizer.verify import VerifyError, verify_folder

    folder = Path(folder)
    folder.mkdir()
    write_point(folder, instance, result, coalition, options, point or {})
    try:
        report = verify_folder(folder, instance)
    except VerifyError as exc:
        return PointRun(result, folder, 0, str(exc))
    failure = "" if report.ok else report.summary_line()
    return PointRun(result, folder, report.checks, failure)


def write_point(folder: Path, instance: Instance, result: Result, coalition: str | None,
                options: SolveOptions, point: dict) -> None:  # fmt: skip
    """A point's result folder (no report) with its manifest.json and instance.yaml."""
    from optimizer.results.manifest import build_manifest, write_manifest
    from optimizer.results.write import write_tables

    manifest = build_manifest(instance, command="sweep", options=options, coalition=coalition,
                              extra={"sweep_point": point})  # fmt: skip
    manifest["timings"] = {"solve": result.summary.get("solver", {}).get("seconds")}
    write_tables(result, folder)
    write_manifest(folder, manifest)


def sweep_table(param: str, values: list[str], results: list[Result]) -> pd.DataFrame:
    """sweep.csv: one row per value, in the order of `values`."""
    table = pd.DataFrame([sweep_row(param, v, r) for v, r in zip(values, results, strict=True)])
    front = [c for c in SWEEP_COLUMNS if c in table.columns]
    rest = [c for c in table.columns if c not in front and c != "message"]
    tail = ["message"] if "message" in table.columns else []
    return table[front + rest + tail]


def plot_sweep(table: pd.DataFrame, param: str, currency: str) -> bytes:
    """Discounted pain by member (stacked) at each value, with the total marked on top."""
    import numpy as np

    from optimizer.instance.json_schema import field_label
    from optimizer.report.mpl import plt

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
