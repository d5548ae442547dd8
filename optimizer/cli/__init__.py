"""The command line: parse arguments, call the pipeline, print, choose the exit code.

`script` is the `burden` entry point (and `python -m optimizer`); `entry.py` holds `main` (what
tests call) and validate/solve/compare, `commands/` every other command, `common.py` the shared
options and exit codes. Nothing here computes: it calls `optimizer.pipeline` and
`optimizer.report`. This module imports nothing heavy itself, so that `script` runs before the
command line's 0.3-0.4 s of imports.
"""

from __future__ import annotations

from typing import Any, NoReturn

from optimizer.signals import hold_signals

__all__ = ["app", "main", "script"]


def script() -> NoReturn:
    """The `burden` command: `entry.main`, then the exit without the interpreter's teardown.

    Ctrl-C, SIGTERM and SIGHUP are held while the command line imports: one that lands then is
    handled as soon as `main` has its handlers, so the run ends as "interrupted" with exit code
    128 + the signal, as later, instead of a traceback (Ctrl-C) or death by the signal.
    """
    held = hold_signals()
    from optimizer.cli.entry import script as run

    run(held)


def __getattr__(name: str) -> Any:
    """`app` and `main`, imported on first use."""
    if name in ("app", "main"):
        from optimizer.cli import entry

        return getattr(entry, name)
    raise AttributeError(f"module 'optimizer.cli' has no attribute {name!r}")
