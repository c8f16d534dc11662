"""The public Python API: its surface, queries, errors and the executable documentation."""

from __future__ import annotations

import re
import shutil
import sys

import pytest

import emergence_atlas
from emergence_atlas import CatalogError

from .conftest import FIXTURES, REPO

PUBLIC_API = {
    "SCHEMA_VERSION", "AbilityEntry", "Catalog", "CatalogError", "Curve", "Diagnostic", "ModelFamily",
    "ModelSize", "Reference", "ResolvedQuantity", "ResolvedScale", "__version__", "load",
}


def test_public_surface_is_fixed():
    assert set(emergence_atlas.__all__) == PUBLIC_API
    for name in PUBLIC_API:
        assert hasattr(emergence_atlas, name)


def test_package_is_typed():
    assert (REPO / "src" / "emergence_atlas" / "py.typed").is_file()


@pytest.fixture(scope="module")
def tiny():
    return emergence_atlas.load(FIXTURES / "valid")


def test_catalog_protocol(tiny):
    assert len(tiny) == 2
    assert [e.id for e in tiny] == ["counting-tiny-lm-10b", "counting-tiny-lm-1b"]
    assert tiny["counting-tiny-lm-1b"].model.size == "1B"
    assert "counting-tiny-lm-1b" in tiny
    with pytest.raises(KeyError, match="did you mean 'counting-tiny-lm-1b'"):
        tiny["counting-tiny-lm-1"]


def test_filters_and_ranges(tiny):
    assert tiny.filter(flops=(None, 1e21)).ids == ["counting-tiny-lm-1b"]
    assert tiny.filter(flops=(1e21, None)).ids == ["counting-tiny-lm-10b"]
    assert tiny.filter(params=(1e9, 1e9)).ids == ["counting-tiny-lm-1b"]
    assert tiny.filter(size="9B").ids == ["counting-tiny-lm-10b"]  # an alias of 10B
    assert tiny.filter(strategy="chain_of_thought").ids == ["counting-tiny-lm-1b"]
    assert tiny.filter(family="tiny-lm", strategy=["few_shot", "chain_of_thought"]).ids == [
        "counting-tiny-lm-10b", "counting-tiny-lm-1b"]
    assert tiny.filter(status="refuted").ids == []
    assert tiny.filter(family="tiny-lm").filter(flops=(None, 1e21)).ids == ["counting-tiny-lm-1b"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"family": "tiny-llm"}, "unknown family 'tiny-llm'; allowed: tiny-lm"),
    ({"strategy": "few-shot"}, "unknown strategy 'few-shot'; allowed: ask_me_anything, chain_of_thought"),
    ({"flops": (1e22, 1e20)}, "flops: inverted range (1e+22 > 1e+20); give (low, high)"),
    ({"params": 5}, "params: expected a (low, high) pair"),
    ({"size": "3B"}, "unknown size '3B'; allowed: 10B, 1B, 9B"),
])
def test_bad_filter_arguments_name_the_allowed_values(tiny, kwargs, message):
    with pytest.raises(ValueError) as info:
        tiny.filter(**kwargs)
    assert str(info.value).startswith(message)


def test_unknown_filter_field_is_a_clear_error(tiny):
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        tiny.filter(colour="red")


def test_group_by(tiny):
    groups = tiny.group_by("strategy")
    assert {k: v.ids for k, v in groups.items()} == {
        "chain_of_thought": ["counting-tiny-lm-1b"], "few_shot": ["counting-tiny-lm-10b"]}
    with pytest.raises(ValueError, match="cannot group by 'colour'; allowed: ability, benchmark"):
        tiny.group_by("colour")


def test_cite_returns_every_source_behind_a_selection(tiny):
    bib = tiny.cite(["counting-tiny-lm-1b"])
    assert bib.startswith("@article{doe2021tiny,")  # the registry's source of the derived scale
    assert "@inproceedings{roe2022emergent," in bib


def test_records_json_and_dataframe(tiny):
    records = tiny.to_records()
    assert records[0]["scale"] == {"params": 10e9, "train_flops": 6e21, "train_tokens": 100e9}
    assert '"id": "counting-tiny-lm-10b"' in tiny.select().to_json()


def test_dataframe_has_the_csv_columns_as_numbers(tiny):
    # pandas is an optional extra of the package and a dependency of the tests; the next test covers its absence
    import pandas

    frame = tiny.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["id"]) == ["counting-tiny-lm-10b", "counting-tiny-lm-1b"]
    assert frame["train_flops"].tolist() == [6e21, 6e20]


def test_dataframe_without_pandas_says_how_to_install(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'emergence-atlas\[pandas\]'"):
        tiny.to_dataframe()


def test_broken_catalog_raises_one_error_with_every_diagnostic(tmp_path):
    shutil.copytree(FIXTURES / "many-problems", tmp_path / "c")
    with pytest.raises(CatalogError) as info:
        emergence_atlas.load(tmp_path / "c")
    codes = sorted({d.code for d in info.value.diagnostics})
    assert codes == ["E104", "E106", "E201", "E202", "E203", "E204", "E206", "E207", "E303"]
    assert len(info.value.diagnostics) == 15


def _python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("document", ["site/python-api.md", "README.md"])
def test_documented_examples_run(document, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # outside the checkout: load() must find the catalog by itself
    blocks = _python_blocks(REPO / document)
    assert blocks, f"no python examples in {document}"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, document, "exec"), namespace)
    assert capsys.readouterr().out.strip()


def test_worked_examples_print_the_output_shown_under_them(monkeypatch, tmp_path):
    """Each example of the Python API page prints exactly the text block under it.

    After a change to the code or the catalog, regenerate the blocks with
    ``python tests/doc_examples.py site/python-api.md`` and review the diff.
    """
    from tests.doc_examples import examples, run

    monkeypatch.chdir(tmp_path)
    found = examples((REPO / "site" / "python-api.md").read_text(encoding="utf-8"))
    assert len(found) == len(_python_blocks(REPO / "site" / "python-api.md")) >= 7
    shown = [expected for _, expected in found]
    assert sum(1 for s in shown if s) >= 6, "the worked examples lost their output blocks"
    printed = run([code for code, _ in found])
    for (code, expected), got in zip(found, printed, strict=True):
        assert got == (expected or ""), f"example prints other text than shown under it:\n{code}"


def test_compiled_snapshot_round_trips_to_the_same_export(real_catalog):
    from emergence_atlas.export import to_json
    from emergence_atlas.snapshot import from_snapshot, to_snapshot

    source = real_catalog
    compiled = from_snapshot(to_snapshot(source), REPO / "catalog")
    assert to_json(compiled) == to_json(source)
    assert compiled.files.entries == source.files.entries


RISK_ENTRY = """\
ability: Repeating misconceptions
task: {benchmark: Toy, name: misconceptions}
category: other
kind: risk
direction: inverse
description: Larger models repeat a common misconception more often.
prompting: {strategy: zero_shot}
model: {family: tiny-lm, size: 10B}
metric: {name: accuracy, higher_is_worse: true}
emergence: {form: shape}
source: {key: roe2022emergent, locator: Figure 4, evidence: abstract}
"""

AXIS_ENTRY = """\
ability: Copying from context
task: {benchmark: Toy, name: copying}
category: other
axis:
  name: training_steps
  unit: steps
  threshold: {value: 2500, basis: reported, source: {key: roe2022emergent, locator: Figure 5}}
condition: one model, checkpoints during pre-training
description: The model starts to copy earlier tokens at one point of its training.
prompting: {strategy: zero_shot}
model: {family: tiny-lm, size: 1B}
source: {key: roe2022emergent, locator: Section 5, evidence: full_text}
"""


def test_risk_and_other_axis_entries_end_to_end(make_catalog):
    """YAML -> catalog -> pages -> catalog.json -> query, for a risk and for a claim on another axis."""
    import json

    from emergence_atlas.builder.pages import generate_pages

    root = make_catalog({"abilities/misconceptions-tiny-lm-10b.yaml": RISK_ENTRY.encode(),
                         "abilities/copying-steps-tiny-lm-1b.yaml": AXIS_ENTRY.encode()})
    catalog = emergence_atlas.load(root)
    pages = generate_pages(catalog)
    risks = pages["risks.md"].decode()
    assert "## Inverse" in risks and 'href="../abilities/misconceptions-tiny-lm-10b/"' in risks
    assert "higher is worse" in risks
    axes = pages["axes.md"].decode()
    section = axes[axes.index("## Training steps"):axes.index("## Pre-training loss")]
    assert 'href="../abilities/copying-steps-tiny-lm-1b/"' in section and "2500 steps" in section
    entry_page = pages["abilities/copying-steps-tiny-lm-1b.md"].decode()
    assert "changes" in entry_page or "training" in entry_page
    records = {r["id"]: r for r in json.loads(pages["downloads/catalog.json"])["entries"]}
    assert (records["misconceptions-tiny-lm-10b"]["kind"], records["misconceptions-tiny-lm-10b"]["direction"]) == (
        "risk", "inverse")
    assert records["misconceptions-tiny-lm-10b"]["metric"]["higher_is_worse"] is True
    assert records["copying-steps-tiny-lm-1b"]["axis"]["name"] == "training_steps"
    assert records["copying-steps-tiny-lm-1b"]["axis"]["threshold"]["value"] == 2500
    assert catalog.filter(kind="risk").ids == ["misconceptions-tiny-lm-10b"]
    assert catalog.filter(direction="inverse").ids == ["misconceptions-tiny-lm-10b"]
    assert catalog.filter(axis="training_steps").ids == ["copying-steps-tiny-lm-1b"]
    assert set(catalog.group_by("kind")) == {"ability", "risk"}
