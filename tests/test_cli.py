"""The command line: exit codes, output formats, the many-problems golden output, new, export, schema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from emergence_atlas.cli import main

from .conftest import FIXTURES, REPO

MANY_EXPECTED = """\
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'category'
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'description'
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'model'
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'prompting'
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'source'
many-problems/abilities/duplicate-key.yaml:1:1: E203 missing required field 'task'
many-problems/abilities/duplicate-key.yaml:2:1: E106 duplicate key 'ability' (first defined at line 1)
many-problems/abilities/empty.yaml:1:1: E104 file is empty (no YAML document)
many-problems/abilities/many-errors.yaml:1:10: E202 ability: input should be a valid string, got bool True (YAML reads yes/no/on/off/true/false as booleans: quote the text)
many-problems/abilities/many-errors.yaml:3:11: E204 category: 'few_shot' is not allowed; use one of 'few_shot_prompting', 'augmented_prompting' or 'other'
many-problems/abilities/many-errors.yaml:5:40: E202 prompting.shots: input should be a valid integer, got str 'three'
many-problems/abilities/many-errors.yaml:8:1: E201 unknown field 'extra' (allowed: ability, task, category, kind, direction, axis, condition, emergent_sense, description, prompting, model, scale, emergence, metric, source, additional_sources, status, relations, related, notes)
many-problems/abilities/wrong-id.yaml:1:5: E207 id 'something-else' differs from the file name 'wrong-id'
many-problems/models/broken-lm.yaml:4:21: E206 sizes[0].params.value: '13 billion' is not a scale value; write a plain number (13e9, 2.3E+22, 175000000000) or a number with K, M, B or T (13B, 40M, 1.4T)
many-problems/references.bib:17:1: E303 duplicate BibTeX key 'doe2021tiny' (first defined at line 1)
15 errors, 0 warnings in 10 files
"""


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    return CliRunner()


def test_many_problems_reported_at_once_with_exact_lines(runner):
    result = runner.invoke(main, ["lint", "many-problems"])
    assert result.exit_code == 1
    assert result.output == MANY_EXPECTED
    assert "Traceback" not in result.output


def test_clean_catalog_exits_zero_and_counts(runner):
    result = runner.invoke(main, ["lint", "valid"])
    assert result.exit_code == 0
    assert result.output == ("0 errors, 0 warnings in 5 files\n"
                             "checked 2 entries, 1 model families, 2 references, 1 curves\n")


def test_github_format_annotates_lines(runner):
    result = runner.invoke(main, ["lint", "many-problems", "--format", "github"])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first == ("::error file=many-problems/abilities/duplicate-key.yaml,line=1,col=1,"
                     "title=E203 missing required field::missing required field 'category'")


def test_usage_errors_exit_two(runner):
    assert runner.invoke(main, ["lint", "no-such-folder"]).exit_code == 2
    assert runner.invoke(main, ["export", "--format", "xml", "--root", "valid"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_export_refuses_broken_catalog_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "catalog.json"
    result = runner.invoke(main, ["export", "--format", "json", "--root", "many-problems", "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_export_formats(runner, tmp_path):
    for fmt in ("json", "csv", "curves-json", "curves-csv", "bibtex"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "--root", "valid", "-o", str(out)])
        assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["schema_version"] == "3.0"
    assert list(data) == ["schema_version", "catalog_version", "counts", "entries", "models", "references"]
    assert data["counts"] == {"entries": 2, "model_families": 1, "references": 2, "curves": 1}
    entry = data["entries"][0]
    assert entry["id"] == "counting-tiny-lm-10b"
    assert entry["scale"] == {"params": 10.2e9, "train_flops": 6.1e21, "train_tokens": 100e9}
    assert entry["scale_as_printed"] == {"params": 10e9, "train_flops": 6e21, "train_tokens": None}
    assert entry["scale_provenance"]["train_tokens"]["basis"] == "derived"
    assert entry["scale_provenance"]["train_tokens"]["origin"] == "registry"
    assert entry["curves"] == ["counting"]
    assert data["entries"][1]["scale"]["train_flops"] == 6e20
    assert data["entries"][1]["scale_provenance"]["train_flops"]["basis"] == "estimated"
    csv_lines = (tmp_path / "out.csv").read_text().splitlines()
    assert csv_lines[0].startswith("id,ability,benchmark,task,category,")
    assert csv_lines[1].startswith("counting-tiny-lm-10b,Counting,Toy,counting,few_shot_prompting,few_shot,3,tiny-lm,10B,"
                                   "10200000000.0,derived,6.1e+21,derived,100000000000.0,derived,"
                                   "10000000000.0,6e+21,,exact_match,")
    bib = (tmp_path / "out.bibtex").read_text()
    assert bib.index("@article{doe2021tiny") < bib.index("@inproceedings{roe2022emergent")


def test_export_curves_json_and_csv(runner, tmp_path):
    for fmt in ("curves-json", "curves-csv"):
        result = runner.invoke(main, ["export", "--format", fmt, "--root", "valid", "-o", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
        assert result.stderr == f"wrote {tmp_path / fmt} (1 curves)\n"
    data = json.loads((tmp_path / "curves-json").read_text())
    assert list(data) == ["schema_version", "catalog_version", "counts", "curves"]
    assert data["schema_version"] == "3.0"
    assert data["counts"] == {"curves": 1, "series": 1, "points": 2}
    curve = data["curves"][0]
    assert curve["id"] == "counting"
    assert curve["entries"] == ["counting-tiny-lm-10b"]
    assert curve["series"][0]["points"] == [
        {"size": "1B", "model_name": None, "params": None, "active_params": None, "train_tokens": None,
         "train_flops": None, "score": 0.02},
        {"size": "10B", "model_name": None, "params": None, "active_params": None, "train_tokens": None,
         "train_flops": None, "score": 0.61}]
    assert curve["thresholds"][0]["rule"] == "chance-margin"
    assert (tmp_path / "curves-csv").read_text().splitlines() == [
        "curve,benchmark,task,metric,metric_scale,random_baseline,series,family,family_name,prompting_strategy,shots,"
        "source_key,source_locator,size,model_name,params,active_params,train_tokens,train_flops,score",
        "counting,Toy,counting,exact_match,fraction,0.0,\"Tiny LM, 3-shot\",tiny-lm,Tiny LM,few_shot,3,roe2022emergent,"
        "Table 3,1B,,1000000000.0,,,6e+20,0.02",
        "counting,Toy,counting,exact_match,fraction,0.0,\"Tiny LM, 3-shot\",tiny-lm,Tiny LM,few_shot,3,roe2022emergent,"
        "Table 3,10B,,10200000000.0,,100000000000.0,6.1e+21,0.61",
    ]


def test_new_scaffolds_from_template(make_catalog):
    root = make_catalog({"_template.yaml": (REPO / "catalog" / "_template.yaml").read_bytes()})
    runner = CliRunner()
    result = runner.invoke(main, ["new", "my-new-ability"])
    assert result.exit_code == 0, result.output
    created = root / "abilities" / "my-new-ability.yaml"
    assert created.read_bytes() == (root / "_template.yaml").read_bytes()
    assert runner.invoke(main, ["new", "my-new-ability"]).exit_code == 2
    assert runner.invoke(main, ["new", "Bad_Id"]).exit_code == 2


def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "emergence_atlas", "lint", str(FIXTURES / "valid")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("checked 2 entries, 1 model families, 2 references, 1 curves\n")


def test_committed_json_schemas_are_fresh(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["schema", "--check"])
    assert result.exit_code == 0, result.output


def test_real_catalog_lints_clean_and_is_not_empty(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0, result.output
    summary, counts = result.output.splitlines()[-2:]
    assert summary.startswith("0 errors, ")
    n_entries = int(counts.split()[1])
    assert n_entries >= 8


def test_lint_changed_reports_changed_files_and_errors_anywhere(tmp_path, monkeypatch):
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + (FIXTURES / "broken" / "W306-unused.bib").read_text(encoding="utf-8"),
                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    entry = "catalog/abilities/counting-tiny-lm-1b.yaml"
    quiet = runner.invoke(main, ["lint-changed", entry, "README.md"])
    assert quiet.exit_code == 0
    assert quiet.output == "0 errors, 0 warnings in 5 files (1 changed)\n"
    loud = runner.invoke(main, ["lint-changed", "catalog/references.bib"])
    assert loud.exit_code == 0
    assert "W306 reference 'zoe2023unused'" in loud.output
    (root / "abilities" / "counting-tiny-lm-10b.yaml").write_text(
        (root / "abilities" / "counting-tiny-lm-10b.yaml").read_text(encoding="utf-8").replace("Figure 1", "TODO"),
        encoding="utf-8")
    broken_elsewhere = runner.invoke(main, ["lint-changed", entry])
    assert broken_elsewhere.exit_code == 1
    assert "catalog/abilities/counting-tiny-lm-10b.yaml:" in broken_elsewhere.output and " E212 " in broken_elsewhere.output
    assert runner.invoke(main, ["lint-changed", "README.md"]).output == "no catalog files among the changed files\n"


def test_query_new_filters_on_the_real_catalog(runner, real_catalog, monkeypatch):
    """The query options against the real catalog (loaded once for the session: loading is tested above)."""
    import emergence_atlas.cli

    monkeypatch.setattr(emergence_atlas.cli, "_load_or_exit", lambda *args, **kwargs: real_catalog)
    root = str(REPO / "catalog")

    def ids(*args: str) -> list[str]:
        result = runner.invoke(main, ["query", "--root", root, *args, "--format", "csv"])
        assert result.exit_code == 0, result.output
        return [line.split(",", 1)[0] for line in result.stdout.splitlines()[1:]]

    assert ids("--contested-by", "SCHAEFFER2023ARE") == ["arithmetic-4-5-digit-gpt-3-175b"]
    assert ids("--relation", "reproduces", "--relation-source", "tay2023transcending") == [
        "bigbench-crass-ai-palm-540b", "bigbench-identify-odd-metaphor-palm-540b",
        "bigbench-vitaminc-fact-verification-palm-540b"]
    assert ids("--cites", "schaeffer2023are") == ["arithmetic-4-5-digit-gpt-3-175b"]
    assert ids("--text", "StrategyQA", "--family", "palm") == ["chain-of-thought-strategyqa-palm-62b"]
    assert ids("--tokens", "1T:", "--family", "t5") == ["differentiable-search-index-t5-11b"]
    loss = runner.invoke(main, ["query", "--root", root, "--loss", ":2.5", "--family", "loss-perspective-lms"])
    entries = len(list((REPO / "catalog" / "abilities").glob("*.yaml")))
    assert loss.exit_code == 0 and loss.stdout.splitlines()[-1] == f"4 of {entries} entries"
    chinchilla = runner.invoke(main, ["query", "--root", root, "--family", "chinchilla", "--params", ":1T"])
    assert chinchilla.stderr.startswith("7 entries left out because their value is unknown: mmlu-anatomy-chinchilla-7b,")
    bad = runner.invoke(main, ["query", "--root", root, "--family", "palm", "--size", "504B"])
    assert bad.exit_code == 2
    assert "unknown size '504B' for family palm (did you mean '540B'?); allowed: 8B, 62B, 64B, 540B" in bad.output
    assert runner.invoke(main, ["query", "--root", root, "--loss", "low:2"]).exit_code == 2


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--flops", "1e22", "'1e22': give LOW:HIGH (either may be empty), e.g. 1e22:1e23 or :62B"),
    ("--params", "1e9:lots", "'lots' is not a scale value; write a plain number"),
    ("--loss", "2", "'2': give LOW:HIGH (either may be empty), e.g. :2.5"),
    ("--loss", "2:x", "'2:x': the bounds must be numbers, e.g. 2.1:2.5"),
])
def test_a_malformed_range_is_one_usage_line(option, value, message):
    result = CliRunner().invoke(main, ["query", "--root", str(FIXTURES / "valid"), option, value])
    assert result.exit_code == 2
    assert f"Error: Invalid value: {message}" in result.output
    assert "Traceback" not in result.output
