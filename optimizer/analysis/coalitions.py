"""`burden compare` as a planner's report, and coalition choice explained.

Files written next to the result folders (one per coalition):

- `comparison.csv`: one row per coalition, the spec's columns first (`coalition, status, members,
  objective, total_pain`), then the planner's: pain in % of the coalition's base-year GDP,
  last-year spending in % of GDP (the coalition's, the members' mean, min and max, and each
  country's at the end), the funding mix (totals and shares), capability delivered vs target,
  joint-programme use and the number of binding limits;
- `comparison_countries.csv`: one row per coalition and member: pain, spending, funding mix,
  binding limits, and the change against the reference coalition (the instance's default);
- `comparison_changes.csv`: for every pair of coalitions where one is the other less some
  members, each remaining member's change in pain: who pays more when those members leave;
- `comparison_capabilities.csv`, `comparison_binding.csv`: delivered vs target and every binding
  limit (|dual| > 1e-9) with its dual, per coalition;
- with coalition choice: `choice.csv` (per candidate: chosen or not, and why), `choice_duals.csv`
  (the duals of the chosen coalition's LP: fix and relax);
- `comparison.md` (readable tables), `comparison.xlsx` (a sheet per table) and PNG figures.

Units: money in billions of the instance's currency; "pain" is discounted pain (money weighted
by the pain curves), summed over the horizon; funding totals are undiscounted sums over the
horizon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer.derive import closes, closes_common_debt, derive
from optimizer.instance.resolved import Instance
from optimizer.numbers import CSV_FLOAT
from optimizer.pipeline.one import solve_coalition_outcome
from optimizer.pipeline.parallel import started_pool, stop_pool
from optimizer.pipeline.runner import SolverSpec, Variant, VariantRunner
from optimizer.report.tables import fmt, markdown_table, write_xlsx
from optimizer.report.terminal import comparison_row
from optimizer.results.extract import Result
from optimizer.solver.highs import SolveOptions, SolveOutcome

FUNDING = ("tax", "social_cut", "national_debt", "common_debt")
DUAL_EPS = 1e-9

#: constraint families that are limits or requirements a planner can name (used when a result
#: carries no binding table of its own): component → (subject kind, label, sense)
LIMIT_FAMILIES: dict[str, tuple[str | None, str, str]] = {
    "tax_limit": ("country", "tax limit", "<="),
    "social_floor": ("country", "social-cut limit", "<="),
    "debt_room": ("country", "debt room", "<="),
    "annual_borrowing_limit": ("country", "borrowing limit", "<="),
    "spending_floor": ("country", "spending floor", ">="),
    "ramp_limit": ("country", "ramp limit", "<="),
    "burden_share": ("country", "burden share", ">="),
    "common_debt_procurement_only": ("country", "common debt finances procurement only", "<="),
    "common_debt_content": ("country", "common-debt EU-content rule", "<="),
    "capability_targets": ("area", "capability target", ">="),
    "programme_capacity": ("programme", "programme capacity", "<="),
    "origin_shares": ("origin", "origin share", ">="),
    "common_debt_cap": (None, "common-debt cap", "<="),
    "common_debt_cap_per_year": (None, "common-debt yearly cap", "<="),
}
BINDING_COLUMNS = ["family", "constraint", "country", "subject", "year", "dual", "marginal_pain"]


@dataclass
class CoalitionRun:
    """One coalition solved for the comparison: its result and its binding limits."""

    name: str
    result: Result
    binding: pd.DataFrame
    """BINDING_COLUMNS: family (label), constraint (component), country, subject, year, dual,
    marginal_pain (pain saved per unit of relaxation, ≥ 0)."""

    @property
    def optimal(self) -> bool:
        return self.result.status == "optimal"

    @property
    def members(self) -> list[str]:
        return list(self.result.summary["members"])


def binding_limits(result: Result, outcome: SolveOutcome, members: Sequence[str]) -> pd.DataFrame:
    """The binding limits of a solve, in BINDING_COLUMNS.

    The result's own binding table (binding.csv) when it has one; else every limit of
    `LIMIT_FAMILIES` whose dual is non-zero (|dual| > 1e-9), members' limits only.
    """
    own = result.binding
    if len(own.columns) and {"constraint", "family", "dual"} <= set(own.columns):
        table = own.reindex(columns=BINDING_COLUMNS).copy()
        if "marginal_pain" not in own.columns:
            table["marginal_pain"] = table["dual"].abs()
        return table.reset_index(drop=True)
    inside = set(members)
    rows = []
    for constraint, (kind, label, sense) in LIMIT_FAMILIES.items():
        for index, dual in outcome.duals.get(constraint, {}).items():
            if abs(dual) <= DUAL_EPS:
                continue
            country, subject, year = "", "", None
            if isinstance(index, tuple):
                subject, year = str(index[0]), int(index[1]) if len(index) > 1 else None
            elif index is not None:
                if kind is None:
                    year = int(index)
                else:
                    subject = str(index)
            if kind == "country":
                country, subject = subject, ""
                if country not in inside:
                    continue
            marginal = -dual if sense == "<=" else dual
            rows.append((label, constraint, country, subject, year, dual, marginal))
    table = pd.DataFrame(rows, columns=BINDING_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


def solve_one(
    instance: Instance,
    name: str,
    options: SolveOptions,
    folder: Path | None = None,
    report: bool = True,
) -> CoalitionRun:
    """Solve one coalition exactly as `burden solve --coalition NAME` does.

    With `folder`: also write its result folder there as `burden solve` would (`report`: with
    report.md/html), in the process that solved it.
    """
    result, outcome = solve_coalition_outcome(instance, name, options)
    members = result.summary["members"] if result.status == "optimal" else []
    if folder is not None:
        from optimizer.pipeline.folder import write_files

        Path(folder).mkdir()
        write_files(result, Path(folder), report=report)
    return CoalitionRun(name, result, binding_limits(result, outcome, members))


def solve_coalitions(
    instance: Instance,
    names: Sequence[str],
    options: SolveOptions,
    *,
    workers: int = 1,
    advance: Callable[..., object] | None = None,
    folder: Path | None = None,
    report: bool = True,
    slugs: dict[str, str] | None = None,
) -> list[CoalitionRun]:
    """Solve each coalition (in `workers` processes); results in the order of `names`.

    With `folder`: each coalition's result folder is written to `folder / slug` by the process
    that solved it (`report`: with report.md/html); `slugs` maps a name to its folder's name
    (default `optimizer.slugs.unique_slugs(names)`: a name is never used as a path).
    """
    from optimizer.slugs import unique_slugs

    advance = advance or (lambda n=1, description=None: None)
    slugs = slugs or unique_slugs(list(names))

    def where(name: str) -> Path | None:
        return None if folder is None else Path(folder) / slugs[name]

    if workers <= 1 or len(names) <= 1:
        runs = []
        for name in names:
            advance(0, description=f"solving {name}")
            runs.append(solve_one(instance, name, options, where(name), report))
            advance(1)
        return runs
    pool = started_pool(min(workers, len(names)))
    advance(0)  # the bar starts once the worker processes exist (forked without its thread)
    try:
        futures = {
            pool.submit(solve_one, instance, name, options, where(name), report): i
            for i, name in enumerate(names)
        }
        out: list[CoalitionRun | None] = [None] * len(names)
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            advance(1)
    except BaseException:  # Ctrl-C, SIGTERM: stop the workers now, not after their solves
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return [run for run in out if run is not None]


# -- the tables --------------------------------------------------------------------------------
def _last_year_rows(countries: pd.DataFrame) -> pd.DataFrame:
    return countries[countries["year"] == countries["year"].max()]


def _family_counts(binding: pd.DataFrame) -> str:
    if binding.empty:
        return ""
    counts = binding.groupby("family", sort=False).size()
    return "; ".join(f"{family}: {n}" for family, n in counts.items())


def coalition_table(instance: Instance, runs: Sequence[CoalitionRun]) -> pd.DataFrame:
    """comparison.csv: the spec's columns first (`report.comparison_row`), then the planner's."""
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
        return pd.DataFrame(columns=["coalition", *BINDING_COLUMNS])
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


# -- coalition choice explained ------------------------------------------------------------------
def choice_solves(instance: Instance) -> int:
    """How many solves `explain_choice` runs: the chosen coalition and one per candidate."""
    choice = instance.choice
    if choice is None:
        return 0
    return 1 + sum(c not in set(choice.forbidden) for c in choice.candidates)


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


def explain_choice(
    instance: Instance,
    chosen: CoalitionRun,
    options: SolveOptions,
    *,
    workers: int = 1,
    advance: Callable[..., object] | None = None,
) -> ChoiceReport:
    """Each candidate's membership cost against what it brings; the facility; the duals.

    Every chosen member is removed in turn and every left-out candidate added in turn (fixed
    coalitions on one persistent model, warm): `net_gain` is how much the objective (member
    costs included) worsens by that change, so ≥ 0 for every candidate when the choice is
    optimal. Under `max_pain` the objective compared is m* (member costs do not enter it).
    """
    choice = instance.choice
    assert choice is not None
    summary = chosen.result.summary
    members = tuple(summary["members"])
    forbidden = set(choice.forbidden)
    pool = tuple(c for c in choice.candidates if c not in forbidden)
    mu = choice.member_cost
    total_pain_kind = instance.objective == "total_pain"

    def with_costs(objective: float, n: int) -> float:
        return objective + mu * n if total_pain_kind else objective

    variants = [Variant(members)]
    for c in pool:
        if c in members:
            variants.append(Variant(tuple(m for m in members if m != c)))
        else:
            variants.append(Variant(instance.in_country_order([*members, c])))
    with VariantRunner(SolverSpec(instance, pool, options), workers) as runner:
        evaluations = runner.run(variants, advance=advance)
    base = evaluations[0]
    base_objective = (
        with_costs(base.objective, len(members)) if base.objective is not None else None
    )
    base_value = base.value
    facility = instance.common_debt
    rows, lines = [], []
    for c, e in zip(pool, evaluations[1:], strict=True):
        inside = c in members
        ok = e.status == "optimal" and base_value is not None
        n_after = len(e.members)
        objective = with_costs(e.objective, n_after) if e.status == "optimal" else None
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
    table = table.reset_index(drop=True)

    info: dict[str, Any] = {"exists": bool(instance.facilities)}
    if len(instance.facilities) > 1:  # v2: several facilities, each with its own unanimity rule
        draws = chosen.result.tables.get("facilities")
        info["facilities"] = {}
        for h, f in instance.facilities.items():
            shut_by = [c for c in members if closes(instance, f, c)]
            drawn = (
                float(draws.loc[draws["facility"] == h, "draw"].sum())
                if draws is not None and len(draws)
                else 0.0
            )
            info["facilities"][h] = {"open": not shut_by, "kept_shut_by": shut_by, "drawn": drawn}
            lines.append(
                f"Facility {h}: "
                + (
                    f"shut by {', '.join(shut_by)} (unanimity)."
                    if shut_by
                    else f"open; the members draw {drawn:,.2f} bn {instance.currency} "
                    f"of its cap of {f.cap:,.2f} bn."
                )
            )
    if facility is not None:
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
    chosen_names = ", ".join(members) or "none"
    lines.insert(
        0,
        f"Coalition choice picks {len(members)} of {len(choice.candidates)} candidates: "
        f"{chosen_names} (member cost {mu:g} each, at least {choice.min_members}).",
    )

    duals = chosen.binding.copy()
    caps = chosen.result.capabilities
    duals["meaning"] = [_MEANING.get(str(c), "") for c in duals["constraint"]]
    for row in caps.itertuples() if len(caps) else ():
        if row.marginal_pain is None or abs(row.marginal_pain) <= DUAL_EPS:
            continue
        already = (
            (duals["constraint"] == "capability_targets")
            & (duals["subject"] == row.capability)
            & (duals["year"] == row.year)
        ).any()
        if not already:
            duals.loc[len(duals)] = {
                "family": "capability target",
                "constraint": "capability_targets",
                "country": "",
                "subject": row.capability,
                "year": row.year,
                "dual": row.marginal_pain,
                "marginal_pain": row.marginal_pain,
                "meaning": _MEANING["capability_targets"],
            }
    if len(duals):
        order = duals["marginal_pain"].abs().sort_values(ascending=False, kind="stable").index
        duals = duals.reindex(order).reset_index(drop=True)
    return ChoiceReport(table=table, duals=duals, facility=info, lines=lines)


#: what one unit of a binding limit's marginal pain means (pain saved per unit of relaxation)
_MEANING = {
    "tax_limit": "pain saved per bn more tax headroom",
    "social_floor": "pain saved per bn more room to cut social spending",
    "debt_room": "pain saved per bn more room under the debt ceiling",
    "annual_borrowing_limit": "pain saved per bn more borrowing in the year",
    "spending_floor": "pain saved per bn less increase the floor demands",
    "ramp_limit": "pain saved per bn faster ramp-up into the year",
    "burden_share": "pain saved per bn less increase this member must carry",
    "common_debt_procurement_only": "pain saved per bn of draw beyond procurement",
    "common_debt_content": "pain saved per bn of draw beyond the EU-content rule",
    "capability_targets": "pain saved per unit of capability less to deliver",
    "programme_capacity": "pain saved per bn more programme capacity in the year",
    "origin_shares": "pain saved per bn less spending the origin quota demands",
    "common_debt_cap": "pain saved per bn more common-debt cap",
    "common_debt_cap_per_year": "pain saved per bn more yearly common-debt cap",
    "max_pain_rows": "pain saved per % of GDP more allowed above the egalitarian cap",
}


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


# -- writing the report -----------------------------------------------------------------------
def write_report(
    folder: Path,
    instance: Instance,
    runs: Sequence[CoalitionRun],
    choice: ChoiceReport | None = None,
    figure_pool: ProcessPoolExecutor | None = None,
) -> pd.DataFrame:
    """Write comparison.csv and the rest of the report (see the module docstring) into `folder`.

    `figure_pool`: a one-process pool from `figure_worker` (the caller started it early and
    stops it); without one, a pool is started here. Returns the comparison table.
    """
    folder = Path(folder)
    currency = instance.currency or ""
    coalitions = coalition_table(instance, runs)
    countries = country_table(instance, runs)
    changes = changes_table(instance, runs)
    caps = capability_table(runs)
    binding = binding_table(runs)
    paths = paths_table(runs)
    written = []

    def csv(table: pd.DataFrame, name: str) -> None:
        table.to_csv(folder / name, index=False, na_rep="", float_format=CSV_FLOAT)
        written.append(folder / name)

    csv(coalitions, "comparison.csv")
    csv(countries, "comparison_countries.csv")
    csv(changes, "comparison_changes.csv")
    csv(caps, "comparison_capabilities.csv")
    csv(binding, "comparison_binding.csv")
    if choice is not None:
        csv(choice.table, "choice.csv")
        csv(choice.duals, "choice_duals.csv")

    def write_rest() -> None:
        md = comparison_markdown(instance, coalitions, countries, changes, caps, binding, choice,
                                 figures)  # fmt: skip
        (folder / "comparison.md").write_text(md, encoding="utf-8")
        written.append(folder / "comparison.md")

        sheets = {
            "coalitions": coalitions,
            "countries": countries,
            "pain by country": _pivot(countries, "pain"),
            "spending by country": _pivot(countries, "spending_pct_gdp_last_year"),
            "changes": changes,
            "capabilities": caps,
            "binding": binding,
            "spending paths": paths,
        }
        if choice is not None:
            sheets["choice"] = choice.table
            sheets["choice duals"] = choice.duals
        notes = {
            "instance": f"{instance.name} ({instance.file or ''})",
            "money": f"billions of {currency}",
            "pain": "discounted pain: money weighted by the pain curves and discounted, over the horizon",
            "funding totals": "undiscounted sums over the horizon",
            "binding limit": "a limit or requirement that holds with equality or has a non-zero dual",
            "marginal pain": "discounted pain saved per unit of relaxation of a binding limit (≥ 0)",
            "reference coalition": str(reference_coalition(instance, runs)),
        }
        write_xlsx(folder / "comparison.xlsx", sheets, notes)
        written.append(folder / "comparison.xlsx")

    # The PNG figures are drawn in a worker process while this one writes comparison.md and
    # comparison.xlsx: matplotlib's import and the four figures (~4 s at NATO size) overlap the
    # spreadsheet (~2.5 s), and this process never imports matplotlib. The worker is stopped
    # with the rest on Ctrl-C or SIGTERM (`stop_pool`), like every pool of this package.
    figures = figure_names(countries, coalitions, paths, caps)
    own = figure_pool is None and bool(figures)
    pool = started_pool(1) if own else figure_pool if figures else None
    try:
        drawn = None
        if pool is not None:
            drawn = pool.submit(draw_figures, folder, instance.name, currency, figures,
                                countries, coalitions, paths, caps)  # fmt: skip
        write_rest()
        if drawn is not None:
            drawn.result()
    except BaseException:
        if own:
            stop_pool(pool)
        raise
    if own:
        pool.shutdown(wait=True)
    written += [folder / name for name in figures]
    return coalitions


def _import_matplotlib() -> None:
    from optimizer.report import plots  # noqa: F401  (matplotlib and its fonts)


def figure_worker() -> ProcessPoolExecutor:
    """A one-process pool that imports matplotlib at once, in the background: `burden compare`
    starts it before solving, so the import (~1 s) overlaps the solves. Stop it with
    `optimizer.pipeline.parallel.stop_pool` (on any exit: it is idle once the report is written)."""
    return started_pool(1, initializer=_import_matplotlib, wait=False)


def figure_names(
    countries: pd.DataFrame, coalitions: pd.DataFrame, paths: pd.DataFrame, caps: pd.DataFrame
) -> list[str]:
    """The comparison's PNG figures that have something to show, in report order."""
    names = []
    if not countries.empty:
        names.append("pain_per_member.png")
    if (coalitions["status"] == "optimal").any():
        names.append("funding_mix.png")
    if not paths.empty:
        names.append("spending_paths.png")
    if not caps.empty and caps["delivered_pct"].notna().any():
        names.append("capabilities.png")
    return names


def draw_figures(
    folder: Path,
    name: str,
    currency: str,
    figures: list[str],
    countries: pd.DataFrame,
    coalitions: pd.DataFrame,
    paths: pd.DataFrame,
    caps: pd.DataFrame,
) -> list[str]:
    """Draw `figures` (names from `figure_names`) into `folder`; run in a worker process."""
    from optimizer.report import plots

    draw = {
        "pain_per_member.png": lambda path: plots.pain_per_member(
            countries, path, currency, f"{name}: discounted pain per member, by coalition"
        ),
        "funding_mix.png": lambda path: plots.funding_mix(
            coalitions, path, currency, f"{name}: how each coalition raises the money"
        ),
        "spending_paths.png": lambda path: plots.spending_paths(
            paths, path, currency, f"{name}: spending paths by coalition"
        ),
        "capabilities.png": lambda path: plots.capability_delivery(
            caps, path, f"{name}: capability delivered vs target"
        ),
    }
    for figure in figures:
        draw[figure](folder / figure)
    return figures


def _pivot(countries: pd.DataFrame, value: str) -> pd.DataFrame:
    if countries.empty:
        return countries
    order = list(dict.fromkeys(countries["coalition"]))
    wide = countries.pivot_table(index="country", columns="coalition", values=value, sort=False)
    wide = wide.reindex(columns=[c for c in order if c in wide.columns])
    names = countries.drop_duplicates("country").set_index("country")["name"]
    wide.insert(0, "name", names.reindex(wide.index))
    wide.columns.name = None
    return wide.reset_index()


def comparison_markdown(
    instance: Instance,
    coalitions: pd.DataFrame,
    countries: pd.DataFrame,
    changes: pd.DataFrame,
    caps: pd.DataFrame,
    binding: pd.DataFrame,
    choice: ChoiceReport | None,
    figures: list[str],
) -> str:
    """comparison.md: the same tables, for reading."""
    currency = instance.currency or ""
    last = instance.last_year
    out = [
        f"# Coalitions compared: {instance.name}",
        "",
        f"Money in billions of {currency}. *Pain* is discounted pain over {instance.first_year}–"
        f"{last} (money weighted by the pain curves); *pain % GDP* relates it to base-year GDP. "
        "Funding totals are undiscounted sums over the horizon. A *binding limit* holds with "
        "equality or has a non-zero dual (each result folder's binding.csv). Tables: `comparison.csv` (one row per coalition), `comparison_countries.csv`, "
        "`comparison_changes.csv`, `comparison.xlsx` (every table, a sheet each).",
        "",
        "## Overview",
        "",
    ]
    view = coalitions.copy()
    # no coalition with a plan (all stopped by a limit, say): neither column exists, each row "–"
    met = view["targets_met"] if "targets_met" in view else pd.Series(None, index=view.index)
    of = view["targets"] if "targets" in view else pd.Series(None, index=view.index)
    view["targets met"] = [
        f"{int(m)}/{int(t)}" if pd.notna(m) and pd.notna(t) else "–"
        for m, t in zip(met, of, strict=True)
    ]
    columns = {
        "coalition": "coalition",
        "status": "status",
        "n_members": "members",
        **(
            {"n_outsiders": "outsiders", "outsider_pain": "outsiders' pain"}
            if "n_outsiders" in view and (view["n_outsiders"] > 0).any()
            else {}
        ),
        "objective": "objective",
        "total_pain": "total pain",
        "total_pain_pct_base_gdp": "pain % GDP",
        "spending_pct_gdp_last_year": f"spend % GDP {last}",
        "spending_pct_gdp_last_year_mean": f"mean spend % GDP {last}",
        "targets met": "targets met",
        "min_delivery_pct": "min delivery %",
        "joint_share_pct": "joint % of procurement",
        "binding_limits": "binding limits",
    }
    present = [c for c in columns if c in view.columns]
    out.append(
        markdown_table(
            view[present],
            digits={
                "objective": 3,
                "total_pain": 3,
                "n_members": 0,
                "n_outsiders": 0,
                "outsider_pain": 3,
                "binding_limits": 0,
                "total_pain_pct_base_gdp": 3,
                "min_delivery_pct": 1,
                "joint_share_pct": 1,
                "spending_pct_gdp_last_year": 2,
                "spending_pct_gdp_last_year_mean": 2,
            },
            headers=columns,
        )  # fmt: skip
    )
    out += ["", "## Funding mix (share of the money raised, %)", ""]
    funding_columns = ["coalition", "increase_total"] + [f"{f}_share_pct" for f in FUNDING]
    funding_columns += ["common_debt_total"]
    present = [c for c in funding_columns if c in view.columns]
    out.append(
        markdown_table(
            view[present],
            digits=1,
            headers={
                "increase_total": f"raised (bn {currency})",
                "tax_share_pct": "tax %",
                "social_cut_share_pct": "social cut %",
                "national_debt_share_pct": "national debt %",
                "common_debt_share_pct": "common debt %",
                "common_debt_total": f"common debt (bn {currency})",
            },
        )
    )
    if not countries.empty:
        out += ["", "## Pain per member (discounted pain; blank: not a member)", ""]
        out.append(markdown_table(_pivot(countries, "pain"), digits=2))
        out += ["", f"## Spending in {last}, % of GDP", ""]
        out.append(markdown_table(_pivot(countries, "spending_pct_gdp_last_year"), digits=2))
        ref = countries["reference"].iloc[0] if "reference" in countries else None
        if ref is not None:
            out += ["", f"## Change in each member's pain against `{ref}`", ""]
            out.append(markdown_table(_pivot(countries, "pain_change_vs_reference"), digits=2))
    if not changes.empty:
        out += [
            "",
            "## Who pays more when members leave",
            "",
            "(Each coalition's total pain is unique; where its optimum is not, the split among "
            "members may differ between equally good plans.)",
            "",
        ]
        for (a, b, leaving), group in changes.groupby(
            ["from_coalition", "to_coalition", "leaving"], sort=False
        ):
            total = group["pain_change"].sum()
            top = group.sort_values("pain_change", ascending=False).head(5)
            items = ", ".join(
                f"{r.country} {r.pain_change:+,.2f}"
                + (f" ({r.pain_change_pct:+.0f} %)" if pd.notna(r.pain_change_pct) else "")
                for r in top.itertuples()
            )
            short = leaving if len(leaving) <= 60 else leaving[:57] + "…"
            out.append(
                f"- `{a}` → `{b}` ({short} leave): the remaining members' pain changes by "
                f"{total:+,.2f} in all; most: {items}."
            )
    if not caps.empty:
        out += ["", "## Capabilities: delivered vs target", ""]
        view_caps = caps[["coalition", "capability", "year", "target", "delivered", "shortfall",
                          "delivered_pct", "marginal_pain"]]  # fmt: skip
        out.append(markdown_table(view_caps, digits={"year": 0, "delivered_pct": 1}))
    if not binding.empty:
        out += ["", "## Binding limits (count by family)", ""]
        counts = binding.groupby(["coalition", "family"], sort=False).size().unstack(fill_value=0)
        counts = counts.reindex(list(dict.fromkeys(binding["coalition"])))
        counts.columns.name = None
        out.append(markdown_table(counts.reset_index(), digits=0))
    if choice is not None:
        out += ["", "## Coalition choice explained", ""]
        out += [f"- {line}" for line in choice.lines]
        out += [
            "",
            "Each chosen member removed, and each candidate left out added, in turn (fixed "
            "coalitions): *saves* is the pain (penalties included) its presence saves the "
            "coalition; *net* is how much the objective, member costs included, worsens by the "
            "change (≥ 0 when the choice is optimal).",
            "",
        ]
        table = choice.table.copy()
        keep = ["candidate", "chosen", "pain_saved_by_presence", "member_cost", "net_gain",
                "reason"]  # fmt: skip
        out.append(
            markdown_table(
                table[[c for c in keep if c in table.columns]],
                digits=3,
                headers={"pain_saved_by_presence": "saves", "net_gain": "net"},
            )
        )
        if len(choice.duals):
            out += [
                "",
                "Duals of the chosen coalition (its LP, coalition fixed; largest first):",
                "",
            ]
            out.append(
                markdown_table(
                    choice.duals.head(25)[
                        ["family", "country", "subject", "year", "marginal_pain", "meaning"]
                    ],
                    digits={"dual": 4, "year": 0},
                )
            )
    if figures:
        out += ["", "## Figures", ""]
        out += [f"![{name}]({name})" for name in figures]
    return "\n".join(out) + "\n"


def summary_lines(coalitions: pd.DataFrame) -> list[str]:
    """A few lines for the terminal: the best coalition and the chosen one."""
    ok = coalitions[coalitions["status"] == "optimal"]
    if ok.empty:
        return ["no coalition has an optimal plan"]
    best = ok.loc[ok["objective"].idxmin()]
    return [
        f"least objective: {best['coalition']} ({fmt(float(best['objective']))}, "
        f"{int(best['n_members'])} members)"
    ]
