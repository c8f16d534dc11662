"""Importer for the Pythia suite's evaluation results (Biderman et al., ICML 2023), with the
OPT and BLOOM results kept in the same repository.

Flow: third-party files (``runs.csv`` and ``scores.csv`` flattened from the lm-evaluation-harness
JSONs in ``evals/`` of github EleutherAI/pythia, in a folder ``pythia/``) -> :func:`import_folder`
(pure: paths in, curve dicts out) -> :mod:`.writer` -> ``catalog/curves/pythia-mmlu-*.yaml``.

Only the MMLU subjects (``hendrycksTest-<subject>``, accuracy) are imported, one curve per
subject, because they are the files' only tasks with catalog entries. Pythia is taken at its
final checkpoint (step 143000; the per-checkpoint results are a training-time axis, not a
size axis), zero-shot and five-shot, standard and deduplicated Pile as separate series;
OPT and BLOOM are zero-shot, final models. Parameter counts are the nominal sizes in the
model names (the files hold no other); Pythia's training tokens are the computed
143,000 steps x 2,097,152 tokens of ``runs.csv``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import InputError, ImportResult, Num, data_block, params_from_name, point, read_csv, require_columns
from .corrections import apply_scale_corrections
from .tasks import entries_for, mmlu_subject_name

FORMAT = "pythia"
KEY = "biderman2023pythia"
LICENSE = "Apache-2.0"
COMMIT = "a19eecb807ec2c79a39ebf18108816e6ffffc1d5"
URL = f"https://github.com/EleutherAI/pythia/tree/{COMMIT}/evals"
ATTRIBUTION = ("Pythia evaluation results (evals/ folder of github EleutherAI/pythia), Copyright EleutherAI, "
               "Apache License 2.0; values as stored in the result JSONs.")
FINAL_STEP = "143000"
PREFIX = "hendrycksTest-"

COMMON_NOTE = ("Later evaluations of open model families (Pythia, OPT, BLOOM) with the old lm-evaluation-harness "
               "hendrycksTest tasks; they show how this MMLU subject scales up to 66B parameters for those "
               "families and do not reproduce the Chinchilla or Gopher figures.")
SCALE_NOTE = ("Parameters are the nominal sizes in the model names (70m = 70e6, bloom-7b1 = 7.1e9); Pythia's "
              "training tokens are 143,000 steps x 2,097,152 tokens = 299,892,736,000, computed in runs.csv from "
              "the Pythia README's batch size. pythia-1b-bf16 is the 1B model (trained in bf16).")


def _family(run: dict[str, str]) -> tuple[str, str]:
    suite, model = run["suite"], run["model"]
    if suite == "pythia-v1":
        return ("Pythia (deduplicated Pile)" if model.endswith("-deduped") else "Pythia",
                "Pythia, deduplicated Pile" if model.endswith("-deduped") else "Pythia")
    if suite == "opt":
        return "OPT", "OPT"
    if suite == "bloom":
        return "BLOOM", "BLOOM"
    raise InputError(f"unknown suite {suite!r}")


def import_folder(folder: Path) -> ImportResult:
    """Per-subject MMLU curves from ``runs.csv`` + ``scores.csv`` in ``folder``."""
    runs_rows = read_csv(folder / "runs.csv")
    require_columns(runs_rows, ["run_id", "suite", "model", "n_shots", "step", "tokens_seen_computed", "hf_model"],
                    folder / "runs.csv")
    selected: dict[str, dict[str, str]] = {}
    keys: set[tuple[str, str]] = set()
    for run in runs_rows:
        if run["suite"] == "pythia-v1" and run["step"] != FINAL_STEP:
            continue
        key = (run["model"], run["n_shots"])
        if key in keys:
            raise InputError(f"runs.csv: two final runs for {key}")
        keys.add(key)
        selected[run["run_id"]] = run
    score_path = folder / "scores.csv"
    inputs = [f"{FORMAT}/scores.csv", f"{FORMAT}/runs.csv"]
    result = ImportResult(inputs=inputs)
    curves: dict[str, dict[str, Any]] = {}
    for row in read_csv(score_path):
        if row["run_id"] not in selected or row["metric"] != "acc" or not row["task"].startswith(PREFIX):
            continue
        run = selected[row["run_id"]]
        subject = row["task"][len(PREFIX):]
        curve_id = f"{FORMAT}-mmlu-{subject.replace('_', '-')}"
        curve = curves.setdefault(curve_id, _new_curve(curve_id, subject, inputs))
        family, words = _family(run)
        shots = int(run["n_shots"])
        label = f"{words}, {'zero-shot' if shots == 0 else f'{shots}-shot'}"
        series = curve["_series"].setdefault(label, {
            "family_name": family,
            "label": label,
            "prompting": {"strategy": "zero_shot" if shots == 0 else "few_shot", "shots": shots},
            "source": {"key": KEY, "locator": "evaluation results, evals/ folder of github EleutherAI/pythia"},
            "data": data_block(file=f"{FORMAT}/scores.csv",
                               columns=["run_id", "task", "metric", "value", "runs.csv: model", "runs.csv: suite",
                                        "runs.csv: n_shots", "runs.csv: step", "runs.csv: tokens_seen_computed"],
                               license=LICENSE, harness=f"EleutherAI lm-evaluation-harness, task {row['task']}",
                               url=URL, attribution=ATTRIBUTION),
            "points": [],
        })
        tokens = run["tokens_seen_computed"].strip()
        series["points"].append(point(row["value"], model_name=run["model"],
                                      params=params_from_name(run["model"]),
                                      train_tokens=Decimal(tokens) if tokens else None))
    for curve_id in sorted(curves):
        curve = curves[curve_id]
        curve["series"] = list(curve.pop("_series").values())
        for series in curve["series"]:
            names = [p["model_name"] for p in series["points"]]
            if len(names) != len(set(names)):
                raise InputError(f"{curve_id}: a model occurs twice in {series['label']}")
        result.curves.append(curve)
    points = sum(len(s["points"]) for c in result.curves for s in c["series"])
    result.log.append(f"pythia: {len(result.curves)} MMLU subject curves, {points} points "
                      f"(final Pythia checkpoints, OPT, BLOOM; other tasks and checkpoints not imported)")
    return result


def _new_curve(curve_id: str, subject: str, inputs: list[str]) -> dict[str, Any]:
    entries = entries_for(f"mmlu:{subject}")
    notes = [COMMON_NOTE, SCALE_NOTE,
             "Model names are the result folders' names (runs.csv 'model'); the result files themselves name the "
             "Pythia models EleutherAI/pythia-v1.1-<size>, an internal name at evaluation time. The same OPT "
             "numbers are also in the lm-evaluation-harness results folder of 2023."]
    if entries:
        notes.append("The linked entry is a claim about Chinchilla in its own evaluation; these curves are other "
                     "families and another harness.")
    return {
        "id": curve_id,
        "inputs": inputs,
        "task": {"benchmark": "MMLU", "name": mmlu_subject_name(subject)},
        "metric": {"name": "accuracy", "name_in_source": "acc", "random_baseline": Num("0.25"), "scale": "fraction",
                   "note": "Every MMLU question has four options, so a uniform guess scores 0.25."},
        "entries": entries,
        "_series": {},
        "notes": notes,
    }


def import_path(path: Path) -> ImportResult:
    """Accept the data folder or any of its files (the folder is what is read)."""
    folder = path if path.is_dir() else path.parent
    for name in ("runs.csv", "scores.csv"):
        if not (folder / name).is_file():
            raise InputError(f"{folder}: no {name}")
    return apply_scale_corrections(import_folder(folder))
