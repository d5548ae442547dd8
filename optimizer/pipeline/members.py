"""The solves of `burden members`: the coalition, then the coalition without each member.

The arithmetic on their results is `optimizer.analysis.members`; the files, `optimizer.report.members`.
"""

from __future__ import annotations

from collections.abc import Callable

from optimizer.analysis.members import CoalitionNotSolvedError, MembersResult
from optimizer.instance.resolved import Instance
from optimizer.pipeline.one import CHOSEN, UnknownCoalitionError, coalition_names, solve_coalition
from optimizer.pipeline.runner import SolverSpec, Variant, VariantRunner
from optimizer.solver.highs import SolveOptions


def resolve_members(
    instance: Instance, coalition: str | None, options: SolveOptions | None = None
) -> tuple[str, tuple[str, ...]]:
    """The coalition's name and members (`chosen`: solved by coalition choice first).

    Default as `burden solve`: `chosen` with coalition choice, else the default coalition.
    """
    name = coalition or (CHOSEN if instance.choice else instance.default_coalition)
    if name == CHOSEN:
        if instance.choice is None:
            raise UnknownCoalitionError("'chosen' needs a coalition_choice block in the instance")
        result = solve_coalition(instance, CHOSEN, options)
        if result.status != "optimal":
            raise CoalitionNotSolvedError(f"coalition choice found no plan: {result.status}")
        return name, tuple(result.summary["members"])
    if name not in instance.coalitions:
        known = ", ".join(coalition_names(instance))
        raise UnknownCoalitionError(f"unknown coalition {name!r}; the instance has: {known}")
    return name, instance.coalitions[name]


def price_members(
    instance: Instance,
    coalition: str,
    members: tuple[str, ...],
    options: SolveOptions | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[..., object] | None = None,
) -> MembersResult:
    """Solve the coalition, then the coalition without each member (one walk, warm)."""
    spec = SolverSpec(instance, members, options or SolveOptions())
    variants = [Variant(members)] + [Variant(tuple(m for m in members if m != c)) for c in members]
    with VariantRunner(spec, workers, scheduler) as runner:
        evaluations = runner.run(variants, advance=progress)
    full = evaluations[0]
    if full.status != "optimal":
        raise CoalitionNotSolvedError(f"coalition {coalition!r} has no optimal plan: {full.status}")
    return MembersResult(coalition, members, full, dict(zip(members, evaluations[1:], strict=True)))
