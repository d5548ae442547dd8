"""Check a result folder against its instance: every constraint of MODEL.md, from the files alone.

`burden verify RESULT_DIR` (and every `burden solve`, after writing) reads summary.json,
countries.csv, procurement.csv and capabilities.csv back and re-checks the plan in them against
the instance, one function per constraint family, named and numbered as the spec does. Nothing
here reuses the model, the derived data or the extraction code: GDP paths, baselines, debt room,
floors and discount factors are recomputed from the instance's own numbers, so a slip in any of
those is caught rather than repeated.

The files carry totals, not every variable (a source's money, not its pain segments), so the
pain-segment family checks what totals can show: the money fits the curve's widths and the year's
pain lies between the cheapest and the dearest filling of the segments.

Tolerance: a constraint holds when it is violated by at most `ABS_TOL + REL_TOL · scale`, with
`scale` the largest magnitude in the comparison (HiGHS's feasibility tolerance is 1e-7 on its
scaled model; CSV numbers are written in full precision).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optimizer.families import FAMILIES
from optimizer.instance import Instance, InstanceError, load_instance

ABS_TOL = 1e-6
REL_TOL = 1e-6
SOURCES = ("tax", "social", "debt")
SOURCE_COLUMN = {"tax": "tax", "social": "social_cut", "debt": "national_debt"}
NONNEGATIVE = ("increase", "other", "tax", "social_cut", "national_debt", "common_debt")


class VerifyError(Exception):
    """The folder cannot be checked at all (files missing or unreadable, no instance)."""


@dataclass
class Violation:
    """One constraint that the plan breaks."""

    family: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.family} [{self.where}]: {self.message}"


@dataclass
class VerifyReport:
    """What was checked and what failed."""

    folder: Path
    checks: int = 0
    by_family: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary_line(self) -> str:
        if self.ok:
            return f"verified: all {self.checks} checks passed in {len(self.by_family)} families"
        return f"verification FAILED: {len(self.violations)} of {self.checks} checks violated"


# -- reading the folder ---------------------------------------------------------------------------
def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise VerifyError(f"{path.name} is missing")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise VerifyError(
            f"{path.name} is not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    except (OSError, csv.Error) as exc:
        raise VerifyError(f"{path.name} cannot be read as CSV: {exc}") from None
    for i, row in enumerate(rows, start=2):
        if None in row or None in row.values():  # more or fewer cells than the header
            raise VerifyError(f"{path.name} line {i}: not as many cells as the header has")
    return rows


#: summary.json's keys the checks read, with the JSON types each may have (None: null).
SUMMARY_SHAPE: dict[str, tuple[type, ...]] = {
    "status": (str,),
    "coalition": (str, type(None)),
    "members": (list,),
    "objective": (int, float, type(None)),
    "total_pain": (int, float, type(None)),
    "shortfall_cost": (int, float, type(None)),
    "member_cost": (int, float, type(None)),
    "instance": (dict,),
    "solver": (dict,),
    "best_found": (dict, type(None)),
    "infeasibility": (dict, type(None)),
    "pain_by_member": (dict, type(None)),
    "base_year_gdp": (dict, type(None)),
}
_JSON_TYPE = {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number",
              bool: "true/false", type(None): "null"}  # fmt: skip


def check_summary_shape(summary: Any) -> None:
    """Raise `VerifyError` naming the first key of summary.json whose value has a wrong type."""
    if not isinstance(summary, dict):
        raise VerifyError("summary.json is not a JSON object")
    for key, types in SUMMARY_SHAPE.items():
        if key not in summary:
            continue
        value = summary[key]
        if isinstance(value, bool) or not isinstance(value, types):
            wanted = " or ".join(dict.fromkeys(_JSON_TYPE[t] for t in types))
            got = _JSON_TYPE.get(type(value), type(value).__name__)
            raise VerifyError(f"summary.json: `{key}` is {got}, expected {wanted}")
    members = summary.get("members") or []
    if not all(isinstance(c, str) for c in members):
        raise VerifyError("summary.json: `members` must be a list of country ids (text)")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """manifest.json of `folder` (None when there is none), its shape checked.

    Raises:
        VerifyError: it is not JSON, not an object, or `files` is not `{file: sha256}`.
    """
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise VerifyError(f"manifest.json is not UTF-8 text (byte {exc.start})") from None
    except ValueError as exc:
        raise VerifyError(f"manifest.json is not valid JSON: {exc}") from None
    except OSError as exc:
        raise VerifyError(f"manifest.json cannot be read: {exc.strerror}") from None
    if not isinstance(manifest, dict):
        raise VerifyError("manifest.json is not a JSON object")
    files = manifest.get("files")
    if not isinstance(files, dict):
        got = _JSON_TYPE.get(type(files), type(files).__name__)
        raise VerifyError(f"manifest.json: `files` is {got}, expected an object {{file: sha256}}")
    bad = [k for k, v in files.items() if not isinstance(v, str)]
    if bad:
        raise VerifyError(f"manifest.json: `files`.{bad[0]} is not a sha256 (text)")
    for name in files:  # a listed path must stay inside the folder
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts:
            raise VerifyError(f"manifest.json: `files` names {name!r}, outside the folder")
    return manifest


def _num(text: str | None) -> float | None:
    """A CSV cell as a number; empty means not given."""
    if text is None or text == "":
        return None
    return float(text)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def instance_of(folder: Path, instance_file: Path | None = None) -> tuple[Instance, str]:
    """The instance a result folder was solved from, and where it was found.

    `instance_file` if given; else the folder's `instance.yaml` (the resolved document, overrides
    applied, written with the result); else the file named in summary.json.
    """
    candidates = []
    if instance_file is not None:
        candidates.append(Path(instance_file))
    else:
        candidates.append(folder / "instance.yaml")
        try:
            named = json.loads((folder / "summary.json").read_text())["instance"].get("file")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            named = None
        if named:
            candidates.append(Path(named))
    for path in candidates:
        if path.is_file():
            try:
                return load_instance(path), str(path)
            except InstanceError as exc:
                raise VerifyError(f"the instance is invalid:\n{exc.render()}") from None
    raise VerifyError(
        "no instance to check against: pass --instance PATH "
        f"(looked for {', '.join(str(p) for p in candidates)})"
    )


def verify_folder(
    folder: Path | str,
    instance: Instance | None = None,
    instance_file: Path | None = None,
    *,
    require_manifest: bool = False,
    resolve_no_plan: bool = False,
) -> VerifyReport:
    """Check every constraint of MODEL.md on the result files of `folder`.

    `instance`: the resolved instance the folder was solved from (as `burden solve` has it);
    else it is loaded from `instance_file`, the folder's instance.yaml or summary.json's file.
    `require_manifest` (`burden verify`): a folder without manifest.json fails, since nothing
    then shows that its files are the ones the solve wrote. `resolve_no_plan` (`burden
    verify`): a result saying `infeasible` is solved again, to see that no plan exists.

    Raises:
        VerifyError: the folder lacks a result file, a file is unreadable or of the wrong shape
            (with the file and what is wrong), or no instance can be found.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise VerifyError(f"{folder} is not a folder")
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise VerifyError(f"summary.json is not UTF-8 text (byte {exc.start})") from None
    except OSError:
        raise VerifyError("summary.json is missing") from None
    except ValueError as exc:
        raise VerifyError(f"summary.json is not valid JSON: {exc}") from None
    check_summary_shape(summary)
    manifest = read_manifest(folder)
    countries = _read_csv(folder / "countries.csv")
    procurement = _read_csv(folder / "procurement.csv")
    capabilities = _read_csv(folder / "capabilities.csv")
    # v2 files: present when the instance has facilities / an alliance
    optional = {
        name: _read_csv(folder / f"{name}.csv") if (folder / f"{name}.csv").is_file() else []
        for name in ("facilities", "capability_shares")
    }
    source = "the solve"
    if instance is None:
        instance, source = instance_of(folder, instance_file)
    report = VerifyReport(folder)
    checker = _Checker(instance, summary, countries, procurement, capabilities, report)
    checker.draw_rows = optional["facilities"]
    checker.share_rows = optional["capability_shares"]
    try:
        checker.files(folder, instance_file, manifest, require_manifest)
        checker.run()
        if resolve_no_plan and summary.get("status") == "infeasible":
            checker.confirm_infeasible()
    except VerifyError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # a value of the right JSON type but unusable (a number cell holding text, ...)
        raise VerifyError(
            f"the result files hold a value that cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    report.notes.insert(0, f"instance: {source}")
    return report


# -- the checks -----------------------------------------------------------------------------------
class _Checker:
    """One pass over a result: each method checks one constraint family of MODEL.md."""

    def __init__(self, instance, summary, countries, procurement, capabilities, report):
        self.inst: Instance = instance
        self.summary: dict = summary
        self.rows = countries
        self.procurement = procurement
        self.capabilities = capabilities
        self.report: VerifyReport = report
        self.draw_rows: list[dict[str, str]] = []
        self.share_rows: list[dict[str, str]] = []
        self.years = list(range(instance.first_year, instance.last_year + 1))
        self.base = instance.first_year - 1

    # -- recording ----------------------------------------------------------------------------
    def _record(self, family: str, where: str, ok: bool, message: str) -> None:
        self.report.checks += 1
        self.report.by_family[family] += 1
        if not ok:
            self.report.violations.append(Violation(family, where, message))

    @staticmethod
    def _slack(*values: float) -> float:
        return ABS_TOL + REL_TOL * max([1.0, *(abs(v) for v in values)])

    def leq(self, family: str, where: str, lhs: float, rhs: float, what: str) -> None:
        """Record `lhs ≤ rhs` (within tolerance)."""
        ok = lhs <= rhs + self._slack(lhs, rhs)
        self._record(family, where, ok, f"{what}: {lhs:.10g} > {rhs:.10g} (by {lhs - rhs:.3g})")

    def geq(self, family: str, where: str, lhs: float, rhs: float, what: str) -> None:
        """Record `lhs ≥ rhs` (within tolerance)."""
        ok = lhs >= rhs - self._slack(lhs, rhs)
        self._record(family, where, ok, f"{what}: {lhs:.10g} < {rhs:.10g} (by {rhs - lhs:.3g})")

    def eq(self, family: str, where: str, lhs: float, rhs: float, what: str, *scale) -> None:
        """Record `lhs = rhs` (within tolerance, relative to `scale` too)."""
        ok = abs(lhs - rhs) <= self._slack(lhs, rhs, *scale)
        self._record(family, where, ok, f"{what}: {lhs:.10g} ≠ {rhs:.10g} (by {lhs - rhs:.3g})")

    def that(self, family: str, where: str, ok: bool, message: str) -> None:
        """Record a yes/no rule."""
        self._record(family, where, ok, message)

    # -- derived data, recomputed -----------------------------------------------------------
    def gdp(self, c: str, t: int) -> float:
        """GDP_{c,t} = gdp_c · (1 + growth/100)^(t − b)."""
        country = self.inst.countries[c]
        return country.gdp * (1 + country.gdp_growth_pct / 100) ** (t - self.base)

    def discount(self, t: int) -> float:
        """d_t = (1 + r/100)^−(t − first)."""
        return (1 + self.inst.discount_rate_pct / 100) ** -(t - self.inst.first_year)

    def debt_room(self, c: str, t: int) -> float | None:
        """R_{c,t} = max(0, ceiling/100 · GDP_{c,t} − BD_{c,t}); None without a ceiling."""
        country = self.inst.countries[c]
        ceiling = self.path_at(country.debt_ceiling_pct_gdp, t)
        if ceiling is None:
            return None
        baseline_debt = country.debt_pct_gdp / 100 * self.gdp(c, self.base) + sum(
            country.deficit_pct_gdp / 100 * self.gdp(c, tau) for tau in self.years if tau <= t
        )
        return max(0.0, ceiling / 100 * self.gdp(c, t) - baseline_debt)

    def share(self, c: str) -> float:
        """σ_c in %: `capability_share_pct`, else its share of the alliance's base-year GDP."""
        given = self.inst.countries[c].capability_share_pct
        if given is not None:
            return given
        total = sum(self.gdp(a, self.base) for a in self.inst.alliance or ())
        return 100 * self.gdp(c, self.base) / total

    @staticmethod
    def path_at(path: Any, year: int) -> float | None:
        """A path's value in `year`: interpolated, None before its first year, flat after."""
        if path is None:
            return None
        if not isinstance(path, dict):
            return float(path)
        points = sorted(path.items())
        if not points or year < points[0][0]:
            return None
        value = float(points[0][1])
        for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
            if y0 <= year <= y1:
                return float(v0 + (v1 - v0) * (year - y0) / (y1 - y0))
            value = float(v1)
        return value if year >= points[-1][0] else None

    # -- the run ------------------------------------------------------------------------------
    def files(self, folder: Path, instance_file: Path | None, manifest: dict | None = None,
              require_manifest: bool = False) -> None:  # fmt: skip
        """Result files: unchanged since written (manifest hashes), none added, and of the right
        instance. Without a manifest (and `require_manifest`), nothing vouches for the files."""
        from optimizer.results.paths import unlisted_files

        family = "result files"
        if manifest is None and require_manifest:
            self.that(family, "manifest.json", False,
                      "missing: cannot vouch for this folder (no record of the files the solve "
                      "wrote)")  # fmt: skip
        if manifest is not None:
            for name, digest in manifest["files"].items():
                path = folder / name
                ok = path.is_file() and _sha256(path) == digest
                self.that(family, name, ok, "changed or missing since the solve wrote it")
            for name in unlisted_files(folder):
                self.that(family, name, False, "not in the manifest: added after the solve")
        recorded = (self.summary.get("instance") or {}).get("sha256")
        if instance_file is not None and recorded:
            ok = _sha256(Path(instance_file)) == recorded
            self.that(family, str(instance_file), ok, "not the file this result was solved from")
        name = (self.summary.get("instance") or {}).get("name")
        self.that(family, "summary.json", name == self.inst.name,
                  f"instance name {name!r} ≠ {self.inst.name!r}")  # fmt: skip

    def run(self) -> None:
        status = self.summary.get("status")
        self.that("result files", "summary.json", status in
                  ("optimal", "infeasible", "unbounded", "time_limit", "error"),
                  f"unknown status {status!r}")  # fmt: skip
        self.members = list(self.summary.get("members") or [])
        self.outsiders = [
            c for c in self.summary.get("outsiders") or [] if c in self.inst.countries
        ]
        self.membership()
        if status in ("infeasible", "unbounded", "error"):
            self.no_plan(status)
            return
        if not self.rows and not self.procurement:
            if status == "optimal":
                self.that("result files", "countries.csv", not self.members,
                          "an optimal result without rows for its members")  # fmt: skip
            else:
                self.report.notes.append(f"status {status}: no plan to check")
                return
        if status != "optimal":
            self.report.notes.append(f"status {status}: checking the best plan found")
        self.index_rows()
        self.nonnegativity()
        self.spending_identity()
        self.funding_balance()
        self.pain_segments()
        self.tax_limit()
        self.social_floor()
        self.debt_room_and_borrowing()
        self.spending_floor()
        self.ramp_limit()
        self.capability_targets()
        self.outsider_targets()
        self.programme_capacity()
        self.supply_limits()
        self.common_debt_facility()
        self.origin_shares()
        self.burden_share()
        if status == "optimal":
            self.objective()

    def no_plan(self, status: str) -> None:
        """A result without a plan: no plan in its files, no objective, and (infeasible) the
        diagnosis that every infeasible solve writes (summary's `infeasibility`, its message)."""
        family = "result files"
        self.report.notes.append(f"status {status}: no plan to check; checking the files agree")
        self.that(family, "countries.csv", not self.rows, f"status {status} but a plan's rows")
        self.that(family, "procurement.csv", not self.procurement,
                  f"status {status} but purchases")  # fmt: skip
        for key in ("objective", "total_pain"):
            self.that(family, "summary.json", self.summary.get(key) is None,
                      f"status {status} but {key} {self.summary.get(key)!r}")  # fmt: skip
        self.that(family, "summary.json", bool(self.summary.get("message")),
                  f"status {status} without a message saying why")  # fmt: skip
        if status == "infeasible":
            self.that(family, "summary.json", isinstance(self.summary.get("infeasibility"), dict),
                      "status infeasible without the diagnosis (`infeasibility`)")  # fmt: skip

    def confirm_infeasible(self) -> None:
        """Solve the coalition again (the model, not the diagnosis): an `infeasible` result whose
        instance has a plan is not the instance's result. The files alone cannot show this."""
        from optimizer.derive import derive
        from optimizer.model import build_model
        from optimizer.options import SolveOptions
        from optimizer.solver.highs import solve_model

        inst, name = self.inst, self.summary.get("coalition")
        if name == "chosen" and inst.choice is not None:
            pool = tuple(c for c in inst.choice.candidates if c not in set(inst.choice.forbidden))
            model = build_model(inst, derive(inst), pool, choice=True)
        elif name in inst.coalitions:
            model = build_model(inst, derive(inst), inst.coalitions[name])
        else:
            self.report.notes.append(f"coalition {name!r} unknown: infeasibility not re-checked")
            return
        outcome = solve_model(model, inst.objective, SolveOptions(), consume=True)
        self.that("result files", "summary.json", outcome.status != "optimal",
                  "status infeasible, but solved again the instance has a plan")  # fmt: skip
        self.report.notes.append(f"solved again: {outcome.status}")

    # -- who is in ----------------------------------------------------------------------------
    def membership(self) -> None:
        """Sets: S is the coalition named (or a valid choice); members in country order."""
        family = "members (S)"
        inst, members = self.inst, self.members
        unknown = [c for c in members if c not in inst.countries]
        self.that(family, "summary.json", not unknown, f"unknown countries {unknown}")
        self.members = [c for c in members if c in inst.countries]
        order = [c for c in inst.countries if c in set(self.members)]
        self.that(family, "summary.json", order == self.members, "not in the instance's order")
        # A = the alliance (v2), O = A \ S: every acting country has rows
        if inst.alliance is not None:
            expected = [c for c in inst.alliance if c not in set(self.members)]
            self.that("members (S)", "summary.json", self.outsiders == expected,
                      f"outsiders {self.outsiders} ≠ alliance minus members {expected}")  # fmt: skip
            self.that("members (S)", "summary.json", set(self.members) <= set(inst.alliance),
                      "a member outside the alliance")  # fmt: skip
        else:
            self.that("members (S)", "summary.json", not self.outsiders,
                      "outsiders without an alliance")  # fmt: skip
        member_set = set(self.members)
        self.acting = [c for c in inst.countries if c in member_set or c in set(self.outsiders)]
        name = self.summary.get("coalition")
        if name in inst.coalitions:
            expected = list(inst.coalitions[name])
            self.that(family, name, self.members == expected,
                      f"members {self.members} ≠ coalition {name!r} {expected}")  # fmt: skip
        elif (
            name == "chosen"
            and inst.choice is not None
            and self.summary.get("status")
            in (
                "optimal",
                "time_limit",
            )
        ):
            choice = inst.choice
            chosen = set(self.members)
            if chosen or self.rows:
                outside = chosen - set(choice.candidates)
                self.that(family, "chosen", not outside, f"not candidates: {sorted(outside)}")
                banned = chosen & set(choice.forbidden)
                self.that(family, "chosen", not banned, f"forbidden members: {sorted(banned)}")
                missing = set(choice.required) - chosen
                self.that(family, "chosen", not missing, f"required but out: {sorted(missing)}")
                self.that(family, "chosen", len(chosen) >= choice.min_members,
                          f"{len(chosen)} members < min_members {choice.min_members}")  # fmt: skip
        else:
            self.report.notes.append(f"coalition {name!r} is not named in the instance")

    def index_rows(self) -> None:
        """One countries.csv row per member and year; procurement rows of members only."""
        family = "result files"
        self.row: dict[tuple[str, int], dict[str, float | None]] = {}
        for raw in self.rows:
            c, t = raw.get("country", ""), int(float(raw.get("year") or 0))
            self.that(family, f"countries.csv {c} {t}", c in self.acting and t in self.years,
                      "a row for a country that does not act or a year outside the horizon")  # fmt: skip
            self.that(family, f"countries.csv {c} {t}", (c, t) not in self.row, "repeated row")
            if "member" in raw:
                self.that(family, f"countries.csv {c} {t}",
                          raw["member"].lower() == str(c in self.members).lower(),
                          f"member is {raw['member']!r}")  # fmt: skip
            values = {k: _num(v) for k, v in raw.items() if k not in ("country", "year", "member")}
            self.row[c, t] = values
        for c in self.acting:
            for t in self.years:
                self.that(family, f"countries.csv {c} {t}", (c, t) in self.row, "missing row")
        self.members_with_rows = [c for c in self.acting if (c, self.years[0]) in self.row]
        # facilities.csv: (h, c, t) → draw
        self.draw: dict[tuple[str, str, int], float] = defaultdict(float)
        for raw in self.draw_rows:
            h, c, t = raw["facility"], raw["country"], int(float(raw["year"]))
            where = f"facilities.csv {h} {c} {t}"
            self.that(family, where, h in self.inst.facilities, f"unknown facility {h!r}")
            self.that(family, where, c in self.members, "a draw by a non-member")
            self.draw[h, c, t] += float(raw["draw"])
        # procurement: money and units by (country, year), by programme, by origin
        self.procure: dict[tuple[str, int], float] = defaultdict(float)
        self.origin_spend: dict[tuple[str, int, str], float] = defaultdict(float)
        self.programme_money: dict[tuple[str, int], float] = defaultdict(float)
        self.units: list[tuple[str, int, str, str, str, float]] = []  # c, t, k, route, source, u
        for raw in self.procurement:
            self.purchase(raw)

    def value(self, c: str, t: int, column: str) -> float:
        row = self.row.get((c, t))
        number = row.get(column) if row else None
        return 0.0 if number is None else number

    def member_years(self):
        for c in self.members_with_rows:
            for t in self.years:
                if (c, t) in self.row:
                    yield c, t

    def purchase(self, raw: dict[str, str]) -> None:
        """Procurement rows: a member's option or eligible programme, priced as the spec says."""
        family = "procurement"
        c, k, route, source = raw["country"], raw["capability"], raw["route"], raw["source"]
        t = int(float(raw["year"]))
        units, spend, origin = float(raw["units"]), float(raw["spend"]), raw["origin"]
        where = f"{c} {t} {k} {route} {source}"
        self.that(family, where, c in self.acting and t in self.years,
                  "bought by a country that does not act or outside the horizon")  # fmt: skip
        self.that(family, where, units > 0 and spend >= 0, "units and spend must be positive")
        if c not in self.inst.countries:
            return
        area = self.inst.capabilities.get(k)
        if route == "national":
            option = next((o for o in area.options if o.id == source), None) if area else None
            self.that(family, where, option is not None, f"no national option {source!r} of {k}")
            if option is None:
                return
            self.that(family, where, origin == option.origin, f"origin {origin} ≠ {option.origin}")
            price = option.unit_cost * self.inst.countries[c].cost_factor
            self.eq(family, where, spend, units * price, "spend = units · unit_cost · cost_factor")
        elif route == "joint":
            programme = self.inst.programmes.get(source)
            ok = programme is not None and programme.capability == k
            self.that(family, where, ok, f"no joint programme {source!r} of {k}")
            if not ok:
                return
            eligible = programme.eligible is None or c in programme.eligible
            self.that(family, where, eligible, f"{c} is not eligible for {source}")
            self.that(family, where, c in self.members, f"outsider {c} pays into {source}")
            self.that(family, where, origin == programme.origin,
                      f"origin {origin} ≠ {programme.origin}")  # fmt: skip
            self.eq(family, where, units, spend / programme.unit_cost, "units = money / unit_cost")
            self.programme_money[source, t] += spend
        else:
            self.that(family, where, False, f"route {route!r} is neither national nor joint")
            return
        self.procure[c, t] += spend
        self.origin_spend[c, t, origin] += spend
        self.units.append((c, t, k, route, source, units))

    def stock(self, c: str, k: str, t: int) -> float:
        """stock_{c,k,t}: units of k paid by c at least its lead time before t."""
        total = 0.0
        for cc, tau, kk, route, source, units in self.units:
            if cc != c or kk != k:
                continue
            if route == "national":
                lead = self.inst.capabilities[k].lead_time
            else:
                lead = self.inst.programmes[source].lead_time
            if tau <= t - lead:
                total += units
        return total

    def draws_of(self, c: str, t: int) -> dict[str, float]:
        """h → com_{c,h,t} (facilities.csv; a result without it: the only facility's column)."""
        if self.draw_rows or len(self.inst.facilities) != 1:
            return {h: self.draw.get((h, c, t), 0.0) for h in self.inst.facilities}
        (h,) = self.inst.facilities
        return {h: self.value(c, t, "common_debt")}

    def interest(self, c: str, t: int) -> float:
        """int_{c,t} = i_c/100 · Σ_{τ<t} bor + Σ_h κ_h · i_h/100 · Σ_{τ<t} com_h."""
        rate = self.inst.countries[c].interest_rate_pct / 100
        total = 0.0
        for tau in self.years:
            if tau >= t:
                break
            total += rate * self.value(c, tau, "national_debt")
            for h, com in self.draws_of(c, tau).items():
                f = self.inst.facilities[h]
                total += f.national_debt_share * f.interest_rate_pct / 100 * com
        return total

    # -- the families of MODEL.md -------------------------------------------------------------
    def nonnegativity(self) -> None:
        """Decision variables: all ≥ 0."""
        for c, t in self.member_years():
            for column in NONNEGATIVE:
                self.geq("variables ≥ 0", f"{c} {t}", self.value(c, t, column), 0.0, column)

    def spending_identity(self) -> None:
        """1. inc = procure + other; spending = baseline + inc (B = defence_pct/100 · GDP)."""
        family = FAMILIES["spending_identity"].heading
        for c, t in self.member_years():
            where, gdp = f"{c} {t}", self.gdp(c, t)
            inc = self.value(c, t, "increase")
            self.eq(family, where, inc, self.procure[c, t] + self.value(c, t, "other"),
                    "increase = procure + other")  # fmt: skip
            self.eq("derived data", where, self.value(c, t, "gdp"), gdp, "gdp")
            baseline = self.inst.countries[c].defence_pct_gdp / 100 * gdp
            self.eq("derived data", where, self.value(c, t, "baseline"), baseline, "baseline")
            self.eq(family, where, self.value(c, t, "spending"), baseline + inc,
                    "spending = baseline + increase")  # fmt: skip
            # 1b. other ≥ cf_c · Σ_k r_k · stock_{c,k,t}
            running = self.inst.countries[c].cost_factor * sum(
                area.running_cost * self.stock(c, k, t)
                for k, area in self.inst.capabilities.items()
                if area.running_cost > 0
            )
            if "running_cost" in self.row[c, t]:
                self.eq(FAMILIES["running_costs"].heading, where, self.value(c, t, "running_cost"), running,
                        "running_cost = cf · Σ r_k · stock")  # fmt: skip
            self.geq(FAMILIES["running_costs"].heading, where, self.value(c, t, "other"), running,
                     "other ≥ running costs")  # fmt: skip

    def funding_balance(self) -> None:
        """2. inc + int = tax + soc + bor + com (com = Σ_h com_h)."""
        family = FAMILIES["funding_balance"].heading
        for c, t in self.member_years():
            raised = sum(self.value(c, t, SOURCE_COLUMN[f]) for f in SOURCES)
            raised += self.value(c, t, "common_debt")
            interest = self.interest(c, t)
            if "interest" in self.row[c, t]:
                self.eq(family, f"{c} {t}", self.value(c, t, "interest"), interest,
                        "interest = i_c · Σ earlier bor + Σ_h κ_h i_h · Σ earlier com_h")  # fmt: skip
            self.eq(family, f"{c} {t}", sum(self.draws_of(c, t).values()),
                    self.value(c, t, "common_debt"), "common_debt = Σ_h draws")  # fmt: skip
            self.eq(family, f"{c} {t}", self.value(c, t, "increase") + interest, raised,
                    "increase + interest = tax + social_cut + national_debt + common_debt")  # fmt: skip

    def pain_segments(self) -> None:
        """3. seg ≤ w_s/100 · GDP; no money from a source without a curve; the year's pain."""
        family = "3. pain segments"
        facilities = self.inst.facilities
        for c, t in self.member_years():
            where, gdp = f"{c} {t}", self.gdp(c, t)
            country = self.inst.countries[c]
            cheapest = dearest = sum(
                facilities[h].pain_weight * com for h, com in self.draws_of(c, t).items()
            )
            for f in SOURCES:
                money = self.value(c, t, SOURCE_COLUMN[f])
                curve = country.pain.get(f)
                if not curve:
                    self.leq(family, where, money, 0.0, f"{f} without a pain curve")
                    continue
                widths = [None if s.width_pct_gdp is None else s.width_pct_gdp / 100 * gdp
                          for s in curve]  # fmt: skip
                if None not in widths:
                    self.leq(family, where, money, sum(widths), f"{f} beyond its curve's widths")
                cheapest += _fill(money, widths, [s.weight for s in curve])
                dearest += _fill(money, widths[::-1], [s.weight for s in curve][::-1])
            pain = self.value(c, t, "pain")
            self.geq(family, where, pain, cheapest, "pain below the cheapest filling")
            self.leq(family, where, pain, dearest, "pain above the dearest filling")

    def tax_limit(self) -> None:
        """4. tax ≤ tax_limit_{c,t}/100 · GDP (a path's value in t)."""
        for c, t in self.member_years():
            limit = self.path_at(self.inst.countries[c].tax_limit_pct_gdp, t)
            if limit is not None:
                self.leq(FAMILIES["tax_limit"].heading, f"{c} {t}", self.value(c, t, "tax"),
                         limit / 100 * self.gdp(c, t), "tax")  # fmt: skip

    def social_floor(self) -> None:
        """5. soc ≤ social_cut_limit_pct/100 · Soc (Soc = social_pct_gdp/100 · GDP)."""
        for c, t in self.member_years():
            country = self.inst.countries[c]
            limit = self.path_at(country.social_cut_limit_pct, t)
            if limit is not None:
                social = country.social_pct_gdp / 100 * self.gdp(c, t)
                self.leq(FAMILIES["social_floor"].heading, f"{c} {t}", self.value(c, t, "social_cut"),
                         limit / 100 * social, "social cut")  # fmt: skip

    def debt_room_and_borrowing(self) -> None:
        """6. Σ_{τ≤t} (bor + κ·com) ≤ R; 7. bor + κ·com ≤ borrowing_limit/100 · GDP."""
        for c in self.members_with_rows:
            country, extra = self.inst.countries[c], 0.0
            for t in self.years:
                where = f"{c} {t}"
                new = self.value(c, t, "national_debt") + sum(
                    self.inst.facilities[h].national_debt_share * com
                    for h, com in self.draws_of(c, t).items()
                )
                extra += new
                self.eq(FAMILIES["debt_room"].heading, where, self.value(c, t, "extra_debt"), extra,
                        "extra_debt = Σ (national_debt + κ · common_debt)")  # fmt: skip
                room = self.debt_room(c, t)
                reported = self.row[c, t].get("debt_room")
                if room is None:
                    self.that("derived data", where, reported is None, "debt_room without ceiling")
                else:
                    self.eq("derived data", where, reported if reported is not None else math.nan,
                            room, "debt_room R")  # fmt: skip
                    self.leq(FAMILIES["debt_room"].heading, where, extra, room, "extra debt")
                limit = self.path_at(country.borrowing_limit_pct_gdp, t)
                if limit is not None:
                    self.leq(FAMILIES["annual_borrowing_limit"].heading, where, new,
                             limit / 100 * self.gdp(c, t), "national_debt + κ · common_debt")  # fmt: skip

    def spending_floor(self) -> None:
        """8. inc ≥ (Fl − defence_pct_gdp)/100 · GDP where the floor path applies."""
        for c, t in self.member_years():
            country = self.inst.countries[c]
            floor = self.path_at(country.floor_pct_gdp, t)
            if floor is not None:
                need = (floor - country.defence_pct_gdp) / 100 * self.gdp(c, t)
                self.geq(FAMILIES["spending_floor"].heading, f"{c} {t}", self.value(c, t, "increase"), need,
                         f"increase for a floor of {floor:g} %")  # fmt: skip

    def ramp_limit(self) -> None:
        """9. inc_t − inc_{t−1} ≤ ramp/100 · GDP_t, with inc_{first−1} = 0."""
        for c in self.members_with_rows:
            ramp = self.inst.countries[c].ramp_limit_pct_gdp
            if ramp is None:
                continue
            previous = 0.0
            for t in self.years:
                inc = self.value(c, t, "increase")
                self.leq(FAMILIES["ramp_limit"].heading, f"{c} {t}", inc - previous,
                         ramp / 100 * self.gdp(c, t), "rise of the increase")  # fmt: skip
                previous = inc

    def capability_targets(self) -> None:
        """10. Σ ρ_c · (units paid by t − L) + short ≥ target; short = 0 for a hard target."""
        family = FAMILIES["capability_targets"].heading
        rows = {}
        for raw in self.capabilities:
            key = (raw["capability"], int(float(raw["year"])))
            self.that("result files", f"capabilities.csv {key[0]} {key[1]}", key not in rows,
                      "repeated row")  # fmt: skip
            rows[key] = raw
        planned = bool(self.rows)
        for k, area in self.inst.capabilities.items():
            for t, target in area.targets.items():
                where = f"{k} {t}"
                raw = rows.get((k, t))
                self.that("result files", f"capabilities.csv {where}", raw is not None,
                          "missing row")  # fmt: skip
                if raw is None or not planned:
                    continue
                delivered = 0.0
                for c, tau, kk, route, source, units in self.units:
                    lead = area.lead_time if route == "national" else None
                    if route == "joint":
                        lead = self.inst.programmes[source].lead_time
                    if kk == k and tau <= t - lead:
                        delivered += self.inst.countries[c].reliability * units
                reported = _num(raw.get("delivered")) or 0.0
                shortfall = _num(raw.get("shortfall")) or 0.0
                self.eq(family, where, reported, delivered, "delivered (from procurement.csv)")
                self.eq("result files", where, _num(raw.get("target")), target, "target")
                self.geq(family, where, shortfall, 0.0, "shortfall")
                if area.shortfall_penalty is None:
                    self.leq(family, where, shortfall, 0.0, "shortfall of a hard target")
                self.geq(family, where, delivered + shortfall, target, "delivered + shortfall")
                marginal = _num(raw.get("marginal_pain"))
                if marginal is not None:
                    self.geq(family, where, marginal, 0.0, "marginal_pain")

    def programme_capacity(self) -> None:
        """11. Σ_c con_{c,j,t} ≤ capacity_per_year_j · u_j."""
        for j, programme in self.inst.programmes.items():
            if programme.capacity_per_year is None:
                continue
            for t in self.years:
                self.leq(FAMILIES["programme_capacity"].heading, f"{j} {t}", self.programme_money[j, t],
                         programme.capacity_per_year * programme.unit_cost, "money paid in")  # fmt: skip

    def outsider_targets(self) -> None:
        """10b. Each outsider alone: ρ_c · stock_{c,k,t} + short_{c,k,t} ≥ σ_c/100 · target."""
        family = FAMILIES["outsider_targets"].heading
        rows = {}
        for raw in self.share_rows:
            key = (raw["country"], raw["capability"], int(float(raw["year"])))
            self.that("result files", f"capability_shares.csv {key}", key[0] in self.outsiders,
                      "a row for a country that is not an outsider")  # fmt: skip
            rows[key] = raw
        if not self.rows:
            return
        for c in self.outsiders:
            country = self.inst.countries[c]
            for k, area in self.inst.capabilities.items():
                for t, target in area.targets.items():
                    where = f"{c} {k} {t}"
                    required = self.share(c) / 100 * target
                    delivered = country.reliability * self.stock(c, k, t)
                    raw = rows.get((c, k, t))
                    self.that("result files", f"capability_shares.csv {where}", raw is not None,
                              "missing row")  # fmt: skip
                    shortfall = (_num(raw.get("shortfall")) or 0.0) if raw else 0.0
                    if raw is not None:
                        self.eq(family, where, _num(raw.get("required")) or 0.0, required,
                                "required = σ_c/100 · target")  # fmt: skip
                        self.eq(family, where, _num(raw.get("delivered")) or 0.0, delivered,
                                "delivered = ρ_c · stock (from procurement.csv)")  # fmt: skip
                    if area.shortfall_penalty is None:
                        self.leq(family, where, shortfall, 0.0, "shortfall of a hard target")
                    self.geq(family, where, delivered + shortfall, required,
                             "delivered + shortfall")  # fmt: skip

    def supply_limits(self) -> None:
        """11b. Σ_{c∈A} buy_{c,k,o,t} ≤ q (options with `capacity_per_year`)."""
        bought: dict[tuple[str, str, int], float] = defaultdict(float)
        for _c, t, k, route, source, units in self.units:
            if route == "national":
                bought[k, source, t] += units
        for k, area in self.inst.capabilities.items():
            for option in area.options:
                if option.capacity_per_year is None:
                    continue
                for t in self.years:
                    self.leq(FAMILIES["supply_limits"].heading, f"{k} {option.id} {t}",
                             bought[k, option.id, t], option.capacity_per_year, "units bought")  # fmt: skip

    def common_debt_facility(self) -> None:
        """12. Per facility: who may draw, unanimity, cap, cap per year, allocations;
        procurement only and the content rule over every facility."""
        family = "12. facilities"
        countries = self.inst.countries
        facilities = self.inst.facilities
        drawing = [(c, t) for c, t in self.member_years()]
        if not facilities:
            for c, t in drawing:
                self.leq(family, f"{c} {t}", self.value(c, t, "common_debt"), 0.0,
                         "a draw without a facility")  # fmt: skip
            return
        members = set(self.members)
        for h, facility in facilities.items():
            shut = facility.requires_unanimity and any(
                facility.eligible_for(c) and not countries[c].accepts_common_debt
                for c in self.members
            )
            total = 0.0
            for c, t in drawing:
                com = self.draws_of(c, t)[h]
                total += com
                may = (
                    c in members
                    and facility.eligible_for(c)
                    and countries[c].accepts_common_debt
                    and not shut
                )
                if not may:
                    reason = (
                        "closed by unanimity" if shut else "not a member, eligible or accepting"
                    )
                    self.leq(family, f"{h} {c} {t}", com, 0.0, f"draw while {reason}")
            self.leq(family, f"{h} total", total, facility.cap, "draws over the horizon")
            if facility.cap_per_year is not None:
                for t in self.years:
                    drawn = sum(self.draws_of(c, tt)[h] for c, tt in drawing if tt == t)
                    self.leq(family, f"{h} {t}", drawn, facility.cap_per_year, "draws in the year")
            if facility.allocations is not None:
                for c in self.members_with_rows:
                    drawn = sum(self.draws_of(c, t)[h] for t in self.years)
                    self.leq(family, f"{h} {c}", drawn, facility.allocations.get(c, 0.0),
                             "draws beyond the allocation")  # fmt: skip
        for c, t in drawing:
            where = f"{c} {t}"
            draws = self.draws_of(c, t)
            self.leq(family, where, sum(draws.values()), self.procure[c, t],
                     "draws beyond procurement")  # fmt: skip
            needed = sum(
                facilities[h].min_eu_content_pct / 100 * com
                for h, com in draws.items()
                if facilities[h].min_eu_content_pct is not None
            )
            self.leq(family, where, needed, self.origin_spend[c, t, "eu"],
                     "Σ_h m_h/100 · draw beyond the EU-content rule")  # fmt: skip

    def origin_shares(self) -> None:
        """13. Σ spend^{origin=g} ≥ share_g/100 · Σ procure."""
        total = sum(self.procure.values())
        for g, share in self.inst.origin_min_share_pct.items():
            spent = sum(v for (c, t, origin), v in self.origin_spend.items() if origin == g)
            self.geq(
                FAMILIES["origin_shares"].heading,
                g,
                spent,
                share / 100 * total,
                f"spending of origin {g}",
            )

    def burden_share(self) -> None:
        """14. Σ_t inc_c ≥ φ/100 · GDP_{c,b}/Σ GDP_b · Σ inc."""
        phi = self.inst.burden_share_min_pct
        members = self.members_with_rows
        if phi <= 0 or not members:
            return
        base_gdp = {c: self.gdp(c, self.base) for c in members}
        total_gdp = sum(base_gdp.values())
        increase = {c: sum(self.value(c, t, "increase") for t in self.years) for c in members}
        total = sum(increase.values())
        for c in members:
            self.geq(FAMILIES["burden_share"].heading, c, increase[c],
                     phi / 100 * base_gdp[c] / total_gdp * total, "total increase")  # fmt: skip

    def objective(self) -> None:
        """Objective: the summary's numbers agree with the plan in the files."""
        family = "objective"
        s, inst = self.summary, self.inst
        pain = {c: sum(self.discount(t) * self.value(c, t, "pain") for t in self.years)
                for c in self.members_with_rows}  # fmt: skip
        total_pain = sum(pain.values())
        self.eq(family, "total_pain", s.get("total_pain") or 0.0, total_pain, "Σ_{c∈A} pain_c")
        if "member_pain" in s:
            members = set(self.members)
            self.eq(family, "member_pain", s.get("member_pain") or 0.0,
                    sum(p for c, p in pain.items() if c in members), "Σ_{c∈S} pain_c")  # fmt: skip
            self.eq(family, "outsider_pain", s.get("outsider_pain") or 0.0,
                    sum(p for c, p in pain.items() if c not in members), "Σ_{c∈O} pain_c")  # fmt: skip
        for c, value in (s.get("pain_by_member") or {}).items():
            self.eq(family, f"pain_by_member {c}", value, pain.get(c, 0.0), "discounted pain")
        shortfall = 0.0
        for raw in self.capabilities:
            k, t = raw["capability"], int(float(raw["year"]))
            penalty = inst.capabilities[k].shortfall_penalty if k in inst.capabilities else None
            if penalty is not None:
                shortfall += self.discount(t) * penalty * (_num(raw.get("shortfall")) or 0.0)
        for raw in self.share_rows:
            k, t = raw["capability"], int(float(raw["year"]))
            penalty = inst.capabilities[k].shortfall_penalty if k in inst.capabilities else None
            if penalty is not None:
                shortfall += self.discount(t) * penalty * (_num(raw.get("shortfall")) or 0.0)
        self.eq(family, "shortfall_cost", s.get("shortfall_cost") or 0.0, shortfall,
                "Σ d_t · penalty · shortfall")  # fmt: skip
        is_choice = s.get("coalition") == "chosen" and inst.choice is not None
        member_cost = inst.choice.member_cost * len(self.members) if is_choice else 0.0
        self.eq(family, "member_cost", s.get("member_cost") or 0.0, member_cost,
                "member_cost · |S|")  # fmt: skip
        if inst.objective == "max_pain":
            worst = max((100 * p / self.gdp(c, self.base) for c, p in pain.items()), default=0.0)
            self.eq(family, "objective", s.get("objective") or 0.0, worst,
                    "max_c 100 · pain_c / GDP_{c,b}", 1e2)  # fmt: skip
        else:
            self.eq(family, "objective", s.get("objective") or 0.0,
                    total_pain + shortfall + member_cost,
                    "total_pain + shortfall_cost + member_cost")  # fmt: skip


def _fill(money: float, widths: list[float | None], weights: list[float]) -> float:
    """The pain of `money` filled into segments in the order given (None width: unbounded)."""
    pain, left = 0.0, max(0.0, money)
    for width, weight in zip(widths, weights, strict=True):
        take = left if width is None else min(left, width)
        pain += weight * take
        left -= take
        if left <= 0:
            return pain
    return pain  # money beyond bounded widths is reported by the width check


# -- folders of many results (compare, sweep) and analysis folders (members, shapley) --------------
#: The columns of comparison.csv and sweep.csv that repeat a result folder's summary.json.
ROW_FIELDS = ("status", "objective", "total_pain", "shortfall_cost", "member_cost", "members",
              "n_members")  # fmt: skip
#: Each multi-result command's summarising table and the column naming a row's item.
TABLES = {"compare": ("comparison.csv", "coalition"), "sweep": ("sweep.csv", "value")}


def verify_tree(folder: Path | str, instance_file: Path | None = None) -> VerifyReport:
    """`burden verify FOLDER`: a result folder (`verify_folder`, its manifest required), or the
    folder of `compare` or `sweep` (each result folder in it, and each row of its table against
    that folder's summary.json), or of `members` or `shapley` (its files against the manifest).

    Raises:
        VerifyError: something cannot be read (the message names the file and what is wrong).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise VerifyError(f"{folder} is not a folder")
    manifest = read_manifest(folder)
    command = manifest.get("command") if manifest else None
    if (
        command in ("compare", "sweep", "members", "shapley")
        and not (folder / "summary.json").exists()
    ):
        return _verify_collection(folder, manifest, instance_file)
    return verify_folder(
        folder, instance_file=instance_file, require_manifest=True, resolve_no_plan=True
    )


def _record(report: VerifyReport, family: str, where: str, ok: bool, message: str) -> None:
    report.checks += 1
    report.by_family[family] += 1
    if not ok:
        report.violations.append(Violation(family, where, message))


def _verify_collection(folder: Path, manifest: dict, instance_file: Path | None) -> VerifyReport:
    from optimizer.results.paths import unlisted_files

    report = VerifyReport(folder)
    family = "result files"
    for name, digest in manifest["files"].items():
        path = folder / name
        ok = path.is_file() and _sha256(path) == digest
        _record(report, family, name, ok, "changed or missing since the run wrote it")
    for name in unlisted_files(folder):
        _record(report, family, name, False, "not in the manifest: added after the run")
    command = manifest["command"]
    folders = manifest.get("folders")
    if not isinstance(folders, dict):  # older manifests: every result folder inside
        folders = {
            p.name: p.name
            for p in sorted(folder.iterdir())
            if p.is_dir() and not p.name.startswith(".") and (p / "summary.json").exists()
        }
    summaries: dict[str, dict] = {}
    for item, slug in folders.items():
        sub = folder / str(slug)
        if Path(str(slug)).name != str(slug) or str(slug) in ("", ".", ".."):
            raise VerifyError(f"manifest.json: `folders` names {slug!r}, not a folder name")
        if not sub.is_dir():
            _record(report, family, str(slug), False, f"the result folder of {item!r} is missing")
            continue
        try:  # the points of a sweep each have their own instance (instance.yaml)
            inner = verify_folder(
                sub,
                instance_file=instance_file if command == "compare" else None,
                require_manifest=True,
                resolve_no_plan=True,
            )
        except VerifyError as exc:
            raise VerifyError(f"{slug}/: {exc}") from None
        report.checks += inner.checks
        for key, n in inner.by_family.items():
            report.by_family[key] += n
        report.violations += [Violation(v.family, f"{slug}/{v.where}", v.message)
                              for v in inner.violations]  # fmt: skip
        summaries[str(item)] = json.loads((sub / "summary.json").read_text(encoding="utf-8"))
    if command in TABLES:
        _check_table(folder, report, *TABLES[command], summaries)
    report.notes.append(f"{command} folder: {len(summaries)} result folder(s) checked")
    return report


def _same(cell: str, value: Any) -> bool:
    """A CSV cell against a summary.json value: numbers within tolerance, null as empty."""
    if value is None:
        return cell == ""
    if isinstance(value, list):
        return cell == ";".join(str(v) for v in value)
    if isinstance(value, bool) or isinstance(value, str):
        return cell == str(value)
    try:
        number = float(cell)
    except ValueError:
        return False
    return abs(number - float(value)) <= ABS_TOL + REL_TOL * max(1.0, abs(float(value)))


def _check_table(folder: Path, report: VerifyReport, table: str, key: str,
                 summaries: dict[str, dict]) -> None:  # fmt: skip
    """One row of `table` per result folder, repeating that folder's summary.json."""
    rows = _read_csv(folder / table)
    family = f"{table} rows"
    by_item: dict[str, dict[str, str]] = {}
    for row in rows:
        item = row.get(key, "")
        _record(report, family, f"{table} {item}", item not in by_item, "repeated row")
        by_item[item] = row
    _record(report, family, table, len(rows) == len(summaries),
            f"{len(rows)} rows for {len(summaries)} result folders")  # fmt: skip
    for item, summary in summaries.items():
        row = by_item.get(item)
        if row is None:
            _record(report, family, f"{table} {item}", False, "no row for this result folder")
            continue
        for column in ROW_FIELDS:
            if column not in row:
                continue
            value = summary.get(column) if column != "n_members" else len(summary["members"])
            _record(report, family, f"{table} {item}", _same(row[column], value),
                    f"{column} {row[column]!r} ≠ summary.json's {value!r}")  # fmt: skip
