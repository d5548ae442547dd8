"""Where a long solve is, for the command line's status line.

A large instance builds for tens of seconds, compiles for as long and runs HiGHS for minutes;
`burden solve` would otherwise be silent until the end. The pipeline announces each stage
(`stage("building the model …")`) and a command that shows a status line listens to them
(`listening(callback)`). Without a listener `stage` does nothing, so library use, worker
processes and re-solve loops pay nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str], None]] = []


def stage(text: str | Callable[[], str]) -> None:
    """Announce that the current solve has entered the stage `text` (a callable is called only
    when someone listens: re-solve loops announce every run)."""
    if not _listeners:
        return
    if callable(text):
        text = text()
    for listener in _listeners:
        listener(text)


@contextmanager
def listening(callback: Callable[[str], None]) -> Iterator[None]:
    """Call `callback(text)` for every stage announced inside the block."""
    _listeners.append(callback)
    try:
        yield
    finally:
        _listeners.remove(callback)
