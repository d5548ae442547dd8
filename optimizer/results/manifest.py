"""What a result folder records about its own making, and resumable multi-solve folders.

`manifest.json` (in every result folder, written last, before the folder is renamed into place):

- `instance`: name, file, sha256 of the file's bytes, the overrides applied, and `document`: the
  resolved instance document (after overrides) — also written as `instance.yaml` beside it, so
  the folder can be re-solved (`burden solve RESULT/instance.yaml`) and verified on its own;
- `versions`: burden, Python, Pyomo, highspy, HiGHS, numpy, pandas, pydantic, platform;
- `options`: the solve options (time limit, MIP gap, algorithm, HiGHS threads and seed, ...);
- `timings`: seconds for loading, solving and writing; `started` and `finished` (UTC, ISO 8601);
- `files`: sha256 of every other file of the folder (`burden verify` checks them).

`SweepFolder` builds the output of a command that solves many things (a coalition comparison, a
parameter sweep) so that an interruption loses nothing: each item is renamed into a hidden work
folder when complete, `--resume` solves only the missing ones, and the finished work folder is
renamed to the output in one step.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from optimizer.instance.resolved import Instance
from optimizer.version import __version__

MANIFEST = "manifest.json"
INSTANCE_COPY = "instance.yaml"
SWEEP_JOURNAL = "sweep.json"
#: HiGHS settings fixed by `optimizer.solver.highs` for byte-identical results.
HIGHS_FIXED = {"threads": 1, "random_seed": 0}


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class RunClock:
    """When a command started, and how long its phases took."""

    started: str = field(default_factory=now)
    t0: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)

    def lap(self, phase: str) -> None:
        """Add the seconds since the last lap (or the start) to `phase`."""
        t = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + t - self._mark, 6)
        self._mark = t

    def total(self) -> float:
        return round(time.perf_counter() - self.t0, 6)


@functools.cache
def versions() -> dict[str, str]:
    """Versions of everything that can change a result."""
    from optimizer.solver.highs import highs_version

    out = {"burden": __version__, "python": platform.python_version()}
    for package in ("pyomo", "highspy", "numpy", "pandas", "pydantic", "pyyaml"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    out["highs"] = highs_version()
    out["platform"] = platform.platform()
    return out


def _jsonable(value: Any) -> Any:
    """Dataclasses, tuples, sets and non-string keys as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # strict JSON has no NaN or infinity
    return value


def build_manifest(
    instance: Instance,
    *,
    command: str,
    options: Any = None,
    clock: RunClock | None = None,
    coalition: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of one result folder (files and `finished` are added when it is written)."""
    clock = clock or RunClock()
    opts = _jsonable(options) if options is not None else {}
    if isinstance(opts, dict):
        opts = {**opts, "highs": dict(HIGHS_FIXED)}
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "command": command,
        "argv": list(sys.argv),
        "coalition": coalition,
        "instance": {
            "name": instance.name,
            "file": str(instance.file) if instance.file else None,
            "sha256": instance.sha256,
            "overrides": list(getattr(instance, "overrides", ()) or ()),
            "scenario": getattr(instance, "scenario", None),
            "warnings": [f"{w.path}: {w.message}" for w in instance.warnings],
            "document": instance.document,
        },
        "versions": versions(),
        "options": opts,
        "started": clock.started,
        "timings": dict(clock.timings),
    }
    if extra:
        manifest.update(extra)
    return manifest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any], clock: RunClock | None = None) -> None:
    """Write instance.yaml and manifest.json (with every file's sha256) into `folder`.

    Call it last, on the staging folder, before the rename that publishes the folder.
    """
    folder = Path(folder)
    document = manifest.get("instance", {}).get("document")
    if document:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 4× faster, same text
        text = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True)
        (folder / INSTANCE_COPY).write_text(text, encoding="utf-8")
    files = {
        str(path.relative_to(folder)): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in (MANIFEST, SWEEP_JOURNAL)
    }
    record = {
        **manifest,
        "instance": {**manifest.get("instance", {}), "document": _jsonable(document or {})},
        "files": files,
        "finished": now(),
    }
    if clock is not None:
        record["timings"] = {**clock.timings, "total": clock.total()}
    text = json.dumps(record, indent=2, default=str, allow_nan=False)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


# -- resumable multi-solve folders ----------------------------------------------------------------
class SweepError(Exception):
    """A sweep's work folder cannot be used: another sweep's, or resuming was not asked for."""


class SweepFolder:
    """The output folder of a multi-solve command, built item by item and resumable.

    Work goes to the hidden folder `.<out>.sweep` beside `out_dir`, with `sweep.json` saying
    which sweep it is (`key`: instance sha256, items, options). `write_item` writes one item's
    folder through its own staging folder and renames it in when complete, so the work folder
    only ever holds complete items. `finish` writes the report files and renames the work folder
    to `out_dir` in one step. After an interruption the work folder stays; a new run with
    `resume` checks the key and skips the items already done; without `resume` it refuses
    (`SweepError`) unless `force` (start over).
    """

    def __init__(self, out_dir: Path, key: dict[str, Any], *, resume: bool, force: bool = False):
        from optimizer.results.paths import unique_slugs

        self.out_dir = Path(out_dir)
        self.work = self.out_dir.with_name(f".{self.out_dir.name}.sweep")
        self.key = _jsonable(key)
        #: Each item's folder name: a slug, unique in the sweep (an item name is never a path).
        self.slugs = unique_slugs([str(i) for i in self.key.get("items", ())])
        journal = self.work / SWEEP_JOURNAL
        if self.work.exists():
            try:
                recorded = json.loads(journal.read_text(encoding="utf-8"))
                previous, owner = recorded["key"], int(recorded.get("pid", 0))
            except (OSError, ValueError, KeyError, TypeError):
                previous, owner = None, 0
            if owner and owner != os.getpid() and _alive(owner):
                raise SweepError(f"{self.work} is in use by a running burden (process {owner})")
            if resume and previous != self.key:
                raise SweepError(
                    f"{self.work} holds a different sweep (other instance, items or options, "
                    "--no-report included); "
                    "pass --force to discard it and start over"
                )
            if not resume:
                if not force:
                    raise SweepError(
                        f"an interrupted sweep of {self.out_dir} is in {self.work} "
                        f"({len(self.done_items())} item(s) done): pass --resume to finish it "
                        "or --force to start over"
                    )
                shutil.rmtree(self.work)
        self.resumed = self.work.exists()
        if not self.resumed:
            self.work.parent.mkdir(parents=True, exist_ok=True)
            staging = self.work.with_name(f"{self.work.name}.new-{os.getpid()}")
            staging.mkdir()
            body = {"key": self.key, "started": now(), "pid": os.getpid()}
            (staging / SWEEP_JOURNAL).write_text(json.dumps(body, indent=2) + "\n", "utf-8")
            os.replace(staging, self.work)
        else:  # resumed: this process owns it now
            recorded = json.loads(journal.read_text(encoding="utf-8"))
            recorded["pid"] = os.getpid()
            journal.write_text(json.dumps(recorded, indent=2) + "\n", "utf-8")
        for stale in self.work.glob(".*"):  # staging of items an interruption cut short
            shutil.rmtree(stale, ignore_errors=True)

    def done_items(self) -> list[str]:
        """Items whose folder is complete (renamed in), in name order."""
        if not self.work.is_dir():
            return []
        return sorted(
            p.name for p in self.work.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def slug(self, item: str) -> str:
        """The name of `item`'s folder."""
        from optimizer.results.paths import safe_slug

        return self.slugs.get(item) or safe_slug(item)

    def is_done(self, item: str) -> bool:
        return (self.work / self.slug(item)).is_dir()

    def folder(self, item: str) -> Path:
        return self.work / self.slug(item)

    def write_item(self, item: str, write: Callable[[Path], None]) -> Path:
        """Write one item: `write(staging)` fills a staging folder, renamed in when complete."""
        target = self.folder(item)
        staging = self.staging(item)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            write(staging)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target

    def staging(self, item: str) -> Path:
        """A path (not yet created) where another process may build `item`, then `adopt` it."""
        return self.work / f".{self.slug(item)}.partial-{os.getpid()}"

    def adopt(self, item: str, staging: Path) -> Path:
        """Rename a complete folder built at `staging(item)` in as `item`."""
        target = self.folder(item)
        os.replace(staging, target)
        return target

    def finish(self, write: Callable[[Path], None], *, force: bool = False) -> Path:
        """Write the report files into the work folder, then publish it as `out_dir`."""
        from optimizer.results.write import check_writable, replace_folder

        for stale in self.work.glob(".*.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)
        write(self.work)
        (self.work / SWEEP_JOURNAL).unlink(missing_ok=True)
        check_writable(self.out_dir, force)
        replace_folder(self.work, self.out_dir)
        return self.out_dir


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def read_result(folder: Path) -> Any:
    """A written result folder back as a `Result` (summary, the spec's tables, further tables)."""
    import pandas as pd

    from optimizer.results.extract import Result

    folder = Path(folder)
    ids = {"country": str, "capability": str, "route": str, "source": str, "origin": str}

    def table(name: str) -> pd.DataFrame:
        path = folder / name
        if not path.is_file():
            return pd.DataFrame()
        return pd.read_csv(path, dtype=ids, keep_default_na=False, na_values=[""])

    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    spec = {"countries.csv", "procurement.csv", "capabilities.csv", "binding.csv"}
    result = Result(
        summary,
        table("countries.csv"),
        table("procurement.csv"),
        table("capabilities.csv"),
        table("binding.csv"),
    )
    for path in sorted(folder.glob("*.csv")):
        if path.name not in spec:
            result.tables[path.stem] = table(path.name)
    return result


def sweep_key(
    instance: Instance, items: Iterable[str], options: Any, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What identifies a sweep: the instance (file bytes and overrides), its items, the options
    and anything else that changes the items' results (`extra`: a sweep's parameter, ...)."""
    key = {
        "instance_sha256": instance.sha256,
        "overrides": list(getattr(instance, "overrides", ()) or ()),
        "items": list(items),
        "options": options,
    }
    if extra:
        key.update(extra)
    return _jsonable(key)
