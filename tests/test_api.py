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
    ({"family": "tiny-llm"}, "unknown family 'tiny-llm' (did you mean 'tiny-lm'?); allowed: tiny-lm"),
    ({"strategy": "few-shot"}, "unknown strategy 'few-shot' (did you mean 'few_shot'?); allowed: ask_me_anything, "
                               "chain_of_thought"),
    ({"flops": (1e22, 1e20)}, "flops: inverted range (1e+22 > 1e+20); give (low, high)"),
    ({"params": 5}, "params: expected a (low, high) pair, either may be None; got 5"),
    ({"tokens": (1, "2")}, "tokens: bounds must be numbers or None, got '2'"),
    ({"size": "3B"}, "unknown size '3B'; allowed: 1B, 10B, 9B"),  # smallest first; an alias after its size
    ({"size": "3B", "family": "TINY-LM"}, "unknown size '3B' for family tiny-lm; allowed: 1B, 10B, 9B"),
    ({"relation": "contest"}, "unknown relation 'contest' (did you mean 'contests'?); allowed: contests, refutes, "
                              "reproduces, supports"),
    ({"cites": "doe2021tyni"}, "unknown cites 'doe2021tyni' (did you mean 'doe2021tiny'?); allowed: doe2021tiny, "
                               "roe2022emergent"),
    ({"text": ""}, "text: give a non-empty string"),
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
    # canonical: the registry's values of tiny-lm 10B; beside them, what the entry's source printed
    assert records[0]["scale"] == {"params": 10.2e9, "train_flops": 6.1e21, "train_tokens": 100e9}
    assert records[0]["scale_as_printed"] == {"params": 10e9, "train_flops": 6e21, "train_tokens": None}
    params = records[0]["scale_provenance"]["params"]
    assert (params["origin"], params["basis"], params["as_printed"]) == ("registry", "derived", "10.2B")
    assert params["printed"] == {"value": 10e9, "as_printed": "10B", "basis": "reported", "method": None, "note": None,
                                 "source": {"key": "roe2022emergent", "locator": "Table 2", "evidence": None}}
    assert records[0]["scale_provenance"]["train_tokens"]["printed"] is None
    assert records[1]["scale_as_printed"] == {"params": None, "train_flops": None, "train_tokens": None}
    assert '"id": "counting-tiny-lm-10b"' in tiny.select().to_json()


def test_dataframe_has_the_csv_columns_as_numbers(tiny):
    # pandas is an optional extra of the package and a dependency of the tests; the next test covers its absence
    import pandas

    frame = tiny.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["id"]) == ["counting-tiny-lm-10b", "counting-tiny-lm-1b"]
    assert frame["train_flops"].tolist() == [6.1e21, 6e20]
    assert frame["train_flops_as_printed"].tolist()[0] == 6e21 and frame["train_flops_as_printed"].isna().tolist() == [
        False, True]


def test_dataframe_without_pandas_says_how_to_install(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    for make in (tiny.to_dataframe, tiny.models_dataframe, tiny.curves_dataframe):
        with pytest.raises(ImportError, match=r"pip install 'emergence-atlas\[pandas\]'"):
            make()
    assert len(tiny.models_records()) == 2 and len(tiny.curves_records()) > 0  # records need no pandas


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


# -- the real catalog: one value per model size, the printed view, natural filters and groups ---------------

@pytest.fixture(scope="module")
def full():
    return emergence_atlas.load(REPO / "catalog")


def test_every_entry_of_one_model_size_carries_the_same_canonical_scale(full):
    by_size: dict = {}
    for entry in full:
        label = full.model_size(entry).size if full.model_size(entry) else entry.model.size
        scale = full.scale(entry)
        by_size.setdefault((entry.model.family, label), set()).add(
            (scale.value("params"), scale.value("train_flops"), scale.value("train_tokens")))
    assert len(by_size) >= 30
    assert {size: values for size, values in by_size.items() if len(values) != 1} == {}
    # the printed values do differ across entries of one size: that is what the canonical value settles
    printed = {full.scale(e).train_flops.printed.value for e in full
               if (e.model.family, e.model.size) == ("chinchilla", "70B") and full.scale(e).train_flops.printed}
    assert printed == {5.0e23}
    assert by_size[("chinchilla", "70B")] == {(70e9, 5.76e23, 1.4e12)}
    assert by_size[("gpt-3", "175B")] == {(174.6e9, 3.14e23, 300e9)}


def test_canonical_scale_and_the_view_as_printed(full):
    canonical = full.scale("arithmetic-3-digit-gpt-3-13b")
    params = canonical.params
    assert (params.value, params.origin, params.basis.value, params.source.key) == (
        12.85e9, "registry", "derived", "brown2020language")
    assert (params.printed.value, params.printed.as_printed, params.printed.origin, params.printed.source.key,
            params.printed.source.locator) == (13e9, "13B", "entry", "wei2022emergent", "Table 1")
    assert params.printed_differs
    printed = full.scale("arithmetic-3-digit-gpt-3-13b", view="as_printed")
    assert (printed.params.value, printed.params.origin, printed.params.basis.value) == (13e9, "entry", "reported")
    assert (printed.train_flops.value, printed.train_flops.origin) == (2.3e22, "entry")
    assert (printed.train_tokens.value, printed.train_tokens.origin) == (300e9, "registry")  # not stated: registry
    assert full.scale("arithmetic-3-digit-gpt-3-13b", view="canonical") is canonical
    hindu = full.scale("bigbench-hindu-knowledge-gpt-3-13b")  # states nothing: no printed value, nothing differs
    assert hindu.params.printed is None and not hindu.params.printed_differs
    with pytest.raises(ValueError, match=r"^unknown scale view 'table'; allowed: canonical, as_printed$"):
        full.scale("arithmetic-3-digit-gpt-3-13b", view="table")


def test_entry_page_says_when_the_source_printed_another_value(full):
    from emergence_atlas.builder.claims import printed_note

    assert printed_note(full, full["arithmetic-3-digit-gpt-3-13b"], str) == (
        "the source prints 13B parameters and 2.3×10²² training FLOPs (the values shown are the model registry's)")
    assert printed_note(full, full["mmlu-30-topics-chinchilla-70b"], str) == (
        "the source prints 5×10²³ training FLOPs (the values shown are the model registry's)")
    assert printed_note(full, full["bigbench-hindu-knowledge-gpt-3-13b"], str) is None


def test_group_by_size_keys_a_reader_types_ordered_by_scale(full):
    palm = full.filter(family="palm").group_by("size")
    assert {k: len(v) for k, v in palm.items()} == {"8B": 3, "62B": 17, "540B": 33}
    assert list(palm) == ["8B", "62B", "540B"]
    assert palm["540B"].ids == full.filter(family="palm", size="540B").ids
    chinchilla = full.filter(family="chinchilla").group_by("size")
    assert list(chinchilla) == ["70B", "7B"]  # 7B's parameter count is unknown: last
    both = full.filter(family=["palm", "gpt-3"]).group_by("size")
    assert list(both) == ["palm 8B", "gpt-3 13B", "palm 62B", "gpt-3 175B", "palm 540B"]
    benchmarks = list(full.group_by("benchmark"))
    assert benchmarks == sorted(benchmarks, key=str.casefold) and benchmarks != sorted(benchmarks)
    with pytest.raises(ValueError, match=r"^cannot group by 'sizes' \(did you mean 'size'\?\); allowed: ability,"):
        full.group_by("sizes")


def test_filters_and_ids_ignore_case(full):
    assert full.filter(benchmark="mmlu").ids == full.filter(benchmark="MMLU").ids
    assert len(full.filter(benchmark="mmlu")) == 51
    assert full.filter(family="PaLM", size="540b").ids == full.filter(family="palm", size="540B").ids
    assert len(full.filter(family="palm", size="540b")) == 33
    assert full.filter(strategy="Chain_Of_Thought").ids == full.filter(strategy="chain_of_thought").ids != []
    assert full.filter(status="CONTESTED").ids == full.filter(status="contested").ids != []
    assert full["ARITHMETIC-3-digit-GPT-3-13B"].id == "arithmetic-3-digit-gpt-3-13b"
    assert full.filter(family="gpt-3")["Arithmetic-3-Digit-GPT-3-13B"].id == "arithmetic-3-digit-gpt-3-13b"
    with pytest.raises(KeyError, match="did you mean 'arithmetic-3-digit-gpt-3-13b'"):
        full["ARITHMETIC-3-DIGIT-GPT-3-13"]


def test_an_unknown_size_is_suggested_from_the_named_family_only(full):
    with pytest.raises(ValueError) as info:
        full.filter(family="palm", size="504B")
    assert str(info.value) == "unknown size '504B' for family palm (did you mean '540B'?); allowed: 8B, 62B, 64B, 540B"
    with pytest.raises(ValueError) as info:
        full.filter(family="chinchilla", size="8B")
    assert str(info.value) == "unknown size '8B' for family chinchilla; allowed: 70B, 7B"


CHINCHILLA_7B = [
    "mmlu-anatomy-chinchilla-7b", "mmlu-high-school-government-and-politics-chinchilla-7b",
    "mmlu-high-school-macroeconomics-chinchilla-7b", "mmlu-high-school-microeconomics-chinchilla-7b",
    "mmlu-high-school-psychology-chinchilla-7b", "mmlu-high-school-statistics-chinchilla-7b",
    "mmlu-professional-medicine-chinchilla-7b",
]


def test_range_filters_name_what_an_unknown_value_left_out(full):
    chinchilla = full.filter(family="chinchilla", params=(None, 1e12))
    assert len(chinchilla) == 41 and list(chinchilla.unknown_scale) == CHINCHILLA_7B
    chained = full.filter(params=(None, 1e12)).filter(family="chinchilla")  # kept through a further filter
    assert list(chained.unknown_scale) == CHINCHILLA_7B and chained.ids == chinchilla.ids
    above = full.filter(family="chinchilla", params=(1e11, None))  # no known size that large; 7B's count is unknown
    assert above.ids == [] and list(above.unknown_scale) == CHINCHILLA_7B
    assert full.filter(family="chinchilla").unknown_scale == ()
    tokens = full.filter(tokens=(None, None))
    assert len(tokens) + len(tokens.unknown_scale) == len(full) and len(tokens.unknown_scale) == 36
    assert full.filter(family="chinchilla", size="7B", flops=(None, 1e30)).unknown_scale == tuple(CHINCHILLA_7B)


def test_new_filters_select_exact_entries(full):
    assert full.filter(contested_by="Schaeffer2023are").ids == ["arithmetic-4-5-digit-gpt-3-175b"]
    contests = full.filter(relation="contests")
    assert len(contests) == 12 and "theory-of-mind-false-belief-openai-gpt4" in contests.ids
    assert full.filter(relation="refutes").ids == []
    assert full.filter(relation="reproduces").ids == [
        "bigbench-crass-ai-palm-540b", "bigbench-identify-odd-metaphor-palm-540b",
        "bigbench-vitaminc-fact-verification-palm-540b", "emergent-misalignment-insecure-code-openai-gpt4o"]
    # relation and relation_source must hold of one relation
    assert full.filter(relation="contests", relation_source="tay2023transcending").ids == []
    assert full.filter(relation_source="tay2023transcending").ids == full.filter(
        relation="reproduces", relation_source="tay2023transcending").ids != []
    assert full.filter(cites="schaeffer2023are").ids == ["arithmetic-4-5-digit-gpt-3-175b"]
    assert len(full.filter(cites="wei2022emergent")) >= 22
    assert full.filter(loss=(None, 3)).ids == [
        "c-eval-loss-threshold-loss-perspective-lms-32b", "gsm8k-chinese-loss-threshold-loss-perspective-lms-32b",
        "gsm8k-loss-threshold-loss-perspective-lms-32b", "mmlu-loss-threshold-loss-perspective-lms-32b"]
    assert full.filter(loss=(None, 2.1)).ids == []
    assert len(full.filter(loss=(None, 3)).unknown_scale) == len(full) - 4
    assert full.filter(tokens=(1e12, None), family="t5").ids == ["differentiable-search-index-t5-11b"]
    assert full.filter(text="STRATEGYQA").ids == ["bigbench-strategyqa-gpt-3-175b", "chain-of-thought-strategyqa-palm-62b"]
    assert full.filter(text=["misconception", "strategyqa"], family="gpt-3").ids == [
        "bigbench-misconceptions-gpt-3-175b", "bigbench-strategyqa-gpt-3-175b", "imitative-falsehoods-truthfulqa-gpt-3-175b"]


def test_registry_and_curve_tables(full):
    import pandas

    models = full.models_records()
    assert len(models) == sum(len(f.sizes) for f in full.families.values())
    row = next(r for r in models if (r["family"], r["size"]) == ("chinchilla", "70B"))
    assert (row["params"], row["train_tokens"], row["train_flops"], row["train_flops_source"]) == (
        70e9, 1.4e12, 5.76e23, "hoffmann2022training")
    assert row["entries"] == len(full.filter(family="chinchilla", size="70B"))
    frame = full.models_dataframe()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == len(models)
    from emergence_atlas.tables import CURVE_COLUMNS, MODEL_COLUMNS

    assert tuple(frame.columns) == MODEL_COLUMNS
    curves = full.curves_records()
    assert len(curves) == sum(len(s.points) for c in full.curves.values() for s in c.series)
    first = curves[0]
    assert (first["curve"], first["family"], first["size"], first["params"], first["score"]) == (
        "brown2020-arithmetic-1d-composite", "gpt-3", "125M", 125e6, 1.7)
    points = full.curves_dataframe()
    assert tuple(points.columns) == CURVE_COLUMNS and len(points) == len(curves)


def test_entry_page_shows_the_canonical_scale_and_what_the_source_printed(tiny):
    from emergence_atlas.builder.pages import generate_pages

    page = generate_pages(tiny)["abilities/counting-tiny-lm-10b.md"].decode()
    box = page[page.index('<div class="atlas-claimbox">'):page.index("</div>")]
    assert "between 1B and 10B: 1B to 10.2B parameters" in box
    assert ('<span class="atlas-muted">the source prints 10B parameters and 6×10²¹ training FLOPs '
            "(the values shown are the model registry&#39;s)</span>") in box
    assert page.count('<div class="atlas-printed">As printed in <a href="../../references/roe2022emergent/">') == 2
    assert '<a href="../../references/roe2022emergent/">Roe 2022</a>, Table 2: 10B</div>' in page  # as printed
    assert '<a href="../../references/roe2022emergent/">Roe 2022</a>, Table 2: 6×10²¹</div>' in page  # no text: the value
    other = generate_pages(tiny)["abilities/counting-tiny-lm-1b.md"].decode()
    assert "the source prints" not in other and "atlas-printed" not in other
