"""`burden schema-docs`: the instance format's reference, generated from the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.common import EXIT_INVALID, app, console, err_console


@app.command("schema-docs")
def schema_docs(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write here (e.g. docs/instance-format.md); default: stdout."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 2 if the file given by --out differs (CI, no write)."),
    ] = False,
) -> None:
    """Print (or write) the instance format's reference tables, generated from the schema."""
    from optimizer.instance.schema_doc import render

    text = render()
    if out is None:
        console.print(text, markup=False, highlight=False, soft_wrap=True, end="")
        return
    if check:
        current = out.read_text(encoding="utf-8") if out.is_file() else None
        if current != text:
            err_console.print(
                f"{out} is out of date: run `burden schema-docs --out {out}`", highlight=False
            )
            raise typer.Exit(EXIT_INVALID)
        console.print(f"{out} is up to date", highlight=False)
        return
    out.write_text(text, encoding="utf-8", newline="\n")
    console.print(f"wrote {out}", highlight=False)
