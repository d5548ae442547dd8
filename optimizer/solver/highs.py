"""The one place that talks to HiGHS.

Route (see docs/performance.md): the Pyomo model is compiled once with Pyomo's
`LinearStandardFormCompiler` and handed to highspy in memory with `passModel`. That measured
fastest among the Pyomo routes, needs no files on disk, sidesteps the callback leak of Pyomo's
persistent interface, and lets the lexicographic stages and the fix-and-relax re-solve of
coalition choice change costs, bounds and rows on the same HiGHS object.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.core as pyo

from optimizer.options import SolveOptions, algorithm_for  # noqa: F401  (SolveOptions: re-exported)
from optimizer.signals import signals_deferred
from optimizer.solver.standard_form import compile_standard_form
from optimizer.stages import stage

INF = highspy.kHighsInf

#: Stage holds of the max_pain objective (MODEL.md, "Objective"): value · (1 + REL) + ABS.
HOLD_REL = 1e-6
HOLD_ABS = 1e-9
#: The warm start of the last pain stage (`HighsSession.minimise_last_stage`): pain plus this
#: multiple (times the largest pain coefficient) of procurement. A speed choice only.
WARM_START, WARM_EPS = "pain_then_procurement", 1e-5
#: The warm-started stage runs without HiGHS's presolve below this many columns: on LPs this
#: small presolve and postsolve cost more than the iterations they save (nato-2035, 11,198
#: columns: 0.055 s against 0.084 s for the three runs of a solve; the synthetic NATO size, 12,184:
#: 0.15 s against 0.19 s), while on the synthetic medium size (133,270 columns) presolve saves
#: time (4.6 s against 6.2 s). benchmarks/README.md, "The least-procurement tie-break".
PRESOLVE_FROM_COLUMNS = 50_000
#: The tie-break's hold on the last stage's objective (MODEL.md v2): z* · (1 + REL) + ABS.
TIE_REL = 1e-7
TIE_ABS = 1e-7


@dataclass
class SolveOutcome:
    """What a solve found, in terms of the Pyomo model's component names and indices."""

    status: str
    """`optimal`, `infeasible`, `unbounded`, `time_limit` or `error`."""
    message: str = ""
    objective: float | None = None
    """The spec's objective: total_pain's value, or m* under max_pain."""
    stage_values: dict[str, float] = field(default_factory=dict)
    """`shortfall_cost*` (q*) and `max_pain_pct*` (m*) of the lexicographic stages."""
    values: dict[str, dict[Any, float]] = field(default_factory=dict)
    """Variable component name → index → value."""
    duals: dict[str, dict[Any, float]] = field(default_factory=dict)
    """Constraint component name → index → dual (HiGHS sign: ≥ rows ≥ 0 in a minimisation)."""
    row_values: dict[str, dict[Any, float]] = field(default_factory=dict)
    """Constraint component name → index → row activity (the row's variable part at the solution)."""
    slacks: dict[str, dict[Any, float]] = field(default_factory=dict)
    """Constraint component name → index → distance of the activity to the row's nearer finite
    bound, as the row stood on the HiGHS object (0 for an equality; in the row's own units)."""
    senses: dict[str, dict[Any, int]] = field(default_factory=dict)
    """Constraint component name → index → the compiled row's form: −1 `body ≥ lower`, 1
    `body ≤ upper`, 0 an equality. Pyomo writes `x ≥ y·z` (variables on both sides) as
    `y·z − x ≤ 0`, so a family's duals carry the sign of this form, not of its formula."""
    mip_gap: float | None = None
    seconds: float = 0.0
    solver_version: str = ""
    mixed_integer: bool = False
    incumbent: dict[str, Any] | None = None
    """A MILP stopped by a limit with a feasible plan in `values` (its best so far): `stage` (the
    objective being minimised), `objective` (its value), `mip_gap`, `dual_bound`."""
    numerics: dict[str, Any] = field(default_factory=dict)
    """HiGHS's accuracy measures of the last run (max and sum of primal and dual
    infeasibilities, ...) and `trouble`: whether they exceed ten times HiGHS's tolerances."""

    def value(self, var: str, index: Any) -> float:
        """A variable's value (0 for a variable the model does not have)."""
        return self.values.get(var, {}).get(index, 0.0)


@functools.cache
def highs_version() -> str:
    """The HiGHS version string, e.g. `1.15.1`."""
    h = highspy.Highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
    highspy.HighsModelStatus.kSolutionLimit: "time_limit",
    highspy.HighsModelStatus.kInterrupt: "time_limit",
    highspy.HighsModelStatus.kModelEmpty: "optimal",  # no column at all: nothing to decide
}


# for the status line (`optimizer.stages`)
_ALGORITHMS = {"simplex": "dual simplex", "ipm": "interior point"}  # "choose": HiGHS's own
_OBJECTIVES = {
    "total_pain_objective": "total pain",
    "shortfall_objective": "stage 1, shortfall cost",
    "max_pain_objective": "stage 2, the largest member's pain",
    "procurement_objective": "tie-break, least procurement",
    "pain_then_procurement": "total pain (warm start for the tie-break)",
}

_STATUS_TEXT = {
    "infeasible": "no plan meets every constraint (HiGHS: infeasible, confirmed without presolve)",
    "unbounded": "the objective is unbounded (HiGHS)",
    "time_limit": "stopped by the time limit before an optimal plan was proven",
    "error": "HiGHS failed to solve the model",
}


def _numerics_text(numerics: dict[str, Any]) -> str:
    """` (HiGHS: max primal infeasibility 1e-3, max dual infeasibility 2e-6)`."""
    parts = [
        f"{name.replace('_', ' ')} {numerics[name]:.3g}"
        for name in ("max_primal_infeasibility", "max_dual_infeasibility")
        if numerics.get(name) is not None
    ]
    return f" (HiGHS: {', '.join(parts)})" if parts else ""


def run_highs(h: highspy.Highs) -> highspy.HighsStatus:
    """`h.run()`, interruptible: Ctrl-C or SIGTERM stops HiGHS within moments, not at its end.

    Python runs signal handlers only in the main thread and only between bytecodes, so during a
    long `run()` in the main thread (HiGHS releases the GIL) a signal would wait for the solve to
    end. Here HiGHS runs in a helper thread while the main thread waits; the exception raised by
    the handler (`optimizer.cli.entry._terminate`) cancels the solve through HiGHS's user-interrupt
    callback, and propagates once HiGHS has stopped. The callback is removed after each run:
    highspy 1.15.1 adds one more on each enabling (HiGHS #3251), which slows long re-solve loops.
    Outside the main thread (Dask workers) no signal can arrive: a plain `run()`.
    """
    if threading.current_thread() is not threading.main_thread():
        return h.run()
    status: list[highspy.HighsStatus] = []
    finished = threading.Event()  # not Thread.join: interrupted, a later join() can return early

    def run() -> None:
        try:
            status.append(h.run())
        finally:
            finished.set()

    helper = threading.Thread(target=run, daemon=True)
    h.HandleUserInterrupt = True
    try:
        try:
            # A signal handled while start() waits for the helper would leave HiGHS running in
            # it as the process exits, and the C++ runtime aborts ("terminate called without an
            # active exception", exit code -6; seen once in CI on SIGTERM): signals wait until
            # the helper has started, and are then handled inside this block.
            with signals_deferred():
                helper.start()
            while not finished.wait(0.1):
                pass
        except BaseException:
            if helper.ident is not None:  # started: stop it and wait, however it ends
                while not finished.wait(0.05):
                    h.cancelSolve()  # again: a run that began after the first cancel
            raise
    finally:
        h.HandleUserInterrupt = False
    return status[0] if status else highspy.HighsStatus.kError


class Compiled:
    """A Pyomo model as HiGHS arrays, with the maps back to component names.

    The arrays go to HiGHS through highspy's array overload of `passModel` (`pass_to`): filling a
    `highspy.HighsLp` instead converts each numpy array element by element (highspy 1.15.1; ~3 s
    at 12 M nonzeros) and keeps one more copy of the matrix alive.
    """

    def __init__(self, m: pyo.ConcreteModel, objectives: list[pyo.Objective]):
        for obj in m.component_data_objects(pyo.Objective):
            obj.deactivate()
        for obj in objectives:
            obj.activate()
        info = compile_standard_form(m)
        self.columns = info.columns
        self.rows = info.rows
        n = len(self.columns)
        self.num_col, self.num_row = n, len(self.rows)
        self._col_index: dict[int, int] | None = None  # made on first use: 1.6 M entries is
        # ~150 MB at the large size, which a one-shot total_pain solve never needs
        cost = info.c.toarray() if n else np.zeros((len(objectives), 0))
        self.costs = {
            obj.parent_component().local_name: (cost[i], float(info.c_offset[i]))
            for i, obj in enumerate(info.objectives)
        }
        self.col_lower = np.array([-INF if v.lb is None else v.lb for v in self.columns], float)
        self.col_upper = np.array([INF if v.ub is None else v.ub for v in self.columns], float)
        rhs = np.asarray(info.rhs, dtype=float)
        #: −1 `body ≥ lower`, 1 `body ≤ upper`, 0 an equality (see `SolveOutcome.senses`)
        self.row_kinds = np.array([row.bound_type for row in self.rows], dtype=int)
        kinds = self.row_kinds
        self.row_lower = np.where(kinds <= 0, rhs, -INF) if len(rhs) else np.zeros(0)
        self.row_upper = np.where(kinds >= 0, rhs, INF) if len(rhs) else np.zeros(0)
        a = info.A.tocsc()
        self.a_start = a.indptr.astype(np.int32, copy=False)
        self.a_index = a.indices.astype(np.int32, copy=False)
        self.a_value = a.data.astype(float, copy=False)
        self.integer_cols = [i for i, v in enumerate(self.columns) if v.is_integer()]
        # all columns listed: highspy 1.15.1 reads an empty integrality array as garbage
        self.integrality = np.zeros(n, dtype=np.int32)
        self.integrality[self.integer_cols] = int(highspy.HighsVarType.kInteger)
        self._row_labels: list[tuple[str, Any]] | None = None

    def column(self, var: pyo.Var) -> int | None:
        """The HiGHS column of a Pyomo variable (None: the model does not use it)."""
        if self._col_index is None:
            self._col_index = {id(v): i for i, v in enumerate(self.columns)}
        return self._col_index.get(id(var))

    def columns_of(self, variables: list[pyo.Var]) -> np.ndarray:
        """The HiGHS columns of a few variables, in column order, without making the index of
        every column that `column` makes (a one-shot solve needs only these)."""
        if self._col_index is not None:
            found = (self._col_index.get(id(v)) for v in variables)
            return np.array(sorted(i for i in found if i is not None), dtype=np.int32)
        wanted = {id(v) for v in variables}
        if not wanted:
            return np.zeros(0, dtype=np.int32)
        return np.array([i for i, v in enumerate(self.columns) if id(v) in wanted], dtype=np.int32)

    def pass_to(self, h: highspy.Highs) -> highspy.HighsStatus:
        """Load the model (costs zero: each stage sets its own) into `h` in one call."""
        return h.passModel(
            self.num_col, self.num_row, len(self.a_value), int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize), 0.0, np.zeros(self.num_col), self.col_lower,
            self.col_upper, self.row_lower, self.row_upper, self.a_start, self.a_index,
            self.a_value, self.integrality,
        )  # fmt: skip

    def row_labels(self) -> list[tuple[str, Any]]:
        """Each row's constraint as (component name, index)."""
        if self._row_labels is None:
            self._row_labels = [
                (row.constraint.parent_component().local_name, row.constraint.index())
                for row in self.rows
            ]
        return self._row_labels

    def release(self) -> None:
        """Forget the matrix (HiGHS holds its copy) and the Pyomo rows (their names are kept),
        so that the model's constraints can be freed before HiGHS runs."""
        self.row_labels()
        self.rows = None
        self.a_start = self.a_index = self.a_value = None


class _Run:
    """One HiGHS object through the stages of one solve."""

    def __init__(self, compiled: Compiled, options: SolveOptions):
        self.c = compiled
        self.options = options
        self.started = time.perf_counter()
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_rel_gap", options.mip_gap)
        self.h.setOptionValue("mip_abs_gap", 1e-10)
        self.algorithm = algorithm_for(options, compiled.num_col, bool(compiled.integer_cols))
        self.h.setOptionValue("solver", self.algorithm)
        # Coalition choice has few binaries and a tight LP relaxation: HiGHS's sub-MIP and
        # rounding heuristics took 60-70 % of the MILP's time on nato-2035 (14 s → 4.3 s without
        # them, same optimum); branch and bound proves the optimum either way.
        for heuristic in ("rins", "rens", "root_reduced_cost", "zi_round"):
            self.h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
        # Determinism: the same model gives the same vertex, byte for byte (one thread, one seed).
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("random_seed", 0)
        self.pass_status = compiled.pass_to(self.h)
        self.mixed_integer = bool(compiled.integer_cols)  # until `fix_integers`
        #: Run HiGHS so that a signal stops it at once (`run_highs`). Re-solve loops of short
        #: solves turn it off: the interrupt callback costs each simplex iteration a Python call.
        self.interruptible = True

    def remaining(self) -> float | None:
        if self.options.time_limit is None:
            return None
        return max(0.0, self.options.time_limit - (time.perf_counter() - self.started))

    def minimise(self, objective: str) -> str:
        if self.pass_status == highspy.HighsStatus.kError:
            # HiGHS refused the model (e.g. a coefficient beyond 1e15): some versions then solve
            # an empty model and call it optimal, so never run it
            return "error"
        cost, _offset = self.c.costs[objective]
        n = len(cost)
        if n:
            self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        left = self.remaining()
        if left is not None:
            self.h.setOptionValue("time_limit", max(left, 1e-3))
        self.current_objective = objective
        stage(lambda: self._running(objective))
        self.run_status = self._run()
        status = _STATUS.get(self.h.getModelStatus(), "error")
        if status in ("infeasible", "infeasible_or_unbounded"):
            status = self._confirm_without_presolve()
        return status

    def _run(self) -> highspy.HighsStatus:
        return run_highs(self.h) if self.interruptible else self.h.run()

    def _running(self, objective: str) -> str:
        """What the status line says while HiGHS minimises `objective`."""
        method = "branch and bound" if self.mixed_integer else _ALGORITHMS.get(self.algorithm)
        return (
            f"HiGHS{f' ({method})' if method else ''}: {_OBJECTIVES.get(objective, objective)}"
            f" · {self.h.getNumCol():,} columns × {self.h.getNumRow():,} rows"
        )

    def _confirm_without_presolve(self) -> str:
        """HiGHS presolve has misreported infeasibility (HiGHS #2351, #2511): check without it."""
        self.h.setOptionValue("presolve", "off")
        self.h.clearSolver()
        self._run()
        self.h.setOptionValue("presolve", "choose")
        status = _STATUS.get(self.h.getModelStatus(), "error")
        if status == "infeasible_or_unbounded":
            status = "infeasible"  # every objective here is bounded below by 0
        return status

    def numerics(self) -> dict[str, Any]:
        """HiGHS's accuracy measures of the last run; `trouble` if beyond 10× its tolerances."""
        info = self.h.getInfo()

        def measure(x: float) -> float | None:  # HiGHS marks "not computed" by -1 or inf
            x = float(x)
            return x if 0 <= x < INF else None

        out: dict[str, Any] = {
            "max_primal_infeasibility": measure(info.max_primal_infeasibility),
            "sum_primal_infeasibilities": measure(info.sum_primal_infeasibilities),
            "max_dual_infeasibility": measure(info.max_dual_infeasibility),
            "sum_dual_infeasibilities": measure(info.sum_dual_infeasibilities),
            "primal_solution_status": int(info.primal_solution_status),
            "dual_solution_status": int(info.dual_solution_status),
            "run_status": str(getattr(self, "run_status", "")).removeprefix("HighsStatus."),
            # kWarning: HiGHS changed the model as it loaded it (dropped entries below 1e-9)
            "load_status": str(self.pass_status).removeprefix("HighsStatus."),
        }
        if self.c.integer_cols:
            out["max_integrality_violation"] = measure(info.max_integrality_violation)
            out["mip_node_count"] = int(info.mip_node_count)
        primal_tol = self.h.getOptionValue("primal_feasibility_tolerance")[1]
        dual_tol = self.h.getOptionValue("dual_feasibility_tolerance")[1]
        out["trouble"] = bool(
            (out["max_primal_infeasibility"] or 0.0) > 10 * primal_tol
            or (out["max_dual_infeasibility"] or 0.0) > 10 * dual_tol
            or out["run_status"] == "kError"
        )
        return out

    def incumbent(self) -> dict[str, Any] | None:
        """A MILP stopped by a limit: its best plan so far, if HiGHS found one (else None)."""
        info = self.h.getInfo()
        if not self.c.integer_cols or int(info.primal_solution_status) != 2:  # 2: feasible
            return None
        stage = getattr(self, "current_objective", "total_pain_objective")
        _cost, offset = self.c.costs[stage]
        return {
            "stage": stage,
            "objective": self.objective_value(stage),
            "mip_gap": float(info.mip_gap),
            "dual_bound": float(info.mip_dual_bound) + offset,
        }

    def _row_bounds(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The current bounds of the first `n` rows (not `getLp()`: a copy of the whole LP)."""
        if n == 0:
            return np.zeros(0), np.zeros(0)
        rows = np.arange(n, dtype=np.int32)
        _status, _count, lower, upper, _nz = self.h.getRows(n, rows)
        return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)

    def _row_activity(self, x: np.ndarray, n: int) -> np.ndarray:
        """A · x for the first `n` rows, from HiGHS's copy of the matrix."""
        if n == 0:
            return np.zeros(0)
        lp = self.h.getLp()
        start = np.asarray(lp.a_matrix_.start_)
        index = np.asarray(lp.a_matrix_.index_)
        value = np.asarray(lp.a_matrix_.value_)
        activity = np.zeros(lp.num_row_)
        for j in range(lp.num_col_):  # column-wise
            lo, hi = start[j], start[j + 1]
            if hi > lo and x[j] != 0:
                activity[index[lo:hi]] += value[lo:hi] * x[j]
        return activity[:n]

    def objective_value(self, objective: str, x: np.ndarray | None = None) -> float:
        """`objective` at the column values `x` (default: the last run's solution)."""
        cost, offset = self.c.costs[objective]
        if x is None:
            x = np.asarray(self.h.getSolution().col_value)
        return float(cost @ x + offset) if len(cost) else offset

    def hold(
        self, objective: str, value: float, rel: float = HOLD_REL, abs_: float = HOLD_ABS
    ) -> None:
        """Add the row `objective ≤ value · (1 + rel) + abs_` (default 1e-6, 1e-9)."""
        cost, offset = self.c.costs[objective]
        idx = np.flatnonzero(cost)
        bound = value * (1 + rel) + abs_ - offset
        self.h.addRow(-INF, bound, len(idx), idx.astype(np.int32), cost[idx])

    def hold_column(self, var: pyo.Var, value: float) -> None:
        col = self.c.column(var)
        if col is not None:
            self.h.changeColBounds(col, 0.0, value * (1 + HOLD_REL) + HOLD_ABS)

    def fix_integers(self, m: pyo.ConcreteModel) -> None:
        """Fix the coalition found and relax integrality: the LP of the chosen coalition.

        `open` is set to what the unanimity rule allows for the chosen members (not to the
        MILP's value, which may be 0 where opening would not have helped), so the LP is
        exactly the fixed-coalition LP.
        """
        x = np.asarray(self.h.getSolution().col_value)
        chosen = set()
        for c in m.y:
            col = self.c.column(m.y[c])
            on = col is not None and x[col] > 0.5
            if on:
                chosen.add(c)
            if col is not None:
                self.h.changeColBounds(col, float(on), float(on))
        if hasattr(m, "open"):
            closers = m.burden_terms.sets.facility_closers or {}
            for h in m.open:
                is_open = float(not any(c in chosen for c in closers.get(h, ())))
                col = self.c.column(m.open[h])
                if col is not None:
                    self.h.changeColBounds(col, is_open, is_open)
        cols = np.array(self.c.integer_cols, dtype=np.int32)
        self.h.changeColsIntegrality(
            len(cols), cols, np.full(len(cols), highspy.HighsVarType.kContinuous)
        )
        self.mixed_integer = False

    def outcome(
        self,
        status: str,
        objective: float | None,
        stages: dict,
        *,
        collect: bool = True,
        row_dual: np.ndarray | None = None,
        col_value: np.ndarray | None = None,
    ) -> SolveOutcome:
        """The outcome of the last run; `row_dual`/`col_value` replace the solution's duals or
        values (the tie-break: duals of the last pain stage, values of the tie-break)."""
        if not collect:  # many re-solves read the column values themselves
            return SolveOutcome(
                status=status,
                objective=objective,
                stage_values=stages,
                seconds=time.perf_counter() - self.started,
                solver_version=highs_version(),
                mixed_integer=bool(self.c.integer_cols),
            )
        solution = self.h.getSolution()
        values: dict[str, dict[Any, float]] = defaultdict(dict)
        columns = solution.col_value if col_value is None else col_value
        for var, x in zip(self.c.columns, columns, strict=False):
            values[var.parent_component().local_name][var.index()] = float(x)
        labels = self.c.row_labels()
        duals: dict[str, dict[Any, float]] = defaultdict(dict)
        if row_dual is not None or solution.dual_valid:
            dual = solution.row_dual if row_dual is None else row_dual
            for (name, index), d in zip(labels, dual, strict=False):
                duals[name][index] = float(d)
        row_values: dict[str, dict[Any, float]] = defaultdict(dict)
        slacks: dict[str, dict[Any, float]] = defaultdict(dict)
        senses: dict[str, dict[Any, int]] = defaultdict(dict)
        n = len(labels)  # the model's rows; stage holds come after them
        lower, upper = self._row_bounds(n)  # as they stand now: re-solves may change them
        if col_value is None:
            activity = np.asarray(solution.row_value)[:n]
        else:  # the rows at the values given
            activity = self._row_activity(np.asarray(col_value), n)
        slack = np.minimum(activity - lower, upper - activity)
        for i, (name, index) in enumerate(labels):
            row_values[name][index] = float(activity[i])
            senses[name][index] = int(self.c.row_kinds[i])
            slacks[name][index] = float(slack[i])
        return SolveOutcome(
            status=status,
            objective=objective,
            stage_values=stages,
            values=dict(values),
            duals=dict(duals),
            row_values=dict(row_values),
            slacks=dict(slacks),
            senses=dict(senses),
            seconds=time.perf_counter() - self.started,
            solver_version=highs_version(),
            mixed_integer=bool(self.c.integer_cols),
        )


def solve_model(
    m: pyo.ConcreteModel, objective: str, options: SolveOptions, *, consume: bool = False
) -> SolveOutcome:
    """Solve a model built by `build_model` under `total_pain` or `max_pain`.

    A mixed-integer model (coalition choice) runs its stages as MILPs, then fixes the coalition
    found and re-solves the last stage as an LP (with the MILP's stage holds), so that values and
    duals are those of the chosen coalition's LP (MODEL.md, "Coalition choice").

    `consume`: once HiGHS holds the model, delete its constraints and objectives from `m` (the
    outcome names rows by component and index all the same). They are most of a large model's
    memory, which is then free before HiGHS allocates its own; `m` keeps its variables and sets.
    """
    started = time.perf_counter()
    if m.infeasible_rows:
        return SolveOutcome(
            status="infeasible",
            message="; ".join(m.infeasible_rows),
            seconds=time.perf_counter() - started,
            solver_version=highs_version(),
        )
    session = HighsSession(m, objective, options)
    if consume:
        session.c.release()
        for component in list(m.component_objects((pyo.Constraint, pyo.Objective, pyo.Expression))):
            component.parent_block().del_component(component)
    out = session.solve()
    out.seconds = time.perf_counter() - started
    return out


def objective_names(objective: str) -> list[str]:
    """The model objectives a solve under `objective` needs, in stage order of use."""
    names = ["total_pain_objective", "procurement_objective"]
    if objective == "max_pain":
        names += ["shortfall_objective", "max_pain_objective"]
    return names


class HighsSession(_Run):
    """A compiled model on one HiGHS object, solvable again after bound changes (warm start)."""

    def __init__(self, m: pyo.ConcreteModel, objective: str, options: SolveOptions):
        self.m = m
        self.objective = objective
        stage("compiling the model for HiGHS")
        names = [n for n in objective_names(objective) if hasattr(m, n)]
        compiled = Compiled(m, [getattr(m, n) for n in names])
        super().__init__(compiled, options)
        self._hold_rows = 0
        #: Run the least-procurement tie-break after the last pain stage (MODEL.md v2). Re-solve
        #: loops that read only pains and objectives turn it off: it moves neither by > 1e-7.
        self.tie_break = "procurement_objective" in compiled.costs
        if self.tie_break:
            pain, offset = compiled.costs["total_pain_objective"]
            procure, _ = compiled.costs["procurement_objective"]
            scale = float(np.abs(pain).max()) if len(pain) else 0.0
            compiled.costs[WARM_START] = (pain + WARM_EPS * scale * procure, offset)
        self._shortfall_cols = self._columns_of(m, ("short", "short_share"))
        self._held_cols: list[tuple[int, float, float]] = []

    def _columns_of(self, m: pyo.ConcreteModel, names: tuple[str, ...]) -> np.ndarray:
        variables = []
        for name in names:
            component = getattr(m, name, None)
            variables += list(component.values()) if component is not None else []
        return self.c.columns_of(variables)

    def hold(self, objective: str, value: float, *args: float) -> None:
        super().hold(objective, value, *args)
        self._hold_rows += 1

    def least_procurement(self, objective: str, x: np.ndarray | None = None) -> tuple[str, float]:
        """The tie-break: hold `objective` ≤ z* · (1 + 1e-7) + 1e-7 and every shortfall at most
        its value, then minimise Σ_{c∈A,t} procure_{c,t}. Returns its status and seconds.

        `x`: the pain stage's column values, if the caller has them (default: read from HiGHS)."""
        started = time.perf_counter()
        if x is None:
            x = self.column_values()
        z = self.objective_value(objective, x)
        self.hold(objective, z, TIE_REL, TIE_ABS)
        if len(self._shortfall_cols):
            for col in self._shortfall_cols:
                lower, upper = float(self.c.col_lower[col]), float(self.c.col_upper[col])
                self._held_cols.append((int(col), lower, upper))
                self.h.changeColBounds(int(col), lower, min(upper, max(lower, float(x[col]))))
        # From the pain stage's basis, without presolve, by primal simplex: the stage's vertex
        # stays primal feasible under the new cost, so primal simplex moves only as far as
        # procurement can fall (on nato-2035 half the iterations of dual simplex: 457 vs 870),
        # and a plan that already buys the least stays exactly as it was.
        with self._from_basis(primal=not self.mixed_integer):
            status = self.minimise("procurement_objective")
        return status, time.perf_counter() - started

    @contextmanager
    def _from_basis(self, *, primal: bool = False) -> Iterator[None]:
        """Run the next stage by simplex from the last stage's basis, without presolve.

        Also when the session's algorithm is interior point: HiGHS's `solver` option holds for
        every run, and interior point cannot start from a basis, so each later stage would be
        solved from scratch (on the synthetic medium size, 22 s and 17 s after a first 41 s)."""
        self.h.setOptionValue("presolve", "off")
        if not self.mixed_integer:
            self.h.setOptionValue("solver", "simplex")
        if primal:
            self.h.setOptionValue("simplex_strategy", 4)
        try:
            yield
        finally:
            self.h.setOptionValue("presolve", "choose")
            self.h.setOptionValue("solver", self.algorithm)
            self.h.setOptionValue("simplex_strategy", 1)  # HiGHS's default: dual

    def minimise_last_stage(self) -> str:
        """Minimise total pain, arriving at a vertex that also buys the least.

        Once a floor forces more money than the targets need, the pain-optimal face is wide and
        an arbitrary vertex of it makes the tie-break pivot every surplus purchase out to
        `other` (on nato-2035 as many iterations again as the stage itself: 457 after 550).
        Pain plus a small multiple of procurement lands on the face's least-procurement end;
        the exact stage and the tie-break then start from that basis and only confirm it (0 and
        2 iterations there). Neither the stage's value nor its duals depend on the warm start:
        the exact stage is always solved, and a perturbation too large for the face costs only
        iterations. Mixed-integer solves skip it (it would price procurement into the
        branch-and-bound's choice of coalition). Re-solve loops that skip the tie-break still
        take this route, so that their split of pain among members (not unique on a wide optimal
        face: tools/pain_ranges.py) is the least-procurement one too. Small LPs skip presolve
        here (`PRESOLVE_FROM_COLUMNS`)."""
        if WARM_START not in self.c.costs or self.c.integer_cols:
            return self.minimise("total_pain_objective")
        if self.c.num_col < PRESOLVE_FROM_COLUMNS:
            self.h.setOptionValue("presolve", "off")
        try:
            status = self.minimise(WARM_START)
        finally:
            self.h.setOptionValue("presolve", "choose")
        if status != "optimal":
            return self.minimise("total_pain_objective")
        with self._from_basis():
            return self.minimise("total_pain_objective")

    def release_holds(self) -> None:
        """Undo the stage holds of the last solve, so the next variant starts from the model."""
        if self._hold_rows:
            n = self.h.getNumRow()
            rows = np.arange(n - self._hold_rows, n, dtype=np.int32)
            self.h.deleteRows(len(rows), rows)
            self._hold_rows = 0
        for col, lower, upper in self._held_cols:
            self.h.changeColBounds(col, lower, upper)
        self._held_cols = []
        if self.objective == "max_pain":
            col = self.c.column(self.m.max_pain_pct)
            if col is not None:
                self.h.changeColBounds(col, 0.0, INF)

    def _stopped(self, status: str, stages: dict[str, float]) -> SolveOutcome:
        """The outcome of a solve that ended short of an optimum at `status`."""
        if status == "time_limit":
            out = self.outcome(status, None, stages)
            out.incumbent = self.incumbent()
            out.mip_gap = out.incumbent["mip_gap"] if out.incumbent else None
        else:
            out = SolveOutcome(status=status, solver_version=highs_version())
        out.message = _STATUS_TEXT.get(status, f"HiGHS: {self.h.getModelStatus()}")
        if out.incumbent:
            out.message += f"; the best plan found is written (gap {out.incumbent['mip_gap']:.3g})"
        out.numerics = self.numerics()
        if status == "error":
            out.message += _numerics_text(out.numerics)
        if out.numerics["load_status"] == "kError":
            out.message = (
                "HiGHS rejected the model: a coefficient or bound is beyond its limits "
                "(|value| ≥ 1e15 in a row, see the instance's warnings)"
            )
        out.seconds = time.perf_counter() - self.started
        return out

    def _max_pain_stages(self, stages: dict[str, float]) -> str:
        """`max_pain`'s first stages: the least shortfall cost, then the least largest pain,
        each held for the next; their values go to `stages`."""
        m = self.m
        if m.burden_terms.sets.shortfalls:
            status = self.minimise("shortfall_objective")
            if status != "optimal":
                return status
            stages["shortfall_cost*"] = self.objective_value("shortfall_objective")
            self.hold("shortfall_objective", stages["shortfall_cost*"])
        else:
            stages["shortfall_cost*"] = 0.0
        status = self.minimise("max_pain_objective")
        if status != "optimal":
            return status
        stages["max_pain_pct*"] = self.objective_value("max_pain_objective")
        self.hold_column(m.max_pain_pct, stages["max_pain_pct*"])
        return status

    def solve(self, *, collect: bool = True) -> SolveOutcome:
        """Run the stages of MODEL.md's objective; then, for a MILP, fix and relax.

        `collect=False` leaves values and duals on the HiGHS object (`column_values()`).
        """
        self.started = time.perf_counter()
        self.release_holds()
        m, stages = self.m, {}

        if self.objective == "max_pain":
            status = self._max_pain_stages(stages)
            if status != "optimal":
                return self._stopped(status, stages)
        status = self.minimise_last_stage()
        if status != "optimal":
            return self._stopped(status, stages)
        gap = None
        if self.c.integer_cols:
            gap = float(self.h.getInfo().mip_gap)
            self.fix_integers(m)
            status = self.minimise("total_pain_objective")
            if status != "optimal":
                return self._stopped(status, stages)
        value = (
            stages["max_pain_pct*"]
            if self.objective == "max_pain"
            else self.objective_value("total_pain_objective")
        )
        stage_seconds = time.perf_counter() - self.started
        tie_break: dict[str, Any] = {}
        row_dual = col_value = None
        if self.tie_break:
            numerics = self.numerics()  # of the last pain stage, whose duals are reported
            solution = self.h.getSolution()
            if collect:
                row_dual = np.array(solution.row_dual) if solution.dual_valid else None
            stage_x = np.array(solution.col_value)
            del solution  # HiGHS's copy of every value and dual: not needed through the tie-break
            tie_status, seconds = self.least_procurement("total_pain_objective", stage_x)
            tie_break = {"tie_break_status": tie_status, "tie_break_seconds": seconds}
            if tie_status != "optimal":  # keep the pain stage's plan
                col_value = stage_x
        out = self.outcome(
            "optimal", value, stages, collect=collect, row_dual=row_dual, col_value=col_value
        )
        out.mip_gap = gap
        out.numerics = numerics if self.tie_break else self.numerics()
        out.numerics["stage_seconds"] = stage_seconds
        out.numerics.update(tie_break)
        if out.numerics["trouble"]:
            out.message = "numerical trouble" + _numerics_text(out.numerics)
        elif out.numerics["load_status"] != "kOk":
            out.message = (
                "HiGHS changed the model as it loaded it (coefficients below 1e-9 dropped)"
            )
        return out

    def column_values(self) -> np.ndarray:
        """The solution's column values, in compiled column order."""
        return np.asarray(self.h.getSolution().col_value)
