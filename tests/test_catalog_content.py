"""The real catalog: counts per source group (no group may shrink), sample values, provenance."""

from __future__ import annotations

from collections import Counter

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def catalog(real_catalog):
    return real_catalog


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


#: Emergence claims from 2023 on, and claims along other axes: entries per source (no group may shrink).
LATER_CLAIMS = {
    "openai2023gpt4": 1, "openai2024learning": 2, "deepseekai2025deepseekr1": 1, "snell2024scaling": 1,
    "brown2024large": 1, "olsson2022incontext": 1, "power2022grokking": 1, "wang2024grokked": 1,
    "kosinski2024evaluating": 1, "webb2023emergent": 1, "eldan2023tinystories": 1, "muckatira2024emergent": 1,
}

#: Entries per axis other than model scale (no axis may lose entries).
OTHER_AXES = {"training_steps": 3, "rl_compute": 2, "test_time_compute": 2, "samples": 1, "data": 2,
              "model_comparison": 2}


def test_later_claims_per_source(catalog):
    counts = Counter(e.source.key for e in catalog)
    shrunk = {key: counts[key] for key, n in LATER_CLAIMS.items() if counts[key] < n}
    assert shrunk == {}


def test_entries_per_other_axis(catalog):
    counts = Counter(e.axis.name.value for e in catalog if e.axis is not None)
    shrunk = {axis: counts[axis] for axis, n in OTHER_AXES.items() if counts[axis] < n}
    assert shrunk == {}
    # every entry on another axis describes a shape or a bound, never a size interval
    forms = {e.emergence.form.value for e in catalog if e.axis is not None and e.axis.name.value in OTHER_AXES}
    assert forms <= {"shape", "upper_bound"}, forms


def test_later_contests_and_support_are_recorded(catalog):
    def relations(entry_id):
        return [(r.type.value, r.source.key, r.reason.value, r.scope.value) for r in catalog[entry_id].relations]

    moral = catalog["moral-self-correction-anthropic-rlhf-22b"]
    assert moral.status.value == "contested"
    assert ("contests", "liu2025smaller", "other", "task_variant") in relations(moral.id)
    tom = catalog["theory-of-mind-false-belief-openai-gpt4"]
    assert tom.status.value == "contested"
    assert relations(tom.id) == [("contests", "ullman2023large", "other", "task_variant")]
    assert relations("implicit-reasoning-grokking-grokked-transformers-small") == [
        ("supports", "power2022grokking", "other", "task_variant")]
    assert relations("humaneval-predictable-scaling-openai-gpt4") == [
        ("supports", "hu2024predicting", "other", "task_variant")]


def test_golden_deepseek_r1_zero_keeps_both_versions(catalog):
    entry = catalog["aime-reasoning-under-rl-deepseek-r1zero"]
    assert (entry.axis.name.value, entry.axis.unit) == ("rl_compute", "RL training steps (policy updates)")
    assert (entry.source.key, entry.source.locator, entry.source.evidence.value) == (
        "deepseekai2025deepseekr1", "Figure 1 (caption); Table 1", "excerpt")
    top, start = entry.emergence.score_at, entry.emergence.score_below
    assert (top.value, top.scale.value, top.source.locator, top.source.evidence.value) == (
        77.9, "percent", "Figure 1a and its description in the text (end of RL training)", "secondary")
    assert "71.0%" in top.note and "deepseekai2025incentivizing" in top.note
    assert (start.value, start.scale.value, start.source.locator) == (
        15.6, "percent", "Figure 1a and its description in the text (start of RL training)")
    assert [(s.key, s.role.value, s.evidence.value) for s in entry.additional_sources] == [
        ("deepseekai2025incentivizing", "primary_evidence", "secondary")]


def test_golden_theory_of_mind_scores_and_items(catalog):
    entry = catalog["theory-of-mind-false-belief-openai-gpt4"]
    assert (entry.task.items.value, entry.task.items.source.key, entry.task.items.source.locator) == (
        40, "kosinski2024evaluating", "Abstract")
    assert (entry.emergence.score_at.value, entry.emergence.score_below.value) == (75, 20)
    assert entry.emergence.score_at.source.locator == entry.emergence.score_below.source.locator == "Abstract"
    assert (entry.axis.name.value, entry.model.family, entry.model.size) == ("model_comparison", "openai", "GPT4")


def test_golden_repeated_sampling_coverage(catalog):
    entry = catalog["repeated-sampling-coverage-deepseek-coderv2instruct"]
    assert (entry.axis.name.value, entry.axis.unit, entry.direction.value) == (
        "samples", "samples per problem", "smooth")
    assert (entry.emergence.score_below.value, entry.emergence.score_at.value) == (15.9, 56)
    assert entry.emergence.score_at.source.locator == "Abstract; authors' release post"
    assert entry.model.name_in_source == "DeepSeek-V2-Coder-Instruct"


def test_golden_tinystories_bound_in_the_registry(catalog):
    entry = catalog["coherent-stories-simplified-data-tinystories-lms-10m"]
    assert entry.emergence.form.value == "upper_bound" and entry.axis.name.value == "data"
    params = catalog.scale(entry).params
    assert (params.value, params.as_printed, params.source.key, params.source.locator) == (
        10e6, "below 10 million total parameters", "eldan2023tinystories", "Abstract")


def test_author_names_are_decoded(catalog):
    refs = catalog.references
    assert refs["openai2023gpt4"].short_citation == "OpenAI 2023"
    assert refs["deepseekai2025deepseekr1"].authors == ("DeepSeek-AI",)
    assert "Kamilė Lukošiūtė" in refs["ganguli2023capacity"].authors
    assert "Christopher Ré" in refs["brown2024large"].authors


# Harms that change with scale: entries of kind risk or mitigation, by the work they come from.
RISK_GROUPS = {
    "lin2022truthfulqa": 2,
    "ganguli2023capacity": 1,
    "carlini2023quantifying": 1,
    "perez2022discovering": 3,
    "wei2023simple": 1,
    "mckenzie2023inverse": 1,
    "openai2023gpt4": 1,
    "ganguli2022red": 1,
    "askell2021general": 1,
    "betley2025emergent": 1,
    "wei2023inverse": 1,
}


def test_risk_and_mitigation_groups_do_not_shrink(catalog):
    rows = [e for e in catalog if e.kind.value != "ability"]
    counts = Counter(e.source.key for e in rows)
    for key, expected in RISK_GROUPS.items():
        assert counts[key] >= expected, (key, counts[key])
    assert len(rows) >= sum(RISK_GROUPS.values())
    # most harms have a direction, not a threshold: each of these is a shape claim
    ours = [e for e in rows if e.source.key in RISK_GROUPS]
    assert all(e.emergence.form.value == "shape" for e in ours)
    assert Counter(e.direction.value for e in ours) >= Counter(
        {"inverse": 9, "u_shaped": 2, "mixed": 1, "smooth": 1, "emergent": 1})
    assert [e.id for e in ours if e.emergent_sense.value == "other"] == ["emergent-misalignment-insecure-code-openai-gpt4o"]


def test_memorization_entry_keeps_its_lower_bound(catalog):
    entry = catalog["extractable-memorization-pile-eleutherai-6b"]
    assert (entry.kind.value, entry.direction.value, entry.metric.higher_is_worse) == ("risk", "inverse", True)
    assert (entry.model.family, entry.model.size) == ("eleutherai", "6B")
    score = entry.emergence.score_at
    assert (score.value, score.scale.value, score.basis.value) == (1, "percent", "reported")
    assert (score.source.key, score.source.locator, score.source.evidence.value) == (
        "carlini2023quantifying", "Section 1", "excerpt")
    assert (entry.source.key, entry.source.locator) == ("carlini2023quantifying", "Abstract; Section 1")


def test_sycophancy_is_contested_by_another_family(catalog):
    entry = catalog["sycophancy-anthropic-lm-2022-52b"]
    assert entry.status.value == "contested"
    assert [(r.type.value, r.source.key, r.reason.value, r.scope.value) for r in entry.relations] == [
        ("contests", "nostalgebraist2023openai", "other", "task_variant")]
    params = catalog.scale(entry.id).params
    assert (params.value, params.source.key, params.source.locator) == (52e9, "ganguli2022red", "Abstract")
    assert catalog["sycophancy-palm-540b"].related == ("sycophancy-anthropic-lm-2022-52b",)


def test_hindsight_neglect_is_a_named_model_comparison(catalog):
    entry = catalog["hindsight-neglect-openai-gpt4"]
    assert (entry.direction.value, entry.axis.name.value) == ("u_shaped", "model_comparison")
    assert (entry.model.family, entry.model.size) == ("openai", "GPT4")
    assert (entry.source.key, entry.source.locator, entry.source.evidence.value) == (
        "openai2023gpt4", "Section 3.2; Figure 3", "excerpt")
    assert catalog.scale(entry.id).value("params") is None
    prize = catalog["inverse-scaling-prize-tasks-gopher-280b"]
    assert prize.status.value == "contested"
    assert [(r.source.key, r.scope.value) for r in prize.relations] == [
        ("wei2023inverse", "task_group"), ("openai2023gpt4", "task_variant")]


def test_moral_self_correction_threshold_is_contested_below_22b(catalog):
    entry = catalog["moral-self-correction-anthropic-rlhf-22b"]
    assert entry.status.value == "contested"
    assert [(r.type.value, r.source.key, r.source.locator) for r in entry.relations] == [
        ("contests", "liu2025smaller", "Abstract")]
    baseline = catalog["social-bias-question-only-anthropic-rlhf-175b"]
    assert (baseline.condition, baseline.related) == (
        "question only (Q): no instruction to avoid bias", ("moral-self-correction-anthropic-rlhf-22b",))
    shutdown = catalog["shutdown-avoidance-rlhf-steps-anthropic-lm-2022-52b"]
    assert (shutdown.axis.name.value, shutdown.axis.unit) == ("rl_compute", "RLHF training steps")


def test_emergent_misalignment_is_another_sense_and_reproduced(catalog):
    entry = catalog["emergent-misalignment-insecure-code-openai-gpt4o"]
    assert (entry.emergent_sense.value, entry.axis.name.value, entry.status.value) == ("other", "data", "reproduced")
    assert [(r.type.value, r.source.key, r.reason.value) for r in entry.relations] == [
        ("reproduces", "schreiber2026overtrained", "same_result")]
