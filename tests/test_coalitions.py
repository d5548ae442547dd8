"""`burden compare` as a planner's report, and coalition choice explained
(optimizer/pipeline/coalitions.py, optimizer/analysis/coalitions.py).

Each coalition's objective (and `chosen`'s) is checked against the independent reference
implementation; the files are checked for their columns and that they open; 2 workers must give
the same tables as 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

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

SVG = "{http://www.w3.org/2000/svg}"

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
        "comparison.xlsx", "choice.csv", "choice_duals.csv", "pain_per_member.svg",
        "funding_mix.svg", "spending_paths.svg", "capabilities.svg",
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
    for name in (
        "pain_per_member.svg",
        "funding_mix.svg",
        "spending_paths.svg",
        "capabilities.svg",
    ):
        svg = ElementTree.parse(out / name).getroot()  # well-formed, an SVG with a title
        assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.find(f"{SVG}title").text
    from openpyxl import load_workbook

    book = load_workbook(out / "comparison.xlsx", read_only=True)
    assert {"about", "coalitions", "countries", "pain by country", "changes", "choice"} <= set(
        book.sheetnames
    )
    md = (out / "comparison.md").read_text()
    assert "## Coalition choice explained" in md and "![pain_per_member.svg]" in md


def _cells(svg: ElementTree.Element) -> dict[tuple[str, ...], str]:
    cells = {}
    for rect in svg.iter(f"{SVG}rect"):
        tip = rect.find(f"{SVG}title")
        if tip is not None:
            where, value = tip.text.rsplit(": ", 1)
            cells[tuple(where.split(", "))] = value
    return cells


def test_figures_show_every_member_and_only_members(choice_run) -> None:
    """The pain table figure: one cell per (country, coalition) that is a member, holding its
    pain (3 significant digits); grey cells elsewhere."""
    _path, out = choice_run
    countries = pd.read_csv(out / "comparison_countries.csv")
    svg = ElementTree.parse(out / "pain_per_member.svg").getroot()
    cells = _cells(svg)
    assert set(cells) == {(r.country, r.coalition) for r in countries.itertuples()}
    for r in countries.itertuples():
        assert cells[r.country, r.coalition] == f"{r.pain:.3g}"
    grey = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "#eeeeee"]
    assert len(grey) == countries["country"].nunique() * countries["coalition"].nunique() - len(
        countries
    )


def test_an_outsiders_pain_is_shown_and_marked() -> None:
    """Under the `alliance` scope outsiders carry their own share: their pain is in the figure,
    marked °, and the caption says what ° means."""
    from optimizer.report.comparison_svg import pain_per_member

    countries = pd.DataFrame({
        "coalition": ["all", "all", "some", "some"],
        "country": ["AAA", "BBB", "AAA", "BBB"],
        "member": [True, True, True, False],
        "pain": [1.0, 2.0, 1.5, 2.25],
    })  # fmt: skip
    svg = ElementTree.fromstring(pain_per_member(countries, "EUR", "test"))
    cells = _cells(svg)
    assert cells == {("AAA", "all"): "1", ("BBB", "all"): "2", ("AAA", "some"): "1.5",
                     ("BBB", "some"): "2.25°"}  # fmt: skip
    assert any("°: an outsider" in (t.text or "") for t in svg.iter(f"{SVG}text"))


def test_capability_cells_say_met_or_how_far_short() -> None:
    """The capability figure: each area's last target year per coalition, green where met,
    light red within 10 % of the target, red below; the number in every cell."""
    from optimizer.report.comparison_svg import capability_delivery

    caps = pd.DataFrame({
        "coalition": ["all", "all", "all", "few", "few", "few"],
        "capability": ["air", "air", "land", "air", "air", "land"],
        "year": [2030, 2035, 2035, 2030, 2035, 2035],
        "delivered_pct": [50.0, 100.0, 100.0, 100.0, 95.0, 80.0],
    })  # fmt: skip
    svg = ElementTree.fromstring(capability_delivery(caps, "test"))
    fills = {}
    for rect in svg.iter(f"{SVG}rect"):
        tip = rect.find(f"{SVG}title")
        if tip is not None:
            fills[tip.text] = rect.get("fill")
    assert fills == {"air, all: 100": "#55A868", "land, all: 100": "#55A868",
                     "air, few: 95": "#f4a582", "land, few: 80": "#C44E52"}  # fmt: skip


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


def test_chosen_is_sent_first_and_each_run_kept_as_it_completes(monkeypatch) -> None:
    """In processes, `chosen` (the MILP, the longest solve) is sent first, so the other workers
    solve the named coalitions meanwhile; `on_run` sees each run once, as it completes; the
    runs come back in the order of the names."""
    from concurrent.futures import Future

    import optimizer.pipeline.coalitions as coalitions

    sent, kept = [], []

    class Pool:  # runs each task when it is sent, in this process
        def submit(self, fn, instance, name, *args):
            sent.append(name)
            future = Future()
            future.set_result(fn(instance, name, *args))
            return future

        def shutdown(self, wait=True):
            pass

    monkeypatch.setattr(coalitions, "started_pool", lambda n: Pool())
    monkeypatch.setattr(coalitions, "solve_one", lambda instance, name, *a: f"run of {name}")
    names = ["all", "no_e", "chosen", "pairs"]
    runs = coalitions.solve_coalitions(None, names, SolveOptions(), workers=2, on_run=kept.append)
    assert sent == ["chosen", "all", "no_e", "pairs"]
    assert sorted(kept) == sorted(runs) and len(kept) == 4
    assert runs == [f"run of {n}" for n in names]


@pytest.mark.parametrize(
    ("cpus", "asked", "expected"), [(8, (), 2), (1, (), 1), (8, ("--workers", "1"), 1)]
)
def test_compare_uses_one_process_per_coalition_by_default(
    tmp_path: Path, monkeypatch, cpus: int, asked: tuple[str, ...], expected: int
) -> None:
    """Two coalitions on eight CPUs: two processes; on one CPU, or told --workers 1: one."""
    import optimizer.cli.resume as resume
    import optimizer.pipeline.parallel as parallel

    seen = []

    def refuse(*args, workers, **kwargs):
        seen.append(workers)
        raise KeyboardInterrupt  # nothing solved: the workers asked for are what is tested

    monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(resume, "solve_missing", refuse)
    path = INSTANCES / "teach-coalition-choice.yaml"
    compare(path, "--coalitions", "all,chosen", "--out", tmp_path / "out", *asked)
    assert seen == [expected]


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
