"""Solve one coalition of an instance end to end: derive → build → solve → extract → analyse.

The model, the solver and pandas are imported when a solve starts: `coalition_names` and the
errors here serve commands that never solve (`burden validate`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.instance.resolved import Instance
from optimizer.options import SolveOptions

if TYPE_CHECKING:
    from optimizer.derive import Derived
    from optimizer.model.sets import ModelSets
    from optimizer.results.extract import Result
    from optimizer.solver.highs import SolveOutcome

CHOSEN = "chosen"


class UnknownCoalitionError(ValueError):
    """A coalition name that the instance does not define."""


def coalition_names(instance: Instance) -> list[str]:
    """Every coalition `burden compare` solves by default: the named ones, then `chosen`."""
    names = list(instance.coalitions)
    if instance.choice is not None:
        names.append(CHOSEN)
    return names


def solve_coalition(
    instance: Instance,
    coalition: str | None = None,
    options: SolveOptions | None = None,
    derived: Derived | None = None,
) -> Result:
    """Solve `coalition` (a name, or `chosen`); None: choice if the instance has it, else the default.

    Raises:
        UnknownCoalitionError: see `solve_coalition_outcome`.
    """
    return solve_coalition_outcome(instance, coalition, options, derived)[0]


def read_solution(
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
    coalition: str,
    members: tuple[str, ...] | None = None,
) -> Result:
    """The result tables of a solve (`extract`) with the analysis every result carries
    (`attach_analysis`: binding limits, sensitivity, fairness)."""
    from optimizer.analysis.attach import attach_analysis
    from optimizer.results.extract import extract

    result = extract(instance, derived, sets, outcome, coalition, members)
    return attach_analysis(result, instance, derived, sets, outcome)


def _building(instance: Instance, n: int, who: str) -> str:
    return (
        f"building the model: {n} {who} × {len(instance.years)} years, "
        f"{len(instance.capabilities)} areas, {len(instance.programmes)} joint programmes"
    )


def solve_coalition_outcome(
    instance: Instance,
    coalition: str | None = None,
    options: SolveOptions | None = None,
    derived: Derived | None = None,
) -> tuple[Result, SolveOutcome]:
    """`solve_coalition`, also returning the raw outcome (row duals by constraint name).

    Raises:
        UnknownCoalitionError: the name is neither a coalition of the instance nor `chosen` with
            a `coalition_choice` block.
    """
    from optimizer.derive import derive
    from optimizer.model import build_model
    from optimizer.pipeline.diagnose import attach_diagnosis
    from optimizer.solver.highs import solve_model
    from optimizer.stages import stage

    options = options or SolveOptions()
    derived = derived or derive(instance)
    if coalition is None:
        coalition = CHOSEN if instance.choice is not None else instance.default_coalition
    if coalition == CHOSEN:
        if instance.choice is None:
            raise UnknownCoalitionError("'chosen' needs a coalition_choice block in the instance")
        forbidden = set(instance.choice.forbidden)
        pool = tuple(c for c in instance.choice.candidates if c not in forbidden)
        stage(_building(instance, len(pool), "candidates"))
        model = build_model(instance, derived, pool, choice=True)
    elif coalition in instance.coalitions:
        stage(_building(instance, len(instance.coalitions[coalition]), "members"))
        model = build_model(instance, derived, instance.coalitions[coalition])
    else:
        known = ", ".join(coalition_names(instance))
        raise UnknownCoalitionError(f"unknown coalition {coalition!r}; the instance has: {known}")
    # the model is not needed after the solve but for its sets: HiGHS may have its memory
    outcome = solve_model(model, instance.objective, options, consume=True)
    stage("reading the solution; the analysis tables")
    result = read_solution(instance, derived, model.burden_terms.sets, outcome, coalition)
    if outcome.status == "infeasible":  # explain it: infeasibility.md and the summary's message
        stage("no plan: finding out why")
        attach_diagnosis(result, instance, coalition, options, derived)
    return result, outcome
