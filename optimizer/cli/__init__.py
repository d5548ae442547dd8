"""The command line: parse arguments, call the pipeline, print, choose the exit code.

`main.py` holds validate/solve/compare, `commands/` every other command, `common.py` the shared
options and exit codes. Nothing here computes: it calls `optimizer.pipeline` and `optimizer.report`.
"""

from optimizer.cli.common import app
from optimizer.cli.main import main

__all__ = ["app", "main"]
