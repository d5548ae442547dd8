"""Sweeps: solve one coalition for each value of one instance field, e.g. the 2035 floor.

Each point is exactly `burden solve INSTANCE --set PARAM=VALUE` (after the same `--set` and
`--scenario` overrides): the file is loaded, overridden and validated afresh, then solved, so a
row of sweep.csv equals that separate solve. Points are independent tasks
(`optimizer.pipeline.sweep.solve_point`), run in this process, on local processes or on a Dask
cluster (`optimizer.pipeline.parallel.run_tasks`). `sweep.csv` has one row per value: `param, value,
status, objective, total_pain, shortfall_cost, member_cost, members, n_members`, then the
coalition's spending in % of GDP in the last year, total pain in % of base-year GDP, each
member's discounted pain (`pain_<id>`) and, for a point without a plan, what is in conflict.
This module: the values, the folder names and the table (pure).
"""

from __future__ import annotations

import pandas as pd
import yaml

from optimizer.analysis.rows import comparison_row
from optimizer.results.extract import Result
from optimizer.slugs import safe_slug

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
    width = max(2, len(str(len(values))))
    names = []
    for i, value in enumerate(values):
        names.append(safe_slug(f"{i + 1:0{width}d}-{value}"))
    return names


def sweep_table(param: str, values: list[str], results: list[Result]) -> pd.DataFrame:
    """sweep.csv: one row per value, in the order of `values`."""
    table = pd.DataFrame([sweep_row(param, v, r) for v, r in zip(values, results, strict=True)])
    front = [c for c in SWEEP_COLUMNS if c in table.columns]
    rest = [c for c in table.columns if c not in front and c != "message"]
    tail = ["message"] if "message" in table.columns else []
    return table[front + rest + tail]
