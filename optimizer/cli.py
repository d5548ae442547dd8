"""The `burden` command line: parse arguments, call one function, print, choose the exit code.

Exit codes (MODEL.md, "Command line"): 0 optimal, 1 any other error, 2 invalid input,
3 infeasible or unbounded, 4 stopped by a limit.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

import optimizer.commands  # noqa: F401  (registers the commands of optimizer/commands/)
from optimizer.cli_common import (
    EXIT_ERROR,
    EXIT_INVALID,
    EXIT_OK,
    STATUS_EXIT,
    ForceOption,
    InstanceArg,
    MipGapOption,
    OutOption,
    TimeLimitOption,
    app,
    check_out,
    console,
    default_out,
    err_console,
    load,
    solve_options,
    state,
)
from optimizer.report import comparison_row, print_comparison, print_summary
from optimizer.results.write import (
    replace_folder,
    staging_folder,
    write_result,
    write_tables,
)
from optimizer.run import UnknownCoalitionError, coalition_names, solve_coalition
from optimizer.solve import SolveOptions


@app.command()
def validate(instance: InstanceArg) -> None:
    """Check an instance file; exit 2 naming every bad field by its path."""
    inst = load(instance)
    console.print(
        f"[green]valid[/green]: {instance} · {len(inst.countries)} countries, "
        f"{len(inst.capabilities)} areas, {len(inst.programmes)} joint programmes, "
        f"coalitions: {', '.join(coalition_names(inst))}"
    )


@app.command()
def solve(
    instance: InstanceArg,
    coalition: Annotated[
        str | None,
        typer.Option("--coalition", help="Coalition to solve (default: choice, else the default)."),
    ] = None,
    out: OutOption = None,
    force: ForceOption = False,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
) -> None:
    """Solve one coalition and write its result folder."""
    inst = load(instance)
    name = coalition or ("chosen" if inst.choice else inst.default_coalition)
    out_dir = (
        out if out is not None else default_out(Path("burden-results") / f"{inst.name}-{name}")
    )
    check_out(out_dir, force)
    try:
        result = solve_coalition(inst, coalition, solve_options(time_limit, mip_gap))
    except UnknownCoalitionError as exc:
        err_console.print(f"[red]error[/red]: --coalition: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    write_result(result, out_dir, force=force)
    print_summary(result, console)
    console.print(f"results: {out_dir}")
    raise typer.Exit(STATUS_EXIT.get(result.status, EXIT_ERROR))


@app.command()
def compare(
    instance: InstanceArg,
    coalitions: Annotated[
        str | None,
        typer.Option("--coalitions", help="Comma-separated names (default: all, plus chosen)."),
    ] = None,
    out: OutOption = None,
    force: ForceOption = False,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
) -> None:
    """Solve several coalitions; write each result folder and comparison.csv."""
    inst = load(instance)
    known = coalition_names(inst)
    names = [n.strip() for n in coalitions.split(",") if n.strip()] if coalitions else known
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        err_console.print(
            f"[red]error[/red]: --coalitions: unknown coalition(s) {', '.join(unknown) or '(none)'}"
            f"; the instance has: {', '.join(known)}"
        )
        raise typer.Exit(EXIT_INVALID)
    out_dir = (
        out if out is not None else default_out(Path("burden-results") / f"{inst.name}-compare")
    )
    check_out(out_dir, force)
    options = solve_options(time_limit, mip_gap)
    staging = staging_folder(out_dir)
    rows = []
    try:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task("solving coalitions", total=len(names))
            for name in names:
                progress.update(task, description=f"solving {name}")
                result = solve_coalition(inst, name, options)
                folder = staging / name
                folder.mkdir()
                write_tables(result, folder)
                rows.append(comparison_row(result))
                progress.advance(task)
        table = pd.DataFrame(rows)
        table.to_csv(staging / "comparison.csv", index=False, na_rep="")
        replace_folder(staging, out_dir)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    print_comparison(table, console)
    console.print(f"results: {out_dir}")


def main() -> None:
    """Entry point of the `burden` script: map failures to exit codes, no traceback by default."""
    try:
        code = app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # the last frame only, unless --debug
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        if state["debug"]:
            traceback.print_exc()
        else:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            err_console.print(
                f"[red]error[/red]: {type(exc).__name__}: {exc} "
                f"(at {Path(frame.filename).name}:{frame.lineno}; --debug for the traceback)",
                highlight=False,
            )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
