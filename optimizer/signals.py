"""Hold Ctrl-C, SIGTERM and SIGHUP back while a step must not be cut in half (a folder swapped
into place, a lock file made and recorded, HiGHS's helper thread started), or until `burden`'s
handlers exist (`optimizer.cli.script`)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals `burden` handles (optimizer/cli/entry.py) and holds back.
HELD = ("SIGINT", "SIGTERM", "SIGHUP")


def hold_signals() -> object | None:
    """Block SIGINT, SIGTERM and SIGHUP (main thread, POSIX): one that arrives stays pending.
    Returns the previous mask for `release_signals`, or None where nothing could be blocked."""
    held = {getattr(signal, n) for n in HELD if hasattr(signal, n)}
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not POSIX, or not the main thread
        return None


def release_signals(previous: object | None) -> None:
    """Restore the mask `hold_signals` returned: a signal held meanwhile is delivered now, and
    its handler runs before the next Python line."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends (main thread, POSIX; else a no-op):
    one that arrives meanwhile is delivered, and its handler runs, as the block ends. Threads
    started inside inherit the mask, so they never take these signals."""
    previous = hold_signals()
    try:
        yield
    finally:
        release_signals(previous)
