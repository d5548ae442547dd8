"""Check a result folder against every rule of MODEL.md that its files allow.

Reads only the instance and the result files of the spec's "Result files" section
(`summary.json`, `countries.csv`, `procurement.csv`, `capabilities.csv`; version 2 adds
`facilities.csv` and `capability_shares.csv`). Each violated rule gives one message naming the
rule (spec constraint number where there is one) and the row.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from pathlib import Path
from typing import Any

from .ref_model import SOURCES, Instance, load_instance

HOLD_REL = 1e-6
HOLD_ABS = 1e-9
STATUSES = {"optimal", "infeasible", "unbounded", "time_limit", "error"}
COUNTRY_COLUMNS = [
    "country",
    "year",
    "gdp",
    "baseline",
    "increase",
    "spending",
    "spending_pct_gdp",
    "other",
    "tax",
    "social_cut",
    "national_debt",
    "common_debt",
    "pain",
    "extra_debt",
    "debt_room",
]
PROCUREMENT_COLUMNS = [
    "country",
    "year",
    "capability",
    "route",
    "source",
    "origin",
    "units",
    "spend",
]
CAPABILITY_COLUMNS = ["capability", "year", "target", "delivered", "shortfall", "marginal_pain"]
V2_COUNTRY_COLUMNS = ["member", "running_cost", "interest"]
FACILITY_COLUMNS = ["facility", "country", "year", "draw"]
SHARE_COLUMNS = ["country", "capability", "year", "required", "delivered", "shortfall",
                 "marginal_pain"]  # fmt: skip
SOURCE_COLUMN = {"tax": "tax", "social": "social_cut", "debt": "national_debt"}


class _Checker:
    """Collects messages; comparisons are relative (tol) with an absolute floor (abs_tol)."""

    def __init__(self, tol: float, abs_tol: float) -> None:
        self.tol = tol
        self.abs_tol = abs_tol
        self.errors: list[str] = []

    def slack(self, *magnitudes: float) -> float:
        return max(self.tol * max((abs(m) for m in magnitudes), default=0.0), self.abs_tol)

    def close(self, a: float, b: float, what: str, scale: float = 0.0) -> bool:
        if abs(a - b) <= self.slack(a, b, scale):
            return True
        self.errors.append(f"{what}: {a!r} != {b!r}")
        return False

    def le(self, a: float, b: float, what: str, scale: float = 0.0) -> bool:
        """a <= b within tolerance."""
        if a <= b + self.slack(a, b, scale):
            return True
        self.errors.append(f"{what}: {a!r} > {b!r}")
        return False

    def ge(self, a: float, b: float, what: str, scale: float = 0.0) -> bool:
        if a >= b - self.slack(a, b, scale):
            return True
        self.errors.append(f"{what}: {a!r} < {b!r}")
        return False

    def fail(self, message: str) -> None:
        self.errors.append(message)


def _read_csv(path: Path, columns: list[str], chk: _Checker) -> list[dict[str, str]] | None:
    """The rows, or None (with a message) when the file or one of its columns is missing."""
    if not path.exists():
        chk.fail(f"{path.name}: missing")
        return None
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [col for col in columns if col not in (reader.fieldnames or [])]
        if missing:
            chk.fail(f"{path.name}: missing columns {missing}")
            return None
        return list(reader)


def _num(text: str | None) -> float | None:
    if text is None or text.strip() == "":
        return None
    return float(text)


def cheapest_pain(inst: Instance, c: str, t: int, f: str, amount: float, chk: _Checker) -> float:
    """Pain of raising `amount` from source f: the cheapest filling of its segments (3).

    Flags an amount that a source without a curve raises, or that exceeds the segment widths.
    """
    curve = inst.countries[c].pain[f]
    label = f"(3) pain segments {c} {t} {SOURCE_COLUMN[f]}"
    if curve is None:
        chk.le(amount, 0.0, f"{label}: source without a pain curve used")
        return 0.0
    gdp = inst.gdp(c, t)
    remaining = max(amount, 0.0)
    pain = 0.0
    for width, weight in sorted(curve, key=lambda seg: seg[1]):  # cheapest first
        capacity = math.inf if width is None else width / 100 * gdp
        take = min(remaining, capacity)
        pain += weight * take
        remaining -= take
    chk.le(remaining, 0.0, f"{label}: amount beyond the segment widths", scale=amount)
    return pain


def check_result_folder(
    instance_path: str | Path, result_dir: str | Path, tol: float = 1e-6, abs_tol: float = 1e-7
) -> list[str]:
    """Every violated rule of MODEL.md found in the result folder; empty when all hold."""
    chk = _Checker(tol, abs_tol)
    instance_path = Path(instance_path)
    result_dir = Path(result_dir)
    inst = load_instance(instance_path)
    years = inst.years
    facilities = inst.facilities

    # ---------------- summary.json ----------------
    summary_path = result_dir / "summary.json"
    if not summary_path.exists():
        return ["summary.json: missing"]
    summary: dict[str, Any] = json.loads(summary_path.read_text())
    for key in (
        "status",
        "objective",
        "total_pain",
        "shortfall_cost",
        "member_cost",
        "coalition",
        "members",
        "outsiders",
        "member_pain",
        "outsider_pain",
        "solver",
        "instance",
    ):
        if key not in summary:
            chk.fail(f"summary.json: missing key {key!r}")
    status = summary.get("status")
    if status not in STATUSES:
        chk.fail(f"summary.json: status {status!r} not one of {sorted(STATUSES)}")
    solver = summary.get("solver")
    if not isinstance(solver, dict) or not {"name", "version", "seconds"} <= set(solver):
        chk.fail("summary.json: solver must have name, version, seconds")
    info = summary.get("instance")
    if not isinstance(info, dict):
        chk.fail("summary.json: instance must have name and sha256")
    else:
        if info.get("name") != inst.name:
            chk.fail(f"summary.json: instance.name {info.get('name')!r} != {inst.name!r}")
        sha = hashlib.sha256(instance_path.read_bytes()).hexdigest()
        if info.get("sha256") != sha:
            chk.fail("summary.json: instance.sha256 is not the sha256 of the instance file")
    if status != "optimal":
        for key in ("objective", "total_pain", "shortfall_cost", "member_cost"):
            if summary.get(key) is not None:
                chk.fail(f"summary.json: {key} must be null when status is {status!r}")
        return chk.errors

    # members: countries, no duplicates, instance order, = the named coalition / choice rules
    members: list[str] = list(summary.get("members") or [])
    order = list(inst.countries)
    unknown = [c for c in members if c not in inst.countries]
    if unknown:
        chk.fail(f"summary.json: members {unknown} are not countries")
        return chk.errors
    if members != [c for c in order if c in set(members)]:
        chk.fail(f"summary.json: members {members} not unique in the instance's country order")
    member_set = set(members)
    # A: the alliance (without it, S); O = A minus S, all of them with rows (v2)
    outsiders: list[str] = list(summary.get("outsiders") or [])
    expected_outsiders = [c for c in (inst.alliance or ()) if c not in member_set]
    if outsiders != expected_outsiders:
        chk.fail(
            f"summary.json: outsiders {outsiders} != alliance minus members {expected_outsiders}"
        )
    if inst.alliance is not None and not member_set <= set(inst.alliance):
        chk.fail("summary.json: a member outside the alliance")
    actors = [c for c in inst.countries if c in member_set or c in set(outsiders)]
    actor_set = set(actors)
    coalition = summary.get("coalition")
    chosen = coalition == "chosen"
    if chosen:
        if inst.choice is None:
            chk.fail("summary.json: coalition 'chosen' but the instance has no coalition_choice")
        else:
            ch = inst.choice
            if not member_set <= set(ch.candidates):
                chk.fail(
                    f"coalition choice: members {sorted(member_set - set(ch.candidates))} "
                    "are not candidates"
                )
            if not set(ch.required) <= member_set:
                chk.fail(
                    f"coalition choice: required {sorted(set(ch.required) - member_set)} missing"
                )
            if member_set & set(ch.forbidden):
                chk.fail(
                    f"coalition choice: forbidden {sorted(member_set & set(ch.forbidden))} "
                    "are members"
                )
            if len(members) < ch.min_members:
                chk.fail(f"coalition choice: {len(members)} members < min_members {ch.min_members}")
    elif coalition in inst.coalitions:
        if members != list(inst.coalitions[coalition]):
            chk.fail(
                f"summary.json: members {members} != coalition {coalition!r} = "
                f"{list(inst.coalitions[coalition])}"
            )
    else:
        chk.fail(f"summary.json: unknown coalition {coalition!r}")

    # ---------------- read the tables ----------------
    country_rows = _read_csv(result_dir / "countries.csv", COUNTRY_COLUMNS, chk)
    procurement_rows = _read_csv(result_dir / "procurement.csv", PROCUREMENT_COLUMNS, chk)
    capability_rows = _read_csv(result_dir / "capabilities.csv", CAPABILITY_COLUMNS, chk)
    if country_rows is None or procurement_rows is None or capability_rows is None:
        return chk.errors

    # facilities.csv (v2): draws by facility, country and year
    draw: dict[tuple[str, str, int], float] = {}
    if facilities:
        facility_rows = _read_csv(result_dir / "facilities.csv", FACILITY_COLUMNS, chk) or []
        for raw in facility_rows:
            h, c, t = raw["facility"], raw["country"], int(float(raw["year"]))
            if h not in facilities:
                chk.fail(f"facilities.csv: unknown facility {h!r}")
                continue
            if c not in member_set:
                chk.fail(f"facilities.csv: draw on {h} by non-member {c} {t}")
            draw[(h, c, t)] = draw.get((h, c, t), 0.0) + float(raw["draw"])

    def draws(c: str, t: int) -> dict[str, float]:
        return {h: draw.get((h, c, t), 0.0) for h in facilities}

    # countries.csv: one row per acting country and year, nothing else
    rows: dict[tuple[str, int], dict[str, float | None]] = {}
    v2_rows: dict[tuple[str, int], dict[str, str]] = {}
    for raw in country_rows:
        c, t = raw["country"], int(float(raw["year"]))
        if c not in actor_set:
            chk.fail(f"countries.csv: row for {c} {t}, which does not act")
            continue
        missing = [col for col in V2_COUNTRY_COLUMNS if col not in raw]
        if missing:
            chk.fail(f"countries.csv: missing columns {missing}")
        v2_rows[(c, t)] = raw
        if t not in years:
            chk.fail(f"countries.csv: year {t} outside the horizon ({c})")
            continue
        if (c, t) in rows:
            chk.fail(f"countries.csv: duplicate row {c} {t}")
        rows[(c, t)] = {col: _num(raw[col]) for col in COUNTRY_COLUMNS[2:]}
    for c in actors:
        for t in years:
            if (c, t) not in rows:
                chk.fail(f"countries.csv: missing row {c} {t}")
    number_columns = [col for col in COUNTRY_COLUMNS[2:] if col != "debt_room"]
    for (c, t), row in list(rows.items()):
        if any(row[col] is None for col in number_columns):
            chk.fail(f"countries.csv: empty value in row {c} {t}")
            del rows[(c, t)]

    # procurement.csv
    procure: dict[tuple[str, int], float] = {}
    spend_by_origin: dict[tuple[str, int, str], float] = {}
    # capability bought: (country, area, route/source, year paid) -> units
    purchases: list[tuple[str, str, int, int, float]] = []  # (c, k, lead_time, year, units)
    joint_paid: dict[tuple[str, int], float] = {}
    seen_purchases: set[tuple[str, int, str, str, str]] = set()
    national_units: dict[tuple[str, str, int], float] = {}  # (k, option, t) -> units (11b)
    for raw in procurement_rows:
        c, t, k = raw["country"], int(float(raw["year"])), raw["capability"]
        route, source, origin = raw["route"], raw["source"], raw["origin"]
        units, spend = float(raw["units"]), float(raw["spend"])
        label = f"procurement.csv {c} {t} {k} {route} {source}"
        if c not in actor_set:
            chk.fail(f"{label}: purchase by a country that does not act")
            continue
        if t not in years:
            chk.fail(f"{label}: year outside the horizon")
            continue
        if k not in inst.areas:
            chk.fail(f"{label}: unknown capability")
            continue
        key = (c, t, k, route, source)
        if key in seen_purchases:
            chk.fail(f"{label}: duplicate row")
        seen_purchases.add(key)
        chk.ge(units, 0.0, f"{label}: units >= 0")
        chk.ge(spend, 0.0, f"{label}: spend >= 0")
        if route == "national":
            options = {o.id: o for o in inst.areas[k].options}
            if source not in options:
                chk.fail(f"{label}: no national option {source!r} in area {k}")
                continue
            option = options[source]
            if origin != option.origin:
                chk.fail(f"{label}: origin {origin!r} != option's {option.origin!r}")
            price = option.unit_cost * inst.countries[c].cost_factor
            chk.close(spend, units * price, f"{label}: spend = units * unit_cost * cost_factor")
            purchases.append((c, k, inst.areas[k].lead_time, t, units))
            national_units[(k, source, t)] = national_units.get((k, source, t), 0.0) + units
        elif route == "joint":
            programme = inst.programmes.get(source)
            if programme is None or programme.capability != k:
                chk.fail(f"{label}: no joint programme {source!r} for area {k}")
                continue
            if c not in programme.eligible:
                chk.fail(f"{label}: {c} is not eligible for programme {source}")
            if c not in member_set:
                chk.fail(f"{label}: outsider {c} pays into programme {source}")
            if origin != programme.origin:
                chk.fail(f"{label}: origin {origin!r} != programme's {programme.origin!r}")
            chk.close(units, spend / programme.unit_cost, f"{label}: units = spend / unit_cost")
            # delivered units of a contribution are con / u_j (10)
            purchases.append((c, k, programme.lead_time, t, spend / programme.unit_cost))
            joint_paid[(source, t)] = joint_paid.get((source, t), 0.0) + spend
        else:
            chk.fail(f"{label}: route must be national or joint")
            continue
        procure[(c, t)] = procure.get((c, t), 0.0) + spend
        spend_by_origin[(c, t, origin)] = spend_by_origin.get((c, t, origin), 0.0) + spend

    def stock(c: str, k: str, t: int) -> float:
        """Units of k in service for c in t (paid at least the lead time before t)."""
        return sum(
            u for cc, kk, lead, tau, u in purchases if cc == c and kk == k and tau <= t - lead
        )

    # ---------------- per acting country and year ----------------
    for c in actors:
        country = inst.countries[c]
        extra_debt = 0.0
        previous_increase = 0.0  # inc_{c,first-1} = 0
        borrowed = 0.0  # sum of earlier bor (interest)
        drawn_before = dict.fromkeys(facilities, 0.0)
        for t in years:
            row = rows.get((c, t))
            if row is None:
                continue
            v: dict[str, float] = {k: x for k, x in row.items() if x is not None}
            label = f"{c} {t}"
            gdp = inst.gdp(c, t)
            inc, other = v["increase"], v["other"]
            tax, social, bor, com = v["tax"], v["social_cut"], v["national_debt"], v["common_debt"]
            proc = procure.get((c, t), 0.0)
            # derived columns
            chk.close(v["gdp"], gdp, f"countries.csv {label}: gdp = GDP_(c,t)")
            chk.close(v["baseline"], inst.baseline(c, t), f"countries.csv {label}: baseline")
            chk.close(
                v["spending"],
                v["baseline"] + inc,
                f"countries.csv {label}: spending = baseline + increase",
            )
            chk.close(
                v["spending_pct_gdp"],
                100 * v["spending"] / v["gdp"],
                f"countries.csv {label}: spending_pct_gdp = 100 * spending / gdp",
            )
            room = inst.debt_room(c, t)
            if room is None:
                if row["debt_room"] is not None:
                    chk.fail(f"countries.csv {label}: debt_room must be empty (no ceiling)")
            elif row["debt_room"] is None:
                chk.fail(f"countries.csv {label}: debt_room missing (ceiling given)")
            else:
                chk.close(row["debt_room"], room, f"countries.csv {label}: debt_room = R_(c,t)")
            # nonnegativity
            for col in ("increase", "other", "tax", "social_cut", "national_debt", "common_debt"):
                chk.ge(v[col], 0.0, f"nonnegativity {label}: {col}")
            # (1) spending identity
            chk.close(
                inc,
                proc + other,
                f"(1) spending identity {label}: increase = procurement spend + other",
                scale=proc + abs(other),
            )
            # (1b) running costs: other >= cf * sum_k r_k * stock
            running = country.cost_factor * sum(
                area.running_cost * stock(c, k, t)
                for k, area in inst.areas.items()
                if area.running_cost > 0
            )
            chk.ge(other, running, f"(1b) running costs {label}", scale=running)
            raw_v2 = v2_rows.get((c, t), {})
            if _num(raw_v2.get("running_cost")) is not None:
                chk.close(_num(raw_v2["running_cost"]), running,
                          f"countries.csv {label}: running_cost")  # fmt: skip
            if raw_v2.get("member") is not None:
                if raw_v2["member"].lower() != str(c in member_set).lower():
                    chk.fail(f"countries.csv {label}: member {raw_v2['member']!r}")
            # (2) funding balance: inc + int = tax + soc + bor + com
            by_h = draws(c, t)
            chk.close(sum(by_h.values()), com, f"(12) {label}: common_debt = sum of facilities.csv")
            interest = country.interest_rate_pct / 100 * borrowed + sum(
                f.national_debt_share * f.interest_rate_pct / 100 * drawn_before[h]
                for h, f in facilities.items()
            )
            if _num(raw_v2.get("interest")) is not None:
                chk.close(_num(raw_v2["interest"]), interest, f"countries.csv {label}: interest")
            chk.close(
                inc + interest,
                tax + social + bor + com,
                f"(2) funding balance {label}",
                scale=abs(tax) + abs(social) + abs(bor) + abs(com),
            )
            borrowed += bor
            for h in facilities:
                drawn_before[h] += by_h[h]
            new_debt = bor + sum(f.national_debt_share * by_h[h] for h, f in facilities.items())
            # (3) pain segments and the row's pain
            pain = sum(cheapest_pain(inst, c, t, f, v[SOURCE_COLUMN[f]], chk) for f in SOURCES)
            pain += sum(f.pain_weight * by_h[h] for h, f in facilities.items())
            chk.close(
                v["pain"],
                pain,
                f"pain {label}: cheapest filling of the segments + w_com * common_debt",
            )
            # (4) tax limit (its path's value in t)
            tax_limit = country.limit("tax_limit_pct_gdp", t)
            if tax_limit is not None:
                chk.le(tax, tax_limit / 100 * gdp, f"(4) tax limit {label}")
            # (5) social floor
            cut_limit = country.limit("social_cut_limit_pct", t)
            if cut_limit is not None:
                chk.le(social, cut_limit / 100 * inst.social(c, t), f"(5) social floor {label}")
            # (6) debt room
            extra_debt += new_debt
            chk.close(
                v["extra_debt"],
                extra_debt,
                f"(6) extra_debt {label} = cumulative national_debt + kappa * common_debt",
            )
            if room is not None:
                chk.le(v["extra_debt"], room, f"(6) debt room {label}")
            # (7) annual borrowing limit
            borrowing_limit = country.limit("borrowing_limit_pct_gdp", t)
            if borrowing_limit is not None:
                chk.le(new_debt, borrowing_limit / 100 * gdp, f"(7) borrowing limit {label}")
            # (8) spending floor
            floor = inst.floor(c, t)
            if floor is not None:
                chk.ge(
                    inc,
                    (floor - country.defence_pct_gdp) / 100 * gdp,
                    f"(8) spending floor {label}",
                )
            # (9) ramp limit
            if country.ramp_limit_pct_gdp is not None:
                chk.le(
                    inc - previous_increase,
                    country.ramp_limit_pct_gdp / 100 * gdp,
                    f"(9) ramp limit {label}",
                    scale=max(abs(inc), abs(previous_increase)),
                )
            previous_increase = inc
            # (12) facilities, per member and year
            if com > abs_tol and not facilities:
                chk.fail(f"(12) {label}: common_debt drawn but the instance has no facility")
            for h, f in facilities.items():
                if by_h[h] <= abs_tol:
                    continue
                if c not in member_set:
                    chk.fail(f"(12) {label}: outsider draws on {h}")
                if c not in f.eligible:
                    chk.fail(f"(12) {label}: {h} drawn by a non-eligible country")
                if not country.accepts_common_debt:
                    chk.fail(f"(12) {label}: {h} drawn by a country that does not accept it")
                closers = [m for m in members if inst.closes_facility(h, m)]
                if closers:
                    chk.fail(
                        f"(12) unanimity {label}: {h} drawn although {closers} "
                        "are eligible and do not accept it"
                    )
            chk.le(com, proc, f"(12) com <= procure {label}")
            needed = sum(
                f.min_eu_content_pct / 100 * by_h[h]
                for h, f in facilities.items()
                if f.min_eu_content_pct is not None
            )
            chk.le(needed, spend_by_origin.get((c, t, "eu"), 0.0), f"(12) content rule {label}")

    # (12) facility caps and allocations
    for h, f in facilities.items():
        by_year = {t: sum(draw.get((h, c, t), 0.0) for c in members) for t in years}
        chk.le(sum(by_year.values()), f.cap, f"(12) cap of {h}")
        if f.cap_per_year is not None:
            for t in years:
                chk.le(by_year[t], f.cap_per_year, f"(12) cap_per_year of {h} {t}")
        if f.allocations is not None:
            for c in members:
                total = sum(draw.get((h, c, t), 0.0) for t in years)
                chk.le(total, f.allocations.get(c, 0.0), f"(12) allocation of {c} on {h}")

    # (11b) supply limits of national options, over every acting country
    for k, area in inst.areas.items():
        for o in area.options:
            if o.capacity_per_year is not None:
                for t in years:
                    chk.le(national_units.get((k, o.id, t), 0.0), o.capacity_per_year,
                           f"(11b) supply limit {k} {o.id} {t}")  # fmt: skip

    # (11) programme capacity
    for (j, t), paid in joint_paid.items():
        capacity = inst.programmes[j].capacity_per_year
        if capacity is not None:
            chk.le(paid, capacity * inst.programmes[j].unit_cost, f"(11) capacity {j} {t}")

    # (13) origin shares
    total_procure = sum(procure.values())
    for g, share in inst.origin_min_share_pct.items():
        spend_g = sum(x for (_, _, origin), x in spend_by_origin.items() if origin == g)
        chk.ge(spend_g, share / 100 * total_procure, f"(13) origin share {g}", scale=total_procure)

    # (14) burden share
    if inst.burden_share_min_pct > 0:
        total_gdp = sum(inst.countries[c].gdp for c in members)
        inc_total = {
            c: sum(rows[(c, t)]["increase"] or 0.0 for t in years if (c, t) in rows)
            for c in members
        }
        all_inc = sum(inc_total.values())
        for c in members:
            need = inst.burden_share_min_pct / 100 * inst.countries[c].gdp / total_gdp * all_inc
            chk.ge(inc_total[c], need, f"(14) burden share {c}", scale=all_inc)

    # ---------------- capabilities.csv ----------------
    cap_rows: dict[tuple[str, int], dict[str, float | None]] = {}
    for raw in capability_rows:
        k, t = raw["capability"], int(float(raw["year"]))
        if k not in inst.areas or t not in inst.areas[k].targets:
            chk.fail(f"capabilities.csv: row {k} {t} is no target point")
            continue
        if (k, t) in cap_rows:
            chk.fail(f"capabilities.csv: duplicate row {k} {t}")
        cap_rows[(k, t)] = {col: _num(raw[col]) for col in CAPABILITY_COLUMNS[2:]}
    shortfall_cost = 0.0
    for k, area in inst.areas.items():
        for t in sorted(area.targets):
            row = cap_rows.get((k, t))
            label = f"(10) capability {k} {t}"
            if row is None:
                chk.fail(f"capabilities.csv: missing row {k} {t}")
                continue
            if any(row[col] is None for col in ("target", "delivered", "shortfall")):
                chk.fail(f"capabilities.csv: empty value in row {k} {t}")
                continue
            target, delivered, short = row["target"], row["delivered"], row["shortfall"]
            assert target is not None and delivered is not None and short is not None
            chk.close(target, area.targets[t], f"{label}: target")
            recomputed = sum(
                inst.countries[c].reliability * units
                for c, area_id, lead, tau, units in purchases
                if area_id == k and tau <= t - lead
            )
            chk.close(delivered, recomputed, f"{label}: delivered recomputed from procurement.csv")
            chk.ge(short, 0.0, f"{label}: shortfall >= 0")
            if area.shortfall_penalty is None:
                chk.le(short, 0.0, f"{label}: hard target has no shortfall")
            else:
                shortfall_cost += inst.discount(t) * area.shortfall_penalty * short
            chk.ge(delivered + short, area.targets[t], f"{label}: delivered + shortfall >= target")
            dual = row["marginal_pain"]
            if dual is None:
                chk.fail(f"capabilities.csv: marginal_pain empty in row {k} {t}")
                continue
            chk.ge(dual, 0.0, f"{label}: marginal_pain >= 0")
            # dual feasibility of short's column (total_pain LP): dual <= d_t * penalty
            if area.shortfall_penalty is not None and inst.objective == "total_pain":
                chk.le(
                    dual,
                    inst.discount(t) * area.shortfall_penalty,
                    f"{label}: marginal_pain <= d_t * shortfall_penalty",
                )
            # complementary slackness when primal and dual come from the same LP
            if not chosen and delivered + short - area.targets[t] > 10 * chk.slack(
                area.targets[t], delivered
            ):
                chk.le(dual, 0.0, f"{label}: slack target with marginal_pain > 0")

    # ---------------- capability_shares.csv (10b) ----------------
    if inst.alliance is not None:
        share_rows = _read_csv(result_dir / "capability_shares.csv", SHARE_COLUMNS, chk) or []
        given = {(r["country"], r["capability"], int(float(r["year"]))): r for r in share_rows}
        for c in outsiders:
            rho = inst.countries[c].reliability
            for k, area in inst.areas.items():
                for t in sorted(area.targets):
                    label = f"(10b) {c} {k} {t}"
                    row = given.get((c, k, t))
                    if row is None:
                        chk.fail(f"capability_shares.csv: missing row {c} {k} {t}")
                        continue
                    need = inst.share(c) / 100 * area.targets[t]
                    delivered = rho * stock(c, k, t)
                    short = _num(row["shortfall"]) or 0.0
                    chk.close(_num(row["required"]) or 0.0, need, f"{label}: required")
                    chk.close(_num(row["delivered"]) or 0.0, delivered, f"{label}: delivered")
                    chk.ge(short, 0.0, f"{label}: shortfall >= 0")
                    if area.shortfall_penalty is None:
                        chk.le(short, 0.0, f"{label}: hard target has no shortfall")
                    else:
                        shortfall_cost += inst.discount(t) * area.shortfall_penalty * short
                    chk.ge(delivered + short, need, f"{label}: delivered + shortfall >= share")
                    marginal = _num(row["marginal_pain"])
                    if marginal is not None:
                        chk.ge(marginal, 0.0, f"{label}: marginal_pain >= 0")
        for c, _k, _t in given:
            if c not in outsiders:
                chk.fail(f"capability_shares.csv: row for {c}, not an outsider")

    # ---------------- summary consistency ----------------
    country_pain = {
        c: sum(inst.discount(t) * (rows[(c, t)]["pain"] or 0.0) for t in years if (c, t) in rows)
        for c in actors
    }
    total_pain = sum(country_pain.values())
    member_pain = sum(p for c, p in country_pain.items() if c in member_set)
    for key, expected in (
        ("member_pain", member_pain),
        ("outsider_pain", total_pain - member_pain),
    ):
        if isinstance(summary.get(key), int | float):
            chk.close(float(summary[key]), expected, f"summary.json: {key} = its recomputed value")
    member_cost = inst.choice.member_cost * len(members) if chosen and inst.choice else 0.0
    for key, expected in (
        ("total_pain", total_pain),
        ("shortfall_cost", shortfall_cost),
        ("member_cost", member_cost),
    ):
        value = summary.get(key)
        if not isinstance(value, int | float):
            chk.fail(f"summary.json: {key} must be a number when optimal")
        else:
            chk.close(float(value), expected, f"summary.json: {key} = its recomputed value")
    objective = summary.get("objective")
    if not isinstance(objective, int | float):
        chk.fail("summary.json: objective must be a number when optimal")
    elif inst.objective == "max_pain":
        worst = max((100 * country_pain[c] / inst.countries[c].gdp for c in actors), default=0.0)
        chk.le(
            worst,
            objective * (1 + HOLD_REL) + HOLD_ABS,
            "summary.json: max_pain: largest member pain % > objective m* (with its hold)",
        )
        if not chosen:
            chk.ge(worst, objective, "summary.json: max_pain: largest member pain % < m*")
    else:
        chk.close(
            float(objective),
            total_pain + shortfall_cost + member_cost,
            "summary.json: objective = total_pain + shortfall_cost + member_cost",
        )
    return chk.errors
