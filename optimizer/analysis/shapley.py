"""Shapley allocation of a coalition's savings (`burden shapley`).

The game. N is the coalition (its members), T ⊆ N a sub-coalition, and

    v(T) = the least discounted pain (plus shortfall penalties) with which T alone meets the
           instance's capability targets scaled by s_T = GDP_b(T) / GDP_b(N),

every other rule of MODEL.md unchanged (floors, ramps, debt ceilings, the common-debt facility
with its unanimity rule among T's members, origin shares, …), v(∅) = 0. Why the scaling: the
question is what pooling saves, not who can defend the whole alliance alone. Unscaled, a small
member alone would have to deliver the coalition's entire target — infeasible or absurdly
painful — and the "savings" would measure little but size. Scaled by its share of the
coalition's base-year GDP, each sub-coalition carries its own GDP-proportional part of the
targets, so v(N) is the coalition's optimum and v({i}) is what member i would bear doing its
share alone.

Shared limits — the common-debt facility's caps and the programmes' yearly capacities — are not
scaled: every sub-coalition may use them in full, as it could if it formed. So the game need not
be subadditive: members alone may together draw more common debt than the coalition can, and a
member that shuts a unanimity facility raises v of every sub-coalition it joins; the savings can
then be small or negative, and the core check shows who would rather leave.

The savings of the grand coalition are Σ_i v({i}) − v(N); their Shapley allocation is
σ_i = v({i}) − φ_i(v), with φ_i(v) the Shapley value of the cost game: member i's fair cost
share. σ is efficient (Σ σ_i = the savings) and symmetric (identical members get the same).

Under `alliance` (MODEL.md v2) the alliance is the scale instead: a member that leaves T becomes
an outsider and delivers its own share σ_c of each target nationally, so T meets the unscaled
targets together with the outsiders, and v(T) is the discounted pain of T's members (plus the
shortfall penalties). v({i}) is then what i bears as the only member, the others delivering
their own shares, and the savings are what pooling, joint buying and lending save.

Infeasible sub-coalitions (a convention). A sub-coalition that cannot meet its (scaled) hard
targets gets the value of the same LP with every hard target's shortfall allowed at a penalty
P per unit of capability (discounted like pain). P is set well above any price of delivering a
unit (see `default_penalty`), so that a shortfall happens only where delivery is impossible, and
v(T) then counts what T can deliver at its pain plus P per unit it cannot. A sub-coalition that
is infeasible for other reasons (a floor its members cannot fund) has no value: an error.

Under `objective: max_pain` the game still counts money-valued pain (total pain plus shortfall
cost of the lexicographic optimum), because the Shapley value allocates an additive quantity.

Exact by enumeration of the 2^n − 1 sub-coalitions (in Gray-code order: one member in or out
per step, so every solve is warm) up to `exact_limit` members. Above that, permutations are
sampled (seed fixed) in independent blocks: a random permutation and its n − 1 cyclic shifts, so
that every member stands once in every position (stratified by position; on the test games this
reached a given standard error with about a third of the permutations of antithetic pairs). Each
block's mean marginal contributions are one draw, the draws give standard errors, and sampling
stops when every member's standard error is at most `tolerance` × |savings| after at least
`min_draws` blocks (fewer draws underestimate the error of rare, large marginal contributions,
such as a member that cannot meet its share alone coming first), or at `max_permutations`. Every
permutation's marginal contributions add up to v(N), so the estimate is efficient exactly.

Core check: for every sub-coalition T evaluated, the gain of leaving together, Σ_{i∈T} φ_i − v(T)
(what T is charged under the allocation minus what it would bear alone). A positive gain means
the allocation is not in the core: T would do better on its own.

This module: the penalty, the allocation's arithmetic and tables (pure). The solves are
`optimizer.pipeline.shapley`; the files, `optimizer.report.shapley`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizer.derive import Derived, derive
from optimizer.instance.resolved import Instance
from optimizer.results.evaluation import Evaluation

PENALTY_FACTOR = 10.0
#: a sub-coalition "gains by leaving" above this share of the savings (numerical noise below)
CORE_TOLERANCE = 1e-6


class GameError(RuntimeError):
    """A sub-coalition has no value (infeasible beyond the targets, or a solve failed)."""


def default_penalty(instance: Instance, derived: Derived | None = None) -> float:
    """P: PENALTY_FACTOR × the dearest way to deliver one unit of capability, rounded up.

    The dearest: the highest pain weight of any source (common debt included) × the highest
    unit cost of any option (× the highest cost factor) or programme, ÷ the lowest reliability,
    × the largest discount ratio between a purchase year and a target year.
    """
    derived = derived or derive(instance)
    weights = [
        seg.weight
        for country in instance.countries.values()
        for curve in country.pain.values()
        for seg in curve
    ]
    weights += [f.pain_weight for f in instance.facilities.values()]  # every facility (v2)
    cost_factor = max(c.cost_factor for c in instance.countries.values())
    costs = [
        opt.unit_cost * cost_factor for a in instance.capabilities.values() for opt in a.options
    ]
    costs += [p.unit_cost for p in instance.programmes.values()]
    reliability = min(c.reliability for c in instance.countries.values())
    discounts = list(derived.discount.values())
    ratio = max(discounts) / min(discounts)
    dearest = max(weights, default=1.0) * max(costs, default=1.0) / reliability * ratio
    raw = PENALTY_FACTOR * max(dearest, 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    return math.ceil(raw / magnitude * 10) / 10 * magnitude  # two significant digits, up


@dataclass
class ShapleyResult:
    """Allocation, game values and diagnostics."""

    members: tuple[str, ...]
    method: str
    """`exact` or `sampled`."""
    cost_share: np.ndarray
    """φ_i(v): each member's Shapley cost share."""
    standard_error: np.ndarray
    standalone: np.ndarray
    """v({i})."""
    grand_value: float
    savings: float
    values: dict[int, Evaluation]
    """Every evaluated sub-coalition (bit mask → evaluation)."""
    gdp_share: np.ndarray
    penalty: float
    permutations: int = 0
    converged: bool = True
    seed: int | None = None
    tolerance: float | None = None
    grand_pain: dict[str, float] = field(default_factory=dict)
    design: str | None = None
    """Sampling design (`cyclic` or `antithetic`); None when exact."""
    min_draws: int | None = None

    @property
    def allocation(self) -> np.ndarray:
        """σ_i = v({i}) − φ_i: member i's share of the savings."""
        return self.standalone - self.cost_share

    def value(self, mask: int) -> float:
        return 0.0 if mask == 0 else float(self.values[mask].value)

    def table(self, instance: Instance) -> pd.DataFrame:
        """shapley.csv: one row per member."""
        alloc = self.allocation
        rows = []
        for i, c in enumerate(self.members):
            pain = self.grand_pain.get(c)
            rows.append(
                {
                    "member": c,
                    "name": instance.countries[c].name,
                    "shapley_savings": alloc[i],
                    "standard_error": self.standard_error[i],
                    "share_of_savings_pct": 100 * alloc[i] / self.savings if self.savings else None,
                    "standalone_value": self.standalone[i],
                    "standalone_penalised": self.values[1 << i].penalised,
                    "shapley_cost": self.cost_share[i],
                    "pain_in_coalition": pain,
                    "transfer_to_member": None if pain is None else pain - self.cost_share[i],
                    "gdp_share_pct": 100 * self.gdp_share[i],
                    "savings_pct_of_standalone": (
                        100 * alloc[i] / self.standalone[i] if self.standalone[i] else None
                    ),
                }
            )
        return pd.DataFrame(rows)

    def core_table(self, limit: int = 20) -> pd.DataFrame:
        """The evaluated proper sub-coalitions whose members would gain most by leaving together."""
        full = (1 << len(self.members)) - 1
        rows = []
        phi = self.cost_share
        for mask, evaluation in self.values.items():
            if mask == full or evaluation.value is None:
                continue
            idx = [j for j in range(len(self.members)) if mask >> j & 1]
            charged = float(phi[idx].sum())
            gain = charged - evaluation.value
            rows.append(
                {
                    "sub_coalition": ";".join(evaluation.members),
                    "n_members": len(idx),
                    "gdp_share_pct": 100 * float(self.gdp_share[idx].sum()),
                    "value_alone": evaluation.value,
                    "penalised": evaluation.penalised,
                    "charged_by_allocation": charged,
                    "gain_by_leaving": gain,
                    "gain_pct_of_charge": 100 * gain / charged if charged else None,
                }
            )
        table = pd.DataFrame(rows)
        if table.empty:
            return table
        table = table.sort_values("gain_by_leaving", ascending=False, kind="stable")
        return table.head(limit).reset_index(drop=True)

    def in_core(self) -> bool:
        """No evaluated sub-coalition gains more than CORE_TOLERANCE × |savings| by leaving."""
        core = self.core_table(limit=1)
        if core.empty:
            return True
        scale = max(abs(self.savings), 1e-9 * max(1.0, abs(self.grand_value)))
        return bool(core["gain_by_leaving"].iloc[0] <= CORE_TOLERANCE * scale + 1e-9)

    def summary(self) -> dict:
        core = self.core_table(limit=1)
        best = core.iloc[0].to_dict() if not core.empty else None
        penalised = [";".join(e.members) for e in self.values.values() if e.penalised]
        return {
            "members": list(self.members),
            "method": self.method,
            "game": (
                "v(T) = least discounted pain + shortfall penalties of sub-coalition T meeting the "
                "instance's capability targets scaled by T's share of the coalition's base-year GDP"
            ),
            "grand_value": self.grand_value,
            "sum_standalone": float(self.standalone.sum()),
            "savings": self.savings,
            "allocated": float(self.allocation.sum()),
            "efficiency_gap": float(self.allocation.sum() - self.savings),
            "infeasible_convention": (
                "a sub-coalition that cannot meet its scaled hard targets is valued with every hard "
                "target's shortfall allowed at the penalty per unit of capability (discounted)"
            ),
            "penalty_per_unit_shortfall": self.penalty,
            "penalised_sub_coalitions": len(penalised),
            "penalised_examples": penalised[:10],
            "evaluated_sub_coalitions": len(self.values),
            "permutations": self.permutations,
            "sampling_design": self.design,
            "min_draws": self.min_draws,
            "seed": self.seed,
            "tolerance": self.tolerance,
            "converged": self.converged,
            "max_standard_error": float(self.standard_error.max()) if len(self.members) else 0.0,
            "in_core": self.in_core(),
            "core_check_scope": (
                "all sub-coalitions" if self.method == "exact" else "the sub-coalitions evaluated"
            ),
            "most_gaining_sub_coalition": best,
        }


def exact_shapley(values: np.ndarray, n: int) -> np.ndarray:
    """Shapley values of the game with v(mask) = values[mask] (values[0] = 0) by enumeration."""
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)])
    weights = np.array(
        [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    )
    phi = np.zeros(n)
    for i in range(n):
        without = masks[(masks >> i & 1) == 0]
        phi[i] = float(
            np.sum(weights[sizes[without]] * (values[without | (1 << i)] - values[without]))
        )
    return phi


def game_table(result: ShapleyResult) -> pd.DataFrame:
    """shapley_game.csv: every sub-coalition evaluated, with its value."""
    rows = []
    for mask in sorted(result.values, key=lambda m: (bin(m).count("1"), m)):
        e = result.values[mask]
        rows.append(
            {
                "sub_coalition": ";".join(e.members),
                "n_members": len(e.members),
                "target_scale": e.target_scale,
                "status": e.status,
                "penalised": e.penalised,
                "value": e.value,
                "total_pain": e.total_pain,
                "shortfall_cost": e.shortfall_cost,
            }
        )
    return pd.DataFrame(rows)
