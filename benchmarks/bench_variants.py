"""Solves per second for many coalition variants: rebuilt each time vs one persistent model.

    python benchmarks/bench_variants.py [INSTANCE] [--coalition NAME] [--variants 200]
                                        [--rebuild-sample N]

Variants of the coalition (default: the instance's default coalition), in a neighbour walk:
each member left out in turn, then pairs of members left out ({1,2}, {1,3}, …, {2,3}, …), so
that consecutive variants differ by one or two members. Routes, measured in the same run:

- rebuild (solve_coalition): per variant, a fresh Pyomo model built, compiled, solved and its
  result tables extracted — what `burden solve` does for one coalition;
- rebuild (build + solve): the same without extracting the result tables;
- persistent, warm: `CoalitionSolver` — one model of the coalition, each variant a change of
  bounds on the same HiGHS object, solved from the previous variant's basis;
- persistent, cold: the same with the basis cleared before every solve.

The persistent routes' time includes building their one model. The routes take turns on
blocks of 20 variants, so a change in a shared machine's load falls on all of them alike, and
both wall-clock and CPU seconds (of this process) are reported. `--rebuild-sample N` times the
rebuild routes on the first N variants only (solves per second is what is compared). Every
route's objective is checked against the rebuilt one.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer.derive import derive  # noqa: E402
from optimizer.instance import load_instance  # noqa: E402
from optimizer.model import build_model  # noqa: E402
from optimizer.pipeline.one import solve_coalition  # noqa: E402
from optimizer.pipeline.variants import CoalitionSolver  # noqa: E402
from optimizer.solver.highs import SolveOptions, highs_version, solve_model  # noqa: E402

DEFAULT = ROOT / "instances" / "nato-2035.yaml"
FALLBACK = ROOT / "instances" / "medium-synthetic-choice.yaml"


def variants(members: tuple[str, ...], count: int) -> list[tuple[str, ...]]:
    """`count` sub-coalitions in a neighbour walk: one member out, then two out."""
    out = []
    left_out = itertools.chain(
        ((c,) for c in members),
        itertools.combinations(members, 2),
        itertools.combinations(members, 3),
    )
    for gone in left_out:
        if len(gone) >= len(members):
            continue
        out.append(tuple(m for m in members if m not in gone))
        if len(out) == count:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", nargs="?", type=Path, default=None)
    parser.add_argument("--coalition", default=None)
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--rebuild-sample", type=int, default=None,
                        help="time the rebuild routes on the first N variants only")  # fmt: skip
    args = parser.parse_args()
    path = args.instance or (DEFAULT if DEFAULT.exists() else FALLBACK)
    inst = load_instance(path)
    name = args.coalition or inst.default_coalition
    members = inst.coalitions[name]
    walk = variants(members, args.variants)
    sample = walk[: args.rebuild_sample] if args.rebuild_sample else walk
    options = SolveOptions()
    derived = derive(inst)
    print(f"instance {path.name}: coalition {name} ({len(members)} members), {len(walk)} variants")
    print(f"python {platform.python_version()}, HiGHS {highs_version()}, {platform.machine()}")

    # the routes take turns on blocks of variants, so that a change in the machine's load
    # (a shared machine) falls on all of them alike; wall and CPU seconds are both kept
    routes = ["rebuild (solve_coalition)", "rebuild (build + solve)", "persistent, warm",
              "persistent, cold"]  # fmt: skip
    wall = dict.fromkeys(routes, 0.0)
    cpu = dict.fromkeys(routes, 0.0)
    count = dict.fromkeys(routes, 0)
    objectives: dict[str, list[float | None]] = {r: [] for r in routes}
    solvers = {}
    for label, warm in (("persistent, warm", True), ("persistent, cold", False)):
        w, c = time.perf_counter(), time.process_time()
        solvers[label] = CoalitionSolver(inst, members, options, derived=derived, warm=warm)
        wall[label] += time.perf_counter() - w
        cpu[label] += time.process_time() - c
    build_seconds = {label: wall[label] for label in solvers}

    def timed(label: str, block, solve_one) -> None:
        w, c = time.perf_counter(), time.process_time()
        for members_v in block:
            objectives[label].append(solve_one(members_v))
        wall[label] += time.perf_counter() - w
        cpu[label] += time.process_time() - c
        count[label] += len(block)

    def rebuilt(members_v):
        variant = dataclasses.replace(inst, coalitions={"v": members_v}, default_coalition="v")
        return solve_coalition(variant, "v", options, derived).summary["objective"]

    def built(members_v):
        model = build_model(inst, derived, members_v)
        return solve_model(model, inst.objective, options).objective

    step = 20
    for i in range(0, len(walk), step):
        block = walk[i : i + step]
        in_sample = [v for v in block if v in sample]
        timed(routes[0], in_sample, rebuilt)
        timed(routes[1], in_sample, built)
        for label, solver in solvers.items():
            timed(label, block, lambda v, solver=solver: solver.solve(v).objective)

    print()
    print(f"{'route':30} {'solves':>7} {'wall s':>8} {'solves/s':>9} {'× rebuild':>10}"
          f" {'CPU s':>8} {'solves/CPU-s':>13} {'× rebuild':>10}")  # fmt: skip
    base_wall = count[routes[0]] / wall[routes[0]]
    base_cpu = count[routes[0]] / cpu[routes[0]]
    for label in routes:
        n = count[label]
        rate, rate_cpu = n / wall[label], n / cpu[label]
        print(f"{label:30} {n:7d} {wall[label]:8.2f} {rate:9.2f} {rate / base_wall:10.1f}"
              f" {cpu[label]:8.2f} {rate_cpu:13.2f} {rate_cpu / base_cpu:10.1f}")  # fmt: skip
    for label, seconds in build_seconds.items():
        print(f"({label}: its one model built in {seconds:.2f} s, included above)")
    print()
    reference = objectives[routes[0]]
    for label in routes[1:]:
        values = objectives[label] if label in routes[:2] else [
            objectives[label][walk.index(v)] for v in sample
        ]  # fmt: skip
        diffs = [
            abs(a - b) / max(1.0, abs(b))
            for a, b in zip(values, reference, strict=True)
            if a is not None and b is not None
        ]
        bad = sum((a is None) != (b is None) for a, b in zip(values, reference, strict=True))
        print(f"{label:28} max relative objective difference vs rebuild: {max(diffs):.1e}"
              + (f" ({bad} status differences)" if bad else ""))  # fmt: skip


if __name__ == "__main__":
    main()
