"""Resumable multi-solve commands: what is done, and the rest solved into the work folder.

`burden compare [--resume]`: coalitions are solved into a hidden work folder
(`optimizer.results.sweep_folder.SweepFolder`), each renamed in when complete, so Ctrl-C or SIGTERM
loses at most the coalitions being solved, and `--resume` finishes. What the terminal says
about it is `optimizer.cli.resume`.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from optimizer.analysis.coalitions import CoalitionRun, binding_limits
from optimizer.instance import Instance
from optimizer.options import SolveOptions
from optimizer.pipeline import coalitions
from optimizer.results.manifest import build_manifest, write_manifest
from optimizer.results.read import read_result
from optimizer.results.sweep_folder import SweepFolder


def sweep_finished(out_dir: Path, key: dict[str, Any]) -> bool:
    """True when `out_dir` holds the finished sweep identified by `key` (see `sweep_key`)."""
    try:
        manifest = json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
        return manifest.get("sweep") == json.loads(json.dumps(key, default=str))
    except (OSError, ValueError, AttributeError):
        return False


def read_done(sweep: SweepFolder, names: list[str]) -> dict[str, Any]:
    """The coalitions already in the work folder (a `--resume`), read back as runs
    (`optimizer.analysis.coalitions.CoalitionRun`) by name."""
    runs = {}
    for name in names:
        if sweep.is_done(name):
            result = read_result(sweep.folder(name))
            runs[name] = CoalitionRun(name, result, binding_limits(result))
    return runs


def solve_missing(
    sweep: SweepFolder,
    instance: Instance,
    names: list[str],
    options: SolveOptions,
    runs: dict[str, Any],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    report: bool = True,
    advance: Callable[..., object] | None = None,
) -> None:
    """`burden compare`'s coalitions not in `runs`, solved into `sweep`; each run is added to
    `runs` as its folder is renamed in (so an interruption leaves `runs` as what is kept).

    The coalitions are solved `workers` at a time, each folder given its manifest and renamed in
    when complete. With a Dask `scheduler`, the cluster solves and this process writes each
    folder as it arrives (a cluster's workers may not share this machine's disk).
    """
    todo = [n for n in names if n not in runs]
    staging = sweep.work / f".batch-{os.getpid()}"

    def keep(run: Any) -> None:
        built = staging / sweep.slug(run.name)
        write_manifest(built, _compare_manifest(instance, options, run))
        os.replace(built, sweep.folder(run.name))
        runs[run.name] = run

    try:
        if scheduler is not None:
            _solve_on_cluster(sweep, instance, todo, options, scheduler, report, advance, runs)
            todo = []
        if todo:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            coalitions.solve_coalitions(
                instance, todo, options, workers=workers, advance=advance, folder=staging,
                report=report, slugs=sweep.slugs, on_run=keep,
            )  # fmt: skip
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _compare_manifest(instance: Instance, options: SolveOptions, run: Any) -> dict[str, Any]:
    manifest = build_manifest(instance, command="compare", options=options, coalition=run.name)
    manifest["timings"] = {"solve": run.result.summary["solver"]["seconds"]}
    return manifest


def _solve_on_cluster(sweep: SweepFolder, instance: Instance, todo: list[str],
                      options: SolveOptions, scheduler: str, report: bool, advance,
                      runs: dict[str, Any]) -> None:  # fmt: skip
    from optimizer.pipeline.folder import write_files
    from optimizer.pipeline.parallel import run_tasks

    def keep(i: int, run: Any) -> None:
        def write(folder: Path) -> None:
            write_files(run.result, folder, report=report)
            write_manifest(folder, _compare_manifest(instance, options, run))

        sweep.write_item(run.name, write)
        runs[run.name] = run

    run_tasks(
        coalitions.solve_one,
        [(instance, name, options, None, report) for name in todo],
        scheduler=scheduler,
        on_result=keep,
        on_done=advance,
    )
