"""End to end, as a new contributor: new -> fill -> lint -> strict build -> a mistake and its fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from emergence_atlas.cli import main

from .conftest import REPO, mkdocs_build, site_config_for

FILLED = {
    '"TODO: display name of the ability"': "Counting backwards",
    '"TODO: benchmark"': "Toy",
    '"TODO: task name"': "counting backwards",
    "TODO: one or two sentences, in your own words, on what the task asks.":
        "The model lists the numbers from a given start down to one, after a few worked examples.",
    "category: TODO": "category: few_shot_prompting",
    "strategy: TODO": "strategy: few_shot",
    "family: TODO": "family: tiny-lm",
    "size: TODO": "size: 10B",
    "name: TODO ": "name: exact_match ",
    "key: TODO ": "key: roe2022emergent ",
    '"TODO: Table 1"': "Figure 4",
    "evidence: TODO ": "evidence: full_text ",
}


@pytest.mark.slow  # builds a site
def test_a_new_contributor_adds_an_entry(make_catalog, tmp_path):
    root = make_catalog({"_template.yaml": (REPO / "catalog" / "_template.yaml").read_bytes()})
    runner = CliRunner()

    result = runner.invoke(main, ["new", "counting-backwards-tiny-lm-10b"])
    assert result.exit_code == 0, result.output
    entry = root / "abilities" / "counting-backwards-tiny-lm-10b.yaml"

    # an untouched template does not pass: every placeholder is named
    unfilled = runner.invoke(main, ["lint"])
    assert unfilled.exit_code == 1
    placeholders = [line for line in unfilled.output.splitlines() if " E212 " in line]
    assert placeholders[0].startswith("catalog/abilities/counting-backwards-tiny-lm-10b.yaml:13:10: E212 ability: "
                                      "still the template's placeholder")
    # every value to be written is a placeholder: none of the template's examples passes as a claim
    assert [line.split(" E212 ")[1].split(":")[0] for line in placeholders] == [
        "ability", "task.benchmark", "task.name", "category", "description", "prompting.strategy", "model.family",
        "model.size", "metric.name", "source.key", "source.locator", "source.evidence"]
    assert [line for line in unfilled.output.splitlines() if ": E" in line and " E212 " not in line] == []

    text = entry.read_text(encoding="utf-8")
    for placeholder, value in FILLED.items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    entry.write_text(text, encoding="utf-8")
    clean = runner.invoke(main, ["lint"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.splitlines()[-1] == "checked 3 entries, 1 model families, 2 references, 1 curves"

    out = tmp_path / "site"
    built = mkdocs_build(site_config_for(root.resolve(), tmp_path), out)
    assert built.returncode == 0, built.stderr
    page = (out / "abilities" / "counting-backwards-tiny-lm-10b" / "index.html").read_text(encoding="utf-8")
    assert "Counting backwards" in page and "after a few worked examples" in page
    assert "counting-backwards-tiny-lm-10b" in (out / "abilities" / "index.html").read_text(encoding="utf-8")

    # a deliberate mistake: the diagnostic names the line and how to fix it
    entry.write_text(text.replace("strategy: few_shot", "strategy: few-shot examples"), encoding="utf-8")
    wrong = runner.invoke(main, ["lint"])
    assert wrong.exit_code == 1
    line = next(l for l in wrong.output.splitlines() if " E204 " in l)
    number = next(i for i, l in enumerate(text.splitlines(), 1) if "strategy: few_shot" in l)
    assert line.startswith(f"catalog/abilities/counting-backwards-tiny-lm-10b.yaml:{number}:13: E204 prompting.strategy: "
                           "'few-shot examples' is not allowed; use one of 'few_shot', ")
