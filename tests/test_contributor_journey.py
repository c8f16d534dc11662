"""End to end, as a new contributor: new -> fill -> lint -> strict build -> a mistake and its fix."""

from __future__ import annotations

from click.testing import CliRunner

from emergence_atlas.cli import main

from .conftest import REPO, mkdocs_build, site_config_for

FILLED = {
    '"TODO: display name of the ability"': "Counting backwards",
    '"TODO: benchmark"': "Toy",
    '"TODO: task name"': "counting backwards",
    "TODO: one or two sentences, in your own words, on what the task asks.":
        "The model lists the numbers from a given start down to one, after a few worked examples.",
    "family: gpt-3                      # id of a file in catalog/models/ (TODO: check)": "family: tiny-lm",
    "size: 13B": "size: 10B",
    "key: wei2022emergent               # TODO: the BibTeX key of your source": "key: roe2022emergent",
    '"TODO: Table 1"': "Figure 4",
}


def test_a_new_contributor_adds_an_entry(make_catalog, tmp_path):
    root = make_catalog({"_template.yaml": (REPO / "catalog" / "_template.yaml").read_bytes()})
    runner = CliRunner()

    result = runner.invoke(main, ["new", "counting-backwards-tiny-lm-10b"])
    assert result.exit_code == 0, result.output
    entry = root / "abilities" / "counting-backwards-tiny-lm-10b.yaml"

    # an untouched template does not pass: every placeholder is named
    unfilled = runner.invoke(main, ["lint"])
    assert unfilled.exit_code == 1
    assert "catalog/abilities/counting-backwards-tiny-lm-10b.yaml:12:10: E212 ability: still the template's placeholder" in unfilled.output

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
