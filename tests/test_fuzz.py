"""Property-based fuzzing of instance documents through `burden solve`: never a traceback.

Hypothesis draws small instances that use every section of the format, then (often) breaks them:
a field deleted, a value replaced by NaN, infinity, a huge or tiny number, text, a list, an id
that YAML misreads; or the YAML text itself mangled (a line dropped or doubled, a stray `:`, `[`,
tab or alias). Each document goes through the real entry point:

- invalid: exit 2, every issue line naming the file and a field path;
- valid: solved to a status of the spec (exit 0 optimal, 3 infeasible or unbounded, 4 a limit),
  its result folder written and verified against every constraint (`burden verify`);
- never a traceback, and never exit 1 (an unexpected error) unless on numbers the planner was
  warned about: HiGHS gave up (a unit cost of 1e12 times a cost factor of 1e12), or the
  verification of the files failed (at a unit cost of 1e12, 1e-11 units cost 10 bn, but the spec
  lists only purchases of more than 1e-9 units).

The default run draws a few dozen documents; `-m slow` runs 10,000.
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_bad_corpus import ISSUE, run_burden

IDS = ["AAA", "BBB", "CCC", "NOR", "[/b]", "dé", "2026", "a b"]
ORIGINS = ["us", "eu", "domestic"]
WEIRD = [
    None, math.nan, math.inf, -math.inf, -1, 0, -0.0, 1e300, 1e-300, 1e120, 1e12, 1e-12, 2026.5,
    10**30, "text", "1.5", "NO", "", True, False, [], {}, [1, 2], {"2026": 1}, {2026: -1},
    [[None, 1.0]], "*", "[/red]",
]  # fmt: skip
TEXT_NOISE = [":", "[", "{", "]", "- ", "\t", "&a ", "*a ", "!!python/none ", "'", '"', "#", "~"]

STATUS_EXIT = {"optimal": 0, "infeasible": 3, "unbounded": 3, "time_limit": 4}


def num(lo: float, hi: float):
    """Plain numbers as a planner writes them (4 decimals: no 1e-309 from hypothesis)."""
    return st.floats(lo, hi).map(lambda x: round(x, 4))


def _curve(draw, bounded_last: bool = False) -> list:
    n = draw(st.integers(1, 3))
    weights = sorted(draw(st.lists(num(0, 5), min_size=n, max_size=n)))
    widths = [draw(num(0.1, 3)) for _ in range(n)]
    if not bounded_last and draw(st.booleans()):
        widths[-1] = None
    return [[w, g] for w, g in zip(widths, weights, strict=True)]


@st.composite
def instances(draw) -> dict:
    """A small valid instance: every section of MODEL.md may appear."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=4, unique=True))
    first = draw(st.integers(2025, 2030))
    last = first + draw(st.integers(0, 3))
    years = list(range(first, last + 1))
    countries = {}
    for cid in ids:
        c: dict = {
            "gdp": draw(num(1, 5000)),
            "defence_pct_gdp": draw(num(0.5, 3)),
            "ramp_limit_pct_gdp": draw(num(0.2, 3)),  # a finite bound for coalition choice
        }
        if draw(st.booleans()):
            c.update(debt_pct_gdp=draw(num(0, 150)), deficit_pct_gdp=draw(num(-2, 5)),
                     debt_ceiling_pct_gdp=draw(num(0, 200)))  # fmt: skip
        if draw(st.booleans()):
            c.update(social_pct_gdp=draw(num(5, 30)),
                     social_cut_limit_pct=draw(num(0, 10)))  # fmt: skip
        for name, lo, hi in [("tax_limit_pct_gdp", 0, 3), ("borrowing_limit_pct_gdp", 0, 3),
                             ("gdp_growth_pct", -5, 8), ("reliability", 0.3, 1),
                             ("cost_factor", 0.5, 2)]:  # fmt: skip
            if draw(st.booleans()):
                c[name] = draw(num(lo, hi)) or hi
        if draw(st.booleans()):
            c["accepts_common_debt"] = draw(st.booleans())
        if draw(st.integers(0, 3)) == 0:
            c["floor_pct_gdp"] = {draw(st.sampled_from(years)): draw(num(1, 4))}
        if draw(st.booleans()):
            c["tags"] = draw(st.lists(st.sampled_from(["eu", "north", "[x]"]), max_size=2))
        if draw(st.integers(0, 3)) == 0:
            c["pain"] = {"social": _curve(draw)} if draw(st.integers(0, 3)) else None
        countries[cid] = c
    areas = {}
    for k in draw(st.lists(st.sampled_from(["air", "land", "ammo"]), min_size=1, max_size=2,
                           unique=True)):  # fmt: skip
        area: dict = {
            "lead_time": draw(st.integers(0, 2)),
            "targets": {t: draw(num(0, 30)) for t in draw(
                st.lists(st.sampled_from(years), max_size=2, unique=True))},
            "national": [{"origin": o, "unit_cost": draw(num(0.1, 5))}
                         for o in draw(st.lists(st.sampled_from(ORIGINS), max_size=2, unique=True))],
        }  # fmt: skip
        if draw(st.integers(0, 2)):
            area["shortfall_penalty"] = draw(num(0, 100))
        areas[k] = area
    doc: dict = {
        "name": draw(st.sampled_from(["fuzz", "[/bold]", "ü n i", "2026"])),
        "years": [first, last],
        "objective": draw(st.sampled_from(["total_pain", "max_pain"])),
        "discount_rate_pct": draw(num(0, 10)),
        "defaults": {"pain": {"tax": _curve(draw), "debt": _curve(draw)}},
        "countries": countries,
        "capabilities": areas,
        "coalitions": {"all": "*"},
    }
    if draw(st.booleans()):
        doc["spending_floor_pct_gdp"] = draw(st.one_of(num(0, 4), st.just({first: 1.5, last: 3.0})))
    if draw(st.booleans()):
        doc["origin_min_share_pct"] = {draw(st.sampled_from(ORIGINS)): draw(num(0, 60))}
    if draw(st.booleans()):
        doc["joint_programmes"] = {
            "shield": {
                "capability": draw(st.sampled_from(sorted(areas))),
                "origin": draw(st.sampled_from(ORIGINS)),
                "unit_cost": draw(num(0.1, 5)),
                "lead_time": draw(st.integers(0, 2)),
                "capacity_per_year": draw(num(0, 20)),
                "eligible": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)),
            }
        }
    if draw(st.booleans()):
        cd: dict = {"cap": draw(num(0, 100)), "pain_weight": draw(num(0, 3)),
                    "national_debt_share": draw(num(0, 1)),
                    "requires_unanimity": draw(st.booleans())}  # fmt: skip
        if draw(st.booleans()):
            cd["min_eu_content_pct"] = draw(num(1, 100))
        if draw(st.booleans()):
            cd["cap_per_year"] = draw(num(0, 50))
        doc["common_debt"] = cd
    if len(ids) > 1:
        doc["coalitions"]["some"] = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        doc["coalitions"]["but"] = {"all_except": [ids[0]]}
    if draw(st.booleans()):
        doc["burden_share_min_pct"] = draw(num(0, 50))
    elif draw(st.booleans()):
        doc["coalition_choice"] = {
            "candidates": "*",
            "required": draw(st.lists(st.sampled_from(ids), max_size=1)),
            "member_cost": draw(num(0, 2)),
            "min_members": draw(st.integers(0, len(ids))),
        }
    return doc


def _paths(node, prefix=()):
    """Every location in a document (mapping keys and list positions)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


@st.composite
def documents(draw) -> str:
    """YAML text: a valid instance, or one broken at the document or at the text level."""
    doc = draw(instances())
    kind = draw(st.sampled_from(["valid", "valid", "value", "value", "delete", "key", "text"]))
    if kind in ("value", "delete", "key"):
        for _ in range(draw(st.integers(1, 3))):
            paths = [p for p in _paths(doc) if p]
            if not paths:
                break
            path = draw(st.sampled_from(paths))
            parent = doc
            for part in path[:-1]:
                parent = parent[part]
            if kind == "delete":
                del parent[path[-1]]
            elif kind == "key" and isinstance(parent, dict):
                parent[draw(st.sampled_from(["gdp_growht", "NO", 2026, "", "members", "x"]))] = (
                    parent.pop(path[-1])
                )
            else:
                parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(WEIRD)))  # not shared
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    if kind == "text":
        lines = text.splitlines(keepends=True)
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            action = draw(st.sampled_from(["drop", "double", "noise", "truncate"]))
            if not lines:
                break
            if action == "drop":
                lines.pop(i)
            elif action == "double":
                lines.insert(i, lines[i])
            elif action == "truncate":
                lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            else:
                j = draw(st.integers(0, len(lines[i])))
                lines[i] = lines[i][:j] + draw(st.sampled_from(TEXT_NOISE)) + lines[i][j:]
        text = "".join(lines)
    return text


def check_document(text: str) -> str:
    """Solve one document through the CLI and check the outcome; returns `invalid` or a status."""
    with tempfile.TemporaryDirectory(prefix="burden-fuzz-") as tmp:
        path, out = Path(tmp) / "doc.yaml", Path(tmp) / "out"
        path.write_text(text, encoding="utf-8")
        code, output = run_burden(
            "solve", str(path), "--out", str(out), "--time-limit", "20", "--no-report"
        )
        context = f"exit {code}\n--- document\n{text}\n--- output\n{output}"
        assert "Traceback" not in output, context
        if code == 1:  # only on numbers the planner was warned about: HiGHS gave up, or the
            # files cannot show the plan (a purchase of 1e-11 units at 1e12 each is not listed)
            summary = json.loads((out / "summary.json").read_text())
            assert "absurd magnitude" in output, context
            assert summary["status"] == "error" or "verification FAILED" in output, context
            return "exit 1 (warned)"
        assert code in (0, 2, 3, 4), context
        if code == 2:
            assert ISSUE.search(output), context
            assert not out.exists(), context
            return "invalid"
        summary = json.loads((out / "summary.json").read_text())
        assert STATUS_EXIT[summary["status"]] == code, context
        assert "verified: all" in output, context
        assert (out / "manifest.json").is_file(), context
        assert not [p for p in Path(tmp).iterdir() if p.name.startswith(".")], context
        return summary["status"]


FAST = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(documents())
def test_fuzzed_documents_never_trace(text: str) -> None:
    check_document(text)


@settings(FAST, max_examples=12)
@given(instances())
def test_unbroken_documents_are_valid_and_solved(doc: dict) -> None:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    assert check_document(text) != "invalid"


OUTCOMES: dict[str, int] = {}


@pytest.mark.slow
@settings(
    max_examples=10_000,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # report a failure as found: shrinking takes hours
)
@given(documents())
def test_ten_thousand_fuzzed_documents(text: str) -> None:
    outcome = check_document(text)
    OUTCOMES[outcome] = OUTCOMES.get(outcome, 0) + 1
    if sum(OUTCOMES.values()) % 1000 == 0:
        print(f"fuzz: {sum(OUTCOMES.values())} documents: {OUTCOMES}", flush=True)
