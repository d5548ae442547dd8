"""The explanations every result carries, attached once by the pipeline after extraction.

`attach_analysis` fills `Result.binding` (binding.csv), `Result.tables["sensitivity"]` and
`["fairness"]`, and adds to the summary: `what_binds` (a few lines), `fairness` (the
Olson–Zeckhauser test and the Gini of pain), and under `instance` the `overrides` and `scenario`
that changed the file before validation.
"""

from __future__ import annotations

from optimizer.analysis.fairness import fairness_stats, fairness_table
from optimizer.analysis.sensitivity import binding_table, sensitivity_table, what_binds
from optimizer.derive import Derived
from optimizer.instance.resolved import Instance
from optimizer.model.sets import ModelSets
from optimizer.results.extract import Result
from optimizer.solver.highs import SolveOutcome


def attach_analysis(
    result: Result,
    instance: Instance,
    derived: Derived,
    sets: ModelSets,
    outcome: SolveOutcome,
) -> Result:
    """Add sensitivity, binding limits and fairness to a freshly extracted result (in place)."""
    members = result.summary["members"]
    sensitivity = sensitivity_table(instance, derived, sets, outcome, members)
    result.binding = binding_table(sensitivity)
    result.tables["sensitivity"] = sensitivity
    fairness = fairness_table(instance, result.countries, result.summary)
    result.tables["fairness"] = fairness
    result.summary["what_binds"] = what_binds(result.binding)
    result.summary["fairness"] = fairness_stats(fairness)
    overrides = getattr(instance, "overrides", ())
    scenario = getattr(instance, "scenario", None)
    if overrides or scenario:
        result.summary["instance"]["scenario"] = scenario
        result.summary["instance"]["overrides"] = list(overrides)
    return result
