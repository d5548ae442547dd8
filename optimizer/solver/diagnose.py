"""The HiGHS runs of `burden explain`'s diagnosis, returning plain data (names, indices, values).

- `Feasibility.iis`: HiGHS's irreducible infeasible subset (IIS, `Highs.getIis`) of the LP (of
  the LP relaxation under coalition choice), as rows and column bounds named by component and
  index. Infeasibility is first confirmed with presolve off, since HiGHS's presolve has
  misreported it (HiGHS #2351, #2511).
- `Feasibility.mixed_integer_feasible`: whether the mixed-integer model itself has a plan.
- `Feasibility.elastic`: every given row gets a shortfall column, the weighted total shortfall is
  minimised; for each row short, a second solve asks whether relaxing that row alone would do.

`optimizer.analysis.diagnose` says what these mean in the planner's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np

from optimizer.options import SolveOptions
from optimizer.solver.highs import INF, Compiled, run_highs

if TYPE_CHECKING:
    import pyomo.core as pyo

#: Most rows of the elastic re-solve tried alone.
ALONE_MAX = 12


@dataclass
class IisOutcome:
    """What HiGHS says about the LP (or LP relaxation) with presolve off, and its IIS."""

    status: str
    """`feasible`, `unknown` (HiGHS could not settle it) or `infeasible`."""
    relaxed: bool
    """The model has integer columns: the LP is their relaxation (membership in 0..1)."""
    model_status: str = ""
    """HiGHS's model status, as text (for `unknown`)."""
    found: bool = False
    """HiGHS found an IIS."""
    rows: list[tuple[str, Any]] = field(default_factory=list)
    """The IIS's rows: (constraint component name, index)."""
    columns: list[tuple[str, Any, int]] = field(default_factory=list)
    """The IIS's column bounds: (variable component name, index, HiGHS's IIS bound status)."""


@dataclass
class ElasticOutcome:
    """The elastic re-solve: the rows short and by how much."""

    rows: list[int]
    """Positions (in the rows asked about) of those that are rows of the compiled model."""
    solved: bool = False
    """HiGHS found the smallest weighted shortfall."""
    model_status: str = ""
    """HiGHS's model status, as text, when not solved."""
    short: list[tuple[int, float]] = field(default_factory=list)
    """(position in `rows`, shortfall) of each row short."""
    alone: dict[int, float | None] = field(default_factory=dict)
    """Position in `rows` → its shortfall when only it may fall short (None: not enough);
    tried only when at most `ALONE_MAX` rows are short."""


class Feasibility:
    """A model compiled once, every cost zero, for the diagnosis's HiGHS runs."""

    def __init__(self, model: pyo.ConcreteModel, options: SolveOptions):
        self.model = model
        self.options = options
        self.compiled = Compiled(model, [model.total_pain_objective])

    def _highs(self, *, presolve: bool) -> highspy.Highs:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "choose" if presolve else "off")
        if self.options.time_limit is not None:
            h.setOptionValue("time_limit", float(self.options.time_limit))
        self.compiled.pass_to(h)  # every cost zero: a feasibility problem
        return h

    def _relax_integrality(self, h: highspy.Highs) -> None:
        cols = np.array(self.compiled.integer_cols, dtype=np.int32)
        if len(cols):
            h.changeColsIntegrality(
                len(cols), cols, np.full(len(cols), highspy.HighsVarType.kContinuous)
            )

    def iis(self) -> IisOutcome:
        """The LP's status with presolve off, and its IIS when it is infeasible."""
        compiled = self.compiled
        h = self._highs(presolve=False)
        out = IisOutcome("infeasible", relaxed=bool(compiled.integer_cols))
        self._relax_integrality(h)
        run_highs(h)
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            out.status = "feasible"
            return out
        if status not in (
            highspy.HighsModelStatus.kInfeasible,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            out.status, out.model_status = "unknown", f"{status}"
            return out
        strategy = int(highspy.IisStrategy.kIisStrategyFromLp) | int(
            highspy.IisStrategy.kIisStrategyIrreducible
        )
        h.setOptionValue("iis_strategy", strategy)
        run_status, iis = h.getIis()
        if run_status == highspy.HighsStatus.kError or not iis.valid_:
            return out
        out.found = True
        for i in iis.row_index_:
            con = compiled.rows[i].constraint
            out.rows.append((con.parent_component().local_name, con.index()))
        for i, bound in zip(iis.col_index_, iis.col_bound_, strict=False):
            var = compiled.columns[i]
            out.columns.append((var.parent_component().local_name, var.index(), int(bound)))
        return out

    def mixed_integer_feasible(self) -> bool:
        """Whether HiGHS finds a plan of the mixed-integer model (presolve off)."""
        h = self._highs(presolve=False)
        run_highs(h)
        return h.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def elastic(self, rows: list[tuple[str, Any, float]]) -> ElasticOutcome:
        """Minimise Σ weight · shortfall over `rows` ((component name, index, weight)), each
        row allowed to fall short; those not among the compiled rows are left out."""
        compiled = self.compiled
        row_of = {id(row.constraint): i for i, row in enumerate(compiled.rows)}
        items = []  # (position, compiled row, weight)
        for position, (name, index, weight) in enumerate(rows):
            con = getattr(self.model, name)[index]
            if id(con) in row_of:
                items.append((position, row_of[id(con)], weight))
        out = ElasticOutcome([position for position, _row, _weight in items])
        if not items:
            return out
        h = self._highs(presolve=True)
        n0 = compiled.num_col
        for _position, row, weight in items:
            # a ≥ row (`inc ≥ need`) gains +e; a row compiled as ≤ (`need·y − inc ≤ 0`) gains −e
            sign = -1.0 if compiled.rows[row].bound_type == 1 else 1.0
            h.addCol(weight, 0.0, INF, 1, np.array([row], dtype=np.int32), np.array([sign]))
        run_highs(h)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            out.model_status = f"{h.getModelStatus()}"
            return out
        out.solved = True
        x = np.asarray(h.getSolution().col_value)
        out.short = [
            (i, float(x[n0 + i]))
            for i, (_p, _row, weight) in enumerate(items)
            if x[n0 + i] > 1e-7 * max(1.0, 1 / weight)
        ]
        if len(out.short) <= ALONE_MAX:
            out.alone = self._alone(h, n0, len(items), [i for i, _value in out.short])
        return out

    @staticmethod
    def _alone(h: highspy.Highs, n0: int, n_el: int, short: list[int]) -> dict[int, float | None]:
        """Re-solve with only shortfall column i free, for each i in `short`."""
        alone: dict[int, float | None] = {}
        cols = np.arange(n0, n0 + n_el, dtype=np.int32)
        for i in short:
            upper = np.zeros(n_el)
            upper[i] = INF
            h.changeColsBounds(n_el, cols, np.zeros(n_el), upper)
            run_highs(h)
            ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            alone[i] = float(h.getSolution().col_value[n0 + i]) if ok else None
        return alone
