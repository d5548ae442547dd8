"""Why an instance has no plan: build the model, run HiGHS's diagnosis, say it in domain words.

The three views of `optimizer.analysis.diagnose` (pre-solve checks, HiGHS's irreducible
infeasible subset, the elastic re-solve): the arithmetic and the words are there, the HiGHS runs
in `optimizer.solver.diagnose`; this module builds the model and puts them together.
"""

from __future__ import annotations

import time

from optimizer.analysis.diagnose import (
    Diagnosis,
    elastic_findings,
    elastic_items,
    iis_findings,
    presolve_checks,
    unreachable_targets,
)
from optimizer.derive import Derived, derive
from optimizer.instance.resolved import Instance
from optimizer.model import build_model
from optimizer.options import SolveOptions
from optimizer.solver.diagnose import Feasibility


def resolve_coalition(
    instance: Instance, coalition: str | None
) -> tuple[str, tuple[str, ...], bool]:
    """(name, members or candidate pool, choice?) as `optimizer.pipeline.one` resolves a coalition.

    Raises:
        KeyError: an unknown coalition name.
    """
    if coalition is None:
        coalition = "chosen" if instance.choice is not None else instance.default_coalition
    if coalition == "chosen":
        if instance.choice is None:
            raise KeyError("'chosen' needs a coalition_choice block in the instance")
        forbidden = set(instance.choice.forbidden)
        pool = tuple(c for c in instance.choice.candidates if c not in forbidden)
        return coalition, pool, True
    if coalition not in instance.coalitions:
        raise KeyError(f"unknown coalition {coalition!r}")
    return coalition, instance.coalitions[coalition], False


def diagnose(
    instance: Instance,
    coalition: str | None = None,
    options: SolveOptions | None = None,
    derived: Derived | None = None,
) -> Diagnosis:
    """Explain why `coalition` of `instance` has no plan (or say that it has one).

    Raises:
        KeyError: an unknown coalition name.
    """
    started = time.perf_counter()
    options = options or SolveOptions()
    derived = derived or derive(instance)
    name, members, choice = resolve_coalition(instance, coalition)
    shown = instance.in_country_order(members)
    diagnosis = Diagnosis(instance.name, name, shown, "infeasible", relaxed=choice)
    diagnosis.checks = presolve_checks(instance, derived, members, choice)
    model = build_model(instance, derived, members, choice=choice)
    trivial = list(model.infeasible_rows)
    feasibility = Feasibility(model, options)
    iis = feasibility.iis()
    diagnosis.iis, diagnosis.iis_note = iis_findings(instance, derived, iis)
    if trivial:
        diagnosis.iis_note = (
            "rows no plan can satisfy were found while building the model: "
            + "; ".join(trivial)
            + (f" ({diagnosis.iis_note})" if diagnosis.iis_note else "")
        )
    if iis.status == "feasible" and not trivial:
        if not choice:
            diagnosis.status = "feasible"
            diagnosis.note = (
                "HiGHS finds a plan with presolve off; if a solve reported infeasible, presolve "
                "misreported it."
            )
            diagnosis.seconds = time.perf_counter() - started
            return diagnosis
        # coalition choice: the relaxation is feasible; check the mixed-integer model itself
        if feasibility.mixed_integer_feasible():
            diagnosis.status = "feasible"
            diagnosis.note = "coalition choice finds a coalition with a plan."
            diagnosis.seconds = time.perf_counter() - started
            return diagnosis
    floors = list(getattr(model, "spending_floor", {}).keys())
    targets = list(getattr(model, "capability_targets", {}).keys())
    items = elastic_items(instance, derived, floors, targets)
    elastic = feasibility.elastic([item.row for item in items])
    diagnosis.elastic, diagnosis.elastic_note = elastic_findings(instance, derived, items, elastic)
    diagnosis.elastic += unreachable_targets(instance, trivial)
    diagnosis.seconds = time.perf_counter() - started
    return diagnosis


def attach_diagnosis(
    result,
    instance: Instance,
    coalition: str | None,
    options: SolveOptions | None = None,
    derived: Derived | None = None,
) -> Diagnosis:
    """Diagnose an infeasible result: infeasibility.md, `summary["infeasibility"]`, a message."""
    diagnosis = diagnose(instance, coalition, options, derived)
    result.texts["infeasibility.md"] = diagnosis.markdown()
    result.summary["infeasibility"] = {**diagnosis.to_dict(), "lines": diagnosis.lines()}
    message = result.summary.get("message") or ""
    named = diagnosis.named()
    if diagnosis.infeasible and named["families"]:
        parts = [", ".join(named["families"])]
        parts += [", ".join(map(str, named[k])) for k in ("countries", "areas") if named[k]]
        message = f"{message}; in conflict: {' · '.join(parts)} (see infeasibility.md)"
    result.summary["message"] = message.strip("; ")
    return diagnosis
