"""Write a result's tables into a folder, and publish folders atomically: complete or not at all,
never over an earlier result without `force` (the whole folder: `optimizer.pipeline.folder`)."""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from optimizer.numbers import CSV_FLOAT
from optimizer.results.extract import Result
from optimizer.results.paths import (
    _within,
    holds_other_files,
    is_result_folder,
    replace_refusal,
)
from optimizer.signals import signals_deferred
from optimizer.stages import stage


class ResultExistsError(Exception):
    """The output folder already holds files and overwriting was not asked for."""


def check_writable(out_dir: Path, force: bool, protected: tuple[Path, ...] = ()) -> None:
    """Refuse early, before solving: `out_dir` is the current folder or holds it, is not a
    folder, or holds files and `force` is off, or `force` is on but it is not a burden result
    folder (or holds a `protected` path, the instance file): see `optimizer.results.paths`."""
    out_dir = Path(out_dir)
    try:
        if _within(Path.cwd().resolve(), out_dir.resolve()):
            raise ResultExistsError(
                f"{out_dir} is the current folder or holds it; choose a new folder for --out"
            )
    except OSError:
        pass
    if os.path.lexists(out_dir) and (out_dir.is_symlink() or not out_dir.is_dir()):
        kind = "a link" if out_dir.is_symlink() else "a file"
        raise ResultExistsError(
            f"{out_dir} exists and is not a folder ({kind}); choose another --out"
        )
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    if not force:
        if is_result_folder(out_dir):
            raise ResultExistsError(
                f"{out_dir} already holds results; choose another --out or pass --force to "
                "replace it"
            )
        raise ResultExistsError(
            f"{out_dir} {holds_other_files(out_dir)}; choose another --out (a new or empty folder)"
        )
    refusal = replace_refusal(out_dir, protected)
    if refusal:
        raise ResultExistsError(refusal)


def write_json(path: Path, data: object) -> None:
    """JSON with a trailing newline, keys in insertion order."""
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def as_written(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its floats as a CSV holds them (`CSV_FLOAT`, 12 significant digits)."""
    columns = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if not columns:
        return table
    out = table.copy()
    for column in columns:
        # + 0.0: no "-0" in a file (a -0.0 read back is an integer 0, and sums then differ)
        out[column] = [float(CSV_FLOAT % v) + 0.0 if v == v else v for v in out[column]]
    return out


def write_tables(result: Result, folder: Path) -> None:
    """The spec's files of one result into an existing folder, with the further tables and texts
    of `Result` (the report is rendered by the pipeline: `optimizer.pipeline.folder`).

    The result's tables are replaced by what the files hold (`as_written`): whatever is computed
    from the result afterwards (the report, `burden compare`'s tables) is then the same whether
    the result is this one or one read back from its folder (a `--resume`).
    """
    stage("writing the result tables")
    result.countries = as_written(result.countries)
    result.procurement = as_written(result.procurement)
    result.capabilities = as_written(result.capabilities)
    result.binding = as_written(result.binding)
    result.tables = {name: as_written(table) for name, table in result.tables.items()}
    write_json(folder / "summary.json", result.summary)
    result.countries.to_csv(
        folder / "countries.csv", index=False, na_rep="", float_format=CSV_FLOAT
    )
    result.procurement.to_csv(
        folder / "procurement.csv", index=False, na_rep="", float_format=CSV_FLOAT
    )
    result.capabilities.to_csv(
        folder / "capabilities.csv", index=False, na_rep="", float_format=CSV_FLOAT
    )
    if len(result.binding.columns):
        result.binding.to_csv(
            folder / "binding.csv", index=False, na_rep="", float_format=CSV_FLOAT
        )
    for name, table in result.tables.items():
        table.to_csv(folder / f"{name}.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    for name, text in result.texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def replace_folder(staging: Path, out_dir: Path) -> None:
    """Move a complete staging folder to `out_dir`, replacing what is there in one rename.

    Replacing (`--force`) swaps the two folders in one step where the system can (Linux
    `renameat2(RENAME_EXCHANGE)`); elsewhere it takes two renames with SIGINT and SIGTERM held
    back between them, so an interruption never leaves `out_dir` missing.
    """
    with signals_deferred():  # held through the clean-up too: no stray `.old-` folder
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            if _exchange(staging, out_dir):  # staging now holds the old folder
                os.replace(staging, old / out_dir.name)
            else:
                os.replace(out_dir, old / out_dir.name)
                os.replace(staging, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    path, fd = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [fd, path, fd, path, ctypes.c_uint]
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def staging_folder(out_dir: Path) -> Path:
    """A fresh hidden folder beside `out_dir` (same file system, so the final rename is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return fresh_folder(out_dir.parent, f".{out_dir.name}.partial-")


def fresh_folder(parent: Path, prefix: str) -> Path:
    """A new folder `parent/prefix<random>`, created with the usual permissions (0777 less the
    umask: 0755 for most users). `tempfile.mkdtemp` makes it 0700, and a published result
    folder would then be unreadable to everyone else."""
    while True:
        path = Path(parent) / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
