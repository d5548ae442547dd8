"""Shared fixtures: solve an instance through the command line, in-process."""

from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def solve_yaml(tmp_path):
    """Return solve(source, coalition=None) -> (exit_code, summary dict or None, out_dir).

    `source` is YAML text (written to a file under tmp_path) or a path to an instance file.
    The solve runs `burden solve INSTANCE [--coalition NAME] --out DIR` through typer's
    CliRunner; `summary` is DIR/summary.json read back (None if the CLI wrote none).
    """
    from typer.testing import CliRunner

    from optimizer.cli import app

    counter = itertools.count(1)

    def solve(source: str | Path, coalition: str | None = None):
        n = next(counter)
        if isinstance(source, Path):
            path = source
        else:
            path = tmp_path / f"instance-{n}.yaml"
            path.write_text(textwrap.dedent(source), encoding="utf-8")
        out = tmp_path / f"out-{n}"
        # the optimum is what these tests check; the report has tests of its own (test_report.py)
        args = ["solve", str(path), "--out", str(out), "--no-report"]
        if coalition is not None:
            args += ["--coalition", coalition]
        result = CliRunner().invoke(app, args)
        summary_file = out / "summary.json"
        summary = json.loads(summary_file.read_text()) if summary_file.exists() else None
        return result.exit_code, summary, out

    return solve
