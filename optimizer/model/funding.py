"""Where the money comes from: constraints 2–5 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms


def add_funding_balance(m: pyo.ConcreteModel, terms: Terms) -> None:
    """2. Funding balance: inc_{c,t} + int_{c,t} = tax_{c,t} + soc_{c,t} + bor_{c,t} + com_{c,t}.

    int_{c,t} is the interest on the defence borrowing of earlier years (`Terms.interest`).
    Dual: the marginal pain of one more unit of increase in (c, t), discounted.
    """
    sets = terms.sets

    def rule(m, c, t):
        raised = terms.tax(c, t) + terms.soc(c, t) + terms.bor(c, t) + terms.com(c, t)
        interest = terms.interest(c, t)
        if isinstance(interest, int | float):
            return m.inc[c, t] == raised
        return m.inc[c, t] + interest - raised == 0

    m.funding_balance = pyo.Constraint(sets.actor_years, rule=rule)


def add_pain_segments(m: pyo.ConcreteModel, terms: Terms) -> None:
    """3. Pain segments: seg_{c,f,s,t} ≤ w_s/100 · GDP_{c,t} (no bound where w_s is null).

    Set as the variables' upper bounds, not as rows: a bound needs no row and HiGHS treats it
    natively. Its reduced cost is the pain saved by one more unit of that segment's width (≤ 0).
    """
    for c, f, s, t in terms.sets.segments:
        width = terms.instance.countries[c].pain[f][s].width_pct_gdp
        if width is not None:
            m.seg[c, f, s, t].setub(width / 100 * terms.derived.gdp[c, t])


def add_tax_limit(m: pyo.ConcreteModel, terms: Terms) -> None:
    """4. Tax limit: tax_{c,t} ≤ tax_limit_{c,t}/100 · GDP_{c,t} (the path's value in t, if any).

    Dual (≤ row of a minimisation, HiGHS sign): ≤ 0; its negative is the pain saved per unit of
    extra tax headroom.
    """
    sets, instance = terms.sets, terms.instance
    index = [
        (c, t)
        for c, t in sets.actor_years
        if instance.countries[c].limit("tax_limit_pct_gdp", t) is not None
        and sets.segments_of[c, "tax", t]
    ]

    def rule(m, c, t):
        limit = instance.countries[c].limit("tax_limit_pct_gdp", t)
        return terms.tax(c, t) <= limit / 100 * terms.derived.gdp[c, t]

    m.tax_limit = pyo.Constraint(index, rule=rule)


def add_social_floor(m: pyo.ConcreteModel, terms: Terms) -> None:
    """5. Social floor: soc_{c,t} ≤ social_cut_limit_{c,t}/100 · Soc_{c,t} (path value in t).

    Dual ≤ 0: minus the pain saved per unit of extra room to cut social spending.
    """
    sets, instance = terms.sets, terms.instance
    index = [
        (c, t)
        for c, t in sets.actor_years
        if instance.countries[c].limit("social_cut_limit_pct", t) is not None
        and sets.segments_of[c, "social", t]
    ]

    def rule(m, c, t):
        limit = instance.countries[c].limit("social_cut_limit_pct", t)
        return terms.soc(c, t) <= limit / 100 * terms.derived.social_baseline[c, t]

    m.social_floor = pyo.Constraint(index, rule=rule)
