"""Fairness: shares, reference allocations, the Olson–Zeckhauser test and the Gini of pain."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from optimizer.analysis.fairness import COALITION_ROW, gini, nato_shares, oz_verdict, spearman
from optimizer.instance import load_instance
from optimizer.pipeline.one import solve_coalition


def test_gini_by_hand():
    assert gini([1, 1, 1]) == 0
    # [0, 0, 3]: mean 1, mean absolute difference (2·3 + 2·3)/9 = 4/3 -> G = (4/3)/2 = 2/3
    assert gini([0, 0, 3]) == pytest.approx(2 / 3)
    assert gini([]) == 0 and gini([0, 0]) == 0


def test_nato_shares_cap_the_largest_at_the_second():
    # GDP 50, 30, 20: shares .5 .3 .2; f = 1/(1 - .5 + .3) = 1.25 -> .375, .375, .25
    shares = nato_shares(pd.Series({"A": 50.0, "B": 30.0, "C": 20.0}))
    assert shares.to_dict() == pytest.approx({"A": 0.375, "B": 0.375, "C": 0.25})
    assert shares.sum() == pytest.approx(1)


def test_spearman_and_verdict():
    rho, p = spearman([1, 2, 3, 4], [10, 20, 30, 40])
    assert rho == pytest.approx(1) and p < 0.05
    # scipy.stats.spearmanr's values (scipy 1.17), with ties in the second case
    cases = [
        (([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), (0.8, 0.10408803866182788)),
        (([3, 1, 4, 1.5, 5, 9, 2], [2, 7, 1, 8, 2, 8, 1]), (-0.05506673236607644,
                                                           0.9066574853325707)),
        ((range(10, 101, 10), [1, 3, 2, 5, 4, 7, 6, 9, 8, 10]), (0.9515151515151514,
                                                                 2.279854920641689e-05)),
    ]  # fmt: skip
    for (x, y), (rho, p) in cases:
        assert spearman(list(x), y) == pytest.approx((rho, p), rel=1e-9)
    assert spearman([1, 2], [1, 2]) == (None, None)
    assert "small exploit the large" in oz_verdict(0.9, 0.01)
    assert "no significant relation" in oz_verdict(0.2, 0.6)
    assert "not testable" in oz_verdict(None, None)


TOY = """\
name: fair
currency: EUR
years: [2026, 2026]
spending_floor_pct_gdp: 2.0
defaults:
  pain: {tax: [[null, 1]]}
countries:
  BIG: {gdp: 3000, defence_pct_gdp: 1.0, population_m: 60}
  MID: {gdp: 1000, defence_pct_gdp: 1.5, population_m: 40}
  SML: {gdp: 100, defence_pct_gdp: 2.0, population_m: 10}
capabilities:
  ammo: {targets: {2026: 0}, national: [{origin: eu, unit_cost: 1}]}
coalitions:
  all: "*"
"""


def test_fairness_table_by_hand(tmp_path):
    """Floor 2 %: BIG adds 1 pp (30), MID 0.5 pp (5), SML nothing. Total increase 35.
    GDP shares 3000/4100 etc.; ability weights GDP²/pop: 150000, 25000, 1000."""
    path = tmp_path / "fair.yaml"
    path.write_text(textwrap.dedent(TOY), encoding="utf-8")
    result = solve_coalition(load_instance(path))
    table = result.tables["fairness"].set_index("country")
    assert table.loc["BIG", "increase_total"] == pytest.approx(30)
    assert table.loc["MID", "increase_share_pct"] == pytest.approx(100 * 5 / 35)
    assert table.loc["SML", "increase_share_pct"] == pytest.approx(0)
    assert table.loc["BIG", "gdp_share_pct"] == pytest.approx(100 * 3000 / 4100)
    assert table.loc["MID", "population_share_pct"] == pytest.approx(100 * 40 / 110)
    assert table.loc["BIG", "ref_ability_share_pct"] == pytest.approx(100 * 150000 / 176000)
    assert table.loc["BIG", "gdp_gap"] == pytest.approx(30 - 35 * 3000 / 4100)
    assert table.loc["BIG", "pain_pct_gdp"] == pytest.approx(1.0)  # 30 pain / 3000
    # increase in % of GDP: 1.0, 0.5, 0 -> perfectly rank-correlated with GDP
    coalition = table.loc[COALITION_ROW]
    assert coalition["oz_rho"] == pytest.approx(1)
    assert coalition["increase_share_pct"] == pytest.approx(100)
    assert coalition["gini_pain_pct_gdp"] == pytest.approx(gini([1.0, 0.5, 0.0]))
    assert result.summary["fairness"]["oz_rho"] == pytest.approx(1)


def test_fairness_without_population(tmp_path):
    path = tmp_path / "fair.yaml"
    path.write_text(textwrap.dedent(TOY).replace(", population_m: 10", ""), encoding="utf-8")
    table = solve_coalition(load_instance(path)).tables["fairness"]
    assert table["population_share_pct"].isna().all()
    assert table["ref_ability_share_pct"].isna().all()
    assert table["ref_gdp_share_pct"].notna().iloc[:3].all()
