"""`burden sweep`: solve once per value of one field; sweep.csv and the price plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from optimizer.cli_common import (
    EXIT_INVALID,
    ForceOption,
    InstanceArg,
    MipGapOption,
    OutOption,
    ScenarioOption,
    SetOption,
    TimeLimitOption,
    app,
    check_out,
    console,
    default_out,
    err_console,
    load,
    solve_options,
)
from optimizer.solve import SolveOptions


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
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Solve one coalition once per value of one field: sweep.csv, sweep.png, a folder each.

    Each value is solved exactly as `burden solve INSTANCE --set PARAM=VALUE` (after the other
    `--set` and `--scenario` overrides); the folder of each value has no report.
    """
    import pandas as pd

    from optimizer.analysis.sweep import parse_values, plot_sweep, run_sweep
    from optimizer.instance import InstanceError
    from optimizer.instance.overrides import OverrideError, resolve_path, split_path
    from optimizer.results.write import replace_folder, staging_folder, write_tables
    from optimizer.run import UnknownCoalitionError

    inst = load(instance, sets, scenario)
    try:
        resolve_path(split_path(param), inst.document)
        points = parse_values(values)
    except (OverrideError, ValueError) as exc:
        err_console.print(f"[red]error[/red]: --param {param}: {exc}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    out_dir = (
        out
        if out is not None
        else default_out(Path("burden-results") / f"{inst.name}-sweep-{param.replace('.', '-')}")
    )
    check_out(out_dir, force)
    options = solve_options(time_limit, mip_gap)
    staging = staging_folder(out_dir)
    try:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task(f"sweeping {param}", total=len(points))

            def advance(value: str) -> None:
                progress.update(task, description=f"{param} = {value}")
                progress.advance(task)

            table, solved = run_sweep(instance, param, points, sets=sets or (),
                                      scenario=scenario, coalition=coalition, options=options,
                                      advance=advance)  # fmt: skip
        for i, point in enumerate(solved):
            safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in point.value)
            folder = staging / f"{i + 1:02d}-{safe}"[:80]
            folder.mkdir()
            write_tables(point.result, folder, report=False)
        table.to_csv(staging / "sweep.csv", index=False, na_rep="")
        (staging / "sweep.png").write_bytes(plot_sweep(table, param, inst.currency))
        replace_folder(staging, out_dir)
    except InstanceError as exc:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        err_console.print(f"[red]invalid value[/red] ({len(exc.issues)} problem(s)):")
        err_console.print(exc.render(), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    except UnknownCoalitionError as exc:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        err_console.print(f"[red]error[/red]: --coalition: {exc}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    shown = Table(title=f"Sweep of {param}")
    for column in ("value", "status", "objective", "total_pain", "shortfall_cost",
                   "spending_pct_gdp_last_year"):  # fmt: skip
        shown.add_column(column.replace("_", " "), justify="left" if column == "value" else "right")
    for row in table.itertuples():
        cells = []
        for column in ("value", "status", "objective", "total_pain", "shortfall_cost",
                       "spending_pct_gdp_last_year"):  # fmt: skip
            v = getattr(row, column, None)
            cells.append("–" if v is None or (isinstance(v, float) and pd.isna(v)) else
                         (f"{v:,.6g}" if isinstance(v, float) else str(v)))  # fmt: skip
        shown.add_row(*cells)
    console.print(shown)
    console.print(f"results: {out_dir} (sweep.csv, sweep.png)")
