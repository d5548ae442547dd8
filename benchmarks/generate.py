"""Synthetic instances by size, for benchmarks: countries × years × areas × programmes.

`python benchmarks/generate.py --size medium --out /tmp/medium.yaml` writes one. Sizes:

| size   | countries | years | areas | programmes |
|--------|-----------|-------|-------|------------|
| nato   | 32        | 10    | 8     | 10         |
| medium | 64        | 20    | 25    | 40         |
| large  | 256       | 30    | 50    | 100        |

Every instance uses the features that shape the LP: three pain curves of two segments, tax and
social limits, debt ceilings and borrowing limits, a floor path, a ramp limit, three national
options per area with lead times, capacity-limited joint programmes with eligibility lists, soft
targets in every third year and a common-debt facility with a content rule. Numbers are drawn
from a seeded generator, so a size always gives the same file.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SIZES: dict[str, tuple[int, int, int, int]] = {
    "tiny": (4, 3, 2, 2),
    "nato": (32, 10, 8, 10),
    "medium": (64, 20, 25, 40),
    "large": (256, 30, 50, 100),
}
FIRST_YEAR = 2026


def country_id(i: int) -> str:
    """Three capital letters, never a YAML 1.1 boolean (the ids start with X)."""
    return "X" + chr(65 + (i // 26) % 26) + chr(65 + i % 26)


def synthetic_instance(
    countries: int, years: int, areas: int, programmes: int, seed: int = 0
) -> dict:
    """An instance document of the given size."""
    rng = random.Random(seed)
    last = FIRST_YEAR + years - 1
    ids = [country_id(i) for i in range(countries)]
    doc: dict = {
        "name": f"synthetic-{countries}x{years}x{areas}x{programmes}",
        "description": "Synthetic benchmark instance (benchmarks/generate.py).",
        "currency": "EUR",
        "years": [FIRST_YEAR, last],
        "discount_rate_pct": 2.0,
        "spending_floor_pct_gdp": {FIRST_YEAR: 2.0, last: 3.5},  # reachable under the ramp
        "ramp_limit_pct_gdp": 0.6,
        "defaults": {
            "gdp_growth_pct": 2.5,
            "pain": {
                "tax": [[0.5, 1.0], [None, 2.0]],
                "social": [[0.3, 1.5], [None, 3.0]],
                "debt": [[1.0, 0.6], [None, 1.4]],
            },
        },
        "countries": {},
        "capabilities": {},
        "joint_programmes": {},
        "common_debt": {
            "cap": 150.0,
            "cap_per_year": 40.0,
            "pain_weight": 0.4,
            "min_eu_content_pct": 65.0,
        },
        "coalitions": {"all": "*", "half": ids[: max(1, countries // 2)]},
    }
    total_gdp = 0.0
    for cid in ids:
        gdp = round(rng.lognormvariate(5.0, 1.2), 1) + 5.0
        total_gdp += gdp
        doc["countries"][cid] = {
            "gdp": gdp,
            "defence_pct_gdp": round(rng.uniform(1.5, 2.5), 2),
            "debt_pct_gdp": round(rng.uniform(20, 140), 1),
            "deficit_pct_gdp": round(rng.uniform(-1, 3), 1),
            "debt_ceiling_pct_gdp": 250.0,
            "borrowing_limit_pct_gdp": 1.5,
            "social_pct_gdp": round(rng.uniform(12, 25), 1),
            "social_cut_limit_pct": 3.0,
            "tax_limit_pct_gdp": round(rng.uniform(1.0, 2.0), 2),
            "reliability": round(rng.uniform(0.8, 1.0), 2),
            "cost_factor": round(rng.uniform(0.9, 1.2), 2),
            "tags": ["eu"] if rng.random() < 0.7 else [],
        }
    for a in range(areas):
        name = f"area{a:02d}"
        unit_cost = round(rng.uniform(0.5, 5.0), 2)
        # targets need about a quarter of a point of the coalition's GDP per area by the end
        yearly = 0.0025 * total_gdp / areas / unit_cost
        doc["capabilities"][name] = {
            "unit": "unit",
            "lead_time": rng.randint(0, 2),
            "targets": {
                t: round(yearly * (t - FIRST_YEAR + 1), 3)
                for t in range(FIRST_YEAR + 2, last + 1, 3)
            },
            "shortfall_penalty": 20.0,
            "national": [
                {"id": "us", "origin": "us", "unit_cost": unit_cost},
                {"id": "eu", "origin": "eu", "unit_cost": round(unit_cost * 1.15, 2)},
                {"id": "dom", "origin": "domestic", "unit_cost": round(unit_cost * 1.3, 2)},
            ],
        }
    for j in range(programmes):
        area = f"area{j % areas:02d}"
        base = doc["capabilities"][area]["national"][0]["unit_cost"]
        eligible = sorted(rng.sample(ids, k=max(1, len(ids) // 2)))
        doc["joint_programmes"][f"prog{j:03d}"] = {
            "capability": area,
            "origin": "eu",
            "unit_cost": round(base * rng.uniform(0.8, 0.95), 3),
            "lead_time": rng.randint(1, 3),
            "capacity_per_year": round(rng.uniform(5, 50), 1),
            "eligible": eligible,
        }
    return doc


def write_instance(size: str, out: Path, seed: int = 0) -> Path:
    """Write the instance of a named size to `out`."""
    doc = synthetic_instance(*SIZES[size], seed=seed)
    out.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    """Command line: write one synthetic instance."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="nato")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_instance(args.size, args.out, args.seed))


if __name__ == "__main__":
    main()
