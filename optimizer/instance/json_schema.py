"""The instance format as JSON Schema, for editors (`burden schema`).

Generated from the pydantic models of `optimizer.instance.schema`, so it cannot drift from what
`burden validate` accepts: each field keeps its docstring as `description`, its range as
`minimum`/`exclusiveMinimum`/`maximum`, and gets its unit as `x-unit` (a keyword validators
ignore and editors show with the description). Three things pydantic cannot see are added here:

- a coalition is `"*"`, a list of countries, or a mapping with exactly one of `members`,
  `all_except`, `tags` (the model turns the first two into the third before validation);
- year-keyed mappings (paths, targets) have integer keys: in JSON, text made of digits;
- the `# yaml-language-server: $schema=...` line of every shipped instance points to the
  committed copy, `schema/instance.schema.json`, which a test keeps equal to this output.

What a JSON Schema cannot express stays with `burden validate`: references between sections
(a coalition member that is no country), a country's required fields after `defaults` are
merged, a target year outside the horizon, the order of years.
"""

from __future__ import annotations

import json
from typing import Any

from optimizer.instance.schema import InstanceFile

#: The draft the output declares (the one VS Code's and JetBrains' YAML support read).
DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Where the committed copy lives, relative to the repository root and to instances/.
SCHEMA_PATH = "schema/instance.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/instance.schema.json"

#: Units by field name; money is in billions of the instance's `currency`.
UNITS: dict[str, str] = {
    "gdp": "billions of the instance currency",
    "gdp_growth_pct": "% per year",
    "defence_pct_gdp": "% of GDP",
    "debt_pct_gdp": "% of GDP",
    "deficit_pct_gdp": "% of GDP",
    "debt_ceiling_pct_gdp": "% of GDP",
    "borrowing_limit_pct_gdp": "% of GDP per year",
    "social_pct_gdp": "% of GDP",
    "social_cut_limit_pct": "% of baseline social spending per year",
    "tax_limit_pct_gdp": "% of GDP per year",
    "reliability": "share, (0, 1]",
    "cost_factor": "multiplier",
    "floor_pct_gdp": "% of GDP",
    "ramp_limit_pct_gdp": "% of GDP per year",
    "population_m": "millions",
    "gov_expenditure_pct_gdp": "% of GDP",
    "federal_budget": "billions",
    "unit_cost": "billions per unit",
    "lead_time": "years",
    "targets": "units of the area's capability",
    "shortfall_penalty": "pain per unit of shortfall",
    "capacity_per_year": "units per year",
    "cap": "billions",
    "cap_per_year": "billions per year",
    "pain_weight": "pain per billion drawn",
    "national_debt_share": "share, [0, 1]",
    "min_eu_content_pct": "%",
    "member_cost": "pain per member",
    "min_members": "countries",
    "discount_rate_pct": "% per year",
    "spending_floor_pct_gdp": "% of GDP",
    "burden_share_min_pct": "%",
    "origin_min_share_pct": "% of all procurement",
    "years": "calendar years",
    "interest_rate_pct": "% per year",
    "capability_share_pct": "% of each capability target",
    "running_cost": "billions per unit in service per year",
    "allocations": "billions over the horizon",
}
#: Fields whose mapping keys are years.
YEAR_KEYED = ("spending_floor_pct_gdp", "floor_pct_gdp", "targets")
YEAR_KEY = {"pattern": "^-?[0-9]+$"}


def _ids(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _coalition(description: str) -> dict[str, Any]:
    """A coalition's three written forms (see `schema.Coalition._forms`)."""
    return {
        "description": description,
        "oneOf": [
            {"const": "*", "description": "Every country."},
            {**_ids("These countries."), "minItems": 1},
            {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "maxProperties": 1,
                "properties": {
                    "all": {"const": True, "description": 'Every country (as "*").'},
                    "members": {**_ids("These countries."), "minItems": 1},
                    "all_except": _ids("Every country but these."),
                    "tags": {**_ids("Every country carrying one of these tags."), "minItems": 1},
                },
            },
        ],
    }


def _annotate(node: Any, name: str | None = None) -> None:
    """Walk the schema: units on named properties, integer keys on year-keyed mappings."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for field, sub in properties.items():
                if field in UNITS and isinstance(sub, dict):
                    sub["x-unit"] = UNITS[field]
                _annotate(sub, field)
        if name in YEAR_KEYED and "additionalProperties" in node and node.get("type") == "object":
            node["propertyNames"] = YEAR_KEY
        for key, sub in node.items():
            if key != "properties":
                _annotate(sub, name if key in ("anyOf", "oneOf") else None)
    elif isinstance(node, list):
        for sub in node:
            _annotate(sub, name)


def instance_schema() -> dict[str, Any]:
    """The JSON Schema of an instance file (a dict, ready for `json.dumps`)."""
    schema = InstanceFile.model_json_schema(mode="validation")
    schema["$defs"]["Coalition"] = _coalition(schema["$defs"]["Coalition"]["description"])
    # `chosen` names the coalition the model picks (`burden compare`): no file may define it
    schema["properties"]["coalitions"]["propertyNames"] = {"not": {"const": "chosen"}}
    _annotate(schema)
    return {
        "$schema": DRAFT,
        "title": "burden instance file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    """The schema as the committed file holds it: sorted keys would scramble the order a reader
    expects, so pydantic's field order is kept; two-space indent, a final newline."""
    return json.dumps(instance_schema(), indent=2, ensure_ascii=False) + "\n"


#: Unit suffixes of field names, longest first, removed from a field's plain name.
_SUFFIXES = ("_pct_gdp", "_pct", "_m")


def field_label(path: str) -> str:
    """A field path in words, with its unit: what a figure's axis says.

    `spending_floor_pct_gdp.2035` → "spending floor in 2035, % of GDP";
    `countries.ITA.debt_ceiling_pct_gdp` → "ITA debt ceiling, % of GDP".
    """
    parts = path.split(".")
    years = [p for p in parts if p.lstrip("-").isdigit()]
    names = [p for p in parts if p not in years]
    if not names:
        return path
    field = names[-1]
    owner = names[1] if len(names) >= 3 and names[0] in _SECTIONS else ""
    plain = field
    for suffix in _SUFFIXES:
        if plain.endswith(suffix):
            plain = plain[: -len(suffix)]
            break
    words = " ".join(filter(None, [owner, plain.replace("_", " ")]))
    if parts[0] == "common_debt":
        words = f"common debt {words}"
    if names[0] == "countries" and len(names) > 3:  # e.g. countries.DEU.pain.tax
        words = f"{owner} {' '.join(names[2:])}".replace("_", " ")
    if years:
        words += f" in {years[0]}"
    unit = UNITS.get(field)
    return f"{words}, {unit}" if unit else words


_SECTIONS = ("countries", "capabilities", "joint_programmes", "defaults")
