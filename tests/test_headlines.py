"""Golden headlines: one entry of each evidence level and claim form."""

from __future__ import annotations

import pytest

ENTRY = """\
ability: Counting
task: {{benchmark: Toy, name: counting}}
category: {category}
description: Counts objects.
prompting: {{strategy: {strategy}}}
model: {{family: tiny-lm, size: 10B}}
{extra}source: {{key: roe2022emergent, locator: Figure 1, evidence: {evidence}}}
{more}"""

LISTS = "additional_sources:\n  - {key: doe2021tiny, locator: Table 2, role: primary_evidence}\n"


@pytest.mark.parametrize(("fields", "expected"), [
    ({"evidence": "full_text"},
     "Roe 2022 reports Counting as emergent at Tiny LM 10B (Figure 1)."),
    ({"evidence": "transcription", "more": LISTS},
     "Roe 2022 lists Counting as emergent at Tiny LM 10B (Figure 1)."),
    ({"evidence": "secondary"},
     "Roe 2022 (read in secondary notes) reports Counting as emergent at Tiny LM 10B (Figure 1)."),
    ({"evidence": "abstract"},
     "The abstract of Roe 2022 reports Counting as emergent at Tiny LM 10B (Figure 1)."),
    ({"evidence": "inferred", "more": LISTS},
     "Inferred, not read: Roe 2022 is taken to list Counting as emergent at Tiny LM 10B (Figure 1)."),
    ({"evidence": "full_text", "extra": "emergence: {form: upper_bound}\n"},
     "Roe 2022 reports Counting as emergent by Tiny LM 10B (Figure 1); where below this size it first appears "
     "is not shown, so the size is an upper bound."),
    ({"evidence": "full_text", "extra": "emergence: {form: shape}\n"},
     "Roe 2022 reports a change in the shape of the scaling curve for Counting, not a threshold (Figure 1); "
     "Tiny LM 10B is the size at which the source describes it."),
    ({"evidence": "secondary", "extra": "emergence: {form: loss_threshold}\nscale:\n  pretraining_loss:\n"
      "    value: 2.2\n    basis: reported\n    source: {key: roe2022emergent, locator: Figure 1}\n"},
     "Roe 2022 (read in secondary notes) reports Counting as appearing once pre-training loss falls below a "
     "threshold of about 2.2 (Figure 1); this is not a model size, and Tiny LM 10B is only the study's largest "
     "model, used to place the entry."),
    ({"evidence": "full_text", "category": "augmented_prompting", "strategy": "chain_of_thought"},
     "Roe 2022 reports Counting as helping only from Tiny LM 10B on (Figure 1)."),
    ({"evidence": "abstract", "extra": "axis: {name: training_steps}\nemergence: {form: shape}\n"},
     "The abstract of Roe 2022 reports how Counting changes over training, not a threshold in model size "
     "(Figure 1); Tiny LM 10B is the model the source describes, not an emergence size."),
    ({"evidence": "full_text", "extra": "axis: {name: model_comparison}\nemergence: {form: shape}\n"},
     "Roe 2022 reports how Counting changes across named models, not a threshold in model size (Figure 1); "
     "Tiny LM 10B is the model the source describes, not an emergence size."),
    ({"evidence": "full_text", "extra": "axis: {name: model_scale}\nemergence: {form: shape}\n"},
     "Roe 2022 reports a change in the shape of the scaling curve for Counting, not a threshold (Figure 1); "
     "Tiny LM 10B is the size at which the source describes it."),
])
def test_headline(make_catalog, fields, expected):
    import emergence_atlas
    from emergence_atlas.builder.claims import headline

    values = {"category": "few_shot_prompting", "strategy": "few_shot", "extra": "", "more": "", **fields}
    root = make_catalog({"abilities/counting-tiny-lm-10b.yaml": ENTRY.format(**values).encode()})
    catalog = emergence_atlas.load(root)
    entry = catalog["counting-tiny-lm-10b"]
    assert headline(catalog, entry, "Tiny LM", "Roe 2022") == expected
