"""Scale parsing, vocabularies and the immutability of loaded models."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from emergence_atlas.schema import AbilityEntry, parse_scale
from emergence_atlas.schema.quantities import check_bounds


@pytest.mark.parametrize(("raw", "value"), [
    ("13e9", 13e9), ("2e22", 2e22), ("2.3E+22", 2.3e22), ("2.3e22", 2.3e22), (13e9, 13e9),
    (175000000000, 175e9), ("13B", 13e9), ("40M", 40e6), ("1.4T", 1.4e12), ("7.1B", 7.1e9), ("500K", 5e5),
])
def test_accepted_scale_forms_normalise_to_floats(raw, value):
    parsed = parse_scale(raw)
    assert isinstance(parsed, float)
    assert math.isclose(parsed, value, rel_tol=1e-12)


@pytest.mark.parametrize("raw", ["13 billion", "13b", "40m", "12,850", "13G", "2.3e22 FLOPs", "", "1e", True, None, [1]])
def test_ambiguous_or_malformed_scale_values_are_rejected(raw):
    with pytest.raises(Exception) as info:
        parse_scale(raw)
    assert "scale_format" in repr(info.value) or "expected a number" in str(info.value)


@pytest.mark.parametrize(("value", "kind"), [(-1.0, "params"), (0.0, "params"), (math.inf, "train_flops"),
                                             (math.nan, "train_flops"), (1e40, "train_flops"), (10.0, "params"),
                                             (1e17, "train_tokens")])
def test_impossible_values_are_rejected(value, kind):
    with pytest.raises(Exception) as info:
        check_bounds(value, kind)
    assert "scale_range" in repr(info.value)


MINIMAL = {
    "id": "x", "ability": "X", "task": {"benchmark": "B", "name": "t"}, "category": "few_shot_prompting",
    "description": "d", "prompting": {"strategy": "few_shot"}, "model": {"family": "f", "size": "1B"},
    "source": {"key": "k2020x", "locator": "Table 1"},
}


def test_entries_are_immutable():
    entry = AbilityEntry.model_validate(MINIMAL)
    with pytest.raises(ValidationError):
        entry.ability = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("bad_id", ["../../x", "/etc/passwd", "a/b", "A", "a--b", "-a", "a-", "a_b", "a.b", ""])
def test_ids_that_could_escape_a_folder_are_rejected(bad_id):
    with pytest.raises(ValidationError):
        AbilityEntry.model_validate({**MINIMAL, "id": bad_id})


def test_a_boolean_is_not_text():
    with pytest.raises(ValidationError) as info:
        AbilityEntry.model_validate({**MINIMAL, "ability": False})
    assert info.value.errors()[0]["type"] == "string_type"
