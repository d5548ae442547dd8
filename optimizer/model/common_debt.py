"""The common-debt facility: constraint 12 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_common_debt_facility(m: pyo.ConcreteModel, terms: Terms) -> None:
    """12. Common-debt facility.

    - who may draw (eligible and accepting) and the unanimity rule for a fixed coalition are
      encoded in which com_{c,t} exist at all (`ModelSets.draws`); under coalition choice the
      unanimity rule is the switch `open` (see `add_coalition_choice`);
    - cap: Σ_{c,t} com_{c,t} ≤ cap; yearly cap: Σ_c com_{c,t} ≤ cap_per_year;
    - procurement only: com_{c,t} ≤ procure_{c,t};
    - content rule: com_{c,t} ≤ (100/m) · spend^{origin=eu}_{c,t}.

    Duals (≤ rows, HiGHS sign ≤ 0): minus the pain saved per unit of extra cap, per unit of
    procurement the facility could finance, per unit of EU content.
    """
    facility, sets = terms.instance.common_debt, terms.sets
    if facility is None or not sets.draws:
        return
    draws = list(sets.draws)
    m.common_debt_cap = pyo.Constraint(expr=sum(m.com[c, t] for c, t in draws) <= facility.cap)
    if facility.cap_per_year is not None:
        m.common_debt_cap_per_year = pyo.Constraint(
            list(sets.years),
            rule=lambda m, t: (
                sum(m.com[c, tt] for c, tt in draws if tt == t) <= facility.cap_per_year
            ),
        )

    def finances_procurement(m, c, t):
        return m.com[c, t] <= terms.procure(c, t)

    m.common_debt_procurement_only = pyo.Constraint(draws, rule=finances_procurement)
    if facility.min_eu_content_pct is not None:
        ratio = 100 / facility.min_eu_content_pct

        def content(m, c, t):
            return m.com[c, t] <= ratio * terms.spend_origin(c, t, "eu")

        m.common_debt_content = pyo.Constraint(draws, rule=content)
