"""What every `burden` command shares: the app, consoles, options, loading, output folders.

Command modules (`optimizer/cli/entry.py` and the `optimizer/cli/commands/` modules) import from here, and
`optimizer.cli` registers them all on the one `app`. Command modules import the model, the
solver, pandas and matplotlib inside their commands, not at the top: every `burden` process
imports every command module, and `burden validate` or `--help` need none of them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from optimizer.cli.help import BurdenTyper
from optimizer.instance import Instance, InstanceError
from optimizer.instance.overrides import load_instance_with
from optimizer.options import SolveOptions

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_LIMIT = 0, 1, 2, 3, 4
STATUS_EXIT = {
    "optimal": EXIT_OK,
    "infeasible": EXIT_INFEASIBLE,
    "unbounded": EXIT_INFEASIBLE,
    "time_limit": EXIT_LIMIT,
}

app = BurdenTyper(
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    help="Who pays for defence, raised how, buying what: burden-sharing optimisation.",
)
# Piped output (CI logs, files) gets a wide table instead of rich's 80-column default.
# emoji=False: rich would otherwise print `file.yaml:100: path` as `file.yaml💯 path`.
console = Console(width=None if sys.stdout.isatty() else 160, emoji=False)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160, emoji=False)
state: dict = {"debug": False, "verbose": False, "instance": None}

InstanceArg = Annotated[
    Path, typer.Argument(help="Instance file (YAML).", exists=False, dir_okay=False)
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Result folder.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing result folder.")]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Seconds for each solve.", min=0)
]


def check_mip_gap(gap: float) -> float:
    """`--mip-gap` must be below 1: a relative gap of 1 (100 %) accepts any plan as optimal."""
    if not 0 <= gap < 1:
        err_console.print(
            f"[red]error[/red]: --mip-gap {gap:g}: must be at least 0 and below 1 "
            "(a relative gap; 1 would accept any plan)",
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)
    return gap


MipGapOption = Annotated[
    float,
    typer.Option(
        "--mip-gap",
        help="Relative MIP gap for coalition choice (0 ≤ gap < 1).",
        callback=check_mip_gap,
    ),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", help="Solve in N processes (same results as 1).", min=1)
]
#: `burden compare`'s: by default one process per coalition, as many as the CPUs allow.
CompareWorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Solve in N processes (same results as 1; default: one per coalition, at most the "
        "usable CPUs).",
        min=1,
    ),
]
#: Seconds `--scheduler`'s address has to answer before anything is loaded or solved.
SCHEDULER_PROBE_SECONDS = 3.0


def check_scheduler(address: str | None) -> str | None:
    """`--scheduler`: exit 2 at once, with one line, when the address is not one Dask can use
    (`tcp://host:port`, `host:port`, `tls://`, `ws://`, `wss://`, `inproc://`, `ucx://`) or
    nothing answers there; Dask itself would wait 30 s and then fail with exit 1."""
    if address is None:
        return None
    import socket
    from urllib.parse import urlsplit

    text = address.strip()
    scheme, _, rest = text.rpartition("://")
    scheme = scheme.lower() or "tcp"
    if scheme in ("inproc", "ucx"):  # in-process or UCX: nothing to probe over TCP
        return address
    problem = None
    host = port = None
    if scheme not in ("tcp", "tls", "ws", "wss"):
        problem = f"unknown protocol {scheme!r} (use tcp://host:port)"
    else:
        try:
            parts = urlsplit(f"//{rest}")
            host, port = parts.hostname, parts.port
        except ValueError:
            host = None
        if not host or port is None:
            problem = "not an address of the form tcp://host:port"
    if problem is None:
        try:
            with socket.create_connection((host, port), timeout=SCHEDULER_PROBE_SECONDS):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            problem = f"no scheduler answers at {host}:{port} ({reason})"
    if problem is not None:
        err_console.print(
            f"[red]error[/red]: --scheduler {escape(address)}: {escape(problem)}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INVALID)
    return address


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Run the solves on a Dask cluster: the scheduler's address (tcp://host:8786).",
        callback=check_scheduler,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a field before validation: PATH=VALUE (e.g. spending_floor_pct_gdp.2035=5,"
        " countries.ITA.debt_ceiling_pct_gdp=140); repeatable.",
    ),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option("--scenario", help="Apply a named scenario of the file's `scenarios:` first."),
]
ResumeOption = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Finish an interrupted run into the same --out: solve only what is missing.",
    ),
]
NoReportOption = Annotated[
    bool, typer.Option("--no-report", help="Skip report.md, report.html and their plots.")
]


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from optimizer.version import __version__

    def of(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:  # pragma: no cover - an install without it cannot solve
            return "not installed"

    print(f"burden {__version__} (Pyomo {of('pyomo')}, highspy {of('highspy')}, "
          f"Python {sys.version.split()[0]})")  # fmt: skip
    raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks.")] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing on stdout; errors and warnings still go to stderr."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Log each stage of a solve (building, compiling, HiGHS, writing) with its time.",
        ),
    ] = False,
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    if quiet and verbose:
        raise typer.BadParameter("give at most one of --quiet and --verbose", param_hint="-q/-v")
    state["debug"] = debug
    state["verbose"] = verbose
    # The exit code carries the outcome; -q silences what is printed for a person to read.
    console.quiet = quiet


def load(path: Path, sets: list[str] | None = None, scenario: str | None = None) -> Instance:
    """Load and validate an instance (after a scenario's and `--set` overrides, see
    `optimizer.instance.overrides`), or print every problem and exit 2."""
    state["instance"] = Path(path)  # `--force` never replaces the folder that holds it
    try:
        instance = load_instance_with(path, sets or (), scenario)
    except InstanceError as exc:
        err_console.print(f"[red]invalid instance[/red] ({len(exc.issues)} problem(s)):")
        err_console.print(exc.render(), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    print_warnings(path, instance.warnings)
    return instance


def warning_lines(path: Path, warnings) -> list[str]:
    """`file:line: field.path: message` of each warning (valid, but a number that looks like a
    slip: instance/sanity.py); an overridden value names its option instead of a line."""
    return InstanceError(path, list(warnings)).render().splitlines() if warnings else []


def print_warnings(path: Path, warnings, *, skip: set[str] | frozenset[str] = frozenset()) -> None:
    """Print each warning on stderr (except those in `skip`, already printed)."""
    for line in warning_lines(path, warnings):
        if line not in skip:
            err_console.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def status_line(out: Console) -> Iterator[None]:
    """On a terminal, one transient line while the block runs: a spinner, the stage it is in
    (announced through `optimizer.stages`) and the time since the block began. Elsewhere
    (pipes, logs, tests) nothing, so the output is what it was."""
    if state["verbose"]:  # one line per stage, also in logs and pipes
        yield from _stage_log(out)
        return
    if not out.is_terminal or console.quiet:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from optimizer.stages import listening

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=True, refresh_per_second=4) as progress:
        task = progress.add_task("reading the instance", total=None)

        def show(text: str) -> None:
            progress.update(task, description=escape(text), refresh=True)

        with listening(show):
            yield


def _stage_log(out: Console) -> Iterator[None]:
    """-v: each announced stage as a line `[  1.2 s] building the model ...` on stderr."""
    import time

    from optimizer.stages import listening

    start = time.perf_counter()

    def log(text: str) -> None:
        out.print(f"[{time.perf_counter() - start:7.1f} s] {text}", markup=False, highlight=False)

    with listening(log):
        yield


def default_out(base: Path) -> Path:
    """A fresh folder for a run without --out, claimed for this run before it solves: `base`,
    else `base-2`, `base-3`, ... (`optimizer.results.paths.claim_default`). `base`'s name is
    made of slugs (`slugs.folder_name`); it is slugged again here as a last defence."""
    from optimizer.results.paths import claim_default
    from optimizer.slugs import safe_slug

    base = Path(base)
    try:
        return claim_default(base.with_name(safe_slug(base.name, max_bytes=200)))
    except OSError as exc:  # `burden-results` is a file, or read-only
        err_console.print(
            f"[red]refusing to write[/red]: {escape(str(base.parent))}: {escape(str(exc))}; "
            "choose a folder with --out",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INVALID) from None


def solve_options(time_limit: float | None, mip_gap: float) -> SolveOptions:
    return SolveOptions(time_limit=time_limit, mip_gap=mip_gap)


def check_out(out_dir: Path, force: bool) -> None:
    """Refuse, with exit 2 and one line, an output folder this run may not write: another live
    run's, not a folder, the current folder, one holding other files, or (with `force`) one
    that is not a burden result or holds the instance file. Claims `out_dir` for this run."""
    from optimizer.results.paths import FolderBusyError, claim_explicit
    from optimizer.results.write import ResultExistsError, check_writable

    protected = tuple(p for p in (state.get("instance"),) if p is not None)
    try:
        check_writable(out_dir, force, protected)
        claim_explicit(out_dir)
    except ResultExistsError as exc:
        err_console.print(
            f"[red]refusing to write[/red]: {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(EXIT_INVALID) from None
    except FolderBusyError as exc:
        err_console.print(
            f"[red]refusing to write[/red]: {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:  # the lock file's folder cannot be made (a file in the way, ...)
        err_console.print(
            f"[red]refusing to write[/red]: {escape(str(out_dir))}: {escape(str(exc))}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INVALID) from None
