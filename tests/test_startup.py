"""The command line starts without the heavy libraries (ARCHITECTURE.md: lazy imports, within
the layers). `burden --help`, `--version` and `validate` need neither pandas, Pyomo, HiGHS nor
matplotlib; one module-level import of a table type once pulled all four into every command
(start-up 0.5 s -> 1.3 s, benchmarks/bench_startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "pyomo", "highspy", "matplotlib", "numpy")

PROBE = """
import sys
from optimizer.cli import main
sys.argv = ["burden", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("LOADED", *sorted(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["validate", "instances/nato-2035.yaml"]]
)
def test_the_command_line_starts_without_heavy_libraries(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    assert loaded == "LOADED", f"burden {' '.join(args)} imported {loaded.split()[1:]}"
