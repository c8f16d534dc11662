"""Importers: third-party data files -> curve dicts -> catalog/curves YAML.

Each importer runs on a small input it writes itself (tmp_path) and must give exactly the
expected curves; the writer must be byte-for-byte deterministic and read back as the same
data; every committed curve file must validate and name its data license. When the
environment variable EMERGENCE_ATLAS_CURVE_DATA points at the folder of third-party data
files, the committed curves are also re-imported and compared byte for byte.
"""

from __future__ import annotations

import csv
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from emergence_atlas.catalog import build_catalog
from emergence_atlas.importers import FORMATS, cot_wei2022, expemergence, importer, lm_eval_harness_2023
from emergence_atlas.importers import mlfoundations_scaling, obsscaling, pythia
from emergence_atlas.importers.__main__ import main as run_importer
from emergence_atlas.importers.common import InputError, Num, engineering, params_from_name, scientific, score
from emergence_atlas.importers.corrections import TABLE, apply_scale_corrections, load_table, parse_table
from emergence_atlas.importers.tasks import ENTRIES
from emergence_atlas.importers.writer import MODELINE, render, write_curves
from emergence_atlas.bibliography import load_bibliography
from emergence_atlas.loading import load_yaml
from emergence_atlas.schema.models import Curve
from emergence_atlas.schema.validation import validate_document

from .conftest import REPO

CURVES = REPO / "catalog" / "curves"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def validate(curve: dict, tmp_path: Path) -> Curve:
    """Render one curve, load it like the catalog does, and validate it against the schema."""
    path = tmp_path / f"{curve['id']}.yaml"
    path.write_text(render(curve, importer="test", inputs=["test.csv"]), encoding="utf-8")
    doc, problems = load_yaml(path)
    assert doc is not None and not problems
    record, problems = validate_document(doc, Curve, {"id": curve["id"]})
    assert record is not None, [p.format() for p in problems]
    return record


def without(curve: dict, *keys: str) -> dict:
    return {k: v for k, v in curve.items() if k not in keys}


# --------------------------------------------------------------------------- numbers


def test_scores_keep_the_printed_digits_and_read_back_as_numbers():
    assert score("0.4379609636092418") == "0.4379609636092418"
    assert score("46.9") == "46.9"
    assert score("0") == "0"
    assert score("1e-05") == "0.00001"  # YAML 1.1 would read 1e-05 as text
    assert score("2.5E-3") == "2.5E-3"  # already a YAML float: kept as printed
    for text in ("0.4379609636092418", "46.9", "0", "1e-05", "2.5E-3", "0.0"):
        assert float(yaml.safe_load(str(score(text)))) == float(text)
    with pytest.raises(InputError):
        score("-")
    with pytest.raises(InputError):
        score("nan")


def test_scale_values_are_exact_decimals():
    assert engineering(Decimal("7.0") * 10**9) == "7e9"
    assert engineering(Decimal("0.124") * 10**9) == "124e6"
    assert engineering(Decimal("1.259") * 10**12) == "1.259e12"
    assert engineering(Decimal(411616256)) == "411.616256e6"
    assert scientific(Decimal("84.0") * 10**21) == "8.4e22"
    assert scientific(Decimal("1.14576") * 10**21) == "1.14576e21"
    assert params_from_name("llama-7B") == Decimal("7e9")
    assert params_from_name("bloom-7b1") == Decimal("7.1e9")
    assert params_from_name("bloom-560m") == Decimal("560e6")
    assert params_from_name("pythia-1b-bf16") == Decimal("1e9")
    assert params_from_name("pythia-1.4b-deduped") == Decimal("1.4e9")
    with pytest.raises(InputError):
        params_from_name("gpt2")


# --------------------------------------------------------------------------- cot-wei2022

COT_HEADER = ["table", "benchmark", "subset", "model_family", "model_size", "prompting", "accuracy_pct"]


def test_cot_wei2022_importer(tmp_path):
    path = write_csv(tmp_path / "cot-wei2022" / "cot_per_size.csv", COT_HEADER, [
        ["Table 2", "GSM8K", "", "LaMDA", "420M", "standard", "2.6"],
        ["Table 2", "GSM8K", "", "LaMDA", "420M", "chain_of_thought", "0.4"],
        ["Table 2", "GSM8K", "", "LaMDA", "137B", "standard", "6.5"],
        ["Table 2", "GSM8K", "", "GPT", "175B", "standard", "15.6"],
        ["Table 2", "GSM8K", "", "Codex", "-", "standard", "19.7"],
        ["Table 2", "GSM8K", "", "PaLM", "540B", "chain_of_thought", "56.9"],
        ["Table 5", "Coin Flip (state tracking)", "OOD: 3", "PaLM", "540B", "standard", "60.0"],
    ])
    result = cot_wei2022.import_path(path.parent)
    assert [c["id"] for c in result.curves] == ["cot-wei2022-gsm8k", "cot-wei2022-coin-flip-ood-3"]
    gsm8k, coin = result.curves
    data = {"file": "cot-wei2022/cot_per_size.csv",
            "columns": ["accuracy_pct", "benchmark", "model_family", "model_size", "prompting"],
            "license": cot_wei2022.LICENSE, "harness": "paper's own evaluation (greedy decoding)",
            "url": "https://arxiv.org/abs/2201.11903", "attribution": cot_wei2022.ATTRIBUTION}
    source = {"key": "wei2022chainofthought", "locator": "Appendix B, Table 2"}
    assert without(gsm8k, "notes") == {
        "id": "cot-wei2022-gsm8k",
        "task": {"benchmark": "GSM8K", "name": "GSM8K"},
        "metric": {"name": "accuracy", "name_in_source": "solve rate (%)", "scale": "percent"},
        "entries": ["chain-of-thought-math-word-problems-lamda-68b"],
        "series": [
            {"family": "lamda", "label": "LaMDA, standard prompting", "prompting": {"strategy": "few_shot", "shots": 8},
             "source": source, "data": data,
             "points": [{"model_name": "LaMDA 420M", "size": "422M", "score": "2.6"}, {"size": "137B", "score": "6.5"}]},
            {"family": "lamda", "label": "LaMDA, chain of thought",
             "prompting": {"strategy": "chain_of_thought", "shots": 8}, "source": source, "data": data,
             "points": [{"model_name": "LaMDA 420M", "size": "422M", "score": "0.4"}]},
            {"family_name": "InstructGPT (OpenAI API)", "label": "InstructGPT API models, standard prompting",
             "prompting": {"strategy": "few_shot", "shots": 8}, "source": source, "data": data,
             "points": [{"model_name": "text-davinci-002", "params": "175e9", "score": "15.6"}]},
            {"family": "palm", "label": "PaLM, chain of thought",
             "prompting": {"strategy": "chain_of_thought", "shots": 8}, "source": source, "data": data,
             "points": [{"size": "540B", "score": "56.9"}]},
        ],
    }
    assert any("Codex (code-davinci-002) rows (1) are left out" in n for n in gsm8k["notes"])
    assert any("InstructGPT models of 350M, 1.3B, 6.7B and 175B" in n for n in gsm8k["notes"])
    assert coin["task"] == {"benchmark": "Coin flip", "name": "Coin flip, 3 flips (out of domain)"}
    assert coin["metric"]["random_baseline"] == "50"
    assert coin["series"][0]["prompting"] == {"strategy": "few_shot"}
    assert coin["series"][0]["source"]["locator"] == "Appendix B, Table 5"
    assert "subset" in coin["series"][0]["data"]["columns"]
    for curve in result.curves:
        validate(curve, tmp_path)


def test_cot_wei2022_rejects_unknown_rows(tmp_path):
    path = write_csv(tmp_path / "cot.csv", COT_HEADER, [["Table 2", "GSM8K", "", "LaMDA", "3B", "standard", "1.0"]])
    with pytest.raises(InputError, match="LaMDA size '3B'"):
        cot_wei2022.import_path(path)
    path = write_csv(tmp_path / "cot.csv", COT_HEADER, [["Table 9", "Other", "", "PaLM", "8B", "standard", "1.0"]])
    with pytest.raises(InputError, match="not in the importer's table"):
        cot_wei2022.import_path(path)


# --------------------------------------------------------------------------- obsscaling

OBS_BASE = ["Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)", "MMLU",
            "TruthfulQA"]


def _obsscaling_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "obsscaling"
    write_csv(folder / obsscaling.BASE, OBS_BASE, [
        ["org/small-1b", "Fam", "1.0", "0.5", "3.0", "0.25", "0.4"],
        ["org/small-7b", "Fam", "7.0", "2.0", "84.0", "0.45", "0.38"],
        ["cerebras/btlm-3b-8k-base", "BTLM", "3.0", "627.0", "11286.0", "0.2716", ""],
        ["org/other-2b", "Other", "2.0", "", "", "", "0.5"],
    ])
    write_csv(folder / obsscaling.EMERGENT, ["Model", "ipa_transliterate_2_bleu", "arithmetic_3da_2_acc"], [
        ["org/small-1b", "12.5", "0.0"],
        ["org/small-7b", "30.25", "0.0"],
    ])
    few = "bbh_fewshot_sports_understanding_3_exact_match"
    cot = "bbh_cot_fewshot_sports_understanding_3_exact_match"
    header = ["Model"]
    for base in (few, cot):
        header += [f"{base},strict-match", f"{base},strict-match,norm", f"{base},flexible-extract",
                   f"{base},flexible-extract,norm"]
    write_csv(folder / obsscaling.POST, header, [
        ["org/small-1b", "0.0", "-1.0", "0.5", "0.0", "0.4", "-0.2", "0.6", "0.2"],
        ["org/small-7b", "0.0", "-1.0", "0.75", "0.5", "0.9", "0.8", "0.9", "0.8"],
        ["org/other-2b", "", "", "", "", "", "", "", ""],
    ])
    return folder


def test_obsscaling_importer(tmp_path):
    result = obsscaling.import_path(_obsscaling_folder(tmp_path))
    ids = [c["id"] for c in result.curves]
    assert ids == ["obsscaling-mmlu", "obsscaling-truthfulqa", "obsscaling-ipa-transliterate-bleu",
                   "obsscaling-arithmetic-3-digit-addition", "obsscaling-bbh-sports-understanding"]
    mmlu, truthfulqa, bleu, arithmetic, sports = result.curves
    # BTLM: parameters only, with a note; the other points carry tokens and FLOPs as given
    assert mmlu["series"][0]["points"] == [
        {"model_name": "org/small-1b", "params": "1e9", "train_tokens": "500e9", "train_flops": "3e21",
         "score": "0.25"},
        {"model_name": "org/small-7b", "params": "7e9", "train_tokens": "2e12", "train_flops": "8.4e22",
         "score": "0.45"},
    ]
    assert mmlu["series"][1]["family_name"] == "BTLM"
    assert mmlu["series"][1]["points"] == [{"model_name": "cerebras/btlm-3b-8k-base", "params": "3e9",
                                            "score": "0.2716"}]
    assert any(n.startswith("cerebras/btlm-3b-8k-base: the table gives 627 trillion") for n in mmlu["notes"])
    assert mmlu["metric"]["random_baseline"] == "0.25"
    assert [s["family_name"] for s in truthfulqa["series"]] == ["Fam", "Other"]
    assert truthfulqa["series"][1]["points"] == [{"model_name": "org/other-2b", "params": "2e9", "score": "0.5"}]
    assert bleu["metric"] == {"name": "bleu", "scale": "percent",
                              "note": "BLEU on a 0-100 scale as stored (the file's other columns are 0-1 fractions)."}
    assert bleu["series"][0]["points"][1]["score"] == "30.25"
    # an all-zero column is an artifact: no series, a note instead
    assert arithmetic["series"] == []
    assert any("every model scores exactly 0" in n for n in arithmetic["notes"])
    assert sports["entries"] == ["bigbench-sports-understanding-lamda-137b"]
    assert sports["metric"]["random_baseline"] == "0.5"
    assert [(s["label"], s["prompting"], [p["score"] for p in s["points"]]) for s in sports["series"]] == [
        ("Fam, 3-shot answer only", {"strategy": "few_shot", "shots": 3}, ["0.5", "0.75"]),
        ("Fam, 3-shot chain of thought", {"strategy": "chain_of_thought", "shots": 3}, ["0.6", "0.9"]),
    ]
    assert sports["series"][0]["data"]["columns"][-1] == "bbh_fewshot_sports_understanding_3_exact_match,flexible-extract"
    assert sports["inputs"] == ["obsscaling/base_llm_post_training_eval.csv", "obsscaling/base_llm_benchmark_eval.csv"]
    assert any("strict-match column of this subtask is 0.0 for every model" in n for n in sports["notes"])
    for curve in (mmlu, truthfulqa, bleu, sports):
        validate(curve, tmp_path)


def test_obsscaling_checks_the_random_baseline_against_the_norm_columns(tmp_path):
    folder = _obsscaling_folder(tmp_path)
    post = folder / obsscaling.POST
    post.write_text(post.read_text().replace(",0.0,0.4,", ",0.1,0.4,", 1))
    with pytest.raises(InputError, match="random baseline"):
        obsscaling.import_path(folder)


# --------------------------------------------------------------------------- expemergence

EXP_HEADER = ["Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)", "MMLU",
              "0_17_brier", "acc", "brier", "san"]


def test_expemergence_importer(tmp_path):
    folder = tmp_path / "expemergence" / "data" / "arithmetic"
    rows = [
        ["EleutherAI/pythia-70m-deduped", "Pythia", "0.07", "0.3", "0.126", "0.25", "0.6", "0.31", "0.74", "0.9"],
        ["openai-community/gpt2", "GPT-2", "0.124", "", "", "0.26", "0.5", "0.3255", "0.5936", "0.9"],
        ["openai-community/gpt2", "GPT-2", "0.355", "", "", "", "0.5", "0.3255", "0.5936", "0.9"],
        ["EleutherAI/pythia-12b-deduped", "Pythia", "12.0", "0.3", "21.6", "0.27", "0.4", "0.52", "0.55", "0.9"],
        ["facebook/opt-125m", "OPT", "0.125", "0.18", "0.135", "0.25", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", ""],
    ]
    main_file = write_csv(folder / "arithmetic_instance_brier_-1000_63.1_10_redist.csv", EXP_HEADER, rows)
    write_csv(folder / "arithmetic_instance_brier_-1000_63.1_3_redist.csv", EXP_HEADER, rows)
    undist = [r[:8] + ["0.9" if r[0] else "", r[9]] for r in rows]
    write_csv(folder / "arithmetic_instance_brier_-1000_63.1_10_undist.csv", EXP_HEADER, undist)
    write_csv(folder / "acc_arithmetic_instance_brier_-1000_63.1_10_redist.csv", ["Model", "0_17_acc"], [["x", "1"]])
    result = expemergence.import_path(tmp_path / "expemergence")
    assert result.inputs == ["expemergence/data/arithmetic/" + main_file.name]
    accuracy, brier = result.curves
    assert accuracy["id"] == "expemergence-arithmetic-accuracy"
    assert brier["id"] == "expemergence-arithmetic-brier-score"
    data = {"file": "expemergence/data/arithmetic/" + main_file.name,
            "columns": ["FLOPs (1E21)", "Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "acc"],
            "license": "MIT",
            "harness": "EleutherAI lm-evaluation-harness, task bigbench_arithmetic_multiple_choice, 2-shot, dtype float16",
            "url": expemergence.URL, "attribution": expemergence.ATTRIBUTION}
    source = {"key": "wu2025ushaped", "locator": "released data, data/arithmetic (github tony10101105/ExpEmergence)"}
    assert accuracy["series"] == [
        {"family_name": "Pythia", "label": "Pythia, 2-shot", "prompting": {"strategy": "few_shot", "shots": 2},
         "source": source, "data": data,
         "points": [{"model_name": "EleutherAI/pythia-70m-deduped", "params": "70e6", "train_tokens": "300e9",
                     "train_flops": "1.26e20", "score": "0.31"},
                    {"model_name": "EleutherAI/pythia-12b-deduped", "params": "12e9", "train_tokens": "300e9",
                     "train_flops": "2.16e22", "score": "0.52"}]},
        {"family_name": "GPT-2", "label": "GPT-2, 2-shot", "prompting": {"strategy": "few_shot", "shots": 2},
         "source": source, "data": data,
         "points": [{"model_name": "openai-community/gpt2", "params": "124e6", "score": "0.3255"}]},
    ]
    assert [p["score"] for s in brier["series"] for p in s["points"]] == ["0.74", "0.55", "0.5936"]
    assert brier["metric"]["name"] == "brier_score"
    assert brier["series"][0]["data"]["columns"][-1] == "brier"
    assert accuracy["entries"] == [] and brier["entries"] == []
    notes = " ".join(accuracy["notes"])
    assert "Skipped rows: 1 blank row and 1 row of models not evaluated" in notes
    assert "openai-community/gpt2 at 0.355B (kept the row at 0.124B)" in notes
    assert "the other curve is expemergence-arithmetic-brier-score" in notes
    for curve in result.curves:
        validate(curve, tmp_path)


def test_expemergence_files_of_one_task_must_agree(tmp_path):
    folder = tmp_path / "data" / "hindu_knowledge"
    rows = [["EleutherAI/pythia-70m-deduped", "Pythia", "0.07", "0.3", "0.126", "0.25", "0.6", "0.31", "0.74", "0.9"]]
    write_csv(folder / "hindu_knowledge_instance_brier_-1000_10_10_redist.csv", EXP_HEADER, rows)
    rows[0][7] = "0.32"
    write_csv(folder / "hindu_knowledge_instance_brier_-1000_10_3_redist.csv", EXP_HEADER, rows)
    with pytest.raises(InputError, match="disagrees"):
        expemergence.import_path(tmp_path)


# --------------------------------------------------------------------------- scale corrections


def test_scale_corrections_are_applied_to_an_imported_table(tmp_path):
    folder = tmp_path / "obsscaling"
    write_csv(folder / obsscaling.BASE, OBS_BASE, [
        ["google/gemma-2b", "Gemma", "2.0", "6.0", "72.0", "0.42", "0.33"],
        ["google/gemma-7b", "Gemma", "7.0", "6.0", "252.0", "0.64", "0.45"],
        ["mistralai/Mixtral-8x7B-v0.1", "Mixtral", "45.0", "", "", "0.72", "0.47"],
        ["deepseek-ai/deepseek-moe-16b-base", "DeepSeek-MoE", "16.0", "2.0", "192.0", "0.46", "0.36"],
    ])
    result = obsscaling.import_path(folder)
    mmlu = result.curves[0]
    assert mmlu["id"] == "obsscaling-mmlu"
    points = {p["model_name"]: p for s in mmlu["series"] for p in s["points"]}
    assert points["google/gemma-2b"] == {"model_name": "google/gemma-2b", "params": "2e9", "train_tokens": "3e12",
                                         "train_flops": "3.6e22", "score": "0.42"}
    # a model that is not in the table is left as the input gives it
    assert points["google/gemma-7b"] == {"model_name": "google/gemma-7b", "params": "7e9", "train_tokens": "6e12",
                                         "train_flops": "2.52e23", "score": "0.64"}
    assert points["mistralai/Mixtral-8x7B-v0.1"] == {"model_name": "mistralai/Mixtral-8x7B-v0.1", "params": "47e9",
                                                     "active_params": "13e9", "score": "0.72"}
    assert points["deepseek-ai/deepseek-moe-16b-base"] == {
        "model_name": "deepseek-ai/deepseek-moe-16b-base", "params": "16.4e9", "active_params": "2.8e9",
        "train_tokens": "2e12", "train_flops": "3.36e22", "score": "0.46"}
    notes = [n for n in mmlu["notes"] if n.startswith("Scale corrected for ")]
    assert [n.split(":")[0] for n in notes] == [
        "Scale corrected for deepseek-ai/deepseek-moe-16b-base", "Scale corrected for google/gemma-2b",
        "Scale corrected for mistralai/Mixtral-8x7B-v0.1"]
    assert notes[1].startswith("Scale corrected for google/gemma-2b: training tokens 6e12 -> 3e12; training FLOPs "
                               "7.2e22 -> 3.6e22. ")
    assert "Source: gemmateam2024gemma, Section \"Pretraining\"" in notes[1]
    assert notes[2].startswith("Scale corrected for mistralai/Mixtral-8x7B-v0.1: parameters 45e9 -> 47e9; active "
                               "parameters 13e9 added. ")
    assert "scale corrections applied: deepseek-ai/deepseek-moe-16b-base (2 curves)" in result.log[-1]
    record = validate(mmlu, tmp_path)
    mixtral = next(p for s in record.series for p in s.points if p.model_name == "mistralai/Mixtral-8x7B-v0.1")
    assert (mixtral.params, mixtral.active_params) == (47e9, 13e9)


def test_scale_corrections_stop_on_an_input_the_table_was_not_written_for(tmp_path):
    folder = tmp_path / "obsscaling"
    write_csv(folder / obsscaling.BASE, OBS_BASE, [["google/gemma-2b", "Gemma", "2.5", "6.0", "90.0", "0.42", "0.3"]])
    with pytest.raises(InputError, match=r"google/gemma-2b: the input gives params = 2\.5E\+9, the corrections "
                                         r"table expects 2E\+9"):
        obsscaling.import_path(folder)


def test_scale_corrections_reach_the_written_file(tmp_path):
    folder = tmp_path / "obsscaling"
    write_csv(folder / obsscaling.BASE, OBS_BASE, [
        ["openlm-research/open_llama_7b_v2", "OpenLlamaV2", "13.0", "1.0", "78.0", "0.41", "0.35"]])
    assert run_importer(["obsscaling", str(folder), "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "obsscaling-mmlu.yaml").read_text(encoding="utf-8")
    assert ("      - {model_name: openlm-research/open_llama_7b_v2, params: 7e9, train_tokens: 1e12, "
            "train_flops: 4.2e22, score: 0.41}\n") in text
    assert "Scale corrected for openlm-research/open_llama_7b_v2: parameters 13e9 -> 7e9;" in " ".join(text.split())


def test_every_scale_correction_has_a_source_and_consistent_flops():
    table = load_table()
    assert len(table) == 10
    keys = set(load_bibliography(REPO / "catalog" / "references.bib")[0])
    for model, c in table.items():
        assert c.source.title and c.source.locator and c.source.url.startswith("https://"), model
        if c.source.key is not None:
            assert c.source.key in keys, model
        assert c.reason and c.flops, model
        scale = {**c.as_input, **c.corrected}
        flops = c.corrected.get("train_flops")
        if flops is not None:
            # 6 x N x D, with the active count for mixture-of-experts models
            n = scale.get("active_params") or scale["params"]
            assert flops == 6 * n * scale["train_tokens"], model
        if "active_params" in c.corrected:
            assert c.corrected["active_params"] < scale["params"], model
    papers = {m: c.source.key for m, c in table.items() if c.source.key}
    assert papers == {"google/gemma-2b": "gemmateam2024gemma", "mistralai/Mixtral-8x7B-v0.1": "jiang2024mixtral",
                      "deepseek-ai/deepseek-moe-16b-base": "deepseekai2024deepseekv2",
                      "deepseek-ai/DeepSeek-V2": "deepseekai2024deepseekv2"}


def test_scale_correction_table_rejects_entries_without_a_source():
    entry = {"model": "m", "as_input": {"params": "1e9"}, "corrected": {"params": "2e9"}, "flops": "none",
             "reason": "r", "source": {"title": "t", "url": "https://x", "locator": "p. 1"}}
    assert parse_table({"corrections": [entry]})["m"].corrected["params"] == Decimal("2e9")
    for broken, message in [
        ({**entry, "source": {"title": "t", "url": "https://x"}}, "source needs title, url and locator"),
        ({**entry, "source": {**entry["source"], "url": "http://x"}}, "https address"),
        ({k: v for k, v in entry.items() if k != "source"}, "missing fields \\['source'\\]"),
        ({**entry, "corrected": {"params": 2e9}}, "write scale values as text"),
        ({**entry, "corrected": {"size": "2e9"}}, "fields must be among"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_table({"corrections": [broken]})
    with pytest.raises(ValueError, match="given once"):
        parse_table({"corrections": [entry, entry]})
    with pytest.raises(ValueError, match="non-empty list"):
        parse_table({"corrections": []})


def test_a_model_outside_the_table_passes_unchanged():
    curve = {"id": "c", "notes": ["n"], "series": [{"points": [{"model_name": "org/x", "params": Num("1e9"),
                                                                  "score": Num("0.5")}]}]}
    from emergence_atlas.importers.common import ImportResult
    result = apply_scale_corrections(ImportResult(curves=[curve]))
    assert result.curves[0]["notes"] == ["n"] and result.log == []
    assert result.curves[0]["series"][0]["points"] == [{"model_name": "org/x", "params": "1e9", "score": "0.5"}]
    assert TABLE == "scale_corrections.yaml"


# --------------------------------------------------------------------------- mlfoundations-scaling


def test_mlfoundations_importer(tmp_path):
    folder = tmp_path / "mlfoundations-scaling"
    write_csv(folder / "models.csv", ["run", "dataset_name", "hp_params", "hp_tokens", "hp_chinchilla_multiplier"], [
        ["rw-d=96-1.0", "rw_original", "10569312", "211386240", "1.0"],
        ["rw-d=512-1.0", "rw_original", "78914048", "1578280960", "1.0"],
        ["c4-d=96-4", "c4_original", "10569312", "845545472", "4"],
    ])
    write_csv(folder / "downstream.csv", ["run", "eval_model_field", "task", "value"], [
        ["rw-d=96-1.0", "d=96", "bigbench_misconceptions", "0.4931506872177124"],
        ["rw-d=512-1.0", "d=512", "bigbench_misconceptions", "0.5022830963134766"],
        ["c4-d=96-4", "d=96", "bigbench_misconceptions", "0.47"],
        ["rw-d=96-1.0", "d=96", "mmlu_zeroshot", "0.23"],
        ["rw-d=96-1.0", "d=96", "copa", "0.6"],
    ])
    write_csv(folder / "eval_metadata.csv", ["Eval Task", "Task Category", "Task Type", "#shots", "#datapoints",
                                             "Random baseline", "Centered Metric?", "Description"], [
        ["bigbench_misconceptions", "world knowledge", "multiple choice", "10", "219", "50", "", "x"],
        ["mmlu_zeroshot", "world knowledge", "multiple choice", "0", "14042", "25", "", "x"],
    ])
    result = mlfoundations_scaling.import_path(folder)
    misconceptions, mmlu = result.curves
    assert misconceptions["id"] == "mlfoundations-scaling-misconceptions"
    assert misconceptions["entries"] == ["bigbench-misconceptions-gpt-3-175b"]
    assert misconceptions["metric"]["random_baseline"] == "0.5"
    assert [(s["family_name"], s["label"], s["prompting"], s["points"]) for s in misconceptions["series"]] == [
        ("OpenLM (RefinedWeb)", "OpenLM on RefinedWeb, M=1, 10-shot", {"strategy": "few_shot", "shots": 10},
         [{"model_name": "rw-d=96-1.0", "params": "10.569312e6", "train_tokens": "211.38624e6",
           "score": "0.4931506872177124"},
          {"model_name": "rw-d=512-1.0", "params": "78.914048e6", "train_tokens": "1.57828096e9",
           "score": "0.5022830963134766"}]),
        ("OpenLM (C4)", "OpenLM on C4, M=4, 10-shot", {"strategy": "few_shot", "shots": 10},
         [{"model_name": "c4-d=96-4", "params": "10.569312e6", "train_tokens": "845.545472e6", "score": "0.47"}]),
    ]
    assert mmlu["id"] == "mlfoundations-scaling-mmlu"
    assert mmlu["series"][0]["prompting"] == {"strategy": "zero_shot", "shots": 0}
    assert mmlu["metric"]["random_baseline"] == "0.25"
    assert result.log[-1] == "tasks without a catalog counterpart, not imported: 1"
    for curve in result.curves:
        validate(curve, tmp_path)


def test_mlfoundations_cs_algorithms_gets_its_chance_floor_not_the_metadata_zero(tmp_path):
    folder = tmp_path / "mlfoundations-scaling"
    write_csv(folder / "models.csv", ["run", "dataset_name", "hp_params", "hp_tokens", "hp_chinchilla_multiplier"], [
        ["rpj-d=96-32.0", "rpj", "10569312", "6764359680", "32.0"]])
    write_csv(folder / "downstream.csv", ["run", "eval_model_field", "task", "value"], [
        ["rpj-d=96-32.0", "d=96", "bigbench_cs_algorithms", "0.43560606241226196"],
        ["rpj-d=96-32.0", "d=96", "bigbench_operators", "0.1"]])
    write_csv(folder / "eval_metadata.csv", ["Eval Task", "Task Category", "Task Type", "#shots", "#datapoints",
                                             "Random baseline", "Centered Metric?", "Description"], [
        ["bigbench_cs_algorithms", "symbolic problem solving", "language modeling", "10", "1320", "0", "", "x"],
        ["bigbench_operators", "symbolic problem solving", "language modeling", "10", "210", "0", "", "x"]])
    cs, operators = mlfoundations_scaling.import_path(folder).curves
    assert cs["id"] == "mlfoundations-scaling-cs-algorithms"
    assert cs["metric"]["random_baseline"] == "0.403"
    assert "(1000 x 1/2 + 320 x 1/10) / 1320 = 532/1320 = 0.403" in cs["metric"]["note"]
    assert cs["metric"]["note"].startswith("eval_metadata.csv gives 0, which is not chance for this task.")
    # other tasks keep the metadata's baseline
    assert operators["metric"]["random_baseline"] == "0.0"
    assert operators["metric"]["note"].startswith("Random baseline from eval_metadata.csv (0, in percent")
    validate(cs, tmp_path)


# --------------------------------------------------------------------------- pythia


def test_pythia_importer(tmp_path):
    folder = tmp_path / "pythia"
    write_csv(folder / "runs.csv", ["run_id", "source_file", "suite", "model", "shots_folder", "n_shots", "step",
                                    "tokens_seen_computed", "hf_model", "revision"], [
        ["1", "a", "pythia-v1", "pythia-70m", "zero-shot", "0", "3000", "6291456000", "x", "step3000"],
        ["2", "b", "pythia-v1", "pythia-70m", "zero-shot", "0", "143000", "299892736000", "x", "step143000"],
        ["3", "c", "pythia-v1", "pythia-1b-deduped", "five-shot", "5", "143000", "299892736000", "x", "step143000"],
        ["4", "d", "opt", "opt-125m", "", "0", "", "", "facebook/opt-125m", ""],
    ])
    write_csv(folder / "scores.csv", ["run_id", "task", "metric", "value", "stderr"], [
        ["1", "hendrycksTest-anatomy", "acc", "0.9", "0.01"],
        ["2", "hendrycksTest-anatomy", "acc", "0.2518518518518518", "0.01"],
        ["2", "hendrycksTest-anatomy", "acc_norm", "0.3", "0.01"],
        ["2", "arc_easy", "acc", "0.4", "0.01"],
        ["3", "hendrycksTest-anatomy", "acc", "0.26", "0.01"],
        ["4", "hendrycksTest-anatomy", "acc", "0.24444444444444444", "0.01"],
    ])
    result = pythia.import_path(folder)
    (curve,) = result.curves
    assert curve["id"] == "pythia-mmlu-anatomy"
    assert curve["task"] == {"benchmark": "MMLU", "name": "Anatomy"}
    assert curve["entries"] == ["mmlu-anatomy-chinchilla-7b"]
    assert [(s["family_name"], s["label"], s["prompting"], s["points"]) for s in curve["series"]] == [
        ("Pythia", "Pythia, zero-shot", {"strategy": "zero_shot", "shots": 0},
         [{"model_name": "pythia-70m", "params": "70e6", "train_tokens": "299.892736e9",
           "score": "0.2518518518518518"}]),
        ("Pythia (deduplicated Pile)", "Pythia, deduplicated Pile, 5-shot", {"strategy": "few_shot", "shots": 5},
         [{"model_name": "pythia-1b-deduped", "params": "1e9", "train_tokens": "299.892736e9", "score": "0.26"}]),
        ("OPT", "OPT, zero-shot", {"strategy": "zero_shot", "shots": 0},
         [{"model_name": "opt-125m", "params": "125e6", "score": "0.24444444444444444"}]),
    ]
    validate(curve, tmp_path)


# --------------------------------------------------------------------------- lm-eval-harness-2023


def test_lm_eval_harness_2023_importer(tmp_path):
    header = ["source_file", "family", "model", "file_group", "n_shots", "harness_model_type", "task", "metric",
              "value", "stderr"]
    rows = []
    for model in ("llama-7B", "llama-13B"):
        for task in ("arithmetic_3da", "arithmetic_2da"):
            rows.append(["f", "llama", model, "arithmetic_5-shot", "5", "hf-causal", task, "acc", "0.0", "0.0"])
    rows += [
        ["f", "mpt", "mpt-7b", "arithmetic_5-shot", "5", "hf-causal", "arithmetic_3da", "acc", "0.2915", "0.01"],
        ["f", "mpt", "mpt-7b", "arithmetic_5-shot", "5", "hf-causal", "arithmetic_2da", "acc", "0.918", "0.01"],
        ["f", "llama", "llama-7B", "bbh_3-shot", "3", "hf-causal", "bigbench_sports_understanding",
         "multiple_choice_grade", "0.55", "0.01"],
        ["f", "llama", "llama-30B", "bbh_3-shot", "3", "hf-causal", "bigbench_sports_understanding",
         "multiple_choice_grade", "0.6", "0.01"],
        ["f", "bloom", "bloom-7b1", "question_answering_0-shot", "0", "hf-causal", "truthfulqa_mc", "mc1", "0.22", "0"],
        ["f", "bloom", "bloom-7b1", "question_answering_0-shot", "0", "hf-causal", "truthfulqa_mc", "mc2", "0.39", "0"],
        ["f", "bloom", "bloom-7b1", "mathematical_reasoning_few_shot_5-shot", "5", "hf-causal", "gsm8k", "acc", "0.0",
         "0"],
        ["f", "opt", "opt-125m", "", "0", "gpt2", "hendrycksTest-anatomy", "acc", "0.2", "0"],
    ]
    result = lm_eval_harness_2023.import_path(write_csv(tmp_path / "scores_long.csv", header, rows))
    ids = [c["id"] for c in result.curves]
    assert ids == ["lm-eval-harness-2023-arithmetic-2da", "lm-eval-harness-2023-arithmetic-3da",
                   "lm-eval-harness-2023-bbh-sports-understanding", "lm-eval-harness-2023-truthfulqa-mc1",
                   "lm-eval-harness-2023-truthfulqa-mc2"]
    arith = result.curves[1]
    assert arith["entries"] == ["arithmetic-3-digit-gpt-3-13b"]
    assert [(s["label"], s["points"]) for s in arith["series"]] == [
        ("MPT, 5-shot", [{"model_name": "mpt-7b", "params": "7e9", "score": "0.2915"}])]
    assert any("0.0 for llama-13B (arithmetic_5-shot), llama-7B (arithmetic_5-shot)" in n for n in arith["notes"])
    sports = result.curves[2]
    assert sports["metric"] == {"name": "multiple_choice_grade", "name_in_source": "multiple_choice_grade",
                                "scale": "fraction"}
    assert sports["series"][0]["points"] == [
        {"model_name": "llama-7B", "params": "7e9", "score": "0.55"},
        {"model_name": "llama-30B", "params": "30e9", "score": "0.6"}]
    assert sports["series"][0]["source"] == {"key": "gao2021framework", "locator": lm_eval_harness_2023.LOCATOR}
    mc1, mc2 = result.curves[3:]
    assert (mc1["metric"]["name"], mc2["metric"]["name"]) == ("accuracy", "other")
    assert mc1["series"][0]["points"] == [{"model_name": "bloom-7b1", "params": "7.1e9", "score": "0.22"}]
    assert "opt: 1 rows skipped" in result.log[-1]
    for curve in result.curves:
        validate(curve, tmp_path)


# --------------------------------------------------------------------------- writer and runner

SMALL = {
    "id": "tiny-curve",
    "task": {"benchmark": "BIG-Bench", "name": "tiny_task"},
    "metric": {"name": "accuracy", "random_baseline": Num("0.25"), "scale": "fraction"},
    "entries": [],
    "series": [
        {"family_name": "Zeta", "label": "Zeta, 2-shot", "prompting": {"strategy": "few_shot", "shots": 2},
         "source": {"key": "doe2021tiny", "locator": "Table 1, row 2"},
         "data": {"file": "tiny/data.csv", "columns": ["Model", "acc"], "license": "MIT"},
         "points": [{"model_name": "zeta-7b", "params": Num("7e9"), "score": Num("0.5")},
                    {"model_name": "zeta-1b", "params": Num("1e9"), "score": Num("0.25")}]},
        {"family": "tiny-lm", "label": "Tiny: yes", "prompting": {"strategy": "zero_shot"},
         "source": {"key": "doe2021tiny", "locator": "Figure 2"},
         "points": [{"size": "10B", "score": Num("0.75")}, {"size": "1B", "score": Num("0.0")}]},
    ],
    "notes": ["A short note."],
}
SMALL_TEXT = f"""{MODELINE}
#
# Generated by emergence_atlas.importers.test from tiny/data.csv. Re-run the importer rather than
# editing by hand.
task:
  benchmark: BIG-Bench
  name: tiny_task
metric:
  name: accuracy
  random_baseline: 0.25
  scale: fraction
entries: []
series:
  - family: tiny-lm
    label: "Tiny: yes"
    prompting: {{strategy: zero_shot}}
    source: {{key: doe2021tiny, locator: Figure 2}}
    points:
      - {{size: 1B, score: 0.0}}
      - {{size: 10B, score: 0.75}}
  - family_name: Zeta
    label: Zeta, 2-shot
    prompting: {{strategy: few_shot, shots: 2}}
    source: {{key: doe2021tiny, locator: "Table 1, row 2"}}
    data:
      file: tiny/data.csv
      columns: [Model, acc]
      license: MIT
    points:
      - {{model_name: zeta-1b, params: 1e9, score: 0.25}}
      - {{model_name: zeta-7b, params: 7e9, score: 0.5}}
notes:
  - A short note.
"""


def test_writer_output_is_exact_and_independent_of_input_order():
    assert render(SMALL, importer="emergence_atlas.importers.test", inputs=["tiny/data.csv"]) == SMALL_TEXT
    shuffled = dict(SMALL, series=[dict(s, points=list(reversed(s["points"]))) for s in reversed(SMALL["series"])])
    assert render(shuffled, importer="emergence_atlas.importers.test", inputs=["tiny/data.csv"]) == SMALL_TEXT


def test_writer_quotes_what_yaml_would_misread_and_folds_long_notes():
    tricky = ["yes", "no", "null", "1.5", "- dash", "key: value", "#hash", "*star", "&amp", "[list]", "{map}",
              "@at", "`tick`", "%pct", "it's", 'say "hi"', "a, b", "x" * 150 + " end"]
    curve = dict(SMALL, notes=tricky, task={"benchmark": "on", "name": "off"})
    text = render(curve, importer="t", inputs=["i"])
    loaded = yaml.safe_load(text)
    assert loaded["notes"] == tricky
    assert loaded["task"] == {"benchmark": "on", "name": "off"}
    assert max(len(line) for line in text.splitlines() if not line.startswith("      - {")) <= 160


def test_write_curves_rejects_duplicate_ids_and_rewrites_only_changes(tmp_path):
    with pytest.raises(ValueError, match="duplicate"):
        write_curves([SMALL, SMALL], tmp_path, importer="t", inputs=["i"])
    (path,) = write_curves([SMALL], tmp_path, importer="t", inputs=["i"])
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp - 10**9, stamp - 10**9))
    write_curves([SMALL], tmp_path, importer="t", inputs=["i"])
    assert path.stat().st_mtime_ns == stamp - 10**9


def test_runner_writes_curves_that_the_catalog_accepts(make_catalog, tmp_path, capsys):
    path = write_csv(tmp_path / "data" / "cot_per_size.csv", COT_HEADER, [
        ["Table 4", "Sports", "", "UL2", "20B", "standard", "48.9"],
        ["Table 4", "Sports", "", "UL2", "20B", "chain_of_thought", "50.0"],
    ])
    root = make_catalog()
    assert run_importer(["cot-wei2022", str(path.parent), "--out", str(tmp_path / "out")]) == 0
    assert "cot-wei2022: 1 curves, 2 series, 2 points written" in capsys.readouterr().out
    written = tmp_path / "out" / "cot-wei2022-sports-understanding.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith(MODELINE + "\n#\n# Generated by emergence_atlas.importers.cot_wei2022 from "
                                      "cot-wei2022/cot_per_size.csv.")
    doc, problems = load_yaml(written)
    record, problems = validate_document(doc, Curve, {"id": written.stem})
    assert record is not None and not problems
    assert [s.family for s in record.series] == ["ul2", "ul2"]
    assert run_importer(["cot-wei2022", str(tmp_path / "missing"), "--dry-run"]) == 2
    assert root.name == "catalog"


def test_every_format_has_an_importer_module():
    for fmt in FORMATS:
        module = importer(fmt)
        assert module.FORMAT == fmt
        assert callable(module.import_path)
        assert "Flow:" in (module.__doc__ or "")


def test_task_table_names_existing_entries():
    entries = {p.stem for p in (REPO / "catalog" / "abilities").glob("*.yaml") if not p.name.startswith("_")}
    missing = sorted({e for ids in ENTRIES.values() for e in ids} - entries)
    assert not missing


# --------------------------------------------------------------------------- committed curves


def test_committed_curves_validate_and_name_their_license():
    catalog, diags, _ = build_catalog(REPO / "catalog")
    curve_errors = [d.format() for d in diags if d.is_error and "/curves/" in d.format()]
    assert not curve_errors
    assert catalog is not None
    files = sorted(p for p in CURVES.glob("*.yaml") if not p.name.startswith("_"))
    assert len(files) == len(catalog.curves) and files
    generated = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(MODELINE + "\n"), path.name
        assert "/work/" not in text and "/tmp/" not in text, path.name
        curve = catalog.curves[path.stem]
        if text.startswith(MODELINE + "\n#\n# Generated by emergence_atlas.importers."):
            generated += 1
            for series in curve.series:
                assert series.data is not None and series.data.license and series.data.attribution, path.name
                assert series.data.url, path.name
        else:
            # transcribed by hand from a paper's table: no imported data, every series says where it was read
            assert _transcribed(path), f"{path.name}: neither generated nor marked as transcribed by hand"
            for series in curve.series:
                assert series.data is None, path.name
                assert series.source.locator and series.source.evidence is not None, path.name
            assert curve.notes, path.name
    assert generated


def test_committed_curves_cover_at_least_thirty_catalog_tasks():
    catalog, _, _ = build_catalog(REPO / "catalog")
    assert catalog is not None
    tasks = {(catalog[e].task.benchmark, catalog[e].task.name) for c in catalog.curves.values() for e in c.entries}
    assert len(tasks) >= 30


DATA = os.environ.get("EMERGENCE_ATLAS_CURVE_DATA")


TRANSCRIBED = "# Transcribed by hand from the source's table (no data file)."


def _transcribed(path: Path) -> bool:
    """A curve typed in from a paper's table rather than written by an importer (its third line says so)."""
    return path.read_text(encoding="utf-8").splitlines()[2] == TRANSCRIBED


def _header_lines(path: Path) -> list[str]:
    """The first three lines of a curve file (its header), padded."""
    with path.open(encoding="utf-8") as handle:
        return [*(line.rstrip("\n") for line, _ in zip(handle, range(3), strict=False)), "", "", ""][:3]


def _committed_by(module: str) -> set[str]:
    """Names of the committed curve files whose header says ``module`` wrote them."""
    header = f"# Generated by {module} from "
    return {p.name for p in CURVES.glob("*.yaml") if not p.name.startswith("_")
            and (_header_lines(p)[2] + " ").startswith(header)}


def test_every_generated_curve_names_an_importer_that_exists():
    """A curve with a "Generated by" header belongs to exactly one importer (hand-transcribed ones have none)."""
    generated = {p.name for p in CURVES.glob("*.yaml") if not p.name.startswith("_")
                 and _header_lines(p)[:2] == [MODELINE, "#"] and _header_lines(p)[2].startswith("# Generated by ")}
    committed = {m: _committed_by(m) for m in (importer(f).__name__ for f in FORMATS)}
    owners = {name: [m for m, names in committed.items() if name in names] for name in generated}
    assert owners and all(len(found) == 1 for found in owners.values()), \
        sorted(n for n, found in owners.items() if len(found) != 1)


@pytest.mark.skipif(not DATA, reason="set EMERGENCE_ATLAS_CURVE_DATA to the third-party data folder")
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_committed_curves_are_what_the_importers_write(fmt, tmp_path):
    source = Path(DATA) / fmt
    assert source.is_dir(), f"no {fmt} folder in {DATA}"
    assert run_importer([fmt, str(source), "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.glob("*.yaml")}
    committed = _committed_by(importer(fmt).__name__)
    assert written, f"{fmt}: the importer wrote nothing"
    # the same set of files: a committed curve the importer no longer writes fails, and so does a new one
    assert sorted(committed - written) == [] and sorted(written - committed) == []
    for name in sorted(written):
        assert (tmp_path / name).read_bytes() == (CURVES / name).read_bytes(), name


def test_random_inputs_round_trip_through_the_writer(tmp_path):
    rng = random.Random(7)
    points = [{"model_name": f"m-{i}", "params": engineering(Decimal(rng.randint(1, 10**6)) * 1000),
               "score": score(f"{rng.random():.6f}")} for i in range(30)]
    curve = dict(SMALL, series=[dict(SMALL["series"][0], points=points)])
    record = validate(curve, tmp_path)
    assert sorted(p.score for p in record.series[0].points) == sorted(float(p["score"]) for p in points)
