"""Scenario overrides: `--set PATH=VALUE` and the file's named `scenarios:`, applied before validation.

A path is dotted, as validation errors name fields: `spending_floor_pct_gdp.2035`,
`countries.ITA.debt_ceiling_pct_gdp`, `capabilities.ammo.national.0.unit_cost` (or
`national[0].unit_cost`). A value is read as YAML (`5`, `null`, `[ITA, DEU]`, `{2030: 3}`).

Every path is checked against the schema of `optimizer.instance.schema` while it is walked, so
an override that names no field (`countries.ITA.debt_ceiling`) or no existing entry
(`countries.XYZ.gdp`) is rejected, with the closest field name as a hint. The value then replaces
what the file says (missing mappings on the way are created: `countries.ITA.floor_pct_gdp.2035=4`
gives ITA its own floor path), and the whole document is validated as if the file had said so:
a bad value is reported like any invalid field, naming the path and the override.

A scenario in the file is `{name: {dotted.path: value, ...}}`; `--scenario NAME` applies its
overrides first, then every `--set` in order (the last one wins).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import types
import typing
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import BaseModel

from optimizer.instance import schema
from optimizer.instance.errors import InstanceError, Issue, format_loc
from optimizer.instance.loader import _YAML12_FLOAT, SourceMap, load_yaml
from optimizer.instance.resolved import Instance
from optimizer.instance.validate import validate_document

Loc = tuple[Any, ...]


class OverrideError(ValueError):
    """An override that names no field, or cannot be applied; `loc` is its path as far as known."""

    def __init__(self, loc: Loc, message: str):
        self.loc = loc
        super().__init__(message)


# -- parsing ---------------------------------------------------------------------------------------


def split_path(path: str) -> list[str]:
    """`a.b[0].c` → `['a', 'b', '0', 'c']`."""
    segments: list[str] = []
    for part in path.strip().split("."):
        while "[" in part and part.endswith("]"):
            head, _, rest = part.partition("[")
            if head:
                segments.append(head)
            index, _, part = rest.partition("]")
            segments.append(index)
            if not part:
                break
        else:
            segments.append(part)
    if not segments or any(s == "" for s in segments):
        raise OverrideError((), f"{path!r} is not a dotted field path (e.g. countries.ITA.gdp)")
    return segments


def parse_assignment(text: str) -> tuple[str, Any]:
    """`PATH=VALUE` → (PATH, the value read as YAML)."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise OverrideError((), f"--set {text!r}: write PATH=VALUE (e.g. countries.ITA.gdp=2300)")
    if not raw.strip():
        raise OverrideError((), f"--set {text!r}: give a value after '=' (null removes a value)")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise OverrideError((), f"--set {text!r}: the value is not valid YAML ({exc})") from None
    if isinstance(value, str) and _YAML12_FLOAT.match(raw.strip()):
        value = float(raw)  # `1e3` is a number in YAML 1.2, as in the file (instance/loader.py)
    return path, value


# -- the schema walk ---------------------------------------------------------------------------------


def _branches(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, with Annotated, Optional and unions unpacked."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _branches(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_branches(arg))
        return out
    if annotation is type(None):
        return []
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _key_is_int(annotation: Any) -> bool:
    return any(b is int for b in _branches(annotation))


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def resolve_path(segments: list[str], document: Any) -> Loc:
    """The typed location (`('countries', 'ITA', 'floor_pct_gdp', 2035)`) a path names.

    Raises:
        OverrideError: the path names no field of the schema, or goes into an entry the file
            does not have (a country, area, programme or coalition id, a list index).
    """
    annotation: Any = schema.InstanceFile
    node: Any = document
    loc: list[Any] = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        branches = _branches(annotation) if annotation is not Any else [Any]
        if isinstance(node, list) and segment.lstrip("-").isdigit():
            # a list in the file (a coalition's plain-list form, a curve, national options)
            key, next_annotation = _list_step(segment, node, loc, branches)
        else:
            key, next_annotation = _field_step(segment, node, loc, branches, last)
        if not loc and key == "scenarios":
            raise OverrideError(("scenarios",), "scenarios cannot be overridden")
        loc.append(key)
        annotation = next_annotation
        node = _child(node, key)
    return tuple(loc)


def _list_step(segment: str, node: list, loc: list[Any], branches: list[Any]) -> tuple[int, Any]:
    """The index `segment` names in the list `node`, and the annotation of its entries."""
    index = int(segment)
    if not 0 <= index < len(node):
        where = format_loc(tuple(loc))
        raise OverrideError((*loc, index), f"{where} has {len(node)} entries: no index {segment}")
    inner = [b for b in branches if typing.get_origin(b) in (list, tuple)]
    next_annotation: Any = Any
    if inner:
        args = typing.get_args(inner[0])
        if typing.get_origin(inner[0]) is list and args:
            next_annotation = args[0]
        elif args and index < len(args):
            next_annotation = args[index]
    return index, next_annotation


def _field_step(
    segment: str, node: Any, loc: list[Any], branches: list[Any], last: bool
) -> tuple[Any, Any]:
    """The key `segment` names in a mapping (a model's field, or an entry of a dict keyed by
    id or year) and the annotation of its value."""
    where = format_loc(tuple(loc))
    key: Any = None
    next_annotation: Any = None
    models = [b for b in branches if _is_model(b)]
    maps = [b for b in branches if typing.get_origin(b) is dict]
    for model in models:
        if segment in model.model_fields:
            key = segment
            next_annotation = model.model_fields[segment].annotation
            break
    if key is None and maps:
        key_type, value_type = typing.get_args(maps[0])
        if _key_is_int(key_type):
            if not segment.lstrip("-").isdigit():
                raise OverrideError(
                    (*loc, segment), f"{where} is keyed by year: {segment!r} is not a year"
                )
            key = int(segment)
        else:
            key = segment
            exists = isinstance(node, dict) and key in node
            if (
                not exists
                and not last
                and _branches(value_type)
                and any(_is_model(b) for b in _branches(value_type))
            ):
                known = ", ".join(map(str, node)) if isinstance(node, dict) else "none"
                raise OverrideError(
                    (*loc, segment),
                    f"{where} has no entry {segment!r} (it has: {known})",
                )
        next_annotation = value_type
    if key is None:
        if branches == [Any] and not models and isinstance(node, dict) and segment in node:
            return segment, Any
        _no_field(segment, node, loc, branches, models)
    return key, next_annotation


def _no_field(
    segment: str, node: Any, loc: list[Any], branches: list[Any], models: list[Any]
) -> NoReturn:
    """Raise the error for a `segment` that names nothing at `loc` (with a close field name)."""
    where = format_loc(tuple(loc))
    if models:
        names = sorted({n for m in models for n in m.model_fields})
        close = (
            difflib.get_close_matches(segment, names, n=1)
            or [n for n in names if n.startswith(segment) or segment in n][:1]
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise OverrideError(
            (*loc, segment),
            f"unknown field {segment!r} in {where}{hint}",
        )
    if branches == [Any]:
        raise OverrideError((*loc, segment), f"{where} has no field {segment!r}")
    raise OverrideError(
        (*loc, segment),
        f"{where} is a single value: it has no field {segment!r}",
    )


def set_value(document: dict, loc: Loc, value: Any) -> None:
    """Replace the value at `loc`, creating missing (or null) mappings on the way."""
    node: Any = document
    for depth, key in enumerate(loc[:-1]):
        child = _child(node, key)
        if child is None:
            child = {}
            node[key] = child
        elif not isinstance(child, dict | list):
            where = format_loc(loc[: depth + 1])
            hint = ""
            if isinstance(loc[depth + 1], int):
                hint = (
                    f" (a plain number is the same in every year: give the whole path, e.g. "
                    f"{where}={{{loc[depth + 1]}: ...}})"
                )
            raise OverrideError(loc, f"{where} is {child!r}, not a mapping{hint}")
        node = child
    node[loc[-1]] = copy.deepcopy(value)


# -- applying to a file ------------------------------------------------------------------------------


def _scenario_assignments(document: Any, name: str) -> list[tuple[str, Any]]:
    scenarios = document.get("scenarios") if isinstance(document, dict) else None
    if not isinstance(scenarios, dict) or name not in scenarios:
        known = ", ".join(map(str, scenarios)) if isinstance(scenarios, dict) else ""
        have = f"the instance has: {known}" if known else "the instance has no scenarios:"
        raise OverrideError(("scenarios",), f"unknown scenario {name!r}; {have}")
    body = scenarios[name]
    if not isinstance(body, dict):
        raise OverrideError(("scenarios", name), "a scenario is a mapping {dotted.path: value}")
    return [(str(path), value) for path, value in body.items()]


def check_scenarios(document: Any, smap: SourceMap) -> list[Issue]:
    """Every path of every scenario of the file must name a field (issues at their lines)."""
    issues: list[Issue] = []
    scenarios = document.get("scenarios") if isinstance(document, dict) else None
    if not isinstance(scenarios, dict):
        return issues
    for name, body in scenarios.items():
        if not isinstance(body, dict):
            continue  # the schema reports it
        for path in body:
            loc = ("scenarios", name, path)
            try:
                resolve_path(split_path(str(path)), document)
            except OverrideError as exc:
                issues.append(Issue(loc, f"names no field: {exc}", smap.line_of(loc)))
    return issues


def apply_overrides(
    document: Any, assignments: list[tuple[str, Any]]
) -> tuple[Any, dict[Loc, str]]:
    """A copy of `document` with each (path, value) applied, and each location → its text."""
    if not isinstance(document, dict):
        return document, {}
    out = copy.deepcopy(document)
    applied: dict[Loc, str] = {}
    for path, value in assignments:
        loc = resolve_path(split_path(path), out)
        set_value(out, loc, value)
        shown = yaml.safe_dump(value, default_flow_style=True, width=1_000_000).strip()
        shown = shown.removesuffix("\n...").removesuffix("...").strip()
        applied[loc] = f"{path}={shown}"
    return out, applied


def _blame(issues: list[Issue], applied: dict[Loc, str], source_of: dict[Loc, str]) -> list[Issue]:
    """Point issues about overridden values at the override rather than at the file's line."""
    out = []
    for issue in issues:
        for loc in applied:
            inside = issue.loc[: len(loc)] == loc or (
                issue.loc and loc[: len(issue.loc)] == issue.loc
            )
            if inside and issue.loc:
                issue = Issue(
                    issue.loc, f"{issue.message} (value from {source_of[loc]} {applied[loc]})"
                )
                break
        out.append(issue)
    return out


def load_instance_with(
    path: Path | str,
    sets: list[str] | tuple[str, ...] = (),
    scenario: str | None = None,
    *,
    labelled: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
) -> Instance:
    """Load an instance file, apply a scenario and `--set` overrides, validate, resolve.

    `labelled`: further `(source, "PATH=VALUE")` overrides applied after `sets`, whose issues
    and warnings name `source` (e.g. `--values` for a sweep's point) instead of `--set`.
    An issue or warning about an overridden value names the override, not the file's line.

    Raises:
        InstanceError: the file is invalid, an override names no field or an unknown scenario,
            or the overridden document is invalid (each issue naming its path and source).
    """
    path = Path(path)
    document, smap = load_yaml(path)
    issues = check_scenarios(document, smap)
    if issues:
        raise InstanceError(path, issues)
    steps: list[tuple[str, str, Any]] = []  # (source, path, value)
    if scenario is not None:
        try:
            items = _scenario_assignments(document, scenario)
        except OverrideError as exc:
            raise InstanceError(path, [Issue(exc.loc, f"--scenario {scenario}: {exc}")]) from None
        steps += [(f"scenario {scenario}:", p, v) for p, v in items]
    for source, text in [*(("--set", t) for t in sets), *labelled]:
        try:
            steps.append((source, *parse_assignment(text)))
        except OverrideError as exc:
            message = str(exc).replace("--set", source, 1)
            raise InstanceError(path, [Issue((text.partition("=")[0],), message)]) from None
    current, applied, source_of = document, {}, {}
    for source, field_path, value in steps:
        try:
            current, one = apply_overrides(current, [(field_path, value)])
        except OverrideError as exc:
            cannot = "is a single value" in str(exc) or "not a mapping" in str(exc)
            what = "cannot be applied" if cannot else "names no field"
            message = f"{source} {field_path} {what}: {exc}"
            raise InstanceError(path, [Issue((field_path,), message)]) from None
        applied.update(one)
        source_of.update(dict.fromkeys(one, source))
    try:
        instance = validate_document(current, smap)
    except InstanceError as exc:
        raise InstanceError(path, _blame(exc.issues, applied, source_of)) from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return replace(
        instance,
        warnings=tuple(_blame(list(instance.warnings), applied, source_of)),
        file=path,
        sha256=digest,
        overrides=tuple(applied[loc] for loc in applied),
        scenario=scenario,
    )
