"""`burden verify RESULT_DIR`: a result folder (or a compare or sweep folder) re-checked against
its instance (`optimizer.verify`); the checks each solve runs on what it wrote are
`optimizer.cli.checks`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from optimizer.cli.checks import print_report
from optimizer.cli.common import EXIT_ERROR, EXIT_INVALID, app, console, err_console
from optimizer.verify import VerifyError, verify_tree


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
