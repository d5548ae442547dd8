"""The comparison's tables and coalition choice explained: pure functions of solved coalitions.

`burden compare` (optimizer/pipeline/coalitions.py) solves the coalitions and writes these
tables (optimizer/report/comparison.py):

- `coalition_table` → `comparison.csv`: one row per coalition, the spec's columns first
  (`coalition, status, members, objective, total_pain`), then the planner's: pain in % of the
  coalition's base-year GDP, last-year spending in % of GDP (the coalition's, the members' mean,
  min and max, and each country's at the end), the funding mix (totals and shares), capability
  delivered vs target, joint-programme use and the number of binding limits;
- `country_table` → `comparison_countries.csv`: one row per coalition and member: pain,
  spending, funding mix, binding limits, and the change against the reference coalition (the
  instance's default);
- `changes_table` → `comparison_changes.csv`: for every pair of coalitions where one is the
  other less some members, each remaining member's change in pain: who pays more when those
  members leave;
- `capability_table`, `binding_table` → `comparison_capabilities.csv`, `comparison_binding.csv`:
  delivered vs target and every binding limit (|dual| > 1e-9) with its dual, per coalition;
- with coalition choice, `choice_report` → `choice.csv` (per candidate: chosen or not, and why)
  and `choice_duals.csv` (the duals of the chosen coalition's LP: fix and relax).

Units: money in billions of the instance's currency; "pain" is discounted pain (money weighted
by the pain curves), summed over the horizon; funding totals are undiscounted sums over the
horizon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from optimizer.analysis.rows import FUNDING, comparison_row
from optimizer.derive import closes, closes_common_debt, derive
from optimizer.families import FAMILIES
from optimizer.instance.resolved import Instance
from optimizer.results.extract import Result

DUAL_EPS = 1e-9
#: A run's binding limits in the comparison (a subset of binding.csv's columns, with the dual)
RUN_BINDING_COLUMNS = [
    "family",
    "constraint",
    "country",
    "subject",
    "year",
    "dual",
    "marginal_pain",
]


@dataclass
class CoalitionRun:
    """One coalition solved for the comparison: its result and its binding limits."""

    name: str
    result: Result
    binding: pd.DataFrame
    """RUN_BINDING_COLUMNS: family (label), constraint (component), country, subject, year, dual,
    marginal_pain (pain saved per unit of relaxation, ≥ 0)."""

    @property
    def optimal(self) -> bool:
        return self.result.status == "optimal"

    @property
    def members(self) -> list[str]:
        return list(self.result.summary["members"])


def binding_limits(result: Result) -> pd.DataFrame:
    """The binding limits of a solve, in RUN_BINDING_COLUMNS: the result's own binding table
    (binding.csv; every extracted result has one), empty if it has none (a folder read back
    without binding.csv)."""
    own = result.binding
    if not (len(own.columns) and {"constraint", "family", "dual"} <= set(own.columns)):
        table = pd.DataFrame([], columns=RUN_BINDING_COLUMNS)
        table["year"] = table["year"].astype("Int64")
        return table
    table = own.reindex(columns=RUN_BINDING_COLUMNS).copy()
    if "marginal_pain" not in own.columns:
        table["marginal_pain"] = table["dual"].abs()
    return table.reset_index(drop=True)


# -- the tables --------------------------------------------------------------------------------
def _last_year_rows(countries: pd.DataFrame) -> pd.DataFrame:
    return countries[countries["year"] == countries["year"].max()]


def _family_counts(binding: pd.DataFrame) -> str:
    if binding.empty:
        return ""
    counts = binding.groupby("family", sort=False).size()
    return "; ".join(f"{family}: {n}" for family, n in counts.items())


def coalition_table(instance: Instance, runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison.csv: the spec's columns first (`rows.comparison_row`), then the planner's."""
    derived = derive(instance)
    last = instance.last_year
    rows = []
    for run in runs:
        result, s = run.result, run.result.summary
        row: dict[str, Any] = comparison_row(result)
        row["base_year_gdp"] = sum(derived.gdp[c, derived.base_year] for c in s["members"])
        if run.optimal and not result.countries.empty:
            countries = result.countries
            final = _last_year_rows(countries)
            share = 100 * final["spending"] / final["gdp"]
            row["spending_pct_gdp_last_year_mean"] = float(share.mean())
            row["spending_pct_gdp_last_year_min"] = float(share.min())
            row["spending_pct_gdp_last_year_max"] = float(share.max())
            pains = pd.Series(s["pain_by_member"], dtype=float)
            gdp = pd.Series(s["base_year_gdp"], dtype=float)
            row["max_member_pain_pct_gdp"] = float((100 * pains / gdp).max())
            row["increase_total"] = float(countries["increase"].sum())
            raised = sum(row[f"{f}_total"] for f in FUNDING)
            for f in FUNDING:
                row[f"{f}_share_pct"] = 100 * row[f"{f}_total"] / raised if raised > 0 else 0.0
            procurement = result.procurement
            spend = float(procurement["spend"].sum()) if len(procurement) else 0.0
            joint = (
                procurement[procurement["route"] == "joint"] if len(procurement) else procurement
            )
            row["procurement_total"] = spend
            row["joint_spend"] = float(joint["spend"].sum()) if len(joint) else 0.0
            row["joint_share_pct"] = 100 * row["joint_spend"] / spend if spend > 0 else 0.0
            row["programmes_used"] = int(joint["source"].nunique()) if len(joint) else 0
            caps = result.capabilities
            valid = caps[caps["target"] > 0] if len(caps) else caps
            if len(valid):
                row["min_delivery_pct"] = float(100 * (valid["delivered"] / valid["target"]).min())
            if len(caps):
                row["shortfall_units"] = float(caps["shortfall"].sum())
            row["binding_limits"] = len(run.binding)
            row["binding_by_family"] = _family_counts(run.binding)
        rows.append(row)
    table = pd.DataFrame(rows)
    # each country's last-year spending in % of its GDP, at the end (wide, spreadsheet-friendly)
    wide: dict[str, dict[str, float]] = {}
    for run in runs:
        if run.optimal and not run.result.countries.empty:
            final = _last_year_rows(run.result.countries)
            for c, value in zip(final["country"], final["spending_pct_gdp"], strict=True):
                wide.setdefault(f"spending_pct_gdp_{last}_{c}", {})[run.name] = float(value)
    columns = [f"spending_pct_gdp_{last}_{c}" for c in instance.countries]
    extra = pd.DataFrame(
        {col: table["coalition"].map(wide[col]) for col in columns if col in wide},
        index=table.index,
    )
    return pd.concat([table, extra], axis=1)


def reference_coalition(instance: Instance, runs: Sequence[CoalitionRun]) -> str | None:
    """The coalition others are compared with: the default coalition if solved, else the first."""
    names = [r.name for r in runs if r.optimal]
    if instance.default_coalition in names:
        return instance.default_coalition
    return names[0] if names else None


def country_table(instance: Instance, runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison_countries.csv: one row per coalition and member."""
    derived = derive(instance)
    base, last = derived.base_year, instance.last_year
    rows = []
    for run in runs:
        if not run.optimal or run.result.countries.empty:
            continue
        s, countries = run.result.summary, run.result.countries
        sums = countries.groupby("country", sort=False)[["increase", *FUNDING]].sum()
        final = _last_year_rows(countries).set_index("country")
        # every acting country: the members, then (v2, `alliance`) the outsiders
        acting = [*s["members"], *(s.get("outsiders") or [])]
        pains = {**s["pain_by_member"], **(s.get("pain_by_outsider") or {})}
        binding = run.binding[run.binding["country"].isin(acting)]
        per_country = binding.groupby("country").size() if len(binding) else pd.Series()
        for c in acting:
            pain = pains[c]
            raised = float(sum(sums.loc[c, f] for f in FUNDING))
            row = {
                "coalition": run.name,
                "country": c,
                "name": instance.countries[c].name,
                "member": c in s["members"],
                "pain": pain,
                "pain_pct_gdp": 100 * pain / derived.gdp[c, base],
                "pain_share_pct": 100 * pain / s["total_pain"] if s["total_pain"] else 0.0,
                "gdp_share_pct": 100
                * derived.gdp[c, base]
                / sum(derived.gdp[m, base] for m in acting),
                "spending_pct_gdp_last_year": float(final.loc[c, "spending_pct_gdp"]),
                "increase_last_year": float(final.loc[c, "increase"]),
                "increase_total": float(sums.loc[c, "increase"]),
            }
            for f in FUNDING:
                row[f"{f}_total"] = float(sums.loc[c, f])
            for f in FUNDING:
                row[f"{f}_share_pct"] = 100 * float(sums.loc[c, f]) / raised if raised > 0 else 0.0
            row["binding_limits"] = int(per_country.get(c, 0))
            rows.append(row)
    table = pd.DataFrame(rows)
    ref = reference_coalition(instance, runs)
    if table.empty or ref is None:
        return table
    reference = table[table["coalition"] == ref].set_index("country")
    table["reference"] = ref
    table["pain_change_vs_reference"] = table["country"].map(reference["pain"])
    table["pain_change_vs_reference"] = table["pain"] - table["pain_change_vs_reference"]
    spend_ref = table["country"].map(reference["spending_pct_gdp_last_year"])
    table["spending_pct_change_vs_reference"] = table["spending_pct_gdp_last_year"] - spend_ref
    table.attrs["last_year"] = last
    return table


def changes_table(instance: Instance, runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison_changes.csv: for A ⊋ B (both solved), each member of B's change in pain."""
    rows = []
    solved = [r for r in runs if r.optimal]
    for a in solved:
        for b in solved:
            left = set(a.members) - set(b.members)
            if a is b or not set(b.members) < set(a.members):
                continue
            pa, pb = a.result.summary["pain_by_member"], b.result.summary["pain_by_member"]
            leavers = ";".join(instance.in_country_order(left))
            for c in b.members:
                rows.append(
                    {
                        "from_coalition": a.name,
                        "to_coalition": b.name,
                        "leaving": leavers,
                        "country": c,
                        "pain_before": pa[c],
                        "pain_after": pb[c],
                        "pain_change": pb[c] - pa[c],
                        "pain_change_pct": 100 * (pb[c] - pa[c]) / pa[c] if pa[c] else None,
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "from_coalition", "to_coalition", "leaving", "country", "pain_before", "pain_after",
            "pain_change", "pain_change_pct",
        ],
    )  # fmt: skip


def capability_table(runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison_capabilities.csv: per coalition, area and target year."""
    frames = []
    for run in runs:
        caps = run.result.capabilities
        if not run.optimal or caps.empty:
            continue
        caps = caps.copy()
        caps.insert(0, "coalition", run.name)
        caps["delivered_pct"] = np.where(
            caps["target"] > 0, 100 * caps["delivered"] / caps["target"].where(caps["target"] > 0),
            np.nan,
        )  # fmt: skip
        frames.append(caps)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def binding_table(runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison_binding.csv: every binding limit of every coalition, with its dual."""
    frames = []
    for run in runs:
        if len(run.binding):
            frame = run.binding.copy()
            frame.insert(0, "coalition", run.name)
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["coalition", *RUN_BINDING_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def paths_table(runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """Per coalition and year: spending in % of the members' GDP, increase, GDP-weighted floor."""
    rows = []
    for run in runs:
        countries = run.result.countries
        if not run.optimal or countries.empty:
            continue
        for year, group in countries.groupby("year"):
            # members without a floor (none given, or 0: a non-ally) do not pull the line to 0
            floors = group[group["floor_pct_gdp"].fillna(0) > 0]
            rows.append(
                {
                    "coalition": run.name,
                    "year": int(year),
                    "spending_pct_gdp": 100 * group["spending"].sum() / group["gdp"].sum(),
                    "increase": float(group["increase"].sum()),
                    "floor_pct_gdp": (
                        float((floors["floor_pct_gdp"] * floors["gdp"]).sum() / floors["gdp"].sum())
                        if len(floors)
                        else np.nan
                    ),
                }
            )
    return pd.DataFrame(rows)


@dataclass
class ComparisonTables:
    """Every table of the comparison report, computed once from the runs."""

    coalitions: pd.DataFrame
    countries: pd.DataFrame
    changes: pd.DataFrame
    caps: pd.DataFrame
    binding: pd.DataFrame
    paths: pd.DataFrame
    reference: str | None
    """The coalition the others are compared with (`reference_coalition`)."""


def comparison_tables(instance: Instance, runs: Sequence[CoalitionRun]) -> ComparisonTables:
    """The comparison's tables (see the module docstring) of `runs`."""
    return ComparisonTables(
        coalitions=coalition_table(instance, runs),
        countries=country_table(instance, runs),
        changes=changes_table(instance, runs),
        caps=capability_table(runs),
        binding=binding_table(runs),
        paths=paths_table(runs),
        reference=reference_coalition(instance, runs),
    )


# -- coalition choice explained ------------------------------------------------------------------
@dataclass
class ChoiceReport:
    """Why coalition choice picked its members."""

    table: pd.DataFrame
    """choice.csv: per candidate."""
    duals: pd.DataFrame
    """choice_duals.csv: the chosen coalition's binding limits and target duals."""
    facility: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    """The explanation in sentences."""


def choice_pool(instance: Instance) -> tuple[str, ...]:
    """The candidates coalition choice may pick: every candidate not forbidden."""
    choice = instance.choice
    assert choice is not None
    forbidden = set(choice.forbidden)
    return tuple(c for c in choice.candidates if c not in forbidden)


def choice_variants(instance: Instance, members: tuple[str, ...]) -> list[Sequence[str]]:
    """The coalitions that explain a choice: the chosen `members`, then per candidate of the pool
    the chosen less it (a member) or plus it (left out)."""
    variants: list[Sequence[str]] = [members]
    for c in choice_pool(instance):
        if c in members:
            variants.append(tuple(m for m in members if m != c))
        else:
            variants.append(instance.in_country_order([*members, c]))
    return variants


def choice_report(
    instance: Instance, chosen: CoalitionRun, evaluations: Sequence[Any]
) -> ChoiceReport:
    """Each candidate's membership cost against what it brings; the facility; the duals.

    `evaluations` (`optimizer.pipeline.runner.Evaluation`): the solves of `choice_variants`, in
    their order. `net_gain` is how much the objective (member costs included) worsens by each
    change, so ≥ 0 for every candidate when the choice is optimal. Under `max_pain` the
    objective compared is m* (member costs do not enter it).
    """
    choice = instance.choice
    assert choice is not None
    members = tuple(chosen.result.summary["members"])
    table = choice_table(instance, members, evaluations)
    info, lines = facility_explained(instance, chosen, members)
    chosen_names = ", ".join(members) or "none"
    lines.insert(
        0,
        f"Coalition choice picks {len(members)} of {len(choice.candidates)} candidates: "
        f"{chosen_names} (member cost {choice.member_cost:g} each, at least "
        f"{choice.min_members}).",
    )
    return ChoiceReport(table=table, duals=choice_duals(chosen), facility=info, lines=lines)


def choice_table(
    instance: Instance, members: tuple[str, ...], evaluations: Sequence[Any]
) -> pd.DataFrame:
    """choice.csv: per candidate (in the instance's country order), chosen or not, and why."""
    choice = instance.choice
    assert choice is not None
    forbidden = set(choice.forbidden)
    mu = choice.member_cost
    total_pain_kind = instance.objective == "total_pain"

    def with_costs(objective: float, n: int) -> float:
        return objective + mu * n if total_pain_kind else objective

    base = evaluations[0]
    base_objective = (
        with_costs(base.objective, len(members)) if base.objective is not None else None
    )
    base_value = base.value
    rows = []
    for c, e in zip(choice_pool(instance), evaluations[1:], strict=True):
        inside = c in members
        ok = e.status == "optimal" and base_value is not None
        objective = with_costs(e.objective, len(e.members)) if e.status == "optimal" else None
        row = {
            "candidate": c,
            "name": instance.countries[c].name,
            "chosen": inside,
            "required": c in choice.required,
            "closes_facility": closes_common_debt(instance, c),
            "member_cost": mu,
            "variant": "removed" if inside else "added",
            "variant_status": e.status,
            "variant_objective": objective,
            # what its presence saves the coalition in pain (penalties included), gross of μ
            "pain_saved_by_presence": (
                (e.value - base_value if inside else base_value - e.value) if ok else None
            ),
            # how much worse the objective gets by the change (≥ 0 at an optimal choice)
            "net_gain": (objective - base_objective) if ok and base_objective is not None else None,
        }
        row["reason"] = _reason(row, len(members), choice.min_members)
        rows.append(row)
    for c in forbidden & set(choice.candidates):
        rows.append(
            {
                "candidate": c,
                "name": instance.countries[c].name,
                "chosen": False,
                "required": False,
                "closes_facility": closes_common_debt(instance, c),
                "member_cost": mu,
                "variant": "",
                "variant_status": "",
                "reason": "forbidden by the instance",
            }
        )
    order = {c: i for i, c in enumerate(instance.countries)}
    table = pd.DataFrame(rows)
    table = table.sort_values("candidate", key=lambda s: s.map(order), kind="stable")
    return table.reset_index(drop=True)


def facility_explained(
    instance: Instance, chosen: CoalitionRun, members: tuple[str, ...]
) -> tuple[dict[str, Any], list[str]]:
    """The common-debt facilities under the choice: open or kept shut (and by whom), the draw;
    as a dict (`ChoiceReport.facility`) and in sentences."""
    info: dict[str, Any] = {"exists": bool(instance.facilities)}
    lines: list[str] = []
    if len(instance.facilities) > 1:  # v2: several facilities, each with its own unanimity rule
        info["facilities"] = _each_facility(instance, chosen, members, lines)
    facility = instance.common_debt
    if facility is None:
        return info, lines
    pool = choice_pool(instance)
    closers_in = [c for c in members if closes_common_debt(instance, c)]
    closers_out = [c for c in pool if c not in members and closes_common_debt(instance, c)]
    drawn = float(chosen.result.countries["common_debt"].sum())
    info.update(
        requires_unanimity=facility.requires_unanimity,
        open=not closers_in,
        kept_shut_by=closers_in,
        left_out_closers=closers_out,
        drawn=drawn,
        cap=facility.cap,
    )
    currency = instance.currency
    if closers_in:
        lines.append(
            f"The common-debt facility stays shut: {', '.join(closers_in)} "
            f"{'is a member' if len(closers_in) == 1 else 'are members'}, eligible and refusing "
            f"common debt, and the facility requires unanimity."
        )
    else:
        lines.append(
            f"The common-debt facility is open: the members draw {drawn:,.2f} bn {currency} "
            f"of its cap of {facility.cap:,.2f} bn."
        )
    if closers_out:
        lines.append(
            f"Left out, {', '.join(closers_out)} would shut it (unanimity) if "
            f"{'it joined' if len(closers_out) == 1 else 'any of them joined'}."
        )
    return info, lines


def _each_facility(
    instance: Instance, chosen: CoalitionRun, members: tuple[str, ...], lines: list[str]
) -> dict[str, dict[str, Any]]:
    """v2: per facility, open or shut by whom and the draw; a sentence each into `lines`."""
    draws = chosen.result.tables.get("facilities")
    out = {}
    for h, f in instance.facilities.items():
        shut_by = [c for c in members if closes(instance, f, c)]
        drawn = (
            float(draws.loc[draws["facility"] == h, "draw"].sum())
            if draws is not None and len(draws)
            else 0.0
        )
        out[h] = {"open": not shut_by, "kept_shut_by": shut_by, "drawn": drawn}
        lines.append(
            f"Facility {h}: "
            + (
                f"shut by {', '.join(shut_by)} (unanimity)."
                if shut_by
                else f"open; the members draw {drawn:,.2f} bn {instance.currency} "
                f"of its cap of {f.cap:,.2f} bn."
            )
        )
    return out


def _meaning(constraint: str) -> str:
    """What one unit of a binding limit's marginal pain means (pain saved per unit of
    relaxation); empty for a family the duals table does not explain."""
    family = FAMILIES.get(constraint)
    return family.meaning if family is not None else ""


def choice_duals(chosen: CoalitionRun) -> pd.DataFrame:
    """choice_duals.csv: the chosen coalition's binding limits and its capability targets'
    duals, each with its meaning, largest marginal pain first."""
    duals = chosen.binding.copy()
    caps = chosen.result.capabilities
    duals["meaning"] = [_meaning(str(c)) for c in duals["constraint"]]
    target = FAMILIES["capability_targets"]
    for row in caps.itertuples() if len(caps) else ():
        if row.marginal_pain is None or abs(row.marginal_pain) <= DUAL_EPS:
            continue
        already = (
            (duals["constraint"] == target.constraint)
            & (duals["subject"] == row.capability)
            & (duals["year"] == row.year)
        ).any()
        if not already:
            duals.loc[len(duals)] = {
                "family": target.label,
                "constraint": target.constraint,
                "country": "",
                "subject": row.capability,
                "year": row.year,
                "dual": row.marginal_pain,
                "marginal_pain": row.marginal_pain,
                "meaning": target.meaning,
            }
    if len(duals):
        order = duals["marginal_pain"].abs().sort_values(ascending=False, kind="stable").index
        duals = duals.reindex(order).reset_index(drop=True)
    return duals


def _reason(row: dict, n_members: int, min_members: int) -> str:
    saved, net, mu = row["pain_saved_by_presence"], row["net_gain"], row["member_cost"]
    if row["chosen"]:
        if row["required"]:
            head = "in: required by the instance"
        elif row["variant_status"] != "optimal":
            return "in: without it the others cannot meet the targets"
        elif n_members - 1 < min_members:
            head = f"in: needed for min_members ({min_members})"
        else:
            head = "in"
        if saved is None:
            return head
        return (
            f"{head}: its presence saves {saved:,.4g} pain against its member cost {mu:,.4g} "
            f"(net {net:,.4g})"
        )
    if row["variant_status"] != "optimal":
        return f"out: with it the coalition is {row['variant_status']}"
    shut = row["closes_facility"]
    if saved is None:
        return "out"
    if saved < 0:
        text = f"out: adding it would raise pain by {-saved:,.4g}"
    elif saved == 0:
        text = f"out: adding it would save nothing, against its member cost {mu:,.4g}"
    else:
        text = f"out: adding it would save {saved:,.4g} pain, less than its member cost {mu:,.4g}"
    if shut:
        text += " (it would shut a facility that needs unanimity)"
    if net is not None and net < 0:
        text += f" [adding it would improve the objective by {-net:.3g}: within the MIP gap]"
    return text
