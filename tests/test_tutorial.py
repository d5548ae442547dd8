"""Every command of docs/tutorial.md runs, with the exit code the tutorial states."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.cli import app

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "tutorial.md"


def _commands() -> list[tuple[str, int]]:
    """(command line, expected exit code) of every `burden` line in a ```bash block."""
    text = TUTORIAL.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            if command.strip().startswith("burden "):
                found = re.search(r"exit (\d+)", comment)
                out.append((command.strip(), int(found.group(1)) if found else 0))
    return out


def test_the_tutorial_has_its_steps() -> None:
    names = [shlex.split(c)[1] for c, _ in _commands()]
    assert names == ["validate", "solve", "explain", "validate", "sweep", "compare", "members"]


def test_tutorial_commands_run_in_order(tmp_path: Path) -> None:
    """From a folder where `instances/` is the repository's (as from the repository's root);
    later steps write next to earlier ones, as they would for a reader."""
    (tmp_path / "instances").symlink_to(REPO / "instances")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        for command, expected in _commands():
            result = CliRunner().invoke(app, shlex.split(command)[1:])
            assert result.exit_code == expected, f"{command}\n{result.output}"
    finally:
        os.chdir(here)
    comparison = (tmp_path / "tutorial" / "compare" / "comparison.csv").read_text()
    rows = {line.split(",")[0]: line.split(",")[3] for line in comparison.splitlines()[1:]}
    # the table of step 6, derived by hand in the instance's header
    assert {k: float(v) for k, v in rows.items()} == pytest.approx(
        {"all": 3.0, "founders": 50.0, "chosen": 100.0}
    )
