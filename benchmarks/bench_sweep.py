"""A sweep on 1 and on N local workers: the speed-up of `burden sweep --workers N`.

    python benchmarks/bench_sweep.py [--size nato] [--values 64] [--workers 2] [--repeat 2]

On a synthetic instance of the size (benchmarks/generate.py), coalition `all`, the 2035 floor is
swept over `--values` values (2.0, 2.05, ...). Each run is a whole `python -m optimizer sweep`
process (imports, validation of every point, solves, writing each point's folder, sweep.csv and
its plot, verification), timed with perf_counter around the subprocess. Runs with 1 and with N
workers are interleaved (1 N, N 1, ...), so both see the same load; the speed-up is reported as
the ratio of medians and as the median of per-repeat ratios. Both runs must write the same
sweep.csv (checked). Written to benchmarks/results/sweep-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import RESULTS, ROOT, _machine  # noqa: E402
from generate import write_instance  # noqa: E402


def run_sweep(instance: Path, values: str, workers: int, out: Path) -> float:
    command = [sys.executable, "-m", "optimizer", "sweep", str(instance), "--coalition", "all",
               "--param", "spending_floor_pct_gdp.2035", "--values", values,
               "--workers", str(workers), "--out", str(out)]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sweep failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="nato", choices=["tiny", "nato", "medium"])
    parser.add_argument("--values", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    values = ",".join(f"{2.0 + 0.05 * i:.2f}" for i in range(args.values))
    times: dict[int, list[float]] = {1: [], args.workers: []}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        instance = write_instance(args.size, Path(tmp) / f"{args.size}.yaml")
        for r in range(args.repeat):
            order = [1, args.workers] if r % 2 == 0 else [args.workers, 1]
            for workers in order:
                out = Path(tmp) / f"out-{r}-{workers}"
                loads.append(os.getloadavg()[0])
                seconds = run_sweep(instance, values, workers, out)
                times[workers].append(seconds)
                print(
                    f"  [{r + 1}/{args.repeat}] {workers} worker(s): {seconds:7.1f} s", flush=True
                )
            a, b = (Path(tmp) / f"out-{r}-{w}" / "sweep.csv" for w in (1, args.workers))
            if a.read_bytes() != b.read_bytes():
                raise SystemExit("sweep.csv differs between 1 and N workers")
    one, many = statistics.median(times[1]), statistics.median(times[args.workers])
    paired = statistics.median(a / b for a, b in zip(times[1], times[args.workers], strict=True))
    report = {
        "size": args.size,
        "values": args.values,
        "workers": args.workers,
        "seconds": {str(k): v for k, v in times.items()},
        "median": {"1": one, str(args.workers): many},
        "speedup": one / many,
        "speedup_paired": paired,
        "load_average_before_runs": loads,
        "machine": _machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"sweep-{args.size}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{args.values} values, {args.size}: 1 worker {one:.1f} s, {args.workers} workers "
          f"{many:.1f} s: speed-up {one / many:.2f}× (paired {paired:.2f}×) → {path}")  # fmt: skip


if __name__ == "__main__":
    main()
