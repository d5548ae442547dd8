"""The corpus of invalid instance files in tests/bad/: every file breaks one rule.

Each file starts with comment lines that say what it breaks and what the message must name:

    # rule: pain weights non-decreasing along the curve
    # expect: countries.ITA.pain.social[1][1]      (a field path; one line per path)
    # expect-line: 30                              (optional: the line the message must give)

`burden validate FILE` (the real entry point, `optimizer.cli.entry`) must exit 2, print no
traceback, and give an issue line `FILE[:LINE]: PATH: message` whose PATH is the expected one.
Also here: numeric sanity warnings (a `_pct` value that looks like a fraction, absurd magnitudes)
are printed by `validate` and `solve` and do not fail them.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import sys
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parent / "bad"
FILES = sorted(BAD.glob("*.yaml"))
#: `file[:line]: path: message`; a path may hold spaces (ids are free text), not ": ".
ISSUE = re.compile(r"^(?P<file>\S+?\.yaml)(?::(?P<line>\d+))?: (?P<path>.+?): ", re.M)


@functools.cache
def _command():
    """The click command behind `burden`, built once (typer builds it on every call)."""
    import typer

    import optimizer.cli as cli

    return typer.main.get_command(cli.app)


def run_burden(*args: str) -> tuple[int, str]:
    """Run `burden ARGS` through `optimizer.cli.entry` in-process: (exit code, stdout + stderr)."""
    import optimizer.cli.common as common
    import optimizer.cli.entry as cli  # main() calls the `app` of its own module

    out = io.StringIO()
    consoles = (common.console, common.err_console)
    saved = [c._file for c in consoles], sys.argv, cli.app  # None: follow sys.stdout/stderr
    for console in consoles:
        console.file = out
    sys.argv = ["burden", *args]
    cli.app = _command()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        for console, file in zip(consoles, saved[0], strict=True):
            console._file = file
        sys.argv, cli.app = saved[1], saved[2]
        common.state["debug"] = False
    return code, out.getvalue()


def expectations(path: Path) -> tuple[str, list[str], str | None]:
    header = [line for line in path.read_bytes().decode("utf-8", "replace").splitlines()
              if line.startswith("# ")]  # fmt: skip
    rule = next((h.split(":", 1)[1].strip() for h in header if h.startswith("# rule:")), "")
    expect = [h.split(":", 1)[1].strip() for h in header if h.startswith("# expect:")]
    line = next(
        (h.split(":", 1)[1].strip() for h in header if h.startswith("# expect-line:")), None
    )
    return rule, expect, line


def test_corpus_is_large_and_documented() -> None:
    assert len(FILES) >= 40
    for path in FILES:
        rule, expect, _line = expectations(path)
        assert rule and expect, f"{path.name}: needs '# rule:' and '# expect:' header lines"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bad_file_exits_2_naming_the_field(path: Path) -> None:
    _rule, expect, line = expectations(path)
    code, output = run_burden("validate", str(path))
    assert code == 2, f"exit {code}\n{output}"
    assert "Traceback" not in output
    issues = [(m["path"], m["line"]) for m in ISSUE.finditer(output)]
    assert issues, f"no `file[:line]: path: message` line in\n{output}"
    found = {p for p, _ in issues}
    for wanted in expect:
        assert wanted in found, f"{wanted!r} not named; issues: {sorted(found)}\n{output}"
    if line is not None:
        assert line in {ln for _, ln in issues}, f"line {line} not given\n{output}"


@pytest.mark.parametrize("path", FILES[:: max(1, len(FILES) // 8)], ids=lambda p: p.stem)
def test_bad_file_is_refused_by_solve_without_writing(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run_burden("solve", str(path), "--out", str(out), "--no-report")
    assert code == 2 and "Traceback" not in output
    assert not out.exists() and not list(tmp_path.iterdir())


SLIP = """\
name: slips
years: [2026, 2027]
defaults: {pain: {tax: [[null, 1.0]]}}
countries:
  AAA: {gdp: 100, defence_pct_gdp: 0.02, debt_pct_gdp: 0.6}
  BBB: {gdp: 250000, defence_pct_gdp: 2.0}
capabilities:
  air: {targets: {2027: 1}, national: [{origin: us, unit_cost: 1.0e-12}]}
coalitions: {all: "*"}
"""


def test_slips_are_warned_about_but_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "slips.yaml"
    path.write_text(SLIP, encoding="utf-8")
    code, output = run_burden("validate", str(path))
    assert code == 0, output
    flat = output.replace("\n", " ")
    for where in ("countries.AAA.defence_pct_gdp", "countries.AAA.debt_pct_gdp"):
        assert f"warning: {path}:5: {where}:" in flat and "looks like a fraction" in flat
    assert "countries.BBB.gdp: 250000 billion is more than the world's GDP" in flat
    assert "capabilities.air.national[0].unit_cost: 1e-12 is an absurd magnitude" in flat
    code, output = run_burden("solve", str(path), "--out", str(tmp_path / "out"), "--no-report")
    assert code == 0, output
    assert "looks like a fraction" in output and "verified: all" in output


def test_warnings_travel_with_the_instance(tmp_path: Path) -> None:
    from optimizer.instance import load_instance

    path = tmp_path / "slips.yaml"
    path.write_text(SLIP, encoding="utf-8")
    warnings = load_instance(path).warnings
    assert {w.path for w in warnings} >= {
        "countries.AAA.defence_pct_gdp",
        "countries.BBB.gdp",
        "capabilities.air.national[0].unit_cost",
    }
    assert all(w.line for w in warnings)


def test_shipped_instances_raise_no_warnings() -> None:
    from optimizer.instance import load_instance

    instances = Path(__file__).resolve().parent.parent / "instances"
    for path in sorted(instances.glob("*.yaml")):
        assert load_instance(path).warnings == (), path.name
