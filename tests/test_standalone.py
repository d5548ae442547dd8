"""A clone stands on its own: the data, the documentation and the generator live in the repository.

Nothing here may reach outside the repository (no `../shared`): a fresh clone has none next to it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from optimizer.cli import app

REPO = Path(__file__).resolve().parents[1]
REAL = ["nato-2035.yaml", "brussels-2025-2pct.yaml", "brussels-2025-3p5pct.yaml"]
REAL += ["brussels-2025-5pct.yaml"]


def test_build_nato_defaults_to_the_shipped_data(tmp_path: Path) -> None:
    """`burden build-nato` with no CSV reads data/countries.csv and rebuilds the shipped
    instances byte for byte (run from the repository's root, as the README says)."""
    here = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(app, ["build-nato", "--out", str(tmp_path)])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    for name in REAL:
        assert (tmp_path / name).read_bytes() == (REPO / "instances" / name).read_bytes(), name


def test_the_sources_travel_with_the_data() -> None:
    for name in ["countries.csv", "sources.md", "policy_facts.md", "README.md"]:
        assert (REPO / "data" / name).is_file(), name
    assert (REPO / "data" / "2025" / "SOURCES.md").is_file()


def test_nothing_points_outside_the_repository() -> None:
    """No code, test, instance or document names `../shared` (it exists only in the workspace
    the project was written in)."""
    pattern = re.compile(r"\.\./shared|shared/(data|spec|notes)")
    roots = ["optimizer", "tests", "instances", "docs", "examples", "benchmarks"]
    files = [REPO / "README.md"]
    for root in roots:
        files += [
            p for p in (REPO / root).rglob("*") if p.suffix in {".py", ".md", ".yaml", ".ipynb"}
        ]
    offenders = [
        str(p.relative_to(REPO))
        for p in files
        if p != Path(__file__).resolve() and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_build_nato_elsewhere_says_where_the_data_are(tmp_path: Path) -> None:
    here = Path.cwd()
    os.chdir(tmp_path)  # no data/ here
    try:
        result = CliRunner().invoke(app, ["build-nato", "--out", "out"])
    finally:
        os.chdir(here)
    assert result.exit_code == 2
    assert "data/countries.csv: no such file (run from the repository's root" in result.output
    assert not (tmp_path / "out").exists()
