"""The README's example instance validates and solves, and its first two commands are as CI runs them."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from optimizer.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_readme_example_instance_solves(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example)
    result = CliRunner().invoke(app, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    assert "pip install -e ." in blocks[0] and "burden " in blocks[0]
    assert 'pip install -e ".[test]"' in blocks[1] and "python -m pytest -q" in blocks[1]
    assert "python -m pytest -q" in (ROOT / ".ci" / "run").read_text()
