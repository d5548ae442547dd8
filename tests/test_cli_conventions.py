"""Conventions a modeller expects of a command line: --version, completion, -q/-v, --strict,
the same options on every solving command, help without typer's `<bool>` and `{instance}`,
warnings that name where a value came from, no pointer to a file that is not written."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

import optimizer
from optimizer.cli import app
from optimizer.cli.common import console

REPO = Path(__file__).resolve().parents[1]
TEACH = REPO / "instances" / "teach-pain-curve.yaml"
CHOICE = REPO / "instances" / "teach-coalition-choice.yaml"

# Ten countries that each need 4 % of GDP more to reach a 5 % floor but may raise only 0.1 %
# in tax (the only source): ten failing pre-solve checks, more than the eight shown.
MANY = "\n".join(
    [
        "name: many",
        "years: [2026, 2026]",
        "defaults: {pain: {tax: [[null, 1.0]]}, tax_limit_pct_gdp: 0.1}",
        "spending_floor_pct_gdp: 5",
        "countries:",
        *[f"  C{i:02d}: {{gdp: 100, defence_pct_gdp: 1.0}}" for i in range(10)],
        "capabilities:",
        "  air: {targets: {2026: 1}, national: [{origin: us, unit_cost: 1.0}]}",
        'coalitions: {all: "*"}',
        "",
    ]
)


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def _loud_console():
    """-q switches the shared console off; every test starts with it on again."""
    yield
    console.quiet = False


def test_version_is_the_package_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.startswith(f"burden {optimizer.__version__} ")
    assert optimizer.__version__ == version("burden")  # pyproject and the package agree


def test_completion_is_offered() -> None:
    result = invoke("--help")
    assert "--install-completion" in result.output and "--show-completion" in result.output


@pytest.mark.parametrize("command", ["solve", "compare", "validate", "members", "shapley"])
def test_help_shows_flags_bare_and_arguments_in_capitals(command: str) -> None:
    text = invoke(command, "--help").output
    assert "<bool>" not in text
    assert "{instance}" not in text
    assert re.search(rf"Usage: .*{command} \[OPTIONS\] INSTANCE", text), text


@pytest.mark.parametrize("command", ["solve", "compare", "sweep", "members", "shapley"])
def test_solving_commands_share_set_scenario_and_no_report(command: str) -> None:
    text = invoke(command, "--help").output
    for option in ("--set", "--scenario", "--no-report" if command != "sweep" else "--set"):
        assert option in text, (command, option)


def test_quiet_prints_nothing_on_stdout_and_keeps_the_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["-q", "solve", str(TEACH), "--out", str(tmp_path / "o"), "--no-report"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (tmp_path / "o" / "summary.json").is_file()


def test_verbose_logs_each_stage_with_its_time(tmp_path: Path) -> None:
    result = invoke("-v", "solve", TEACH, "--out", tmp_path / "o", "--no-report")
    assert result.exit_code == 0
    stages = re.findall(r"^\[\s*\d+\.\d s\] (.+)$", result.stderr, flags=re.M)
    assert any(s.startswith("building the model") for s in stages), result.stderr
    assert any(s.startswith("HiGHS") for s in stages)


def test_quiet_and_verbose_together_are_refused() -> None:
    assert invoke("-q", "-v", "validate", TEACH).exit_code == 2


def test_validate_strict_turns_warnings_into_exit_2() -> None:
    # 0.03 for a floor path's 2028 value: a fraction where 3 (%) was meant
    fraction = "spending_floor_pct_gdp.2028=0.03"
    loose = invoke("validate", TEACH, "--set", fraction)
    assert loose.exit_code == 0
    assert "looks like a fraction" in loose.stderr
    strict = invoke("validate", TEACH, "--strict", "--set", fraction)
    assert strict.exit_code == 2
    assert invoke("validate", TEACH, "--strict").exit_code == 0  # no warning, no failure


def test_the_fraction_warning_names_set_not_the_file_line() -> None:
    result = invoke("validate", TEACH, "--set", "spending_floor_pct_gdp.2028=0.03")
    line = next(x for x in result.stderr.splitlines() if "fraction" in x)
    assert "(value from --set spending_floor_pct_gdp.2028=0.03)" in line
    assert not re.search(r"teach-pain-curve\.yaml:\d+:", line)  # no line of the file: the option


def test_sweep_warns_about_a_fraction_among_its_values(tmp_path: Path) -> None:
    result = invoke(
        "sweep", TEACH, "--param", "spending_floor_pct_gdp.2028", "--values", "0.03,3",
        "--out", tmp_path / "s",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [x for x in result.stderr.splitlines() if "looks like a fraction" in x]
    assert len(warnings) == 1, result.stderr  # the value 3 is fine
    assert "(value from --values spending_floor_pct_gdp.2028=0.03)" in warnings[0]


def test_members_and_shapley_take_set_scenario_and_no_report(tmp_path: Path) -> None:
    text = CHOICE.read_text(encoding="utf-8")
    assert "scenarios:" not in text
    path = tmp_path / "choice.yaml"
    path.write_text(text + "scenarios:\n  late: {ramp_limit_pct_gdp: 5}\n", encoding="utf-8")
    out = tmp_path / "m"
    result = invoke("members", path, "--scenario", "late", "--set", "ramp_limit_pct_gdp=4",
                    "--no-report", "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "members.csv").is_file() and not (out / "members.md").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "ramp_limit_pct_gdp=4" in json.dumps(manifest)  # the override is recorded
    out = tmp_path / "s"
    result = invoke("shapley", path, "--scenario", "late", "--no-report", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "shapley.csv").is_file() and not (out / "shapley.png").exists()


def test_explain_points_to_no_file_it_does_not_write(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(MANY, encoding="utf-8")
    result = invoke("explain", path)
    assert result.exit_code == 3
    assert "… and 2 more checks" in result.stdout  # ten checks, eight shown
    assert "(infeasibility.md)" not in result.stdout
    assert "`burden solve` writes every one to infeasibility.md" in result.stdout
    assert not list(tmp_path.glob("**/infeasibility.md"))


def test_an_infeasible_solve_prints_no_raw_solver_accuracy(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(MANY, encoding="utf-8")
    result = invoke("solve", path, "--out", tmp_path / "o", "--no-report")
    assert result.exit_code == 3
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    # HiGHS's last iterate misses the floors: its "max primal infeasibility" is the shortfall
    assert summary["solver"]["numerics"]["max_primal_infeasibility"] > 1
    assert "primal infeasibility" not in result.output
    assert "numerical trouble" not in result.output
    assert "less accurate" not in result.output


def test_completion_completes_commands() -> None:
    """The installed script answers bash's completion protocol (what --install-completion sets
    up): `burden sol<TAB>` gives `solve`."""
    import os
    import subprocess
    import sys

    script = Path(sys.executable).with_name("burden")
    env = {**os.environ, "_BURDEN_COMPLETE": "complete_bash", "COMP_WORDS": "burden sol",
           "COMP_CWORD": "1"}  # fmt: skip
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["solve"]
