"""The price of exclusion (`burden members`): each member removed in turn, the rest re-solved.

For a coalition S and each member c: the objective of S \\ {c} meeting the instance's targets
(unscaled: the rest must carry them), the change in the other members' total pain, and the
status (can the rest still meet the targets?). All variants are bound changes on one model of S
(`optimizer.pipeline.variants.CoalitionSolver`), solved warm one after the other.

For the coalition `chosen` the members are those coalition choice picks; every variant is then
solved as a fixed coalition, so the objectives exclude member costs (`objective_with` is the
chosen coalition's fixed-coalition objective, i.e. its objective less member costs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer.derive import derive
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.pipeline.one import CHOSEN, UnknownCoalitionError, coalition_names, solve_coalition
from optimizer.pipeline.runner import Evaluation, SolverSpec, Variant, VariantRunner
from optimizer.solver.highs import SolveOptions

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


def write_members(
    folder: Path, instance: Instance, result: MembersResult, *, report: bool = True
) -> pd.DataFrame:
    """members.csv, members_matrix.csv, members_summary.json, members.md and members.png
    (the last two only with `report`: `burden members --no-report`)."""
    from optimizer.report.plots import members_price
    from optimizer.report.tables import markdown_table
    from optimizer.results.write import write_json

    folder = Path(folder)
    table = result.table(instance)
    table.to_csv(folder / "members.csv", index=False, na_rep="", float_format=CSV_FLOAT)
    result.matrix().to_csv(folder / "members_matrix.csv", na_rep="", float_format=CSV_FLOAT)
    write_json(folder / "members_summary.json", result.summary())
    if not report:
        return table
    currency = instance.currency or ""
    members_price(
        table,
        folder / "members.png",
        currency,
        f"{instance.name} · {result.coalition}: what each member's exit costs the others",
    )
    full = result.full
    lines = [
        f"# Price of exclusion: {instance.name}, coalition `{result.coalition}`",
        "",
        f"{len(result.members)} members; with all of them the objective is "
        f"{full.objective:,.4f} (total pain {full.total_pain:,.4f}, money in bn {currency}, "
        "pain discounted). Each row: that member left out, the rest re-solved with the same "
        "targets. *others Δ* is the change in the remaining members' total pain; *most "
        "affected* the member whose pain rises most. The objective and the total pain are "
        "unique; where the optimum is not, how the pain falls on individual members may differ "
        "between equally good plans (the matrix in members_matrix.csv is one of them).",
        "",
    ]
    view = table.sort_values("others_pain_change", ascending=False, na_position="first")
    lines.append(
        markdown_table(
            view[
                [
                    "member", "name", "status", "objective_without", "objective_change",
                    "own_pain", "others_pain_change", "others_pain_change_pct",
                    "most_affected", "most_affected_change",
                ]
            ],
            digits={"others_pain_change_pct": 1},
            headers={
                "objective_without": "objective without",
                "objective_change": "objective Δ",
                "own_pain": "own pain",
                "others_pain_change": "others Δ",
                "others_pain_change_pct": "others Δ %",
                "most_affected": "most affected",
                "most_affected_change": "its Δ",
            },
        )
    )  # fmt: skip
    infeasible = [c for c, e in result.without.items() if e.status != "optimal"]
    if infeasible:
        lines += [
            "",
            f"Without {', '.join(infeasible)} the rest cannot meet the targets "
            "(status in the table).",
        ]
    lines += ["", "![members.png](members.png)", ""]
    (folder / "members.md").write_text("\n".join(lines), encoding="utf-8")
    return table
