"""The real catalog: counts per source group (no group may shrink), sample values, provenance."""

from __future__ import annotations

from collections import Counter

import pytest

import emergence_atlas

from .conftest import REPO


@pytest.fixture(scope="module")
def catalog():
    return emergence_atlas.load(REPO / "catalog")


def _group(catalog, key, locator_prefix):
    return [e for e in catalog if e.source.key == key and e.source.locator.startswith(locator_prefix)]


def test_table_1_rows(catalog):
    rows = _group(catalog, "wei2022emergent", "Table 1")
    assert len(rows) >= 22
    assert Counter(e.category.value for e in rows) == {"few_shot_prompting": 9, "augmented_prompting": 13}


def test_bigbench_groups_of_the_137_list(catalog):
    rows = [e for e in _group(catalog, "wei2022137", "BIG-Bench") if e.task.benchmark == "BIG-Bench"]
    groups = Counter(f"{e.model.family} {e.model.size}" for e in rows)
    assert groups == {"gpt-3 13B": 2, "gpt-3 175B": 15, "lamda 137B": 8, "palm 8B": 3, "palm 62B": 14, "palm 540B": 25}
    assert len({e.task.name for e in rows}) == 67
    assert all(e.model.name_in_source == "PaLM 64B" for e in rows if e.model.size == "62B")


def test_mmlu_topics_of_the_137_list(catalog):
    rows = [e for e in _group(catalog, "wei2022137", "MMLU") if e.task.benchmark == "MMLU"]
    sizes = Counter(e.model.size for e in rows)
    assert sizes["7B"] >= 7 and sizes["70B"] >= 40
    assert len({e.task.name for e in rows}) == len(rows)


def test_at_least_136_entries(catalog):
    assert len(catalog) >= 136


@pytest.mark.parametrize(("entry_id", "params", "flops", "params_printed", "flops_printed"), [
    ("arithmetic-3-digit-gpt-3-13b", 13e9, 2.3e22, "13B", "2.3E+22"),
    ("arithmetic-4-5-digit-gpt-3-175b", 175e9, 3.1e23, "175B", "3.1E+23"),
    ("toxicity-classification-civilcomments-gopher-7-1b", 7.1e9, 1.3e22, "7.1B", "1.3E+22"),
    ("truthfulqa-gopher-280b", 280e9, 5.0e23, "280B", "5.0E+23"),
    ("word-in-context-palm-540b", 540e9, 2.5e24, "540B", "2.5E+24"),
    ("scratchpad-8-digit-addition-lamda-40m", 40e6, 8.9e19, "40M", "8.9E+19"),
    ("calibration-p-true-anthropic-lm-52b", 52e9, 2.6e23, "52B", "2.6E+23"),
    ("ask-me-anything-prompting-eleutherai-6b", 6e9, 1.4e22, "6B", "1.4E+22"),
    ("chain-of-thought-strategyqa-palm-62b", 62e9, 2.9e23, "62B", "2.9E+23"),
])
def test_table_1_values_exactly_as_printed(catalog, entry_id, params, flops, params_printed, flops_printed):
    entry = catalog[entry_id]
    assert entry.scale.params.value == params and entry.scale.params.as_printed == params_printed
    assert entry.scale.train_flops.value == flops and entry.scale.train_flops.as_printed == flops_printed
    assert entry.scale.train_flops.source.key == "wei2022emergent"
    assert entry.scale.train_flops.source.locator == "Table 1"
    assert entry.scale.train_flops.basis.value == "reported"


def test_disagreements_are_kept_with_both_sources(catalog):
    flops = catalog["truthfulqa-gopher-280b"].scale.train_flops
    assert [(d.value, d.source.key) for d in flops.disagreements] == [(5.76e23, "hoffmann2022training")]


def test_registry_supplies_derived_scale_for_bigbench_entries(catalog):
    scale = catalog.scale("bigbench-hindu-knowledge-gpt-3-13b")
    assert scale.params.origin == "registry" and scale.params.basis.value == "derived"
    assert scale.params.value == 12.85e9 and scale.params.source.key == "brown2020language"


def test_unknown_scale_stays_unknown(catalog):
    seven_b = [e for e in catalog if e.model.family == "chinchilla" and e.model.size == "7B"]
    assert seven_b
    assert all(catalog.scale(e).value("params") is None for e in seven_b)


def test_every_entry_has_provenance_and_a_description(catalog):
    for entry in catalog:
        assert entry.source.key in catalog.references
        assert entry.source.locator.strip()
        assert len(entry.description.split()) >= 6, entry.id
        assert entry.description.strip() != entry.ability.strip()


def test_every_catalog_file_starts_with_a_schema_modeline():
    expected = {"abilities": "ability", "models": "model-family", "curves": "curve"}
    for folder, schema in expected.items():
        files = sorted((REPO / "catalog" / folder).glob("*.yaml"))
        assert files
        for path in files:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../schema/{schema}.schema.json", path.name
