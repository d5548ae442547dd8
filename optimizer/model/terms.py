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
from optimizer.instance.model import Instance
from optimizer.model.sets import ModelSets


def linear(coefs: list[float], variables: list) -> LinearExpression | int:
    """Σ_i coefs_i · variables_i as one Pyomo `LinearExpression` (0 when empty).

    The expression `sum(a * x for ...)` builds, made in one call: `sum` of products took 3×
    longer (Pyomo dispatches every `+` and `*` in Python). As there, a coefficient of 1 leaves
    the bare variable: a monomial object per such term cost the large size 164 MB.
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
        self.kappa = instance.common_debt.national_debt_share if instance.common_debt else 1.0
        self._options = {
            (k, opt.id): opt for k, area in instance.capabilities.items() for opt in area.options
        }
        # (c, t) → [(origin, money per unit, buy)], (c, t) → [j] with its [con] alongside (no
        # tuple per contribution: 19 MB at the large size), and by area k → [(c, o, t, buy)]
        # and k → [(c, j, t, con)]. Each variable is looked up once here: Pyomo's indexed
        # lookup costs ~1 µs, and every purchase appears in several families.
        buy, con = model.buy, model.con
        self.purchases_by_area: dict[str, list[tuple[str, str, int, Any]]] = defaultdict(list)
        self.contributions_by_area: dict[str, list[tuple[str, str, int, Any]]] = defaultdict(list)
        self._buys: dict[tuple[str, int], list[tuple[str, float, Any]]] = defaultdict(list)
        for c, k, o, t in sets.purchases:
            x = buy[c, k, o, t]
            self._buys[c, t].append((self._options[k, o].origin, self.price(c, k, o), x))
            self.purchases_by_area[k].append((c, o, t, x))
        self._contributions: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._contribution_vars: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for c, j, t in sets.contributions:
            x = con[c, j, t]
            self._contributions[c, t].append(j)
            self._contribution_vars[c, t].append(x)
            self.contributions_by_area[instance.programmes[j].capability].append((c, j, t, x))
        seg = model.seg
        self._segments = {
            (c, f, t): [seg[c, f, s, t] for s in segments]
            for (c, f, t), segments in sets.segments_of.items()
        }
        self.draws = set(sets.draws)

    def drop_lookups(self) -> None:
        """Free the lookups the expression builders use, once the model is built.

        The model keeps its `Terms` for `sets`, `instance` and `derived`; the lookups hold a
        tuple or list slot per variable, and tuples that hold variables are tracked by the
        garbage collector (16 bytes more each). At the large size, once a solve has freed the
        constraints, the process holds 1,317 MB instead of 1,533 MB (RSS, /proc/self/statm).
        The builders cannot be used afterwards.
        """
        for name in ("_buys", "_contributions", "_contribution_vars", "_segments"):
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
        """com_{c,t}: the draw on the common-debt facility (0 where c may not draw)."""
        return self.m.com[c, t] if (c, t) in self.draws else 0

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
        if (c, t) in self.draws:
            weights.append(self.instance.common_debt.pain_weight)
            variables.append(self.m.com[c, t])
        return linear(weights, variables)

    def discounted_pain(self, c: str):
        """pain_c = Σ_t d_t · pain_{c,t}."""
        return sum(self.derived.discount[t] * self.pain(c, t) for t in self.sets.years)

    def penalty(self, k: str) -> float:
        """penalty_k; for a hard target in a variants model, the penalty a variant may switch on."""
        penalty = self.instance.capabilities[k].shortfall_penalty
        return self.sets.hard_target_penalty if penalty is None else penalty

    def shortfall_cost(self):
        """Σ_t d_t Σ_k penalty_k · short_{k,t}."""
        return sum(
            self.derived.discount[t] * self.penalty(k) * self.m.short[k, t]
            for k, t in self.sets.shortfalls
        )
