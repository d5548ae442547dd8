"""Coalition choice (MODEL.md, "Coalition choice"): membership switches and their links."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_coalition_choice(m: pyo.ConcreteModel, terms: Terms) -> None:
    """Membership y_c ∈ {0,1} for each candidate that is not forbidden (required: y_c = 1).

    - membership, without `alliance`: inc_{c,t} ≤ U_{c,t} · y_c, with U implied by the data
      (`Derived.increase_bound`), so y_c = 0 zeroes every variable of c through the funding
      balance and spending identity; floors apply as inc ≥ floor · y_c (`add_spending_floor`);
    - membership, with `alliance` (y_c = 0 makes c an outsider): con_{c,j,t} ≤ U_{c,t} · y_c and
      com_{c,h,t} ≤ U_{c,t} · y_c; its own share (10b) is scaled by 1 − y_c
      (`add_outsider_targets`); the floors apply whatever y_c is;
    - unanimity, per facility h with `requires_unanimity`: com_{c,h,t} ≤ cap_h · open_h, and
      open_h ≤ 1 − y_c for every candidate eligible for h that refuses common debt;
    - Σ_c y_c ≥ min_members; member_cost · Σ_c y_c enters the objective.
    """
    sets, derived, instance = terms.sets, terms.derived, terms.instance
    choice = instance.choice
    required = set(sets.required)
    m.y = pyo.Var(list(sets.members), within=pyo.Binary)
    for c in required:
        m.y[c].setlb(1)

    bound = derived.increase_bound
    if sets.alliance:
        m.membership = pyo.Constraint(
            list(sets.contributions),
            rule=lambda m, c, j, t: m.con[c, j, t] - bound[c, t] * m.y[c] <= 0,
        )
        m.membership_draws = pyo.Constraint(
            list(sets.draws),
            rule=lambda m, c, h, t: m.com[c, h, t] - bound[c, t] * m.y[c] <= 0,
        )
    else:

        def membership(m, c, t):
            return m.inc[c, t] <= bound[c, t] * m.y[c]

        m.membership = pyo.Constraint(list(sets.member_years), rule=membership)
    if choice.min_members > 0:
        m.min_members = pyo.Constraint(expr=sum(m.y[c] for c in sets.members) >= choice.min_members)
    closers = sets.facility_closers or {}
    switched = [
        h
        for h, f in instance.facilities.items()
        if f.requires_unanimity and closers.get(h) and any(hh == h for _c, hh, _t in sets.draws)
    ]
    if not switched:
        return
    m.open = pyo.Var(switched, within=pyo.Binary)
    facilities = instance.facilities
    m.facility_open = pyo.Constraint(
        [(c, h, t) for c, h, t in sets.draws if h in switched],
        rule=lambda m, c, h, t: m.com[c, h, t] <= facilities[h].cap * m.open[h],
    )
    m.unanimity = pyo.Constraint(
        [(h, c) for h in switched for c in closers[h]],
        rule=lambda m, h, c: m.open[h] <= 1 - m.y[c],
    )
