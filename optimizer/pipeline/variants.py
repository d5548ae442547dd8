"""Many solves of one instance: sub-coalitions re-solved on one persistent HiGHS model.

`burden members`, `burden shapley` and the benchmarks solve hundreds of coalitions that differ
only in who is in. Rebuilding the Pyomo model for each costs far more than the solve
(PERFORMANCE.md: 0.07–0.16× the direct-highspy rate), so the model is built once over a pool of
countries, compiled once, and each variant only changes bounds on the HiGHS object:

- a country outside the variant: its inc_{c,t} columns are fixed at 0 (the funding balance and the
  spending identity then zero every other variable of it) and its floor rows are relaxed;
- a unanimity facility that a member of the variant shuts: every com_{c,t} column at 0;
- scaled targets (Shapley's game): the lower bounds of the capability-target rows;
- penalised shortfall: the upper bounds of the hard targets' shortfall columns.

HiGHS keeps its basis across these changes, so a walk from a coalition to a neighbour is a warm
start. The objective of a variant equals that of the model built for the variant alone (a
property the tests check against `solve_coalition`).

The burden-share constraint's coefficients depend on the members' GDP shares, so instances with
`burden_share_min_pct` > 0 are solved by rebuilding per variant (correct, slower).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from optimizer.derive import Derived, derive
from optimizer.instance.resolved import Instance
from optimizer.model import build_model
from optimizer.pipeline.one import read_solution
from optimizer.results.extract import Result
from optimizer.solver.highs import (
    INF,
    Compiled,
    HighsSession,
    SolveOptions,
    SolveOutcome,
    solve_model,
)


def pain_matrix(
    m, compiled: Compiled, countries: Sequence[str], instance: Instance, derived: Derived
) -> np.ndarray:
    """Row i: the discounted pain of `countries[i]` as coefficients of the compiled columns
    (MODEL.md's pain: weighted segments plus weighted facility draws), so that the pain of
    every country is one product with a solution."""
    out = np.zeros((len(countries), compiled.num_col))
    row_of = {c: i for i, c in enumerate(countries)}
    for (c, f, s, t), var in m.seg.items():
        col = compiled.column(var)
        if col is not None and c in row_of:
            out[row_of[c], col] += derived.discount[t] * instance.countries[c].pain[f][s].weight
    for (c, h, t), var in m.com.items():
        col = compiled.column(var)
        if col is not None and c in row_of:
            out[row_of[c], col] += derived.discount[t] * instance.facilities[h].pain_weight
    return out


@dataclass(frozen=True)
class VariantValue:
    """The numbers of one solved variant."""

    members: tuple[str, ...]
    status: str
    objective: float | None
    total_pain: float | None
    shortfall_cost: float | None
    pain_by_member: dict[str, float]
    seconds: float
    pain_by_outsider: dict[str, float] = dataclasses.field(default_factory=dict)
    """v2, with `alliance`: each outsider's discounted pain (counted in `total_pain`)."""


class CoalitionSolver:
    """Solve sub-coalitions of `pool` by bound changes on one compiled model."""

    def __init__(
        self,
        instance: Instance,
        pool: Iterable[str],
        options: SolveOptions | None = None,
        *,
        derived: Derived | None = None,
        hard_target_penalty: float | None = None,
        warm: bool = True,
    ):
        self.instance = instance
        self.pool = instance.in_country_order(list(pool))
        self.options = options or SolveOptions()
        self.derived = derived or derive(instance)
        self.hard_target_penalty = hard_target_penalty
        self.warm = warm
        # Rebuilt per variant: burden shares (rows of the members' total), and v2's alliance
        # (a country leaving becomes an outsider with rows of its own) and several facilities
        # (one unanimity switch each), which the bound changes below do not express.
        self.rebuild = (
            instance.burden_share_min_pct > 0
            or instance.alliance is not None
            or len(instance.facilities) > 1
        )
        self._state: dict[str, object] = {}
        if self.rebuild:
            return
        self.model = build_model(
            instance,
            self.derived,
            self.pool,
            variants=True,
            hard_target_penalty=hard_target_penalty,
        )
        self.sets = self.model.burden_terms.sets
        self.session = HighsSession(self.model, instance.objective, self.options)
        # many short solves: a signal waits for the current one (tens of ms), not for a callback
        # in every simplex iteration of every solve
        self.session.interruptible = False
        # objectives and pains only: the tie-break moves no objective (by more than 1e-7); a
        # member's pain can move only where the split is not unique (tools/pain_ranges.py)
        self.session.tie_break = False
        self._index_columns_and_rows()

    # -- the maps from domain names to HiGHS columns and rows ----------------------------------
    def _index_columns_and_rows(self) -> None:
        m, compiled = self.model, self.session.c
        row_of = {id(row.constraint): i for i, row in enumerate(compiled.rows)}

        def cols(var_component, keys) -> np.ndarray:
            found = (compiled.column(var_component[k]) for k in keys)
            return np.array([c for c in found if c is not None], dtype=np.int32)

        years = self.sets.years
        self._inc_cols = {c: cols(m.inc, [(c, t) for t in years]) for c in self.pool}
        self._floor_rows: dict[str, list[tuple[int, float]]] = {c: [] for c in self.pool}
        for (c, _t), con in m.spending_floor.items():
            i = row_of.get(id(con))
            if i is not None:
                self._floor_rows[c].append((i, float(compiled.row_lower[i])))
        self._com_cols = cols(m.com, list(self.sets.draws))
        self._target_rows: dict[tuple[str, int], tuple[int, float]] = {}
        for (k, t), con in m.capability_targets.items():
            i = row_of.get(id(con))
            if i is not None:
                self._target_rows[k, t] = (i, float(compiled.row_lower[i]))
        self._hard_short_cols = cols(m.short, list(self.sets.hard_shortfalls))
        # pain_c = P[c] · x and the shortfall cost = q · x, read from the solution in one product
        terms, n = m.burden_terms, len(compiled.columns)
        self._pain_matrix = pain_matrix(m, compiled, self.pool, self.instance, self.derived)
        self._shortfall_vector = np.zeros(n)
        for (k, t), var in m.short.items():
            col = compiled.column(var)
            if col is not None:
                self._shortfall_vector[col] = self.derived.discount[t] * terms.penalty(k)
        self._in: dict[str, bool] = dict.fromkeys(self.pool, True)
        self._facility_open = True
        self._target_scale = 1.0
        self._penalised = False

    # -- setting a variant -----------------------------------------------------------------------
    def _set_members(self, members: frozenset[str]) -> None:
        h = self.session.h
        for c in self.pool:
            inside = c in members
            if self._in[c] == inside:
                continue
            self._in[c] = inside
            cols = self._inc_cols[c]
            if len(cols):
                upper = INF if inside else 0.0
                h.changeColsBounds(len(cols), cols, np.zeros(len(cols)), np.full(len(cols), upper))
            for row, lower in self._floor_rows[c]:
                h.changeRowBounds(row, lower if inside else -INF, INF)
        facility = self.instance.common_debt
        shut = bool(
            facility is not None
            and facility.requires_unanimity
            and any(c in members for c in self.sets.closers)
        )
        if shut == self._facility_open and len(self._com_cols):
            n = len(self._com_cols)
            upper = 0.0 if shut else INF
            h.changeColsBounds(n, self._com_cols, np.zeros(n), np.full(n, upper))
        self._facility_open = not shut

    def _set_targets(self, scale: float, penalised: bool) -> None:
        h = self.session.h
        if scale != self._target_scale:
            for row, lower in self._target_rows.values():
                h.changeRowBounds(row, lower * scale, INF)
            self._target_scale = scale
        if penalised != self._penalised and len(self._hard_short_cols):
            n = len(self._hard_short_cols)
            upper = INF if penalised else 0.0
            h.changeColsBounds(n, self._hard_short_cols, np.zeros(n), np.full(n, upper))
            self._penalised = penalised

    # -- solving ---------------------------------------------------------------------------------
    def solve_outcome(
        self,
        members: Iterable[str],
        *,
        target_scale: float = 1.0,
        penalised: bool = False,
        collect: bool = True,
    ) -> tuple[SolveOutcome, tuple[str, ...]]:
        """Solve one variant; returns the raw outcome and the members in country order.

        With `collect=False` the outcome carries no values; read them with `column_values()`.
        """
        members = self.instance.in_country_order(list(members))
        unknown = set(members) - set(self.pool)
        if unknown:
            raise ValueError(f"not in the pool of this solver: {sorted(unknown)}")
        if self.rebuild:
            return self._rebuilt(members, target_scale, penalised), members
        self._set_members(frozenset(members))
        self._set_targets(target_scale, penalised)
        if not self.warm:
            self.session.h.clearSolver()
        return self.session.solve(collect=collect), members

    def _rebuilt(self, members, target_scale: float, penalised: bool) -> SolveOutcome:
        instance = self.instance
        if target_scale != 1.0 or penalised:
            # the same variant as the bound-change route: targets scaled, hard targets given
            # the penalty (a hard target with a penalised shortfall is a soft one)
            if penalised and self.hard_target_penalty is None:
                raise ValueError("penalised=True needs the solver's hard_target_penalty")
            penalty = self.hard_target_penalty if penalised else None
            areas = {
                k: dataclasses.replace(
                    area,
                    targets={t: v * target_scale for t, v in area.targets.items()},
                    shortfall_penalty=area.shortfall_penalty
                    if area.shortfall_penalty is not None
                    else penalty,
                )
                for k, area in instance.capabilities.items()
            }
            instance = dataclasses.replace(instance, capabilities=areas)
        model = build_model(instance, self.derived, members)
        self.model = model
        self.sets = model.burden_terms.sets
        return solve_model(model, self.instance.objective, self.options)

    def solve(
        self, members: Iterable[str], *, target_scale: float = 1.0, penalised: bool = False
    ) -> VariantValue:
        """Solve one variant and return its headline numbers."""
        started = time.perf_counter()
        outcome, members = self.solve_outcome(
            members, target_scale=target_scale, penalised=penalised, collect=self.rebuild
        )
        if outcome.status != "optimal":
            return VariantValue(
                members, outcome.status, None, None, None, {}, time.perf_counter() - started
            )
        outsiders: dict[str, float] = {}
        if self.rebuild:
            s = self.result(outcome, members, "variant").summary
            pains, shortfall = dict(s["pain_by_member"]), s["shortfall_cost"]
            outsiders = dict(s.get("pain_by_outsider") or {})
        else:
            x = self.session.column_values()
            all_pains = self._pain_matrix @ x
            pains = {c: float(all_pains[i]) for i, c in enumerate(self.pool) if c in members}
            shortfall = float(self._shortfall_vector @ x)
        return VariantValue(
            members=members,
            status="optimal",
            objective=outcome.objective,
            total_pain=sum(pains.values()) + sum(outsiders.values()),  # the whole alliance
            shortfall_cost=shortfall,
            pain_by_member=pains,
            seconds=time.perf_counter() - started,
            pain_by_outsider=outsiders,
        )

    def column_values(self) -> np.ndarray:
        """Column values of the last variant solved on the persistent model."""
        return self.session.column_values()

    def result(self, outcome: SolveOutcome, members: tuple[str, ...], name: str) -> Result:
        """The full result tables of a solved variant."""
        # a rebuilt variant's model may carry scaled or penalised targets: read them from it
        instance = self.model.burden_terms.instance if self.rebuild else self.instance
        return read_solution(instance, self.derived, self.sets, outcome, name, members=members)
