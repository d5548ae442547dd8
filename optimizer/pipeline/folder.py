"""Write one result folder: its tables, then its report, then its manifest.

`optimizer.results` writes the tables and never renders anything; the report (report.md,
report.html and their figures) is rendered here, between the tables and the manifest, because the
manifest lists the sha256 of every file the folder holds, the report's included.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from optimizer.results.extract import Result
from optimizer.results.manifest import RunClock, write_manifest
from optimizer.results.write import check_writable, replace_folder, staging_folder, write_tables
from optimizer.stages import stage


def write_files(result: Result, folder: Path, *, report: bool = True) -> None:
    """The spec's files of one result into an existing folder (`write_tables`) and, unless
    `report` is false, report.md, report.html and their plots."""
    write_tables(result, folder)
    if report:
        stage("writing the report: its figures")
        from optimizer.report.html import write_report  # matplotlib only when reporting

        write_report(result, folder)


def write_result(
    result: Result,
    out_dir: Path,
    *,
    force: bool = False,
    report: bool = True,
    manifest: dict | None = None,
    clock: RunClock | None = None,
) -> Path:
    """Write one result folder atomically: files go to a staging folder renamed into place.

    `manifest` (from `optimizer.results.manifest.build_manifest`): written last, as manifest.json
    with every file's sha256, and instance.yaml; `clock` (a `RunClock`) adds its timings.
    """
    out_dir = Path(out_dir)
    check_writable(out_dir, force)
    publish(out_dir, lambda staging: write_files(result, staging, report=report), manifest, clock)
    return out_dir


def publish(
    out_dir: Path,
    fill: Callable[[Path], None],
    manifest: dict | None = None,
    clock: RunClock | None = None,
) -> None:
    """Fill a staging folder beside `out_dir`, add manifest.json (and instance.yaml) last, and
    rename it into place in one step; on any failure, including Ctrl-C, the staging folder goes
    and `out_dir` is as it was. The caller has checked that `out_dir` may be written."""
    staging = staging_folder(out_dir)
    try:
        fill(staging)
        if manifest is not None:
            if clock is not None:
                clock.lap("write")
            write_manifest(staging, manifest, clock)
        replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
