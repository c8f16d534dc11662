"""Property-based fuzzing: bad data always comes back as well-formed diagnostics, never as an exception.

Random and mutated YAML and BibTeX (seeded from the real catalog and the test fixtures,
then mutated byte by byte, line by line, key by key and value by value, with tags,
anchors, aliases, control characters and invalid UTF-8 thrown in) go through the loader,
the schema validation, the bibliography and the whole catalog build. The properties:
nothing raises, and every diagnostic has a path, a line and column >= 0, a code from
the code table and a non-empty message that prints as one line of UTF-8.

The normal suite runs a few hundred examples per target. A long run, e.g.

    EMERGENCE_ATLAS_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py

switches to the ``emergence-atlas-fuzz-long`` settings profile with that many examples
per target. ``benchmarks/fuzz_report.py`` runs the same targets and prints figures.

The end of the file holds the regression inputs of crashes fuzzing found, and tests of
the size bounds (file size, nesting depth, alias expansion, text length, entry count).
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emergence_atlas import build as build_module
from emergence_atlas import loading
from emergence_atlas.bibliography import load_bibliography, parse_bibliography
from emergence_atlas.build import build_catalog
from emergence_atlas.diagnostics import CODES, Diagnostic
from emergence_atlas.loading import load_yaml, parse_yaml_text
from emergence_atlas.schema.models import MAX_SHORT_TEXT, AbilityEntry, Curve, ModelFamily
from emergence_atlas.schema.validation import validate_document

from .conftest import FIXTURES, REPO

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# -- settings profiles ---------------------------------------------------------------
LONG_EXAMPLES = int(os.environ.get("EMERGENCE_ATLAS_FUZZ_EXAMPLES", "0") or 0)
_COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("emergence-atlas-fuzz-quick", **_COMMON)
settings.register_profile("emergence-atlas-fuzz-long", max_examples=max(LONG_EXAMPLES, 1), **_COMMON)
PROFILE = settings.get_profile("emergence-atlas-fuzz-long" if LONG_EXAMPLES else "emergence-atlas-fuzz-quick")


def fuzz_settings(quick_examples: int) -> settings:
    """``quick_examples`` in the normal suite; EMERGENCE_ATLAS_FUZZ_EXAMPLES in a long run."""
    return settings(PROFILE, max_examples=LONG_EXAMPLES or quick_examples)


# -- seeds ---------------------------------------------------------------------------
def _every(paths: list[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over a sorted list (the catalog grows; the choice stays stable)."""
    paths = sorted(paths)
    step = max(1, len(paths) // count)
    return paths[::step][:count]


def _valid_seed_paths() -> list[Path]:
    """Clean files: the valid fixture catalog and a spread of the real catalog."""
    real = REPO / "catalog"
    small_curves = [p for p in (real / "curves").glob("[!_]*.yaml") if p.stat().st_size < 12_000]
    return [
        *sorted((FIXTURES / "valid").rglob("*.yaml")),
        *_every(list((real / "abilities").glob("[!_]*.yaml")), 8),
        *_every(list((real / "models").glob("[!_]*.yaml")), 3),
        *_every(small_curves, 3),
    ]


def _yaml_seed_paths() -> list[Path]:
    """The clean files, every broken fixture and the templates."""
    real = REPO / "catalog"
    return [*_valid_seed_paths(), *sorted((FIXTURES / "broken").glob("*.yaml")),
            *sorted(real.glob("_template.yaml")), *sorted(real.glob("*/_template.yaml"))]


def _bib_seeds() -> list[bytes]:
    seeds = [(FIXTURES / "valid" / "references.bib").read_bytes()]
    seeds += [p.read_bytes() for p in sorted((FIXTURES / "broken").glob("*.bib"))]
    real = (REPO / "catalog" / "references.bib").read_bytes()
    chunks = [b"@" + c for c in re.split(rb"\n@", b"\n" + real) if c.strip()]
    seeds += [b"\n".join(chunks[i:i + 2]) for i in range(0, len(chunks), 5)]
    return seeds


YAML_SEEDS: list[bytes] = [p.read_bytes() for p in _yaml_seed_paths()]
BIB_SEEDS: list[bytes] = _bib_seeds()
VALID_DATA: list[dict[str, Any]] = [yaml.load(p.read_bytes(), Loader=_Loader) for p in _valid_seed_paths()]

# -- mutation vocabulary ---------------------------------------------------------------
ODD_BYTES = [b"\x00", b"\x07", b"\x1b", b"\t", b"\r", b"\r\n", b"\x0b", b"\x0c", b"\x1c", b"\x7f",
             "\x85".encode(), "\u2028".encode(), "\u202e".encode(), "\ufeff".encode(), "\U0001f600".encode(),
             b"\xff", b"\xfe", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe9"]
YAML_TOKENS = ["&a ", "*a", "*nowhere", "!!python/object/apply:os.system ", "!!binary ", "!!int ", "!!float ",
               "!!bool ", "!!timestamp ", "!!null ", "!!str ", "!!set ", "!!omap ", "!!map ", "!!seq ", "!local ",
               "!<tag:example.org,2002:x> ", "<<: ", "? ", "- ", ": ", "{", "}", "[", "]", ",", "#", "|", ">-",
               "'", '"', "\\", "%YAML 1.1\n", "%TAG ! tag:x:\n", "---\n", "...\n", "\n", "  ", "\t", "\ufeff"]
YAML_VALUES = ["yes", "No", "on", "~", "null", "", ".nan", ".inf", "-.inf", "1e999", "2e22", "13B", "13b",
               "1:30", "190:20:30", "0x1F", "0o17", "0b101", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
               "9" * 5000, "-" + "9" * 4400, "1" + "0" * 400, "1" + "0" * 400 + ".0", "-1", "0", "a" * 3000,
               '"\\0"', '"a\\nb"', '"a\\u2028b"', '"\\x85"', '"\\e[31m"', "[" * 30 + "]" * 30, "{a: [b, {c: d}]}",
               "&x [*x, *x]", "!!int abc", "!!float abc", "!!bool maybe", "!!int 0b2", "!!float 1e99999",
               "!!binary aGk=", "!!python/name:os.system", "!!timestamp nope", "!!null x", "!!str 12",
               "|\n  text", ">-\n  folded", "'quoted'", "javascript:alert(1)", "TODO", "<script>x</script>",
               "{{ config }}"]
KEYS = ["id", "ability", "task", "benchmark", "name", "category", "description", "prompting", "strategy",
        "model", "family", "size", "scale", "params", "value", "basis", "source", "key", "locator", "metric",
        "status", "relations", "related", "notes", "sizes", "series", "points", "score", "data", "url",
        "<<", "? x", '"a\\nb"', '"\\u2028"', "'\\r'", "1", "true", "null", "~", "[a]", "{a: b}", "''", "&k key",
        "!!str k", "x" * 300, "\u00e9t\u00e9", "a b"]
BIB_TOKENS = ["@", "{", "}", "=", ",", '"', "\\", "%", "#", "\n", "@string{s = \"x\"}\n", "@comment{", "@preamble{",
              "@misc{k,\n title = {T}, year = {2020}}\n", "author = {and and},", "author = {, , }",
              "author = {{\\'{E}}cole and Jr, von X, Y},", "title = {\\'{}}", "title = {$x^$}", "{\\relax",
              "\\c", "\\\"", "url = {javascript:alert(1)},", "url = {ftp://x},", "url = {https://}",
              "url = {http://ex ample.org},", "doi = {bad},", "doi = {https://doi.org/10.1/x},",
              "eprint = {x},", "eprint = {2201.1},", "archivePrefix = {PubMed},", "year = 2020,", "month = jan,",
              "title = \"a\" # s # {b},", "@article{dup,\n}\n", "@ARTICLE{Caps,", "\u00e9", "\ud800", "\x00",
              "\u2028"]


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


_KEY_LINE = re.compile(rb"^(\s*(?:-\s+)?)([^\s#:\-][^:#]*?)(\s*:)(.*)$")


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[bytes], tokens: list[str], values: list[str] | None = None,
                  keys: list[str] | None = None) -> bytes:
    """A seed with one to five random mutations (bytes, lines, keys, values, indentation, tokens)."""
    raw = bytearray(draw(st.sampled_from(seeds)))
    ops = ["flip", "insert_odd", "insert_token", "insert_random", "delete", "truncate", "drop_line", "dup_line",
           "swap_lines", "indent", "dedent", "tab_indent"]
    if values:
        ops += ["value", "value", "value"]
    if keys:
        ops += ["key", "key"]
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(ops))
        pos = draw(st.integers(0, len(raw)))
        if op == "flip" and raw:
            raw[min(pos, len(raw) - 1)] = draw(st.integers(0, 255))
        elif op == "insert_odd":
            raw[pos:pos] = draw(st.sampled_from(ODD_BYTES))
        elif op == "insert_token":
            raw[pos:pos] = draw(st.sampled_from(tokens)).encode("utf-8", "surrogatepass")
        elif op == "insert_random":
            raw[pos:pos] = draw(st.binary(max_size=12))
        elif op == "delete":
            raw[pos:pos + draw(st.integers(1, 40))] = b""
        elif op == "truncate":
            del raw[pos:]
        else:
            lines = _lines(bytes(raw))
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            line = lines[i]
            if op == "drop_line":
                del lines[i]
            elif op == "dup_line":
                lines.insert(j, line)
            elif op == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "indent":
                lines[i] = b" " * draw(st.integers(1, 6)) + line
            elif op == "dedent":
                lines[i] = line[draw(st.integers(1, 6)):] if line[:1] == b" " else line
            elif op == "tab_indent":
                lines[i] = b"\t" + line
            elif op in ("value", "key"):
                match = _KEY_LINE.match(line)
                if match:
                    lead, key, colon, rest = match.groups()
                    if op == "key":
                        key = draw(st.sampled_from(keys or KEYS)).encode("utf-8")
                    else:
                        rest = b" " + draw(st.sampled_from(values or YAML_VALUES)).encode("utf-8")
                    lines[i] = lead + key + colon + rest
            raw = bytearray(b"\n".join(lines))
    return bytes(raw)


def yaml_inputs() -> st.SearchStrategy[bytes]:
    """Mutated catalog files, random text and random bytes."""
    return st.one_of(
        mutated_bytes(YAML_SEEDS, YAML_TOKENS, YAML_VALUES, KEYS),
        mutated_bytes(YAML_SEEDS, YAML_TOKENS, YAML_VALUES, KEYS),
        mutated_bytes(YAML_SEEDS, YAML_TOKENS, YAML_VALUES, KEYS),
        st.text(alphabet=st.sampled_from(list("ab:- \n\t'\"{}[],&*!|>#?%@`~0123456789.e+\\\r")), max_size=80)
        .map(lambda t: t.encode("utf-8")),
        st.binary(max_size=64),
    )


def bib_inputs() -> st.SearchStrategy[bytes]:
    """Mutated BibTeX files and random BibTeX-like text."""
    return st.one_of(
        mutated_bytes(BIB_SEEDS, BIB_TOKENS),
        mutated_bytes(BIB_SEEDS, BIB_TOKENS),
        st.lists(st.sampled_from([*BIB_TOKENS, "a", "b", " ", "1", "k"]), max_size=30)
        .map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
    )


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([10**400, -(10**400), 2**64, 0, -1]),
    st.floats(), st.text(max_size=40),
    st.sampled_from(["13B", "2e22", "13b", "1 billion", "TODO", "x" * (MAX_SHORT_TEXT + 1), "few_shot",
                     "reported", "estimated", "javascript:alert(1)", "a\nb", "a\u2028b", "\x1b[31m", ""]),
)
_ANY = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS[:30]), st.text(max_size=8)),
                                                 inner, max_size=4)), max_leaves=12)


@st.composite
def mutated_data(draw: st.DrawFn) -> str:
    """A valid document with random leaves replaced, keys dropped or added, dumped back to YAML."""
    data = copy.deepcopy(draw(st.sampled_from(VALID_DATA)))
    for _ in range(draw(st.integers(1, 4))):
        node: Any = data
        for _ in range(draw(st.integers(0, 5))):
            children = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
            if not children:
                break
            child = draw(st.sampled_from(children))
            if not isinstance(node[child], (dict, list)) or draw(st.booleans()):
                break
            node = node[child]
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(list(node)))
            action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
            if action == "replace":
                node[key] = draw(_ANY)
            elif action == "delete":
                del node[key]
            else:
                node[draw(st.sampled_from(KEYS[:30]))] = draw(_ANY)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(_ANY)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=draw(st.booleans()), sort_keys=False)


# -- the properties ----------------------------------------------------------------------
def assert_well_formed(diags: Any) -> list[Diagnostic]:
    """A list of diagnostics, each with a path, line/col >= 0, a known code, a one-line message."""
    assert isinstance(diags, list)
    for d in diags:
        assert isinstance(d, Diagnostic), d
        assert isinstance(d.path, str) and d.path, d
        assert isinstance(d.line, int) and d.line >= 0, d
        assert isinstance(d.col, int) and d.col >= 0, d
        assert d.code in CODES, d
        assert isinstance(d.message, str) and d.message.strip(), d
        text = d.format()
        assert len(text.splitlines()) == 1, text
        text.encode("utf-8")  # printable on a UTF-8 terminal (no lone surrogates)
        assert "\n" not in d.format_github(), d
    return diags


_INERT = (str, int, float, bool, type(None))


def _assert_inert(value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str)
            _assert_inert(v)
    elif isinstance(value, list):
        for v in value:
            _assert_inert(v)
    else:
        assert isinstance(value, _INERT), type(value)


# -- the fuzz targets (also run by benchmarks/fuzz_report.py) ------------------------------
def target_parse_yaml(raw: bytes) -> list[Diagnostic]:
    """parse_yaml_text on the text (undecodable bytes kept as lone surrogates), then schema validation."""
    text = raw.decode("utf-8", "surrogateescape")
    doc, diags = parse_yaml_text(text, Path("catalog/abilities/fuzz.yaml"))
    assert_well_formed(diags)
    if doc is None:
        assert diags, "no document and no diagnostic"
        return diags
    assert isinstance(doc.data, dict)
    _assert_inert(doc.data)
    return diags + target_validate_doc(doc)


def target_validate_doc(doc: loading.LoadedDocument) -> list[Diagnostic]:
    """The document against each of the three schema models."""
    out: list[Diagnostic] = []
    for model in (AbilityEntry, ModelFamily, Curve):
        record, diags = validate_document(doc, model, {"id": "fuzz"})
        assert_well_formed(diags)
        assert (record is None) == bool(diags)
        out += diags
    return out


def target_validate_text(text: str) -> list[Diagnostic]:
    """Structurally valid YAML with wrong values: parse, then validate against each model."""
    return target_parse_yaml(text.encode("utf-8"))


def target_load_yaml(raw: bytes, folder: Path) -> list[Diagnostic]:
    """load_yaml on a file holding ``raw``, uncached and through the parse cache (which must agree)."""
    path = folder / "fuzz.yaml"
    path.write_bytes(raw)
    doc, diags = load_yaml(path)
    assert_well_formed(diags)
    assert doc is not None or diags
    cache = folder / "cache"
    for _ in range(2):  # the second read may come from the cache
        again, again_diags = load_yaml(path, cache_dir=cache)
        assert_well_formed(again_diags)
        if doc is None:
            assert again is None and again_diags == diags
        else:
            assert again is not None and again.key_positions == doc.key_positions
            assert repr(again.data) == repr(doc.data)  # repr: NaN never equals itself
    return diags


def target_bibliography(raw: bytes, folder: Path) -> list[Diagnostic]:
    """parse_bibliography on the text, and load_bibliography on a file holding the bytes."""
    text = raw.decode("utf-8", "surrogateescape")
    references, diags = parse_bibliography(text, Path("catalog/references.bib"))
    assert_well_formed(diags)
    assert all(isinstance(k, str) for k in references)
    path = folder / "references.bib"
    path.write_bytes(raw)
    _, file_diags = load_bibliography(path)
    assert_well_formed(file_diags)
    return diags + file_diags


CATALOG_TARGETS = ["abilities/counting-tiny-lm-1b.yaml", "abilities/fuzz-new.yaml", "models/tiny-lm.yaml",
                   "curves/counting.yaml", "references.bib"]


def target_catalog(raw: bytes, where: str, root: Path) -> list[Diagnostic]:
    """build_catalog on a copy of the valid fixture catalog with one file replaced by ``raw``."""
    target = root / where
    original = target.read_bytes() if target.exists() else None
    target.write_bytes(raw)
    try:
        catalog, diags, files = build_catalog(root)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
    assert_well_formed(diags)
    assert (catalog is None) == any(d.is_error for d in diags)
    assert files >= 1
    return diags


def fresh_catalog_copy() -> Path:
    """A temporary copy of the valid fixture catalog (the caller removes it)."""
    root = Path(tempfile.mkdtemp(prefix="atlas-fuzz-")) / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    return root


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="atlas-fuzz-scratch-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def fuzz_root():
    root = fresh_catalog_copy()
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


def test_seeds_were_found_and_clean():
    assert len(YAML_SEEDS) >= 40 and len(BIB_SEEDS) >= 8 and len(VALID_DATA) >= 15
    unclean = []
    for path in _valid_seed_paths():
        doc, diags = parse_yaml_text(path.read_text(encoding="utf-8"), path)
        unclean += [d.format() for d in diags]
        assert doc is not None and isinstance(doc.data, dict)
    assert unclean == []  # mutations start from clean data


@fuzz_settings(500)
@given(raw=yaml_inputs())
def test_fuzz_parse_yaml_text(raw):
    target_parse_yaml(raw)


@fuzz_settings(300)
@given(text=mutated_data())
def test_fuzz_schema_validation(text):
    target_validate_text(text)


@fuzz_settings(300)
@given(raw=yaml_inputs())
def test_fuzz_load_yaml_file(raw, scratch):
    target_load_yaml(raw, scratch)


@fuzz_settings(300)
@given(raw=bib_inputs())
def test_fuzz_bibliography(raw, scratch):
    target_bibliography(raw, scratch)


@fuzz_settings(200)
@given(raw=st.one_of(yaml_inputs(), bib_inputs()), where=st.sampled_from(CATALOG_TARGETS))
def test_fuzz_build_catalog(raw, where, fuzz_root):
    target_catalog(raw, where, fuzz_root)


@fuzz_settings(50)
@given(name=st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1,
                    max_size=12))
def test_fuzz_entry_file_names(name, fuzz_root):
    """Odd file names (control characters, line breaks, non-ASCII) still give one-line diagnostics."""
    try:
        target = fuzz_root / "abilities" / f"{name}.yaml"
        target.write_bytes((FIXTURES / "valid" / "abilities" / "counting-tiny-lm-1b.yaml").read_bytes())
    except (OSError, ValueError):
        return  # a name this file system refuses
    try:
        _, diags, _ = build_catalog(fuzz_root)
    finally:
        target.unlink()
    assert_well_formed(diags)


# -- regressions: the exact inputs of crashes fuzzing found -----------------------------------
P = Path("catalog/abilities/x.yaml")


@pytest.mark.parametrize(("text", "expected"), [
    # invalid UTF-8 decoded with surrogateescape: lone surrogates made the C parser raise UnicodeEncodeError
    ("#\udc9e\udcfc", "catalog/abilities/x.yaml:1:2: E101 character U+DC9E is not allowed in YAML"),
    ("ability: Counting\nnotes: [\ud800]\n", "catalog/abilities/x.yaml:2:9: E101 character U+D800 is not allowed in YAML"),
    # an explicit scalar tag on a value that does not fit it raised ValueError, KeyError or IndexError
    ("family: !!int abc\n", "catalog/abilities/x.yaml:1:9: E107 tag '!!int' does not fit the value 'abc'; remove the tag"),
    ("category: !!int 0b2\n",
     "catalog/abilities/x.yaml:1:11: E107 tag '!!int' does not fit the value '0b2'; remove the tag"),
    ("!!int # Lat", "catalog/abilities/x.yaml:1:1: E107 tag '!!int' does not fit the value ''; remove the tag"),
    ("a: !!bool maybe\n", "catalog/abilities/x.yaml:1:4: E107 tag '!!bool' does not fit the value 'maybe'; remove the tag"),
    ("a: !!float abc\n", "catalog/abilities/x.yaml:1:4: E107 tag '!!float' does not fit the value 'abc'; remove the tag"),
    ("      notes: !!float", "catalog/abilities/x.yaml:1:14: E107 tag '!!float' does not fit the value ''; remove the tag"),
    # more digits than int() converts raised ValueError; beyond the float range, OverflowError in validation
    ("ability: " + "9" * 5000 + "\n",
     "catalog/abilities/x.yaml:1:10: E205 the number '9999999999999999999999999999999999999999...' has too many digits"),
    ("random_baseline: 1" + "0" * 320 + "\n",
     "catalog/abilities/x.yaml:1:18: E205 the number '1000000000000000000000000000000000000000...' is too large (above 1e308)"),
    ("a: 1" + ":59" * 200 + "\n",
     "catalog/abilities/x.yaml:1:4: E205 the number '1:59:59:59:59:59:59:59:59:59:59:59:59:59...' has too many digits"),
])
def test_regression_loader_crashes(text, expected):
    doc, diags = parse_yaml_text(text, P)
    assert doc is None
    assert [d.format() for d in diags] == [expected]


def test_regression_huge_number_in_scale_reaches_no_float_conversion(make_catalog):
    entry = (FIXTURES / "valid" / "abilities" / "counting-tiny-lm-10b.yaml").read_text(encoding="utf-8")
    entry = entry.replace("    value: 10B\n", "    value: 1" + "0" * 320 + "\n")
    root = make_catalog({"abilities/counting-tiny-lm-10b.yaml": entry.encode()})
    assert run_lint_lines(root) == [
        "catalog/abilities/counting-tiny-lm-10b.yaml:16:12: E205 the number "
        "'1000000000000000000000000000000000000000...' is too large (above 1e308)",
        "catalog/abilities/counting-tiny-lm-1b.yaml:16:11: E405 related[0]: unknown entry id 'counting-tiny-lm-10b'",
        "catalog/curves/counting.yaml:3:11: E405 entries[0]: unknown entry id 'counting-tiny-lm-10b'"]


def test_regression_line_break_in_a_key_stays_on_one_line():
    doc, diags = parse_yaml_text('"a\\nb": 1\nname: x\nsizes: [{size: 1B}]\n', P)
    assert diags == [] and doc is not None
    _, diags = validate_document(doc, ModelFamily, {"id": "x"})
    assert [d.format() for d in diags] == [
        "catalog/abilities/x.yaml:1:1: E201 unknown field 'a\\x0ab' "
        "(allowed: name, developer, description, sources, sizes, notes)"]


def test_regression_line_break_in_a_file_name_stays_on_one_line(make_catalog):
    root = make_catalog()
    shutil.copyfile(root / "abilities" / "counting-tiny-lm-1b.yaml", root / "abilities" / "a\nb::error x.yaml")
    lines = run_lint_lines(root)
    assert lines == ["catalog/abilities/a\\x0ab::error x.yaml:1:1: E208 id: 'a\\nb::error x' is not a valid identifier "
                     "(lower-case a-z, 0-9, single hyphens)"]


def run_lint_lines(root: Path) -> list[str]:
    _, diags, _ = build_catalog(root)
    return [d.format() for d in assert_well_formed(diags)]


# -- the size bounds ----------------------------------------------------------------------------
def test_file_size_bound_e109(tmp_path):
    limit = loading.MAX_FILE_BYTES
    at_limit = tmp_path / "at.yaml"
    at_limit.write_bytes(b"a: b\n#" + b"x" * (limit - 7) + b"\n")
    assert at_limit.stat().st_size == limit
    assert load_yaml(at_limit)[1] == []
    over = tmp_path / "over.yaml"
    over.write_bytes(at_limit.read_bytes() + b"\n")
    doc, diags = load_yaml(over)
    assert doc is None
    assert [(d.line, d.col, d.code, d.message) for d in diags] == [
        (1, 1, "E109", f"file is {limit + 1} bytes; the limit is {limit}")]


def test_bibliography_size_bound_e109(tmp_path, monkeypatch):
    from emergence_atlas import bibliography

    monkeypatch.setattr(bibliography, "MAX_BIB_BYTES", 100)
    bib = tmp_path / "references.bib"
    bib.write_bytes(b"%" * 99 + b"\n")
    assert load_bibliography(bib) == ({}, [])
    bib.write_bytes(b"%" * 100 + b"\n")
    assert [d.format() for d in load_bibliography(bib)[1]] == [
        f"{bib.as_posix()}:1:1: E109 file is 101 bytes; the limit is 100"]


def _nested(lists: int) -> str:
    return "a: " + "[" * lists + "1" + "]" * lists + "\n"


def test_nesting_bound_e110(monkeypatch):
    deepest = loading.MAX_DEPTH - 1  # the top mapping is level 0, the scalar inside the lists one more
    assert parse_yaml_text(_nested(deepest), P)[1] == []
    assert [d.format() for d in parse_yaml_text(_nested(deepest + 1), P)[1]] == [
        f"catalog/abilities/x.yaml:1:{4 + deepest + 1}: E110 nesting deeper than {loading.MAX_DEPTH} levels"]
    monkeypatch.setattr(loading, "MAX_DEPTH", 3)
    assert parse_yaml_text(_nested(2), P)[1] == []
    assert [d.code for d in parse_yaml_text(_nested(3), P)[1]] == ["E110"]


def test_alias_expansion_bound_e108(monkeypatch):
    text = "a: &x [1, 2, 3]\nb: [*x, *x, *x]\n"  # 1 mapping + 4 + 1 list + 3 x 4 expanded = 18 nodes
    monkeypatch.setattr(loading, "MAX_NODES", 18)
    assert parse_yaml_text(text, P)[1] == []
    monkeypatch.setattr(loading, "MAX_NODES", 17)
    assert [d.format() for d in parse_yaml_text(text, P)[1]] == [
        "catalog/abilities/x.yaml:1:14: E108 more than 17 YAML nodes after expanding aliases"]  # the aliased node


@pytest.mark.parametrize(("field", "limit"), [("ability", MAX_SHORT_TEXT), ("description", 2_000)])
def test_text_length_bound_e209(field, limit):
    base = (FIXTURES / "valid" / "abilities" / "counting-tiny-lm-1b.yaml").read_text(encoding="utf-8")
    line = next(x for x in base.splitlines() if x.startswith(f"{field}:"))
    for length, expected in ((limit, []), (limit + 1, [f"E209 {field}: String should have at most {limit} characters"])):
        doc, diags = parse_yaml_text(base.replace(line, f"{field}: {'x' * length}"), P)
        assert diags == [] and doc is not None
        _, diags = validate_document(doc, AbilityEntry, {"id": "x"})
        assert [f"{d.code} {d.message}" for d in diags] == expected


def test_entry_count_bound_e503(make_catalog, monkeypatch):
    root = make_catalog()
    assert run_lint_lines(root) == []
    monkeypatch.setattr(build_module, "MAX_ENTRIES", 2)
    assert run_lint_lines(root) == []
    monkeypatch.setattr(build_module, "MAX_ENTRIES", 1)
    assert run_lint_lines(root) == ["catalog/abilities:0:0: E503 2 entry files; the limit is 1"]
    assert build_module.build_catalog(root)[0] is None
