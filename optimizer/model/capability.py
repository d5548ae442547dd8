"""What the coalition buys: constraints 10, 11 and 13 of MODEL.md."""

from __future__ import annotations

import pyomo.core as pyo

from optimizer.model.terms import Terms, linear


def add_arrivals(m: pyo.ConcreteModel, terms: Terms) -> dict[str, list[int]]:
    """What enters service in area k in year s, as a Pyomo `Expression` (not a constraint):

    arrivals_{k,s} = Σ_{c∈S} ρ_c [Σ_o buy_{c,k,o,s−L_k} + Σ_{j∈J_k} con_{c,j,s−L_j} / u_j].

    `delivered` sums it over s ≤ t. Built once per (k, s), each purchase term exists once in the
    model instead of once per later target year: the capability targets are most of a large
    model's nonzeros, and every term of a Pyomo expression is an object in memory (figures:
    benchmarks/README.md, "Figures formerly in docstrings"). The compiled rows are the same.
    Returns each area's arrival years.
    """
    instance, countries = terms.instance, terms.instance.countries
    # (k, s) → ([coefficient], [variable]) of the terms arriving in s
    groups: dict[tuple[str, int], tuple[list[float], list]] = {}
    for k, purchases in terms.purchases_by_area.items():
        lead = instance.capabilities[k].lead_time
        for c, _o, tau, buy in purchases:
            coefs, variables = groups.setdefault((k, tau + lead), ([], []))
            coefs.append(countries[c].reliability)
            variables.append(buy)
    for k, contributions in terms.contributions_by_area.items():
        for c, j, tau, con in contributions:
            programme = instance.programmes[j]
            coefs, variables = groups.setdefault((k, tau + programme.lead_time), ([], []))
            coefs.append(countries[c].reliability / programme.unit_cost)
            variables.append(con)
    keys = sorted(groups)
    m.arrivals = pyo.Expression(keys, rule=lambda m, k, s: linear(*groups[k, s]))
    years: dict[str, list[int]] = {}
    for k, s in keys:
        years.setdefault(k, []).append(s)
    return years


def delivered(m: pyo.ConcreteModel, arrival_years: dict[str, list[int]], k: str, t: int):
    """Σ_{c∈S} ρ_c [Σ_o Σ_{τ ≤ t−L_k} buy_{c,k,o,τ} + Σ_{j∈J_k} Σ_{τ ≤ t−L_j} con_{c,j,τ} / u_j]
    = Σ_{s ≤ t} arrivals_{k,s} (0 when nothing can have arrived by t)."""
    return sum(m.arrivals[k, s] for s in arrival_years.get(k, ()) if s <= t)


def add_capability_targets(m: pyo.ConcreteModel, terms: Terms) -> None:
    """10. Capability targets, for every area k and target year t:

    delivered_{k,t} + short_{k,t} ≥ target_{k,t} (short only where the area has a penalty).

    Dual ≥ 0: the marginal pain of the target, i.e. the discounted pain saved per unit of target
    removed (reported as `marginal_pain` in capabilities.csv). A target that nothing can supply
    and no shortfall can absorb makes the model infeasible: recorded in `m.infeasible_rows`.
    """
    shortfalls = set(terms.sets.shortfalls)
    instance = terms.instance
    arrival_years = add_arrivals(m, terms)

    def rule(m, k, t):
        lhs = delivered(m, arrival_years, k, t)
        if (k, t) in shortfalls:
            lhs = lhs + m.short[k, t]
        target = instance.capabilities[k].targets[t]
        if isinstance(lhs, int | float):
            if lhs < target:
                m.infeasible_rows.append(
                    f"capability_targets[{k},{t}]: target {target:g} but the coalition has no "
                    f"way to deliver {k} by {t} (no option, eligible programme or lead time)"
                )
            return pyo.Constraint.Skip
        return lhs >= target

    m.capability_targets = pyo.Constraint(list(terms.sets.target_points), rule=rule)


def add_outsider_targets(m: pyo.ConcreteModel, terms: Terms) -> None:
    """10b. Each outsider's own share, for every area k and target year t:

    ρ_c · stock_{c,k,t} + short_{c,k,t} ≥ σ_c/100 · target_{k,t}  (short where k has a penalty).

    Under coalition choice with `alliance`, for each candidate the right-hand side is
    σ_c/100 · target_{k,t} · (1 − y_c), written ρ·stock + short + σ/100·target·y ≥ σ/100·target.
    Dual ≥ 0: the discounted pain saved per unit of the outsider's share removed
    (`marginal_pain` in capability_shares.csv).
    """
    sets, instance = terms.sets, terms.instance
    if not sets.share_points:
        return
    share = terms.derived.share or {}
    shortfalls = set(sets.share_shortfalls)
    candidates = set(sets.members) if sets.alliance_choice else set()
    index = []
    bodies = {}
    for c, k, t in sets.share_points:
        need = share[c] / 100 * instance.capabilities[k].targets[t]
        body = instance.countries[c].reliability * terms.stock(c, k, t)
        if (c, k, t) in shortfalls:
            body = body + m.short_share[c, k, t]
        if c in candidates:
            body = body + need * m.y[c]
        if isinstance(body, int | float):
            if body < need:
                m.infeasible_rows.append(
                    f"outsider_targets[{c},{k},{t}]: {c}'s own share {need:g} of {k} in {t}, "
                    f"but as an outsider it has no way to deliver {k} by {t}"
                )
            continue
        index.append((c, k, t))
        bodies[c, k, t] = (body, need)
    m.outsider_targets = pyo.Constraint(
        index, rule=lambda m, c, k, t: bodies[c, k, t][0] >= bodies[c, k, t][1]
    )


def add_supply_limits(m: pyo.ConcreteModel, terms: Terms) -> None:
    """11b. Supply limit of a national option: Σ_{c∈A} buy_{c,k,o,t} ≤ q_{k,o} (if given).

    Dual ≤ 0: minus the pain saved per unit more the option could supply in t.
    """
    instance, sets = terms.instance, terms.sets
    limits = {
        (k, opt.id): opt.capacity_per_year
        for k, area in instance.capabilities.items()
        for opt in area.options
        if opt.capacity_per_year is not None
    }
    if not limits:
        return
    buyers: dict[tuple[str, str, int], list] = {}
    for c, k, o, t in sets.purchases:
        if (k, o) in limits:
            buyers.setdefault((k, o, t), []).append(m.buy[c, k, o, t])
    m.supply_limits = pyo.Constraint(
        list(buyers), rule=lambda m, k, o, t: sum(buyers[k, o, t]) <= limits[k, o]
    )


def add_programme_capacity(m: pyo.ConcreteModel, terms: Terms) -> None:
    """11. Programme capacity: Σ_{c∈S} con_{c,j,t} ≤ capacity_per_year_j · u_j (if given).

    Dual ≤ 0: minus the pain saved per unit of money the programme could absorb more in t.
    """
    instance, sets = terms.instance, terms.sets
    payers: dict[tuple[str, int], list[str]] = {}
    for c, j, t in sets.contributions:
        if instance.programmes[j].capacity_per_year is not None:
            payers.setdefault((j, t), []).append(c)

    def rule(m, j, t):
        programme = instance.programmes[j]
        capacity = programme.capacity_per_year * programme.unit_cost
        return sum(m.con[c, j, t] for c in payers[j, t]) <= capacity

    m.programme_capacity = pyo.Constraint(list(payers), rule=rule)


def add_origin_shares(m: pyo.ConcreteModel, terms: Terms) -> None:
    """13. Origin shares: Σ_{c,t} spend^{origin=g}_{c,t} ≥ share_g/100 · Σ_{c,t} procure_{c,t}.

    Dual ≥ 0: the pain saved per unit of origin-g spending the quota no longer demands.
    """
    sets = terms.sets
    shares = terms.instance.origin_min_share_pct

    def rule(m, g):
        spend = sum(terms.spend_origin(c, t, g) for c, t in sets.actor_years)
        total = sum(terms.procure(c, t) for c, t in sets.actor_years)
        body = spend - shares[g] / 100 * total
        if isinstance(body, int | float):
            return pyo.Constraint.Skip  # nothing can be bought at all: 0 ≥ 0
        return body >= 0

    m.origin_shares = pyo.Constraint(list(shares), rule=rule)
