"""Stage timings and peak memory of the burden pipeline against the direct-highspy limit.

    python benchmarks/bench.py --size nato|medium|large [--repeat N] [--algorithm auto]

For a synthetic instance of the size (benchmarks/generate.py), coalition `all`:

(a) the burden pipeline (`optimizer.pipeline.one.solve_coalition` + `write_result`, as `burden solve`
    runs it) and (b) the direct route (benchmarks/direct.py: numpy → one `passModel` → HiGHS →
    numpy extract → csv), each in a FRESH subprocess, interleaved (a b, b a, a b, ...), N times;
    (b') by default also the direct route passing a filled `highspy.HighsLp`, as optimizer/solver/highs.py
    does (`direct-highslp`). Each child times its stages with time.perf_counter and reports its
    own peak memory (`ru_maxrss`) and HiGHS's iteration counts. The burden stages are timed
    without editing optimizer/: the child wraps the functions `optimizer.pipeline.one` calls (build_model,
    solve_model, extract), `attach_analysis`, and highspy's `Highs.passModel` / `Highs.run`, so
    "compile+pass" is solve_model's time up to the end of passModel and "solve" the rest of it
    (HiGHS's run, then the solution read into Python). The report (report.md/.html and plots) is
    written apart and shown as a part of "write".
(c) for the NATO size (or with --whole): whole processes, imports included, timed with
    perf_counter around the subprocess: `python -m optimizer solve INSTANCE --coalition all
    --out TMP` (also with --no-report when the CLI has it) against `python benchmarks/direct.py
    INSTANCE --out TMP`, interleaved, N times; peak memory of each from os.wait4. Beside them:
    `benchmarks/pyomo_floor.py` (load, derive, Pyomo build, compile and solve, nothing else: the
    floor under any command built on Pyomo), `python -c "import pyomo.core, pandas"` and
    `python -c pass`.

Medians over the repeats; "×" columns are ratios of the medians, "paired" ratios the median of
per-repeat ratios (runs adjacent in time: more robust on a loaded machine). `--algorithm` goes to
both routes (auto: burden's default, interior point from 500k columns). The table is printed
and written to benchmarks/results/<size>.json. The large size solves for ~20 min per process
here: run it with --repeat 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
STAGES = [
    "import",
    "load+validate",
    "derive",
    "build",
    "compile+pass",
    "  passModel",
    "solve",
    "  HiGHS run",
    "extract",
    "  analysis",
    "write",
    "  report",
]
#: the goal's "build + solve + extract": everything from the derived data to the result tables
CORE = ["build", "compile+pass", "solve", "extract"]
#: sums per run: the goal's core; the core without the HiGHS run itself (what the route adds to
#: the solver; the two routes hand HiGHS the same LP in a different row/column order, so its
#: pivots, and run time, may differ a little); and everything after the imports
DERIVED = ["build+solve+extract", "  without HiGHS run", "total (after import)"]


def _derived(stages: dict[str, float]) -> dict[str, float]:
    core = sum(stages[s] for s in CORE)
    return {
        "build+solve+extract": core,
        "  without HiGHS run": core - stages["  HiGHS run"],
        "total (after import)": sum(
            v for k, v in stages.items() if not k.startswith(" ") and k != "import"
        ),
    }


def _rss_mb() -> float:
    """Current resident set size (MB), from /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _iterations(h) -> dict[str, int]:
    """HiGHS's iteration counts of the last run (the work the solver did)."""
    info = h.getInfo()
    return {
        "simplex": int(info.simplex_iteration_count),
        "ipm": int(info.ipm_iteration_count),
        "crossover": int(info.crossover_iteration_count),
    }


def _progress(stage: str, seconds: float) -> None:
    """One line on stderr per finished stage, so a child stopped by the timeout still tells."""
    rec = {"stage": stage, "seconds": seconds, "peak_mb": _peak_mb()}
    print("PROGRESS " + json.dumps(rec), file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# children: one approach in a fresh process, stages as JSON on the last line of stdout
# --------------------------------------------------------------------------------------------


def child_burden(instance_path: Path, algorithm: str, out: Path, coalition: str) -> dict:
    """`burden solve`'s work in-process, stage by stage."""
    t0 = time.perf_counter()
    import highspy

    import optimizer.analysis.attach
    import optimizer.model
    import optimizer.pipeline.diagnose  # noqa: F401  (what optimizer.pipeline.one imports when it solves)
    import optimizer.pipeline.one as run
    import optimizer.results.extract  # noqa: F401  (the module: the package re-exports a function)
    import optimizer.solver.highs
    from optimizer.derive import derive

    try:  # the pipeline writes folders (tables, report, manifest)
        from optimizer.pipeline.folder import write_result
    except ImportError:  # older versions: results wrote the report too
        from optimizer.results.write import write_result
    from optimizer.solver.highs import SolveOptions

    try:  # what `burden solve` calls (overrides, then validation)
        from optimizer.instance.overrides import load_instance_with

        def load(path):
            return load_instance_with(path, (), None)
    except ImportError:
        from optimizer.instance import load_instance as load

    t = {"import": time.perf_counter() - t0}
    rss_after_import = _rss_mb()
    marks: dict[str, list[float]] = {"pass": [], "run": []}
    iterations: list[dict[str, int]] = []
    #: each HiGHS run of the solve (v2 at interior-point size: the warm-started stage, the exact
    #: stage, the tie-break), with the memory after it
    highs_runs: list[dict[str, float]] = []

    def wrap(owner, name, key):
        inner = getattr(owner, name, None)
        if inner is None:
            return

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                end = time.perf_counter()
                marks.setdefault(key, []).append((start, end))
                if key == "run":  # args[0]: the Highs object
                    its = _iterations(args[0])
                    iterations.append(its)
                    highs_runs.append(
                        {"seconds": end - start, **its, "rss_mb": _rss_mb(), "peak_mb": _peak_mb()}
                    )
                _progress(key, end - start)

        setattr(owner, name, timed)

    wrap(highspy.Highs, "passModel", "pass")
    wrap(highspy.Highs, "run", "run")
    # where `optimizer.pipeline.one` finds them: its own names (older versions) or, imported at each
    # solve, the attributes of their home modules
    for owner in (run, optimizer.model):
        wrap(owner, "build_model", "build")
    for owner in (run, optimizer.solver.highs):
        wrap(owner, "solve_model", "solve_model")
    if hasattr(run, "read_solution"):  # extract, then the analysis, both in the pipeline
        wrap(run, "read_solution", "extract")
    else:  # older versions: extract attached the analysis itself
        for owner in (run, sys.modules["optimizer.results.extract"]):
            wrap(owner, "extract", "extract")
    for owner in (sys.modules["optimizer.results.extract"], optimizer.analysis.attach):
        wrap(owner, "attach_analysis", "analysis")

    s = time.perf_counter()
    instance = load(instance_path)
    t["load+validate"] = time.perf_counter() - s
    s = time.perf_counter()
    derived = derive(instance)
    t["derive"] = time.perf_counter() - s
    for key in ("import", "load+validate", "derive"):
        _progress(key, t[key])
    result = run.solve_coalition(instance, coalition, SolveOptions(algorithm=algorithm), derived)
    # the result folder as `burden solve` writes it; report.md/.html and plots timed apart
    import inspect

    s = time.perf_counter()
    if "report" in inspect.signature(write_result).parameters:
        write_result(result, out, force=True, report=False)
        t["write"] = time.perf_counter() - s
        s = time.perf_counter()
        try:
            from optimizer.report.html import write_report
        except ImportError:
            from optimizer.analysis.report import write_report
        write_report(result, out)
        t["  report"] = time.perf_counter() - s
        t["write"] += t["  report"]
    else:  # no `report` switch: one piece
        write_result(result, out, force=True)
        t["write"] = time.perf_counter() - s
        t["  report"] = float("nan")

    def span(key):
        return sum(b - a for a, b in marks.get(key, []))

    t["build"] = span("build")
    (sm_start, sm_end) = marks["solve_model"][0]
    passes = [m for m in marks["pass"] if sm_start <= m[0] <= sm_end]
    runs = [m for m in marks["run"] if sm_start <= m[0] <= sm_end]
    t["  passModel"] = sum(b - a for a, b in passes)
    t["compile+pass"] = passes[-1][1] - sm_start if passes else float("nan")
    t["solve"] = sm_end - passes[-1][1] if passes else float("nan")
    t["  HiGHS run"] = sum(b - a for a, b in runs)
    t["extract"] = span("extract")
    t["  analysis"] = span("analysis")
    return {
        "stages": t,
        "iterations": iterations[-1] if iterations else None,
        "highs_runs": highs_runs,
        "status": result.status,
        "objective": result.summary["objective"],
        "rss_after_import_mb": rss_after_import,
        "peak_mb": _peak_mb(),
    }


def child_direct(
    instance_path: Path, algorithm: str, out: Path, coalition: str, via: str = "arrays"
) -> dict:
    """The direct route in-process, stage by stage."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(HERE))
    import direct

    from optimizer.derive import derive
    from optimizer.instance import load_instance

    t = {"import": time.perf_counter() - t0}
    rss_after_import = _rss_mb()
    s = time.perf_counter()
    instance = load_instance(instance_path)
    t["load+validate"] = time.perf_counter() - s
    s = time.perf_counter()
    derived = derive(instance)
    t["derive"] = time.perf_counter() - s
    s = time.perf_counter()
    lp = direct.build_direct_lp(instance, derived, instance.coalitions[coalition])
    t["build"] = time.perf_counter() - s
    s = time.perf_counter()
    h = direct.pass_direct(lp, algorithm, via=via)
    t["compile+pass"] = t["  passModel"] = time.perf_counter() - s
    s = time.perf_counter()
    status = direct._run(h)
    t["  HiGHS run"] = time.perf_counter() - s
    iterations = _iterations(h)
    sol = h.getSolution()
    import numpy as np

    x = np.asarray(sol.col_value)
    solution = direct.DirectSolution(
        status, float(lp.cost @ x), x, np.asarray(sol.row_value), np.asarray(sol.row_dual)
    )
    t["solve"] = time.perf_counter() - s
    solution.seconds = t["solve"]
    s = time.perf_counter()
    tables = direct.extract_direct(lp, solution)
    t["extract"] = time.perf_counter() - s
    t["  analysis"] = t["  report"] = 0.0
    s = time.perf_counter()
    direct.write_direct(lp, solution, tables, out, coalition)
    t["write"] = time.perf_counter() - s
    return {
        "stages": t,
        "iterations": iterations,
        "status": status,
        "objective": solution.objective,
        "lp": {"columns": lp.num_col, "rows": lp.num_row, "nonzeros": lp.num_nz},
        "rss_after_import_mb": rss_after_import,
        "peak_mb": _peak_mb(),
    }


# --------------------------------------------------------------------------------------------
# the parent: interleave fresh processes, take medians
# --------------------------------------------------------------------------------------------


def _run_child(approach: str, instance: Path, algorithm: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            approach,
            "--instance",
            str(instance),
            "--algorithm",
            algorithm,
            "--out",
            str(Path(tmp) / "out"),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired as exc:
            return _partial(approach, exc, timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{approach} child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _partial(approach: str, exc: subprocess.TimeoutExpired, timeout: float) -> dict:
    """What a child stopped by the timeout had reported: the stages it finished."""
    err = exc.stderr or ""
    err = err.decode(errors="replace") if isinstance(err, bytes) else err
    done: dict[str, float] = {}
    peak = float("nan")
    for line in err.splitlines():
        if line.startswith("PROGRESS "):
            rec = json.loads(line[len("PROGRESS ") :])
            done[rec["stage"]] = done.get(rec["stage"], 0.0) + rec["seconds"]
            peak = rec["peak_mb"]
    print(
        f"  {approach}: stopped by the timeout ({timeout:.0f} s); finished: {done}", file=sys.stderr
    )
    stages = dict.fromkeys(STAGES, float("nan"))
    stages.update({k: v for k, v in done.items() if k in stages})
    return {
        "stages": stages,
        "status": "timeout",
        "objective": None,
        "timeout_seconds": timeout,
        "finished_stages": done,
        "peak_mb": peak,
    }


def _timed_process(cmd: list[str], timeout: float) -> tuple[float, float, int]:
    """Wall seconds (perf_counter around the process) and its peak memory (MB, from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def whole_process(instance: Path, repeat: int, timeout: float) -> dict:
    """`burden solve` (with and, if it has the switch, without reports) against `direct.py`:
    whole processes, imports included, interleaved."""
    solve = [sys.executable, "-m", "optimizer", "solve", str(instance), "--coalition", "all"]
    help_text = subprocess.run(
        [*solve[:4], "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    commands = {"burden solve": solve}
    if "--no-report" in help_text:
        commands["burden solve --no-report"] = [*solve, "--no-report"]
    commands["pyomo_floor.py"] = [sys.executable, str(HERE / "pyomo_floor.py"), str(instance)]
    commands["direct.py"] = [sys.executable, str(HERE / "direct.py"), str(instance)]
    commands["import pyomo.core, pandas"] = [sys.executable, "-c", "import pyomo.core, pandas"]
    commands["python -c pass"] = [sys.executable, "-c", "pass"]
    no_out = {"import pyomo.core, pandas", "python -c pass"}
    # A planner's machine keeps the project's bytecode after the first run; this one may not
    # (PYTHONDONTWRITEBYTECODE), and compiling the package's sources costs ~0.2 s per process.
    # Write the caches once, so that every route runs as it does from the second run on.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "optimizer", "benchmarks"], cwd=ROOT, check=True
    )
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as tmp:
        for i in range(repeat):
            order = list(commands) if i % 2 == 0 else list(commands)[::-1]
            for k, name in enumerate(order):
                cmd = commands[name]
                if name not in no_out:
                    cmd = [*cmd, "--out", str(Path(tmp) / f"{i}-{k}")]
                seconds, peak, code = _timed_process(cmd, timeout)
                if code != 0:
                    raise RuntimeError(f"{name} exited {code}: {' '.join(cmd)}")
                runs[name].append((seconds, peak))
                print(f"  [{i + 1}/{repeat}] {name:26} {seconds:6.2f} s", file=sys.stderr)
    med = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
    mem = {k: statistics.median(m for _, m in v) for k, v in runs.items()}
    return {
        "bytecode": "compiled once before the runs (python -m compileall optimizer benchmarks)",
        "commands": {
            k: " ".join(v) + ("" if k in no_out else " --out TMP") for k, v in commands.items()
        },
        "seconds": {k: [s for s, _ in v] for k, v in runs.items()},
        "median_seconds": med,
        "median_peak_mb": mem,
        "ratio": {k: med[k] / med["direct.py"] for k in commands},
        "paired_ratio": {
            k: statistics.median(
                a / b for (a, _), (b, _) in zip(runs[k], runs["direct.py"], strict=True)
            )
            for k in commands
        },
        "memory_ratio": {k: mem[k] / mem["direct.py"] for k in commands},
    }


def _machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for mod in ("highspy", "pyomo", "numpy"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:  # noqa: BLE001  (informational only)
            versions[mod] = None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain", "optimizer"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": versions,
        "git": commit + ("+dirty optimizer/" if dirty else ""),
    }


def _fmt(v: float) -> str:
    if v != v:  # NaN
        return "—"
    return f"{v:.3f}" if v < 100 else f"{v:.1f}"


def _table(report: dict) -> str:
    med = report["median"]
    names = list(med)
    lines = []
    head = f"{'stage (median s)':28}" + "".join(f"{n:>15}" for n in names)
    head += "".join(f"{'× ' + n:>18}" for n in names[1:])
    lines += [head, "-" * len(head)]
    rows = [*STAGES, *DERIVED, "peak memory MB"]
    for stage in rows:
        vals = [med[n][stage] for n in names]
        line = f"{stage:28}" + "".join(f"{_fmt(v):>15}" for v in vals)
        for v in vals[1:]:
            line += f"{(vals[0] / v if v else float('nan')):>18.2f}"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "nato", "medium", "large"], default="nato")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--algorithm",
        choices=["auto", "choose", "simplex", "ipm"],
        default="auto",
        help="HiGHS solver for both routes; auto: burden's default (ipm from 500k columns)",
    )
    parser.add_argument("--instance", type=Path, help="use this file instead of the size's")
    parser.add_argument("--coalition", default="all")
    parser.add_argument(
        "--whole",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whole-process comparison (default: on for nato)",
    )
    parser.add_argument(
        "--highslp",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run the direct route passing a filled highspy.HighsLp (default: not large)",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per child")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/SIZE.json)")
    # child mode
    parser.add_argument("--child", choices=["burden", "direct", "direct-highslp"])
    args = parser.parse_args()

    if args.child:
        out = Path(tempfile.mkdtemp()) / "out" if args.out is None else args.out
        if args.child == "burden":
            rec = child_burden(args.instance, args.algorithm, out, args.coalition)
        else:
            via = "highslp" if args.child == "direct-highslp" else "arrays"
            rec = child_direct(args.instance, args.algorithm, out, args.coalition, via)
        print(json.dumps(rec))
        return

    sys.path.insert(0, str(HERE))
    from generate import SIZES, write_instance

    RESULTS.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix="bench-instance-"))
    instance = args.instance or write_instance(args.size, tmpdir / f"{args.size}.yaml")
    label = args.instance.stem if args.instance else args.size
    approaches = ["burden", "direct"]
    if args.highslp if args.highslp is not None else args.size != "large":
        approaches.append("direct-highslp")
    load_before = os.getloadavg()
    started = time.time()
    runs: dict[str, list[dict]] = {a: [] for a in approaches}
    for i in range(args.repeat):
        order = approaches if i % 2 == 0 else approaches[::-1]
        for name in order:
            rec = _run_child(name, instance, args.algorithm, args.timeout)
            runs[name].append(rec)
            print(
                f"  [{i + 1}/{args.repeat}] {name:15} "
                f"{sum(v for k, v in rec['stages'].items() if not k.startswith(' ')):8.2f} s  "
                f"peak {rec['peak_mb']:7.0f} MB  objective {rec['objective']}",
                file=sys.stderr,
                flush=True,
            )
    objectives = [r["objective"] for rs in runs.values() for r in rs if r["objective"] is not None]
    spread = (max(objectives) - min(objectives)) / max(1.0, abs(max(objectives)))

    median: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():
        m = {s: statistics.median(r["stages"][s] for r in rs) for s in STAGES}
        for key in DERIVED:
            m[key] = statistics.median(_derived(r["stages"])[key] for r in rs)
        m["peak memory MB"] = statistics.median(r["peak_mb"] for r in rs)
        median[name] = m
    ratios = {
        name: {s: median["burden"][s] / v if v else None for s, v in median[name].items()}
        for name in approaches[1:]
    }
    # paired: run i of burden against run i of the other route (adjacent in time), then median
    paired = {}
    for name in approaches[1:]:
        paired[name] = {}
        for key in DERIVED:
            pairs = [
                _derived(a["stages"])[key] / _derived(b["stages"])[key]
                for a, b in zip(runs["burden"], runs[name], strict=True)
                if a["objective"] is not None and b["objective"] is not None
            ]
            paired[name][key.strip()] = statistics.median(pairs) if pairs else None
        paired[name]["peak memory"] = statistics.median(
            a["peak_mb"] / b["peak_mb"] for a, b in zip(runs["burden"], runs[name], strict=True)
        )
    report = {
        "size": label,
        "dimensions": dict(
            zip(("countries", "years", "areas", "programmes"), SIZES[args.size], strict=True)
        )
        if not args.instance
        else None,
        "lp": runs["direct"][0].get("lp"),
        "date": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
        "machine": _machine(),
        "load_average_before": load_before,
        "algorithm": args.algorithm,
        "repeat": args.repeat,
        "how": "fresh subprocess per approach and repeat, interleaved; medians; ratio = burden/direct",
        "objective_spread_rel": spread,
        "median": median,
        "ratio": ratios,
        "paired_ratio": paired,
        "iterations": {n: [r.get("iterations") for r in rs] for n, rs in runs.items()},
        "runs": runs,
    }
    print(_table(report))
    print(f"objectives agree to {spread:.1e} relative across all runs")
    for name, pr in paired.items():
        text = ", ".join(f"{k} {v:.2f}×" for k, v in pr.items() if v is not None)
        print(f"paired ratios burden/{name} (median over repeats): {text}")
    for name, its in report["iterations"].items():
        print(f"HiGHS iterations {name}: {its[0]}")
    for name, rs in runs.items():
        for i, run in enumerate(rs[0].get("highs_runs") or []):
            print(
                f"HiGHS run {i + 1} of {name}: " + ", ".join(f"{k} {v:.4g}" for k, v in run.items())
            )
    whole_wanted = args.whole if args.whole is not None else args.size == "nato"
    if whole_wanted:
        w = whole_process(instance, args.repeat, args.timeout)
        report["whole_process"] = w
        print(f"whole process, imports included (median of {args.repeat}, interleaved):")
        for name, sec in w["median_seconds"].items():
            print(
                f"  {name:26} {sec:7.2f} s  {w['ratio'][name]:5.2f}× direct.py (paired "
                f"{w['paired_ratio'][name]:5.2f}×)   peak "
                f"{w['median_peak_mb'][name]:6.0f} MB ({w['memory_ratio'][name]:.2f}×)"
            )
    report["load_average_after"] = os.getloadavg()
    out = args.out or RESULTS / f"{label}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
