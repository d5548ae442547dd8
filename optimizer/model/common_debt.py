"""The lending facilities: constraint 12 of MODEL.md (v2: several, `common_debt` one of them)."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_facilities(m: pyo.ConcreteModel, terms: Terms) -> None:
    """12. Facilities h ∈ H.

    - who may draw (eligible, accepting, with an allocation where h has allocations) and each
      facility's unanimity rule for a fixed coalition are encoded in which com_{c,h,t} exist
      (`ModelSets.draws`); under coalition choice the unanimity rule is the switch `open_h`
      (see `add_coalition_choice`);
    - cap: Σ_{c,t} com_{c,h,t} ≤ cap_h; yearly cap: Σ_c com_{c,h,t} ≤ cap_per_year_h;
    - allocations: Σ_t com_{c,h,t} ≤ allocation_{c,h};
    - procurement only: com_{c,t} = Σ_h com_{c,h,t} ≤ procure_{c,t};
    - content rule: Σ_h m_h/100 · com_{c,h,t} ≤ spend^{origin=eu}_{c,t} (facilities with m_h).

    Duals (≤ rows, HiGHS sign ≤ 0): minus the pain saved per unit of extra cap or allocation,
    per unit of procurement the facilities could finance, per unit of EU content. For one
    facility named `common_debt` the row names are version 1's.
    """
    sets = terms.sets
    if not sets.draws:
        return
    by_facility: dict[str, list[tuple[str, int]]] = {}
    for c, h, t in sets.draws:
        by_facility.setdefault(h, []).append((c, t))
    if len(terms.instance.facilities) == 1:
        _add_single_caps(m, terms, by_facility)
    else:
        _add_caps(m, terms, by_facility)
    _add_allocations(m, terms, by_facility)
    drawing = list(dict.fromkeys((c, t) for c, _h, t in sets.draws))  # c, then t

    def finances_procurement(m, c, t):
        return terms.com(c, t) - terms.procure(c, t) <= 0

    m.common_debt_procurement_only = pyo.Constraint(drawing, rule=finances_procurement)
    _add_content_rule(m, terms, drawing)


def _add_single_caps(
    m: pyo.ConcreteModel, terms: Terms, by_facility: dict[str, list[tuple[str, int]]]
) -> None:
    """One facility: version 1's rows (a scalar cap, a yearly cap indexed by t), which the
    sensitivity and coalition reports read by these indices."""
    facilities = terms.instance.facilities
    (h,) = list(by_facility)
    m.common_debt_cap = pyo.Constraint(
        expr=sum(m.com[c, h, t] for c, t in by_facility[h]) <= facilities[h].cap
    )
    if facilities[h].cap_per_year is not None:
        m.common_debt_cap_per_year = pyo.Constraint(
            list(terms.sets.years),
            rule=lambda m, t: (
                sum(m.com[c, h, tt] for c, tt in by_facility[h] if tt == t)
                <= facilities[h].cap_per_year
            ),
        )


def _add_caps(
    m: pyo.ConcreteModel, terms: Terms, by_facility: dict[str, list[tuple[str, int]]]
) -> None:
    """Several facilities: the cap indexed by h, the yearly cap by (h, t)."""
    facilities = terms.instance.facilities
    caps = list(by_facility)
    m.common_debt_cap = pyo.Constraint(
        caps,
        rule=lambda m, h: sum(m.com[c, h, t] for c, t in by_facility[h]) <= facilities[h].cap,
    )
    yearly = [
        (h, t) for h in caps if facilities[h].cap_per_year is not None for t in terms.sets.years
    ]
    m.common_debt_cap_per_year = pyo.Constraint(
        yearly,
        rule=lambda m, h, t: (
            sum(m.com[c, h, tt] for c, tt in by_facility[h] if tt == t)
            <= facilities[h].cap_per_year
        ),
    )


def _add_allocations(
    m: pyo.ConcreteModel, terms: Terms, by_facility: dict[str, list[tuple[str, int]]]
) -> None:
    """Σ_t com_{c,h,t} ≤ allocation_{c,h} for the facilities with allocations."""
    facilities = terms.instance.facilities
    allotted = sorted(
        {
            (h, c)
            for h in by_facility
            if facilities[h].allocations is not None
            for c, _t in by_facility[h]
        }
    )
    m.facility_allocations = pyo.Constraint(
        allotted,
        rule=lambda m, h, c: (
            sum(m.com[c, h, t] for t in terms.sets.years if (c, h, t) in terms.draws)
            <= facilities[h].allocations.get(c, 0.0)
        ),
    )


def _add_content_rule(m: pyo.ConcreteModel, terms: Terms, drawing: list[tuple[str, int]]) -> None:
    """Σ_h m_h/100 · com_{c,h,t} ≤ spend^{origin=eu}_{c,t} where a facility with m_h is drawn."""
    content = {
        h: f.min_eu_content_pct
        for h, f in terms.instance.facilities.items()
        if f.min_eu_content_pct
    }
    if not content:
        return
    ruled = [(c, t) for c, t in drawing if any(h in content for h, _x in terms.draws_of(c, t))]

    # scaled by 100/max m_h: for one facility, version 1's row com ≤ (100/m) · spend^eu
    scale = 100 / max(content.values())

    def rule(m, c, t):
        needed = sum(scale * content[h] / 100 * x for h, x in terms.draws_of(c, t) if h in content)
        return needed - scale * terms.spend_origin(c, t, "eu") <= 0

    m.common_debt_content = pyo.Constraint(ruled, rule=rule)
