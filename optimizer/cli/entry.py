"""The `burden` command line: parse arguments, call one function, print, choose the exit code.

Exit codes (MODEL.md, "Command line"): 0 optimal, 1 any other error, 2 invalid input,
3 infeasible or unbounded, 4 stopped by a limit.
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

import optimizer.cli.commands  # noqa: F401  (registers the commands of optimizer/cli/commands/)
from optimizer.cli.common import (
    EXIT_ERROR,
    EXIT_INVALID,
    EXIT_OK,
    STATUS_EXIT,
    CompareWorkersOption,
    ForceOption,
    InstanceArg,
    MipGapOption,
    NoReportOption,
    OutOption,
    ResumeOption,
    ScenarioOption,
    SchedulerOption,
    SetOption,
    TimeLimitOption,
    app,
    check_out,
    console,
    default_out,
    err_console,
    load,
    solve_options,
    state,
    status_line,
)
from optimizer.instance import Instance
from optimizer.options import SolveOptions
from optimizer.process import exit_now
from optimizer.signals import release_signals
from optimizer.slugs import folder_name


@app.command()
def validate(
    instance: InstanceArg,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Treat warnings (numbers that look like a slip) as errors."),
    ] = False,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Check an instance file; exit 2 naming every bad field by its path."""
    from optimizer.pipeline.one import coalition_names

    inst = load(instance, sets, scenario)
    if strict and inst.warnings:
        err_console.print(
            f"[red]invalid under --strict[/red]: {len(inst.warnings)} warning(s) above",
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)
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
    sets: SetOption = None,
    scenario: ScenarioOption = None,
    no_report: NoReportOption = False,
) -> None:
    """Solve one coalition and write its result folder (with report.md and report.html)."""
    from optimizer.cli.checks import check_result
    from optimizer.pipeline.folder import write_result
    from optimizer.pipeline.one import UnknownCoalitionError, solve_coalition
    from optimizer.report.explain import print_explanation
    from optimizer.report.terminal import print_summary
    from optimizer.results.manifest import RunClock, build_manifest

    clock = RunClock()
    with status_line(err_console):  # a large instance takes minutes: say where it is
        inst = load(instance, sets, scenario)
        clock.lap("load")
        name = coalition or ("chosen" if inst.choice else inst.default_coalition)
        stem = folder_name(inst.name, scenario, name)  # names are data: slugs, never paths
        out_dir = out if out is not None else default_out(Path("burden-results") / stem)
        check_out(out_dir, force)
        options = solve_options(time_limit, mip_gap)
        try:
            result = solve_coalition(inst, coalition, options)
        except UnknownCoalitionError as exc:
            err_console.print(f"[red]error[/red]: --coalition: {escape(str(exc))}")
            raise typer.Exit(EXIT_INVALID) from None
        clock.lap("solve")
        manifest = build_manifest(
            inst, command="solve", options=options, clock=clock, coalition=name
        )
        write_result(
            result, out_dir, force=force, report=not no_report, manifest=manifest, clock=clock
        )
    print_summary(result, console)
    print_explanation(result, console)  # what binds; why there is no plan
    console.print(f"results: {escape(str(out_dir))}")
    with status_line(err_console):
        verified = check_result(result, out_dir, inst, err_console)  # `burden verify`, numerics
    raise typer.Exit(STATUS_EXIT.get(result.status, EXIT_ERROR) if verified else EXIT_ERROR)


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
    workers: CompareWorkersOption = None,
    scheduler: SchedulerOption = None,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
    no_report: NoReportOption = False,
    resume: ResumeOption = False,
) -> None:
    """Solve several coalitions; write each result folder and the comparison report.

    comparison.csv, comparison_countries.csv, comparison.md, comparison.xlsx and figures (see
    optimizer/report/comparison.py); with coalition choice also choice.csv (why each candidate
    is in or out) and choice_duals.csv.
    """
    from optimizer.cli.checks import verify_folders
    from optimizer.cli.resume import open_sweep, solve_resumable
    from optimizer.pipeline.coalitions import compare_coalitions
    from optimizer.pipeline.parallel import usable_cpus
    from optimizer.report.terminal import print_comparison
    from optimizer.results.manifest import RunClock

    inst = load(instance, sets, scenario)
    names = _coalitions_asked(inst, coalitions)
    # the coalitions are independent solves: a planner's machine has the cores (issue 16)
    workers = workers or min(len(names), usable_cpus())
    out_dir = (
        out
        if out is not None
        else default_out(Path("burden-results") / folder_name(inst.name, "compare"))
    )
    options = solve_options(time_limit, mip_gap)
    clock = RunClock()
    # Each coalition's folder is renamed into a hidden work folder when complete; interrupted,
    # the work folder stays and `--resume` solves only what is missing (pipeline/resume.py).
    sweep = open_sweep(
        out_dir, inst, names, options, resume=resume, force=force, extra={"report": not no_report}
    )  # check_out too; --resume: same options

    def solve(advance):
        return solve_resumable(sweep, inst, names, options, workers=workers,
                               scheduler=scheduler, report=not no_report, advance=advance)  # fmt: skip

    table, choice = compare_coalitions(sweep, inst, names, options, clock, solve=solve,
                                       workers=workers, force=force, console=err_console)  # fmt: skip
    print_comparison(table, console)
    for line in choice.lines if choice is not None else ():
        console.print(line, markup=False)
    console.print(f"results: {escape(str(out_dir))} (comparison.md, comparison.xlsx, figures)")
    if not verify_folders(out_dir, names, inst, err_console, sweep.slugs):
        raise typer.Exit(EXIT_ERROR)


def _coalitions_asked(inst: Instance, coalitions: str | None) -> list[str]:
    """`--coalitions` as names (default: every coalition, plus chosen); an unknown or repeated
    name exits with EXIT_INVALID."""
    from optimizer.pipeline.one import coalition_names

    known = coalition_names(inst)
    names = [n.strip() for n in coalitions.split(",") if n.strip()] if coalitions else known
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        err_console.print(
            f"[red]error[/red]: --coalitions: unknown coalition(s) {', '.join(unknown) or '(none)'}"
            f"; the instance has: {', '.join(known)}"
        )
        raise typer.Exit(EXIT_INVALID)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:  # one folder per coalition: a name twice would be solved twice into one
        err_console.print(
            f"[red]error[/red]: --coalitions: {escape(', '.join(repeated))} listed more than once",
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)
    return names


#: Signals received during this run (`_terminate`); the first one decides the exit code.
_signals_received: list[int] = []
_HANDLED = ("SIGINT", "SIGTERM", "SIGHUP")


def _terminate(signum, _frame) -> None:
    """Ctrl-C, SIGTERM and SIGHUP unwind the run (staging folders are removed on the way out);
    a further signal while unwinding is ignored, so the clean-up itself is not cut short."""
    _signals_received.append(signum)
    if len(_signals_received) == 1:
        raise KeyboardInterrupt


def _interrupted() -> NoReturn:
    signum = _signals_received[0] if _signals_received else signal.SIGINT
    err_console.print("interrupted: no partial result folder was left")
    # CPython remembers a KeyboardInterrupt that left a string `exec` (as a dataclass or a
    # namedtuple is built, during an import) even once it was caught, and `python -m` then
    # exits by SIGINT whatever sys.exit says: SIGTERM exited as -2 in ~1 of 40 early kills.
    # A string exec that completes clears that flag.
    exec("pass", {})
    sys.exit(128 + int(signum))


def _install_handlers() -> dict:
    """Route the interrupting signals to `_terminate`; returns the previous handlers."""
    previous = {}
    for name in _HANDLED:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, _terminate)
        except ValueError:  # not the main thread (burden called from a worker thread)
            pass
    return previous


def script(held: object | None = None) -> NoReturn:
    """`optimizer.cli.script`'s second half: `main`, then the exit without the interpreter's
    teardown (`optimizer.process.exit_now`: 0.25-0.3 s after a NATO-size solve). Tests call
    `main`, which raises SystemExit as usual."""
    try:
        main(held)
    except SystemExit as exc:
        exit_now(exc.code)
    exit_now(EXIT_OK)


def main(held: object | None = None) -> None:
    """Run the command line: map failures to exit codes, no traceback by default.

    `held`: the signal mask from before `optimizer.cli.script` held the interrupting signals,
    restored once the handlers are in place (a signal that came meanwhile is handled then)."""
    _signals_received.clear()
    previous = _install_handlers()
    try:
        _run(held)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(held: object | None = None) -> None:
    try:
        release_signals(held)  # inside the try: a held Ctrl-C is an interrupt like any other
        code = app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _interrupted()
    except RecursionError:
        err_console.print("[red]error[/red]: the input is nested too deeply")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # the last frame only, unless --debug
        if _signals_received:  # an interrupt that C code turned into another error (an
            _interrupted()  # import's "initialization failed"): still an interrupt
        # Click's exceptions (vendored by typer ≥ 0.20 as typer._click): duck-typed.
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, typer.Abort) or type(exc).__name__ == "Abort":
            _interrupted()
        if state["debug"]:
            traceback.print_exc()
        else:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            err_console.print(
                f"[red]error[/red]: {type(exc).__name__}: {escape(str(exc))} "
                f"(at {Path(frame.filename).name}:{frame.lineno}; --debug for the traceback)",
                highlight=False,
            )
        sys.exit(EXIT_ERROR)
    if _signals_received or code == 130:  # typer turns KeyboardInterrupt into exit code 130
        _interrupted()
    sys.exit(code if isinstance(code, int) else EXIT_OK)
