"""tools/pain_ranges.py: each country's pain over the equally optimal plans (hand-derived).

teach-alliance (its header has the data): coalition `pair` buys 20 units through `shared` at
0.5 = 10 money, and both members raise tax at weight 1 with no floor, so any split of the 10
between AAA and BBB is optimal and buys the same: each country's pain ranges over [0, 10], and
the two written pains sum to 10. Coalition `solo`: AAA (member) 5, BBB (outsider) 10, each fixed
by its own rows: both ranges are 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from pain_ranges import main, pain_ranges  # noqa: E402

from optimizer.instance import load_instance  # noqa: E402

ALLIANCE = ROOT / "instances" / "teach-alliance.yaml"


def test_a_tied_split_has_the_whole_range() -> None:
    table = pain_ranges(load_instance(ALLIANCE), "pair").set_index("country")
    assert table.loc[["AAA", "BBB"], "pain_min"].tolist() == pytest.approx([0, 0], abs=1e-6)
    assert table.loc[["AAA", "BBB"], "pain_max"].tolist() == pytest.approx([10, 10], rel=1e-6)
    assert table["pain"].sum() == pytest.approx(10, rel=1e-9)


def test_a_decided_split_has_no_range() -> None:
    table = pain_ranges(load_instance(ALLIANCE), "solo").set_index("country")
    assert table.loc["AAA", "pain"] == pytest.approx(5, rel=1e-9)
    assert table.loc["BBB", "pain"] == pytest.approx(10, rel=1e-9)
    assert table["range"].abs().max() < 1e-5
    assert not table.loc["BBB", "member"]


def test_the_csv_is_never_written_over(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ranges.csv"
    assert main([str(ALLIANCE), "--coalition", "pair", "--out", str(out)]) == 0
    assert "2 of 2 countries" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([str(ALLIANCE), "--coalition", "pair", "--out", str(out)])
    assert main([str(ALLIANCE), "--coalition", "pair", "--out", str(out), "--force"]) == 0
