"""The command line: parse arguments, call the pipeline, print, choose the exit code.

`entry.py` holds `script` (the `burden` entry point), `main` (what tests call) and
validate/solve/compare, `commands/` every other command, `common.py` the shared options and exit
codes. Nothing here computes: it calls `optimizer.pipeline` and `optimizer.report`.
"""

from optimizer.cli.common import app
from optimizer.cli.entry import main, script

__all__ = ["app", "main", "script"]
