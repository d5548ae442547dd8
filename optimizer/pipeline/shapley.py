"""The solves of `burden shapley`: every sub-coalition (exact) or sampled permutations' prefixes.

The game and its arithmetic are described in `optimizer.analysis.shapley`; the files are written
by `optimizer.report.shapley`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from optimizer.analysis.shapley import GameError, ShapleyResult, default_penalty, exact_shapley
from optimizer.derive import derive
from optimizer.instance.resolved import Instance
from optimizer.options import SHAPLEY_EXACT_LIMIT as EXACT_LIMIT
from optimizer.pipeline.runner import (
    SolverSpec,
    Variant,
    VariantRunner,
    gray_masks,
    mask_members,
    split_walks,
)
from optimizer.results.evaluation import Evaluation
from optimizer.solver.highs import SolveOptions


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
    """The Shapley allocation of the savings of coalition `members`.

    The game is described in the docstring of `optimizer.analysis.shapley`.
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
            phi = _exact(game, runner, advance, set_total)
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
    sampled = method != "exact"
    return _result(
        game,
        phi,
        se,
        method,
        penalty,
        permutations=permutations,
        converged=converged,
        seed=seed if sampled else None,
        tolerance=tolerance if sampled else None,
        design=design if sampled else None,
        min_draws=min_draws if sampled else None,
    )


def _exact(
    game: _Game,
    runner: VariantRunner,
    advance: Callable[..., object],
    set_total: Callable[[int], None],
) -> np.ndarray:
    """Every sub-coalition solved in Gray-code order (one warm walk); the exact Shapley values."""
    n = len(game.members)
    masks = gray_masks(n)
    set_total(len(masks))
    variants = [game.variant(m) for m in masks]
    evaluations = runner.run(variants, penalise_infeasible=True, advance=advance)
    game.store(masks, evaluations)
    values = np.zeros(1 << n)
    for m in masks:
        values[m] = game.value(m)
    return exact_shapley(values, n)


def _result(
    game: _Game, phi: np.ndarray, se: np.ndarray, method: str, penalty: float, **sampling
) -> ShapleyResult:
    """The allocation from the game's values; `sampling`: how it was sampled (None when exact)."""
    n = len(game.members)
    standalone = np.array([game.value(1 << j) for j in range(n)])
    grand = game.value(game.full)
    return ShapleyResult(
        members=game.members,
        method=method,
        cost_share=phi,
        standard_error=se,
        standalone=standalone,
        grand_value=grand,
        savings=float(standalone.sum() - grand),
        values=game.values,
        gdp_share=game.gdp / game.gdp.sum(),
        penalty=penalty,
        grand_pain=dict(game.values[game.full].pain_by_member),
        **sampling,
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
