"""Resumable output folders of commands that solve many things.

`SweepFolder` builds the output of a command that solves many things (a coalition comparison, a
parameter sweep) so that an interruption loses nothing: each item is renamed into a hidden work
folder when complete, `--resume` solves only the missing ones, and the finished work folder is
renamed to the output in one step.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from optimizer.instance.resolved import Instance
from optimizer.results.manifest import SWEEP_JOURNAL, jsonable, now
from optimizer.slugs import safe_slug, unique_slugs


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
        self.out_dir = Path(out_dir)
        self.work = self.out_dir.with_name(f".{self.out_dir.name}.sweep")
        self.key = jsonable(key)
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
        # here, not at the top: `write` imports pandas, which a command's start does not need
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
    return jsonable(key)
