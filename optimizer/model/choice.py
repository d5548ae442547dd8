"""Coalition choice (MODEL.md, "Coalition choice"): membership switches and their links."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_coalition_choice(m: pyo.ConcreteModel, terms: Terms) -> None:
    """Membership y_c ∈ {0,1} for each candidate that is not forbidden (required: y_c = 1).

    - membership: inc_{c,t} ≤ U_{c,t} · y_c, with U implied by the data (`Derived.increase_bound`),
      so y_c = 0 zeroes every variable of c through the funding balance and spending identity;
    - floors: applied as inc ≥ floor · y_c in `add_spending_floor`;
    - unanimity: com_{c,t} ≤ cap · open, and open ≤ 1 − y_c for every eligible candidate that
      refuses common debt;
    - Σ_c y_c ≥ min_members; member_cost · Σ_c y_c enters the objective.
    """
    sets, derived, instance = terms.sets, terms.derived, terms.instance
    choice = instance.choice
    required = set(sets.required)
    m.y = pyo.Var(list(sets.members), within=pyo.Binary)
    for c in required:
        m.y[c].setlb(1)

    def membership(m, c, t):
        return m.inc[c, t] <= derived.increase_bound[c, t] * m.y[c]

    m.membership = pyo.Constraint(list(sets.member_years), rule=membership)
    if choice.min_members > 0:
        m.min_members = pyo.Constraint(expr=sum(m.y[c] for c in sets.members) >= choice.min_members)
    facility = instance.common_debt
    if facility is not None and facility.requires_unanimity and sets.closers and sets.draws:
        m.open = pyo.Var(within=pyo.Binary)
        m.facility_open = pyo.Constraint(
            list(sets.draws), rule=lambda m, c, t: m.com[c, t] <= facility.cap * m.open
        )
        m.unanimity = pyo.Constraint(list(sets.closers), rule=lambda m, c: m.open <= 1 - m.y[c])
