"""YAML text with comments: PyYAML writes the document, this module writes the comments.

The generated instances cite a source for every figure in a comment at the end of its line or
on lines above it. PyYAML has no comments, so `emit` dumps the whole document once with
`yaml.dump` (the `_Dumper` below fixes the layout: block style down to the values that carry
comments, flow style below them, no aliases, fixed float and string forms) and then walks the
same document again, line by line, adding the comments, blank lines and header around the
dumped lines. The walk and the dumper agree on which values take a line of their own through
one rule, `_is_block_map`.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass
class N:
    """A value with its comments: `comment` at the end of the line, `above` on lines before."""

    value: Any
    comment: str | None = None
    above: tuple[str, ...] = ()
    blank: bool = False  # an empty line before
    block: bool = False  # a list written one item per line (items may be N with comments)


# A string is written plain only if it looks like an identifier and no YAML 1.1 reader could
# take it for a boolean or null; everything else is double-quoted.
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_YAML11 = {"y", "yes", "n", "no", "true", "false", "on", "off", "null"}


def _is_block_map(value: Any) -> bool:
    """A mapping gets one line per entry when an entry carries comments or is itself a
    mapping; otherwise it is written inline (`{a: 1, b: 2}`) after its key."""
    return (
        isinstance(value, dict)
        and bool(value)
        and any(isinstance(v, N) or isinstance(v, dict) for v in value.values())
    )


def _number(x: float) -> str:
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x}")
    text = repr(float(x))
    if "e" in text or "E" in text:  # YAML 1.1 reads 1e-05 as text: write it out
        text = f"{x:.12f}".rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text


class _Flow:
    """A value written inline whatever its shape (the items of a block list)."""

    def __init__(self, value: Any) -> None:
        self.value = value


class _Dumper(yaml.SafeDumper):
    """SafeDumper with the generated files' layout: block lists indented under their key,
    every repeated object written out again (no `&id001` anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = None if _PLAIN.match(value) and value.lower() not in _YAML11 else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper: _Dumper, value: float) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", _number(value))


def _represent_dict(dumper: _Dumper, value: dict) -> yaml.MappingNode:
    for key in value:
        if isinstance(key, bool):
            raise TypeError("boolean keys are not written")
    flow = not _is_block_map(value)
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


def _represent_list(dumper: _Dumper, value: list | tuple) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_n(dumper: _Dumper, node: N) -> yaml.Node:
    if node.block and isinstance(node.value, list | tuple):
        items = [_Flow(v) for v in node.value]
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=False)
    return dumper.represent_data(node.value)


def _represent_flow(dumper: _Dumper, flow: _Flow) -> yaml.Node:
    value = plain(flow.value)
    if isinstance(value, dict):
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)
    return dumper.represent_data(value)


def _represent_other(dumper: _Dumper, value: Any) -> yaml.Node:
    raise TypeError(f"cannot write {type(value).__name__}")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_multi_representer(float, _represent_float)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_Dumper.add_representer(N, _represent_n)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(None, _represent_other)


def _comment_lines(lines: Iterable[str], pad: str) -> list[str]:
    return [f"{pad}# {line}".rstrip() for line in lines]


def _tail(comment: str | None) -> str:
    return f"  # {comment}" if comment else ""


def _annotate(mapping: dict, dumped: Iterator[str], indent: int, out: list[str]) -> None:
    """Copy the dumped lines of `mapping` to `out`, with each entry's comments and blank line.
    Every entry took one line, plus one per entry of a block mapping or item of a block list."""
    pad = " " * indent
    for item in mapping.values():
        node = item if isinstance(item, N) else N(item)
        if node.blank:
            out.append("")
        out.extend(_comment_lines(node.above, pad))
        out.append(next(dumped) + _tail(node.comment))
        if _is_block_map(node.value):
            _annotate(node.value, dumped, indent + 2, out)
        elif node.block and isinstance(node.value, list | tuple):
            for entry in node.value:
                sub = entry if isinstance(entry, N) else N(entry)
                out.extend(_comment_lines(sub.above, pad + "  "))
                out.append(next(dumped) + _tail(sub.comment))


def emit(document: dict, header: Iterable[str]) -> str:
    """YAML text: the editor's schema line, the header as comment lines, then the document in
    block style. The first line points editors (VS Code, JetBrains) at the instance format's
    JSON Schema (`burden schema`), so a planner editing the file sees completion and errors."""
    from optimizer.instance.json_schema import MODELINE

    text = yaml.dump(
        document,
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=math.inf,
    )
    dumped = iter(text.splitlines())
    out = [MODELINE, *_comment_lines(header, "")]
    _annotate(document, dumped, 0, out)
    if next(dumped, None) is not None:
        raise AssertionError("the comment walk and the YAML dump disagree on the line count")
    return "\n".join(out) + "\n"


def plain(value: Any) -> Any:
    """The document without comments: what `yaml.safe_load` of the emitted text returns."""
    if isinstance(value, N):
        return plain(value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def wrap(text: str, width: int = 94) -> list[str]:
    """`text` as comment lines of at most `width` characters, words and hyphens kept whole."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
