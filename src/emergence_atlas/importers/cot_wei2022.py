"""Importer for the chain-of-thought paper's per-size tables (``cot-wei2022/cot_per_size.csv``).

Flow: third-party file (Appendix B, Tables 2-5 of Wei et al., "Chain-of-Thought Prompting
Elicits Reasoning in Large Language Models", arXiv 2201.11903v6, flattened to one CSV) ->
:func:`import_file` (pure: path in, curve dicts out) -> :mod:`.writer` ->
``catalog/curves/cot-wei2022-*.yaml``.

One curve per benchmark (and per MAWPS subset or symbolic-task length), with a standard
and a chain-of-thought series for each model family. LaMDA, PaLM and UL2 are registry
families (points name their sizes). The paper's "GPT" rows are the OpenAI API models
text-ada-001 ... text-davinci-002, which the paper says presumably correspond to InstructGPT
models of 350M ... 175B parameters; they are not the GPT-3 base models of the registry, so
they form a ``family_name`` series with those presumed sizes. Codex (code-davinci-002) has
no stated size and is left out, with a note. Scores are percentages exactly as printed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import BILLION, InputError, ImportResult, Num, data_block, point, read_csv, require_columns
from .corrections import apply_scale_corrections
from .tasks import entries_for

FORMAT = "cot-wei2022"
DEFAULT_FILE = "cot_per_size.csv"
KEY = "wei2022chainofthought"
COLUMNS = ["table", "benchmark", "subset", "model_family", "model_size", "prompting", "accuracy_pct"]
LICENSE = "results reported in arXiv 2201.11903 (paper license not verified); cite the paper"
URL = "https://arxiv.org/abs/2201.11903"
ATTRIBUTION = ("Wei, Wang, Schuurmans, Bosma, Ichter, Xia, Chi, Le and Zhou, Chain-of-Thought Prompting "
               "Elicits Reasoning in Large Language Models, NeurIPS 2022 (arXiv 2201.11903v6), Appendix B.")

#: Registry family and size label for the sizes as printed.
REGISTRY = {
    "LaMDA": ("lamda", {"420M": "422M", "2B": "2B", "8B": "8B", "68B": "68B", "137B": "137B"}),
    "PaLM": ("palm", {"8B": "8B", "62B": "62B", "540B": "540B"}),
    "UL2": ("ul2", {"20B": "20B"}),
}
#: GPT rows: API model per printed size (Section 3.1 of the paper).
INSTRUCTGPT = {"350M": "text-ada-001", "1.3B": "text-babbage-001", "6.7B": "text-curie-001",
               "175B": "text-davinci-002"}
INSTRUCTGPT_FAMILY = "InstructGPT (OpenAI API)"

#: (benchmark, subset) -> curve id suffix, task name, entry keys, exemplar count, random baseline (percent).
BENCHMARKS: dict[tuple[str, str], dict[str, Any]] = {
    ("GSM8K", ""): {"id": "gsm8k", "benchmark": "GSM8K", "name": "GSM8K", "keys": ["gsm8k"], "shots": 8},
    ("SVAMP", ""): {"id": "svamp", "benchmark": "SVAMP", "name": "SVAMP", "shots": 8},
    ("ASDiv", ""): {"id": "asdiv", "benchmark": "ASDiv", "name": "ASDiv", "shots": 8},
    ("AQuA", ""): {"id": "aqua", "benchmark": "AQuA", "name": "AQuA", "shots": 4, "options": 5},
    ("MAWPS", ""): {"id": "mawps", "benchmark": "MAWPS", "name": "MAWPS", "shots": 8},
    ("MAWPS", "SingleOp"): {"id": "mawps-singleop", "benchmark": "MAWPS", "name": "SingleOp", "shots": 8},
    ("MAWPS", "SingleEq"): {"id": "mawps-singleeq", "benchmark": "MAWPS", "name": "SingleEq", "shots": 8},
    ("MAWPS", "AddSub"): {"id": "mawps-addsub", "benchmark": "MAWPS", "name": "AddSub", "shots": 8},
    ("MAWPS", "MultiArith"): {"id": "mawps-multiarith", "benchmark": "MAWPS", "name": "MultiArith", "shots": 8},
    ("CSQA", ""): {"id": "csqa", "benchmark": "CommonsenseQA", "name": "CSQA", "options": 5},
    ("StrategyQA", ""): {"id": "strategyqa", "benchmark": "StrategyQA", "name": "StrategyQA", "keys": ["strategyqa"], "shots": 6, "options": 2},
    ("Date", ""): {"id": "date-understanding", "benchmark": "BIG-Bench", "name": "date_understanding"},
    ("Sports", ""): {"id": "sports-understanding", "benchmark": "BIG-Bench", "name": "sports_understanding",
                     "keys": ["sports_understanding"], "options": 2},
    ("SayCan", ""): {"id": "saycan", "benchmark": "SayCan", "name": "SayCan robot planning"},
    ("Last Letter Concatenation", "2"): {"id": "last-letter-concatenation-2",
                                         "benchmark": "Last letter concatenation", "name": "Last letter concatenation, 2 words (in domain)"},
    ("Last Letter Concatenation", "OOD: 3"): {"id": "last-letter-concatenation-ood-3",
                                              "benchmark": "Last letter concatenation", "name": "Last letter concatenation, 3 words (out of domain)"},
    ("Last Letter Concatenation", "OOD: 4"): {"id": "last-letter-concatenation-ood-4",
                                              "benchmark": "Last letter concatenation", "name": "Last letter concatenation, 4 words (out of domain)"},
    ("Coin Flip (state tracking)", "2"): {"id": "coin-flip-2", "benchmark": "Coin flip", "name": "Coin flip, 2 flips (in domain)",
                                          "options": 2},
    ("Coin Flip (state tracking)", "OOD: 3"): {"id": "coin-flip-ood-3", "benchmark": "Coin flip", "name": "Coin flip, 3 flips (out of domain)",
                                               "options": 2},
    ("Coin Flip (state tracking)", "OOD: 4"): {"id": "coin-flip-ood-4", "benchmark": "Coin flip", "name": "Coin flip, 4 flips (out of domain)",
                                               "options": 2},
}
PROMPTING = {"standard": ("few_shot", "standard prompting"), "chain_of_thought": ("chain_of_thought", "chain of thought")}
ENTRY_NOTES = {
    "gsm8k": ("The linked entry's claim is LaMDA's chain-of-thought gain on math word problems (GSM8K); "
              "these are the per-size numbers behind it, from the chain-of-thought paper itself."),
    "strategyqa": ("The linked entries are the chain-of-thought StrategyQA claim (PaLM) and the BIG-bench "
                   "StrategyQA task (GPT-3, multiple-choice grade); this curve is the chain-of-thought paper's "
                   "own solve rate, so for the BIG-bench entry it is another harness and metric."),
    "sports-understanding": ("The linked entry is BIG-bench sports understanding for LaMDA, scored there by "
                             "multiple-choice grade; this curve is the chain-of-thought paper's solve rate."),
}


def import_file(path: Path) -> ImportResult:
    """Curves of ``cot_per_size.csv`` (Appendix B Tables 2-5 of arXiv 2201.11903v6)."""
    rows = read_csv(path)
    require_columns(rows, COLUMNS, path)
    display = f"{FORMAT}/{path.name}"
    result = ImportResult(inputs=[display])
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault((row["benchmark"], row["subset"]), []).append(row)
    unknown = sorted(set(groups) - set(BENCHMARKS))
    if unknown:
        raise InputError(f"{path.name}: benchmark(s) not in the importer's table: {unknown}")
    for key, spec in BENCHMARKS.items():
        if key not in groups:
            continue
        curve, log = _curve(spec, groups[key], display)
        result.curves.append(curve)
        result.log.extend(log)
    return result


def _curve(spec: dict[str, Any], rows: list[dict[str, str]], display: str) -> tuple[dict[str, Any], list[str]]:
    tables = sorted({r["table"] for r in rows})
    locator = f"Appendix B, {', '.join(tables)}"
    series: dict[tuple[str, str], dict[str, Any]] = {}
    codex = 0
    for row in rows:
        family, size, prompting = row["model_family"], row["model_size"], row["prompting"]
        if prompting not in PROMPTING:
            raise InputError(f"unknown prompting {prompting!r}")
        if family == "Codex":
            codex += 1
            continue
        strategy, words = PROMPTING[prompting]
        prompt: dict[str, Any] = {"strategy": strategy}
        if spec.get("shots"):
            prompt["shots"] = spec["shots"]
        if family in REGISTRY:
            family_id, sizes = REGISTRY[family]
            if size not in sizes:
                raise InputError(f"{family} size {size!r} not in the importer's table")
            label_size = sizes[size]
            pt = point(row["accuracy_pct"], size=label_size,
                       model_name=None if label_size == size else f"{family} {size}")
            head: dict[str, Any] = {"family": family_id, "label": f"{family}, {words}"}
        elif family == "GPT":
            if size not in INSTRUCTGPT:
                raise InputError(f"GPT size {size!r} not in the importer's table")
            params = Decimal(size[:-1]) * (BILLION if size.endswith("B") else Decimal(10) ** 6)
            pt = point(row["accuracy_pct"], model_name=INSTRUCTGPT[size], params=params)
            head = {"family_name": INSTRUCTGPT_FAMILY, "label": f"InstructGPT API models, {words}"}
        else:
            raise InputError(f"unknown model family {family!r}")
        entry = series.setdefault((head["label"], prompting), {
            **head,
            "prompting": prompt,
            "source": {"key": KEY, "locator": locator},
            "data": data_block(file=display, columns=["model_family", "model_size", "prompting", "accuracy_pct"]
                               + (["benchmark", "subset"] if row["subset"] else ["benchmark"]),
                               license=LICENSE, harness="paper's own evaluation (greedy decoding)", url=URL,
                               attribution=ATTRIBUTION),
            "points": [],
        })
        entry["points"].append(pt)
    metric: dict[str, Any] = {"name": "accuracy", "name_in_source": "solve rate (%)", "scale": "percent"}
    notes = [
        "Numbers from the appendix tables of the chain-of-thought paper (v6), one row per model size; "
        "the standard series uses few-shot exemplars with answers only, the chain-of-thought series the same "
        "exemplars with reasoning written out.",
        "LaMDA results are averages over five exemplar orders (the paper's Section 3.1); the other models use "
        "one order. The tables print LaMDA's smallest size as 420M; the paper's text and the registry say 422M.",
    ]
    if any(s.get("family_name") == INSTRUCTGPT_FAMILY for s in series.values()):
        notes.append("The GPT rows are the OpenAI API models text-ada-001, text-babbage-001, text-curie-001 and "
                     "text-davinci-002 (instruction-tuned), which the paper says presumably correspond to "
                     "InstructGPT models of 350M, 1.3B, 6.7B and 175B parameters; those presumed sizes are the "
                     "params given here. They are not the GPT-3 base models of the registry.")
    if codex:
        notes.append(f"Codex (code-davinci-002) rows ({codex}) are left out: the paper states no parameter "
                     "count for it, so it has no place on a scale axis.")
    if spec.get("shots"):
        notes.append(f"The paper uses {spec['shots']} exemplars for this benchmark "
                     "(the same exemplars for all math word-problem sets except AQuA, which has four).")
    if spec.get("options"):
        share = Decimal(100) / spec["options"]
        metric["random_baseline"] = Num(format(share.normalize(), "f"))
        metric["note"] = (f"Random baseline: a uniform guess among the {spec['options']} possible answers, "
                          "which follows from the task format; the paper does not print a chance level.")
    keys = spec.get("keys", [])
    if spec["id"] in ENTRY_NOTES:
        notes.append(ENTRY_NOTES[spec["id"]])
    curve = {
        "id": f"{FORMAT}-{spec['id']}",
        "task": {"benchmark": spec["benchmark"], "name": spec["name"]},
        "metric": metric,
        "entries": entries_for(*keys),
        "series": list(series.values()),
        "notes": notes,
    }
    log = [f"{curve['id']}: {len(series)} series, {sum(len(s['points']) for s in series.values())} points"
           + (f"; {codex} Codex rows left out (no size)" if codex else "")]
    return curve, log


def import_path(path: Path) -> ImportResult:
    """Accept the data folder or the CSV itself."""
    if path.is_dir():
        path = path / DEFAULT_FILE
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return apply_scale_corrections(import_file(path))
