"""Check a result folder against every rule of MODEL.md that its files allow.

The constraints are checked by `burden verify`'s checker (`optimizer.verify`, the one checker of
result folders: it reads only the instance and the result files and recomputes everything else
from the instance's own numbers). On top of it, what `burden verify` leaves alone and a test of
the spec's result files checks too: summary.json's keys, `spending_pct_gdp`, and the duals
(marginal_pain: given when optimal, at most the discounted penalty of a penalised target under
total_pain, zero on a target a fixed coalition more than meets, never negative for a share).

Each violated rule gives one message: `family [where]: what`. The reference MODEL
(`ref_model.py`) stays independent of `optimizer/`; this checker is `optimizer.verify`'s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from optimizer.instance import Instance
from optimizer.verify import (
    VerifyError,
    VerifyReport,
    _Checker,
    _num,
    _read_csv,
    instance_of,
    verify_folder,
)

#: summary.json's keys that every result has (MODEL.md, "Result files").
SUMMARY_KEYS = ("status", "objective", "total_pain", "shortfall_cost", "member_cost", "coalition",
                "members", "outsiders", "member_pain", "outsider_pain", "solver", "instance")  # fmt: skip
DUALS = "duals"


def check_result_folder(instance_path: str | Path, result_dir: str | Path) -> list[str]:
    """Every violated rule of MODEL.md found in the result folder; empty when all hold."""
    instance_path, result_dir = Path(instance_path), Path(result_dir)
    try:
        instance, _ = instance_of(result_dir, instance_path)
        report = verify_folder(result_dir, instance, instance_path)
        _check_more(instance, result_dir, report)
    except VerifyError as exc:
        return [str(exc)]
    return [str(v) for v in report.violations]


def _check_more(instance: Instance, folder: Path, report: VerifyReport) -> None:
    """What `verify_folder` does not check, recorded into its `report`."""
    summary: dict[str, Any] = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    countries = _read_csv(folder / "countries.csv")
    capabilities = _read_csv(folder / "capabilities.csv")
    chk = _Checker(instance, summary, countries, [], capabilities, report)
    for key in SUMMARY_KEYS:
        chk.that("result files", "summary.json", key in summary, f"missing key {key!r}")
    if summary.get("status") != "optimal":
        return
    for raw in countries:
        where = f"{raw['country']} {raw['year']}"
        spending, gdp = _num(raw["spending"]) or 0.0, _num(raw["gdp"]) or 0.0
        chk.eq("derived data", where, _num(raw["spending_pct_gdp"]) or 0.0,
               100 * spending / gdp, "spending_pct_gdp = 100 · spending / gdp")  # fmt: skip
    _capability_duals(chk, instance, capabilities, fixed=summary.get("coalition") != "chosen")
    share_file = folder / "capability_shares.csv"
    for raw in _read_csv(share_file) if share_file.is_file() else []:
        marginal = _num(raw.get("marginal_pain"))
        if marginal is not None:
            where = f"{raw['country']} {raw['capability']} {raw['year']}"
            chk.geq(DUALS, where, marginal, 0.0, "marginal_pain of a share")


def _capability_duals(
    chk: _Checker, instance: Instance, rows: list[dict[str, str]], *, fixed: bool
) -> None:
    """marginal_pain of each target point: given; ≤ d_t · penalty (total_pain, the shortfall
    column's dual feasibility); 0 where a fixed coalition's LP has slack (complementary
    slackness: primal and dual of one LP)."""
    for raw in rows:
        k, t = raw["capability"], int(float(raw["year"]))
        area = instance.capabilities.get(k)
        if area is None or t not in area.targets:
            continue  # verify_folder flags the row
        where = f"{k} {t}"
        dual = _num(raw.get("marginal_pain"))
        chk.that(DUALS, where, dual is not None, "marginal_pain empty in an optimal result")
        if dual is None:
            continue
        if area.shortfall_penalty is not None and instance.objective == "total_pain":
            chk.leq(DUALS, where, dual, chk.discount(t) * area.shortfall_penalty,
                    "marginal_pain ≤ d_t · shortfall_penalty")  # fmt: skip
        delivered = _num(raw.get("delivered")) or 0.0
        slack = delivered + (_num(raw.get("shortfall")) or 0.0) - area.targets[t]
        if fixed and slack > 10 * chk._slack(area.targets[t], delivered):
            chk.leq(DUALS, where, dual, 0.0, "marginal_pain of a slack target")
