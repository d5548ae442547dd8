"""The points of `burden sweep`: each value's instance, its solve, its result folder.

The table of all points is `optimizer.analysis.sweep`; its plot, `optimizer.report.sweep`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from optimizer.instance.overrides import load_instance_with
from optimizer.instance.resolved import Instance
from optimizer.pipeline.one import solve_coalition
from optimizer.results.extract import Result
from optimizer.results.manifest import build_manifest, write_manifest
from optimizer.results.write import write_tables
from optimizer.solver.highs import SolveOptions
from optimizer.verify import VerifyError, verify_folder


def load_points(
    path: Path,
    param: str,
    values: list[str],
    *,
    sets: list[str] | tuple[str, ...] = (),
    scenario: str | None = None,
) -> list[Instance]:
    """Each point's instance: the file with the `--set`s, the scenario, then `PARAM=VALUE`.

    Raises:
        InstanceError: an override (base or swept value) is invalid. Every point is validated
            here, before the first solve.
    """
    return [
        load_instance_with(path, sets, scenario, labelled=[("--values", f"{param}={v}")])
        for v in values
    ]


@dataclass
class PointRun:
    """One solved point. `folder`: where the task wrote its result folder (None: not written);
    `checks` and `failure`: its verification there (`failure` empty when every check held)."""

    result: Result
    folder: Path | None = None
    checks: int = 0
    failure: str = ""


def solve_point(
    instance: Instance,
    coalition: str | None,
    options: SolveOptions,
    folder: Path | None = None,
    point: dict | None = None,
) -> PointRun:
    """One point of a sweep, exactly as `burden solve` (a task for `optimizer.pipeline.parallel`).

    With `folder` (a new folder's path on a disk this process shares with the caller): the
    result folder is also written there, with its manifest (`point`: the param and value), and
    verified, so that a local worker does that work rather than the process collecting results.

    Raises:
        UnknownCoalitionError: the coalition name is unknown.
    """
    result = solve_coalition(instance, coalition, options)
    if folder is None:
        return PointRun(result)
    folder = Path(folder)
    folder.mkdir()
    write_point(folder, instance, result, coalition, options, point or {})
    try:
        report = verify_folder(folder, instance)
    except VerifyError as exc:
        return PointRun(result, folder, 0, str(exc))
    failure = "" if report.ok else report.summary_line()
    return PointRun(result, folder, report.checks, failure)


def write_point(folder: Path, instance: Instance, result: Result, coalition: str | None,
                options: SolveOptions, point: dict) -> None:  # fmt: skip
    """A point's result folder (no report) with its manifest.json and instance.yaml."""
    manifest = build_manifest(instance, command="sweep", options=options, coalition=coalition,
                              extra={"sweep_point": point})  # fmt: skip
    manifest["timings"] = {"solve": result.summary.get("solver", {}).get("seconds")}
    write_tables(result, folder)
    write_manifest(folder, manifest)
