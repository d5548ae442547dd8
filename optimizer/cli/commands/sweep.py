"""`burden sweep`: solve once per value of one field; sweep.csv and the price plot.

Each point's folder is written into a hidden work folder as soon as it is solved (with its own
manifest.json and instance.yaml), so Ctrl-C or SIGTERM loses at most the points being solved;
`--resume` solves only the missing ones (`optimizer.results.sweep_folder.SweepFolder`). Points run
in this process, in `--workers N` local processes or on a Dask cluster (`--scheduler`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from optimizer.cli.common import (
    EXIT_ERROR,
    EXIT_INVALID,
    ForceOption,
    InstanceArg,
    MipGapOption,
    OutOption,
    ResumeOption,
    ScenarioOption,
    SchedulerOption,
    SetOption,
    TimeLimitOption,
    WorkersOption,
    app,
    console,
    default_out,
    err_console,
    load,
    print_warnings,
    solve_options,
    warning_lines,
)
from optimizer.numbers import CSV_FLOAT
from optimizer.options import SolveOptions
from optimizer.slugs import folder_name

SHOWN_COLUMNS = ("value", "status", "objective", "total_pain", "shortfall_cost",
                 "spending_pct_gdp_last_year")  # fmt: skip


@app.command()
def sweep(
    instance: InstanceArg,
    param: Annotated[
        str,
        typer.Option(
            "--param",
            help="The field to sweep, as for --set (e.g. spending_floor_pct_gdp.2035).",
        ),
    ],
    values: Annotated[
        str,
        typer.Option(
            "--values",
            help="Comma-separated values (2,3.5,5), START:STOP:STEP, or a YAML list.",
        ),
    ],
    coalition: Annotated[
        str | None,
        typer.Option("--coalition", help="Coalition to solve (default: as for solve)."),
    ] = None,
    out: OutOption = None,
    force: ForceOption = False,
    resume: ResumeOption = False,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Solve one coalition once per value of one field: sweep.csv, sweep.png, a folder each.

    Each value is solved exactly as `burden solve INSTANCE --set PARAM=VALUE` (after the other
    `--set` and `--scenario` overrides); the folder of each value has no report. Interrupted,
    the same command with --resume solves only the values not yet written.
    """
    from optimizer.analysis.sweep import parse_values, point_names
    from optimizer.instance import InstanceError
    from optimizer.instance.overrides import OverrideError, resolve_path, split_path
    from optimizer.pipeline.one import coalition_names
    from optimizer.pipeline.sweep import load_points

    inst = load(instance, sets, scenario)
    try:
        resolve_path(split_path(param), inst.document)
        points = parse_values(values)
    except (OverrideError, ValueError) as exc:
        err_console.print(f"[red]error[/red]: --param {param}: {exc}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    if coalition is not None and coalition not in coalition_names(inst):
        err_console.print(
            f"[red]error[/red]: --coalition: unknown coalition {escape(repr(coalition))}; "
            f"the instance has: {escape(', '.join(coalition_names(inst)))}",
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)
    try:  # every point is validated before the first solve
        instances = load_points(instance, param, points, sets=sets or (), scenario=scenario)
    except InstanceError as exc:
        err_console.print(f"[red]invalid value[/red] ({len(exc.issues)} problem(s)):")
        err_console.print(exc.render(), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    shown = set(warning_lines(instance, inst.warnings))  # printed by load() already
    for point in instances:  # a swept value that looks like a slip (0.035 for 3.5 %)
        print_warnings(instance, point.warnings, skip=shown)
        shown.update(warning_lines(instance, point.warnings))
    out_dir = (
        out
        if out is not None
        else default_out(
            Path("burden-results") / folder_name(inst.name, "sweep", param.replace(".", "-"))
        )
    )
    options = solve_options(time_limit, mip_gap)
    names = point_names(points)
    table, checks, failures = _solve_points(
        out_dir, inst, instances, names, param, points, coalition, options,
        resume=resume, force=force, workers=workers, scheduler=scheduler,
    )  # fmt: skip
    _show(table, param, out_dir, names, checks, failures)


def _solve_points(out_dir, inst, instances, names, param, points, coalition, options, *,
                  resume, force, workers, scheduler):  # fmt: skip
    """Solve the points not yet in the work folder, write each as it arrives, then publish.

    Local workers write and verify their points' folders themselves (in the work folder, then
    renamed in here); the points of a Dask cluster, which may not share this disk, are written
    and verified in this process. Returns sweep.csv's table and the verification failures.
    """
    from optimizer.analysis.sweep import sweep_table
    from optimizer.cli.resume import open_sweep
    from optimizer.pipeline.sweep import write_point
    from optimizer.results.manifest import RunClock
    from optimizer.results.read import read_result
    from optimizer.verify import VerifyError, verify_folder

    clock = RunClock()
    extra = {"param": param, "values": points, "coalition": coalition}
    work = open_sweep(out_dir, inst, names, options, resume=resume, force=force, extra=extra)
    results = [read_result(work.folder(n)) if work.is_done(n) else None for n in names]
    todo = [i for i, result in enumerate(results) if result is None]
    checks, failures = [0], {}

    def verify(i: int) -> None:
        try:
            report = verify_folder(work.folder(names[i]), instances[i])
        except VerifyError as exc:
            failures[names[i]] = str(exc)
            return
        checks[0] += report.checks
        if not report.ok:
            failures[names[i]] = report.summary_line()

    if len(todo) < len(names):
        err_console.print(
            f"resuming: {len(names) - len(todo)} of {len(names)} values already solved"
        )
        for i in range(len(names)):
            if results[i] is not None:
                verify(i)

    def point(i: int) -> dict:
        return {"param": param, "value": points[i]}

    def keep(k: int, run) -> None:  # runs in this process as each point arrives
        i = todo[k]
        if run.folder is not None:  # written and verified by the worker
            work.adopt(names[i], run.folder)
            checks[0] += run.checks
            if run.failure:
                failures[names[i]] = run.failure
        else:
            work.write_item(names[i], lambda folder: write_point(
                folder, instances[i], run.result, coalition, options, point(i)))  # fmt: skip
            verify(i)
        results[i] = run.result

    local = scheduler is None and workers > 1 and len(todo) > 1
    tasks = [
        (instances[i], coalition, options, work.staging(names[i]) if local else None, point(i))
        for i in todo
    ]
    _run_points(work, param, tasks, results, keep, local=local, workers=workers,
                scheduler=scheduler)  # fmt: skip
    clock.lap("solve")
    table = sweep_table(param, points, results)
    _publish(work, table, inst, param, points, names, options, clock, force=force)
    return table, checks[0], failures


def _run_points(work, param: str, tasks: list[tuple], results: list, keep, *, local: bool,
                workers: int, scheduler: str | None) -> None:  # fmt: skip
    """The points' solves (`optimizer.pipeline.sweep.solve_point`) under a progress bar; on
    Ctrl-C, what the work folder keeps."""
    from optimizer.cli.resume import print_kept
    from optimizer.pipeline import sweep as points
    from optimizer.pipeline.parallel import run_tasks, started_pool, stop_pool
    from optimizer.pipeline.runner import progress_bar

    pool = started_pool(min(workers, len(tasks))) if local else None  # before the bar's thread
    try:
        with progress_bar(err_console, f"sweeping {param}", len(tasks)) as advance:
            run_tasks(points.solve_point, tasks, workers=workers, scheduler=scheduler, pool=pool,
                      on_result=keep, on_done=advance)  # fmt: skip
    except KeyboardInterrupt:
        print_kept(work, sum(r is not None for r in results), len(results), "values")
        raise
    finally:
        if pool is not None:
            stop_pool(pool)


def _publish(work, table, inst, param: str, points: list[str], names: list[str],
             options: SolveOptions, clock, *, force: bool) -> None:  # fmt: skip
    """sweep.csv, sweep.png and the sweep's manifest.json, then the work folder renamed in."""
    from optimizer.report.sweep import plot_sweep
    from optimizer.results.manifest import build_manifest, write_manifest

    def write_report(folder: Path) -> None:
        table.to_csv(folder / "sweep.csv", index=False, na_rep="", float_format=CSV_FLOAT)
        (folder / "sweep.png").write_bytes(plot_sweep(table, param, inst.currency))
        manifest = build_manifest(
            inst,
            command="sweep",
            options=options,
            clock=clock,
            extra={
                "sweep": work.key,
                "folders": dict(zip(points, map(work.slug, names), strict=True)),
            },
        )
        write_manifest(folder, manifest, clock)

    work.finish(write_report, force=force)


def _show(table, param, out_dir, names, checks: int, failures: dict[str, str]) -> None:
    """The table on the terminal, then what `burden verify` found in each point's folder."""
    import pandas as pd

    shown = Table(title=f"Sweep of {param}")
    for column in SHOWN_COLUMNS:
        shown.add_column(column.replace("_", " "), justify="left" if column == "value" else "right")
    for row in table.itertuples():
        cells = []
        for column in SHOWN_COLUMNS:
            v = getattr(row, column, None)
            cells.append("–" if v is None or (isinstance(v, float) and pd.isna(v)) else
                         (f"{v:,.6g}" if isinstance(v, float) else str(v)))  # fmt: skip
        shown.add_row(*cells)
    console.print(shown)
    console.print(f"results: {out_dir} (sweep.csv, sweep.png)")
    for name, failure in failures.items():
        err_console.print(f"[red]verification failed[/red] for {escape(name)}: {escape(failure)}")
    if failures:
        raise typer.Exit(EXIT_ERROR)
    err_console.print(f"verified: all {checks} checks passed in {len(names)} result folders")
