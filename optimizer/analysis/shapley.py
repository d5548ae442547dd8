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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizer.derive import Derived, derive
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.options import SHAPLEY_EXACT_LIMIT as EXACT_LIMIT
from optimizer.pipeline.runner import (
    Evaluation,
    SolverSpec,
    Variant,
    VariantRunner,
    gray_masks,
    mask_members,
    split_walks,
)
from optimizer.solver.highs import SolveOptions

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


@dataclass
class _Game:
    """The game's bookkeeping: members, GDP shares, evaluated values."""

    members: tuple[str, ...]
    gdp: np.ndarray
    values: dict[int, Evaluation] = field(default_factory=dict)
    alliance: bool = False
    """v2: targets unscaled (the outsiders deliver their own shares); v(T) = T's members' pain."""

    @property
    def full(self) -> int:
        return (1 << len(self.members)) - 1

    def scale(self, mask: int) -> float:
        if mask == self.full or self.alliance:
            return 1.0
        idx = [j for j in range(len(self.members)) if mask >> j & 1]
        return float(self.gdp[idx].sum() / self.gdp.sum())

    def variant(self, mask: int) -> Variant:
        return Variant(mask_members(mask, self.members), self.scale(mask))

    def value(self, mask: int) -> float:
        if mask == 0:
            return 0.0
        evaluation = self.values[mask]
        value = evaluation.value
        if value is not None and self.alliance:  # the members' pain, not the outsiders'
            value -= sum(evaluation.pain_by_outsider.values())
        if value is None:  # checked when stored
            raise GameError(f"no value for {mask_members(mask, self.members)}")
        return value

    def store(self, masks: Sequence[int], evaluations: Sequence[Evaluation]) -> None:
        for mask, evaluation in zip(masks, evaluations, strict=True):
            if evaluation.value is None:
                raise GameError(
                    f"sub-coalition {';'.join(evaluation.members)} (targets × "
                    f"{evaluation.target_scale:.4f}) has no value: {evaluation.status}"
                    + (
                        " even with penalised shortfalls (a floor or another limit of its "
                        "members cannot be met)"
                        if evaluation.status == "infeasible"
                        else ""
                    )
                )
            self.values[mask] = evaluation


def shapley(
    instance: Instance,
    members: Sequence[str],
    options: SolveOptions | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    exact_limit: int = EXACT_LIMIT,
    seed: int = 0,
    tolerance: float = 0.01,
    max_permutations: int = 1000,
    min_draws: int = 20,
    design: str = "cyclic",
    penalty: float | None = None,
    progress: Callable[..., object] | None = None,
    progress_total: Callable[[int], None] | None = None,
) -> ShapleyResult:
    """The Shapley allocation of the savings of coalition `members` (see the module docstring).

    `progress(n, description=None)` is called as solves finish; `progress_total(total)` when
    the number of solves to come is known.
    """
    derived = derive(instance)
    members = instance.in_country_order(list(members))
    if not members:
        raise GameError("the coalition has no members")
    n = len(members)
    penalty = default_penalty(instance, derived) if penalty is None else penalty
    gdp = np.array([derived.gdp[c, derived.base_year] for c in members])
    game = _Game(members, gdp, alliance=instance.alliance is not None)
    spec = SolverSpec(instance, members, options or SolveOptions(), hard_target_penalty=penalty)
    advance = progress or (lambda n=1, description=None: None)
    set_total = progress_total or (lambda total: None)

    with VariantRunner(spec, workers, scheduler) as runner:
        if n <= exact_limit:
            masks = gray_masks(n)
            set_total(len(masks))
            variants = [game.variant(m) for m in masks]
            evaluations = runner.run(variants, penalise_infeasible=True, advance=advance)
            game.store(masks, evaluations)
            values = np.zeros(1 << n)
            for m in masks:
                values[m] = game.value(m)
            phi = exact_shapley(values, n)
            se = np.zeros(n)
            method, permutations, converged = "exact", 0, True
        else:
            phi, se, permutations, converged = _sampled(
                game,
                runner,
                seed=seed,
                tolerance=tolerance,
                max_permutations=max_permutations,
                min_draws=min_draws,
                design=design,
                advance=advance,
                set_total=set_total,
            )
            method = "sampled"
    standalone = np.array([game.value(1 << j) for j in range(n)])
    grand = game.value(game.full)
    return ShapleyResult(
        members=members,
        method=method,
        cost_share=phi,
        standard_error=se,
        standalone=standalone,
        grand_value=grand,
        savings=float(standalone.sum() - grand),
        values=game.values,
        gdp_share=gdp / gdp.sum(),
        penalty=penalty,
        permutations=permutations,
        converged=converged,
        seed=None if method == "exact" else seed,
        tolerance=None if method == "exact" else tolerance,
        grand_pain=dict(game.values[game.full].pain_by_member),
        design=None if method == "exact" else design,
        min_draws=None if method == "exact" else min_draws,
    )


def _prefix_masks(order: Sequence[int]) -> list[int]:
    masks, mask = [], 0
    for j in order:
        mask |= 1 << j
        masks.append(mask)
    return masks


def _block(rng: np.random.Generator, n: int, design: str) -> list[list[int]]:
    """One draw of the sampler: permutations whose mean marginal contribution is unbiased.

    `cyclic`: a random permutation and its n − 1 cyclic shifts, so every member stands once in
    every position (stratified by position: the large variance between a member coming first,
    alone, and coming last is gone). `antithetic`: a permutation and its reverse.
    """
    order = [int(j) for j in rng.permutation(n)]
    if design == "cyclic":
        return [order[k:] + order[:k] for k in range(n)]
    if design == "antithetic":
        return [order, order[::-1]]
    raise ValueError(f"unknown sampling design {design!r}")


def _sampled(
    game: _Game,
    runner: VariantRunner,
    *,
    seed: int,
    tolerance: float,
    max_permutations: int,
    min_draws: int,
    design: str,
    advance: Callable[..., object],
    set_total: Callable[[int], None],
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Permutation sampling in independent blocks, with a standard-error stopping rule."""
    n = len(game.members)
    rng = np.random.default_rng(seed)
    per_block = n if design == "cyclic" else 2
    max_blocks = max(2, max_permutations // per_block)
    set_total(n + 1 + max_blocks * per_block * n)  # at most: singletons, N, every prefix
    # the singletons and the grand coalition first: they fix the savings (the stopping scale)
    first = [game.full] + [1 << j for j in range(n)]
    walks = split_walks([game.variant(m) for m in first])
    results = runner.run_walks(walks, penalise_infeasible=True, advance=advance)
    game.store(first, [e for walk in results for e in walk])
    standalone = sum(game.value(1 << j) for j in range(n))
    scale = max(abs(standalone - game.value(game.full)), 1e-9 * max(1.0, abs(standalone)))

    draws: list[np.ndarray] = []  # per block: the mean of its permutations' marginals
    converged = False
    se = np.full(n, np.inf)
    blocks_per_round = max(1, math.ceil(16 / per_block))  # about 16 permutations a round
    while len(draws) < max_blocks:
        blocks = [
            _block(rng, n, design) for _ in range(min(blocks_per_round, max_blocks - len(draws)))
        ]
        # each permutation's unseen prefixes form one walk (one member added per step)
        walk_masks, seen = [], set(game.values)
        for order in (order for block in blocks for order in block):
            fresh = [m for m in _prefix_masks(order) if m not in seen]
            seen.update(fresh)
            walk_masks.append(fresh)
        walks = [[game.variant(m) for m in ms] for ms in walk_masks if ms]
        results = iter(runner.run_walks(walks, penalise_infeasible=True, advance=advance))
        for ms in walk_masks:
            if ms:
                game.store(ms, next(results))
        skipped = sum(n - len(ms) for ms in walk_masks)
        if skipped:
            advance(skipped)  # prefixes already known: no solve
        for block in blocks:
            draws.append(np.mean([_marginals(game, order) for order in block], axis=0))
        phi = np.mean(draws, axis=0)
        if len(draws) > 1:
            se = np.std(draws, axis=0, ddof=1) / math.sqrt(len(draws))
        permutations = per_block * len(draws)
        advance(0, description=f"sampling · {permutations} permutations · max SE {se.max():.4g}")
        if len(draws) >= min_draws and se.max() <= tolerance * scale:
            converged = True
            break
    set_total(n + 1 + per_block * len(draws) * n)
    return phi, se, per_block * len(draws), converged


def _marginals(game: _Game, order: Sequence[int]) -> np.ndarray:
    out = np.zeros(len(game.members))
    before = 0.0
    for j, mask in zip(order, _prefix_masks(order), strict=True):
        value = game.value(mask)
        out[j] = value - before
        before = value
    return out


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


def _game_text(alliance: bool) -> str:
    """The report's statement of the game (see the module docstring)."""
    if alliance:
        return (
            "**The game.** Under `alliance`, v(T) is the discounted pain of T's members (plus "
            "shortfall penalties) when T is the coalition and every other ally is an outsider "
            "delivering its own share of each target; the targets are not scaled. Shared limits "
            "(facility caps, programme capacities) are not scaled either: each sub-coalition, a "
            "single member included, may use them in full, so where a facility is large the "
            "members alone can together use more of it than the coalition can, and the savings "
            "can be small or negative."
        )
    return (
        "**The game.** v(T) is the least discounted pain (plus shortfall penalties) with which "
        "sub-coalition T alone meets the instance's capability targets *scaled by T's share of "
        "the coalition's base-year GDP*; every other rule is unchanged. Scaled, each "
        "sub-coalition carries its GDP-proportional part of the targets, so the game measures "
        "what pooling saves rather than who could defend the alliance alone (unscaled, a small "
        "member alone would face the whole target). Shared limits (the common-debt caps, "
        "programme capacities) are not scaled: each sub-coalition may use them in full, so "
        "the savings can be small or negative where members alone could use more of them."
    )


def write_shapley(
    folder, instance: Instance, coalition: str, result: ShapleyResult, *, report: bool = True
) -> pd.DataFrame:
    """shapley.csv, shapley_core.csv, shapley_game.csv, shapley_summary.json, shapley.md, .png
    (the last two only with `report`: `burden shapley --no-report`)."""
    from pathlib import Path

    from optimizer.report.plots import shapley_allocation
    from optimizer.report.tables import markdown_table
    from optimizer.results.write import write_json

    folder = Path(folder)
    table = result.table(instance)
    table.to_csv(folder / "shapley.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    core = result.core_table()
    core.to_csv(folder / "shapley_core.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    game_table(result).to_csv(
        folder / "shapley_game.csv", index=False, na_rep="", float_format=CSV_FLOAT
    )
    summary = {"coalition": coalition, "instance": instance.name, **result.summary()}
    write_json(folder / "shapley_summary.json", summary)
    if not report:
        return table
    currency = instance.currency or ""
    shapley_allocation(
        table,
        folder / "shapley.png",
        currency,
        f"{instance.name} · {coalition}: who earns the savings of acting together",
    )
    method = (
        f"exact (all {len(result.values)} sub-coalitions)"
        if result.method == "exact"
        else (
            f"sampled: {result.permutations} permutations (blocks of cyclic shifts, seed "
            f"{result.seed}), "
            f"{len(result.values)} sub-coalitions solved; "
            + (
                f"stopped when every standard error was ≤ {result.tolerance:g} × |savings|"
                if result.converged
                else f"NOT converged to {result.tolerance:g} × |savings| within the budget"
            )
        )
    )
    lines = [
        f"# Shapley allocation of the savings: {instance.name}, coalition `{coalition}`",
        "",
        _game_text(instance.alliance is not None),
        "",
        f"**Infeasible sub-coalitions.** A sub-coalition that cannot meet its scaled hard "
        f"targets is valued with each hard target's shortfall allowed at "
        f"{result.penalty:,.4g} per unit of capability (discounted), well above the dearest "
        f"way to deliver a unit; {summary['penalised_sub_coalitions']} sub-coalition(s) were "
        "valued so.",
        "",
        f"**Savings.** Members alone: {result.standalone.sum():,.4f}; together: "
        f"{result.grand_value:,.4f}; savings {result.savings:,.4f} (bn {currency}, pain-"
        f"weighted, discounted), allocated {result.allocation.sum():,.4f}. Method: {method}.",
        "",
        "*transfer* = pain borne in the coalition's optimum − Shapley cost share: a positive "
        "transfer is owed to the member.",
        "",
        markdown_table(
            table[
                [
                    "member", "name", "shapley_savings", "standard_error",
                    "share_of_savings_pct", "standalone_value", "shapley_cost",
                    "pain_in_coalition", "transfer_to_member", "gdp_share_pct",
                ]
            ],
            digits={"share_of_savings_pct": 1, "gdp_share_pct": 1, "standard_error": 4},
            headers={
                "shapley_savings": "savings share", "standard_error": "SE",
                "share_of_savings_pct": "% of savings", "standalone_value": "alone",
                "shapley_cost": "cost share", "pain_in_coalition": "pain borne",
                "transfer_to_member": "transfer", "gdp_share_pct": "GDP %",
            },
        ),
        "",
        "## Core check",
        "",
    ]  # fmt: skip
    if core.empty:
        lines.append("No proper sub-coalition was evaluated.")
    else:
        best = core.iloc[0]
        scope = "all sub-coalitions" if result.method == "exact" else "the sub-coalitions evaluated"
        if result.in_core():
            lines.append(
                f"Among {scope}, none would gain by leaving together: the allocation is in the "
                f"core{'' if result.method == 'exact' else ' as far as checked'} (the closest: "
                f"`{best['sub_coalition']}`, gain {best['gain_by_leaving']:,.4g})."
            )
        else:
            lines.append(
                f"Not in the core: `{best['sub_coalition']}` would gain "
                f"{best['gain_by_leaving']:,.4g} by leaving together (charged "
                f"{best['charged_by_allocation']:,.4g}, alone {best['value_alone']:,.4g}). "
                f"Those who would gain most ({scope}):"
            )
        lines += [
            "",
            markdown_table(
                core.head(10),
                digits={"gdp_share_pct": 1, "gain_pct_of_charge": 1},
            ),
        ]
    lines += ["", "![shapley.png](shapley.png)", ""]
    (folder / "shapley.md").write_text("\n".join(lines), encoding="utf-8")
    return table
