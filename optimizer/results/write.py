"""Write result folders: complete or not at all, never over an earlier result without `force`."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from optimizer.results.extract import Result


class ResultExistsError(Exception):
    """The output folder already holds files and overwriting was not asked for."""


def check_writable(out_dir: Path, force: bool) -> None:
    """Refuse early, before solving, when `out_dir` holds files and `force` is off."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ResultExistsError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise ResultExistsError(
            f"{out_dir} already holds results; choose another --out or pass --force to replace it"
        )


def write_json(path: Path, data: object) -> None:
    """JSON with a trailing newline, keys in insertion order."""
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_tables(result: Result, folder: Path) -> None:
    """The spec's files of one result into an existing folder."""
    write_json(folder / "summary.json", result.summary)
    result.countries.to_csv(folder / "countries.csv", index=False, na_rep="")
    result.procurement.to_csv(folder / "procurement.csv", index=False, na_rep="")
    result.capabilities.to_csv(folder / "capabilities.csv", index=False, na_rep="")
    if len(result.binding.columns):
        result.binding.to_csv(folder / "binding.csv", index=False, na_rep="")


def replace_folder(staging: Path, out_dir: Path) -> None:
    """Move a complete staging folder to `out_dir`, replacing what is there in one rename."""
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.replace(out_dir, old / out_dir.name)
        os.replace(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def staging_folder(out_dir: Path) -> Path:
    """A fresh hidden folder beside `out_dir` (same file system, so the final rename is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))


def write_result(result: Result, out_dir: Path, *, force: bool = False) -> Path:
    """Write one result folder atomically: files go to a staging folder renamed into place."""
    out_dir = Path(out_dir)
    check_writable(out_dir, force)
    staging = staging_folder(out_dir)
    try:
        write_tables(result, staging)
        replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir
