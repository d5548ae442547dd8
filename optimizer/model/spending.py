"""How much each acting country spends: constraints 1, 1b, 8, 9 and 14 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_spending_identity(m: pyo.ConcreteModel, terms: Terms) -> None:
    """1. Spending identity: inc_{c,t} = procure_{c,t} + other_{c,t}.

    Dual: the marginal pain of one more unit of spending in (c, t) that buys nothing.
    """

    def rule(m, c, t):
        return m.inc[c, t] == terms.procure(c, t) + m.other[c, t]

    m.spending_identity = pyo.Constraint(terms.sets.actor_years, rule=rule)


def add_running_costs(m: pyo.ConcreteModel, terms: Terms) -> None:
    """1b. Running costs: other_{c,t} ≥ cf_c · Σ_k r_k · stock_{c,k,t} (areas with r_k > 0).

    New equipment must be manned and run from the year it arrives. Dual ≥ 0: the discounted
    pain of one more unit of money that running costs take from `other` in (c, t).
    """
    instance, sets = terms.instance, terms.sets
    running = {k: a.running_cost for k, a in instance.capabilities.items() if a.running_cost > 0}
    if not running:
        return
    index, bodies = [], {}
    for c, t in sets.actor_years:
        cost_factor = instance.countries[c].cost_factor
        body = sum(cost_factor * r * terms.stock(c, k, t) for k, r in running.items())
        if isinstance(body, int | float):
            continue  # nothing in service can cost anything
        index.append((c, t))
        bodies[c, t] = body
    # variables on one side, so the row compiles as ≥ and its dual is ≥ 0
    m.running_costs = pyo.Constraint(index, rule=lambda m, c, t: m.other[c, t] - bodies[c, t] >= 0)


def add_spending_floor(m: pyo.ConcreteModel, terms: Terms) -> None:
    """8. Spending floor: inc_{c,t} ≥ (Fl_{c,t} − defence_pct_gdp_c)/100 · GDP_{c,t} [· y_c].

    Only where the floor applies and lies above the baseline (inc ≥ 0 anyway), for every c ∈ A.
    Under coalition choice without `alliance` the right-hand side is multiplied by y_c.
    Dual ≥ 0: the discounted pain of one more unit of required increase in (c, t).
    """
    sets, derived = terms.sets, terms.derived
    index = [(c, t) for c, t in sets.actor_years if derived.floor_increase.get((c, t), 0) > 0]

    def rule(m, c, t):
        need = derived.floor_increase[c, t]
        if sets.choice and not sets.alliance:  # under `alliance` floors apply whatever y_c is
            # variables on one side: Pyomo would compile `inc ≥ need·y` as `need·y − inc ≤ 0`,
            # a ≤ row whose dual has the opposite sign to the one documented here
            return m.inc[c, t] - need * m.y[c] >= 0
        return m.inc[c, t] >= need

    m.spending_floor = pyo.Constraint(index, rule=rule)


def add_ramp_limit(m: pyo.ConcreteModel, terms: Terms) -> None:
    """9. Ramp limit: inc_{c,t} − inc_{c,t−1} ≤ ramp_c/100 · GDP_{c,t}, with inc_{c,first−1} = 0.

    Dual ≤ 0: minus the pain saved if the increase could rise one unit faster into year t.
    """
    sets, instance = terms.sets, terms.instance
    first = sets.years[0]
    index = [
        (c, t) for c, t in sets.actor_years if instance.countries[c].ramp_limit_pct_gdp is not None
    ]

    def rule(m, c, t):
        ramp = instance.countries[c].ramp_limit_pct_gdp
        previous = m.inc[c, t - 1] if t > first else 0
        return m.inc[c, t] - previous <= ramp / 100 * terms.derived.gdp[c, t]

    m.ramp_limit = pyo.Constraint(index, rule=rule)


def add_burden_share(m: pyo.ConcreteModel, terms: Terms) -> None:
    """14. Burden share: Σ_t inc_{c,t} ≥ φ/100 · (GDP_{c,b} / Σ_{c'∈S} GDP_{c',b}) · Σ_{c'∈S} Σ_t inc_{c',t}.

    Only when φ = burden_share_min_pct > 0. Dual ≥ 0: the pain of making c carry one more unit
    of the coalition's increase.
    """
    phi = terms.instance.burden_share_min_pct
    if phi <= 0:
        return
    sets, derived = terms.sets, terms.derived
    base = derived.base_year
    total_gdp = sum(derived.gdp[c, base] for c in sets.members)
    total_increase = sum(m.inc[c, t] for c, t in sets.member_years)

    def rule(m, c):
        share = derived.gdp[c, base] / total_gdp
        own = sum(m.inc[c, t] for t in sets.years)
        return own - phi / 100 * share * total_increase >= 0  # one side: compiles as ≥

    m.burden_share = pyo.Constraint(list(sets.members), rule=rule)
