"""The Python API: `from optimizer import load, solve, compare` gives the tables of the files."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from optimizer import Comparison, InstanceWarning, compare, load, solve
from optimizer.instance import InstanceError
from optimizer.pipeline.one import UnknownCoalitionError

REPO = Path(__file__).resolve().parents[1]
CHOICE = REPO / "instances" / "teach-coalition-choice.yaml"
TEACH = REPO / "instances" / "teach-pain-curve.yaml"


def test_the_api_survives_the_solver_import() -> None:
    """Importing the solver package must not shadow the API function `optimizer.solve`."""
    from optimizer.solver.highs import solve_model  # noqa: F401  (imports the solver)

    assert callable(optimizer.solve) and optimizer.solve.__module__ == "optimizer.api"
    from optimizer import solve as again

    assert again is solve


def test_solve_returns_the_tables_of_the_result_folder(tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = solve(CHOICE, "all", out=out, report=False)
    assert result.status == "optimal"
    assert (out / "summary.json").is_file() and not (out / "report.md").exists()
    for name, table in [("countries", result.countries), ("procurement", result.procurement),
                        ("capabilities", result.capabilities)]:  # fmt: skip
        written = pd.read_csv(out / f"{name}.csv")
        assert list(table.columns) == list(written.columns), name
        assert len(table) == len(written), name
        numeric = written.select_dtypes("number").columns
        pd.testing.assert_frame_equal(
            table[numeric].astype(float).reset_index(drop=True),
            written[numeric].astype(float),
            check_exact=False,
            rtol=1e-9,
        )
    assert set(result.tables) >= {"sensitivity", "fairness"}


def test_teach_pain_curve_optimum_through_the_api() -> None:
    # The instance's header derives the optimum by hand: total pain 80 (see the file).
    result = solve(load(TEACH))
    assert result.summary["objective"] == pytest.approx(80.0, abs=1e-6)


def test_compare_gives_comparison_csv_as_a_dataframe() -> None:
    comparison = compare(CHOICE)
    assert isinstance(comparison, Comparison)
    inst = load(CHOICE)
    expected = [*inst.coalitions, "chosen"]
    assert list(comparison.coalitions["coalition"]) == expected
    assert set(comparison.results) == set(expected)
    for row in comparison.coalitions.itertuples():
        summary = comparison.results[row.coalition].summary
        assert row.status == summary["status"]
        assert row.objective == pytest.approx(summary["objective"])
    assert set(comparison.countries["coalition"]) <= set(expected)
    assert not comparison.countries.empty


def test_overrides_and_scenario_apply_as_on_the_command_line() -> None:
    base = solve(TEACH)
    higher = solve(TEACH, overrides={"spending_floor_pct_gdp.2028": 4})
    assert higher.summary["objective"] > base.summary["objective"]
    assert load(TEACH, ["spending_floor_pct_gdp.2028=4"]).overrides == (
        "spending_floor_pct_gdp.2028=4",
    )


def test_warnings_go_through_the_warnings_module() -> None:
    with pytest.warns(InstanceWarning, match=r"looks like a fraction.*value from overrides"):
        load(TEACH, {"spending_floor_pct_gdp.2028": 0.03})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(TEACH)  # a clean instance warns about nothing


def test_errors_are_exceptions_naming_the_field() -> None:
    with pytest.raises(InstanceError, match=r"countries\.AAA\.gdp"):
        load(TEACH, {"countries.AAA.gdp": -1})
    with pytest.raises(UnknownCoalitionError, match="nobody"):
        compare(CHOICE, ["nobody"])
    with pytest.raises(TypeError):
        solve(load(TEACH), overrides={"years": [2026, 2027]})  # overrides need the file


def test_warnings_name_the_callers_line() -> None:
    """A warning points at the line that called the API (so `warnings` filters by module work
    as for any library), whether it came through `load` or `solve`."""
    fraction = {"spending_floor_pct_gdp.2028": 0.03}
    with pytest.warns(InstanceWarning) as caught:
        load(TEACH, fraction)
        solve(TEACH, overrides=fraction)
    assert [Path(w.filename).name for w in caught] == ["test_api.py", "test_api.py"]
