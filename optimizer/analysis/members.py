"""The price of exclusion (`burden members`): each member removed in turn, the rest re-solved.

For a coalition S and each member c: the objective of S \\ {c} meeting the instance's targets
(unscaled: the rest must carry them), the change in the other members' total pain, and the
status (can the rest still meet the targets?). All variants are bound changes on one model of S
(`optimizer.pipeline.variants.CoalitionSolver`), solved warm one after the other.

For the coalition `chosen` the members are those coalition choice picks; every variant is then
solved as a fixed coalition, so the objectives exclude member costs (`objective_with` is the
chosen coalition's fixed-coalition objective, i.e. its objective less member costs).

This module: the tables of the solved variants (pure). The solves are
`optimizer.pipeline.members`; the files, `optimizer.report.members`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer.derive import derive
from optimizer.instance.resolved import Instance
from optimizer.results.evaluation import Evaluation

EPS = 1e-9


class CoalitionNotSolvedError(RuntimeError):
    """The coalition itself has no optimal plan, so no member can be priced."""


@dataclass
class MembersResult:
    """The full coalition's solve and one evaluation per member left out."""

    coalition: str
    members: tuple[str, ...]
    full: Evaluation
    without: dict[str, Evaluation]

    def table(self, instance: Instance) -> pd.DataFrame:
        """members.csv: one row per member, in the instance's country order."""
        derived = derive(instance)
        base = derived.base_year
        full_pain = self.full.pain_by_member
        rows = []
        for c in self.members:
            e = self.without[c]
            ok = e.status == "optimal"
            others_with = sum(p for m, p in full_pain.items() if m != c)
            others_without = sum(e.pain_by_member.values()) if ok else None
            change = None if others_without is None else others_without - others_with
            most, most_change = None, None
            if ok:
                deltas = {m: e.pain_by_member[m] - full_pain[m] for m in e.pain_by_member}
                if deltas and max(deltas.values()) > EPS:  # someone pays more
                    most = max(deltas, key=lambda m: deltas[m])
                    most_change = deltas[most]
            rows.append(
                {
                    "member": c,
                    "name": instance.countries[c].name,
                    "status": e.status,
                    "objective_without": e.objective if ok else None,
                    "objective_with": self.full.objective,
                    "objective_change": e.objective - self.full.objective if ok else None,
                    "others_pain_with": others_with,
                    "others_pain_without": others_without,
                    "others_pain_change": change,
                    "others_pain_change_pct": (
                        100 * change / others_with if change is not None and others_with else None
                    ),
                    "own_pain": full_pain.get(c),
                    # v2, with `alliance`: the member left out becomes an outsider and still
                    # delivers its own share; its pain then (empty without alliance)
                    "own_pain_as_outsider": e.pain_by_outsider.get(c) if ok else None,
                    "own_pain_pct_gdp": 100 * full_pain.get(c, 0.0) / derived.gdp[c, base],
                    "shortfall_cost_without": e.shortfall_cost if ok else None,
                    "targets_met_without": bool(ok and (e.shortfall_cost or 0.0) <= EPS),
                    "most_affected": most,
                    "most_affected_change": most_change,
                }
            )
        return pd.DataFrame(rows)

    def matrix(self) -> pd.DataFrame:
        """members_matrix.csv: row = member left out, column = member, cell = its pain change."""
        full_pain = self.full.pain_by_member
        data = {}
        for c in self.members:
            e = self.without[c]
            data[c] = {
                m: (e.pain_by_member[m] - full_pain[m])
                if e.status == "optimal" and m != c
                else None
                for m in self.members
            }
        table = pd.DataFrame.from_dict(data, orient="index", columns=list(self.members))
        table.index.name = "left_out"
        return table

    def summary(self) -> dict:
        return {
            "coalition": self.coalition,
            "members": list(self.members),
            "status": self.full.status,
            "objective": self.full.objective,
            "total_pain": self.full.total_pain,
            "shortfall_cost": self.full.shortfall_cost,
            "variants_solved": 1 + len(self.without),
            "rest_infeasible": [c for c, e in self.without.items() if e.status != "optimal"],
        }
