"""The short names of MODEL.md ("Decision variables"): tax, soc, bor, natspend, procure, spend^g.

Each returns a linear expression of one member and year, so constraint families read like the
spec. The lookups behind them are built once in `Terms.__init__`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.core as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from optimizer.derive import Derived
from optimizer.instance.resolved import Instance
from optimizer.model.sets import ModelSets


def linear(coefs: list[float], variables: list) -> LinearExpression | int:
    """Σ_i coefs_i · variables_i as one Pyomo `LinearExpression` (0 when empty).

    The expression `sum(a * x for ...)` builds, made in one call: `sum` of products is several
    times slower (Pyomo dispatches every `+` and `*` in Python). As there, a coefficient of 1
    leaves the bare variable: a monomial object per such term costs memory on large models
    (figures: benchmarks/README.md, "Figures formerly in docstrings").
    """
    if not variables:
        return 0
    terms = zip(coefs, variables, strict=True)
    return LinearExpression([x if a == 1 else MonomialTermExpression((a, x)) for a, x in terms])


def linear_sum(variables: list) -> LinearExpression | int:
    """Σ_i variables_i as one Pyomo `LinearExpression` (0 when empty)."""
    return LinearExpression(list(variables)) if variables else 0


class Terms:
    """Expression builders over the variables of one model."""

    def __init__(
        self, model: pyo.ConcreteModel, instance: Instance, derived: Derived, sets: ModelSets
    ):
        self.m = model
        self.instance = instance
        self.derived = derived
        self.sets = sets
        #: κ_h per facility
        self.kappa = {h: f.national_debt_share for h, f in instance.facilities.items()}
        self._options = {
            (k, opt.id): opt for k, area in instance.capabilities.items() for opt in area.options
        }
        # (c, t) → [(origin, money per unit, buy)], (c, t) → [j] with its [con] alongside (no
        # tuple per contribution: a tuple per variable is memory on large models), and by area
        # k → [(c, o, t, buy)] and k → [(c, j, t, con)]. Each variable is looked up once here:
        # Pyomo's indexed lookup is slow, and every purchase appears in several families.
        buy, con = model.buy, model.con
        self.purchases_by_area: dict[str, list[tuple[str, str, int, Any]]] = defaultdict(list)
        self.contributions_by_area: dict[str, list[tuple[str, str, int, Any]]] = defaultdict(list)
        self._buys: dict[tuple[str, int], list[tuple[str, float, Any]]] = defaultdict(list)
        for c, k, o, t in sets.purchases:
            x = buy[c, k, o, t]
            self._buys[c, t].append((self._options[k, o].origin, self.price(c, k, o), x))
            self.purchases_by_area[k].append((c, o, t, x))
        self._stock_buys: dict[tuple[str, str], list] = defaultdict(list)
        self._stock_cons: dict[tuple[str, str], list] = defaultdict(list)
        # The stock in service (1b running costs, 10b outsiders' shares) counts national and
        # joint units alike, whichever routes the instance has.
        needs_stock = (
            any(a.running_cost > 0 for a in instance.capabilities.values()) or sets.share_points
        )
        if needs_stock:
            for k, bought in self.purchases_by_area.items():
                for item in bought:
                    self._stock_buys[item[0], k].append(item)
        self._contributions: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._contribution_vars: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for c, j, t in sets.contributions:
            x = con[c, j, t]
            self._contributions[c, t].append(j)
            self._contribution_vars[c, t].append(x)
            self.contributions_by_area[instance.programmes[j].capability].append((c, j, t, x))
        if needs_stock:
            for k, paid in self.contributions_by_area.items():
                for item in paid:
                    self._stock_cons[item[0], k].append(item)
        seg = model.seg
        self._segments = {
            (c, f, t): [seg[c, f, s, t] for s in segments]
            for (c, f, t), segments in sets.segments_of.items()
        }
        self.draws = set(sets.draws)
        com = model.com
        #: (c, t) → [(h, com_{c,h,t})]
        self._draws: dict[tuple[str, int], list[tuple[str, Any]]] = defaultdict(list)
        for c, h, t in sets.draws:
            self._draws[c, t].append((h, com[c, h, t]))

    def drop_lookups(self) -> None:
        """Free the lookups the expression builders use, once the model is built.

        The model keeps its `Terms` for `sets`, `instance` and `derived`; the lookups hold a
        tuple or list slot per variable, and tuples that hold variables are tracked by the
        garbage collector. Dropping them lowers what the process holds once a solve has freed
        the constraints (figures: benchmarks/README.md, "Figures formerly in docstrings").
        The builders cannot be used afterwards.
        """
        for name in ("_buys", "_contributions", "_contribution_vars", "_segments", "_draws",
                     "_stock_buys", "_stock_cons"):  # fmt: skip
            setattr(self, name, None)
        self.purchases_by_area = self.contributions_by_area = None

    def price(self, c: str, k: str, o: str) -> float:
        """p_{k,o} · cf_c: what c pays for one unit of option o."""
        return self._options[k, o].unit_cost * self.instance.countries[c].cost_factor

    def source(self, c: str, f: str, t: int):
        """Σ_s seg_{c,f,s,t}: money raised from national source f."""
        return linear_sum(self._segments.get((c, f, t), []))

    def tax(self, c: str, t: int):
        """tax_{c,t}."""
        return self.source(c, "tax", t)

    def soc(self, c: str, t: int):
        """soc_{c,t}: the cut in social spending."""
        return self.source(c, "social", t)

    def bor(self, c: str, t: int):
        """bor_{c,t}: national borrowing."""
        return self.source(c, "debt", t)

    def com(self, c: str, t: int):
        """com_{c,t} = Σ_h com_{c,h,t}: the draws on every facility (0 where c may not draw)."""
        return linear_sum([x for _h, x in self._draws.get((c, t), ())])

    def draws_of(self, c: str, t: int) -> list[tuple[str, Any]]:
        """[(h, com_{c,h,t})] for the facilities c may draw on in t."""
        return self._draws.get((c, t), [])

    def new_debt(self, c: str, t: int):
        """bor_{c,t} + Σ_h κ_h · com_{c,h,t}: what a year adds to national debt."""
        draws = self.draws_of(c, t)
        return self.bor(c, t) + linear([self.kappa[h] for h, _x in draws], [x for _h, x in draws])

    def interest(self, c: str, t: int):
        """int_{c,t} = i_c/100 · Σ_{τ<t} bor_{c,τ} + Σ_h κ_h · i_h/100 · Σ_{τ<t} com_{c,h,τ}."""
        rate = self.instance.countries[c].interest_rate_pct / 100
        facilities = self.instance.facilities
        coefs, variables = [], []
        for tau in self.sets.years:
            if tau >= t:
                break
            if rate:
                for x in self._segments.get((c, "debt", tau), []):
                    coefs.append(rate)
                    variables.append(x)
            for h, x in self.draws_of(c, tau):
                share = self.kappa[h] * facilities[h].interest_rate_pct / 100
                if share:
                    coefs.append(share)
                    variables.append(x)
        return linear(coefs, variables)

    def stock(self, c: str, k: str, t: int):
        """stock_{c,k,t}: units of area k in service for c in t (what arrived by t)."""
        coefs, variables = [], []
        lead = self.instance.capabilities[k].lead_time
        for _c, _o, tau, x in self._stock_buys.get((c, k), ()):
            if tau <= t - lead:
                coefs.append(1.0)
                variables.append(x)
        for _c, j, tau, x in self._stock_cons.get((c, k), ()):
            programme = self.instance.programmes[j]
            if tau <= t - programme.lead_time:
                coefs.append(1 / programme.unit_cost)
                variables.append(x)
        return linear(coefs, variables)

    def natspend(self, c: str, t: int, origin: str | None = None):
        """Σ_{k,o} p_{k,o} · cf_c · buy_{c,k,o,t}, optionally only options of one origin."""
        buys = [b for b in self._buys[c, t] if origin is None or b[0] == origin]
        return linear([price for _g, price, _x in buys], [x for _g, _p, x in buys])

    def contributions(self, c: str, t: int, origin: str | None = None):
        """Σ_j con_{c,j,t}, optionally only programmes of one origin."""
        paid = self._contribution_vars[c, t]
        if origin is None:
            return linear_sum(paid)
        programmes = self.instance.programmes
        return linear_sum(
            [
                x
                for j, x in zip(self._contributions[c, t], paid, strict=True)
                if programmes[j].origin == origin
            ]
        )

    def procure(self, c: str, t: int):
        """procure_{c,t} = natspend_{c,t} + Σ_j con_{c,j,t}."""
        return self.natspend(c, t) + self.contributions(c, t)

    def spend_origin(self, c: str, t: int, origin: str):
        """spend^{origin=g}_{c,t}: the part of procure_{c,t} of that origin."""
        return self.natspend(c, t, origin) + self.contributions(c, t, origin)

    def has_procurement(self, c: str, t: int) -> bool:
        """Whether c can buy anything at all in t."""
        return bool(self._buys[c, t] or self._contributions[c, t])

    def pain(self, c: str, t: int):
        """That year's pain of c, undiscounted: Σ_{f,s} weight · seg + w_com · com."""
        country = self.instance.countries[c]
        weights, variables = [], []
        for f in country.pain:
            segments = self.sets.segments_of[c, f, t]
            weights += [country.pain[f][s].weight for s in segments]
            variables += self._segments.get((c, f, t), [])
        for h, x in self.draws_of(c, t):
            weights.append(self.instance.facilities[h].pain_weight)
            variables.append(x)
        return linear(weights, variables)

    def discounted_pain(self, c: str):
        """pain_c = Σ_t d_t · pain_{c,t}."""
        return sum(self.derived.discount[t] * self.pain(c, t) for t in self.sets.years)

    def penalty(self, k: str) -> float:
        """penalty_k; for a hard target in a variants model, the penalty a variant may switch on."""
        penalty = self.instance.capabilities[k].shortfall_penalty
        return self.sets.hard_target_penalty if penalty is None else penalty

    def shortfall_cost(self):
        """Σ_t d_t Σ_k penalty_k · (short_{k,t} + Σ_{c∈O} short_{c,k,t})."""
        discount = self.derived.discount
        coefs = [discount[t] * self.penalty(k) for k, t in self.sets.shortfalls]
        variables = [self.m.short[k, t] for k, t in self.sets.shortfalls]
        for c, k, t in self.sets.share_shortfalls:
            coefs.append(discount[t] * self.penalty(k))
            variables.append(self.m.short_share[c, k, t])
        return linear(coefs, variables)
