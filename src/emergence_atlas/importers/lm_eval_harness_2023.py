"""Importer for the 2023 ``results/`` folder of EleutherAI lm-evaluation-harness
(LLaMA, BLOOM, XGLM, MPT; flattened to ``scores_long.csv``).

Flow: third-party file (``lm-eval-harness-2023/scores_long.csv``, one row per model, task and
metric of the harness's result JSONs, read at commit 5e59782e of 2023-07-31) ->
:func:`import_file` (pure: path in, curve dicts out) -> :mod:`.writer` ->
``catalog/curves/lm-eval-harness-2023-*.yaml``.

Curves for the tasks that match catalog tasks: the BIG-Bench Hard style ``bigbench_*``
multiple-choice tasks (3-shot), GSM8K (8-shot), the 57 MMLU subjects (5-shot), the GPT-3
arithmetic and word-unscrambling tasks, TruthfulQA (MC1 and MC2: two curves) and WiC. The
files give sizes only in model names, so parameters are those nominal sizes.

Known artifact, handled explicitly: when every value of a model's result file is exactly
zero (LLaMA 7B and 13B ``arithmetic_5-shot``, LLaMA 7B ``unscramble_0-shot``, while MPT-7B
scores e.g. 0.918 on 2-digit addition), the file is taken as a broken evaluation and that
model's points are left out, with a note. The OPT files are skipped: they repeat the OPT
results of the Pythia repository, imported by :mod:`.pythia`. The ``gsm8k`` values inside
the ``mathematical_reasoning`` files (0.0 for every LLaMA and BLOOM model) come from another
run and are not used; GSM8K comes from the ``gsm8k_8-shot`` files only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import InputError, ImportResult, Num, data_block, params_from_name, point, read_csv, require_columns
from .corrections import apply_scale_corrections
from .tasks import bbh_entries, entries_for, mmlu_subject_name

FORMAT = "lm-eval-harness-2023"
KEY = "gao2021framework"
LICENSE = "MIT"
COMMIT = "5e59782e861391d4130b6cfccd9bf88c0f491d09"
URL = f"https://github.com/EleutherAI/lm-evaluation-harness/tree/{COMMIT}/results"
ATTRIBUTION = ("lm-evaluation-harness results/ folder, Copyright (c) 2020 EleutherAI, MIT License; values as "
               "stored in the result JSONs.")
LOCATOR = "results/ folder of the repository at commit 5e59782e (2023-07-31)"
COLUMNS = ["source_file", "family", "model", "file_group", "n_shots", "task", "metric", "value"]
FAMILIES = {"llama": "LLaMA", "bloom": "BLOOM", "xglm": "XGLM", "mpt": "MPT"}
SKIPPED_FAMILIES = {"opt": "repeats the OPT results of the Pythia repository (imported from there)"}

ARITHMETIC = {"1dc": "1-digit composite operations", "2da": "2-digit addition", "2ds": "2-digit subtraction",
              "2dm": "2-digit multiplication", "3da": "3-digit addition", "3ds": "3-digit subtraction",
              "4da": "4-digit addition", "4ds": "4-digit subtraction", "5da": "5-digit addition",
              "5ds": "5-digit subtraction"}
UNSCRAMBLE = {"anagrams1": "anagrams 1", "anagrams2": "anagrams 2", "cycle_letters": "cycled letters",
              "random_insertion": "random insertion", "reversed_words": "reversed words"}

COMMON_NOTE = ("Results of open model families published in the lm-evaluation-harness repository in 2023; they "
               "show how this task scales for LLaMA, BLOOM, XGLM or MPT under the harness's prompts and do not "
               "reproduce the original GPT-3, LaMDA or PaLM figures.")
SCALE_NOTE = ("Parameters are the nominal sizes in the model names (llama-7B = 7e9, bloom-7b1 = 7.1e9); the "
              "files give no other scale.")


def _spec(group: str, task: str, metric: str) -> dict[str, Any] | None:
    """What curve a (file group, task, metric) row belongs to, or None to skip it."""
    if group == "bbh_3-shot" and task.startswith("bigbench_"):
        sub = task.removeprefix("bigbench_")
        if metric == "multiple_choice_grade":
            return {"id": f"bbh-{sub.replace('_', '-')}", "task": ("BIG-Bench Hard", sub),
                    "metric": {"name": "multiple_choice_grade", "name_in_source": metric, "scale": "fraction"},
                    "entries": bbh_entries(sub), "kind": "bbh"}
        if metric == "exact_str_match":
            return {"id": f"bbh-{sub.replace('_', '-')}-exact-str-match", "task": ("BIG-Bench Hard", sub),
                    "metric": {"name": "exact_match", "name_in_source": metric, "scale": "fraction"},
                    "entries": bbh_entries(sub), "kind": "bbh"}
        return None
    if group == "gsm8k_8-shot" and task == "gsm8k" and metric == "acc":
        return {"id": "gsm8k", "task": ("GSM8K", "GSM8K"), "metric": {"name": "accuracy", "name_in_source": "acc",
                                                                       "scale": "fraction"},
                "entries": entries_for("gsm8k"), "kind": "gsm8k"}
    if group == "mmlu_5-shot" and task.startswith("hendrycksTest-") and metric == "acc":
        subject = task.removeprefix("hendrycksTest-")
        return {"id": f"mmlu-{subject.replace('_', '-')}", "task": ("MMLU", mmlu_subject_name(subject)),
                "metric": {"name": "accuracy", "name_in_source": "acc", "random_baseline": Num("0.25"),
                           "scale": "fraction",
                           "note": "Every MMLU question has four options, so a uniform guess scores 0.25."},
                "entries": entries_for(f"mmlu:{subject}"), "kind": "mmlu"}
    if group == "arithmetic_5-shot" and task.startswith("arithmetic_") and metric == "acc":
        code = task.removeprefix("arithmetic_")
        if code not in ARITHMETIC:
            return None
        return {"id": f"arithmetic-{code}", "task": ("GPT-3 arithmetic", ARITHMETIC[code]),
                "metric": {"name": "accuracy", "name_in_source": "acc", "scale": "fraction"},
                "entries": entries_for(f"gpt3_arithmetic:{code}"), "kind": "gpt3"}
    if group == "unscramble_0-shot" and task in UNSCRAMBLE and metric == "acc":
        return {"id": f"unscramble-{task.replace('_', '-')}", "task": ("GPT-3 word scrambling", UNSCRAMBLE[task]),
                "metric": {"name": "accuracy", "name_in_source": "acc", "scale": "fraction"},
                "entries": entries_for(f"gpt3_unscramble:{task}"), "kind": "gpt3"}
    if group == "question_answering_0-shot" and task == "truthfulqa_mc" and metric in ("mc1", "mc2"):
        return {"id": f"truthfulqa-{metric}", "task": ("TruthfulQA", "TruthfulQA (multiple choice)"),
                "metric": {"name": "accuracy" if metric == "mc1" else "other", "name_in_source": metric,
                           "scale": "fraction",
                           "note": ("MC1: share of questions where the single true answer gets the highest "
                                    "likelihood." if metric == "mc1" else
                                    "MC2: normalised total probability given to the true answers.")},
                "entries": entries_for("truthfulqa"), "kind": "truthfulqa", "pair": metric}
    if group == "superglue_0-shot" and task == "wic" and metric == "acc":
        return {"id": "wic", "task": ("SuperGLUE", "WiC (Word in Context)"),
                "metric": {"name": "accuracy", "name_in_source": "acc", "random_baseline": Num("0.5"),
                           "scale": "fraction",
                           "note": "Each item is a yes/no decision, so a uniform guess scores 0.5."},
                "entries": entries_for("wic"), "kind": "wic"}
    return None


KIND_NOTES = {
    "bbh": ("The harness's bigbench_* tasks of this group are multiple-choice versions of BIG-Bench Hard "
            "subtasks scored by log-likelihood, not BIG-bench's own runs nor BBH's generated answers."),
    "gsm8k": ("From the gsm8k_8-shot result files (8 exemplars); the gsm8k values inside the "
              "mathematical_reasoning files (0.0 for every LLaMA and BLOOM model) are another run and are not "
              "used. The result JSONs give gsm8k task version 0, whose definition (lm_eval/tasks/gsm8k.py) "
              "shows training problems followed by their reference solutions, which spell out the steps."),
    "mmlu": "hendrycksTest-<subject> tasks of the harness, 5-shot.",
    "gpt3": "The harness's versions of the GPT-3 paper's synthetic tasks.",
    "truthfulqa": "The same outputs scored two ways: MC1 and MC2 are separate curves.",
    "wic": "Zero-shot, from the superglue result files.",
}
ENTRY_NOTE = ("The linked entry is a claim about another model family in its original evaluation; this curve is "
              "the same task with other families and the harness's prompts and metric.")


def import_file(path: Path) -> ImportResult:
    """Curves of ``scores_long.csv``."""
    rows = read_csv(path)
    require_columns(rows, COLUMNS, path)
    display = f"{FORMAT}/{path.name}"
    result = ImportResult(inputs=[display])
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row["model"], row["file_group"]), []).append(row["value"])
    broken = {key for key, values in groups.items() if len(values) > 1 and all(float(v) == 0 for v in values)}
    curves: dict[str, dict[str, Any]] = {}
    skipped_families: dict[str, int] = {}
    for row in rows:
        if row["family"] in SKIPPED_FAMILIES:
            skipped_families[row["family"]] = skipped_families.get(row["family"], 0) + 1
            continue
        spec = _spec(row["file_group"], row["task"], row["metric"])
        if spec is None:
            continue
        family = FAMILIES.get(row["family"])
        if family is None:
            raise InputError(f"unknown family folder {row['family']!r}")
        curve_id = f"{FORMAT}-{spec['id']}"
        curve = curves.setdefault(curve_id, _new_curve(curve_id, spec, display))
        if (row["model"], row["file_group"]) in broken:
            curve["_broken"].add(f"{row['model']} ({row['file_group']})")
            continue
        shots = int(row["n_shots"])
        label = f"{family}, {'zero-shot' if shots == 0 else f'{shots}-shot'}"
        series = curve["_series"].setdefault(label, {
            "family_name": family,
            "label": label,
            "prompting": {"strategy": "zero_shot" if shots == 0 else "few_shot", "shots": shots},
            "source": {"key": KEY, "locator": LOCATOR},
            "data": data_block(file=display, columns=["model", "file_group", "task", "metric", "value", "n_shots"],
                               license=LICENSE, harness=f"EleutherAI lm-evaluation-harness (2023), task {row['task']}",
                               url=URL, attribution=ATTRIBUTION),
            "points": [],
        })
        if any(p["model_name"] == row["model"] for p in series["points"]):
            raise InputError(f"{curve_id}: {row['model']} occurs twice")
        series["points"].append(point(row["value"], model_name=row["model"], params=params_from_name(row["model"])))
    for curve_id in sorted(curves):
        curve = curves[curve_id]
        broken_here = sorted(curve.pop("_broken"))
        curve["series"] = list(curve.pop("_series").values())
        if broken_here:
            curve["notes"].insert(2, "Left out as a broken evaluation: every value of the result file is exactly "
                                     "0.0 for " + ", ".join(broken_here) + ", while other models score above zero "
                                     "on the same tasks (likely an answer-format or tokenisation mismatch).")
        if not curve["series"]:
            result.log.append(f"{curve_id}: no series left after removing broken files, not written")
            continue
        result.curves.append(curve)
        points = sum(len(s["points"]) for s in curve["series"])
        result.log.append(f"{curve_id}: {len(curve['series'])} series, {points} points"
                          + (f"; left out all-zero {', '.join(broken_here)}" if broken_here else ""))
    for family, count in skipped_families.items():
        result.log.append(f"{family}: {count} rows skipped ({SKIPPED_FAMILIES[family]})")
    return result


def _new_curve(curve_id: str, spec: dict[str, Any], display: str) -> dict[str, Any]:
    benchmark, name = spec["task"]
    notes = [COMMON_NOTE, SCALE_NOTE, KIND_NOTES[spec["kind"]]]
    if spec.get("pair"):
        other = "mc2" if spec["pair"] == "mc1" else "mc1"
        notes.append(f"The other score of the same outputs is in {FORMAT}-truthfulqa-{other}.")
    if spec["entries"]:
        notes.append(ENTRY_NOTE)
    return {"id": curve_id, "inputs": [display], "task": {"benchmark": benchmark, "name": name},
            "metric": dict(spec["metric"]), "entries": list(spec["entries"]), "_series": {}, "_broken": set(),
            "notes": notes}


def import_path(path: Path) -> ImportResult:
    """Accept the data folder or ``scores_long.csv`` itself."""
    if path.is_dir():
        path = path / "scores_long.csv"
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return apply_scale_corrections(import_file(path))
