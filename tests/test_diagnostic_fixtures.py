"""Every diagnostic code has a broken fixture with its exact expected line(s)."""

from __future__ import annotations

import pytest

from emergence_atlas.diagnostics import CODES

from .conftest import run_lint

A = "catalog/abilities"
BIB = "catalog/references.bib"

# (code, overlays onto the valid fixture catalog, exact expected diagnostics)
CASES: list[tuple[str, dict, list[str]]] = [
    ("E101", {"abilities/x.yaml": "E101-malformed.yaml"},
     [f"{A}/x.yaml:3:9: E101 malformed YAML: while parsing a flow sequence, did not find expected ',' or ']'"]),
    ("E102", {"abilities/x.yaml": "E102-tab.yaml"},
     [f"{A}/x.yaml:3:1: E102 tab character used for indentation; indent with spaces"]),
    ("E103", {"abilities/x.yaml": "E103-latin1.yaml"},
     [f"{A}/x.yaml:2:13: E103 byte 0xe9 is not valid UTF-8; save the file as UTF-8"]),
    ("E104", {"abilities/x.yaml": "E104-empty.yaml"},
     [f"{A}/x.yaml:1:1: E104 file is empty (no YAML document)"]),
    ("E105", {"abilities/x.yaml": "E105-list.yaml", "abilities/y.yaml": "E105-scalar.yaml"},
     [f"{A}/x.yaml:1:1: E105 the file holds a list; a catalog file must be a mapping of field: value",
      f"{A}/y.yaml:1:1: E105 the file holds a single str value; a catalog file must be a mapping of field: value"]),
    ("E106", {"abilities/x.yaml": "E106-duplicate-key.yaml"},
     [f"{A}/x.yaml:8:1: E106 duplicate key 'ability' (first defined at line 1)"]),
    ("E107", {"abilities/x.yaml": "E107-python-tag.yaml"},
     [f"{A}/x.yaml:1:10: E107 tag '!!python/object/apply:os.system' is not allowed"]),
    ("E108", {"abilities/x.yaml": "E108-billion-laughs.yaml"},
     [f"{A}/x.yaml:1:4: E108 more than 20000 YAML nodes after expanding aliases"]),
    ("E109", {"abilities/x.yaml": b"notes: [" + b"'a', " * 60000 + b"]\n"},
     [f"{A}/x.yaml:1:1: E109 file is 300010 bytes; the limit is 262144"]),
    ("E110", {"abilities/x.yaml": "E110-deep.yaml"},
     [f"{A}/x.yaml:1:32: E110 nesting deeper than 24 levels"]),
    ("E111", {"abilities/x.yaml": None},
     [f"{A}/x.yaml:0:0: E111 cannot read file: No such file or directory"]),
    ("E201", {"abilities/x.yaml": "E201-unknown-field.yaml"},
     [f"{A}/x.yaml:8:1: E201 unknown field 'source_url' (did you mean 'source'?)"]),
    ("E202", {"abilities/x.yaml": "E202-boolean-text.yaml"},
     [f"{A}/x.yaml:1:10: E202 ability: input should be a valid string, got bool True "
      "(YAML reads yes/no/on/off/true/false as booleans: quote the text)"]),
    ("E203", {"abilities/x.yaml": "E203-missing-field.yaml"},
     [f"{A}/x.yaml:1:1: E203 missing required field 'category'"]),
    ("E204", {"abilities/x.yaml": "E204-vocabulary.yaml"},
     [f"{A}/x.yaml:5:23: E204 prompting.strategy: 'few-shot' is not allowed; use one of 'few_shot', 'zero_shot', "
      "'chain_of_thought', 'zero_shot_chain_of_thought', 'instruction_tuning', 'scratchpad', 'self_consistency', "
      "'least_to_most', 'explanations', 'open_book_retrieval', 'differentiable_search_index', 'self_evaluation', "
      "'ask_me_anything' or 'multilingual_chain_of_thought'"]),
    ("E205", {"abilities/x.yaml": "E205-negative.yaml"},
     [f"{A}/x.yaml:10:12: E205 scale.params.value: -1e+09 must be positive",
      f"{A}/x.yaml:14:12: E205 scale.train_flops.value: 1e+40 is outside the plausible range for train_flops (1e+12 to 1e+30)"]),
    ("E206", {"abilities/x.yaml": "E206-ambiguous-unit.yaml"},
     [f"{A}/x.yaml:10:12: E206 scale.params.value: '1 billion' is not a scale value; write a plain number "
      "(13e9, 2.3E+22, 175000000000) or a number with K, M, B or T (13B, 40M, 1.4T)",
      f"{A}/x.yaml:14:12: E206 scale.train_tokens.value: '100b' is ambiguous (lower-case or unknown unit letter); "
      "write a plain number (13e9, 2.3E+22, 175000000000) or a number with K, M, B or T (13B, 40M, 1.4T)"]),
    ("E207", {"abilities/x.yaml": "E207-id-mismatch.yaml"},
     [f"{A}/x.yaml:1:5: E207 id 'counting-tiny-lm-2b' differs from the file name 'x'"]),
    ("E208", {"abilities/Bad_Name.yaml": "E208-Bad_Name.yaml"},
     [f"{A}/Bad_Name.yaml:1:1: E208 id: 'Bad_Name' is not a valid identifier (lower-case a-z, 0-9, single hyphens)"]),
    ("E209", {"abilities/x.yaml": "E209-too-long.yaml"},
     [f"{A}/x.yaml:1:10: E209 ability: String should have at most 200 characters"]),
    ("E210", {"abilities/x.yaml": "E210-estimate-without-method.yaml"},
     [f"{A}/x.yaml:9:3: E210 scale.train_flops: an estimated value needs a 'method' (e.g. 6*N*D)"]),
    ("E212", {"abilities/x.yaml": "E212-placeholder.yaml", "abilities/y.yaml": "E212-template-values.yaml",
              "abilities/z.yaml": "E212-template-key.yaml"},
     [f"{A}/x.yaml:1:10: E212 ability: still the template's placeholder 'TODO: display name of the ability'",
      # one diagnostic per placeholder: not also E204, E208 or E302 at the same value
      f"{A}/y.yaml:3:11: E212 category: still the template's placeholder 'TODO'; "
      "use one of 'few_shot_prompting', 'augmented_prompting' or 'other'",
      f"{A}/y.yaml:6:17: E212 model.family: still the template's placeholder 'TODO'",
      f"{A}/y.yaml:6:29: E212 model.size: still the template's placeholder 'TODO'",
      f"{A}/y.yaml:7:15: E212 source.key: still the template's placeholder 'TODO'",
      f"{A}/y.yaml:7:50: E212 source.evidence: still the template's placeholder 'TODO'; "
      "use one of 'full_text', 'excerpt', 'transcription', 'secondary', 'abstract' or 'inferred'",
      f"{A}/z.yaml:7:15: E212 source.key: still the template's placeholder 'TODO'"]),
    ("E301", {"references.bib": "E301-malformed.bib"},
     [f"{BIB}:17:1: E301 malformed BibTeX block: Unexpectedly reached end of file."]),
    ("E302", {"abilities/x.yaml": "E302-unknown-key.yaml"},
     [f"{A}/x.yaml:7:15: E302 source.key: unknown BibTeX key 'roe2022emergnt' (did you mean 'roe2022emergent'?)"]),
    ("E303", {"references.bib": "E303-duplicate.bib"},
     [f"{BIB}:17:1: E303 duplicate BibTeX key 'doe2021tiny' (first defined at line 1)"]),
    ("E304", {"references.bib": "E304-missing-field.bib"},
     [f"{BIB}:17:1: E304 article 'poe2020missing' lacks the required field journal",
      f"{BIB}:17:1: W306 reference 'poe2020missing' is not cited by any entry, model family or curve"]),
    ("E305", {"references.bib": "E305-duplicate-field.bib"},
     [f"{BIB}:17:1: E305 entry 'moe2020twice' repeats the field(s) title"]),
    ("E307", {"references.bib": "E307-malformed-links.bib"},
     [f"{BIB}:17:1: W306 reference 'koe2023links' is not cited by any entry, model family or curve",
      f"{BIB}:21:3: E307 misc 'koe2023links': url 'ftp://example.org/paper.pdf' is not an http(s) URL",
      f"{BIB}:22:3: E307 misc 'koe2023links': doi 'https://doi.org/10.1234/xyz' is a DOI link; "
      "write the bare DOI (10.NNNN/suffix)",
      f"{BIB}:23:3: E307 misc 'koe2023links': eprint '2213.00001' is not an arXiv id "
      "(e.g. 2201.11903 or hep-th/9901001)"]),
    ("W306", {"references.bib": "W306-unused.bib"},
     [f"{BIB}:17:1: W306 reference 'zoe2023unused' is not cited by any entry, model family or curve"]),
    ("E401", {"abilities/more/counting-tiny-lm-1b.yaml": "E401-duplicate-id.yaml"},
     [f"{A}/more/counting-tiny-lm-1b.yaml:1:1: E401 duplicate entry id 'counting-tiny-lm-1b' "
      f"(also in {A}/counting-tiny-lm-1b.yaml)"]),
    ("E402", {"abilities/x.yaml": "E402-unknown-family.yaml"},
     [f"{A}/x.yaml:6:17: E402 model.family: unknown model family 'tiny-llm' (did you mean 'tiny-lm'?)"]),
    ("E403", {"abilities/x.yaml": "E403-unknown-size.yaml"},
     [f"{A}/x.yaml:6:32: E403 model.size: '2B' is not a size of tiny-lm (known: 1B, 10B)"]),
    ("E404", {"abilities/x.yaml": "E404-registry-disagreement.yaml"},
     [f"{A}/x.yaml:10:12: E404 scale.train_flops: 9e+20 differs by 33% from the registry's 6e+20 for tiny-lm 1B "
      "(doe2021tiny, Table 1); correct it, or list the other value with its source under disagreements"]),
    ("E405", {"abilities/x.yaml": "E405-unknown-related.yaml"},
     [f"{A}/x.yaml:8:11: E405 related[0]: unknown entry id 'counting-tiny-lm-99b'"]),
    ("E406", {"abilities/x.yaml": "E406-status.yaml"},
     [f"{A}/x.yaml:8:9: E406 status: 'contested' needs a relation of type 'contests' naming the work"]),
    ("E407", {"models/other-lm.yaml": "E407-duplicate-size.yaml"},
     ["catalog/models/other-lm.yaml:4:11: E407 sizes[1]: label '1B' is already used by sizes[0]"]),
    ("E408", {"curves/x.yaml": "E408-curve-size.yaml"},
     ["catalog/curves/x.yaml:9:16: E408 series[0].points[0].size: '3B' is not a size of tiny-lm"]),
    ("W409", {"abilities/x.yaml": "W409-one-way-related.yaml"},
     [f"{A}/x.yaml:8:11: W409 related[0]: 'counting-tiny-lm-1b' does not list 'x' under related; add it there too"]),
    ("E420", {"abilities/x.yaml": "E420-interval.yaml", "abilities/y.yaml": "E420-unknown-lower.yaml"},
     [f"{A}/x.yaml:8:17: E420 emergence.below.size: 10B is not smaller than the claimed size 1B",
      f"{A}/y.yaml:8:17: E420 emergence.below.size: '3B' is not a size of tiny-lm (known: 1B, 10B)"]),
    ("E421", {"abilities/x.yaml": "E421-reason-type.yaml"},
     [f"{A}/x.yaml:11:13: E421 relations[0]: reason 'same_result' does not go with type 'supports' (use 'reproduces')"]),
    ("E422", {"abilities/x.yaml": "E422-direction.yaml"},
     [f"{A}/x.yaml:5:12: E422 direction: 'inverse' is not a threshold; set emergence.form to 'shape'"]),
    ("E423", {"abilities/x.yaml": "E423-axis.yaml"},
     [f"{A}/x.yaml:6:14: E423 axis.threshold: a threshold in model scale goes under scale (params, train_flops)"]),
    ("E501", {"abilities/counting-tiny-lm-10b.yaml": None, "abilities/counting-tiny-lm-1b.yaml": None,
              "curves/counting.yaml": None},
     ["catalog/abilities:0:0: E501 the catalog has no entries",
      "catalog/references.bib:9:1: W306 reference 'roe2022emergent' is not cited by any entry, model family or curve"]),
    ("E502", {"abilities": None},
     ["catalog:0:0: E502 no abilities/ folder here; is this a catalog folder?"]),
    ("E503", {f"abilities/bulk/e{i}.yaml": b"" for i in range(49_999)},  # + the 2 valid entries: one too many
     ["catalog/abilities:0:0: E503 50001 entry files; the limit is 50000"]),
]


@pytest.mark.parametrize(("code", "overlays", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture_gives_exact_diagnostics(make_catalog, code, overlays, expected):
    if code == "E111":
        root = make_catalog()
        (root / "abilities" / "x.yaml").symlink_to("does-not-exist.yaml")
    else:
        root = make_catalog(overlays)
    lines = run_lint(root)
    assert lines == expected
    assert any(f" {code} " in line for line in lines)


def test_a_schema_error_does_not_hide_the_other_problems_of_the_file(make_catalog):
    # an invalid status and a relation without evidence or scope leave the cross-links checked:
    # the unknown size, the misspelt key and the unknown related entry are all reported in one run
    root = make_catalog({"abilities/x.yaml": "every-problem-of-a-file.yaml"})
    assert run_lint(root) == [
        f"{A}/x.yaml:6:32: E403 model.size: '2B' is not a size of tiny-lm (known: 1B, 10B)",
        f"{A}/x.yaml:7:15: E302 source.key: unknown BibTeX key 'roe2022emergnt' (did you mean 'roe2022emergent'?)",
        f"{A}/x.yaml:8:9: E204 status: 'contsted' is not allowed; use one of 'reported', 'reproduced', 'contested' or 'refuted'",
        f"{A}/x.yaml:10:5: E203 missing required field 'relations[0].scope'",
        f"{A}/x.yaml:11:5: E203 missing required field 'relations[0].source.evidence'",
        f"{A}/x.yaml:12:11: E405 related[0]: unknown entry id 'counting-tiny-lm-99b'",
    ]


def test_a_file_missing_a_required_field_still_gets_its_file_rules(make_catalog):
    root = make_catalog({"abilities/x.yaml": b'ability: "TODO: name"\n'})
    assert [line for line in run_lint(root) if " E212 " in line] == [
        f"{A}/x.yaml:1:10: E212 ability: still the template's placeholder 'TODO: name'"]


def test_every_code_has_a_fixture():
    covered = {code for code, _, _ in CASES}
    assert covered == set(CODES), f"codes without a fixture: {sorted(set(CODES) - covered)}"


def test_valid_fixture_is_clean(make_catalog):
    assert run_lint(make_catalog()) == []
