"""Which catalog entries an imported task is evidence for: one reviewed table.

Part of the import step. Importers name each task by a key (``bigbench:hindu_knowledge``,
``bbh:logical_deduction_five_objects``, ``mmlu:anatomy``, ...); this table turns the key
into the ids of the catalog entries (``catalog/abilities/<id>.yaml``) that claim an
emergent ability on the same task. A task outside the table gets a curve with no
entries. The curve notes say when a curve comes from another model family, harness,
prompt or metric than an entry's claim (they nearly always do, except for the
chain-of-thought paper's own tables).
"""

from __future__ import annotations

_MMLU_CHINCHILLA_70B = [
    "astronomy", "business_ethics", "clinical_knowledge", "college_biology", "college_medicine",
    "college_physics", "computer_security", "conceptual_physics", "econometrics",
    "electrical_engineering", "high_school_biology", "high_school_chemistry",
    "high_school_computer_science", "high_school_european_history", "high_school_geography",
    "high_school_us_history", "high_school_world_history", "human_aging", "human_sexuality",
    "international_law", "jurisprudence", "logical_fallacies", "machine_learning", "management",
    "marketing", "medical_genetics", "miscellaneous", "moral_disputes", "nutrition", "philosophy",
    "prehistory", "professional_accounting", "professional_law", "professional_psychology",
    "public_relations", "security_studies", "sociology", "us_foreign_policy", "virology",
    "world_religions",
]
_MMLU_CHINCHILLA_7B = [
    "anatomy", "high_school_government_and_politics", "high_school_macroeconomics",
    "high_school_microeconomics", "high_school_psychology", "high_school_statistics",
    "professional_medicine",
]

#: task key -> ids of catalog entries about the same task.
ENTRIES: dict[str, tuple[str, ...]] = {
    # chain-of-thought paper tasks
    "gsm8k": ("chain-of-thought-math-word-problems-lamda-68b",),
    "gsm8k:zero_shot_cot": ("zero-shot-chain-of-thought-gpt-3-175b",),
    "gsm8k:self_consistency": ("self-consistency-lamda-68b",),
    "strategyqa": ("chain-of-thought-strategyqa-palm-62b", "bigbench-strategyqa-gpt-3-175b"),
    "sports_understanding": ("bigbench-sports-understanding-lamda-137b",),
    # MMLU and TruthfulQA
    "mmlu": ("mmlu-57-topic-average-gpt-3-175b",),
    "truthfulqa": ("truthfulqa-gopher-280b",),
    # GPT-3 arithmetic and word tasks
    "gpt3_arithmetic:3da": ("arithmetic-3-digit-gpt-3-13b",),
    "gpt3_arithmetic:3ds": ("arithmetic-3-digit-gpt-3-13b",),
    "gpt3_arithmetic:4da": ("arithmetic-4-5-digit-gpt-3-175b",),
    "gpt3_arithmetic:4ds": ("arithmetic-4-5-digit-gpt-3-175b",),
    "gpt3_arithmetic:5da": ("arithmetic-4-5-digit-gpt-3-175b",),
    "gpt3_arithmetic:5ds": ("arithmetic-4-5-digit-gpt-3-175b",),
    "gpt3_unscramble:anagrams1": ("word-denoising-few-shot-gpt-3-13b",),
    "gpt3_unscramble:anagrams2": ("word-denoising-few-shot-gpt-3-13b",),
    "gpt3_unscramble:cycle_letters": ("word-denoising-few-shot-gpt-3-13b",),
    "gpt3_unscramble:random_insertion": ("word-denoising-few-shot-gpt-3-13b",),
    "gpt3_unscramble:reversed_words": ("word-denoising-few-shot-gpt-3-13b",),
    "wic": ("word-in-context-palm-540b",),
    # BIG-bench tasks
    "bigbench:analogical_similarity": ("bigbench-analogical-similarity-palm-540b",),
    "bigbench:causal_judgment": ("bigbench-causal-judgment-palm-540b",),
    "bigbench:conceptual_combinations": ("bigbench-conceptual-combinations-palm-62b",),
    "bigbench:cs_algorithms": ("bigbench-cs-algorithms-palm-540b",),
    "bigbench:disambiguation_qa": ("bigbench-disambiguation-qa-palm-62b",),
    "bigbench:elementary_math_qa": ("bigbench-elementary-math-qa-palm-540b",),
    "bigbench:geometric_shapes": ("bigbench-geometric-shapes-palm-540b",),
    "bigbench:hindu_knowledge": ("bigbench-hindu-knowledge-gpt-3-13b",),
    "bigbench:hyperbaton": ("bigbench-hyperbaton-palm-540b",),
    "bigbench:international_phonetic_alphabet_transliterate": (
        "bigbench-international-phonetic-alphabet-transliterate-gpt-3-175b",),
    "bigbench:language_identification": ("bigbench-language-identification-palm-540b",),
    "bigbench:logical_deduction": ("bigbench-logical-deduction-gpt-3-175b",),
    "bigbench:misconceptions": ("bigbench-misconceptions-gpt-3-175b",),
    "bigbench:parsinlu_qa": ("bigbench-parsinlu-qa-palm-62b",),
    "bigbench:repeat_copy_logic": ("bigbench-repeat-copy-logic-lamda-137b",),
    "bigbench:snarks": ("bigbench-snarks-palm-540b",),
    "bigbench:social_iqa": ("bigbench-social-iqa-gpt-3-175b",),
    "bigbench:sports_understanding": ("bigbench-sports-understanding-lamda-137b",),
    "bigbench:strange_stories": ("bigbench-strange-stories-gpt-3-175b",),
    "bigbench:strategyqa": ("bigbench-strategyqa-gpt-3-175b",),
    "bigbench:temporal_sequences": ("bigbench-temporal-sequences-palm-540b",),
    "bigbench:understanding_fables": ("bigbench-understanding-fables-palm-540b",),
    "bigbench:word_sorting": ("bigbench-word-sorting-lamda-137b",),
    "bigbench:word_unscrambling": ("bigbench-word-unscrambling-lamda-137b",),
}
ENTRIES.update({f"mmlu:{s}": (f"mmlu-{s.replace('_', '-')}-chinchilla-70b",) for s in _MMLU_CHINCHILLA_70B})
ENTRIES.update({f"mmlu:{s}": (f"mmlu-{s.replace('_', '-')}-chinchilla-7b",) for s in _MMLU_CHINCHILLA_7B})

#: BIG-Bench Hard subtask -> the BIG-bench task it was drawn from (where that name differs or
#: is a split of one task).
BBH_PARENT: dict[str, str] = {
    "causal_judgement": "causal_judgment",
    "logical_deduction_three_objects": "logical_deduction",
    "logical_deduction_five_objects": "logical_deduction",
    "logical_deduction_seven_objects": "logical_deduction",
    "tracking_shuffled_objects_three_objects": "tracking_shuffled_objects",
    "tracking_shuffled_objects_five_objects": "tracking_shuffled_objects",
    "tracking_shuffled_objects_seven_objects": "tracking_shuffled_objects",
    "formal_fallacies": "formal_fallacies_syllogisms_negation",
    "formal_fallacies_syllogisms_negation": "formal_fallacies_syllogisms_negation",
    "multistep_arithmetic_two": "multistep_arithmetic",
}


def entries_for(*keys: str) -> list[str]:
    """Entry ids for the task keys, in table order, without repeats."""
    out: list[str] = []
    for key in keys:
        for entry in ENTRIES.get(key, ()):
            if entry not in out:
                out.append(entry)
    return out


def bbh_entries(subtask: str) -> list[str]:
    """Entry ids for a BIG-Bench Hard subtask, through the BIG-bench task it comes from."""
    parent = BBH_PARENT.get(subtask, subtask)
    return entries_for(f"bigbench:{parent}")


def mmlu_subject_name(subject: str) -> str:
    """``high_school_us_history`` -> ``High School Us History`` (the catalog entries' spelling)."""
    return " ".join(word.capitalize() for word in subject.split("_"))
