"""Importer for the ExpEmergence data (Wu and Lo, "U-shaped and Inverted-U Scaling behind
Emergent Abilities of Large Language Models", ICLR 2025).

Flow: third-party files (``data/<task>/<task>_instance_brier_<low>_<high>_<groups>_<redist|undist>.csv``
of github tony10101105/ExpEmergence, copied unchanged into a folder ``expemergence/``) ->
:func:`import_task_files` (pure: paths in, curve dicts out) -> :mod:`.writer` ->
``catalog/curves/expemergence-*.yaml``.

The same model outputs are scored twice, so each task gives two curves: accuracy (the
``acc`` column: the option with the highest log-likelihood counts as the answer) and the
mean Brier score of the option probabilities (``brier``, lower is better; from a
``redist`` file, where the probabilities are renormalised to sum to 1). Later work argues
that some emergence is an artifact of discontinuous metrics such as accuracy, which is
why both are kept. Each row already carries its scale (parameters, tokens and 6ND FLOPs
copied from the ObsScaling table).

Known artifacts, handled explicitly: rows without a model id (blank rows) and rows of
models that were not evaluated on the task (empty ``acc``) are skipped; a model id that
occurs on more than one row (``openai-community/gpt2`` and ``gpt2-large`` in the
arithmetic files, each listed again with the sizes of gpt2-medium and gpt2-xl but the same
scores) keeps its first row only, and the curve notes list the dropped rows. The several
grouping files of one task must agree on ``acc`` and ``brier``; the importer checks it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import (BILLION, TRILLION, InputError, ImportResult, Num, data_block, plural, point, read_csv,
                     require_columns)
from .corrections import apply_scale_corrections
from .tasks import entries_for

FORMAT = "expemergence"
KEY = "wu2025ushaped"
LICENSE = "MIT"
COMMIT = "288b731d68fbc0328de28d394af108da71a09d36"
URL = f"https://github.com/tony10101105/ExpEmergence/tree/{COMMIT}/data"
ATTRIBUTION = ("ExpEmergence data, Copyright (c) 2024 Tony (github tony10101105/ExpEmergence), MIT License; "
               "values copied unchanged.")
SCALE_COLUMNS = ["Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)"]
FILE_NAME = re.compile(r"^(?P<task>.+)_instance_brier_(?P<low>[-0-9.]+)_(?P<high>[0-9.]+)_(?P<groups>\d+)_"
                       r"(?P<dist>redist|undist)\.csv$")

#: folder -> harness task, shots (from the repository's evaluation/<task>/*.sh), catalog task, entry key.
TASKS: dict[str, dict[str, Any]] = {
    "mmlu": {"harness": "mmlu", "shots": 5, "task": {"benchmark": "MMLU", "name": "57-subject average"},
             "key": "mmlu", "baseline": "0.25"},
    "parsinlu_qa_mc": {"harness": "bigbench_parsinlu_qa_multiple_choice", "shots": 2,
                       "task": {"benchmark": "BIG-Bench", "name": "parsinlu_qa"}, "key": "bigbench:parsinlu_qa"},
    "arithmetic": {"harness": "bigbench_arithmetic_multiple_choice", "shots": 2,
                   "task": {"benchmark": "BIG-Bench", "name": "arithmetic"}, "key": None},
    "hindu_knowledge": {"harness": "bigbench_hindu_knowledge_multiple_choice", "shots": 2,
                        "task": {"benchmark": "BIG-Bench", "name": "hindu_knowledge"},
                        "key": "bigbench:hindu_knowledge"},
    "conceptual_combinations": {"harness": "bigbench_conceptual_combinations_multiple_choice", "shots": 2,
                                "task": {"benchmark": "BIG-Bench", "name": "conceptual_combinations"},
                                "key": "bigbench:conceptual_combinations"},
    "analogical_similarity": {"harness": "bigbench_analogical_similarity_multiple_choice", "shots": 2,
                              "task": {"benchmark": "BIG-Bench", "name": "analogical_similarity"},
                              "key": "bigbench:analogical_similarity"},
    "abstract_narrative_understanding": {"harness": "bigbench_abstract_narrative_understanding_multiple_choice",
                                         "shots": 2, "task": {"benchmark": "BIG-Bench",
                                                              "name": "abstract_narrative_understanding"},
                                         "key": None},
    "arc": {"harness": "ai2_arc", "shots": 1, "task": {"benchmark": "ARC", "name": "ai2_arc (Easy and Challenge)"},
            "key": None},
    "hellaswag": {"harness": "hellaswag", "shots": 1, "task": {"benchmark": "HellaSwag", "name": "HellaSwag"},
                  "key": None},
}
COMMON_NOTE = ("A later evaluation of public base models (Pythia, OPT, BLOOM, LLaMA, Qwen1.5 and others) with "
               "lm-evaluation-harness, by the authors of the U-shaped scaling paper; it shows how the task scales "
               "for those families and does not reproduce the original GPT-3, LaMDA or PaLM figures.")
SCALE_NOTE = ("Scale per point as the file gives it: parameters (billions), pretraining tokens (trillions) and "
              "FLOPs (units of 1e21, 6 x parameters x tokens), copied by the authors from the ObsScaling table; "
              "models without public token counts have parameters only.")


def parse_name(path: Path) -> dict[str, str]:
    """The parts of an ExpEmergence file name (task, FLOP range, groups, redist/undist)."""
    match = FILE_NAME.match(path.name)
    if not match or path.name.startswith("acc_"):
        raise InputError(f"{path.name}: not a <task>_instance_brier_..._(redist|undist).csv file")
    return match.groupdict()


def _rows(path: Path) -> list[dict[str, str]]:
    rows = read_csv(path)
    require_columns(rows, SCALE_COLUMNS + ["acc", "brier"], path)
    return rows


def _scores(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["Model"].strip() and row["acc"].strip() and row["Model"] not in out:
            out[row["Model"]] = (row["acc"].strip(), row["brier"].strip())
    return out


def import_task_files(paths: list[Path], root: Path | None = None) -> ImportResult:
    """Two curves (accuracy, Brier score) for one task from its ``redist`` files.

    The first ``redist`` file in ``paths`` is the one read; every other file of the task
    must give the same ``acc`` (and, for other ``redist`` files, the same ``brier``).
    """
    redist = [p for p in paths if parse_name(p)["dist"] == "redist"]
    if not redist:
        raise InputError("no redist file among " + ", ".join(p.name for p in paths))
    main = redist[0]
    info = parse_name(main)
    folder = main.parent.name
    spec = TASKS.get(folder) or TASKS.get(info["task"])
    if spec is None:
        raise InputError(f"{main.name}: task {info['task']!r} is not in the importer's table")
    rows = _rows(main)
    reference = _scores(rows)
    for other in paths[1:]:
        theirs = _scores(_rows(other))
        same_brier = parse_name(other)["dist"] == "redist"
        for model, (acc, brier) in reference.items():
            if model not in theirs or Decimal(theirs[model][0]) != Decimal(acc) or (
                    same_brier and Decimal(theirs[model][1]) != Decimal(brier)):
                raise InputError(f"{other.name} disagrees with {main.name} for {model}")

    display = f"{FORMAT}/" + (main.relative_to(root).as_posix() if root else f"data/{folder}/{main.name}")
    blank = sum(1 for r in rows if not r["Model"].strip())
    not_run = sum(1 for r in rows if r["Model"].strip() and not r["acc"].strip())
    seen: dict[str, dict[str, str]] = {}
    dropped: list[str] = []
    kept: list[dict[str, str]] = []
    for row in rows:
        model = row["Model"].strip()
        if not model or not row["acc"].strip():
            continue
        if model in seen:
            first = seen[model]
            if (row["acc"], row["brier"]) != (first["acc"], first["brier"]):
                raise InputError(f"{main.name}: {model} has two rows with different scores")
            dropped.append(f"{model} at {row['Model Size (B)']}B (kept the row at {first['Model Size (B)']}B)")
            continue
        seen[model] = row
        kept.append(row)

    task_id = info["task"].replace("_", "-")
    curves = []
    for metric_key, column in (("accuracy", "acc"), ("brier-score", "brier")):
        series: dict[str, dict[str, Any]] = {}
        for row in kept:
            value = row[column].strip()
            if not value:
                raise InputError(f"{main.name}: {row['Model']} has acc but no {column}")
            family = row["Model Family"].strip()
            if not family:
                raise InputError(f"{main.name}: {row['Model']} has no Model Family")
            entry = series.setdefault(family, {
                "family_name": family,
                "label": f"{family}, {spec['shots']}-shot",
                "prompting": {"strategy": "few_shot", "shots": spec["shots"]},
                "source": {"key": KEY, "locator": f"released data, data/{folder} (github tony10101105/ExpEmergence)"},
                "data": data_block(file=display, columns=[*SCALE_COLUMNS, column], license=LICENSE,
                                   harness=f"EleutherAI lm-evaluation-harness, task {spec['harness']}, "
                                           f"{spec['shots']}-shot, dtype float16",
                                   url=URL, attribution=ATTRIBUTION),
                "points": [],
            })
            entry["points"].append(point(value, model_name=row["Model"].strip(), **_scale(row)))
        other = f"expemergence-{task_id}-{'brier-score' if column == 'acc' else 'accuracy'}"
        if column == "acc":
            metric: dict[str, Any] = {
                "name": "accuracy", "name_in_source": "acc", "scale": "fraction",
                "note": ("Share of questions where the option with the highest log-likelihood is correct; "
                         "for BIG-bench tasks the same kind of score as BIG-bench's multiple_choice_grade, "
                         "computed by lm-evaluation-harness.")}
            if spec.get("baseline"):
                metric["random_baseline"] = Num(spec["baseline"])
                metric["note"] += " Every MMLU question has four options, so a uniform guess scores 0.25."
        else:
            metric = {"name": "brier_score", "name_in_source": "brier", "scale": "fraction",
                      "note": ("Mean Brier score over the questions, with the option probabilities renormalised "
                               "to sum to 1 (the 'redist' files); lower is better.")}
        notes = [COMMON_NOTE, SCALE_NOTE,
                 f"The same outputs are scored by accuracy and by Brier score; the other curve is {other}."]
        if spec["task"]["benchmark"] == "MMLU":
            notes.append("This is the authors' own 5-shot run (the 'acc' column; 'MMLU-ours' in their table), "
                         "not the Open LLM Leaderboard MMLU column that the same rows also carry.")
        if blank or not_run:
            notes.append(f"Skipped rows: {plural(blank, 'blank row')} and {plural(not_run, 'row')} of models "
                         "not evaluated on this task (empty acc).")
        if dropped:
            note = ("Duplicated model ids: the file repeats " + "; ".join(dropped) + ", with identical "
                    "scores; only the first row of each id is kept.")
            if all(d.startswith("openai-community/gpt2") for d in dropped):
                note += (" The repeated GPT-2 rows carry the sizes of gpt2-medium (0.355B) and gpt2-xl (1.5B), "
                         "which appear under no id of their own, while the scores were joined by the ids "
                         "gpt2 and gpt2-large, whose sizes are those of the kept rows.")
            notes.append(note)
        entries = entries_for(spec["key"]) if spec["key"] else []
        if entries:
            notes.append("The linked entry is a claim about another model family in its original evaluation "
                         "(BIG-bench's or the paper's own prompts); this curve is the same task run through "
                         "lm-evaluation-harness on other families.")
        if folder == "arithmetic":
            notes.append("BIG-bench's arithmetic task mixes addition, subtraction, multiplication and division "
                         "of 1- to 5-digit numbers, so it is not linked to the GPT-3 arithmetic entries.")
        curves.append({
            "id": f"{FORMAT}-{task_id}-{metric_key}",
            "inputs": [display],
            "task": dict(spec["task"]),
            "metric": metric,
            "entries": entries,
            "series": list(series.values()),
            "notes": notes,
        })
    points = sum(len(s["points"]) for s in curves[0]["series"])
    log = [f"expemergence-{task_id}: 2 curves (accuracy, brier), {len(curves[0]['series'])} series, {points} points "
           f"each; skipped {blank} blank and {not_run} not-evaluated rows; dropped {len(dropped)} duplicate rows"
           + (f"; checked against {len(paths) - 1} other file(s)" if len(paths) > 1 else "")]
    return ImportResult(curves=curves, log=log, inputs=[display])


def _scale(row: dict[str, str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    if row["Model Size (B)"].strip():
        out["params"] = Decimal(row["Model Size (B)"]) * BILLION
    if row["Pretraining Data Size (T)"].strip():
        out["train_tokens"] = Decimal(row["Pretraining Data Size (T)"]) * TRILLION
    if row["FLOPs (1E21)"].strip():
        out["train_flops"] = Decimal(row["FLOPs (1E21)"]) * Decimal(10) ** 21
    return out


def _task_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.glob("*.csv") if FILE_NAME.match(p.name) and not p.name.startswith("acc_"))
    # the 10-group redist file first: it is the one read, the others are checked against it
    return sorted(files, key=lambda p: (parse_name(p)["dist"] != "redist", parse_name(p)["groups"] != "10", p.name))


def import_path(path: Path) -> ImportResult:
    """Accept the ``expemergence`` folder (all tasks under ``data/``), one task folder, or one file."""
    if path.is_file():
        return apply_scale_corrections(import_task_files([path]))
    data = path / "data" if (path / "data").is_dir() else path
    folders = [data] if any(data.glob("*_instance_brier_*.csv")) else sorted(p for p in data.iterdir() if p.is_dir())
    root = path if (path / "data").is_dir() else None
    result = ImportResult()
    for folder in folders:
        files = _task_files(folder)
        if not files:
            result.log.append(f"{folder.name}: no task files, skipped")
            continue
        part = import_task_files(files, root)
        result.curves.extend(part.curves)
        result.log.extend(part.log)
        result.inputs.extend(part.inputs)
    return apply_scale_corrections(result)
