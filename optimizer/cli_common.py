"""What every `burden` command shares: the app, consoles, options, loading, output folders.

Command modules (`optimizer/cli.py` and the `optimizer/commands/` modules) import from here, and
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

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Who pays for defence, raised how, buying what: burden-sharing optimisation.",
)
# Piped output (CI logs, files) gets a wide table instead of rich's 80-column default.
# emoji=False: rich would otherwise print `file.yaml:100: path` as `file.yaml💯 path`.
console = Console(width=None if sys.stdout.isatty() else 160, emoji=False)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160, emoji=False)
state: dict = {"debug": False, "instance": None}

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


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks.")] = False,
) -> None:
    state["debug"] = debug


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
    if instance.warnings:  # valid, but numbers that look like a slip (instance/sanity.py)
        text = InstanceError(path, list(instance.warnings)).render()
        for line in text.splitlines():
            err_console.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)
    return instance


@contextmanager
def status_line(out: Console) -> Iterator[None]:
    """On a terminal, one transient line while the block runs: a spinner, the stage it is in
    (announced through `optimizer.stages`) and the time since the block began. Elsewhere
    (pipes, logs, tests) nothing, so the output is what it was."""
    if not out.is_terminal:
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


def default_out(base: Path) -> Path:
    """A fresh folder for a run without --out, claimed for this run before it solves: `base`,
    else `base-2`, `base-3`, ... (`optimizer.results.paths.claim_default`). `base`'s name is
    made of slugs (`paths.folder_name`); it is slugged again here as a last defence."""
    from optimizer.results.paths import claim_default, safe_slug

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
