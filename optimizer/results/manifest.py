"""What a result folder records about its own making.

`manifest.json` (in every result folder, written last, before the folder is renamed into place):

- `instance`: name, file, sha256 of the file's bytes, the overrides applied, and `document`: the
  resolved instance document (after overrides) — also written as `instance.yaml` beside it, so
  the folder can be re-solved (`burden solve RESULT/instance.yaml`) and verified on its own;
- `versions`: burden, Python, Pyomo, highspy, HiGHS, numpy, pandas, pydantic, platform;
- `options`: the solve options (time limit, MIP gap, algorithm, HiGHS threads and seed, ...);
- `timings`: seconds for loading, solving and writing; `started` and `finished` (UTC, ISO 8601);
- `files`: sha256 of every other file of the folder (`burden verify` checks them).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import platform
import sys
import time
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


def jsonable(value: Any) -> Any:
    """Dataclasses, tuples, sets and non-string keys as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
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
    opts = jsonable(options) if options is not None else {}
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
        "instance": {**manifest.get("instance", {}), "document": jsonable(document or {})},
        "files": files,
        "finished": now(),
    }
    if clock is not None:
        record["timings"] = {**clock.timings, "total": clock.total()}
    text = json.dumps(record, indent=2, default=str, allow_nan=False)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
