"""Leave the process without tearing the interpreter down.

At exit CPython frees every object one at a time and unloads every module; after a NATO-size
`burden solve` (the Pyomo model, pandas, the result tables) that took 0.25-0.30 s of a 2.0-2.6 s
run, and wrote nothing (benchmarks/README.md, eighth session). `exit_now` keeps what a normal
exit does that anyone can observe (threads waited for, atexit handlers run, stdout and stderr
flushed, the exit status) and then ends the process at once.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_now(code: object = 0) -> NoReturn:
    """`sys.exit(code)` without the interpreter's teardown.

    A non-daemon thread still running: `sys.exit`, since the normal exit waits for it. Else the
    atexit handlers run (multiprocessing's and dask's clean-ups, logging's flush), stdout and
    stderr are flushed, and `os._exit` ends the process with the status `sys.exit` would give.
    """
    main = threading.main_thread()
    if any(t.is_alive() and not t.daemon and t is not main for t in threading.enumerate()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, a broken pipe, or None
            pass
    os._exit(status & 0xFF)
