"""Assemble the model of MODEL.md from the derived data: one call per constraint family."""

from __future__ import annotations

import gc
from contextlib import contextmanager

import pyomo.core as pyo

from optimizer.derive import Derived
from optimizer.instance.resolved import Instance
from optimizer.model.capability import (
    add_capability_targets,
    add_origin_shares,
    add_outsider_targets,
    add_programme_capacity,
    add_supply_limits,
)
from optimizer.model.choice import add_coalition_choice
from optimizer.model.common_debt import add_facilities
from optimizer.model.debt import add_annual_borrowing_limit, add_debt_room
from optimizer.model.funding import (
    add_funding_balance,
    add_pain_segments,
    add_social_floor,
    add_tax_limit,
)
from optimizer.model.objective import add_objectives
from optimizer.model.sets import ModelSets, build_sets
from optimizer.model.spending import (
    add_burden_share,
    add_ramp_limit,
    add_running_costs,
    add_spending_floor,
    add_spending_identity,
)
from optimizer.model.terms import Terms


@contextmanager
def _gc_paused():
    """Pyomo allocates many small objects; pausing the collector shortens the build of large
    models (benchmarks/README.md, "Figures formerly in docstrings")."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def add_variables(m: pyo.ConcreteModel, sets: ModelSets) -> None:
    """The decision variables of MODEL.md, all ≥ 0, only for acting countries (A)."""
    nonneg = pyo.NonNegativeReals
    m.buy = pyo.Var(list(sets.purchases), within=nonneg)
    m.con = pyo.Var(list(sets.contributions), within=nonneg)
    m.other = pyo.Var(list(sets.actor_years), within=nonneg)
    m.inc = pyo.Var(list(sets.actor_years), within=nonneg)
    m.seg = pyo.Var(list(sets.segments), within=nonneg)
    m.com = pyo.Var(list(sets.draws), within=nonneg)
    m.short = pyo.Var(list(sets.shortfalls), within=nonneg)
    m.short_share = pyo.Var(list(sets.share_shortfalls), within=nonneg)
    for k, t in sets.hard_shortfalls:
        m.short[k, t].setub(0.0)  # a hard target: no shortfall unless a variant allows it


def build_model(
    instance: Instance,
    derived: Derived,
    members: tuple[str, ...],
    *,
    choice: bool = False,
    variants: bool = False,
    hard_target_penalty: float | None = None,
) -> pyo.ConcreteModel:
    """The Pyomo model for a fixed coalition `members`, or for coalition choice over them.

    `variants` and `hard_target_penalty`: see `build_sets`; such a model is re-solved for
    sub-coalitions of `members` by `optimizer.pipeline.variants.CoalitionSolver`.

    The model carries `m.burden_terms` (the expression builders, with instance, derived data and
    index sets) and `m.infeasible_rows` (rows found trivially infeasible while building).
    """
    with _gc_paused():
        sets = build_sets(
            instance,
            derived,
            members,
            choice=choice,
            variants=variants,
            hard_target_penalty=hard_target_penalty,
        )
        m = pyo.ConcreteModel(name=instance.name)
        m.infeasible_rows = []
        add_variables(m, sets)
        terms = Terms(m, instance, derived, sets)
        m.burden_terms = terms
        if choice:
            add_coalition_choice(m, terms)
        add_spending_identity(m, terms)
        add_running_costs(m, terms)
        add_funding_balance(m, terms)
        add_pain_segments(m, terms)
        add_tax_limit(m, terms)
        add_social_floor(m, terms)
        add_debt_room(m, terms)
        add_annual_borrowing_limit(m, terms)
        add_spending_floor(m, terms)
        add_ramp_limit(m, terms)
        add_capability_targets(m, terms)
        add_outsider_targets(m, terms)
        add_programme_capacity(m, terms)
        add_supply_limits(m, terms)
        add_facilities(m, terms)
        add_origin_shares(m, terms)
        add_burden_share(m, terms)
        add_objectives(m, terms)
        terms.drop_lookups()
    return m
