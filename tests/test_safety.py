"""Contributed text is data: whatever a YAML field holds, the built page shows it as inert text."""

from __future__ import annotations

import html.parser
import json
import shutil

import pytest

from .conftest import FIXTURES, mkdocs_build, site_config_for

SCRIPT = "<script>alert('pwned')</script>"
IMG = "<img src=x onerror=alert(2)>"
JS_LINK = "[click me](javascript:alert(3))"
TEMPLATE = "{{ 7*7 }} {% if true %}jinja-ran{% endif %}"
PIPE = "left | right"

HOSTILE_ENTRY = f"""\
ability: {json.dumps("Counting " + IMG)}
task:
  benchmark: {json.dumps("Toy " + SCRIPT)}
  name: {json.dumps(PIPE + " " + TEMPLATE)}
  keywords: [{json.dumps(SCRIPT)}]
category: few_shot_prompting
description: {json.dumps(f"Counts. {SCRIPT} {IMG} {JS_LINK} {TEMPLATE} <b onclick=alert(4)>bold</b> [ok](https://example.org)")}
prompting: {{strategy: few_shot}}
model: {{family: tiny-lm, size: 1B, name_in_source: {json.dumps(SCRIPT)}}}
metric: {{name: other, name_in_source: {json.dumps(IMG)}, note: {json.dumps(TEMPLATE + " " + SCRIPT)}}}
source: {{key: roe2022emergent, locator: {json.dumps("Table 1 " + IMG)}}}
notes: [{json.dumps(SCRIPT + " " + JS_LINK)}]
additional_sources:
  - {{key: doe2021tiny, locator: {json.dumps(IMG)}, role: also_lists}}
status: contested
relations:
  - type: contests
    source: {{key: doe2021tiny, locator: {json.dumps(SCRIPT)}, evidence: abstract}}
    reason: other
    scope: task
    note: {json.dumps(IMG + " " + TEMPLATE + " " + JS_LINK)}
"""

HOSTILE_FAMILY = f"""\
name: {json.dumps("Evil LM " + SCRIPT)}
developer: {json.dumps(IMG)}
description: {json.dumps(TEMPLATE + " " + JS_LINK)}
sources:
  - {{key: doe2021tiny, locator: {json.dumps(IMG)}}}
sizes:
  - size: 1B
    name: {json.dumps(SCRIPT)}
    params: {{value: 1e9, basis: reported, source: {{key: doe2021tiny, locator: {json.dumps(SCRIPT)}}}, note: {json.dumps(IMG)}}}
    notes: [{json.dumps(SCRIPT)}]
notes: [{json.dumps(IMG)}]
"""

HOSTILE_CURVE = f"""\
task: {{benchmark: {json.dumps(SCRIPT)}, name: {json.dumps(IMG)}}}
metric: {{name: other, name_in_source: {json.dumps(SCRIPT)}, note: {json.dumps(IMG)}, random_baseline: 0.0}}
entries: [hostile-entry]
notes: [{json.dumps(SCRIPT + " " + TEMPLATE)}]
series:
  - family_name: {json.dumps("Open " + IMG)}
    label: {json.dumps(SCRIPT)}
    prompting: {{strategy: few_shot}}
    source: {{key: roe2022emergent, locator: {json.dumps(IMG)}}}
    data: {{file: {json.dumps(SCRIPT)}, columns: [{json.dumps(IMG)}], license: {json.dumps(SCRIPT)}, harness: {json.dumps(IMG)}, attribution: {json.dumps(SCRIPT + " " + JS_LINK)}}}
    points:
      - {{model_name: {json.dumps(IMG)}, params: 1e9, score: 0.0}}
      - {{model_name: {json.dumps(SCRIPT)}, params: 1e10, score: 0.0}}
      - {{model_name: x, params: 1e11, score: 0.9}}
"""

HOSTILE_BIB = """
@misc{evil2024title,
  title  = {A <script>alert('bib')</script> Title with \\emph{LaTeX} and <img src=x onerror=alert(5)>},
  author = {Mallory, Eve},
  year   = {2024},
  url    = {https://example.org/evil}
}
"""


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self.in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.problems.append(f"script content: {data[:60]}")
        if not self.in_script:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    root = folder / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    (root / "abilities" / "hostile-entry.yaml").write_text(HOSTILE_ENTRY, encoding="utf-8")
    (root / "models" / "evil-lm.yaml").write_text(HOSTILE_FAMILY, encoding="utf-8")
    (root / "curves" / "hostile-curve.yaml").write_text(HOSTILE_CURVE, encoding="utf-8")
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + HOSTILE_BIB, encoding="utf-8")
    entry = (root / "abilities" / "counting-tiny-lm-1b.yaml")
    entry.write_text(entry.read_text(encoding="utf-8") + "additional_sources:\n  - {key: evil2024title, locator: p. 1, role: also_lists}\n",
                     encoding="utf-8")
    out = folder / "site"
    result = mkdocs_build(site_config_for(root, folder), out)
    assert result.returncode == 0, result.stderr
    return out


def _pages(site):
    return sorted(p for p in site.rglob("*.html"))


def test_every_string_field_of_every_model_is_exercised():
    """The hostile fixture puts a payload in the free-text fields of entries, families and curves."""
    import yaml


    def payload_fields(data, prefix=""):
        out = set()
        if isinstance(data, dict):
            for k, v in data.items():
                out |= payload_fields(v, f"{prefix}{k}.")
        elif isinstance(data, list):
            for v in data:
                out |= payload_fields(v, prefix)
        elif isinstance(data, str) and ("<" in data or "{{" in data or "javascript" in data):
            out.add(prefix[:-1])
        return out

    covered = (payload_fields(yaml.safe_load(HOSTILE_ENTRY)) | payload_fields(yaml.safe_load(HOSTILE_FAMILY))
               | payload_fields(yaml.safe_load(HOSTILE_CURVE)))
    assert covered, "no hostile payload found"
    assert "description" in covered and "relations.note" in covered and "series.data.attribution" in covered


def test_no_markup_from_the_data_runs_anywhere(hostile_site):
    problems = []
    for page in _pages(hostile_site):
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(hostile_site)}: {p}" for p in parser.problems]
    assert problems == []


def test_hostile_text_is_shown_literally(hostile_site):
    page = (hostile_site / "abilities/hostile-entry/index.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    text = " ".join(parser.text)
    assert "Counting <img src=x onerror=alert(2)>" in text
    assert "<script>alert('pwned')</script>" in text
    assert "{{ 7*7 }}" in text and "jinja-ran" not in text.replace("{% if true %}jinja-ran{% endif %}", "")
    assert "left | right" in text
    assert '<a href="https://example.org" rel="noopener nofollow">ok</a>' in page
    assert "javascript:" not in page.replace("[click me](javascript:alert(3))", "")


def test_hostile_bibtex_is_inert(hostile_site):
    refs = hostile_site / "references"
    page = next(p for p in refs.rglob("index.html") if "evil2024title" in p.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    assert parser.problems == []
    assert 'href="javascript:' not in text
