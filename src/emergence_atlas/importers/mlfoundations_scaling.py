"""Importer for the OpenLM scaling testbed (Gadre et al., "Language models scale reliably
with over-training and on downstream tasks", ICLR 2025).

Flow: third-party files (``models.csv`` and ``downstream.csv`` derived from
``exp_data/models/*.json`` and ``exp_data/evals/*_heavy.json`` of github mlfoundations/scaling,
plus its ``eval_metadata.csv``, in a folder ``mlfoundations-scaling/``) -> :func:`import_folder`
(pure: paths in, curve dicts out) -> :mod:`.writer` -> ``catalog/curves/mlfoundations-scaling-*.yaml``.

A controlled sweep: 104 decoder-only models the authors trained themselves on three corpora
(C4, RedPajama, RefinedWeb) at six sizes (10.6M to 6.9B parameters) and token multipliers
from 0.25 to 32 times "Chinchilla-optimal" (20 tokens per parameter). One series per corpus
and multiplier, so that each series varies size only; parameters (``hp_params``) and training
tokens (``hp_tokens``) are the stored values. Only the tasks that match catalog tasks are
imported (BIG-bench tasks, MMLU, Social IQa); shot counts and random baselines come from
``eval_metadata.csv`` (the baseline there is in percent and is divided by 100 here, the
scores being fractions).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import InputError, ImportResult, Num, data_block, point, read_csv, require_columns
from .corrections import apply_scale_corrections
from .tasks import entries_for

FORMAT = "mlfoundations-scaling"
KEY = "gadre2025language"
LICENSE = "MIT"
COMMIT = "a003c4913793ac2ae7ef87b28ecb562955d026d5"
URL = f"https://github.com/mlfoundations/scaling/tree/{COMMIT}/exp_data"
ATTRIBUTION = ("OpenLM scaling testbed results, Copyright (c) 2024 mlfoundations (github mlfoundations/scaling), "
               "MIT License; values as stored in its exp_data files.")
DATASETS = {"c4_original": "C4", "rpj": "RedPajama", "rw_original": "RefinedWeb"}

#: downstream task -> curve id suffix, task, entry key (one curve may collect several tasks).
TASKS: dict[str, dict[str, Any]] = {
    "bigbench_conceptual_combinations": {"task": ("BIG-Bench", "conceptual_combinations"),
                                         "key": "bigbench:conceptual_combinations"},
    "bigbench_conlang_translation": {"task": ("BIG-Bench", "conlang_translation")},
    "bigbench_cs_algorithms": {"task": ("BIG-Bench", "cs_algorithms"), "key": "bigbench:cs_algorithms",
                               "baseline": ("0.403", (
        "eval_metadata.csv gives 0, which is not chance for this task. Random baseline derived from the task's "
        "items instead: the LLM Foundry file bigbench_cs_algorithms.jsonl (github mosaicml/llm-foundry, "
        "scripts/eval/local_data/symbolic_problem_solving, unchanged since commit ffcc568) holds 1,320 items, "
        "as many as BIG-bench's cs_algorithms: 1,000 balanced-parentheses items answered Valid or Invalid and "
        "320 longest-common-subsequence items answered with a length from 0 to 9 (32 items each). Guessing "
        "uniformly among each subtask's answers scores (1000 x 1/2 + 320 x 1/10) / 1320 = 532/1320 = 0.403; "
        "always answering Invalid and one fixed length scores (568 + 32) / 1320 = 0.455. An item counts as "
        "correct when the model's most likely next tokens reproduce the whole answer (LLM Foundry's "
        "language-modeling accuracy)."))},
    "bigbench_dyck_languages": {"task": ("BIG-Bench", "dyck_languages")},
    "bigbench_elementary_math_qa": {"task": ("BIG-Bench", "elementary_math_qa"), "key": "bigbench:elementary_math_qa"},
    "bigbench_language_identification": {"task": ("BIG-Bench", "language_identification"),
                                         "key": "bigbench:language_identification"},
    "bigbench_logical_deduction": {"task": ("BIG-Bench", "logical_deduction"), "key": "bigbench:logical_deduction"},
    "bigbench_misconceptions": {"task": ("BIG-Bench", "misconceptions"), "key": "bigbench:misconceptions"},
    "bigbench_novel_concepts": {"task": ("BIG-Bench", "novel_concepts")},
    "bigbench_operators": {"task": ("BIG-Bench", "operators")},
    "bigbench_qa_wikidata": {"task": ("BIG-Bench", "qa_wikidata")},
    "bigbench_repeat_copy_logic": {"task": ("BIG-Bench", "repeat_copy_logic"), "key": "bigbench:repeat_copy_logic"},
    "bigbench_strange_stories": {"task": ("BIG-Bench", "strange_stories"), "key": "bigbench:strange_stories"},
    "bigbench_strategy_qa": {"id": "strategyqa", "task": ("BIG-Bench", "strategyqa"), "key": "bigbench:strategyqa"},
    "bigbench_understanding_fables": {"task": ("BIG-Bench", "understanding_fables"),
                                      "key": "bigbench:understanding_fables"},
    "mmlu": {"id": "mmlu", "task": ("MMLU", "57-subject average"), "key": "mmlu"},
    "mmlu_zeroshot": {"id": "mmlu", "task": ("MMLU", "57-subject average"), "key": "mmlu"},
    "siqa": {"id": "social-iqa", "task": ("Social IQa", "SIQA"), "key": "bigbench:social_iqa",
             "note": ("BIG-bench's social_iqa task packages the same Social IQa questions; this is the LLM "
                      "Foundry version of the dataset, not BIG-bench's.")},
}
COMMON_NOTE = ("A controlled scale sweep: models trained by the authors with the same code on one corpus per "
               "series, the largest with 6.9B parameters, so this is the early part of the curve; it does not "
               "reproduce the original GPT-3, LaMDA or PaLM figures.")
SERIES_NOTE = ("One series per corpus and token multiplier M (training tokens = about 20 x M x parameters); "
               "parameters count embeddings (hp_params) and tokens are the stored hp_tokens. Training FLOPs are "
               "not stored and are not computed here.")
HARNESS = ("LLM-Foundry-style in-context-learning evaluation (files exp_data/evals/*_heavy.json, config "
           "exp_data/heavy.yaml), not BIG-bench's or lm-evaluation-harness's implementation")


def _multiplier_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def import_folder(folder: Path) -> ImportResult:
    """Curves of ``models.csv`` + ``downstream.csv`` + ``eval_metadata.csv`` in ``folder``."""
    models = read_csv(folder / "models.csv")
    require_columns(models, ["run", "dataset_name", "hp_params", "hp_tokens", "hp_chinchilla_multiplier"],
                    folder / "models.csv")
    scores = read_csv(folder / "downstream.csv")
    require_columns(scores, ["run", "task", "value"], folder / "downstream.csv")
    meta_rows = read_csv(folder / "eval_metadata.csv")
    require_columns(meta_rows, ["Eval Task", "Task Type", "#shots", "Random baseline"], folder / "eval_metadata.csv")
    meta = {r["Eval Task"].strip(): r for r in meta_rows}
    runs = {r["run"]: r for r in models}
    if len(runs) != len(models):
        raise InputError("models.csv: a run name occurs twice")
    inputs = [f"{FORMAT}/downstream.csv", f"{FORMAT}/models.csv", f"{FORMAT}/eval_metadata.csv"]
    result = ImportResult(inputs=inputs)
    curves: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    skipped_tasks: set[str] = set()
    for row in scores:
        task = row["task"]
        if task not in TASKS:
            skipped_tasks.add(task)
            continue
        if (row["run"], task) in seen:
            raise InputError(f"downstream.csv: run {row['run']} has task {task} twice")
        seen.add((row["run"], task))
        run = runs.get(row["run"])
        if run is None:
            raise InputError(f"downstream.csv: run {row['run']!r} is not in models.csv")
        spec = TASKS[task]
        info = meta.get(task)
        if info is None:
            raise InputError(f"eval_metadata.csv has no row for {task}")
        curve_id = f"{FORMAT}-" + spec.get("id", task.removeprefix("bigbench_").replace("_", "-"))
        curve = curves.setdefault(curve_id, _new_curve(curve_id, spec, info, inputs))
        shots = int(info["#shots"])
        corpus = DATASETS.get(run["dataset_name"])
        if corpus is None:
            raise InputError(f"unknown dataset {run['dataset_name']!r}")
        multiplier = _multiplier_text(Decimal(run["hp_chinchilla_multiplier"]))
        label = f"OpenLM on {corpus}, M={multiplier}, {shots}-shot"
        series = curve["_series"].setdefault(label, {
            "family_name": f"OpenLM ({corpus})",
            "label": label,
            "prompting": {"strategy": "zero_shot" if shots == 0 else "few_shot", "shots": shots},
            "source": {"key": KEY, "locator": "testbed data release, exp_data/ (github mlfoundations/scaling)"},
            "data": data_block(file=f"{FORMAT}/downstream.csv",
                               columns=["run", "task", "value", "models.csv: hp_params", "models.csv: hp_tokens",
                                        "models.csv: dataset_name", "models.csv: hp_chinchilla_multiplier"],
                               license=LICENSE, harness=HARNESS, url=URL, attribution=ATTRIBUTION),
            "points": [],
        })
        series["points"].append(point(row["value"], model_name=row["run"], params=Decimal(run["hp_params"]),
                                      train_tokens=Decimal(run["hp_tokens"])))
    for curve_id in sorted(curves):
        curve = curves[curve_id]
        curve["series"] = list(curve.pop("_series").values())
        result.curves.append(curve)
        points = sum(len(s["points"]) for s in curve["series"])
        result.log.append(f"{curve_id}: {len(curve['series'])} series, {points} points")
    result.log.append(f"tasks without a catalog counterpart, not imported: {len(skipped_tasks)}")
    return result


def _new_curve(curve_id: str, spec: dict[str, Any], info: dict[str, str], inputs: list[str]) -> dict[str, Any]:
    benchmark, name = spec["task"]
    task_type = info["Task Type"].strip()
    metric: dict[str, Any] = {"name": "accuracy", "name_in_source": f"{task_type} (eval_metadata.csv task type)",
                              "scale": "fraction"}
    baseline = Decimal(info["Random baseline"].strip())
    if spec.get("baseline"):
        value, note = spec["baseline"]
        metric["random_baseline"] = Num(value)
        metric["note"] = note
    else:
        metric["random_baseline"] = Num(format((baseline / 100).normalize(), "f") if baseline else "0.0")
        metric["note"] = (f"Random baseline from eval_metadata.csv ({info['Random baseline'].strip()}, in percent "
                          "there; divided by 100 to match the fraction scores).")
    if task_type != "multiple choice" and not spec.get("baseline"):
        metric["note"] += (" For this 'language modeling' task type the files store one score per task without "
                           "defining the per-item rule beyond that type.")
    notes = [COMMON_NOTE, SERIES_NOTE]
    if spec.get("note"):
        notes.append(spec["note"])
    entries = entries_for(spec["key"]) if spec.get("key") else []
    if entries:
        notes.append("The linked entry is a claim about another model family with BIG-bench's or the original "
                     "paper's prompts and metric; this curve is the same task in another harness.")
    return {"id": curve_id, "inputs": inputs, "task": {"benchmark": benchmark, "name": name}, "metric": metric,
            "entries": entries, "_series": {}, "notes": notes}


def import_path(path: Path) -> ImportResult:
    """Accept the data folder or any of its files (the folder is what is read)."""
    folder = path if path.is_dir() else path.parent
    for name in ("models.csv", "downstream.csv", "eval_metadata.csv"):
        if not (folder / name).is_file():
            raise InputError(f"{folder}: no {name}")
    return apply_scale_corrections(import_folder(folder))
