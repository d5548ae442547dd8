"""How every report names and colours the funding sources (the terminal, report.html, the
comparison's figures): one place, so that a source reads and looks the same everywhere."""

from __future__ import annotations

from optimizer.analysis.rows import FUNDING

LABELS: dict[str, str] = {
    "tax": "tax",
    "social_cut": "social cut",
    "national_debt": "national debt",
    "common_debt": "common debt",
}
#: The terminal's narrower column headings.
SHORT_LABELS: dict[str, str] = {**LABELS, "national_debt": "nat. debt"}
COLOURS: dict[str, str] = {
    "tax": "#4C72B0",
    "social_cut": "#DD8452",
    "national_debt": "#55A868",
    "common_debt": "#8172B3",
}


def money(currency: str) -> str:
    """The unit of money in every report: billions of the instance's currency."""
    return f"bn {currency}".strip()


__all__ = ["COLOURS", "FUNDING", "LABELS", "SHORT_LABELS", "money"]
