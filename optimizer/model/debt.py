"""Borrowing: constraints 6–7 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def _new_debt(terms: Terms, c: str, t: int):
    """bor_{c,t} + κ · com_{c,t}: what a year adds to national debt."""
    return terms.bor(c, t) + terms.kappa * terms.com(c, t)


def _adds_debt(terms: Terms, c: str, t: int) -> bool:
    return bool(terms.sets.segments_of[c, "debt", t]) or (c, t) in terms.draws


def add_debt_room(m: pyo.ConcreteModel, terms: Terms) -> None:
    """6. Debt room: Σ_{τ=first..t} (bor_{c,τ} + κ · com_{c,τ}) ≤ R_{c,t} (countries with a ceiling).

    Dual ≤ 0: minus the discounted pain saved per billion of extra debt room in (c, t).
    """
    sets, derived = terms.sets, terms.derived
    index = [
        (c, t)
        for c, t in sets.member_years
        if (c, t) in derived.debt_room
        and any(_adds_debt(terms, c, tau) for tau in sets.years if tau <= t)
    ]

    def rule(m, c, t):
        return (
            sum(_new_debt(terms, c, tau) for tau in sets.years if tau <= t)
            <= (derived.debt_room[c, t])
        )

    m.debt_room = pyo.Constraint(index, rule=rule)


def add_annual_borrowing_limit(m: pyo.ConcreteModel, terms: Terms) -> None:
    """7. Annual borrowing limit: bor_{c,t} + κ · com_{c,t} ≤ borrowing_limit_pct_gdp_c/100 · GDP_{c,t}.

    Dual ≤ 0: minus the pain saved per unit of extra borrowing allowed in (c, t).
    """
    sets, instance = terms.sets, terms.instance
    index = [
        (c, t)
        for c, t in sets.member_years
        if instance.countries[c].borrowing_limit_pct_gdp is not None and _adds_debt(terms, c, t)
    ]

    def rule(m, c, t):
        limit = instance.countries[c].borrowing_limit_pct_gdp
        return _new_debt(terms, c, t) <= limit / 100 * terms.derived.gdp[c, t]

    m.annual_borrowing_limit = pyo.Constraint(index, rule=rule)
