"""`burden members` (the price of exclusion) and `burden shapley` (savings allocated).

Both solve many sub-coalitions on one persistent model per process (optimizer/pipeline/runner.py),
show a progress bar with the time left, and write a result folder atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from optimizer.cli.common import (
    EXIT_INFEASIBLE,
    EXIT_INVALID,
    ForceOption,
    InstanceArg,
    MipGapOption,
    NoReportOption,
    OutOption,
    ScenarioOption,
    SchedulerOption,
    SetOption,
    TimeLimitOption,
    WorkersOption,
    app,
    check_out,
    console,
    default_out,
    err_console,
    load,
    solve_options,
)
from optimizer.instance.resolved import Instance
from optimizer.options import SHAPLEY_EXACT_LIMIT, SolveOptions
from optimizer.results.manifest import RunClock, build_manifest
from optimizer.slugs import folder_name

CoalitionOption = Annotated[
    str | None,
    typer.Option(
        "--coalition",
        help="Coalition to analyse (default: chosen with coalition_choice, else the default).",
    ),
]


def _members_of(inst: Instance, coalition: str | None, options: SolveOptions):
    from optimizer.analysis.members import CoalitionNotSolvedError
    from optimizer.pipeline.members import resolve_members
    from optimizer.pipeline.one import UnknownCoalitionError

    if coalition == "chosen" or (coalition is None and inst.choice is not None):
        err_console.print("solving coalition choice to find the members…")
    try:
        return resolve_members(inst, coalition, options)
    except UnknownCoalitionError as exc:
        err_console.print(f"[red]error[/red]: --coalition: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    except CoalitionNotSolvedError as exc:
        err_console.print(f"[red]no plan[/red]: {exc}")
        raise typer.Exit(EXIT_INFEASIBLE) from None


def _write(out_dir: Path, force: bool, write, manifest: dict, clock: RunClock) -> None:
    """Fill a staging folder, add manifest.json and instance.yaml, publish it in one rename."""
    from optimizer.pipeline.folder import publish

    check_out(out_dir, force)
    publish(out_dir, write, manifest, clock)


def _cell(value, digits: int = 3) -> str:
    if value is None or value != value:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


@app.command()
def members(
    instance: InstanceArg,
    coalition: CoalitionOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
    no_report: NoReportOption = False,
) -> None:
    """Price each member: re-solve the coalition without it; write members.csv.

    Per member: the objective without it, the change in the others' total pain, and whether
    the rest can still meet the targets (status). Exit 0 when written, 2 invalid input, 3 when
    the coalition itself has no plan.
    """
    from optimizer.analysis.members import CoalitionNotSolvedError
    from optimizer.pipeline.members import price_members
    from optimizer.pipeline.runner import progress_bar
    from optimizer.report.members import write_members

    clock = RunClock()
    inst = load(instance, sets, scenario)
    options = solve_options(time_limit, mip_gap)
    name, member_ids = _members_of(inst, coalition, options)
    out_dir = out or default_out(
        Path("burden-results") / folder_name(inst.name, scenario, name, "members")
    )
    check_out(out_dir, force)
    description = f"pricing the {len(member_ids)} members of {name}"
    with progress_bar(err_console, description, len(member_ids) + 1) as advance:
        try:
            result = price_members(
                inst,
                name,
                member_ids,
                options,
                workers=workers,
                scheduler=scheduler,
                progress=advance,
            )
        except CoalitionNotSolvedError as exc:
            err_console.print(f"[red]no plan[/red]: {exc}")
            raise typer.Exit(EXIT_INFEASIBLE) from None
    clock.lap("solve")
    tables = {}
    manifest = build_manifest(inst, command="members", options=options, clock=clock,
                              coalition=name, extra={"members": list(member_ids)})  # fmt: skip
    _write(out_dir, force, lambda folder: tables.update(m=write_members(folder, inst, result, report=not no_report)),
           manifest, clock)  # fmt: skip
    table = tables["m"].sort_values("others_pain_change", ascending=False, na_position="first")
    view = Table(
        title=escape(
            f"{inst.name} · {name}: objective {result.full.objective:,.4f} with every member"
        )
    )
    for header in ("left out", "status", "objective without", "others' pain Δ", "Δ %",
                   "most affected"):  # fmt: skip
        view.add_column(header, justify="left" if header in ("left out", "status") else "right")
    for row in table.itertuples():
        most = (
            f"{row.most_affected} {row.most_affected_change:+,.3f}"
            if isinstance(row.most_affected, str)
            else "–"
        )
        view.add_row(
            escape(str(row.member)),
            row.status,
            _cell(row.objective_without),
            _cell(row.others_pain_change),
            _cell(row.others_pain_change_pct, 1),
            escape(most),
        )
    console.print(view)
    written = "members.csv, members_matrix.csv" + ("" if no_report else ", members.md, members.png")
    console.print(f"results: {out_dir} ({written})")


@app.command(name="shapley")
def shapley_command(
    instance: InstanceArg,
    coalition: CoalitionOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
    no_report: NoReportOption = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the permutation sampling.")] = 0,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            help="Sampling stops when every standard error ≤ TOLERANCE × |savings|.",
            min=0,
        ),
    ] = 0.01,
    exact_limit: Annotated[
        int,
        typer.Option("--exact-limit", help="Exact enumeration up to this many members.", min=0),
    ] = SHAPLEY_EXACT_LIMIT,
    max_permutations: Annotated[
        int,
        typer.Option("--max-permutations", help="Sampling budget (permutations).", min=2),
    ] = 1000,
    penalty: Annotated[
        float | None,
        typer.Option(
            "--penalty",
            help="Penalty per unit of capability short in an infeasible sub-coalition "
            "(default: 10 × the dearest way to deliver a unit).",
            min=0,
        ),
    ] = None,
) -> None:
    """Allocate the coalition's savings by Shapley value; write shapley.csv.

    v(T) = least pain of sub-coalition T meeting the targets scaled by T's share of the
    coalition's base-year GDP; savings = Σ v({i}) − v(coalition). Exact up to --exact-limit
    members, else sampled permutations (--seed, --tolerance). Also a core check: the
    sub-coalition that would gain most by leaving together.
    """
    from optimizer.report.shapley import write_shapley

    clock = RunClock()
    inst = load(instance, sets, scenario)
    options = solve_options(time_limit, mip_gap)
    name, member_ids = _members_of(inst, coalition, options)
    out_dir = out or default_out(
        Path("burden-results") / folder_name(inst.name, scenario, name, "shapley")
    )
    check_out(out_dir, force)
    game = {"seed": seed, "tolerance": tolerance, "exact_limit": exact_limit,
            "max_permutations": max_permutations, "penalty": penalty}  # fmt: skip
    result = _play(inst, name, member_ids, options, game, workers=workers, scheduler=scheduler)
    clock.lap("solve")
    tables = {}
    manifest = build_manifest(inst, command="shapley", options=options, clock=clock,
                              coalition=name, extra={"members": list(member_ids), "game": game})  # fmt: skip
    _write(out_dir, force, lambda folder: tables.update(s=write_shapley(folder, inst, name, result, report=not no_report)),
           manifest, clock)  # fmt: skip
    _show_shapley(inst, name, result, tables["s"], max_permutations)
    written = "shapley.csv, shapley_core.csv" + ("" if no_report else ", shapley.md, shapley.png")
    console.print(f"results: {out_dir} ({written})")


def _play(inst: Instance, name: str, member_ids: tuple[str, ...], options: SolveOptions,
          game: dict, *, workers: int, scheduler: str | None):  # fmt: skip
    """The Shapley game's solves under a progress bar; exit 3 when a sub-coalition has no value."""
    from optimizer.analysis.shapley import GameError
    from optimizer.pipeline.runner import progress_bar
    from optimizer.pipeline.shapley import shapley

    n = len(member_ids)
    exact = n <= game["exact_limit"]
    total = (1 << n) - 1 if exact else None
    what = f"{total} sub-coalitions (exact)" if exact else "sampling permutations"
    with progress_bar(err_console, f"Shapley of {name}: {what}", total) as advance:
        try:
            return shapley(
                inst,
                member_ids,
                options,
                workers=workers,
                scheduler=scheduler,
                exact_limit=game["exact_limit"],
                seed=game["seed"],
                tolerance=game["tolerance"],
                max_permutations=game["max_permutations"],
                penalty=game["penalty"],
                progress=advance,
                progress_total=advance.set_total,
            )
        except GameError as exc:
            err_console.print(f"[red]no game[/red]: {exc}")
            raise typer.Exit(EXIT_INFEASIBLE) from None


def _show_shapley(inst: Instance, name: str, result, table, max_permutations: int) -> None:
    """The allocation as a table, then the core check, the penalised sub-coalitions and whether
    the sampling converged."""
    view = Table(
        title=escape(
            f"{inst.name} · {name}: savings {result.savings:,.4f} "
            f"({result.method}{'' if result.method == 'exact' else f', {result.permutations} perm.'})"
        )
    )
    for header in ("member", "savings share", "SE", "% of savings", "alone", "cost share",
                   "pain borne", "transfer"):  # fmt: skip
        view.add_column(header, justify="left" if header == "member" else "right")
    for row in table.itertuples():
        view.add_row(
            escape(str(row.member)),
            _cell(row.shapley_savings),
            _cell(row.standard_error, 4),
            _cell(row.share_of_savings_pct, 1),
            _cell(row.standalone_value),
            _cell(row.shapley_cost),
            _cell(row.pain_in_coalition),
            _cell(row.transfer_to_member),
        )
    console.print(view)
    summary = result.summary()
    best = summary["most_gaining_sub_coalition"]
    if best is not None:
        verdict = "in the core" if summary["in_core"] else "NOT in the core"
        console.print(
            f"core check ({summary['core_check_scope']}): {verdict}; most to gain by leaving: "
            f"{best['sub_coalition']} ({best['gain_by_leaving']:+,.4g})",
            markup=False,
        )
    if summary["penalised_sub_coalitions"]:
        console.print(
            f"{summary['penalised_sub_coalitions']} sub-coalition(s) cannot meet their scaled "
            f"targets: valued with shortfalls at {result.penalty:,.4g} per unit"
        )
    if not result.converged:
        console.print(
            f"[yellow]sampling did not reach the tolerance[/yellow] within "
            f"{max_permutations} permutations (max SE {summary['max_standard_error']:.4g})"
        )
