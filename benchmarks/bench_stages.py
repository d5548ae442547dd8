"""Where a NATO-size `burden solve` spends its time, stage by stage (issue 16), one run.

    python benchmarks/bench_stages.py [--repeat 5] [--report]

Each repeat is a fresh process that does what `burden solve` does (optimizer/cli/entry.py:
`solve`), in the same order, with `time.perf_counter` between the stages: import the command
line (typer, rich, pydantic and the instance schema), load the instance, import pandas, import
Pyomo and highspy, solve (build, compile, HiGHS, read the solution, extract and analyse), the
manifest, write the folder (with `--report`, report.md and report.html too), print the summary
(to /dev/null) and verify the folder, then end as `burden` does (`exit_now`). Interleaved with those, `direct.py` and `pyomo_floor.py`
run as whole processes. The table gives each stage's median, and the arithmetic of issue 16's
goals: what a stage costs as a multiple of the direct solve.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from optimizer.process import exit_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _child(instance: Path, out: Path, report: bool) -> None:
    """One `burden solve` of `instance`, its stages timed; prints them as JSON."""
    laps = [("start", time.perf_counter())]

    def lap(name: str) -> None:
        laps.append((name, time.perf_counter()))

    from rich.console import Console

    import optimizer.cli.entry  # noqa: F401  (the command line, as `burden` imports it)

    lap("import the command line")
    from optimizer.cli.common import load

    inst = load(instance, None, None)
    lap("load the instance")
    import pandas  # noqa: F401

    lap("import pandas")
    import highspy  # noqa: F401

    import optimizer.model.build  # noqa: F401

    lap("import Pyomo and highspy")
    from optimizer.cli.checks import check_result
    from optimizer.options import SolveOptions
    from optimizer.pipeline.folder import write_result
    from optimizer.pipeline.one import solve_coalition
    from optimizer.report.terminal import print_summary
    from optimizer.results.manifest import RunClock, build_manifest

    options = SolveOptions()
    result = solve_coalition(inst, "all", options)
    lap("solve, extract, analyse")
    clock = RunClock()
    manifest = build_manifest(inst, command="solve", options=options, clock=clock, coalition="all")
    lap("manifest")
    write_result(result, out, force=True, report=report, manifest=manifest, clock=clock)
    lap("write the tables" + (" and the report" if report else ""))
    with open("/dev/null", "w", encoding="utf-8") as sink:
        console = Console(file=sink, width=120)
        print_summary(result, console)
        lap("print the summary")
        check_result(result, out, inst, console)
        lap("verify the folder")
    stages = {name: b - a for (_n, a), (name, b) in zip(laps, laps[1:], strict=False)}
    print(json.dumps(stages))
    exit_now(0)  # as `burden` ends (optimizer/process.py)


def _timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd} exited {done.returncode}: {done.stderr[-500:]}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--report", action="store_true", help="write the report too")
    parser.add_argument("--child", nargs=2, metavar=("INSTANCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]), args.report)
        return
    sys.path.insert(0, str(HERE))
    from generate import write_instance

    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        instance = Path(tmp) / "nato.yaml"
        write_instance("nato", instance)
        subprocess.run([py, "-m", "compileall", "-q", "optimizer"], cwd=ROOT, check=True)
        child = [py, __file__, *(["--report"] if args.report else []), "--child", str(instance)]
        stages: dict[str, list[float]] = {}
        wholes: dict[str, list[float]] = {"stages (whole process)": [], "direct.py": [],
                                          "pyomo_floor.py": []}  # fmt: skip
        for i in range(args.repeat):
            seconds, out = _timed([*child, str(Path(tmp) / f"out-{i}")])
            wholes["stages (whole process)"].append(seconds)
            for name, value in json.loads(out.splitlines()[-1]).items():
                stages.setdefault(name, []).append(value)
            wholes["direct.py"].append(_timed([py, str(HERE / "direct.py"), str(instance)])[0])
            floor = [py, str(HERE / "pyomo_floor.py"), str(instance), "--out", f"{tmp}/floor"]
            wholes["pyomo_floor.py"].append(_timed(floor)[0])
    direct = statistics.median(wholes["direct.py"])
    print(f"NATO size, median of {args.repeat} fresh processes; × direct = seconds ÷ direct.py's")
    print(f"{'stage':36} {'s':>7} {'× direct':>9}")
    for name, values in stages.items():
        median = statistics.median(values)
        print(f"{name:36} {median:7.3f} {median / direct:9.2f}")
    for name, values in wholes.items():
        median = statistics.median(values)
        print(f"{name:36} {median:7.3f} {median / direct:9.2f}")


if __name__ == "__main__":
    main()
