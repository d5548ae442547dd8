"""What the least-procurement tie-break (MODEL.md v2) adds to HiGHS's time, in one run.

For each coalition solved, the pain stages and the tie-break run on the same HiGHS object
(`optimizer.solve.HighsSession.solve`); `numerics` records the seconds of each:
`stage_seconds` (every pain stage, and for coalition choice the MILP and the fixed-coalition
LP) and `tie_break_seconds` (the hold, the shortfall bounds and the procurement solve). The
ratio (stages + tie-break) / stages is the tie-break's overhead; the goal is at most 1.25.

    python benchmarks/bench_tie_break.py instances/nato-2035.yaml [--coalition NAME ...]
        [--repeat 3]

Prints one line per coalition and repeat, and the median ratio. Each repeat builds the model
afresh (the same LP; HiGHS runs single-threaded with a fixed seed).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from optimizer.derive import derive
from optimizer.instance import load_instance
from optimizer.model import build_model
from optimizer.options import SolveOptions
from optimizer.solve import solve_model


def measure(path: Path, coalition: str) -> tuple[float, float, str]:
    """(pain stages' seconds, tie-break seconds, tie-break status) of one solve."""
    instance = load_instance(path)
    derived = derive(instance)
    choice = coalition == "chosen"
    pool = instance.choice.candidates if choice else instance.coalitions[coalition]
    if choice:
        pool = tuple(c for c in pool if c not in instance.choice.forbidden)
    model = build_model(instance, derived, pool, choice=choice)
    outcome = solve_model(model, instance.objective, SolveOptions(), consume=True)
    numerics = outcome.numerics
    return numerics["stage_seconds"], numerics["tie_break_seconds"], numerics["tie_break_status"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--coalition", action="append", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    instance = load_instance(args.instance)
    names = args.coalition or [instance.default_coalition]
    ratios = []
    for name in names:
        for r in range(args.repeat):
            started = time.perf_counter()
            stages, tie, status = measure(args.instance, name)
            ratio = (stages + tie) / stages
            ratios.append(ratio)
            print(
                f"{name} #{r + 1}: pain stages {stages:.3f} s, tie-break {tie:.3f} s ({status}), "
                f"ratio {ratio:.3f} (whole run {time.perf_counter() - started:.1f} s)",
                flush=True,
            )
    print(f"median ratio (stages + tie-break) / stages: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
