"""`burden schema`: the instance format as JSON Schema, for editors.

- The committed schema/instance.schema.json is exactly what `burden schema` prints (it cannot
  drift from the pydantic models), and is a valid Draft 2020-12 schema.
- Every shipped instance starts with the `# yaml-language-server: $schema=...` line that points
  to it, and validates against it.
- A one-rule bad file of tests/bad/ fails the schema wherever a JSON Schema can express its rule;
  the files whose rule it cannot express (references, merged defaults, order of years, YAML
  1.1 spellings, values JSON has no spelling for) are listed with the reason, and their valid
  remainder passes, so the schema is not stricter than `burden validate`.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # the test extra: pip install -e ".[test]"
import pytest
import yaml
from test_bad_corpus import run_burden

from optimizer.instance.json_schema import MODELINE, SCHEMA_PATH, schema_text

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad"
INSTANCES = sorted((ROOT / "instances").glob("*.yaml"))

#: Bad files whose one rule a JSON Schema states (type, range, required key, unknown key, enum,
#: the coalition's forms, the reserved name `chosen`, the length of `years`).
EXPRESSIBLE = """
bool-not-bool chosen-reserved coalition-empty-list coalition-form-number coalition-no-form
coalition-two-forms country-not-mapping loader-empty loader-line-100 loader-no-in-list
loader-not-mapping minus-infinity-rejected national-not-list number-quoted number-with-unit
objective-unknown range-borrowing-limit-negative range-cap-per-year-negative
range-capacity-negative range-cost-factor-zero range-country-floor-negative
range-debt-ceiling-negative range-defence-negative range-discount-negative
range-eu-content-above-100 range-eu-content-zero range-floor-path-negative range-gdp-zero
range-growth-minus-100 range-kappa-above-one range-lead-time-fraction range-lead-time-negative
range-member-cost-negative range-min-members-negative range-origin-share-negative
range-pain-segment-shape range-pain-weight-negative range-pain-width-zero range-penalty-negative
range-programme-unit-cost-zero range-ramp-negative range-reliability-above-one
range-reliability-zero range-social-cut-negative range-target-negative range-tax-limit-negative
range-unit-cost-negative range-years-fraction range-years-quoted range-years-three
required-capabilities-empty required-coalitions-empty required-common-debt-cap
required-common-debt-pain-weight required-countries-empty required-countries required-name
required-option-origin required-option-unit-cost required-programme-capability
required-programme-origin required-programme-unit-cost required-years
shape-candidates-members-text shape-common-debt-number shape-country-null shape-decimal-comma
shape-eligible-text shape-gdp-bool shape-option-id-number shape-pain-segment-empty
shape-targets-list shape-unknown-pain-source shape-years-one shape-years-text tag-not-text
target-year-fraction typo-country-field typo-section-field typo-top-level
facility-allocation-negative facility-cap-missing facility-interest-negative
range-capability-share-above-100 range-country-interest-negative range-limit-path-negative
range-option-capacity-negative range-running-cost-negative
""".split()

#: Bad files whose rule is beyond a JSON Schema, by reason; the rest of each file is valid.
BEYOND = {
    "a reference to another section": """candidates-unknown-coalition
        default-coalition-unknown programme-capability-unknown ref-all-except-unknown
        ref-candidates-unknown ref-coalition-member-unknown ref-facility-eligible-unknown
        ref-forbidden-unknown ref-programme-eligible-unknown ref-required-unknown
        required-and-forbidden required-not-candidate option-ids-repeat
        alliance-unknown-coalition facility-allocation-unknown-country facility-eligible-unknown""",
    "who is in the alliance (coalitions and candidates resolved against it)": """alliance-empty
        alliance-missing-candidate alliance-missing-member""",
    "names that become folders (slugs, control characters, collisions)": """name-control-character
        name-dot name-empty coalition-names-share-a-folder coalition-country-twice""",
    "who is in a coalition (tags resolved against countries)": """candidates-empty
        coalition-empty-tags""",
    "fields required after `defaults` are merged": """required-debt-with-ceiling
        required-defence required-gdp required-social-with-cut-limit""",
    "a rule across fields or items": """burden-share-under-choice choice-candidate-unbounded
        range-pain-null-width-not-last range-pain-weights-decrease range-target-year-outside
        range-years-reversed choice-candidate-path-gap facilities-and-common-debt""",
    "JSON has no such value or key (infinity, NaN, quoted or repeated keys)": """infinity-rejected
        nan-in-path nan-rejected target-year-quoted shape-duplicate-year loader-duplicate-country
        loader-duplicate-field loader-number-as-id""",
    "YAML 1.1 spellings the loader refuses": "loader-no-as-false loader-on-as-key",
    "magnitudes that are legal but absurd (sanity checks)": """sanity-extreme-number
        sanity-gdp-overflow sanity-horizon-too-long sanity-huge-integer sanity-tiny-divisor""",
}


def _json(value):
    """What an editor validates: the YAML as JSON (mapping keys are text)."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_the_command_output(tmp_path: Path) -> None:
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), (
        "schema/instance.schema.json is stale: run `burden schema --out schema/instance.schema.json`"
    )
    code, printed = run_burden("schema")
    assert code == 0 and json.loads(printed) == json.loads(schema_text())
    out = tmp_path / "sub" / "instance.schema.json"
    assert run_burden("schema", "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == schema_text()


def test_schema_carries_descriptions_units_and_ranges() -> None:
    schema = json.loads(schema_text())
    country = schema["$defs"]["CountryFields"]["properties"]
    ceiling = country["debt_ceiling_pct_gdp"]
    assert "Debt ceiling" in ceiling["description"] and ceiling["x-unit"] == "% of GDP"
    assert {"minimum": 0, "type": "number"} in ceiling["anyOf"]
    reliability = next(s for s in country["reliability"]["anyOf"] if s.get("type") == "number")
    assert reliability["exclusiveMinimum"] == 0 and reliability["maximum"] == 1
    assert schema["properties"]["discount_rate_pct"]["x-unit"] == "% per year"
    assert schema["$defs"]["CountryFields"]["additionalProperties"] is False


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.name)
def test_shipped_instance_points_to_and_passes_the_schema(path: Path, validator) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    # the line's relative path resolves, from instances/, to the committed schema
    target = (path.parent / MODELINE.split("$schema=", 1)[1]).resolve()
    assert target == (ROOT / SCHEMA_PATH).resolve()
    errors = list(validator.iter_errors(_json(yaml.safe_load(text))))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.mark.parametrize("name", EXPRESSIBLE)
def test_bad_file_fails_the_schema(name: str, validator) -> None:
    document = yaml.safe_load((BAD / f"{name}.yaml").read_text(encoding="utf-8"))
    assert not validator.is_valid(_json(document)), f"{name}: the schema accepts it"


@pytest.mark.parametrize("name", [n for names in BEYOND.values() for n in names.split()], ids=str)
def test_rules_beyond_the_schema_are_listed_and_the_rest_passes(name: str, validator) -> None:
    """If one of these starts failing the schema, move it to EXPRESSIBLE."""
    document = yaml.safe_load((BAD / f"{name}.yaml").read_text(encoding="utf-8"))
    errors = list(validator.iter_errors(_json(document)))
    assert not errors, [e.message for e in errors]


def test_every_bad_file_is_classified() -> None:
    """A new bad file must say whether the schema can catch it."""
    beyond = {n for names in BEYOND.values() for n in names.split()}
    loader_only = {"loader-alias-bomb"}  # a rule of the loader (alias expansion), not of fields
    unparsed = set()
    for path in BAD.glob("*.yaml"):
        if path.stem in loader_only:  # expanding it is the loader's test (34 s here)
            continue
        try:
            _json(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, RecursionError):
            unparsed.add(path.stem)  # not YAML an editor could validate at all
    names = {p.stem for p in BAD.glob("*.yaml")} - unparsed - loader_only
    assert names == set(EXPRESSIBLE) | beyond
    assert not set(EXPRESSIBLE) & beyond
