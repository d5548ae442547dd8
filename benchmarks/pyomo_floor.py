"""The least a process can do on the Pyomo route: the floor under any `burden solve`.

    python benchmarks/pyomo_floor.py INSTANCE [--coalition NAME] [--out DIR]

Load and validate the instance, derive, import Pyomo, build the model (`build_model`), compile
it and solve it with HiGHS (`solve_model`), then write the objective to DIR/summary.json. No
result tables, no analysis, no command line, no pandas: only what the Pyomo route itself needs.
`bench.py`'s whole-process comparison runs it beside `burden solve` and `direct.py`; its time
over direct.py's is what Pyomo alone costs as a whole process, which no command built on it can
go below.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from optimizer.derive import derive
from optimizer.instance import load_instance
from optimizer.model import build_model
from optimizer.options import SolveOptions
from optimizer.process import exit_now
from optimizer.solver.highs import solve_model


def main(argv: list[str] | None = None) -> int:
    """Load, derive, build, compile, solve; write summary.json; exit 0 when optimal."""
    parser = argparse.ArgumentParser(description="The Pyomo route and nothing else.")
    parser.add_argument("instance", type=Path)
    parser.add_argument("--coalition", default=None)
    parser.add_argument("--out", type=Path, default=Path("burden-results/pyomo-floor"))
    args = parser.parse_args(argv)
    instance = load_instance(args.instance)
    members = instance.coalitions[args.coalition or instance.default_coalition]
    model = build_model(instance, derive(instance), members)
    outcome = solve_model(model, instance.objective, SolveOptions(), consume=True)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {"status": outcome.status, "objective": outcome.objective}
    (args.out / "summary.json").write_text(json.dumps(summary) + "\n", encoding="utf-8")
    print(f"{outcome.status} objective {outcome.objective}")
    return 0 if outcome.status == "optimal" else 3


if __name__ == "__main__":
    # as `burden` does (optimizer/process.py): the comparison is like for like, teardown skipped
    exit_now(main())
