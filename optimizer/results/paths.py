"""Where results may go: output folders claimed, and what `--force` may replace.

Names that become part of a path are made safe first (`optimizer.slugs.safe_slug`).

An output folder is claimed (`claim_out`) before anything is solved: a lock file beside it,
`.<name>.burden-lock`, held with `flock` for the life of the run (the system drops it when the
process ends, even on kill -9, so a stale lock never blocks anyone). Two runs can therefore
never write into one folder: a run without `--out` takes the next free `-2`, `-3`, ...; a run
whose `--out` another live run holds is refused before it solves.
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path

from optimizer.signals import signals_deferred

# -- what a folder holds ---------------------------------------------------------------------------
#: The commands whose folders `--force` may replace (manifest.json's `command`).
RESULT_COMMANDS = frozenset({"solve", "compare", "sweep", "members", "shapley"})


def is_result_folder(folder: Path) -> bool:
    """Whether `folder` is recognisably a burden result: its manifest.json says so."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return (
        isinstance(manifest, dict)
        and isinstance(manifest.get("manifest_version"), int)
        and manifest.get("command") in RESULT_COMMANDS
        and isinstance(manifest.get("files"), dict)
    )


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def replace_refusal(folder: Path, protected: tuple[Path, ...] = ()) -> str | None:
    """Why `--force` may not replace `folder` (None: it may): it is the current folder, holds
    it, holds one of the `protected` paths (the instance file), or is not a burden result."""
    folder = Path(folder)
    try:
        real = folder.resolve()
        here = Path.cwd().resolve()
    except OSError as exc:
        return f"{folder} cannot be resolved ({exc.strerror})"
    if _within(here, real):
        return f"{folder} is the current folder or holds it; --force never replaces it"
    for path in protected:
        try:
            if _within(Path(path).resolve(), real):
                return f"{folder} holds the instance file {path}; --force never replaces it"
        except OSError:
            continue
    if not is_result_folder(folder):
        return f"{folder} {holds_other_files(folder)}; --force replaces only a burden result folder"
    extra = unlisted_files(folder)
    if extra:  # a result folder the user added files to: those files are not ours to delete
        shown = ", ".join(extra[:3]) + (", ..." if len(extra) > 3 else "")
        return (
            f"{folder} is a burden result but also holds {len(extra)} file(s) its manifest does "
            f"not list ({shown}); move them out first"
        )
    return None


def unlisted_files(folder: Path) -> list[str]:
    """Files under `folder` that its manifest.json does not list (relative paths, sorted)."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        listed = set(manifest.get("files") or {})
    except (OSError, ValueError, UnicodeDecodeError, AttributeError, TypeError):
        listed = set()
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        name = path.relative_to(folder).as_posix()
        # write_manifest lists no manifest.json (an inner folder's has its own check)
        if name not in listed and path.name != "manifest.json":
            out.append(name)
    return out


def holds_other_files(folder: Path) -> str:
    """`holds other files (a, b, ... N entries)`: what a non-result folder holds, briefly."""
    try:
        names = sorted(p.name for p in Path(folder).iterdir())
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return f"holds other files, not a burden result ({len(names)} entries: {shown})"


# -- claiming output folders -----------------------------------------------------------------------
try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: exclusive create only
    fcntl = None  # type: ignore[assignment]

#: Locks this process holds: folder → open file descriptor of its lock file.
_HELD: dict[Path, int] = {}


class FolderBusyError(Exception):
    """Another live burden run has claimed the folder."""


def lock_path(folder: Path) -> Path:
    """The lock file of `folder`: hidden, beside it (inside would change a result folder)."""
    folder = Path(folder)
    return folder.with_name(f".{folder.name}.burden-lock")


def _try_lock(folder: Path) -> bool:
    """Take `folder`'s lock without waiting; False if another live run holds it. Ctrl-C and
    SIGTERM wait until the lock file is both made and recorded (else it would be left behind)."""
    with signals_deferred():
        return _try_lock_now(folder)


def _try_lock_now(folder: Path) -> bool:
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        _HELD[folder] = fd
        return True
    while True:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        # The holder before us may have unlinked the file between our open and our flock: then
        # we locked a file nobody else will see. Lock the file that is at the path now.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _HELD[folder] = fd
            return True
        os.close(fd)


def release(folder: Path) -> None:
    """Give up the claim on `folder` (the lock file is removed, then unlocked)."""
    with signals_deferred():  # not cut short between forgetting the lock and removing it
        fd = _HELD.pop(Path(folder), None)
        if fd is None:
            return
        try:
            lock_path(Path(folder)).unlink(missing_ok=True)
        finally:
            os.close(fd)


def release_all() -> None:
    """Give up every claim of this process (at the end of a command)."""
    for folder in list(_HELD):
        release(folder)


atexit.register(release_all)


def _release_with_command() -> None:
    """Release this process's claims when the running command ends (in-process callers such
    as tests run many commands in one process); at exit otherwise."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - typer without a vendored click
        from click import get_current_context
    context = get_current_context(silent=True)
    if context is not None:
        context.call_on_close(release_all)


def _free(candidate: Path) -> bool:
    """Nothing there, or an empty real folder."""
    if not os.path.lexists(candidate):
        return True
    if candidate.is_symlink() or not candidate.is_dir():
        return False
    try:
        return not any(candidate.iterdir())
    except OSError:
        return False


def claim_default(base: Path) -> Path:
    """Claim `base`, else `base-2`, `base-3`, ...: the first that is free (nothing there, or an
    empty folder) and not claimed by another live run."""
    candidate, n = Path(base), 1
    while True:
        if candidate in _HELD or (_free(candidate) and _try_lock(candidate)):
            if _free(candidate):  # still free now that it is ours
                _release_with_command()
                return candidate
            release(candidate)
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")


def claim_explicit(folder: Path) -> None:
    """Claim an explicit `--out`, or raise `FolderBusyError` if another live run holds it."""
    folder = Path(folder)
    if folder in _HELD:
        return
    if not _try_lock(folder):
        raise FolderBusyError(
            f"{folder} is being written by another burden run; wait for it or choose another --out"
        )
    _release_with_command()
