"""Real instances from the project's data: `burden build-nato` and `burden facts`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.common import EXIT_INVALID, InstanceArg, app, console, err_console, load


@app.command("build-nato")
def build_nato(
    csv: Annotated[
        Path, typer.Argument(help="The sourced country table (shipped in the repository).")
    ] = Path("data/countries.csv"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the instance files.")] = Path(
        "instances"
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Generate nato-2035.yaml and the brussels-2025 instances from the sourced data."""
    from burden_data.nato import build_nato_instances

    if not csv.is_file():
        hint = (
            " (run from the repository's root, or give the CSV's path)"
            if not csv.is_absolute()
            else ""
        )
        err_console.print(f"[red]error[/red]: {csv}: no such file{hint}", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    try:
        written = build_nato_instances(csv, out, force=force)
    except FileExistsError as exc:
        err_console.print(f"[red]refusing to overwrite[/red]: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    for path in written:
        console.print(f"wrote {path}")


@app.command("build-hague")
def build_hague(
    data: Annotated[
        Path, typer.Argument(help="The data folder (countries.csv and 2025/), e.g. data.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the instance file.")] = Path(
        "instances"
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Generate hague-2035.yaml (2025 baseline, SAFE, capability needs) from the sourced data."""
    from burden_data.hague import DataError, build_hague_instance

    if not (data / "countries.csv").is_file() or not (data / "2025").is_dir():
        err_console.print(f"[red]error[/red]: {data}: needs countries.csv and 2025/")
        raise typer.Exit(EXIT_INVALID)
    try:
        written = build_hague_instance(data, out, force=force)
    except FileExistsError as exc:
        err_console.print(f"[red]refusing to overwrite[/red]: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    except DataError as exc:
        err_console.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    console.print(f"wrote {written}")


@app.command()
def facts(instance: InstanceArg) -> None:
    """Facts reproduced from an instance's own data (allies at 2 %, Germany's 5 %, ...)."""
    from burden_data.facts import (
        base_year_facts,
        facts_2025,
        format_facts,
        format_facts_2025,
        level_prices,
    )

    inst = load(instance)
    console.print(format_facts(base_year_facts(inst)), markup=False, highlight=False)
    extra = facts_2025(inst)
    if extra is not None:
        console.print(format_facts_2025(extra), markup=False, highlight=False)
    try:
        prices = level_prices(inst)
    except ValueError:
        return  # not a separable (Brussels-style) instance: no per-country price table
    console.print(f"price of the level: total pain {prices['objective']:.3f}", highlight=False)
