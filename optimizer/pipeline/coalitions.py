"""`burden compare`'s solves and its folder: several coalitions, coalition choice explained.

Each coalition is solved exactly as `burden solve --coalition NAME` does (in worker processes
with `workers`); with coalition choice, each candidate's membership is re-solved in turn
(`explain_choice`). The tables are pure functions of the runs (optimizer/analysis/coalitions.py);
the files, figures included (SVG text), are written by optimizer/report/comparison.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console

from optimizer.analysis.coalitions import (
    ChoiceReport,
    CoalitionRun,
    binding_limits,
    choice_pool,
    choice_report,
    choice_variants,
    comparison_tables,
)
from optimizer.instance.resolved import Instance
from optimizer.pipeline.one import CHOSEN, solve_coalition
from optimizer.pipeline.parallel import started_pool, stop_pool
from optimizer.pipeline.runner import SolverSpec, Variant, VariantRunner, progress_bar
from optimizer.report.comparison import write_comparison_report, write_figures, write_tables
from optimizer.results.manifest import RunClock, build_manifest, write_manifest
from optimizer.solver.highs import SolveOptions

__all__ = [
    "CoalitionRun",
    "choice_solves",
    "compare_coalitions",
    "explain_choice",
    "solve_coalitions",
    "solve_one",
    "write_comparison",
]


def solve_one(
    instance: Instance,
    name: str,
    options: SolveOptions,
    folder: Path | None = None,
    report: bool = True,
) -> CoalitionRun:
    """Solve one coalition exactly as `burden solve --coalition NAME` does.

    With `folder`: also write its result folder there as `burden solve` would (`report`: with
    report.md/html), in the process that solved it.
    """
    result = solve_coalition(instance, name, options)
    if folder is not None:
        from optimizer.pipeline.folder import write_files

        Path(folder).mkdir()
        write_files(result, Path(folder), report=report)
    return CoalitionRun(name, result, binding_limits(result))


def solve_coalitions(
    instance: Instance,
    names: Sequence[str],
    options: SolveOptions,
    *,
    workers: int = 1,
    advance: Callable[..., object] | None = None,
    folder: Path | None = None,
    report: bool = True,
    slugs: dict[str, str] | None = None,
    on_run: Callable[[CoalitionRun], object] | None = None,
) -> list[CoalitionRun]:
    """Solve each coalition (in `workers` processes); results in the order of `names`.

    With `folder`: each coalition's result folder is written to `folder / slug` by the process
    that solved it (`report`: with report.md/html); `slugs` maps a name to its folder's name
    (default `optimizer.results.paths.unique_slugs(names)`: a name is never used as a path).
    `on_run(run)` is called in this process as each run completes (in the order they finish), so
    a caller can keep each folder at once: an interruption loses only the solves in flight.

    In processes, `chosen` (a MILP, the longest solve by far) is sent first: sent in the
    order of `names` it came last and the other workers sat idle while it ran.
    """
    from optimizer.slugs import unique_slugs

    advance = advance or (lambda n=1, description=None: None)
    on_run = on_run or (lambda run: None)
    slugs = slugs or unique_slugs(list(names))

    def where(name: str) -> Path | None:
        return None if folder is None else Path(folder) / slugs[name]

    if workers <= 1 or len(names) <= 1:
        runs = []
        for name in names:
            advance(0, description=f"solving {name}")
            runs.append(solve_one(instance, name, options, where(name), report))
            on_run(runs[-1])
            advance(1)
        return runs
    pool = started_pool(min(workers, len(names)))
    advance(0)  # the bar starts once the worker processes exist (forked without its thread)
    order = sorted(range(len(names)), key=lambda i: names[i] != CHOSEN)
    try:
        futures = {
            pool.submit(solve_one, instance, names[i], options, where(names[i]), report): i
            for i in order
        }
        out: list[CoalitionRun | None] = [None] * len(names)
        for future in as_completed(futures):
            run = out[futures[future]] = future.result()
            on_run(run)
            advance(1)
    except BaseException:  # Ctrl-C, SIGTERM: stop the workers now, not after their solves
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return [run for run in out if run is not None]


# -- coalition choice explained ------------------------------------------------------------------
def choice_solves(instance: Instance) -> int:
    """How many solves `explain_choice` runs: the chosen coalition and one per candidate."""
    choice = instance.choice
    if choice is None:
        return 0
    return 1 + sum(c not in set(choice.forbidden) for c in choice.candidates)


def explain_choice(
    instance: Instance,
    chosen: CoalitionRun,
    options: SolveOptions,
    *,
    workers: int = 1,
    advance: Callable[..., object] | None = None,
) -> ChoiceReport:
    """Each candidate's membership cost against what it brings; the facility; the duals.

    Every chosen member is removed in turn and every left-out candidate added in turn (fixed
    coalitions on one persistent model, warm): `net_gain` is how much the objective (member
    costs included) worsens by that change, so ≥ 0 for every candidate when the choice is
    optimal. Under `max_pain` the objective compared is m* (member costs do not enter it).
    """
    members = tuple(chosen.result.summary["members"])
    variants = [Variant(m) for m in choice_variants(instance, members)]
    spec = SolverSpec(instance, choice_pool(instance), options)
    with VariantRunner(spec, workers) as runner:
        evaluations = runner.run(variants, advance=advance)
    return choice_report(instance, chosen, evaluations)


# -- the comparison folder -----------------------------------------------------------------------
def compare_coalitions(
    sweep: Any,
    instance: Instance,
    names: Sequence[str],
    options: SolveOptions,
    clock: RunClock,
    *,
    solve: Callable[[Callable[..., object]], list[CoalitionRun]],
    workers: int = 1,
    force: bool = False,
    console: Console | None = None,
) -> tuple[pd.DataFrame, ChoiceReport | None]:
    """`burden compare` once its arguments are checked: solve, explain the choice, write.

    `sweep` (`optimizer.results.sweep_folder.SweepFolder`): the output folder, resumable;
    `solve(advance)`: the runs of `names`, in their order, solved into `sweep` (the coalitions
    it holds already read back). The choice is explained when `chosen` has a plan; the
    comparison is written into the folder `sweep.finish` builds, with its manifest. Progress
    bars go to `console`. Returns comparison.csv's table and the choice explained (or None).
    """
    todo = sum(not sweep.is_done(n) for n in names)
    tables: dict[str, pd.DataFrame] = {}
    with progress_bar(console, "solving coalitions", todo) as advance:
        runs = solve(advance)
    choice = None
    chosen = next((r for r in runs if r.name == "chosen" and r.optimal), None)
    if chosen is not None:
        total = choice_solves(instance)
        with progress_bar(console, "explaining the choice", total) as advance:
            choice = explain_choice(instance, chosen, options, workers=workers, advance=advance)
    clock.lap("solve")

    def write(folder: Path) -> None:
        tables["comparison"] = write_comparison(folder, instance, runs, choice)
        manifest = build_manifest(
            instance,
            command="compare",
            options=options,
            clock=clock,
            extra={"sweep": sweep.key, "folders": sweep.slugs},  # each name's folder
        )
        write_manifest(folder, manifest, clock)

    sweep.finish(write, force=force)
    return tables["comparison"], choice


def write_comparison(
    folder: Path,
    instance: Instance,
    runs: Sequence[CoalitionRun],
    choice: ChoiceReport | None = None,
) -> pd.DataFrame:
    """Write comparison.csv and the rest of the report (optimizer/report/comparison.py), its
    figures included, into `folder`. Returns the comparison table."""
    folder = Path(folder)
    tables = comparison_tables(instance, runs)
    write_tables(folder, tables, choice)
    figures = write_figures(folder, instance, tables)
    write_comparison_report(folder, instance, tables, choice, figures)
    return tables.coalitions
