"""The planner's wait (issue 16): whole `burden` processes, this checkout against a baseline.

    python benchmarks/bench_wait.py --baseline /tmp/base-worktree [--repeat 3] [--out FILE]

Runs, interleaved (the order reversed on every other repeat), each in a fresh process with
`time.perf_counter` around it and peak memory from `os.wait4`:

- the NATO-size synthetic instance (`generate.py --size nato`): `burden solve` with and without
  the report, `direct.py` (the limit) and `pyomo_floor.py`, as `bench.py`'s whole-process part;
- `burden solve` of the same instance from the baseline checkout (with the report);
- `burden compare instances/nato-2035.yaml` (report included) from this checkout, by default
  and with `--workers 1`, and from the baseline.

The baseline is another worktree of this repository (e.g. `git worktree add --detach /tmp/base
main`): its commands run with that folder as the working directory, so `python -m optimizer`
imports its package, with this venv's dependencies. Bytecode is compiled in both first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench import _machine  # noqa: E402
from generate import write_instance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a worktree of the code to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--no-compare", action="store_true", help="skip the compare runs")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "wait-nato.json")
    args = parser.parse_args()

    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-wait-") as tmp:
        synthetic = Path(tmp) / "nato.yaml"
        write_instance("nato", synthetic)
        real = ROOT / "instances" / "nato-2035.yaml"
        solve = [py, "-m", "optimizer", "solve", str(synthetic), "--coalition", "all"]
        compare = [py, "-m", "optimizer", "compare", str(real), "--force"]
        commands: dict[str, tuple[list[str], Path]] = {
            "burden solve": (solve, ROOT),
            "burden solve --no-report": ([*solve, "--no-report"], ROOT),
            "pyomo_floor.py": ([py, str(HERE / "pyomo_floor.py"), str(synthetic)], ROOT),
            "direct.py": ([py, str(HERE / "direct.py"), str(synthetic)], ROOT),
        }
        roots = [ROOT]
        if args.baseline is not None:
            base = args.baseline.resolve()
            roots.append(base)
            commands["baseline: burden solve"] = (solve, base)
        if not args.no_compare:
            commands["burden compare nato-2035"] = (compare, ROOT)
            # compare's default is one process per coalition (up to the CPUs): also in one
            commands["burden compare nato-2035 --workers 1"] = ([*compare, "--workers", "1"], ROOT)
            if args.baseline is not None:
                commands["baseline: burden compare nato-2035"] = (compare, args.baseline.resolve())
        for root in roots:
            subprocess.run([py, "-m", "compileall", "-q", "optimizer"], cwd=root, check=True)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(args.repeat):
            order = list(commands) if i % 2 == 0 else list(commands)[::-1]
            for k, name in enumerate(order):
                cmd, cwd = commands[name]
                cmd = [*cmd, "--out", str(Path(tmp) / f"{i}-{k}")]
                seconds, peak, code, cpu = _timed_process_in(cmd, cwd, args.timeout)
                if code not in (0,):
                    raise RuntimeError(f"{name} exited {code}: {' '.join(cmd)}")
                runs[name].append((seconds, peak))
                cpus[name].append(cpu)
                print(f"  [{i + 1}/{args.repeat}] {name:36} {seconds:7.2f} s  cpu {cpu:7.2f} s",
                      file=sys.stderr)  # fmt: skip
    med = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
    paired = {
        k: statistics.median(a / b for (a, _), (b, _) in zip(v, runs["direct.py"], strict=True))
        for k, v in runs.items()
    }
    report = {
        "machine": _machine(),
        "baseline": str(args.baseline) if args.baseline else None,
        "commands": {k: " ".join(c) + " --out TMP" for k, (c, _r) in commands.items()},
        "seconds": {k: [s for s, _ in v] for k, v in runs.items()},
        "median_seconds": med,
        "median_peak_mb": {k: statistics.median(m for _, m in v) for k, v in runs.items()},
        "ratio_to_direct": {k: med[k] / med["direct.py"] for k in commands},
        "cpu_seconds": cpus,
        "median_cpu_seconds": {k: statistics.median(v) for k, v in cpus.items()},
        "cpu_ratio_to_direct": {
            k: statistics.median(cpus[k]) / statistics.median(cpus["direct.py"]) for k in commands
        },
        "paired_ratio_to_direct": paired,
    }
    base = "baseline: burden compare nato-2035"
    if base in med:
        for prefix, name in (("compare", "burden compare nato-2035"),
                             ("compare_workers_1", "burden compare nato-2035 --workers 1")):  # fmt: skip
            report[f"{prefix}_speedup"] = med[base] / med[name]
            report[f"{prefix}_paired_speedup"] = statistics.median(
                b / a for (a, _), (b, _) in zip(runs[name], runs[base], strict=True)
            )
            report[f"{prefix}_cpu_speedup"] = statistics.median(cpus[base]) / statistics.median(
                cpus[name]
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name in commands:
        print(f"{name:38} {med[name]:7.2f} s  ×direct {report['ratio_to_direct'][name]:5.2f} "
              f"(paired {paired[name]:5.2f}; cpu {report['cpu_ratio_to_direct'][name]:5.2f})")  # fmt: skip
    if "compare_speedup" in report:
        print(f"compare: {report['compare_speedup']:.2f}× faster than the baseline "
              f"(paired {report['compare_paired_speedup']:.2f}×, "
              f"cpu {report['compare_cpu_speedup']:.2f}×); --workers 1: "
              f"{report['compare_workers_1_speedup']:.2f}× "
              f"(paired {report['compare_workers_1_paired_speedup']:.2f}×, "
              f"cpu {report['compare_workers_1_cpu_speedup']:.2f}×)")  # fmt: skip


def _timed_process_in(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, float, int, float]:
    """Wall seconds, peak memory (MB), exit code and CPU seconds (user + system of the process
    and the children it waited for, from `os.wait4`): on a machine shared with other jobs the
    CPU seconds are the steadier measure, since the wall clock counts the time others ran."""
    import os
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            raise TimeoutError(" ".join(cmd))
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
