"""`burden compare` as a planner's report, and coalition choice explained
(optimizer/pipeline/coalitions.py, optimizer/analysis/coalitions.py).

Each coalition's objective (and `chosen`'s) is checked against the independent reference
implementation; the files are checked for their columns and that they open; 2 workers must give
the same tables as 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from coalition_toys import pool6, write
from typer.testing import CliRunner

from optimizer.analysis.coalitions import coalition_table
from optimizer.cli import app
from optimizer.instance import load_instance
from optimizer.pipeline.coalitions import explain_choice, solve_coalitions, solve_one
from optimizer.pipeline.one import coalition_names
from optimizer.solver.highs import SolveOptions

try:
    from reference.ref_model import solve_reference
except ImportError:  # pragma: no cover
    from tests.reference.ref_model import solve_reference

INSTANCES = Path(__file__).resolve().parent.parent / "instances"
SPEC_COLUMNS = ["coalition", "status", "members", "objective", "total_pain"]


def compare(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["compare", *map(str, args)])
    return result.exit_code, f"{result.output}\n{result.exception!r}"


@pytest.fixture(scope="module")
def choice_run(tmp_path_factory):
    """POOL6 with coalition choice, compared with 2 workers."""
    folder = tmp_path_factory.mktemp("compare")
    path = write(folder, pool6(choice=True))
    out = folder / "out"
    code, output = compare(path, "--out", out, "--workers", "2", "--no-report")
    assert code == 0, output
    return path, out


def test_report_files_and_columns(choice_run) -> None:
    _path, out = choice_run
    for name in (
        "comparison.csv", "comparison_countries.csv", "comparison_changes.csv",
        "comparison_capabilities.csv", "comparison_binding.csv", "comparison.md",
        "comparison.xlsx", "choice.csv", "choice_duals.csv", "pain_per_member.png",
        "funding_mix.png", "spending_paths.png", "capabilities.png",
    ):  # fmt: skip
        assert (out / name).exists(), name
    for coalition in ("all", "no_e", "pairs", "chosen"):
        assert json.loads((out / coalition / "summary.json").read_text())["coalition"] == coalition
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns[:5]) == SPEC_COLUMNS
    assert list(table["coalition"]) == ["all", "no_e", "pairs", "chosen"]
    for column in (
        "total_pain_pct_base_gdp", "spending_pct_gdp_last_year", "spending_pct_gdp_last_year_mean",
        "tax_share_pct", "social_cut_share_pct", "national_debt_share_pct",
        "common_debt_share_pct", "targets_met", "min_delivery_pct", "joint_share_pct",
        "binding_limits", "spending_pct_gdp_2027_AAA",
    ):  # fmt: skip
        assert column in table.columns, column
    shares = table[[f"{f}_share_pct" for f in ("tax", "social_cut", "national_debt",
                                                 "common_debt")]].sum(axis=1)  # fmt: skip
    assert shares.to_numpy() == pytest.approx(100.0)
    assert (table["binding_limits"] >= 1).all()  # the hard air target binds everywhere
    for name in ("pain_per_member.png", "funding_mix.png", "spending_paths.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from openpyxl import load_workbook

    book = load_workbook(out / "comparison.xlsx", read_only=True)
    assert {"about", "coalitions", "countries", "pain by country", "changes", "choice"} <= set(
        book.sheetnames
    )
    md = (out / "comparison.md").read_text()
    assert "## Coalition choice explained" in md and "![pain_per_member.png]" in md


def test_objectives_agree_with_the_reference(choice_run) -> None:
    path, out = choice_run
    table = pd.read_csv(out / "comparison.csv").set_index("coalition")
    for coalition in table.index:
        ref = solve_reference(path, coalition)
        assert ref["status"] == table.loc[coalition, "status"]
        assert table.loc[coalition, "objective"] == pytest.approx(ref["objective"], abs=1e-6)
        assert table.loc[coalition, "members"] == ";".join(ref["members"])


def test_countries_and_changes(choice_run) -> None:
    _path, out = choice_run
    countries = pd.read_csv(out / "comparison_countries.csv")
    table = pd.read_csv(out / "comparison.csv").set_index("coalition")
    for coalition, group in countries.groupby("coalition"):
        assert group["pain"].sum() == pytest.approx(table.loc[coalition, "total_pain"])
        assert group["country"].tolist() == table.loc[coalition, "members"].split(";")
    assert (countries["reference"] == "all").all()
    changes = pd.read_csv(out / "comparison_changes.csv")
    leaving = changes[(changes["from_coalition"] == "all") & (changes["to_coalition"] == "no_e")]
    assert set(leaving["leaving"]) == {"EEE"}
    pains = countries.set_index(["coalition", "country"])["pain"]
    for row in leaving.itertuples():
        assert row.pain_change == pytest.approx(
            pains["no_e", row.country] - pains["all", row.country]
        )


def test_choice_explained(choice_run) -> None:
    """Chosen AAA, FFF (required AAA; member cost 0.2). EEE shuts the facility."""
    _path, out = choice_run
    choice = pd.read_csv(out / "choice.csv").set_index("candidate")
    chosen = pd.read_csv(out / "comparison.csv").set_index("coalition").loc["chosen", "members"]
    assert set(choice.index[choice["chosen"]]) == set(chosen.split(";"))
    assert choice.loc["AAA", "required"]
    assert choice.loc["EEE", "closes_facility"] and not choice.loc["EEE", "chosen"]
    # at an optimal choice no single change improves the objective (required members aside)
    free = choice[~choice["required"]]
    assert (free["net_gain"] >= -1e-6).all()
    assert choice["reason"].str.len().gt(0).all()
    md = (out / "comparison.md").read_text()
    assert "EEE would shut it" in md
    duals = pd.read_csv(out / "choice_duals.csv")
    assert {"family", "marginal_pain", "meaning"} <= set(duals.columns)
    assert "capability target" in set(duals["family"])


def test_one_worker_gives_the_same_tables(choice_run) -> None:
    """The fixture ran with 2 workers; the same solves in this process give the same tables."""
    path, out = choice_run
    inst = load_instance(path)
    runs = solve_coalitions(inst, coalition_names(inst), SolveOptions(), workers=1)
    table = coalition_table(inst, runs)
    # the 2-worker run's tables were computed from its results as written (12 significant
    # digits, `optimizer.results.write.as_written`); these from the results in memory
    ids = ["members", "outsiders"]  # ids joined by ";" (an empty list reads back as NaN)
    pd.testing.assert_frame_equal(
        table.drop(columns=ids).reset_index(drop=True),
        pd.read_csv(out / "comparison.csv").drop(columns=ids),
        check_dtype=False,
        rtol=1e-11,
    )
    chosen = next(r for r in runs if r.name == "chosen")
    choice = explain_choice(inst, chosen, SolveOptions())
    written = pd.read_csv(out / "choice.csv")
    assert choice.table["net_gain"].tolist() == pytest.approx(
        written["net_gain"].tolist(), nan_ok=True, rel=1e-11, abs=0
    )


def test_teach_choice_instance() -> None:
    """teach-coalition-choice: AAA required; BBB kept for min_members 2 although it saves less
    than its member cost; CCC left out (saves 15 < 25); DDD forbidden."""
    inst = load_instance(INSTANCES / "teach-coalition-choice.yaml")
    chosen = solve_one(inst, "chosen", SolveOptions())
    assert chosen.result.summary["objective"] == pytest.approx(100)
    choice = explain_choice(inst, chosen, SolveOptions()).table.set_index("candidate")
    assert choice.loc["BBB", "pain_saved_by_presence"] == pytest.approx(20)
    assert "min_members" in choice.loc["BBB", "reason"]
    assert choice.loc["CCC", "pain_saved_by_presence"] == pytest.approx(15)
    assert choice.loc["CCC", "net_gain"] == pytest.approx(10)
    assert choice.loc["DDD", "reason"] == "forbidden by the instance"
