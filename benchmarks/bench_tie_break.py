"""What the least-procurement tie-break (MODEL.md v2) adds to HiGHS's time, in one run.

For each coalition, the same model is solved in each mode per repeat, interleaved: with the
tie-break and its warm start switched off (the pain stages only, as version 1 solved them), the
same without HiGHS's presolve (what a pain-only route could gain from the presolve setting the
warm-started stage uses on small LPs), the tie-break from the stage's basis, and as `burden
solve` does it (the warm-started last stage, the stage itself and the tie-break; see
`HighsSession.minimise_last_stage`). The ratio of median HiGHS times (everything
`HighsSession.solve` does, model compiled beforehand) to the first mode's is the tie-break's
overhead; the goal is at most 1.25. Simplex iterations of each HiGHS run are printed for the first repeat: they do not
depend on the machine's load.

    python benchmarks/bench_tie_break.py instances/nato-2035.yaml [--coalition NAME ...]
        [--repeat 5]
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
from optimizer.solver import highs

MODES = {  # (tie-break, warm start, presolve off for the last pain stage)
    "pain stages only": (False, False, False),
    "pain stages only, presolve off": (False, False, True),
    "tie-break, no warm start": (True, False, False),
    "tie-break, warm start": (True, True, False),
}


def solve_once(
    instance, derived, coalition: str, tie_break: bool, warm: bool, presolve_off: bool = False
) -> tuple[float, list[int]]:
    """HiGHS seconds of one solve and the simplex iterations of each of its runs."""
    choice = coalition == "chosen"
    pool = instance.choice.candidates if choice else instance.coalitions[coalition]
    if choice:
        pool = tuple(c for c in pool if c not in instance.choice.forbidden)
    model = build_model(instance, derived, pool, choice=choice)
    session = highs.HighsSession(model, instance.objective, SolveOptions())
    session.tie_break = tie_break and session.tie_break
    if not warm:  # the last pain stage solved directly (version 1's route when no tie-break)
        session.c.costs.pop(highs.WARM_START, None)
    if presolve_off:  # what the warm-started stage does below PRESOLVE_FROM_COLUMNS
        session.h.setOptionValue("presolve", "off")
    iterations: list[int] = []
    run = session._run

    def counted():
        status = run()
        iterations.append(int(session.h.getInfo().simplex_iteration_count))
        return status

    session._run = counted
    started = time.perf_counter()
    session.solve(collect=False)
    return time.perf_counter() - started, iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--coalition", action="append", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    instance = load_instance(args.instance)
    derived = derive(instance)
    names = args.coalition or [instance.default_coalition]
    for name in names:
        seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
        for r in range(args.repeat):
            for mode, flags in MODES.items():
                dt, iterations = solve_once(instance, derived, name, *flags)
                seconds[mode].append(dt)
                if r == 0:
                    print(f"{name}, {mode}: simplex iterations per HiGHS run {iterations}")
        base = statistics.median(seconds["pain stages only"])
        print(f"{name}: pain stages only, median {base:.3f} s ({args.repeat} runs, interleaved)")
        for mode in list(MODES)[1:]:
            median = statistics.median(seconds[mode])
            print(f"{name}: {mode}, median {median:.3f} s, ratio {median / base:.3f}", flush=True)


if __name__ == "__main__":
    main()
