"""`burden explain`: why an instance has no plan (or, when it has one, what binds)."""

from __future__ import annotations

from typing import Annotated

import typer

from optimizer.cli.common import (
    EXIT_INFEASIBLE,
    EXIT_INVALID,
    EXIT_OK,
    InstanceArg,
    MipGapOption,
    ScenarioOption,
    SetOption,
    TimeLimitOption,
    app,
    console,
    err_console,
    load,
    solve_options,
)
from optimizer.options import SolveOptions


@app.command()
def explain(
    instance: InstanceArg,
    coalition: Annotated[
        str | None,
        typer.Option("--coalition", help="Coalition to explain (default: as for solve)."),
    ] = None,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = SolveOptions.mip_gap,
    sets: SetOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Explain in domain words why a coalition has no plan; exit 3 if it has none, 0 if it has.

    Infeasibility: pre-solve checks (funding capacity against floors and ramps, the most the
    coalition can deliver against each target, programme eligibility), HiGHS's irreducible
    infeasible subset mapped to named constraints, and the smallest shortfall of each floor and
    target that makes a plan possible. A feasible coalition: what binds, and fairness.
    """
    from optimizer.pipeline.diagnose import diagnose
    from optimizer.report.explain import explanation_lines

    inst = load(instance, sets, scenario)
    options = solve_options(time_limit, mip_gap)
    try:
        diagnosis = diagnose(inst, coalition, options)
    except KeyError as exc:
        err_console.print(f"[red]error[/red]: --coalition: {exc.args[0]}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    if diagnosis.infeasible:
        # explain writes no file: the full list is in the infeasibility.md of `burden solve`
        rest = "`burden solve` writes every one to infeasibility.md"
        for line in diagnosis.lines(rest_in=rest):
            console.print(line, markup=False, highlight=False)
        raise typer.Exit(EXIT_INFEASIBLE)
    if diagnosis.status != "feasible":
        for line in diagnosis.lines():
            console.print(line, markup=False, highlight=False)
        raise typer.Exit(1)
    from optimizer.pipeline.one import solve_coalition

    result = solve_coalition(inst, coalition, options)
    console.print(
        f"{inst.name} · coalition {diagnosis.coalition}: feasible "
        f"(status {result.status}, objective {result.summary['objective']})",
        markup=False,
        highlight=False,
    )
    for line in explanation_lines(result):
        console.print(line, markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
