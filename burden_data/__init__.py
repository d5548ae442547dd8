"""Real-data instances: generated from `data/countries.csv`, never edited by hand.

`build_nato_instances` writes `nato-2035.yaml` and the three `brussels-2025-*.yaml` price
instances; `build_hague_instance` writes `hague-2035.yaml` from the 2025 data (model version 2).
`base_year_facts`, `facts_2025` and `level_prices` reproduce the headline facts from a loaded
instance, so the numbers quoted in the files can be re-checked.
"""

from burden_data.facts import base_year_facts, facts_2025, format_facts, level_prices
from burden_data.hague import build_hague_instance
from burden_data.nato import build_nato_instances

__all__ = [
    "base_year_facts",
    "build_hague_instance",
    "build_nato_instances",
    "facts_2025",
    "format_facts",
    "level_prices",
]
