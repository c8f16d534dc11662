"""Importer for the ObsScaling evaluation tables (Ruan, Maddison and Hashimoto 2024).

Flow: third-party files (``eval_results/*.csv`` of github ryoungj/ObsScaling, copied
unchanged into a folder ``obsscaling/``) -> :func:`import_folder` (pure: paths in,
curve dicts out) -> :mod:`.writer` -> ``catalog/curves/obsscaling-*.yaml``.

Scale comes from ``base_llm_benchmark_eval.csv`` (parameters in billions, pretraining
tokens in trillions, FLOPs in units of 1e21, the last being 6ND by the README's check),
joined by model id. Curves:

* MMLU and TruthfulQA from the same table (Open LLM Leaderboard protocol per the
  repository README);
* the "emergent capability" tasks (``base_llm_emergent_capability_eval.csv``): Persian QA,
  word unscrambling, IPA transliteration (exact match and BLEU: two curves), 2- and 3-digit
  arithmetic;
* GSM8K with and without chain of thought, zero-shot chain of thought and self-consistency,
  and the 27 BIG-Bench Hard subtasks answer-only vs chain of thought
  (``base_llm_post_training_eval.csv``).

One series per model family (the file's ``Model Family``) and prompting. Known artifacts,
handled explicitly: the BTLM row's token count (627 "T", 1000x every other row) is not
used, so its point has parameters only; answer-only BBH columns scored with the
``strict-match`` filter are zero for every model on several subtasks (the filter looks for
a chain-of-thought answer phrase), so every BBH and GSM8K series here uses the
``flexible-extract`` columns; a series whose scores are all zero is skipped with a note.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import (BILLION, TRILLION, InputError, ImportResult, Num, data_block, plural, point,
                     read_csv, require_columns)
from .corrections import apply_scale_corrections
from .tasks import bbh_entries, entries_for

FORMAT = "obsscaling"
KEY = "ruan2024observational"
BASE = "base_llm_benchmark_eval.csv"
EMERGENT = "base_llm_emergent_capability_eval.csv"
POST = "base_llm_post_training_eval.csv"
SCALE_COLUMNS = ["Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)"]
LICENSE = "Apache-2.0"
COMMIT = "4d6e1e43fd2635d04654aa77d1df9d5266ea0382"
URL = f"https://github.com/ryoungj/ObsScaling/tree/{COMMIT}/eval_results"
ATTRIBUTION = ("ObsScaling evaluation results, Copyright the ObsScaling authors (Ruan, Maddison, Hashimoto), "
               "github ryoungj/ObsScaling, licensed under the Apache License 2.0; values copied unchanged.")
HARNESS = "EleutherAI lm-evaluation-harness"
#: BTLM: the one row whose token count is 1000x off (see the data README); tokens and FLOPs are not used.
IMPLAUSIBLE_TOKENS = {"cerebras/btlm-3b-8k-base"}

#: Random-chance accuracy per BBH subtask, from ObsScaling's utils/constants.py
#: (BBH_SUBTASKS2RANDOM_VAL); checked against the file's ",norm" columns on import.
BBH_RANDOM = {
    "boolean_expressions": (1, 2), "causal_judgement": (1, 2), "date_understanding": (1, 6),
    "disambiguation_qa": (1, 3), "dyck_languages": (0, 1), "formal_fallacies": (1, 2),
    "geometric_shapes": (1, 9), "hyperbaton": (1, 2), "logical_deduction_five_objects": (1, 5),
    "logical_deduction_seven_objects": (1, 7), "logical_deduction_three_objects": (1, 3),
    "movie_recommendation": (1, 5), "multistep_arithmetic_two": (0, 1), "navigate": (1, 2),
    "object_counting": (0, 1), "penguins_in_a_table": (1, 5), "reasoning_about_colored_objects": (1, 18),
    "ruin_names": (1, 4), "salient_translation_error_detection": (1, 6), "snarks": (1, 2),
    "sports_understanding": (1, 2), "temporal_sequences": (1, 4), "tracking_shuffled_objects_five_objects": (1, 5),
    "tracking_shuffled_objects_seven_objects": (1, 7), "tracking_shuffled_objects_three_objects": (1, 3),
    "web_of_lies": (1, 2), "word_sorting": (0, 1),
}

COMMON_NOTE = ("A later, observational evaluation of public base models from many families with "
               "lm-evaluation-harness; it shows where this task's curve rises on the parameter and FLOP axes "
               "for those families and does not reproduce the original GPT-3, LaMDA or PaLM figures.")
SCALE_NOTE = ("Scale per point from the same repository's base_llm_benchmark_eval.csv: parameters (billions), "
              "pretraining tokens (trillions) and FLOPs (units of 1e21), the FLOPs being 6 x parameters x "
              "tokens; families without public token counts have parameters only.")
BTLM_NOTE = ("cerebras/btlm-3b-8k-base: the table gives 627 trillion pretraining tokens and 1.1286e25 FLOPs, "
             "three orders of magnitude above every other row (most likely billions typed as trillions); "
             "neither value is used, so this point has parameters only.")


def _scale(base: dict[str, dict[str, str]], model: str, used_btlm: list[str]) -> dict[str, Decimal]:
    row = base.get(model)
    if row is None:
        raise InputError(f"{model!r} is not in {BASE}; cannot join its scale")
    out: dict[str, Decimal] = {}
    if row["Model Size (B)"].strip():
        out["params"] = Decimal(row["Model Size (B)"]) * BILLION
    if model in IMPLAUSIBLE_TOKENS:
        used_btlm.append(model)
        return out
    if row["Pretraining Data Size (T)"].strip():
        out["train_tokens"] = Decimal(row["Pretraining Data Size (T)"]) * TRILLION
    if row["FLOPs (1E21)"].strip():
        out["train_flops"] = Decimal(row["FLOPs (1E21)"]) * Decimal(10) ** 21
    return out


class _Builder:
    """Collects the points of one curve, one series per (family, prompting)."""

    def __init__(self, base: dict[str, dict[str, str]], file: str, locator: str):
        self.base = base
        self.file = file
        self.locator = locator
        self.series: dict[tuple[str, str], dict[str, Any]] = {}
        self.btlm: list[str] = []
        self.skipped: list[str] = []

    def add(self, rows: list[dict[str, str]], column: str, *, prompting: dict[str, Any], words: str,
            harness: str, extra_columns: list[str] | None = None) -> None:
        by_family: dict[str, list[dict[str, Any]]] = {}
        values = [row.get(column, "").strip() for row in rows]
        if values and all(Decimal(v) == 0 for v in values if v) and any(values):
            self.skipped.append(f"{column} ({words}): every model scores exactly 0")
            return
        for row in rows:
            value = row.get(column, "").strip()
            if not value:
                continue
            model = row["Model"]
            family = self.base[model]["Model Family"] if model in self.base else ""
            if not family:
                raise InputError(f"{model!r}: no Model Family in {BASE}")
            by_family.setdefault(family, []).append(point(value, model_name=model,
                                                          **_scale(self.base, model, self.btlm)))
        for family, points in by_family.items():
            self.series[(family, words)] = {
                "family_name": family,
                "label": f"{family}, {words}",
                "prompting": dict(prompting),
                "source": {"key": KEY, "locator": self.locator},
                "data": data_block(file=self.file, columns=["Model", column, *(extra_columns or [])]
                                   + ([] if self.file.endswith(BASE) else [f"{BASE}: {c}" for c in SCALE_COLUMNS[1:]]),
                                   license=LICENSE, harness=harness, url=URL, attribution=ATTRIBUTION),
                "points": points,
            }

    def inputs(self) -> list[str]:
        return [self.file] if self.file.endswith(BASE) else [self.file, f"{FORMAT}/{BASE}"]

    def notes(self) -> list[str]:
        out = [COMMON_NOTE, SCALE_NOTE]
        if self.btlm:
            out.append(BTLM_NOTE)
        if self.skipped:
            out.append("Left out because every score in the column is exactly zero, an answer-extraction "
                       "failure rather than a measurement: " + "; ".join(sorted(self.skipped)) + ".")
        return out

    def log(self, curve_id: str) -> str:
        points = sum(len(s["points"]) for s in self.series.values())
        extra = []
        if self.btlm:
            extra.append("BTLM tokens/FLOPs dropped")
        if self.skipped:
            extra.append(f"{plural(len(self.skipped), 'all-zero column')} skipped")
        return f"{curve_id}: {len(self.series)} series, {points} points" + (f" ({'; '.join(extra)})" if extra else "")


def _curve(curve_id: str, task: dict[str, Any], metric: dict[str, Any], entries: list[str], builder: _Builder,
           notes: list[str]) -> dict[str, Any]:
    return {"id": curve_id, "inputs": builder.inputs(), "task": task, "metric": metric, "entries": entries,
            "series": list(builder.series.values()), "notes": builder.notes() + notes}


def _standard(base_rows: list[dict[str, str]], base: dict[str, dict[str, str]], result: ImportResult) -> None:
    file = f"{FORMAT}/{BASE}"
    specs = [
        ("MMLU", "obsscaling-mmlu", {"benchmark": "MMLU", "name": "57-subject average"},
         {"name": "accuracy", "name_in_source": "MMLU", "random_baseline": Num("0.25"), "scale": "fraction",
          "note": "Every MMLU question has four options, so a uniform guess scores 0.25."},
         entries_for("mmlu")),
        ("TruthfulQA", "obsscaling-truthfulqa", {"benchmark": "TruthfulQA", "name": "TruthfulQA (multiple choice)"},
         {"name": "other", "name_in_source": "TruthfulQA", "scale": "fraction",
          "note": "The file does not say which TruthfulQA multiple-choice score (MC1 or MC2) the column holds."},
         entries_for("truthfulqa")),
    ]
    for column, curve_id, task, metric, entries in specs:
        builder = _Builder(base, file, "eval_results/base_llm_benchmark_eval.csv (Sections 3 and 4)")
        builder.add(base_rows, column, prompting={"strategy": "few_shot"}, words="Open LLM Leaderboard protocol",
                    harness=f"Hugging Face Open LLM Leaderboard, or {HARNESS} following its protocol (per the "
                            "repository README)")
        notes = ["The repository README says these numbers come from the Hugging Face Open LLM Leaderboard, or "
                 "were computed with lm-evaluation-harness following the leaderboard's protocol where a model "
                 "was missing; the CSV does not record shot counts."]
        if entries:
            notes.append("The linked entry is a claim about other model families (GPT-3, Gopher) in their own "
                         "papers' evaluations; this curve is evidence on the same benchmark only.")
        result.curves.append(_curve(curve_id, task, metric, entries, builder, notes))
        result.log.append(builder.log(curve_id))


EMERGENT_SPECS = [
    ("parsinlu_qa_2_acc", "obsscaling-parsinlu-qa", {"benchmark": "BIG-Bench", "name": "parsinlu_qa"},
     {"name": "accuracy", "scale": "fraction"}, "bigbench:parsinlu_qa"),
    ("word_unscrambling_2_exact_match", "obsscaling-word-unscrambling",
     {"benchmark": "BIG-Bench", "name": "word_unscrambling"}, {"name": "exact_match", "scale": "fraction"},
     "bigbench:word_unscrambling"),
    ("ipa_transliterate_2_exact_match", "obsscaling-ipa-transliterate-exact-match",
     {"benchmark": "BIG-Bench", "name": "international_phonetic_alphabet_transliterate"},
     {"name": "exact_match", "scale": "fraction"}, "bigbench:international_phonetic_alphabet_transliterate"),
    ("ipa_transliterate_2_bleu", "obsscaling-ipa-transliterate-bleu",
     {"benchmark": "BIG-Bench", "name": "international_phonetic_alphabet_transliterate"},
     {"name": "bleu", "scale": "percent",
      "note": "BLEU on a 0-100 scale as stored (the file's other columns are 0-1 fractions)."},
     "bigbench:international_phonetic_alphabet_transliterate"),
    ("arithmetic_3ds_2_acc", "obsscaling-arithmetic-3-digit-subtraction",
     {"benchmark": "GPT-3 arithmetic", "name": "3-digit subtraction"}, {"name": "accuracy", "scale": "fraction"},
     "gpt3_arithmetic:3ds"),
    ("arithmetic_3da_2_acc", "obsscaling-arithmetic-3-digit-addition",
     {"benchmark": "GPT-3 arithmetic", "name": "3-digit addition"}, {"name": "accuracy", "scale": "fraction"},
     "gpt3_arithmetic:3da"),
    ("arithmetic_2dm_2_acc", "obsscaling-arithmetic-2-digit-multiplication",
     {"benchmark": "GPT-3 arithmetic", "name": "2-digit multiplication"}, {"name": "accuracy", "scale": "fraction"},
     "gpt3_arithmetic:2dm"),
    ("arithmetic_2da_2_acc", "obsscaling-arithmetic-2-digit-addition",
     {"benchmark": "GPT-3 arithmetic", "name": "2-digit addition"}, {"name": "accuracy", "scale": "fraction"},
     "gpt3_arithmetic:2da"),
]
EMERGENT_NOTE = ("The task is identified by the column name only (the repository does not record which "
                 "implementation was run); the '_2_' in the name matches the shot-count position of the "
                 "post-training file's columns, so these are probably 2-shot, which the repository does not state.")
PAIRED_METRIC_NOTE = ("The same outputs are also scored with another metric in the file; see the curve "
                      "{other} (an abrupt rise under exact match can look smooth under BLEU).")


def _emergent(rows: list[dict[str, str]], base: dict[str, dict[str, str]], result: ImportResult) -> None:
    file = f"{FORMAT}/{EMERGENT}"
    for column, curve_id, task, metric, key in EMERGENT_SPECS:
        if column not in rows[0]:
            continue
        builder = _Builder(base, file, "eval_results/base_llm_emergent_capability_eval.csv (Section 4.1)")
        builder.add(rows, column, prompting={"strategy": "few_shot"}, words="few-shot", harness=HARNESS)
        notes = [EMERGENT_NOTE]
        if "ipa_transliterate" in column:
            other = ("obsscaling-ipa-transliterate-bleu" if column.endswith("exact_match")
                     else "obsscaling-ipa-transliterate-exact-match")
            notes.append(PAIRED_METRIC_NOTE.format(other=other))
        entries = entries_for(key)
        if entries:
            notes.append("The linked entry is a claim about another model family in its original evaluation; "
                         "this curve covers the same task with other families and another harness.")
        result.curves.append(_curve(curve_id, task, metric, entries, builder, notes))
        result.log.append(builder.log(curve_id))


GSM8K_SERIES = {
    "few_shot": ("gsm8k_5_exact_match,flexible-extract", {"strategy": "few_shot", "shots": 5},
                 "5-shot (harness gsm8k task)"),
    "cot": ("gsm8k_cot_8_exact_match,flexible-extract", {"strategy": "chain_of_thought", "shots": 8},
            "8-shot chain of thought"),
    "zero_shot_cot": ("gsm8k_cot_zeroshot_0_exact_match,flexible-extract",
                      {"strategy": "zero_shot_chain_of_thought", "shots": 0}, "zero-shot chain of thought"),
    "sc_first": ("gsm8k_cot_self_consistency_8_exact_match,score-first-flexible-extract",
                 {"strategy": "chain_of_thought", "shots": 8}, "8-shot chain of thought, first sample"),
    "sc_maj": ("gsm8k_cot_self_consistency_8_exact_match,maj@5-flexible-extract",
               {"strategy": "self_consistency", "shots": 8}, "8-shot chain of thought, majority of 5 samples"),
}
GSM8K_CURVES = [
    ("obsscaling-gsm8k-chain-of-thought", ["few_shot", "cot"], "gsm8k",
     "Compares the harness's 5-shot gsm8k task with its 8-shot gsm8k_cot task. In the harness's task "
     "definitions (gsm8k.yaml, gsm8k-cot.yaml, read in a later copy of the repository), gsm8k shows training "
     "problems followed by their reference solutions, which spell out the steps, so it is not answer-only "
     "prompting; gsm8k_cot shows the chain-of-thought paper's eight exemplars. The harness version ObsScaling "
     "ran is not recorded in the file."),
    ("obsscaling-gsm8k-zero-shot-chain-of-thought", ["few_shot", "zero_shot_cot"], "gsm8k:zero_shot_cot",
     "Compares the harness's 5-shot gsm8k task (training problems with their worked reference solutions as "
     "exemplars) with zero-shot chain of thought (a step-by-step cue, no exemplars)."),
    ("obsscaling-gsm8k-self-consistency", ["sc_first", "sc_maj"], "gsm8k:self_consistency",
     "Compares the first sampled chain-of-thought answer with the majority answer over 5 samples (the "
     "harness filters score-first and maj@5 of the gsm8k_cot_self_consistency task)."),
]


def _post_training(rows: list[dict[str, str]], base: dict[str, dict[str, str]], result: ImportResult) -> None:
    file = f"{FORMAT}/{POST}"
    locator = "eval_results/base_llm_post_training_eval.csv (Section 4.2)"
    present = set(rows[0])
    for curve_id, kinds, key, note in GSM8K_CURVES:
        if not all(GSM8K_SERIES[kind][0] in present for kind in kinds):
            continue
        builder = _Builder(base, file, locator)
        for kind in kinds:
            column, prompting, words = GSM8K_SERIES[kind]
            builder.add(rows, column, prompting=prompting, words=words, harness=HARNESS)
        notes = [note,
                 "All series use the flexible-extract answer filter (last number in the output); the file also "
                 "has strict-match columns, not imported here.",
                 "The linked entry is a claim about another model family in its original paper; this curve is "
                 "evidence on GSM8K with other families and the harness's prompts."]
        result.curves.append(_curve(curve_id, {"benchmark": "GSM8K", "name": "GSM8K"},
                                    {"name": "exact_match", "scale": "fraction"}, entries_for(key), builder, notes))
        result.log.append(builder.log(curve_id))

    for subtask, (num, den) in sorted(BBH_RANDOM.items()):
        fewshot = f"bbh_fewshot_{subtask}_3_exact_match,flexible-extract"
        cot = f"bbh_cot_fewshot_{subtask}_3_exact_match,flexible-extract"
        if fewshot not in present and cot not in present:
            continue
        require_columns(rows, [fewshot, cot, fewshot + ",norm", cot + ",norm"], Path(POST))
        baseline = Decimal(num) / Decimal(den)
        _check_norm(rows, fewshot, baseline)
        _check_norm(rows, cot, baseline)
        builder = _Builder(base, file, locator)
        builder.add(rows, fewshot, prompting={"strategy": "few_shot", "shots": 3}, words="3-shot answer only",
                    harness=f"{HARNESS}, task bbh_fewshot_{subtask}")
        builder.add(rows, cot, prompting={"strategy": "chain_of_thought", "shots": 3}, words="3-shot chain of thought",
                    harness=f"{HARNESS}, task bbh_cot_fewshot_{subtask}")
        strict = f"bbh_fewshot_{subtask}_3_exact_match,strict-match"
        strict_zero = strict in rows[0] and all(Decimal(r[strict]) == 0 for r in rows if r[strict].strip())
        metric: dict[str, Any] = {"name": "exact_match", "name_in_source": "exact_match (flexible-extract)",
                                  "scale": "fraction"}
        if num:
            metric["random_baseline"] = Num(_fraction_text(num, den))
            metric["note"] = (f"Random baseline {num}/{den}, the chance level ObsScaling's utils/constants.py gives "
                              "for this subtask (BBH_SUBTASKS2RANDOM_VAL); the file's ',norm' columns are "
                              "(score - baseline) / (1 - baseline) with the same value.")
        notes = ["BIG-Bench Hard subtask run through lm-evaluation-harness (3 exemplars, generated answers "
                 "scored by exact match), not BIG-bench's own multiple-choice scoring; both series use the "
                 "flexible-extract answer filter."]
        if strict_zero:
            notes.append("The answer-only strict-match column of this subtask is 0.0 for every model (that filter "
                         "expects the chain-of-thought answer phrase), so it is not used.")
        entries = bbh_entries(subtask)
        if entries:
            notes.append("The linked entry is the BIG-bench task this subtask was drawn from, claimed for another "
                         "model family with BIG-bench's own prompts and metric.")
        curve_id = f"obsscaling-bbh-{subtask.replace('_', '-')}"
        result.curves.append(_curve(curve_id, {"benchmark": "BIG-Bench Hard", "name": subtask}, metric, entries,
                                    builder, notes))
        result.log.append(builder.log(curve_id) + ("; answer-only strict-match all zero" if strict_zero else ""))


def _fraction_text(num: int, den: int) -> str:
    value = Decimal(num) / Decimal(den)
    if value == value.quantize(Decimal("0.0001")):
        return format(value.normalize(), "f")
    return format(round(value, 15), "f")


def _check_norm(rows: list[dict[str, str]], column: str, baseline: Decimal) -> None:
    """The file's ``,norm`` column must be (score - r) / (1 - r) for the baseline r used here."""
    norm = column + ",norm"
    for row in rows:
        raw, scaled = row.get(column, "").strip(), row.get(norm, "").strip()
        if not raw or not scaled:
            continue
        expected = (Decimal(raw) - baseline) / (1 - baseline)
        if abs(expected - Decimal(scaled)) > Decimal("1e-9"):
            raise InputError(f"{norm}: {row['Model']} does not match random baseline {baseline}")


def import_folder(folder: Path) -> ImportResult:
    """Curves of the three ObsScaling files in ``folder`` (scale joined from the base table)."""
    base_rows = read_csv(folder / BASE)
    require_columns(base_rows, SCALE_COLUMNS + ["MMLU", "TruthfulQA"], folder / BASE)
    base: dict[str, dict[str, str]] = {}
    for row in base_rows:
        if row["Model"] in base:
            raise InputError(f"{BASE}: model {row['Model']!r} appears twice")
        base[row["Model"]] = row
    result = ImportResult(inputs=[f"{FORMAT}/{BASE}"])
    _standard(base_rows, base, result)
    if (folder / EMERGENT).is_file():
        rows = read_csv(folder / EMERGENT)
        require_columns(rows, ["Model"], folder / EMERGENT)
        result.inputs.append(f"{FORMAT}/{EMERGENT}")
        _emergent(rows, base, result)
    if (folder / POST).is_file():
        rows = read_csv(folder / POST)
        require_columns(rows, ["Model"], folder / POST)
        result.inputs.append(f"{FORMAT}/{POST}")
        _post_training(rows, base, result)
    return result


def import_path(path: Path) -> ImportResult:
    """Accept the data folder or any of its files (the folder is what is read)."""
    folder = path if path.is_dir() else path.parent
    if not (folder / BASE).is_file():
        raise InputError(f"{folder}: no {BASE} (the scale table every ObsScaling curve needs)")
    return apply_scale_corrections(import_folder(folder))
