"""Start-up time of the command line (issue 13): this checkout against a baseline, one run.

    python benchmarks/bench_startup.py --baseline /tmp/base-worktree [--repeat 15]

Each command (`burden --help`, `burden --version`, `burden validate instances/nato-2035.yaml`)
runs as a fresh `python -m optimizer` process in each checkout, interleaved (the order reversed
on every other repeat) so that a noisy machine slows both alike; the table gives each side's
median wall time and their ratio. The baseline is another worktree of this repository, run with
its own folder as the working directory (so `python -m optimizer` imports its package).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "burden --help": ["--help"],
    "burden --version": ["--version"],
    "burden validate nato-2035": ["validate", "instances/nato-2035.yaml"],
}


def _seconds(cwd: Path, args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "optimizer", *args], cwd=cwd,
                          capture_output=True, env={"PYTHONPATH": str(cwd), "PATH": ""})  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cwd}: {args} exited {done.returncode}: {done.stderr[-500:]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    opts = parser.parse_args()
    sides = {"this": ROOT, "baseline": opts.baseline.resolve()}
    for cwd in sides.values():  # bytecode compiled before timing
        subprocess.run([sys.executable, "-m", "compileall", "-q", "optimizer"], cwd=cwd, check=True)
        _seconds(cwd, ["--version"])
    times = {(c, s): [] for c in COMMANDS for s in sides}
    for r in range(opts.repeat):
        order = list(sides.items()) if r % 2 == 0 else list(reversed(sides.items()))
        for command, args in COMMANDS.items():
            for side, cwd in order:
                times[command, side].append(_seconds(cwd, args))
    print(f"{'command':28} {'this (s)':>9} {'baseline (s)':>13} {'ratio':>6}")
    for command in COMMANDS:
        this = statistics.median(times[command, "this"])
        base = statistics.median(times[command, "baseline"])
        print(f"{command:28} {this:9.3f} {base:13.3f} {this / base:6.2f}")


if __name__ == "__main__":
    main()
