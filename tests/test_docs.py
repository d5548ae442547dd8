"""The documentation in docs/: generated parts equal what the code generates, links resolve."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.instance.schema_doc import render

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def test_instance_format_is_generated_from_the_schema() -> None:
    committed = (DOCS / "instance-format.md").read_text(encoding="utf-8")
    assert committed == render(), (
        "docs/instance-format.md differs from the schema: "
        "run `burden schema-docs --out docs/instance-format.md`"
    )


def test_every_schema_field_is_documented() -> None:
    from pydantic import BaseModel

    from optimizer.instance import schema

    text = render()
    for model in vars(schema).values():
        if (
            isinstance(model, type)
            and issubclass(model, BaseModel)
            and model.__module__ == schema.__name__
        ):
            for field in model.model_fields:
                assert f"| `{field}` |" in text, (model.__name__, field)


def test_schema_docs_check_flags_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "format.md"
    stale.write_text("old\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["schema-docs", "--out", str(stale), "--check"]).exit_code == 2
    assert runner.invoke(app, ["schema-docs", "--out", str(stale)]).exit_code == 0
    assert runner.invoke(app, ["schema-docs", "--out", str(stale), "--check"]).exit_code == 0


def test_relative_links_resolve() -> None:
    """Every relative link of the README and docs/ names a file of the repository."""
    files = [REPO / "README.md", *DOCS.glob("*.md")]
    broken = []
    for path in files:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (path.parent / target).exists():
                broken.append(f"{path.relative_to(REPO)} → {target}")
    assert broken == []


def test_the_api_example_runs(capsys) -> None:
    import os

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    example = re.search(r"runs this block\):\n\n```python\n(.*?)```", text, re.S).group(1)
    here = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(example, "docs/api.md", "exec"), {})
    finally:
        os.chdir(here)
    out = capsys.readouterr().out
    assert out.startswith("50.0\n") and "looks like a fraction" in out
