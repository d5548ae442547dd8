"""Small instances for the coalition analyses (tests/test_coalitions.py, test_members.py,
test_shapley.py): few members, one or two years, so hundreds of solves take a second.

POOL6: six members in two identical pairs (AAA = BBB, CCC = DDD), a member that cannot deliver
its share alone (EEE: tax limit 0.1 % and it refuses common debt, so it also shuts the unanimity
facility wherever it is a member), a joint programme open to some only, a hard and a soft target.
POOL8: POOL6 plus two more members (GGG, HHH), for sampling against exact enumeration.
"""

from __future__ import annotations

from pathlib import Path

POOL6 = """\
name: pool6
currency: EUR
years: [2026, 2027]
defaults:
  tax_limit_pct_gdp: 2.0
  pain: {tax: [[0.5, 1.0], [null, 3.0]]}
countries:
  AAA: {gdp: 100, defence_pct_gdp: 2.0}
  BBB: {gdp: 100, defence_pct_gdp: 2.0}
  CCC: {gdp: 300, defence_pct_gdp: 1.5, debt_pct_gdp: 50, debt_ceiling_pct_gdp: 51,
        pain: {tax: [[0.2, 0.8], [null, 2.5]], debt: [[1.0, 0.6]]}}
  DDD: {gdp: 300, defence_pct_gdp: 1.5, debt_pct_gdp: 50, debt_ceiling_pct_gdp: 51,
        pain: {tax: [[0.2, 0.8], [null, 2.5]], debt: [[1.0, 0.6]]}}
  EEE: {gdp: 50, defence_pct_gdp: 1.0, tax_limit_pct_gdp: 0.1, accepts_common_debt: false}
  FFF: {gdp: 200, defence_pct_gdp: 2.5, pain: {tax: [[1.0, 0.5], [null, 4.0]]}}
%(extra_countries)s
capabilities:
  air:
    targets: {2027: 10}
    national: [{origin: us, unit_cost: 1.0}]
  land:
    targets: {2026: 2, 2027: 5}
    shortfall_penalty: 20
    national: [{origin: eu, unit_cost: 2.0}]
joint_programmes:
  shield: {capability: air, origin: eu, unit_cost: 0.7, eligible: [CCC, DDD, FFF]}
common_debt: {cap: 100, pain_weight: 0.4, requires_unanimity: true}
coalitions:
  all: "*"
  no_e: {all_except: [EEE]}
  pairs: [AAA, BBB, CCC, DDD]
%(choice)s
"""

EXTRA = """\
  GGG: {gdp: 150, defence_pct_gdp: 1.8, pain: {tax: [[0.3, 0.9], [null, 3.5]]}}
  HHH: {gdp: 80, defence_pct_gdp: 2.2, tax_limit_pct_gdp: 1.0}"""

CHOICE = """\
coalition_choice:
  candidates: "*"
  required: [AAA]
  member_cost: 0.2
"""


def pool6(*, choice: bool = False, extra: bool = False) -> str:
    """The YAML text of POOL6 (with `coalition_choice`, with GGG and HHH)."""
    return POOL6 % {
        "extra_countries": EXTRA if extra else "",
        "choice": CHOICE if choice else "",
    }


def write(folder: Path, text: str, name: str = "instance.yaml") -> Path:
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path
