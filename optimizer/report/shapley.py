"""The files of `burden shapley`: shapley.csv, shapley_core.csv, shapley_game.csv,
shapley_summary.json, and with the report shapley.md and shapley.png."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.analysis.shapley import ShapleyResult, game_table
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.report.tables import markdown_table
from optimizer.results.write import write_json


def _game_text(alliance: bool) -> str:
    """The report's statement of the game (see the module docstring)."""
    if alliance:
        return (
            "**The game.** Under `alliance`, v(T) is the discounted pain of T's members (plus "
            "shortfall penalties) when T is the coalition and every other ally is an outsider "
            "delivering its own share of each target; the targets are not scaled. Shared limits "
            "(facility caps, programme capacities) are not scaled either: each sub-coalition, a "
            "single member included, may use them in full, so where a facility is large the "
            "members alone can together use more of it than the coalition can, and the savings "
            "can be small or negative."
        )
    return (
        "**The game.** v(T) is the least discounted pain (plus shortfall penalties) with which "
        "sub-coalition T alone meets the instance's capability targets *scaled by T's share of "
        "the coalition's base-year GDP*; every other rule is unchanged. Scaled, each "
        "sub-coalition carries its GDP-proportional part of the targets, so the game measures "
        "what pooling saves rather than who could defend the alliance alone (unscaled, a small "
        "member alone would face the whole target). Shared limits (the common-debt caps, "
        "programme capacities) are not scaled: each sub-coalition may use them in full, so "
        "the savings can be small or negative where members alone could use more of them."
    )


def write_shapley(
    folder: Path | str,
    instance: Instance,
    coalition: str,
    result: ShapleyResult,
    *,
    report: bool = True,
) -> pd.DataFrame:
    """shapley.csv, shapley_core.csv, shapley_game.csv, shapley_summary.json, shapley.md, .png
    (the last two only with `report`: `burden shapley --no-report`)."""
    from optimizer.report.plots import shapley_allocation  # matplotlib: only with the report

    folder = Path(folder)
    table = result.table(instance)
    table.to_csv(folder / "shapley.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    core = result.core_table()
    core.to_csv(folder / "shapley_core.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    game_table(result).to_csv(
        folder / "shapley_game.csv", index=False, na_rep="", float_format=CSV_FLOAT
    )
    summary = {"coalition": coalition, "instance": instance.name, **result.summary()}
    write_json(folder / "shapley_summary.json", summary)
    if not report:
        return table
    shapley_allocation(
        table,
        folder / "shapley.png",
        instance.currency or "",
        f"{instance.name} · {coalition}: who earns the savings of acting together",
    )
    lines = _allocation_lines(instance, coalition, result, table, summary)
    lines += ["## Core check", "", *_core_lines(result, core)]
    lines += ["", "![shapley.png](shapley.png)", ""]
    (folder / "shapley.md").write_text("\n".join(lines), encoding="utf-8")
    return table


def _method_text(result: ShapleyResult) -> str:
    """How the values were found: every sub-coalition, or how many permutations and whether the
    sampling converged."""
    if result.method == "exact":
        return f"exact (all {len(result.values)} sub-coalitions)"
    return (
        f"sampled: {result.permutations} permutations (blocks of cyclic shifts, seed "
        f"{result.seed}), "
        f"{len(result.values)} sub-coalitions solved; "
        + (
            f"stopped when every standard error was ≤ {result.tolerance:g} × |savings|"
            if result.converged
            else f"NOT converged to {result.tolerance:g} × |savings| within the budget"
        )
    )


def _allocation_lines(instance: Instance, coalition: str, result: ShapleyResult,
                      table: pd.DataFrame, summary: dict) -> list[str]:  # fmt: skip
    """shapley.md up to the core check: the game, the convention, the savings, the allocation."""
    currency = instance.currency or ""
    return [
        f"# Shapley allocation of the savings: {instance.name}, coalition `{coalition}`",
        "",
        _game_text(instance.alliance is not None),
        "",
        f"**Infeasible sub-coalitions.** A sub-coalition that cannot meet its scaled hard "
        f"targets is valued with each hard target's shortfall allowed at "
        f"{result.penalty:,.4g} per unit of capability (discounted), well above the dearest "
        f"way to deliver a unit; {summary['penalised_sub_coalitions']} sub-coalition(s) were "
        "valued so.",
        "",
        f"**Savings.** Members alone: {result.standalone.sum():,.4f}; together: "
        f"{result.grand_value:,.4f}; savings {result.savings:,.4f} (bn {currency}, pain-"
        f"weighted, discounted), allocated {result.allocation.sum():,.4f}. Method: "
        f"{_method_text(result)}.",
        "",
        "*transfer* = pain borne in the coalition's optimum − Shapley cost share: a positive "
        "transfer is owed to the member.",
        "",
        markdown_table(
            table[
                [
                    "member", "name", "shapley_savings", "standard_error",
                    "share_of_savings_pct", "standalone_value", "shapley_cost",
                    "pain_in_coalition", "transfer_to_member", "gdp_share_pct",
                ]
            ],
            digits={"share_of_savings_pct": 1, "gdp_share_pct": 1, "standard_error": 4},
            headers={
                "shapley_savings": "savings share", "standard_error": "SE",
                "share_of_savings_pct": "% of savings", "standalone_value": "alone",
                "shapley_cost": "cost share", "pain_in_coalition": "pain borne",
                "transfer_to_member": "transfer", "gdp_share_pct": "GDP %",
            },
        ),
        "",
    ]  # fmt: skip


def _core_lines(result: ShapleyResult, core: pd.DataFrame) -> list[str]:
    """The core check: in the core or not, and the sub-coalitions that would gain most."""
    if core.empty:
        return ["No proper sub-coalition was evaluated."]
    best = core.iloc[0]
    scope = "all sub-coalitions" if result.method == "exact" else "the sub-coalitions evaluated"
    if result.in_core():
        verdict = (
            f"Among {scope}, none would gain by leaving together: the allocation is in the "
            f"core{'' if result.method == 'exact' else ' as far as checked'} (the closest: "
            f"`{best['sub_coalition']}`, gain {best['gain_by_leaving']:,.4g})."
        )
    else:
        verdict = (
            f"Not in the core: `{best['sub_coalition']}` would gain "
            f"{best['gain_by_leaving']:,.4g} by leaving together (charged "
            f"{best['charged_by_allocation']:,.4g}, alone {best['value_alone']:,.4g}). "
            f"Those who would gain most ({scope}):"
        )
    table = markdown_table(core.head(10), digits={"gdp_share_pct": 1, "gain_pct_of_charge": 1})
    return [verdict, "", table]
