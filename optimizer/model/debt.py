"""Borrowing: constraints 6–7 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def _adds_debt(terms: Terms, c: str, t: int) -> bool:
    return bool(terms.sets.segments_of[c, "debt", t]) or bool(terms.draws_of(c, t))


def add_debt_room(m: pyo.ConcreteModel, terms: Terms) -> None:
    """6. Debt room: Σ_{τ=first..t} (bor_{c,τ} + Σ_h κ_h · com_{c,h,τ}) ≤ R_{c,t}.

    In the years where the country's ceiling path has a value (R: `Derived.debt_room`).
    Dual ≤ 0: minus the discounted pain saved per billion of extra debt room in (c, t).
    """
    sets, derived = terms.sets, terms.derived
    index = [
        (c, t)
        for c, t in sets.actor_years
        if (c, t) in derived.debt_room
        and any(_adds_debt(terms, c, tau) for tau in sets.years if tau <= t)
    ]

    def rule(m, c, t):
        return (
            sum(terms.new_debt(c, tau) for tau in sets.years if tau <= t)
            <= (derived.debt_room[c, t])
        )

    m.debt_room = pyo.Constraint(index, rule=rule)


def add_annual_borrowing_limit(m: pyo.ConcreteModel, terms: Terms) -> None:
    """7. Annual borrowing limit: bor_{c,t} + Σ_h κ_h · com_{c,h,t} ≤ borrowing_limit_{c,t}/100 · GDP_{c,t}.

    In the years where the limit's path has a value. Dual ≤ 0: minus the pain saved per unit of
    extra borrowing allowed in (c, t).
    """
    sets, instance = terms.sets, terms.instance
    index = [
        (c, t)
        for c, t in sets.actor_years
        if instance.countries[c].limit("borrowing_limit_pct_gdp", t) is not None
        and _adds_debt(terms, c, t)
    ]

    def rule(m, c, t):
        limit = instance.countries[c].limit("borrowing_limit_pct_gdp", t)
        return terms.new_debt(c, t) <= limit / 100 * terms.derived.gdp[c, t]

    m.annual_borrowing_limit = pyo.Constraint(index, rule=rule)
