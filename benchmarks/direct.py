"""The speed limit of this stack: MODEL.md's total_pain LP assembled directly with numpy.

`build_direct_lp(instance, derived, members)` assembles the LP of one fixed coalition that
`optimizer.model.build_model` describes (the same 14 constraint families, the same variables and
bounds, the same rows: a row Pyomo would skip is skipped here too) from the resolved `Instance`
and the `Derived` data, with numpy index arithmetic per family (no Python loop per nonzero and no
Pyomo). `pass_direct` hands it to highspy in one `passModel` (column-wise matrix), `solve_direct`
runs HiGHS, `extract_direct` computes the result tables of MODEL.md (countries.csv,
procurement.csv, capabilities.csv) from the column values with numpy, `write_direct` writes them.

`DirectVariants` re-solves sub-coalitions of a pool by bound changes, exactly as
`optimizer.pipeline.variants.CoalitionSolver` does (inc columns of outsiders at 0, their floor rows
relaxed, every common-debt column at 0 while a member shuts a unanimity facility), warm started.

Only the fixed-coalition total_pain LP is covered: no max_pain stages, no coalition choice, no
duals beyond the capability targets'. That is the work `burden solve` does for the benchmark
instances, so it is the limit the benchmarks compare against.

Command line (one whole process, imports included, for `bench.py`'s whole-process comparison):

    python benchmarks/direct.py INSTANCE [--coalition NAME] [--out DIR] [--algorithm choose]
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np

from optimizer.derive import Derived, can_draw_common_debt, closes_common_debt
from optimizer.instance.resolved import SOURCES, Instance
from optimizer.process import exit_now

INF = highspy.kHighsInf
UNITS_EPS = 1e-9  # MODEL.md: procurement rows with units > 1e-9

_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
    highspy.HighsModelStatus.kSolutionLimit: "time_limit",
    highspy.HighsModelStatus.kInterrupt: "time_limit",
}


# --------------------------------------------------------------------------------------------
# The LP
# --------------------------------------------------------------------------------------------


@dataclass
class DirectLP:
    """One coalition's total_pain LP as arrays, with the index maps needed to read it back.

    Column blocks (each a contiguous range, offsets in `col_offset`):
    `buy` (member, option, year), `con` (eligible pair, year), `other` (member, year),
    `inc` (member, year), `seg` (segment group, year), `com` (drawer, year), `short` (point).
    Row families are contiguous too (`row_range`), named like the Pyomo constraints.
    """

    instance: Instance
    derived: Derived
    members: tuple[str, ...]
    variants: bool
    years: np.ndarray
    # column index arrays (absolute column numbers)
    buy_cols: np.ndarray  # (nm, nq, nt)
    con_cols: np.ndarray  # (npairs, nt)
    other_cols: np.ndarray  # (nm, nt)
    inc_cols: np.ndarray  # (nm, nt)
    seg_cols: np.ndarray  # (ng, nt)
    com_cols: np.ndarray  # (nd, nt)
    short_cols: np.ndarray  # (nshort,)
    # per-member, per-option, per-pair and per-group data
    gdp: np.ndarray  # (nm, nt)
    cost_factor: np.ndarray
    reliability: np.ndarray
    option_area: np.ndarray
    option_cost: np.ndarray
    option_origin: list[str]
    option_id: list[str]
    areas: list[str]
    programmes: list[str]
    programme_area: np.ndarray
    programme_cost: np.ndarray
    programme_origin: list[str]
    pair_member: np.ndarray
    pair_programme: np.ndarray
    group_member: np.ndarray
    group_source: np.ndarray  # 0 tax, 1 social, 2 debt
    group_segment: np.ndarray
    group_weight: np.ndarray
    drawer_member: np.ndarray
    closers: np.ndarray  # member positions that shut a unanimity facility
    target_area: np.ndarray  # per target point
    target_year: np.ndarray
    target_value: np.ndarray
    target_short: np.ndarray  # position in short_cols, or -1
    target_row: np.ndarray  # absolute row, or -1 where the row was skipped
    short_point: np.ndarray  # target point of each shortfall column
    kappa: float
    w_com: float
    # the LP itself
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    a_start: np.ndarray
    a_index: np.ndarray
    a_value: np.ndarray
    col_offset: dict[str, int] = field(default_factory=dict)
    row_range: dict[str, tuple[int, int]] = field(default_factory=dict)
    row_meta: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)
    """Per family the index arrays of its rows (positions into members/years/areas/...)."""
    floor_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    floor_member: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    infeasible: list[str] = field(default_factory=list)
    """Rows found trivially infeasible (a target nothing can deliver), as Pyomo's build records."""

    @property
    def num_col(self) -> int:
        return len(self.cost)

    @property
    def num_row(self) -> int:
        return len(self.row_lower)

    @property
    def num_nz(self) -> int:
        return len(self.a_value)

    # -- keys, for tests that compare with the Pyomo model (Python loops: not for timing) ----
    def column_keys(self) -> list[tuple[str, tuple]]:
        """(Pyomo variable name, index) of every column, in column order."""
        m, yrs = self.members, [int(t) for t in self.years]
        keys: list[tuple[str, tuple]] = [None] * self.num_col  # type: ignore[list-item]

        def put(name, cols, key_of):
            for pos in np.ndindex(cols.shape):
                keys[int(cols[pos])] = (name, key_of(*pos))

        put("buy", self.buy_cols, lambda c, q, t: (m[c], self.areas[self.option_area[q]], self.option_id[q], yrs[t]))  # fmt: skip
        put("con", self.con_cols, lambda p, t: (m[self.pair_member[p]], self.programmes[self.pair_programme[p]], yrs[t]))  # fmt: skip
        put("other", self.other_cols, lambda c, t: (m[c], yrs[t]))
        put("inc", self.inc_cols, lambda c, t: (m[c], yrs[t]))
        put("seg", self.seg_cols, lambda g, t: (m[self.group_member[g]], SOURCES[self.group_source[g]], int(self.group_segment[g]), yrs[t]))  # fmt: skip
        put("com", self.com_cols, lambda d, t: (m[self.drawer_member[d]], yrs[t]))
        put("short", self.short_cols, lambda i: self._point(self.short_point[i]))
        return keys

    def _point(self, i: int) -> tuple[str, int]:
        return (self.areas[self.target_area[i]], int(self.target_year[i]))

    def row_keys(self) -> list[tuple[str, object]]:
        """(Pyomo constraint name, index) of every row, in row order."""
        m, yrs = self.members, [int(t) for t in self.years]
        keys: list[tuple[str, object]] = []
        for name, (start, stop) in sorted(self.row_range.items(), key=lambda kv: kv[1]):
            meta = self.row_meta.get(name, ())
            for i in range(stop - start):
                if name in ("spending_identity", "funding_balance", "tax_limit", "social_floor",
                            "debt_room", "annual_borrowing_limit", "spending_floor", "ramp_limit",
                            "common_debt_procurement_only", "common_debt_content"):  # fmt: skip
                    key = (m[meta[0][i]], yrs[meta[1][i]])
                elif name == "capability_targets":
                    key = self._point(meta[0][i])
                elif name == "programme_capacity":
                    key = (self.programmes[meta[0][i]], yrs[meta[1][i]])
                elif name == "common_debt_cap_per_year":
                    key = yrs[meta[0][i]]
                elif name == "origin_shares":
                    key = meta[0][i]
                elif name == "burden_share":
                    key = m[meta[0][i]]
                else:
                    key = None
                keys.append((name, key))
        return keys


class _Rows:
    """COO triplets and row bounds, family by family."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.n = 0
        self.ranges: dict[str, tuple[int, int]] = {}

    def family(self, name: str, lo, hi, entries, n: int) -> int:
        """Add `n` rows; `entries`: (local row, column, value) array triples (broadcast)."""
        start = self.n
        for r, c, v in entries:
            r, c, v = np.broadcast_arrays(r, c, v)
            if r.size == 0:
                continue
            v = v.ravel()
            keep = v != 0
            if not keep.all():
                r, c, v = r.ravel()[keep], c.ravel()[keep], v[keep]
            self.r.append((r.ravel() + start).astype(np.int32, copy=False))
            self.c.append(c.ravel().astype(np.int32, copy=False))
            self.v.append(v.astype(np.float64, copy=False))
        self.lo.append(np.broadcast_to(np.asarray(lo, float), (n,)))
        self.hi.append(np.broadcast_to(np.asarray(hi, float), (n,)))
        self.ranges[name] = (start, start + n)
        self.n += n
        return start

    def csc(self, num_col: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Column-wise arrays (start, index, value); rows ascending within each column."""
        if not self.r:
            return np.zeros(num_col + 1, np.int32), np.zeros(0, np.int32), np.zeros(0)
        rows = np.concatenate(self.r)
        cols = np.concatenate(self.c)
        vals = np.concatenate(self.v)
        self.r = self.c = self.v = []
        # families come in row order, and within a family each column's rows ascend, so a
        # stable sort by column alone leaves rows ascending within each column
        order = np.argsort(cols, kind="stable")
        start = np.zeros(num_col + 1, np.int64)
        np.cumsum(np.bincount(cols, minlength=num_col), out=start[1:])
        return start.astype(np.int32), rows[order], vals[order]


def _matrix(rows_of, keys, values, default=np.nan) -> np.ndarray:
    """(len(rows_of), len(keys)) array from a dict keyed (row, key); `default` where absent."""
    return np.array(
        [[values.get((r, k), default) for k in keys] for r in rows_of], dtype=float
    ).reshape(len(rows_of), len(keys))


def _opt(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def build_direct_lp(
    instance: Instance, derived: Derived, members, *, variants: bool = False
) -> DirectLP:
    """The total_pain LP of the fixed coalition `members` (MODEL.md constraints 1–14).

    With `variants` the LP serves every sub-coalition of `members` as in `build_sets(...,
    variants=True)`: common-debt columns exist even where a member shuts a unanimity facility.
    """
    members = tuple(members)
    years = np.array(derived.years, dtype=np.int64)
    nm, nt = len(members), len(years)
    ar_t = np.arange(nt)
    countries = [instance.countries[c] for c in members]
    gdp = _matrix(members, derived.years, derived.gdp)
    cost_factor = np.array([x.cost_factor for x in countries], float)
    reliability = np.array([x.reliability for x in countries], float)
    facility = instance.common_debt
    kappa = facility.national_debt_share if facility else 1.0
    w_com = facility.pain_weight if facility else 0.0

    # options (q), programmes (j), eligible pairs (p), segment groups (g), drawers (d)
    areas = list(instance.capabilities)
    option_area, option_cost, option_origin, option_id = [], [], [], []
    for ki, area in enumerate(instance.capabilities.values()):
        for opt in area.options:
            option_area.append(ki)
            option_cost.append(opt.unit_cost)
            option_origin.append(opt.origin)
            option_id.append(opt.id)
    option_area = np.array(option_area, np.int64)
    option_cost = np.array(option_cost, float)
    nq = len(option_cost)
    area_pos = {k: i for i, k in enumerate(areas)}
    programmes = list(instance.programmes)
    progs = list(instance.programmes.values())
    nj = len(progs)
    programme_area = np.array([area_pos[p.capability] for p in progs], np.int64)
    programme_cost = np.array([p.unit_cost for p in progs], float)
    programme_lead = np.array([p.lead_time for p in progs], np.int64)
    programme_origin = [p.origin for p in progs]
    programme_capacity = _opt([p.capacity_per_year for p in progs])
    eligible = np.ones((nm, nj), bool)
    for jj, p in enumerate(progs):
        if p.eligible is not None:
            eligible[:, jj] = [c in p.eligible for c in members]
    pair_member, pair_programme = np.nonzero(eligible)  # member-major, as Pyomo's index
    npairs = len(pair_member)
    g_member, g_source, g_segment, g_width, g_weight = [], [], [], [], []
    for ci, x in enumerate(countries):
        for fi, f in enumerate(SOURCES):
            for s, seg in enumerate(x.pain.get(f, ())):
                g_member.append(ci)
                g_source.append(fi)
                g_segment.append(s)
                g_width.append(np.nan if seg.width_pct_gdp is None else seg.width_pct_gdp)
                g_weight.append(seg.weight)
    g_member = np.array(g_member, np.int64)
    g_source = np.array(g_source, np.int64)
    g_segment = np.array(g_segment, np.int64)
    g_width = np.array(g_width, float)
    g_weight = np.array(g_weight, float)
    ng = len(g_member)
    closers = np.array([i for i, c in enumerate(members) if closes_common_debt(instance, c)], int)
    facility_open = facility is not None and (variants or len(closers) == 0)
    drawer_member = np.array(
        [i for i, c in enumerate(members) if facility_open and can_draw_common_debt(instance, c)],
        np.int64,
    )
    nd = len(drawer_member)
    tp_area, tp_year, tp_value, tp_pen = [], [], [], []
    for ki, area in enumerate(instance.capabilities.values()):
        for t, v in area.targets.items():
            tp_area.append(ki)
            tp_year.append(t)
            tp_value.append(v)
            tp_pen.append(np.nan if area.shortfall_penalty is None else area.shortfall_penalty)
    tp_area = np.array(tp_area, np.int64)
    tp_year = np.array(tp_year, np.int64)
    tp_value = np.array(tp_value, float)
    tp_pen = np.array(tp_pen, float)
    short_point = np.flatnonzero(~np.isnan(tp_pen))
    ntp, nshort = len(tp_area), len(short_point)

    # columns
    offsets, n = {}, 0
    for name, size in (
        ("buy", nm * nq * nt),
        ("con", npairs * nt),
        ("other", nm * nt),
        ("inc", nm * nt),
        ("seg", ng * nt),
        ("com", nd * nt),
        ("short", nshort),
    ):
        offsets[name] = n
        n += size
    num_col = n
    buy_cols = np.arange(offsets["buy"], offsets["con"]).reshape(nm, nq, nt)
    con_cols = np.arange(offsets["con"], offsets["other"]).reshape(npairs, nt)
    other_cols = np.arange(offsets["other"], offsets["inc"]).reshape(nm, nt)
    inc_cols = np.arange(offsets["inc"], offsets["seg"]).reshape(nm, nt)
    seg_cols = np.arange(offsets["seg"], offsets["com"]).reshape(ng, nt)
    com_cols = np.arange(offsets["com"], offsets["short"]).reshape(nd, nt)
    short_cols = np.arange(offsets["short"], num_col)
    tp_short = np.full(ntp, -1, np.int64)
    tp_short[short_point] = np.arange(nshort)

    col_lower = np.zeros(num_col)
    col_upper = np.full(num_col, INF)
    seg_ub = g_width[:, None] / 100 * gdp[g_member]  # 3. pain segments: bounds, not rows
    bounded = ~np.isnan(g_width)
    col_upper[seg_cols[bounded]] = seg_ub[bounded]
    discount = np.array([derived.discount[int(t)] for t in years], float)
    cost = np.zeros(num_col)
    cost[seg_cols] = discount[None, :] * g_weight[:, None]
    cost[com_cols] = discount[None, :] * w_com
    year_pos = {int(t): i for i, t in enumerate(years)}
    tp_tpos = np.array([year_pos[int(t)] for t in tp_year], np.int64)
    cost[short_cols] = discount[tp_tpos[short_point]] * tp_pen[short_point]

    price = option_cost[None, :] * cost_factor[:, None]  # (nm, nq): p_{k,o} · cf_c
    ct_rows = np.arange(nm)[:, None] * nt + ar_t  # (nm, nt) row of (c, t) in a member-year family
    rows = _Rows()
    meta: dict[str, tuple[np.ndarray, ...]] = {}
    all_ct = (np.repeat(np.arange(nm), nt), np.tile(ar_t, nm))

    def member_years(name, lo, hi, entries):
        meta[name] = all_ct
        rows.family(name, lo, hi, entries, nm * nt)

    def procurement_entries(sign: float, buy_coef: np.ndarray, con_coef: np.ndarray, who):
        """Entries of ± procure_{c,t} (or its part of one origin) for the members `who`."""
        pos = np.full(nm, -1)
        pos[who] = np.arange(len(who))
        r_buy = (pos[who][:, None] * nt + ar_t)[:, None, :]  # (len(who), 1, nt)
        cb = buy_coef[who][:, :, None]
        keep_p = pos[pair_member] >= 0
        r_con = pos[pair_member[keep_p]][:, None] * nt + ar_t
        return [
            (np.broadcast_to(r_buy, (len(who), nq, nt)), buy_cols[who], sign * cb),
            (r_con, con_cols[keep_p], sign * con_coef[pair_programme[keep_p]][:, None]),
        ]

    # 1. spending identity: inc − procure − other = 0
    ones_j = np.ones(nj)
    member_years(
        "spending_identity",
        0.0,
        0.0,
        [
            (ct_rows, inc_cols, 1.0),
            (ct_rows, other_cols, -1.0),
            *procurement_entries(-1.0, price, ones_j, np.arange(nm)),
        ],
    )
    # 2. funding balance: inc − Σ seg − com = 0
    member_years(
        "funding_balance",
        0.0,
        0.0,
        [
            (ct_rows, inc_cols, 1.0),
            (ct_rows[g_member], seg_cols, -1.0),
            (ct_rows[drawer_member], com_cols, -1.0),
        ],
    )

    def per_member_family(name, who: np.ndarray, lo, hi, entries_of):
        """Rows (c, t) for the members `who` (positions), all years."""
        pos = np.full(nm, -1)
        pos[who] = np.arange(len(who))
        meta[name] = (np.repeat(who, nt), np.tile(ar_t, len(who)))
        rows.family(name, lo, hi, entries_of(pos), len(who) * nt)

    def source_entries(pos, source: int, tri: bool = False):
        g = np.flatnonzero((g_source == source) & (pos[g_member] >= 0))
        base = pos[g_member[g]][:, None] * nt
        if not tri:
            return [(base + ar_t, seg_cols[g], 1.0)]
        tt, tau = np.tril_indices(nt)  # rows t, columns τ ≤ t
        return [(base + tt, seg_cols[g][:, tau], 1.0)]

    has_source = np.zeros((nm, 3), bool)
    has_source[g_member, g_source] = True
    is_drawer = np.zeros(nm, bool)
    is_drawer[drawer_member] = True
    # 4. tax limit; 5. social floor
    tax_limit = _opt([x.tax_limit_pct_gdp for x in countries])
    who = np.flatnonzero(~np.isnan(tax_limit) & has_source[:, 0])
    per_member_family(
        "tax_limit",
        who,
        -INF,
        (tax_limit[who, None] / 100 * gdp[who]).ravel(),
        lambda pos: source_entries(pos, 0),
    )
    social_limit = _opt([x.social_cut_limit_pct for x in countries])
    who = np.flatnonzero(~np.isnan(social_limit) & has_source[:, 1])
    social = _matrix([members[i] for i in who], derived.years, derived.social_baseline)
    per_member_family(
        "social_floor",
        who,
        -INF,
        (social_limit[who, None] / 100 * social).ravel(),
        lambda pos: source_entries(pos, 1),
    )
    # 6. debt room: Σ_{τ≤t} (bor + κ com) ≤ R; 7. annual borrowing limit: bor + κ com ≤ limit
    adds_debt = has_source[:, 2] | is_drawer
    room = _matrix(members, derived.years, derived.debt_room)
    who = np.flatnonzero(~np.isnan(room).any(axis=1) & adds_debt)

    def debt_entries(pos, tri):
        entries = source_entries(pos, 2, tri)
        d = np.flatnonzero(pos[drawer_member] >= 0)
        base = pos[drawer_member[d]][:, None] * nt
        if tri:
            tt, tau = np.tril_indices(nt)
            entries.append((base + tt, com_cols[d][:, tau], kappa))
        else:
            entries.append((base + ar_t, com_cols[d], kappa))
        return entries

    per_member_family(
        "debt_room", who, -INF, room[who].ravel(), lambda pos: debt_entries(pos, True)
    )
    borrowing_limit = _opt([x.borrowing_limit_pct_gdp for x in countries])
    who = np.flatnonzero(~np.isnan(borrowing_limit) & adds_debt)
    per_member_family(
        "annual_borrowing_limit",
        who,
        -INF,
        (borrowing_limit[who, None] / 100 * gdp[who]).ravel(),
        lambda pos: debt_entries(pos, False),
    )
    # 8. spending floor: inc ≥ floor increase, where it is > 0
    floor = _matrix(members, derived.years, derived.floor_increase)
    fc, ft = np.nonzero(np.nan_to_num(floor, nan=0.0) > 0)
    meta["spending_floor"] = (fc, ft)
    start = rows.family(
        "spending_floor",
        floor[fc, ft],
        INF,
        [(np.arange(len(fc)), inc_cols[fc, ft], 1.0)],
        len(fc),
    )
    floor_rows = (start + np.arange(len(fc))).astype(np.int32)
    # 9. ramp limit: inc_t − inc_{t−1} ≤ ramp/100 · GDP_t
    ramp = _opt([x.ramp_limit_pct_gdp for x in countries])
    who = np.flatnonzero(~np.isnan(ramp))

    def ramp_entries(pos):
        base = pos[who][:, None] * nt
        return [
            (base + ar_t, inc_cols[who], 1.0),
            (base + ar_t[1:], inc_cols[who][:, :-1], -1.0),
        ]

    per_member_family(
        "ramp_limit", who, -INF, (ramp[who, None] / 100 * gdp[who]).ravel(), ramp_entries
    )

    # 10. capability targets: Σ ρ [Σ_{τ ≤ t−L_k} buy + Σ_{τ ≤ t−L_j} con / u_j] + short ≥ target
    area_lead = np.array([a.lead_time for a in instance.capabilities.values()], np.int64)
    t_r, t_c, t_v = [], [], []
    for ki in range(len(areas)):
        tps = np.flatnonzero(tp_area == ki)
        if not len(tps):
            continue
        qs = np.flatnonzero(option_area == ki)
        tp_i, tau_i = np.nonzero(years[None, :] <= (tp_year[tps] - area_lead[ki])[:, None])
        if len(qs) and len(tp_i) and nm:
            cols = buy_cols[:, qs][:, :, tau_i]  # (nm, nq_k, pairs)
            t_r.append(np.broadcast_to(tps[tp_i], cols.shape).ravel())
            t_c.append(cols.ravel())
            t_v.append(np.broadcast_to(reliability[:, None, None], cols.shape).ravel())
        ps = np.flatnonzero(programme_area[pair_programme] == ki)
        if len(ps):
            limit = tp_year[tps][:, None, None] - programme_lead[pair_programme[ps]][None, :, None]
            tp_i, p_i, tau_i = np.nonzero(years[None, None, :] <= limit)
            p = ps[p_i]
            t_r.append(tps[tp_i])
            t_c.append(con_cols[p, tau_i])
            t_v.append(reliability[pair_member[p]] / programme_cost[pair_programme[p]])
    t_r.append(short_point)
    t_c.append(short_cols)
    t_v.append(np.ones(nshort))
    t_r = np.concatenate(t_r).astype(np.int64)
    t_c = np.concatenate(t_c).astype(np.int64)
    t_v = np.concatenate(t_v).astype(np.float64)
    has_terms = np.bincount(t_r, minlength=ntp) > 0
    infeasible = [
        f"capability_targets[{areas[tp_area[i]]},{tp_year[i]}]: target {tp_value[i]:g} but the "
        f"coalition has no way to deliver {areas[tp_area[i]]} by {tp_year[i]} (no option, "
        "eligible programme or lead time)"
        for i in np.flatnonzero(~has_terms & (tp_value > 0))
    ]
    kept = np.flatnonzero(has_terms)
    local = np.cumsum(has_terms) - 1
    meta["capability_targets"] = (kept,)
    # each column's entries already come in ascending target order (np.nonzero is row-major)
    start = rows.family(
        "capability_targets", tp_value[kept], INF, [(local[t_r], t_c, t_v)], len(kept)
    )
    target_row = np.full(ntp, -1, np.int64)
    target_row[kept] = start + np.arange(len(kept))

    # 11. programme capacity: Σ_c con ≤ capacity · u_j
    capped = ~np.isnan(programme_capacity)
    has_payer = np.zeros(nj, bool)
    has_payer[pair_programme] = True
    cj = np.flatnonzero(capped & has_payer)
    jpos = np.full(nj, -1)
    jpos[cj] = np.arange(len(cj))
    ps = np.flatnonzero(jpos[pair_programme] >= 0)
    meta["programme_capacity"] = (np.repeat(cj, nt), np.tile(ar_t, len(cj)))
    rows.family(
        "programme_capacity",
        -INF,
        np.repeat(programme_capacity[cj] * programme_cost[cj], nt),
        [(jpos[pair_programme[ps]][:, None] * nt + ar_t, con_cols[ps], 1.0)],
        len(cj) * nt,
    )

    # 12. common-debt facility
    if facility is not None and nd:
        meta["common_debt_cap"] = ()
        rows.family("common_debt_cap", -INF, facility.cap, [(0, com_cols, 1.0)], 1)
        if facility.cap_per_year is not None:
            meta["common_debt_cap_per_year"] = (ar_t,)
            rows.family(
                "common_debt_cap_per_year",
                -INF,
                facility.cap_per_year,
                [(ar_t[None, :], com_cols, 1.0)],
                nt,
            )
        d_rows = np.arange(nd)[:, None] * nt + ar_t
        d_meta = (np.repeat(drawer_member, nt), np.tile(ar_t, nd))
        meta["common_debt_procurement_only"] = d_meta
        rows.family(
            "common_debt_procurement_only",
            -INF,
            0.0,
            [(d_rows, com_cols, 1.0), *procurement_entries(-1.0, price, ones_j, drawer_member)],
            nd * nt,
        )
        if facility.min_eu_content_pct is not None:
            ratio = 100 / facility.min_eu_content_pct
            eu_opt = np.array([o == "eu" for o in option_origin], bool)
            eu_prog = np.array([o == "eu" for o in programme_origin], float)
            meta["common_debt_content"] = d_meta
            rows.family(
                "common_debt_content",
                -INF,
                0.0,
                [
                    (d_rows, com_cols, 1.0),
                    *procurement_entries(
                        -1.0,
                        ratio * np.where(eu_opt[None, :], price, 0.0),
                        ratio * eu_prog,
                        drawer_member,
                    ),
                ],
                nd * nt,
            )

    # 13. origin shares: Σ spend^g − share/100 · Σ procure ≥ 0
    shares = instance.origin_min_share_pct
    names = [g for g in shares if nm * nq + npairs > 0]
    if names:
        entries = []
        for i, g in enumerate(names):
            share = shares[g] / 100
            is_g = np.array([o == g for o in option_origin], bool)
            prog_g = np.array([o == g for o in programme_origin], float)
            b = np.where(is_g[None, :], price, 0.0) - share * price
            entries.append((i, buy_cols, b[:, :, None]))
            entries.append((i, con_cols, (prog_g - share)[pair_programme][:, None]))
        meta["origin_shares"] = (names,)
        rows.family("origin_shares", 0.0, INF, entries, len(names))

    # 14. burden share: Σ_t inc_c − φ/100 · share_c · Σ inc ≥ 0
    phi = instance.burden_share_min_pct
    if phi > 0 and nm:
        base = derived.base_year
        total = sum(derived.gdp[c, base] for c in members)
        share = np.array([derived.gdp[c, base] / total for c in members], float)
        coef = np.eye(nm) - (phi / 100 * share)[:, None]  # (row member, column member)
        meta["burden_share"] = (np.arange(nm),)
        rows.family(
            "burden_share",
            0.0,
            INF,
            [(np.arange(nm)[:, None, None], inc_cols[None, :, :], coef[:, :, None])],
            nm,
        )

    a_start, a_index, a_value = rows.csc(num_col)
    return DirectLP(
        instance=instance,
        derived=derived,
        members=members,
        variants=variants,
        years=years,
        buy_cols=buy_cols,
        con_cols=con_cols,
        other_cols=other_cols,
        inc_cols=inc_cols,
        seg_cols=seg_cols,
        com_cols=com_cols,
        short_cols=short_cols,
        gdp=gdp,
        cost_factor=cost_factor,
        reliability=reliability,
        option_area=option_area,
        option_cost=option_cost,
        option_origin=option_origin,
        option_id=option_id,
        areas=areas,
        programmes=programmes,
        programme_area=programme_area,
        programme_cost=programme_cost,
        programme_origin=programme_origin,
        pair_member=pair_member,
        pair_programme=pair_programme,
        group_member=g_member,
        group_source=g_source,
        group_segment=g_segment,
        group_weight=g_weight,
        drawer_member=drawer_member,
        closers=closers,
        target_area=tp_area,
        target_year=tp_year,
        target_value=tp_value,
        target_short=tp_short,
        target_row=target_row,
        short_point=short_point,
        kappa=kappa,
        w_com=w_com,
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=np.concatenate(rows.lo) if rows.lo else np.zeros(0),
        row_upper=np.concatenate(rows.hi) if rows.hi else np.zeros(0),
        a_start=a_start,
        a_index=a_index,
        a_value=a_value,
        col_offset=offsets,
        row_range=rows.ranges,
        row_meta=meta,
        floor_rows=floor_rows,
        floor_member=fc.astype(np.int32),
        infeasible=infeasible,
    )


# --------------------------------------------------------------------------------------------
# HiGHS
# --------------------------------------------------------------------------------------------


def highs_lp(lp: DirectLP) -> highspy.HighsLp:
    """The arrays as a `highspy.HighsLp` (column-wise matrix)."""
    h_lp = highspy.HighsLp()
    h_lp.num_col_ = lp.num_col
    h_lp.num_row_ = lp.num_row
    h_lp.col_cost_ = lp.cost
    h_lp.col_lower_ = lp.col_lower
    h_lp.col_upper_ = lp.col_upper
    h_lp.row_lower_ = lp.row_lower
    h_lp.row_upper_ = lp.row_upper
    h_lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    h_lp.a_matrix_.num_col_ = lp.num_col
    h_lp.a_matrix_.num_row_ = lp.num_row
    h_lp.a_matrix_.start_ = lp.a_start
    h_lp.a_matrix_.index_ = lp.a_index
    h_lp.a_matrix_.value_ = lp.a_value
    return h_lp


#: `auto` as in optimizer/solver/highs.py (`algorithm_for`, IPM_FROM_COLUMNS): interior point for LPs
#: from this many columns, HiGHS's choice below (not imported: that module imports Pyomo)
IPM_FROM_COLUMNS = 500_000


def algorithm_for(algorithm: str, num_col: int) -> str:
    """The HiGHS `solver` option: `choose`, `simplex`, `ipm`, or `auto` (by size)."""
    if algorithm != "auto":
        return algorithm
    return "ipm" if num_col >= IPM_FROM_COLUMNS else "choose"


def pass_direct(lp: DirectLP, algorithm: str = "auto", *, via: str = "arrays") -> highspy.Highs:
    """A HiGHS object holding the LP, passed in one `passModel` call.

    `via="arrays"`: highspy's overload taking the numpy arrays themselves (one copy into HiGHS).
    `via="highslp"`: fill a `highspy.HighsLp` first, as `optimizer.solver.highs` does; highspy 1.15.1
    converts each numpy array assigned to a HighsLp attribute element by element (pybind11's
    std::vector caster), which on the large size costs ~3 s more than the arrays overload.
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", algorithm_for(algorithm, lp.num_col))
    # the solver settings of optimizer/solver/highs.py, so both routes give HiGHS the same work
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    if via == "highslp":
        status = h.passModel(highs_lp(lp))
    elif via == "arrays":
        # integrality must have num_col entries: an empty array is read as garbage (1.15.1)
        status = h.passModel(
            lp.num_col,
            lp.num_row,
            lp.num_nz,
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            lp.cost,
            lp.col_lower,
            lp.col_upper,
            lp.row_lower,
            lp.row_upper,
            lp.a_start,
            lp.a_index,
            lp.a_value,
            np.zeros(lp.num_col, np.int32),
        )
    else:
        raise ValueError(f"via must be 'arrays' or 'highslp', not {via!r}")
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"passModel: {status}")
    return h


@dataclass
class DirectSolution:
    """What one solve found: status, objective, column values, row activities and duals."""

    status: str
    objective: float | None
    x: np.ndarray | None = None
    row_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    seconds: float = 0.0
    message: str = ""


def _run(h: highspy.Highs) -> str:
    """Run HiGHS; confirm an infeasibility without presolve, as `optimizer.solver.highs` does."""
    h.run()
    status = _STATUS.get(h.getModelStatus(), "error")
    if status in ("infeasible", "infeasible_or_unbounded"):
        h.setOptionValue("presolve", "off")
        h.clearSolver()
        h.run()
        h.setOptionValue("presolve", "choose")
        status = _STATUS.get(h.getModelStatus(), "error")
        if status == "infeasible_or_unbounded":
            status = "infeasible"
    return status


def solve_direct(
    lp: DirectLP, h: highspy.Highs | None = None, algorithm: str = "auto"
) -> DirectSolution:
    """Solve the LP (passing it first unless `h` already holds it)."""
    started = time.perf_counter()
    if lp.infeasible:
        return DirectSolution("infeasible", None, message="; ".join(lp.infeasible))
    h = h or pass_direct(lp, algorithm)
    status = _run(h)
    if status != "optimal":
        return DirectSolution(status, None, seconds=time.perf_counter() - started)
    sol = h.getSolution()
    x = np.asarray(sol.col_value)
    return DirectSolution(
        status="optimal",
        objective=float(lp.cost @ x),
        x=x,
        row_value=np.asarray(sol.row_value),
        row_dual=np.asarray(sol.row_dual),
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Result tables
# --------------------------------------------------------------------------------------------

COUNTRY_COLUMNS = [
    "country", "year", "gdp", "baseline", "increase", "spending", "spending_pct_gdp", "other",
    "tax", "social_cut", "national_debt", "common_debt", "pain", "extra_debt", "debt_room",
    "floor_pct_gdp",
]  # fmt: skip
PROCUREMENT_COLUMNS = [
    "country", "year", "capability", "route", "source", "origin", "units", "spend",
]  # fmt: skip
CAPABILITY_COLUMNS = ["capability", "year", "target", "delivered", "shortfall", "marginal_pain"]


@dataclass
class DirectTables:
    """The result tables as columns (name → numpy array or list), plus the summary numbers."""

    countries: dict[str, np.ndarray]
    procurement: dict[str, np.ndarray]
    capabilities: dict[str, np.ndarray]
    pain_by_member: dict[str, float]
    total_pain: float
    shortfall_cost: float


def member_pains(lp: DirectLP, x: np.ndarray) -> np.ndarray:
    """pain_c = Σ_t d_t (Σ weight · seg + w_com · com) of every member, in member order."""
    nm, nt = len(lp.members), len(lp.years)
    seg_rows = np.repeat(lp.group_member, nt)
    pains = np.bincount(seg_rows, weights=(lp.cost * x)[lp.seg_cols].ravel(), minlength=nm)
    if lp.com_cols.size:
        com_rows = np.repeat(lp.drawer_member, nt)
        pains += np.bincount(com_rows, weights=(lp.cost * x)[lp.com_cols].ravel(), minlength=nm)
    return pains


def extract_direct(lp: DirectLP, sol: DirectSolution) -> DirectTables:
    """countries.csv, procurement.csv and capabilities.csv of MODEL.md, from the column values."""
    x = sol.x
    members, years, derived = lp.members, lp.years, lp.derived
    nm, nt = len(members), len(years)
    gdp = lp.gdp
    baseline = _matrix(members, derived.years, derived.baseline)
    increase = x[lp.inc_cols]
    ct = np.repeat(lp.group_member, nt) * nt + np.tile(np.arange(nt), len(lp.group_member))
    seg_x = x[lp.seg_cols].ravel()
    by_source = []
    for f in range(3):
        sel = np.repeat(lp.group_source == f, nt)
        by_source.append(
            np.bincount(ct[sel], weights=seg_x[sel], minlength=nm * nt).reshape(nm, nt)
        )
    common = np.zeros((nm, nt))
    common[lp.drawer_member] = x[lp.com_cols]
    weight = np.repeat(lp.group_weight, nt)
    pain = np.bincount(ct, weights=weight * seg_x, minlength=nm * nt).reshape(nm, nt)
    pain += lp.w_com * common
    discount = np.array([derived.discount[int(t)] for t in years])
    pains = pain @ discount
    spending = baseline + increase
    countries = {
        "country": np.repeat(np.array(members, dtype=object), nt),
        "year": np.tile(years, nm),
        "gdp": gdp.ravel(),
        "baseline": baseline.ravel(),
        "increase": increase.ravel(),
        "spending": spending.ravel(),
        "spending_pct_gdp": (100 * spending / gdp).ravel(),
        "other": x[lp.other_cols].ravel(),
        "tax": by_source[0].ravel(),
        "social_cut": by_source[1].ravel(),
        "national_debt": by_source[2].ravel(),
        "common_debt": common.ravel(),
        "pain": pain.ravel(),
        "extra_debt": np.cumsum(by_source[2] + lp.kappa * common, axis=1).ravel(),
        "debt_room": _matrix(members, derived.years, derived.debt_room).ravel(),
        "floor_pct_gdp": _matrix(members, derived.years, derived.floor_pct).ravel(),
    }

    # procurement: national then joint, sorted like burden's (country, year, capability, route, source)
    units_n = x[lp.buy_cols]
    c_n, q_n, t_n = np.nonzero(units_n > UNITS_EPS)
    money = x[lp.con_cols]
    units_j = money / lp.programme_cost[lp.pair_programme][:, None]
    p_j, t_j = np.nonzero(units_j > UNITS_EPS)
    prog_j = lp.pair_programme[p_j]
    country = np.concatenate([c_n, lp.pair_member[p_j]])
    year_pos = np.concatenate([t_n, t_j])
    area = np.concatenate([lp.option_area[q_n], lp.programme_area[prog_j]])
    route = np.concatenate([np.ones(len(c_n), np.int64), np.zeros(len(p_j), np.int64)])
    source_names = np.array(lp.option_id + lp.programmes, dtype=object)
    source = np.concatenate([q_n, len(lp.option_id) + prog_j])
    rank = _string_rank(source_names)
    order = np.lexsort(
        (rank[source], route, _string_rank(np.array(lp.areas, object))[area], year_pos,
         _string_rank(np.array(members, object))[country])
    )  # fmt: skip
    origins = np.array(lp.option_origin + lp.programme_origin, dtype=object)
    units = np.concatenate([units_n[c_n, q_n, t_n], units_j[p_j, t_j]])
    spend = np.concatenate(
        [units_n[c_n, q_n, t_n] * lp.option_cost[q_n] * lp.cost_factor[c_n], money[p_j, t_j]]
    )
    procurement = {
        "country": np.array(members, dtype=object)[country][order],
        "year": years[year_pos][order],
        "capability": np.array(lp.areas, dtype=object)[area][order],
        "route": np.where(route == 1, "national", "joint").astype(object)[order],
        "source": source_names[source][order],
        "origin": origins[source][order],
        "units": units[order],
        "spend": spend[order],
    }

    optimal = sol.status == "optimal"
    rows = lp.target_row
    kept = rows >= 0
    shortfall = np.zeros(len(rows))
    has_short = lp.target_short >= 0
    shortfall[has_short] = x[lp.short_cols[lp.target_short[has_short]]]
    delivered = np.zeros(len(rows))
    delivered[kept] = sol.row_value[rows[kept]] - shortfall[kept]
    marginal = np.zeros(len(rows))
    if sol.row_dual is not None:
        marginal[kept] = np.maximum(0.0, sol.row_dual[rows[kept]]) + 0.0  # no -0.0
    capabilities = {
        "capability": np.array(lp.areas, dtype=object)[lp.target_area],
        "year": lp.target_year,
        "target": lp.target_value,
        "delivered": delivered if optimal else None,
        "shortfall": shortfall,
        "marginal_pain": marginal,
    }
    shortfall_cost = float(lp.cost[lp.short_cols] @ x[lp.short_cols]) if len(lp.short_cols) else 0.0
    return DirectTables(
        countries=countries,
        procurement=procurement,
        capabilities=capabilities,
        pain_by_member=dict(zip(members, pains.tolist(), strict=True)),
        total_pain=float(pains.sum()),
        shortfall_cost=shortfall_cost,
    )


def _string_rank(names: np.ndarray) -> np.ndarray:
    """Rank of each string in sorted order (for sorting rows like pandas does by strings)."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    rank = np.empty(len(names), np.int64)
    rank[order] = np.arange(len(names))
    return rank


def _write_csv(path: Path, columns: list[str], table: dict) -> None:
    cols = []
    for name in columns:
        col = table[name]
        if isinstance(col, np.ndarray) and col.dtype.kind == "f":
            col = np.where(np.isnan(col), None, col).tolist()  # NaN → empty field
        elif isinstance(col, np.ndarray):
            col = col.tolist()
        cols.append(col)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(zip(*cols, strict=True))


def _highs_version() -> str:
    h = highspy.Highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


def write_direct(
    lp: DirectLP, sol: DirectSolution, tables: DirectTables, folder: Path, coalition: str
) -> None:
    """summary.json, countries.csv, procurement.csv and capabilities.csv into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    inst = lp.instance
    summary = {
        "status": sol.status,
        "objective": sol.objective,
        "total_pain": tables.total_pain,
        "shortfall_cost": tables.shortfall_cost,
        "member_cost": 0.0,
        "coalition": coalition,
        "members": list(lp.members),
        "pain_by_member": tables.pain_by_member,
        "solver": {"name": "highs", "version": _highs_version(), "seconds": sol.seconds},
        "instance": {"name": inst.name, "sha256": inst.sha256},
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _write_csv(folder / "countries.csv", COUNTRY_COLUMNS, tables.countries)
    _write_csv(folder / "procurement.csv", PROCUREMENT_COLUMNS, tables.procurement)
    _write_csv(folder / "capabilities.csv", CAPABILITY_COLUMNS, tables.capabilities)


# --------------------------------------------------------------------------------------------
# Re-solves by bound changes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectVariant:
    """The numbers of one solved variant (as `optimizer.pipeline.variants.VariantValue`)."""

    members: tuple[str, ...]
    status: str
    objective: float | None
    total_pain: float | None
    pain_by_member: dict[str, float]


class DirectVariants:
    """Sub-coalitions of `pool` re-solved by bound changes on one HiGHS object, warm started.

    Same bound changes as `optimizer.pipeline.variants.CoalitionSolver`: an outsider's inc columns at 0
    (the funding balance and the spending identity zero the rest of it) and its floor rows
    relaxed; while a member shuts a unanimity facility, every com column at 0.
    """

    def __init__(
        self,
        instance: Instance,
        derived: Derived,
        pool,
        *,
        algorithm: str = "auto",
        warm: bool = True,
    ):
        if instance.burden_share_min_pct > 0:
            raise ValueError("burden_share_min_pct > 0: the shares depend on the members")
        self.instance = instance
        self.pool = instance.in_country_order(list(pool))
        self.lp = build_direct_lp(instance, derived, self.pool, variants=True)
        self.h = pass_direct(self.lp, algorithm)
        self.warm = warm
        self._pos = {c: i for i, c in enumerate(self.pool)}
        self._in = np.ones(len(self.pool), bool)
        self._open = True
        self._floor_lower = self.lp.row_lower[self.lp.floor_rows]
        facility = instance.common_debt
        self._unanimity = facility is not None and facility.requires_unanimity
        self._com = self.lp.com_cols.ravel().astype(np.int32)

    def _set_members(self, inside: np.ndarray) -> None:
        lp, h, nt = self.lp, self.h, len(self.lp.years)
        changed = np.flatnonzero(inside != self._in)
        if len(changed):
            cols = lp.inc_cols[changed].ravel().astype(np.int32)
            upper = np.repeat(np.where(inside[changed], INF, 0.0), nt)
            h.changeColsBounds(len(cols), cols, np.zeros(len(cols)), upper)
            sel = np.isin(lp.floor_member, changed)
            if sel.any():
                rows = lp.floor_rows[sel]
                lower = np.where(inside[lp.floor_member[sel]], self._floor_lower[sel], -INF)
                h.changeRowsBounds(len(rows), rows, lower, np.full(len(rows), INF))
            self._in = inside
        shut = bool(self._unanimity and inside[lp.closers].any()) if len(lp.closers) else False
        if shut == self._open and len(self._com):
            n = len(self._com)
            h.changeColsBounds(n, self._com, np.zeros(n), np.full(n, 0.0 if shut else INF))
        self._open = not shut

    def solve(self, members) -> DirectVariant:
        """Solve one sub-coalition of the pool."""
        members = self.instance.in_country_order(list(members))
        inside = np.zeros(len(self.pool), bool)
        inside[[self._pos[c] for c in members]] = True
        self._set_members(inside)
        if not self.warm:
            self.h.clearSolver()
        status = _run(self.h)
        if status != "optimal":
            return DirectVariant(members, status, None, None, {})
        x = np.asarray(self.h.getSolution().col_value)
        pains = member_pains(self.lp, x)
        by_member = {c: float(pains[self._pos[c]]) for c in members}
        return DirectVariant(
            members=members,
            status="optimal",
            objective=float(self.lp.cost @ x),
            total_pain=sum(by_member.values()),
            pain_by_member=by_member,
        )


def neighbour_walk(pool, count: int, seed: int = 0, min_size: int | None = None) -> list:
    """`count` coalitions: the whole pool, then one member dropped or added at a time.

    Deterministic for a seed: each step picks a pool country at random and toggles it, except
    that the coalition never shrinks below `min_size` (default: half the pool, at least 2); then
    an outsider is added instead. Each coalition is a tuple in pool order.
    """
    import random

    pool = tuple(pool)
    rng = random.Random(seed)
    floor = max(2, len(pool) // 2) if min_size is None else min_size
    current = set(pool)
    walk = [pool]
    while len(walk) < count:
        c = rng.choice(pool)
        if c not in current:
            current.add(c)
        elif len(current) > floor:
            current.remove(c)
        else:
            outside = [x for x in pool if x not in current]
            if not outside:
                continue
            current.add(rng.choice(outside))
        walk.append(tuple(x for x in pool if x in current))
    return walk


# --------------------------------------------------------------------------------------------
# Command line: the whole process, as `burden solve` does it
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Load, derive, build, pass, solve, extract, write; print one line; exit 0 when optimal."""
    import argparse

    from optimizer.derive import derive
    from optimizer.instance import load_instance

    parser = argparse.ArgumentParser(description="The direct-highspy route (speed limit).")
    parser.add_argument("instance", type=Path)
    parser.add_argument("--coalition", default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--algorithm", default="auto", choices=["auto", "choose", "simplex", "ipm"])
    args = parser.parse_args(argv)
    instance = load_instance(args.instance)
    coalition = args.coalition or instance.default_coalition
    if instance.objective != "total_pain":
        parser.error("the direct route covers objective: total_pain only")
    derived = derive(instance)
    lp = build_direct_lp(instance, derived, instance.coalitions[coalition])
    sol = solve_direct(lp, algorithm=args.algorithm)
    out = args.out or Path("burden-results") / f"{instance.name}-{coalition}-direct"
    if sol.status == "optimal":
        tables = extract_direct(lp, sol)
        write_direct(lp, sol, tables, out, coalition)
        print(f"{sol.status} objective {sol.objective:.10g}  results: {out}")
        return 0
    print(f"{sol.status} {sol.message}")
    return 3


if __name__ == "__main__":
    # as `burden` does (optimizer/process.py): the comparison is like for like, teardown skipped
    exit_now(main())
