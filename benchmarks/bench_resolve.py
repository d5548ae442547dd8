"""Re-solves per second: coalition variants by bound changes, against the direct-highspy limit.

    python benchmarks/bench_resolve.py --size nato [--variants 200] [--repeat 3]

For the synthetic instance of the size (pool: coalition `all`) and, if it exists, the real
instances/nato-2035.yaml (pool: its default coalition), a deterministic neighbour walk of
`--variants` coalitions (the whole pool, then one member dropped or added at a time; see
`direct.neighbour_walk`) is solved, in one process, by

- `CoalitionSolver` (optimizer/pipeline/variants.py): the Pyomo model built once over the pool, compiled
  once, each variant a few bound changes on the same HiGHS object, warm started;
- `DirectVariants` (benchmarks/direct.py): the same bound changes on the LP assembled with
  numpy — the limit;
- rebuild: `optimizer.pipeline.one.solve_coalition` per variant (instance with the variant as its only
  coalition), on the first `--rebuild-variants` variants of the walk (it is slow).

Setup (build + compile + pass) is timed apart; solves per second count only the walk (bound
changes, HiGHS run, objective and pain per member read back). The approaches walk the variants
in lockstep: variant i is solved by every approach before variant i+1 (which one goes first
alternates), each keeping its own HiGHS object and basis, so a change of load on this shared
machine hits all of them alike. Each repeat builds fresh solvers; the fraction of the limit is
the median over repeats of (rate / DirectVariants rate of the same repeat). Every variant's
objective is compared across approaches (max relative difference reported).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import direct  # noqa: E402
from bench import _machine  # noqa: E402
from generate import write_instance  # noqa: E402

from optimizer.derive import derive  # noqa: E402
from optimizer.instance import load_instance  # noqa: E402
from optimizer.pipeline.one import solve_coalition  # noqa: E402
from optimizer.pipeline.variants import CoalitionSolver  # noqa: E402
from optimizer.solver.highs import SolveOptions  # noqa: E402


class _Rebuild:
    """`solve_coalition` on an instance whose only coalition is the variant."""

    def __init__(self, instance, derived, options):
        self.instance, self.derived, self.options = instance, derived, options

    def solve(self, members):
        variant = dataclasses.replace(
            self.instance, coalitions={"variant": members}, default_coalition="variant"
        )
        result = solve_coalition(variant, "variant", self.options, self.derived)
        return result.summary["objective"]


def _make(name, instance, derived, pool, options):
    warm = not name.endswith("cold")
    if name.startswith("CoalitionSolver"):
        solver = CoalitionSolver(instance, pool, options, derived=derived, warm=warm)
        return lambda members: solver.solve(members).objective
    if name.startswith("DirectVariants"):
        solver = direct.DirectVariants(
            instance, derived, pool, algorithm=options.algorithm, warm=warm
        )
        return lambda members: solver.solve(members).objective
    return _Rebuild(instance, derived, options).solve


def bench_instance(path: Path, pool_name: str | None, args) -> dict:
    """One instance: every approach walks the same variants in lockstep (variant by variant,
    alternating which approach goes first), so load changes on the machine hit all alike."""
    instance = load_instance(path)
    derived = derive(instance)
    pool = instance.coalitions[pool_name or instance.default_coalition]
    walk = direct.neighbour_walk(pool, args.variants, seed=args.seed)
    options = SolveOptions(algorithm=args.algorithm)
    names = ["CoalitionSolver", "DirectVariants", "rebuild (solve_coalition)"]
    if args.cold:
        names += ["CoalitionSolver cold", "DirectVariants cold"]
    limit = "DirectVariants"
    runs: dict[str, list[dict]] = {n: [] for n in names}
    objectives: dict[str, list] = {n: [] for n in names}
    for rep in range(args.repeat):
        solvers, setup = {}, {}
        for name in names:
            s = time.perf_counter()
            solvers[name] = _make(name, instance, derived, pool, options)
            setup[name] = time.perf_counter() - s
        spent = dict.fromkeys(names, 0.0)
        count = dict.fromkeys(names, 0)
        for i, members in enumerate(walk):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                if name.startswith("rebuild") and i >= args.rebuild_variants:
                    continue
                s = time.perf_counter()
                value = solvers[name](members)
                spent[name] += time.perf_counter() - s
                count[name] += 1
                if rep == 0:
                    objectives[name].append(value)
        for name in names:
            rate = count[name] / spent[name]
            runs[name].append(
                {
                    "setup": setup[name],
                    "seconds": spent[name],
                    "variants": count[name],
                    "rate": rate,
                }
            )
            print(
                f"  [{rep + 1}/{args.repeat}] {path.name}: {name:26} setup {setup[name]:6.2f} s,"
                f" {count[name]} variants in {spent[name]:6.2f} s = {rate:7.1f}/s",
                file=sys.stderr,
                flush=True,
            )
    reference = objectives[limit]
    worst = 0.0
    for values in objectives.values():
        for a, b in zip(values, reference, strict=False):
            if (a is None) != (b is None):
                worst = float("inf")
            elif a is not None:
                worst = max(worst, abs(a - b) / max(1.0, abs(a), abs(b)))
    optimal = sum(v is not None for v in reference)
    rate = {n: statistics.median(r["rate"] for r in rs) for n, rs in runs.items()}
    setup = {n: statistics.median(r["setup"] for r in rs) for n, rs in runs.items()}
    paired = {
        n: statistics.median(r["rate"] / q["rate"] for r, q in zip(rs, runs[limit], strict=True))
        for n, rs in runs.items()
    }
    return {
        "instance": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name,
        "pool": pool_name or instance.default_coalition,
        "pool_size": len(pool),
        "variants": len(walk),
        "distinct_variants": len(set(walk)),
        "optimal_variants": optimal,
        "rebuild_variants": min(args.rebuild_variants, len(walk)),
        "solves_per_second": rate,
        "setup_seconds": setup,
        "fraction_of_limit": paired,
        "max_objective_rel_diff": worst,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "nato", "medium", "large"], default="nato")
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--rebuild-variants", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--algorithm",
        choices=["auto", "choose", "simplex", "ipm"],
        default="auto",
        help="HiGHS solver for both routes; auto: burden's default (ipm from 500k columns)",
    )
    parser.add_argument("--cold", action="store_true", help="also clear the solver each variant")
    parser.add_argument("--real", type=Path, default=ROOT / "instances" / "nato-2035.yaml")
    parser.add_argument("--out", type=Path, help="default benchmarks/results/resolve-SIZE.json")
    args = parser.parse_args()

    started = time.time()
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-resolve-"))
    results = [bench_instance(write_instance(args.size, tmp / f"{args.size}.yaml"), "all", args)]
    if args.real and args.real.is_file():  # `--real ""` skips it
        results.append(bench_instance(args.real, None, args))
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
        "machine": _machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "size": args.size,
        "algorithm": args.algorithm,
        "repeat": args.repeat,
        "how": "one process; fresh solvers per repeat; all approaches walk the same variants in "
        "lockstep (order alternating per variant); solves/s = variants / time in solve calls; "
        "fraction = median over repeats of rate / DirectVariants rate of the same repeat",
        "results": results,
    }
    for r in results:
        print(
            f"\n{r['instance']} (pool {r['pool']}, {r['pool_size']} countries; "
            f"{r['variants']} variants, {r['distinct_variants']} distinct, "
            f"{r['optimal_variants']} optimal; objectives agree to "
            f"{r['max_objective_rel_diff']:.1e})"
        )
        print(f"  {'approach':28}{'solves/s':>10}{'× limit':>10}{'setup s':>10}")
        for name, rate in r["solves_per_second"].items():
            print(
                f"  {name:28}{rate:10.1f}{r['fraction_of_limit'][name]:10.2f}"
                f"{r['setup_seconds'][name]:10.2f}"
            )
    out = args.out or HERE / "results" / f"resolve-{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
