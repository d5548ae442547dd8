"""Read an instance file: YAML text → plain Python data, remembering where each value stood.

PyYAML's safe loader silently keeps the last of two duplicate keys and reads `NO` as `False`.
Both turn a planner's typo into a different instance, so we compose the node tree ourselves:
duplicate keys become errors, and every scalar that YAML read as something other than text keeps
its original spelling and line, so that validation can say "quote it" next to the line.
"""

from __future__ import annotations

import re
import stat
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

#: Most values a document may expand to: YAML aliases can make a small file enormous.
MAX_VALUES = 1_000_000


class _TooLargeError(Exception):
    """The document expands to more than MAX_VALUES values."""


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values `node` expands to, aliases counted each time (memoised: fast on bombs)."""
    key = id(node)
    if key not in memo:
        memo[key] = MAX_VALUES + 1  # a node met again while counting refers to itself
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        memo[key] = 1 + sum(_expanded_size(child, memo) for child in children)
    return memo[key]


def _convert(node: yaml.Node, loc: Loc, loader: yaml.SafeLoader, smap: SourceMap, issues: list):
    if len(smap.lines) >= MAX_VALUES:
        raise _TooLargeError
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
    elif not node.style and _YAML12_FLOAT.match(node.value):  # plain: None, or '' (libyaml)
        # YAML 1.1 (PyYAML) reads `1e3` or `2.5e-1` as text; YAML 1.2, and every planner, as a
        # number. Only a plain (unquoted) scalar: `"1e3"` stays text, as written.
        smap.raw[loc] = node.value
        return float(node.value)
    return value


#: YAML 1.2 core schema floats that YAML 1.1 does not read as numbers (an exponent without a
#: dot or without a sign); a plain `1.5` or `1.0e+3` PyYAML already reads as a float.
_YAML12_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")


_KEY_LINE = re.compile(r"""^( *)(?:- +)?(["']?)([^\s"'#:{}\[\],&*!|>-][^:#]*?)\2 *:(?: |$)""")


def _near_path(lines: list[str], index: int) -> tuple[str, ...]:
    """The block keys around line `index` (0-based), read from the indentation: the field a
    YAML syntax error is in, as best the text shows (the parse itself failed)."""
    path: list[str] = []
    limit = None
    index = min(index, len(lines) - 1)
    if index < 0 or lines[index].startswith(("---", "...")):
        return ()
    for i in range(index, -1, -1):
        text = lines[i].expandtabs(8)
        match = _KEY_LINE.match(text)
        if match is None:
            continue
        opens = text[match.end() :].split("#")[0].strip() == ""  # `key:` with its block below
        indent = len(match.group(1))
        if (i == index or opens) and (limit is None or indent < limit):
            path.append(match.group(3).strip())
            limit = indent
            if indent == 0:
                break
    return tuple(reversed(path))


#: libyaml's parser when PyYAML has it: 7× faster than the pure-Python one on a NATO-size file.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Load one YAML document with duplicate-key detection and a source map.

    Raises:
        InstanceError: the file cannot be read, is not valid YAML (with its line), or repeats a key.
    """
    try:
        kind = path.stat().st_mode
        if not stat.S_ISREG(kind):  # /dev/zero would fill the memory, a FIFO would hang
            what = "a folder" if stat.S_ISDIR(kind) else "a device, pipe or socket"
            raise InstanceError(path, [Issue((), f"not a regular file ({what})")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(path, [Issue((), f"cannot read the file: {exc}")]) from None
    smap = SourceMap()
    issues: list[Issue] = []
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_VALUES:
            raise _TooLargeError
        data = None if node is None else _convert(node, (), loader, smap, issues)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        # An unclosed `{` or `[` is reported where parsing failed; the field is where it opened.
        opened = exc.context_mark if "flow" in str(exc.context or "") else None
        if opened is not None and line is not None and opened.line + 1 != line:
            what += f" (at line {line})"
            line = opened.line + 1
        loc = _near_path(text.splitlines(), line - 1) if line is not None else ()
        raise InstanceError(path, [Issue(loc, f"YAML syntax error: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise InstanceError(path, [Issue((), f"YAML error: {exc}")]) from None
    except RecursionError:
        message = "the document is nested too deeply (or a YAML alias refers to itself)"
        raise InstanceError(path, [Issue((), message)]) from None
    except _TooLargeError:
        message = f"the document expands to more than {MAX_VALUES:,} values (YAML aliases?)"
        raise InstanceError(path, [Issue((), message)]) from None
    finally:
        loader.dispose()
    if issues:
        raise InstanceError(path, issues)
    return data, smap
