"""Load, validate and resolve an instance file, collecting every error before failing."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.instance import sanity, schema
from optimizer.instance.errors import InstanceError, Issue
from optimizer.instance.loader import SourceMap
from optimizer.instance.resolved import (
    SOURCES,
    Capability,
    CoalitionChoice,
    CommonDebt,
    Country,
    Instance,
    Option,
    Programme,
    Segment,
)

RESERVED_COALITION = "chosen"

_BUILTIN_DEFAULTS: dict[str, Any] = {
    "gdp_growth_pct": 0.0,
    "deficit_pct_gdp": 0.0,
    "accepts_common_debt": True,
    "reliability": 1.0,
    "cost_factor": 1.0,
    "interest_rate_pct": 0.0,
}

#: The fiscal limits that may be paths (MODEL.md v2, "Units and conventions").
LIMIT_PATHS = ("tax_limit_pct_gdp", "social_cut_limit_pct", "borrowing_limit_pct_gdp",
               "debt_ceiling_pct_gdp")  # fmt: skip


def _path(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for value in vars(schema).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return names


_FIELD_NAMES = _all_field_names()


def _clean_loc(loc: tuple[Any, ...], document: Any) -> tuple[Any, ...]:
    """Drop pydantic's union-branch and tuple-slot markers so the path is the file's own."""
    out: list[Any] = []
    node = document
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(part, str) and not _looks_like_type(part):
            out.append(part)  # a missing field: name it
            node = None
        elif isinstance(node, dict | list):
            continue  # a union branch marker
        else:
            break
    return tuple(out)


def _looks_like_type(part: str) -> bool:
    return (
        any(ch in part for ch in "[]-,")
        or part in {"float", "int", "str", "bool", "function"}
        or part in _MODEL_NAMES  # a union branch of a section, e.g. `Coalition`
    )


_MODEL_NAMES = {
    name
    for name, value in vars(schema).items()
    if isinstance(value, type) and issubclass(value, BaseModel)
}


def _value_at(document: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def _yaml_read_as(raw: str | None, value: Any) -> str:
    if raw is None:
        return ""
    return f"; YAML read {raw} as {value!r}: quote it ('{raw}')"


def _translate(err: dict, document: Any, smap: SourceMap) -> Issue:
    loc = _clean_loc(tuple(err["loc"]), document)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    is_key = "[key]" in err["loc"]
    if is_key:  # the mapping's location, then the key
        mapping = loc[:-1] if loc and loc[-1] == value else loc
        raw = smap.raw.get(mapping + ("<key>", value))
        key_line = smap.lines.get(mapping + ("<key>", value))
        loc = mapping + (raw if raw is not None else str(value),)
    else:
        key_line = None
        raw = smap.raw.get(loc)
    if kind == "pain_curve":  # schema._curve_error: the segment and slot within the curve
        loc = loc + tuple(ctx.get("sub", ()))
        message = str(err["msg"])
    elif kind == "missing" and err["loc"] and isinstance(err["loc"][-1], int):  # a tuple slot
        if loc and loc[-1] == "years":
            message = "write the horizon as years: [first, last]"
        elif len(loc) >= 3 and loc[-3] == "pain":
            message = f"a pain segment is [width, weight], got {_value_at(document, loc)!r}"
        else:
            message = "has too few items"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        field = loc[-1] if loc else value
        close = difflib.get_close_matches(str(field), _FIELD_NAMES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        message = f"unknown field {field!r}{hint}"
    elif kind == "greater_than":
        message = f"must be > {ctx.get('gt')}"
    elif kind == "greater_than_equal":
        message = f"must be ≥ {ctx.get('ge')}"
    elif kind == "less_than_equal":
        message = f"must be ≤ {ctx.get('le')}"
    elif kind == "less_than":
        message = f"must be < {ctx.get('lt')}"
    elif kind == "finite_number":
        message = "must be a finite number (NaN and infinity are not allowed)"
    elif kind in ("string_type", "str_type"):
        message = f"expected an id or text, got {value!r}" + _yaml_read_as(raw, value)
        if is_key:
            message = f"key {raw or value!r} must be an id (text)" + _yaml_read_as(raw, value)
    elif kind in ("int_type", "int_from_float"):
        if is_key:
            message = f"year key {value!r} must be an unquoted whole number (e.g. 2030)"
        elif isinstance(value, str):
            message = f"expected a whole number, got text {value!r} (write it without quotes)"
        else:
            message = f"expected a whole number, got {value!r}"
    elif kind in ("float_type", "float_parsing"):
        if isinstance(value, str):
            message = f"expected a number, got text {value!r} (write it without quotes)"
        else:
            message = f"expected a number, got {value!r}"
            if isinstance(value, bool) and raw is not None:
                message += f" (YAML reads {raw} as {str(value).lower()})"
    elif kind == "bool_type":
        message = f"expected true or false, got {value!r}"
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected')}, got {value!r}"
    elif kind in ("too_short", "too_long") and loc and loc[-1] == "years":
        message = "write the horizon as years: [first, last]"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "too_long" and len(loc) >= 3 and loc[-3] == "pain":
        message = f"a pain segment is [width, weight], got {value!r}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping of fields, got {value!r}"
    elif kind in ("list_type", "tuple_type"):
        message = f"expected a list, got {value!r}"
    elif kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    else:
        message = str(err["msg"])
    return Issue(loc, message, key_line or smap.line_of(loc))


_TYPE_ERRORS = {"float_type", "int_type", "string_type", "bool_type", "dict_type", "list_type",
                "tuple_type", "model_type", "model_attributes_type"}  # fmt: skip


def _pydantic_issues(exc: ValidationError, document: Any, smap: SourceMap) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[Any, ...]] = set()
    errors = exc.errors(include_url=False)
    translated = [(err, _translate(err, document, smap)) for err in errors]
    for err, issue in translated:
        if issue.loc in seen:  # a union reports once per branch: keep the first
            continue
        # A union branch of the wrong shape ("expected a number, got {2026: -1}") when another
        # branch matched the shape and reports deeper inside it: keep only the deeper one.
        if err["type"] in _TYPE_ERRORS and isinstance(err.get("input"), dict | list):
            n = len(issue.loc)
            if any(len(o.loc) > n and o.loc[:n] == issue.loc for _e, o in translated):
                continue
        seen.add(issue.loc)
        issues.append(issue)
    return issues


class _Resolver:
    """Merges defaults and checks cross-references, appending issues instead of raising."""

    def __init__(self, doc: schema.InstanceFile, raw: dict, smap: SourceMap):
        self.doc = doc
        self.raw = raw
        self.smap = smap
        self.issues: list[Issue] = []

    def fail(self, loc: tuple[Any, ...], message: str) -> None:
        self.issues.append(Issue(loc, message, self.smap.line_of(loc)))

    # -- countries -----------------------------------------------------------------------------
    def _merged(self, country: schema.CountryFields, name: str) -> Any:
        """The country's value if it set the field (even to null), else the default's."""
        defaults = self.doc.defaults
        if name in country.model_fields_set:
            return getattr(country, name)
        if defaults is not None and name in defaults.model_fields_set:
            return getattr(defaults, name)
        return None

    def _pain(self, country: schema.CountryFields) -> dict[str, tuple[Segment, ...]]:
        defaults = self.doc.defaults
        default_pain = defaults.pain if defaults is not None else None
        if "pain" in country.model_fields_set:
            own = country.pain
            if own is None:
                return {}  # `pain: null`: no curve at all
            curves = {}
            for source in SOURCES:
                if source in own.model_fields_set:
                    curves[source] = getattr(own, source)
                elif default_pain is not None:
                    curves[source] = getattr(default_pain, source)
        else:
            curves = {s: getattr(default_pain, s) for s in SOURCES} if default_pain else {}
        return {
            source: tuple(Segment(width, weight) for width, weight in curve)
            for source, curve in curves.items()
            if curve is not None
        }

    def country(self, cid: str, fields: schema.CountryFields) -> Country | None:
        loc = ("countries", cid)
        values = {name: self._merged(fields, name) for name in schema.CountryFields.model_fields}
        for name, default in _BUILTIN_DEFAULTS.items():
            if values[name] is None:
                values[name] = default
        ok = True
        for name in ("gdp", "defence_pct_gdp"):
            if values[name] is None:
                self.fail(loc + (name,), "required field is missing")
                ok = False
        if values["debt_ceiling_pct_gdp"] is not None and values["debt_pct_gdp"] is None:
            self.fail(loc + ("debt_pct_gdp",), "required when debt_ceiling_pct_gdp is given")
            ok = False
        if values["social_cut_limit_pct"] is not None and values["social_pct_gdp"] is None:
            self.fail(loc + ("social_pct_gdp",), "required when social_cut_limit_pct is given")
            ok = False
        if not ok:
            return None
        floor = values["floor_pct_gdp"]
        if floor is None:
            floor = self.doc.spending_floor_pct_gdp
        ramp = values["ramp_limit_pct_gdp"]
        if ramp is None:
            ramp = self.doc.ramp_limit_pct_gdp
        return Country(
            id=cid,
            name=values["name"] or cid,
            gdp=values["gdp"],
            gdp_growth_pct=values["gdp_growth_pct"],
            defence_pct_gdp=values["defence_pct_gdp"],
            debt_pct_gdp=values["debt_pct_gdp"],
            deficit_pct_gdp=values["deficit_pct_gdp"],
            debt_ceiling_pct_gdp=_path(values["debt_ceiling_pct_gdp"]),
            borrowing_limit_pct_gdp=_path(values["borrowing_limit_pct_gdp"]),
            social_pct_gdp=values["social_pct_gdp"],
            social_cut_limit_pct=_path(values["social_cut_limit_pct"]),
            tax_limit_pct_gdp=_path(values["tax_limit_pct_gdp"]),
            accepts_common_debt=values["accepts_common_debt"],
            reliability=values["reliability"],
            cost_factor=values["cost_factor"],
            floor_pct_gdp=dict(floor) if isinstance(floor, dict) else floor,
            ramp_limit_pct_gdp=ramp,
            tags=tuple(values["tags"] or ()),
            pain=self._pain(fields),
            population_m=values["population_m"],
            gov_expenditure_pct_gdp=values["gov_expenditure_pct_gdp"],
            federal_budget=values["federal_budget"],
            interest_rate_pct=values["interest_rate_pct"],
            capability_share_pct=values["capability_share_pct"],
        )

    # -- references ----------------------------------------------------------------------------
    def check_countries(self, ids: list[str] | None, loc: tuple[Any, ...], countries) -> None:
        seen: set[str] = set()
        for i, cid in enumerate(ids or ()):
            if cid not in countries:
                self.fail(loc + (i,), f"unknown country {cid!r}")
            elif cid in seen:  # a slip: the planner meant another country
                self.fail(loc + (i,), f"{cid!r} is listed twice")
            seen.add(cid)

    def coalition(
        self, coalition: schema.Coalition, loc: tuple[Any, ...], countries: dict[str, tuple]
    ) -> tuple[str, ...]:
        """Expand a coalition form to its members (country order); `countries` maps id → tags."""
        raw = self._raw_at(loc)
        if coalition.all:
            return tuple(countries)
        if coalition.members is not None:
            list_loc = loc if isinstance(raw, list) else loc + ("members",)
            self.check_countries(coalition.members, list_loc, countries)
            wanted = set(coalition.members)
        elif coalition.all_except is not None:
            self.check_countries(coalition.all_except, loc + ("all_except",), countries)
            wanted = set(countries) - set(coalition.all_except)
        else:
            tags = set(coalition.tags or ())
            wanted = {cid for cid, country_tags in countries.items() if tags & set(country_tags)}
        members = tuple(c for c in countries if c in wanted)
        if not members:
            self.fail(loc, "this coalition has no members")
        return members

    def _raw_at(self, loc: tuple[Any, ...]) -> Any:
        node: Any = self.raw
        for part in loc:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def _bound_is_finite(country: Country, years: list[int]) -> bool:
    """Whether the increase of `country` has a bound implied by its limits (coalition choice).

    A limit given as a path counts only if it has a value in every year of T (MODEL.md v2).
    """
    if country.ramp_limit_pct_gdp is not None:
        return True

    def every_year(name: str) -> bool:
        return country.limit_every_year(name, years)

    limits = {
        "tax": every_year("tax_limit_pct_gdp"),
        "social": every_year("social_cut_limit_pct"),
        "debt": every_year("borrowing_limit_pct_gdp") or every_year("debt_ceiling_pct_gdp"),
    }
    for source, curve in country.pain.items():
        if curve and curve[-1].width_pct_gdp is None and not limits[source]:
            return False
    return True


def _unbounded_sources(country: Country) -> list[str]:
    return [
        source
        for source, curve in country.pain.items()
        if curve and curve[-1].width_pct_gdp is None
    ]


def _check_folder_names(r: _Resolver, names: list[str], section: str) -> None:
    """Names that would share a result folder (`optimizer.slugs.safe_slug`, compared
    ignoring case as macOS and Windows do: `EU` and `eu`) are an error, naming both."""
    from optimizer.slugs import safe_slug

    seen: dict[str, str] = {}
    for name in names:
        key = safe_slug(name).lower()
        if key in seen:
            r.fail((section, name), f"{name!r} would share its result folder with {seen[key]!r} "
                   "(names differing only in case or in characters a folder name cannot hold)")  # fmt: skip
        else:
            seen[key] = name


def resolve(doc: schema.InstanceFile, raw: dict, smap: SourceMap) -> tuple[Instance | None, list]:
    """Merge defaults, expand coalitions and check every cross-reference of a parsed file."""
    r = _Resolver(doc, raw, smap)
    _check_names(r, doc)
    first, last = doc.years
    countries: dict[str, Country] = {}
    for cid, fields in doc.countries.items():
        country = r.country(cid, fields)
        if country is not None:
            countries[cid] = country
    # References are checked against every declared country, even one with errors of its own.
    all_ids = {cid: r._merged(fields, "tags") or () for cid, fields in doc.countries.items()}
    capabilities = _capabilities(r, doc)
    programmes = _programmes(r, doc, all_ids)
    facilities = _facilities(r, doc, all_ids)
    coalitions, default = _coalitions(r, doc, all_ids)
    choice = _choice(r, doc, countries, coalitions, all_ids)
    alliance = _alliance(r, doc, coalitions, choice, all_ids)
    if r.issues:
        return None, r.issues
    instance = Instance(
        name=doc.name,
        description=doc.description or "",
        currency=doc.currency or "",
        first_year=first,
        last_year=last,
        discount_rate_pct=doc.discount_rate_pct,
        objective=doc.objective,
        burden_share_min_pct=doc.burden_share_min_pct,
        origin_min_share_pct=dict(doc.origin_min_share_pct),
        countries=countries,
        capabilities=capabilities,
        programmes=programmes,
        facilities=facilities,
        coalitions=coalitions,
        default_coalition=default,
        choice=choice,
        document=raw,
        alliance=alliance,
    )
    return instance, []


def _check_names(r: _Resolver, doc: schema.InstanceFile) -> None:
    """The instance's name and every id label folders, sheets and plots: they must say
    something and hold no control character; the years must be in order."""
    if not doc.name.strip(" .") or any(ord(ch) < 32 or ord(ch) == 127 for ch in doc.name):
        # the name labels every result folder and report: it must say something
        r.fail(("name",), f"name {doc.name!r}: give a name that is not empty or dots only, "
               "without control characters")  # fmt: skip
    for section in ("countries", "capabilities", "joint_programmes", "coalitions", "scenarios"):
        for key in getattr(doc, section) or {}:
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):  # names folders, sheets, plots
                r.fail((section, key), f"id {key!r} holds a control character (NUL, newline, ...)")
    first, last = doc.years
    if first > last:
        r.fail(("years",), f"first year {first} is after last year {last}")


def _capabilities(r: _Resolver, doc: schema.InstanceFile) -> dict[str, Capability]:
    """The capability areas, their target years inside the horizon and option ids unique."""
    first, last = doc.years
    capabilities: dict[str, Capability] = {}
    for kid, cap in doc.capabilities.items():
        loc = ("capabilities", kid)
        for year in cap.targets:
            if not first <= year <= last:
                r.fail(
                    loc + ("targets", year), f"target year {year} is outside years {first}..{last}"
                )
        options: list[Option] = []
        seen: set[str] = set()
        for i, opt in enumerate(cap.national):
            oid = opt.id if opt.id is not None else opt.origin
            if oid in seen:
                r.fail(loc + ("national", i), f"option id {oid!r} repeats within {kid!r}")
            seen.add(oid)
            options.append(Option(oid, opt.origin, opt.unit_cost, opt.capacity_per_year))
        capabilities[kid] = Capability(
            id=kid,
            unit=cap.unit or "unit",
            lead_time=cap.lead_time,
            targets=dict(sorted(cap.targets.items())),
            shortfall_penalty=cap.shortfall_penalty,
            options=tuple(options),
            running_cost=cap.running_cost,
        )
    return capabilities


def _programmes(
    r: _Resolver, doc: schema.InstanceFile, all_ids: dict[str, Any]
) -> dict[str, Programme]:
    """The joint programmes, each of a known area and with known eligible countries."""
    programmes: dict[str, Programme] = {}
    for jid, prog in doc.joint_programmes.items():
        loc = ("joint_programmes", jid)
        if prog.capability not in doc.capabilities:
            r.fail(loc + ("capability",), f"unknown capability area {prog.capability!r}")
        r.check_countries(prog.eligible, loc + ("eligible",), all_ids)
        programmes[jid] = Programme(
            id=jid,
            capability=prog.capability,
            origin=prog.origin,
            unit_cost=prog.unit_cost,
            lead_time=prog.lead_time,
            capacity_per_year=prog.capacity_per_year,
            eligible=frozenset(prog.eligible) if prog.eligible is not None else None,
        )
    return programmes


def _facilities(
    r: _Resolver, doc: schema.InstanceFile, all_ids: dict[str, Any]
) -> dict[str, CommonDebt]:
    """The common-debt facilities: `common_debt` (one) or `facilities` (named), not both."""
    given: dict[str, tuple[schema.CommonDebt, tuple[Any, ...]]] = {}
    if doc.common_debt is not None and doc.facilities is not None:
        r.fail(("facilities",), "give either common_debt or facilities, not both")
    elif doc.common_debt is not None:
        given["common_debt"] = (doc.common_debt, ("common_debt",))
    elif doc.facilities is not None:
        given = {h: (f, ("facilities", h)) for h, f in doc.facilities.items()}
    facilities: dict[str, CommonDebt] = {}
    for h, (cd, loc) in given.items():
        r.check_countries(cd.eligible, loc + ("eligible",), all_ids)
        for cid in cd.allocations or {}:
            if cid not in all_ids:
                r.fail(loc + ("allocations", cid), f"unknown country {cid!r}")
        facilities[h] = CommonDebt(
            cap=cd.cap,
            cap_per_year=cd.cap_per_year,
            pain_weight=cd.pain_weight,
            national_debt_share=cd.national_debt_share,
            min_eu_content_pct=cd.min_eu_content_pct,
            eligible=frozenset(cd.eligible) if cd.eligible is not None else None,
            requires_unanimity=cd.requires_unanimity,
            name=h,
            interest_rate_pct=cd.interest_rate_pct,
            allocations=dict(cd.allocations) if cd.allocations is not None else None,
        )
    return facilities


def _coalitions(
    r: _Resolver, doc: schema.InstanceFile, all_ids: dict[str, Any]
) -> tuple[dict[str, tuple[str, ...]], str]:
    """The named coalitions expanded to members, their folder names distinct, and the default."""
    coalitions: dict[str, tuple[str, ...]] = {}
    for name, coalition in doc.coalitions.items():
        if name == RESERVED_COALITION:
            r.fail(("coalitions", name), f"{RESERVED_COALITION!r} is reserved for coalition choice")
        coalitions[name] = r.coalition(coalition, ("coalitions", name), all_ids)
    # `chosen` (coalition choice) has a folder too: `Chosen` would share it
    named = [n for n in doc.coalitions if n != RESERVED_COALITION]
    _check_folder_names(r, [RESERVED_COALITION, *named], "coalitions")
    if doc.scenarios:
        _check_folder_names(r, list(doc.scenarios), "scenarios")
    default = doc.default_coalition
    if default is None:
        default = next(iter(doc.coalitions))
    elif default not in doc.coalitions:
        r.fail(("default_coalition",), f"unknown coalition {default!r}")
    return coalitions, default


def _choice(
    r: _Resolver,
    doc: schema.InstanceFile,
    countries: dict[str, Country],
    coalitions: dict[str, tuple[str, ...]],
    all_ids: dict[str, Any],
) -> CoalitionChoice | None:
    """`coalition_choice`: candidates, required and forbidden countries that fit together, and
    a bound on every candidate's spending increase (None without the block)."""
    if doc.coalition_choice is None:
        return None
    first, last = doc.years
    cc = doc.coalition_choice
    loc = ("coalition_choice",)
    if isinstance(cc.candidates, str):
        if cc.candidates not in doc.coalitions:
            r.fail(loc + ("candidates",), f"unknown coalition {cc.candidates!r}")
            candidates: tuple[str, ...] = ()
        else:
            candidates = coalitions[cc.candidates]
    else:
        candidates = r.coalition(cc.candidates, loc + ("candidates",), all_ids)
    r.check_countries(cc.required, loc + ("required",), all_ids)
    r.check_countries(cc.forbidden, loc + ("forbidden",), all_ids)
    for i, cid in enumerate(cc.required):
        if cid in all_ids and cid not in candidates:
            r.fail(loc + ("required", i), f"required country {cid!r} is not a candidate")
        if cid in cc.forbidden:
            r.fail(loc + ("required", i), f"{cid!r} is both required and forbidden")
    if doc.burden_share_min_pct != 0:
        r.fail(
            ("burden_share_min_pct",),
            "must be 0 in an instance with coalition_choice",
        )
    for cid in candidates:
        country = countries.get(cid)
        if country is not None and not _bound_is_finite(country, list(range(first, last + 1))):
            sources = ", ".join(_unbounded_sources(country))
            r.fail(
                ("countries", cid),
                f"candidate {cid} has no implied bound on its spending increase "
                f"(coalition choice needs one): give it a ramp_limit_pct_gdp, or a limit for "
                f"each source whose pain curve ends unbounded ({sources})",
            )
    choice = CoalitionChoice(
        candidates=candidates,
        required=tuple(cc.required),
        forbidden=tuple(cc.forbidden),
        member_cost=cc.member_cost,
        min_members=cc.min_members,
    )
    if candidates and not set(candidates) - set(cc.forbidden):
        r.fail(loc + ("candidates",), "every candidate is forbidden")
    return choice


def _alliance(
    r: _Resolver,
    doc: schema.InstanceFile,
    coalitions: dict[str, tuple[str, ...]],
    choice: CoalitionChoice | None,
    all_ids: dict[str, Any],
) -> tuple[str, ...] | None:
    """`alliance` (v2) expanded to countries; every coalition and candidate inside it."""
    if doc.alliance is None:
        return None
    loc = ("alliance",)
    if isinstance(doc.alliance, str):
        if doc.alliance not in doc.coalitions:
            r.fail(loc, f"unknown coalition {doc.alliance!r}")
            alliance = tuple(all_ids)
        else:
            alliance = coalitions[doc.alliance]
    else:
        alliance = r.coalition(doc.alliance, loc, all_ids)
    inside = set(alliance)
    for name, members in coalitions.items():
        outside = [c for c in members if c not in inside]
        if outside and members:
            r.fail(
                ("coalitions", name),
                f"member(s) {', '.join(outside)} of coalition {name!r} are not in the alliance",
            )
    if choice is not None:
        outside = [c for c in choice.candidates if c not in inside]
        if outside:
            r.fail(
                ("coalition_choice", "candidates"),
                f"candidate(s) {', '.join(outside)} are not in the alliance",
            )
    return alliance


def validate_document(
    document: Any, smap: SourceMap | None = None, path: Path | None = None
) -> Instance:
    """Validate an already-loaded document; raises InstanceError naming `path` ("<document>"
    if none: a document built in memory)."""
    return _validate(document, smap or SourceMap(), path or Path("<document>"))


def _validate(document: Any, smap: SourceMap, path: Path) -> Instance:
    if not isinstance(document, dict):
        raise InstanceError(path, [Issue((), "the file must be a YAML mapping of fields")])
    try:
        doc = schema.InstanceFile.model_validate(document)
    except ValidationError as exc:
        raise InstanceError(path, _pydantic_issues(exc, document, smap)) from None
    instance, issues = resolve(doc, document, smap)
    if issues:
        raise InstanceError(path, issues)
    assert instance is not None
    errors, warnings = sanity.check(instance, document, smap)
    if errors:
        raise InstanceError(path, errors)
    return replace(instance, warnings=tuple(warnings))
