"""What one solve of a sub-coalition gives the games of `burden members` and `burden shapley`.

Built by `optimizer.pipeline.runner.solve_walk`; read by the pure arithmetic of
`optimizer.analysis.members` and `optimizer.analysis.shapley`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evaluation:
    """A solved variant.

    `status` is that of the variant as the spec defines it (hard targets hard). When it is
    `infeasible` and the walk was run with `penalise_infeasible`, the numbers come from the
    re-solve in which every hard target's shortfall is allowed at the solver's
    `hard_target_penalty` per unit (discounted), and `penalised` is True.
    """

    members: tuple[str, ...]
    target_scale: float
    status: str
    objective: float | None
    total_pain: float | None
    shortfall_cost: float | None
    pain_by_member: dict[str, float] = field(default_factory=dict)
    penalised: bool = False
    seconds: float = 0.0
    pain_by_outsider: dict[str, float] = field(default_factory=dict)
    """v2, with `alliance`: each outsider's pain, counted in `total_pain` (leaving a coalition
    makes a country an outsider, not absent)."""

    @property
    def value(self) -> float | None:
        """Discounted pain plus shortfall penalties (the penalised ones included); None if unsolved."""
        if self.total_pain is None or self.shortfall_cost is None:
            return None
        return self.total_pain + self.shortfall_cost
