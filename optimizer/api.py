"""The Python API: `from optimizer import load, solve, compare`.

What `burden validate`, `burden solve` and `burden compare` do, for notebooks and scripts:
instances in, pandas DataFrames out (the same tables as the result files: `countries.csv` is
`result.countries`, `comparison.csv` is `comparison.coalitions`). Problems the command line
prints as warnings (a `_pct` value that looks like a fraction, a plan less accurate than the
solver's tolerances) are issued through Python's `warnings` module, so a notebook shows them
and `warnings.simplefilter("error")` turns them into exceptions. An invalid instance raises
`optimizer.instance.InstanceError` (its `issues` name each field, line and problem).

The module imports Pyomo, HiGHS and pandas only when a solve starts: `import optimizer` stays
as quick as the command line needs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.instance.errors import InstanceError
from optimizer.instance.resolved import Instance
from optimizer.options import SolveOptions

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.pipeline.coalitions import CoalitionRun
    from optimizer.results.extract import Result

__all__ = [
    "Comparison",
    "InstanceWarning",
    "SolverAccuracyWarning",
    "compare",
    "load",
    "solve",
]


class InstanceWarning(UserWarning):
    """A valid instance with a number that looks like a slip (`burden validate`'s warnings)."""


class SolverAccuracyWarning(UserWarning):
    """HiGHS's plan misses its own tolerances (the command line's accuracy warning)."""


def _assignments(overrides: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    """`{"countries.ITA.gdp": 2300}` or `["countries.ITA.gdp=2300"]` → `--set` texts."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        import json

        # JSON is YAML: the value reads back exactly as given (numbers, null, lists, maps)
        return [f"{path}={json.dumps(value)}" for path, value in overrides.items()]
    if isinstance(overrides, str):
        raise TypeError("overrides: give a mapping {path: value} or a list of 'PATH=VALUE'")
    return list(overrides)


def load(
    path: str | Path,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    scenario: str | None = None,
) -> Instance:
    """Read, override and validate an instance file, as `burden validate` does.

    `overrides`: `{dotted.path: value}` (or `"PATH=VALUE"` strings), applied after the named
    `scenario` of the file's `scenarios:`, exactly as `--set` and `--scenario`.

    Raises:
        InstanceError: the file is invalid or an override names no field (every issue at once).

    Warns:
        InstanceWarning: for each number that looks like a slip (e.g. 0.035 for 3.5 %).
    """
    return _load(path, overrides, scenario, stacklevel=3)


def _load(
    path: str | Path,
    overrides: Mapping[str, Any] | Iterable[str] | None,
    scenario: str | None,
    *,
    stacklevel: int,
) -> Instance:
    """`load`, its warnings attributed `stacklevel` frames up: to the caller's own line, whether
    it called `load` or `solve` (so a filter on the caller's module applies, not on ours)."""
    from optimizer.instance.overrides import load_instance_with

    labelled = [("overrides", text) for text in _assignments(overrides)]
    instance = load_instance_with(Path(path), (), scenario, labelled=labelled)
    for issue in instance.warnings:
        text = InstanceError(instance.file or Path(path), [issue]).render()
        warnings.warn(text, InstanceWarning, stacklevel=stacklevel)
    return instance


def _instance(
    instance: Instance | str | Path,
    overrides: Mapping[str, Any] | Iterable[str] | None,
    scenario: str | None,
) -> Instance:
    if isinstance(instance, Instance):
        if overrides or scenario:
            raise TypeError("overrides and scenario apply when loading: pass the file's path")
        return instance
    return _load(instance, overrides, scenario, stacklevel=4)  # caller → solve → here → _load


def _warn_accuracy(result: Result) -> None:
    from optimizer.report.terminal import numerics_line

    line = numerics_line(result.summary)
    if line:
        warnings.warn(line.removeprefix("warning: "), SolverAccuracyWarning, stacklevel=3)


def solve(
    instance: Instance | str | Path,
    coalition: str | None = None,
    *,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    scenario: str | None = None,
    time_limit: float | None = None,
    mip_gap: float = SolveOptions.mip_gap,
    out: str | Path | None = None,
    report: bool = True,
    force: bool = False,
) -> Result:
    """Solve one coalition, as `burden solve` does; returns its `Result`.

    `coalition`: a name of the instance's `coalitions`, or `chosen`; None: `chosen` when the
    instance has `coalition_choice`, else its default coalition.

    The result holds the result folder's tables as DataFrames: `summary` (summary.json's
    dict), `countries`, `procurement`, `capabilities`, `binding`, and in `tables` the others
    (`sensitivity`, `fairness`, ...); `status` is `optimal`, `infeasible`, `unbounded`,
    `time_limit` or `error` (an infeasible solve's explanation is in
    `texts["infeasibility.md"]` and `summary["infeasibility"]`). With `out`, the result folder
    is also written there (with `report=False`: without report.md, report.html and plots),
    never over an existing one unless `force`.

    Raises:
        InstanceError: the instance is invalid (a path) or an override names no field.
        optimizer.pipeline.one.UnknownCoalitionError: `coalition` is not a coalition of the instance.
    """
    from optimizer.pipeline.one import solve_coalition
    from optimizer.results.manifest import RunClock, build_manifest

    clock = RunClock()
    inst = _instance(instance, overrides, scenario)
    clock.lap("load")
    options = SolveOptions(time_limit=time_limit, mip_gap=mip_gap)
    result = solve_coalition(inst, coalition, options)
    clock.lap("solve")
    _warn_accuracy(result)
    if out is not None:
        from optimizer.pipeline.folder import write_result

        name = coalition or ("chosen" if inst.choice else inst.default_coalition)
        manifest = build_manifest(
            inst, command="solve", options=options, clock=clock, coalition=name
        )
        write_result(result, Path(out), force=force, report=report, manifest=manifest, clock=clock)
    return result


@dataclass
class Comparison:
    """Several coalitions solved side by side (`compare`): the tables of `burden compare`."""

    coalitions: pd.DataFrame
    """comparison.csv: one row per coalition (status, pain, spending, funding mix, targets)."""
    countries: pd.DataFrame
    """comparison_countries.csv: one row per coalition and member."""
    changes: pd.DataFrame
    """comparison_changes.csv: who pays more when members leave (each pair A ⊋ B)."""
    results: dict[str, Result] = field(default_factory=dict)
    """Each coalition's full `Result`, by name (as `solve` returns it)."""
    runs: list[CoalitionRun] = field(default_factory=list, repr=False)


def compare(
    instance: Instance | str | Path,
    coalitions: Sequence[str] | None = None,
    *,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    scenario: str | None = None,
    time_limit: float | None = None,
    mip_gap: float = SolveOptions.mip_gap,
    workers: int = 1,
) -> Comparison:
    """Solve several coalitions, as `burden compare` does (in memory: no folder is written).

    `coalitions`: names (default: every coalition of the instance, then `chosen` when it has
    `coalition_choice`). Every coalition gets a row, whatever its status; `workers` solves in
    that many processes with the same numbers as one. For the folders, the spreadsheet and the
    figures, run `burden compare`.

    Raises:
        InstanceError: the instance is invalid (a path) or an override names no field.
        optimizer.pipeline.one.UnknownCoalitionError: a name is not a coalition of the instance.
    """
    from optimizer.analysis.coalitions import changes_table, coalition_table, country_table
    from optimizer.pipeline.coalitions import solve_coalitions
    from optimizer.pipeline.one import UnknownCoalitionError, coalition_names

    inst = _instance(instance, overrides, scenario)
    known = coalition_names(inst)
    names = list(coalitions) if coalitions is not None else known
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise UnknownCoalitionError(
            f"unknown coalition(s) {', '.join(unknown) or '(none given)'}; "
            f"the instance has: {', '.join(known)}"
        )
    options = SolveOptions(time_limit=time_limit, mip_gap=mip_gap)
    runs = solve_coalitions(inst, names, options, workers=workers)
    for run in runs:
        _warn_accuracy(run.result)
    return Comparison(
        coalitions=coalition_table(inst, runs),
        countries=country_table(inst, runs),
        changes=changes_table(inst, runs),
        results={run.name: run.result for run in runs},
        runs=runs,
    )
