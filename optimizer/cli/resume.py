"""What the terminal says about a resumable multi-solve command (`burden compare`, `burden sweep`).

The work itself is `optimizer.pipeline.resume`: coalitions or points are solved into a hidden
work folder (`optimizer.results.sweep_folder.SweepFolder`), each renamed in when complete, so Ctrl-C
or SIGTERM loses at most those being solved, and `--resume` finishes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from optimizer.cli.common import EXIT_INVALID, check_out, console, err_console
from optimizer.instance import Instance
from optimizer.options import SolveOptions
from optimizer.pipeline.resume import read_done, solve_missing, sweep_finished
from optimizer.results.sweep_folder import SweepError, SweepFolder, sweep_key


def open_sweep(out_dir: Path, instance: Instance, names: list[str], options: SolveOptions,
               *, resume: bool, force: bool, extra: dict[str, Any] | None = None,
               ) -> SweepFolder:  # fmt: skip
    """The resumable work folder of a multi-solve command, or exit 2 saying why not (`out_dir`
    holds results and neither --force nor --resume; another sweep's work folder); with
    --resume, exit 0 when `out_dir` already holds this very sweep, finished. `extra`: what
    else identifies the sweep (see `sweep_key`)."""
    key = sweep_key(instance, names, options, extra)
    if resume and not force and sweep_finished(out_dir, key):
        console.print(f"already complete: {escape(str(out_dir))} (nothing to resume)")
        raise typer.Exit(0)
    check_out(out_dir, force)
    try:
        return SweepFolder(out_dir, key, resume=resume, force=force)
    except SweepError as exc:
        err_console.print(f"[red]error[/red]: {escape(str(exc))}")
        raise typer.Exit(EXIT_INVALID) from None


def solve_resumable(
    sweep: SweepFolder,
    instance: Instance,
    names: list[str],
    options: SolveOptions,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    report: bool = True,
    advance=None,
) -> list[Any]:
    """`burden compare`'s coalitions, solved into `sweep` so that an interruption loses nothing
    (`optimizer.pipeline.resume`); says how many were already solved, and on Ctrl-C what is kept.
    Returns the runs (`optimizer.analysis.coalitions.CoalitionRun`) in the order of `names`."""
    runs = read_done(sweep, names)
    if runs:
        err_console.print(f"resuming: {len(runs)} of {len(names)} coalitions already solved")
    try:
        solve_missing(sweep, instance, names, options, runs, workers=workers,
                      scheduler=scheduler, report=report, advance=advance)  # fmt: skip
    except KeyboardInterrupt:
        print_kept(sweep, len(runs), len(names), "coalitions")
        raise
    return [runs[n] for n in names]


def print_kept(sweep: SweepFolder, done: int, total: int, what: str) -> None:
    """What an interrupted multi-solve command kept, and how to finish it."""
    err_console.print(
        f"{done} of {total} {what} are kept in {escape(str(sweep.work))}: "
        "run the same command with --resume to finish"
    )
