"""The solver settings a planner may change, without importing the solver.

Kept apart from `optimizer.solver.highs` (which imports Pyomo and highspy) so that the command line can
declare its options, and commands that never solve (`validate`, `--help`, `facts`) start fast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings a planner may change from the command line."""

    time_limit: float | None = None
    """Seconds for the whole solve (all stages); None: no limit."""
    mip_gap: float = 1e-9
    """Relative MIP gap; tight so the chosen coalition's optimum is exact to well below 1e-6."""
    algorithm: str = "auto"
    """HiGHS `solver` option (`choose`, `simplex`, `ipm`), or `auto`: by size (`algorithm_for`)."""


#: Shapley values are computed exactly (every sub-coalition) up to this many members, else by
#: sampled permutations (`optimizer.analysis.shapley`, `burden shapley --exact-limit`).
SHAPLEY_EXACT_LIMIT = 12

#: Above this many columns an LP goes to interior point: on the large benchmark size (1.6 M
#: columns) it solved 1.6× faster than dual simplex (PERFORMANCE.md); small and medium LPs, and
#: every warm-started re-solve, are faster with simplex.
IPM_FROM_COLUMNS = 500_000


def algorithm_for(options: SolveOptions, n_columns: int, mixed_integer: bool) -> str:
    """The HiGHS `solver` option for a model of this size."""
    if options.algorithm != "auto":
        return options.algorithm
    if not mixed_integer and n_columns >= IPM_FROM_COLUMNS:
        return "ipm"
    return "choose"
