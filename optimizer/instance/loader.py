"""Read an instance file: YAML text → plain Python data, remembering where each value stood.

PyYAML's safe loader silently keeps the last of two duplicate keys and reads `NO` as `False`.
Both turn a planner's typo into a different instance, so we compose the node tree ourselves:
duplicate keys become errors, and every scalar that YAML read as something other than text keeps
its original spelling and line, so that validation can say "quote it" next to the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from optimizer.instance.errors import InstanceError, Issue

Loc = tuple[Any, ...]


@dataclass
class SourceMap:
    """Where each value of a loaded document stood in the file.

    `lines` maps a location (the tuple of keys and list indices leading to a value) to its
    1-based line; `raw` maps the location of a scalar that YAML did not read as text to the text
    as written (so `NO` read as `False` can be reported as `NO`). A mapping key's own location
    is the mapping's location plus `("<key>", key)`.
    """

    lines: dict[Loc, int] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest enclosing value that has one."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]


_STR_TAG = "tag:yaml.org,2002:str"


def _convert(node: yaml.Node, loc: Loc, loader: yaml.SafeLoader, smap: SourceMap, issues: list):
    smap.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(
                    Issue(loc, "a mapping key must be a plain value", key_node.start_mark.line + 1)
                )
                continue
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key_node.tag != _STR_TAG:
                smap.raw[loc + ("<key>", key)] = key_node.value
            if key in out:
                issues.append(Issue(loc + (key,), f"duplicate key {key_node.value!r}", line))
                continue
            out[key] = _convert(value_node, loc + (key,), loader, smap, issues)
            smap.lines[loc + ("<key>", key)] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, loc + (i,), loader, smap, issues) for i, item in enumerate(node.value)
        ]
    value = loader.construct_object(node, deep=True)
    if node.tag != _STR_TAG:
        smap.raw[loc] = node.value
    return value


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Load one YAML document with duplicate-key detection and a source map.

    Raises:
        InstanceError: the file cannot be read, is not valid YAML (with its line), or repeats a key.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(path, [Issue((), f"cannot read the file: {exc}")]) from None
    smap = SourceMap()
    issues: list[Issue] = []
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(node, (), loader, smap, issues)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise InstanceError(path, [Issue((), f"YAML syntax error: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise InstanceError(path, [Issue((), f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if issues:
        raise InstanceError(path, issues)
    return data, smap
