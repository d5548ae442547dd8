"""How `burden --help` shows commands: typer's rendering, minus two of its habits.

Typer (0.2x) labels every flag with its Python type (`--force <bool>`), although a flag takes no
value, and writes a required argument as `{instance}` in the usage line, a notation no manual
page uses. The command and group classes here print flags bare and arguments in the usual
`INSTANCE` / `[CSV]` form; `optimizer.cli.common.app` uses them for every command.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup


def _bare_flags(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # typer shows a metavar when one is set: nothing, for a flag
    return params


class BurdenCommand(TyperCommand):
    """A command whose help shows flags without a type and arguments in capitals."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _bare_flags(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class BurdenGroup(TyperGroup):
    """The top-level `burden` group, with the same flag rendering."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _bare_flags(super().get_params(ctx))


class BurdenTyper(typer.Typer):
    """A Typer app whose commands are `BurdenCommand`s unless a command asks otherwise."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", BurdenGroup)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(name, cls=cls or BurdenCommand, **kwargs)
