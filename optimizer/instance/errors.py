"""Validation errors that name the file, the field path and, where known, the line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


def format_loc(loc: tuple[Any, ...]) -> str:
    """`("countries", "ITA", "gdp")` → `countries.ITA.gdp`; list indices as `[i]`.

    Integer keys of year maps (`targets`, floor paths) read as `.2030`: a list index is never
    that large in an instance file, so ints from 1000 up are taken for years.
    """
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool) and part < 1000:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Issue:
    """One problem with an instance: where (field path and line) and what."""

    loc: tuple[Any, ...]
    message: str
    line: int | None = None

    @property
    def path(self) -> str:
        """The dotted field path, as the spec writes it."""
        return format_loc(self.loc)


class InstanceError(Exception):
    """An instance file is invalid; carries every issue found, not just the first."""

    def __init__(self, file: Path | str, issues: list[Issue]):
        self.file = Path(file)
        self.issues = issues
        super().__init__(self.render())

    def render(self) -> str:
        """One line per issue: `file:line: path: message`."""
        lines = []
        for issue in self.issues:
            where = f"{self.file}:{issue.line}" if issue.line else f"{self.file}"
            lines.append(f"{where}: {issue.path}: {issue.message}")
        return "\n".join(lines)
