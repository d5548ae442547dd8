"""`burden verify RESULT_DIR`, the checks every solve runs on what it wrote, resumable sweeps.

- After `burden solve` (`check_result`) and `burden compare` (`verify_folders`): each result
  folder is re-checked against every constraint of MODEL.md (`optimizer.verify`), HiGHS's
  numerical trouble is reported with its primal and dual infeasibility measures, and a MILP
  stopped by a limit says which plan it wrote and its gap.
- `burden compare [--resume]` (`open_sweep`, `solve_resumable`): coalitions are solved into a
  hidden work folder (`optimizer.results.sweep_folder.SweepFolder`), each renamed in when complete,
  so Ctrl-C or SIGTERM loses at most the coalitions being solved, and `--resume` finishes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from optimizer.cli.common import EXIT_ERROR, EXIT_INVALID, app, check_out, console, err_console
from optimizer.instance import Instance
from optimizer.options import SolveOptions
from optimizer.results.manifest import build_manifest, write_manifest
from optimizer.results.read import read_result
from optimizer.results.sweep_folder import SweepError, SweepFolder, sweep_key
from optimizer.stages import stage
from optimizer.verify import VerifyError, VerifyReport, verify_folder, verify_tree

#: Violations printed before "... and N more".
SHOWN = 20


def print_report(report: VerifyReport, out: Console) -> None:
    """One line when everything holds; else the violations, by constraint family."""
    if report.ok:
        out.print(escape(report.summary_line()), highlight=False)
        return
    out.print(f"[red]{escape(report.summary_line())}[/red]", highlight=False)
    for violation in report.violations[:SHOWN]:
        out.print(f"  {escape(str(violation))}", highlight=False, soft_wrap=True)
    if len(report.violations) > SHOWN:
        out.print(f"  ... and {len(report.violations) - SHOWN} more")


def _numerics_line(summary: dict[str, Any]) -> str | None:
    """A warning, in a planner's words, when HiGHS's plan is less accurate than its tolerances.

    Only for a plan: an infeasible model's last iterate misses constraints by construction (its
    "max primal infeasibility" is the shortfall the explanation already names), so printing it
    as numerical trouble would only alarm."""
    if summary.get("status") not in ("optimal", "time_limit"):
        return None
    numerics = (summary.get("solver") or {}).get("numerics") or {}
    if not numerics.get("trouble"):
        return None
    primal = numerics.get("max_primal_infeasibility")
    dual = numerics.get("max_dual_infeasibility")
    if primal is None and dual is None:  # no solution to measure: the status message says why
        return None
    parts = []
    if primal is not None and primal > 0:
        parts.append(f"the plan may miss a limit or target by up to {primal:.3g} (in that "
                     "constraint's unit: bn of money, % of GDP or units of capability)")  # fmt: skip
    if dual is not None and dual > 0:
        parts.append(f"its marginal pains may be off by up to {dual:.3g}")
    what = "; ".join(parts) or "HiGHS reported an error while solving"
    return (
        f"warning: the solver's answer is less accurate than usual: {what}. The verification "
        "below re-checks every constraint; numbers of very different sizes in the instance "
        "(e.g. a GDP of 1e5 next to a unit cost of 1e-5) are the usual cause."
    )


def check_result(result: Any, folder: Path, instance: Instance, out: Console) -> bool:
    """What `burden solve` prints after writing: numerics, the best plan of a stopped MILP, and
    the verification of the folder. False when the plan breaks a constraint."""
    summary = result.summary
    line = _numerics_line(summary)
    if line:
        out.print(line, highlight=False)
    best = summary.get("best_found")
    if best:
        out.print(
            f"stopped by a limit: the best plan found is written (objective "
            f"{best['objective']:.6g}, gap {best['mip_gap']:.3g}, bound {best['dual_bound']:.6g})",
            highlight=False,
        )
    stage("verifying the result folder against the instance")
    try:
        report = verify_folder(folder, instance)
    except VerifyError as exc:
        out.print(f"[red]verification failed[/red]: {escape(str(exc))}")
        return False
    print_report(report, out)
    return report.ok


def open_sweep(out_dir: Path, instance: Instance, names: list[str], options: SolveOptions,
               *, resume: bool, force: bool, extra: dict[str, Any] | None = None,
               ) -> SweepFolder:  # fmt: skip
    """The resumable work folder of a multi-solve command, or exit 2 saying why not (`out_dir`
    holds results and neither --force nor --resume; another sweep's work folder); with
    --resume, exit 0 when `out_dir` already holds this very sweep, finished. `extra`: what
    else identifies the sweep (see `sweep_key`)."""
    key = sweep_key(instance, names, options, extra)
    if resume and not force:
        try:
            manifest = json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
            finished = manifest.get("sweep") == json.loads(json.dumps(key, default=str))
        except (OSError, ValueError, AttributeError):
            finished = False
        if finished:
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
    """`burden compare`'s coalitions, solved into `sweep` so that an interruption loses nothing.

    Coalitions already in the work folder (a `--resume`) are read back; the others are solved
    `workers` at a time, each folder given its manifest and renamed in when complete. Returns
    the runs (`optimizer.analysis.coalitions.CoalitionRun`) in the order of `names`. With a
    Dask `scheduler`, the cluster solves and this process writes each folder as it arrives
    (a cluster's workers may not share this machine's disk).
    """
    import os
    import shutil

    from optimizer.analysis import coalitions as analysis
    from optimizer.solver.highs import SolveOutcome

    runs = {}
    for name in names:
        if sweep.is_done(name):
            result = read_result(sweep.folder(name))
            members = result.summary["members"] if result.status == "optimal" else []
            outcome = SolveOutcome(status=result.status)
            runs[name] = analysis.CoalitionRun(
                name, result, analysis.binding_limits(result, outcome, members)
            )
    if runs:
        err_console.print(f"resuming: {len(runs)} of {len(names)} coalitions already solved")
    todo = [n for n in names if n not in runs]
    batch = max(1, workers)
    staging = sweep.work / f".batch-{os.getpid()}"
    try:
        if scheduler is not None:
            _solve_on_cluster(sweep, instance, todo, options, scheduler, report, advance, runs)
            todo = []
        for i in range(0, len(todo), batch):
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            solved = analysis.solve_coalitions(
                instance, todo[i : i + batch], options, workers=workers, advance=advance,
                folder=staging, report=report, slugs=sweep.slugs,
            )  # fmt: skip
            for run in solved:
                built = staging / sweep.slug(run.name)
                write_manifest(built, _compare_manifest(instance, options, run))
                os.replace(built, sweep.folder(run.name))
                runs[run.name] = run
    except KeyboardInterrupt:
        print_kept(sweep, len(runs), len(names), "coalitions")
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [runs[n] for n in names]


def _compare_manifest(instance: Instance, options: SolveOptions, run: Any) -> dict[str, Any]:
    manifest = build_manifest(instance, command="compare", options=options, coalition=run.name)
    manifest["timings"] = {"solve": run.result.summary["solver"]["seconds"]}
    return manifest


def _solve_on_cluster(sweep: SweepFolder, instance: Instance, todo: list[str],
                      options: SolveOptions, scheduler: str, report: bool, advance,
                      runs: dict[str, Any]) -> None:  # fmt: skip
    from optimizer.analysis.coalitions import solve_one
    from optimizer.pipeline.folder import write_files
    from optimizer.pipeline.parallel import run_tasks

    def keep(i: int, run: Any) -> None:
        def write(folder: Path) -> None:
            write_files(run.result, folder, report=report)
            write_manifest(folder, _compare_manifest(instance, options, run))

        sweep.write_item(run.name, write)
        runs[run.name] = run

    run_tasks(
        solve_one,
        [(instance, name, options, None, report) for name in todo],
        scheduler=scheduler,
        on_result=keep,
        on_done=advance,
    )


def print_kept(sweep: SweepFolder, done: int, total: int, what: str) -> None:
    """What an interrupted multi-solve command kept, and how to finish it."""
    err_console.print(
        f"{done} of {total} {what} are kept in {escape(str(sweep.work))}: "
        "run the same command with --resume to finish"
    )


def verify_folders(out_dir: Path, names: list[str], instance: Instance, out: Console,
                   slugs: dict[str, str] | None = None) -> bool:  # fmt: skip
    """`burden verify` on each coalition folder of a comparison; one line unless one fails.
    `slugs`: each name's folder (default `unique_slugs(names)`, as `SweepFolder` names them)."""
    from optimizer.slugs import unique_slugs

    slugs = slugs or unique_slugs(names)
    checks, failed = 0, []
    for name in names:
        try:
            report = verify_folder(Path(out_dir) / slugs[name], instance)
        except VerifyError as exc:
            out.print(f"[red]verification failed[/red] for {escape(name)}: {escape(str(exc))}")
            failed.append(name)
            continue
        checks += report.checks
        if not report.ok:
            out.print(f"{escape(name)}: ", end="")
            print_report(report, out)
            failed.append(name)
    if not failed:
        out.print(f"verified: all {checks} checks passed in {len(names)} result folders")
    return not failed


@app.command()
def verify(
    result_dir: Annotated[Path, typer.Argument(help="A result folder written by burden solve.")],
    instance: Annotated[
        Path | None,
        typer.Option(
            "--instance",
            help="The instance file (default: the folder's instance.yaml, else the file named "
            "in summary.json).",
        ),
    ] = None,
) -> None:
    """Check a result folder against its instance: every constraint of the spec; exit 1 if any
    is violated or no manifest vouches for the files, 2 if the folder or the instance cannot be
    read. A compare or sweep folder: every result folder in it, and its table's rows."""
    try:
        report = verify_tree(result_dir, instance_file=instance)  # a multi-result folder too
    except VerifyError as exc:
        err_console.print(f"[red]cannot verify[/red] {escape(str(result_dir))}: {escape(str(exc))}")
        raise typer.Exit(EXIT_INVALID) from None
    for note in report.notes:
        console.print(escape(note), highlight=False)
    print_report(report, console)
    if not report.ok:
        raise typer.Exit(EXIT_ERROR)
