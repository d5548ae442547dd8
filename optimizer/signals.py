"""Hold Ctrl-C, SIGTERM and SIGHUP back while a step must not be cut in half (a folder swapped
into place, a lock file made and recorded, HiGHS's helper thread started)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends (main thread, POSIX; else a no-op):
    one that arrives meanwhile is delivered, and its handler runs, as the block ends. Threads
    started inside inherit the mask, so they never take these signals."""
    held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not POSIX, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
