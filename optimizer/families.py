"""The one registry of MODEL.md's constraint families.

Each family is stated once here: its Pyomo component (optimizer/model/*.py), its number in
MODEL.md's list of constraints, the name a planner reads, its sense, what its dual means, the
subject its rows are indexed by and the instance field a planner changes with `--set`.
Sensitivity and binding tables, the comparison report, `burden explain`'s diagnosis and
`burden verify`'s messages all read it. A new family of the spec touches the model, this
registry, the verifier and the independent test reference (ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One constraint family of MODEL.md as a planner names it."""

    constraint: str
    """The Pyomo component name (optimizer/model/*.py)."""
    number: str
    """Its number in MODEL.md's list of constraints (`objective`, `choice` for the others)."""
    label: str
    """Domain name, e.g. `tax limit`."""
    sense: str
    """`<=` (a limit), `>=` (a requirement) or `==` (a balance, never "binding")."""
    subject: str | None
    """What a row is about besides its country and year: `area`, `programme`, `origin`,
    `facility`, `option`; None if nothing."""
    what: str
    """What one unit of relaxation means, for the docs and the report."""
    meaning: str = ""
    """What its marginal pain means, in the comparison's duals table (empty: not shown there)."""
    field: str | None = None
    """The instance field behind its rows, as a `--set` path with `<c>` (country), `<k>` (area),
    `<j>` (programme), `<h>` (facility), `<g>` (origin) placeholders."""
    dual_label: str | None = None
    """The name of its dual where it differs from the family's (a balance's price)."""

    @property
    def heading(self) -> str:
        """`4. tax limit`: the family as `burden verify` names it."""
        return f"{self.number}. {self.label}" if self.number[0].isdigit() else self.label

    @property
    def is_limit(self) -> bool:
        """A limit or a requirement (listed in binding.csv), not a balance."""
        return self.sense != "=="


_ALL = (
    Family("spending_identity", "1", "spending identity", "==", None,
           "one billion more of increase than procurement and other spending"),
    Family("running_costs", "1b", "running costs", ">=", None,
           "one billion less of running costs to pay in the year"),
    Family("funding_balance", "2", "funding balance", "==", None,
           "one billion more of defence money in the year",
           dual_label="marginal cost of money"),
    Family("tax_limit", "4", "tax limit", "<=", None, "one unit more of tax headroom",
           "pain saved per bn more tax headroom", "countries.<c>.tax_limit_pct_gdp"),
    Family("social_floor", "5", "social-cut limit", "<=", None,
           "one unit more of room to cut social spending",
           "pain saved per bn more room to cut social spending",
           "countries.<c>.social_cut_limit_pct"),
    Family("debt_room", "6", "debt room", "<=", None, "one billion more of room under the ceiling",
           "pain saved per bn more room under the debt ceiling",
           "countries.<c>.debt_ceiling_pct_gdp"),
    Family("annual_borrowing_limit", "7", "borrowing limit", "<=", None,
           "one unit more of borrowing allowed in the year",
           "pain saved per bn more borrowing in the year", "countries.<c>.borrowing_limit_pct_gdp"),
    Family("spending_floor", "8", "spending floor", ">=", None,
           "one unit less of required increase",
           "pain saved per bn less increase the floor demands", "countries.<c>.floor_pct_gdp"),
    Family("ramp_limit", "9", "ramp limit", "<=", None,
           "the increase allowed to rise one unit faster into the year",
           "pain saved per bn faster ramp-up into the year", "countries.<c>.ramp_limit_pct_gdp"),
    Family("capability_targets", "10", "capability target", ">=", "area",
           "one unit of capability less to deliver",
           "pain saved per unit of capability less to deliver", "capabilities.<k>.targets"),
    Family("outsider_targets", "10b", "outsider's own share", ">=", "area",
           "one unit of capability less for the outsider to deliver",
           field="countries.<c>.capability_share_pct"),
    Family("programme_capacity", "11", "programme capacity", "<=", "programme",
           "one unit more of money the programme can absorb in the year",
           "pain saved per bn more programme capacity in the year",
           "joint_programmes.<j>.capacity_per_year"),
    Family("supply_limits", "11b", "supply limit", "<=", "option",
           "one unit more the national option can supply in the year",
           field="capabilities.<k>.national.<i>.capacity_per_year"),
    Family("common_debt_cap", "12", "common-debt cap", "<=", "facility",
           "one billion more of facility", "pain saved per bn more common-debt cap",
           "facilities.<h>.cap"),
    Family("common_debt_cap_per_year", "12", "common-debt yearly cap", "<=", "facility",
           "one billion more of facility in the year",
           "pain saved per bn more yearly common-debt cap", "facilities.<h>.cap_per_year"),
    Family("facility_allocations", "12", "facility allocation", "<=", "facility",
           "one billion more of the country's allocation",
           field="facilities.<h>.allocations.<c>"),
    Family("common_debt_procurement_only", "12", "common debt finances procurement only", "<=",
           None, "one billion of draw allowed beyond procurement",
           "pain saved per bn of draw beyond procurement"),
    Family("common_debt_content", "12", "common-debt EU-content rule", "<=", None,
           "one billion of draw allowed beyond the EU-content rule",
           "pain saved per bn of draw beyond the EU-content rule",
           "facilities.<h>.min_eu_content_pct"),
    Family("origin_shares", "13", "origin share", ">=", "origin",
           "one billion less of spending the origin quota demands",
           "pain saved per bn less spending the origin quota demands",
           "origin_min_share_pct.<g>"),
    Family("burden_share", "14", "burden share", ">=", None,
           "one billion less of increase the member must carry",
           "pain saved per bn less increase this member must carry", "burden_share_min_pct"),
    Family("max_pain_rows", "objective", "max-pain cap", ">=", None,
           "the member's pain allowed 1 % of its GDP above the egalitarian cap",
           "pain saved per % of GDP more allowed above the egalitarian cap"),
    Family("membership", "choice", "membership", "<=", None, "a country's pooling without membership"),
    Family("membership_draws", "choice", "membership", "<=", None,
           "a facility's draw without membership"),
    Family("min_members", "choice", "minimum members", ">=", None, "one member fewer required"),
    Family("facility_open", "choice", "common-debt unanimity", "<=", "facility",
           "a facility open although a member vetoes it"),
    Family("unanimity", "choice", "common-debt unanimity", "<=", "facility",
           "a facility open although a member vetoes it"),
)  # fmt: skip

#: Every constraint family, by Pyomo component name, in MODEL.md's order.
FAMILIES: dict[str, Family] = {f.constraint: f for f in _ALL}

#: Families that price a planner's lever in sensitivity.csv (the model's devices are left out).
PRICED: tuple[str, ...] = (
    "spending_floor", "capability_targets", "tax_limit", "social_floor", "debt_room",
    "annual_borrowing_limit", "ramp_limit", "programme_capacity", "common_debt_cap",
    "common_debt_cap_per_year", "common_debt_procurement_only", "common_debt_content",
    "running_costs", "outsider_targets", "supply_limits", "facility_allocations",
    "origin_shares", "burden_share", "max_pain_rows", "funding_balance",
)  # fmt: skip

#: Variables a diagnosis may name (the IIS can hold a variable's bound), in domain words.
VARIABLES: dict[str, str] = {
    "seg": "pain curve width",
    "short": "capability target",
    "short_share": "outsider's own share",
    "y": "membership",
}


def label(name: str) -> str:
    """The domain name of a constraint family or a variable; the name itself, spaced, if unknown."""
    if name in FAMILIES:
        return FAMILIES[name].label
    return VARIABLES.get(name, name.replace("_", " "))
