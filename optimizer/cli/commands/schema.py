"""`burden schema`: the instance format as JSON Schema, for editors that complete and check YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.common import app, console


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schema to FILE (default: print it).")
    ] = None,
) -> None:
    """Print the JSON Schema of instance files (descriptions, units, ranges) or write it to FILE.

    Point an editor at it with a first line `# yaml-language-server: $schema=PATH` (VS Code's
    YAML extension, JetBrains IDEs); the shipped instances do, to schema/instance.schema.json.
    """
    from optimizer.instance.json_schema import schema_text

    text = schema_text()
    if out is None:
        # plain write: rich would wrap long lines and colour the JSON
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}", highlight=False)
