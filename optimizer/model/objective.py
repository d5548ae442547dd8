"""The objectives of MODEL.md ("Objective"): total_pain, and the pieces of max_pain's stages."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_objectives(m: pyo.ConcreteModel, terms: Terms) -> None:
    """Declare every objective the solve may need; the solve picks one per stage.

    - `total_pain_objective`: Σ_t d_t [Σ_c (Σ_{f,s} weight · seg + w_com · com) + Σ_k penalty · short]
      + member_cost · Σ_c y_c (the last term under coalition choice only);
    - `procurement_objective`: Σ_{c∈A,t} procure_{c,t}, the least-procurement tie-break;
    - under `max_pain` also `shortfall_objective` (stage 1: Σ_t d_t Σ_k penalty · short) and
      `max_pain_objective` (stage 2: m), with the rows m ≥ 100 · pain_c / GDP_{c,b} for every acting
      country c ∈ A (`max_pain_rows`, dual ≥ 0: the weight of country c in the egalitarian optimum).
    """
    sets, instance = terms.sets, terms.instance
    # the whole alliance's pain: outsiders' pain counts (MODEL.md v2, "Objective")
    expr = sum(terms.discounted_pain(c) for c in sets.actors) + terms.shortfall_cost()
    if sets.choice:
        expr += instance.choice.member_cost * sum(m.y[c] for c in sets.members)
    m.total_pain_objective = pyo.Objective(expr=expr, sense=pyo.minimize)
    # the least-procurement tie-break (MODEL.md v2, "Objective"): Σ_{c∈A,t} procure_{c,t}
    m.procurement_objective = pyo.Objective(
        expr=sum(terms.procure(c, t) for c, t in sets.actor_years), sense=pyo.minimize
    )
    if instance.objective != "max_pain":
        return
    m.shortfall_objective = pyo.Objective(expr=terms.shortfall_cost(), sense=pyo.minimize)
    m.max_pain_pct = pyo.Var(within=pyo.NonNegativeReals)
    m.max_pain_objective = pyo.Objective(expr=m.max_pain_pct, sense=pyo.minimize)
    base = terms.derived.base_year

    def rule(m, c):
        # variables on one side, so the row compiles as written (≥) and its dual is ≥ 0
        return m.max_pain_pct - 100 * terms.discounted_pain(c) / terms.derived.gdp[c, base] >= 0

    m.max_pain_rows = pyo.Constraint(list(sets.actors), rule=rule)
