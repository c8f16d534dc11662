"""The build cache and the memos: they save work and never change what a build produces."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emergence_atlas import build as build_module
from emergence_atlas.build import build_catalog
from emergence_atlas.buildcache import ContentCache, build_key, tree_digest
from emergence_atlas.builder import htmlcache, plots
from emergence_atlas.builder.derived import DERIVED
from emergence_atlas.builder.memo import MEMO, fingerprint
from emergence_atlas.builder.pages import generate_pages

from .conftest import FIXTURES, REPO, site_config_for

ENTRY = "abilities/counting-tiny-lm-10b.yaml"


def _forget() -> None:
    """Start as a fresh process would: no memo of an earlier build in this one."""
    build_module._FILE_MEMO.clear()
    build_module._BIB_MEMO.clear()
    plots._SVG_MEMO.clear()
    htmlcache._MEMORY.clear()
    MEMO.start()
    MEMO.finish()
    DERIVED.start()
    DERIVED.finish()


def _catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    return root


def _rename_ability(root: Path, name: str) -> None:
    path = root / ENTRY
    text = path.read_text(encoding="utf-8")
    assert "ability: Counting\n" in text
    path.write_text(text.replace("ability: Counting\n", f"ability: {name}\n"), encoding="utf-8")


def _mkdocs(config: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """One strict build in this process; returns the plugin instance that ran."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("EMERGENCE_ATLAS_CACHE", str(cache))
    monkeypatch.delenv("EMERGENCE_ATLAS_PLOT_CACHE", raising=False)
    cfg = load_config(str(config), site_dir=str(out), strict=True)
    build(cfg)
    return cfg.plugins["emergence-atlas"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    root = _catalog(tmp_path)
    return root, site_config_for(root.resolve(), tmp_path / "config")


def test_cached_build_is_byte_identical_and_a_changed_entry_is_not_stale(site, tmp_path, monkeypatch):
    root, config = site
    cache = tmp_path / "cache"
    _forget()
    cold = _mkdocs(config, tmp_path / "cold", cache, monkeypatch)
    assert cold.from_cache is False and cold.html.hits == 0
    _forget()  # a new process: only the cache folder is left
    warm = _mkdocs(config, tmp_path / "warm", cache, monkeypatch)
    generated = sum(1 for p in warm.pages if p.endswith(".md"))
    assert warm.from_cache is True and warm.html.hits == generated == 31 and warm.html.search_hits == 31
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold")

    _rename_ability(root, "Counting objects")
    _forget()
    edited = _mkdocs(config, tmp_path / "edited", cache, monkeypatch)
    assert edited.from_cache is False
    page = (tmp_path / "edited" / "abilities" / "counting-tiny-lm-10b" / "index.html").read_text(encoding="utf-8")
    assert "Counting objects" in page
    _forget()
    fresh = _mkdocs(config, tmp_path / "fresh", tmp_path / "no-cache", monkeypatch)
    assert fresh.from_cache is False and fresh.html.hits == 0
    assert _tree(tmp_path / "edited") == _tree(tmp_path / "fresh")


def test_corrupt_cache_entries_are_ignored(site, tmp_path, monkeypatch):
    _, config = site
    cache = tmp_path / "cache"
    _forget()
    _mkdocs(config, tmp_path / "first", cache, monkeypatch)
    stored = sorted((cache / "builds").glob("*.pickle")) + sorted((cache / "html").glob("*.pickle"))
    svgs = sorted((cache / "plots").glob("*.svg"))
    assert len(stored) == 2 and len(svgs) == 4
    for path in [*stored, *svgs]:
        path.write_bytes(b"not what was stored")
    _forget()
    again = _mkdocs(config, tmp_path / "again", cache, monkeypatch)
    assert again.from_cache is False and again.html.hits == 0
    assert _tree(tmp_path / "again") == _tree(tmp_path / "first")


def test_one_entry_edit_rerenders_only_the_pages_that_show_it(tmp_path):
    root = _catalog(tmp_path)
    _forget()
    catalog, _, _ = build_catalog(root, memo=True)
    before = generate_pages(catalog, memo=True)
    assert len(MEMO.rendered) == 31 and MEMO.reused == 0
    generate_pages(catalog, memo=True)
    assert MEMO.rendered == [] and MEMO.reused == 31

    _rename_ability(root, "Counting objects")
    edited, _, _ = build_catalog(root, memo=True)
    after = generate_pages(edited, memo=True)
    # the entry's page, the other entry of the task (it lists this one as related), and every page with its row
    assert sorted(MEMO.rendered) == [
        "abilities/counting-tiny-lm-10b.md", "abilities/counting-tiny-lm-1b.md", "abilities/index.md",
        "models/tiny-lm.md", "references/roe2022emergent.md", "strategies/few_shot.md", "thresholds.md"]
    assert MEMO.reused == 24
    changed = sorted(p for p in after if p.endswith(".md") and after[p] != before[p])
    assert changed == sorted(MEMO.rendered)
    _forget()
    fresh, _, _ = build_catalog(root)
    assert generate_pages(fresh) == after


class _Server:
    def __init__(self):
        self.watched = []

    def watch(self, path):
        self.watched.append(path)


def test_serve_started_on_a_warm_cache_fills_the_memos_before_the_first_edit(site, tmp_path, monkeypatch):
    """The first build of ``serve`` read from the cache leaves the memos empty; on_serve fills them."""
    root, config = site
    cache = tmp_path / "cache"
    _forget()
    _mkdocs(config, tmp_path / "first", cache, monkeypatch)
    _forget()  # serve starts in a new process, on the warm cache
    plugin = _mkdocs(config, tmp_path / "served", cache, monkeypatch)
    assert plugin.from_cache is True and MEMO.reused == 0 and MEMO.rendered == []
    server = _Server()
    plugin.on_serve(server, None, None)
    assert server.watched == [str(root.resolve())]
    assert len(MEMO.rendered) == 31

    _rename_ability(root, "Counting objects")
    after = _memo_generation(root)
    assert len(MEMO.rendered) == 7 and MEMO.reused == 24
    _forget()
    assert after == _fresh_generation(root)


def test_file_memo_rechecks_only_the_changed_file(tmp_path):
    root = _catalog(tmp_path)
    _forget()
    build_catalog(root, memo=True)
    assert len(build_module._FILE_MEMO) == 4
    _rename_ability(root, "Counting objects")
    catalog, _, _ = build_catalog(root, memo=True)
    assert catalog is not None and catalog["counting-tiny-lm-10b"].ability == "Counting objects"
    assert len(build_module._FILE_MEMO) == 5  # one new result, for the new bytes of the one edited file


def test_build_key_follows_every_catalog_byte(tmp_path):
    root = _catalog(tmp_path)
    key, digest = build_key(root, site_url=None), tree_digest(root)
    assert build_key(root, site_url=None) == key
    assert build_key(root, site_url="https://example.org/") != key
    (root / "models" / "tiny-lm.yaml").write_bytes((root / "models" / "tiny-lm.yaml").read_bytes() + b"\n")
    assert tree_digest(root) != digest and build_key(root, site_url=None) != key


def test_content_cache_keeps_the_newest_and_ignores_garbage(tmp_path):
    cache = ContentCache(tmp_path)
    assert cache.load("a") is None
    cache.store("a", {"x": b"1"})
    assert cache.load("a") == {"x": b"1"}
    (tmp_path / "a.pickle").write_bytes(b"\x80\x05garbage")
    assert cache.load("a") is None
    for n in range(6):
        cache.store(f"k{n}", n)
    assert sorted(p.name for p in tmp_path.glob("*.pickle")) == ["k4.pickle", "k5.pickle"]  # the newest KEEP (2)


def test_fingerprint_sees_every_field_and_refuses_unknown_objects():
    from emergence_atlas.references import Reference

    ref = Reference(key="k", entry_type="article", title="T", authors=("A",), year="2020", venue=None, doi=None,
                    url=None, eprint=None, bibtex="@article{k}")
    other = Reference(key="k", entry_type="article", title="T", authors=("A",), year="2020", venue=None, doi=None,
                      url=None, eprint=None, bibtex="@article{k,}")
    assert fingerprint(ref) == fingerprint(ref)
    assert fingerprint(ref) != fingerprint(other)  # bibtex is left out of repr(), not of the key
    assert fingerprint({"a": [1, 2]}) != fingerprint({"a": [2, 1]})
    assert fingerprint(object()) is None


def test_stored_plots_keep_the_light_svg_and_recolour_the_rest():
    from emergence_atlas.builder.plots import pack_themes, recolor, unpack_themes

    light = b'<?xml version="1.0"?><svg><path stroke="#1f2328"/></svg>'
    files = {"index.md": b"# Home", "plots/a-light.svg": light, "plots/a-dark.svg": recolor(light, "light", "dark"),
             "plots/b-dark.svg": b"<svg>only dark</svg>"}
    packed = pack_themes(files)
    assert sorted(packed) == ["index.md", "plots/a-light.svg", "plots/b-dark.svg"]
    assert unpack_themes(packed) == dict(sorted(files.items()))
    assert b"#e6edf3" in unpack_themes(packed)["plots/a-dark.svg"]


def test_fingerprint_of_a_record_follows_its_nested_fields():
    catalog, _, _ = build_catalog(FIXTURES / "valid")
    entry = catalog["counting-tiny-lm-10b"]
    renamed = entry.model_copy(update={"task": entry.task.model_copy(update={"name": "counting things"})})
    assert fingerprint(entry) == fingerprint(catalog["counting-tiny-lm-10b"]) is not None
    assert fingerprint(renamed) != fingerprint(entry)


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{relative}: {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _memo_generation(root: Path) -> dict[str, bytes]:
    catalog, diags, _ = build_catalog(root, memo=True)
    assert catalog is not None, [d.format() for d in diags]
    return generate_pages(catalog, memo=True)


def _fresh_generation(root: Path) -> dict[str, bytes]:
    catalog, _, _ = build_catalog(root)
    assert catalog is not None
    return generate_pages(catalog)


def test_downloads_are_the_same_bytes_as_one_document_dump():
    import csv
    import io
    import json

    from emergence_atlas.export import (
        CSV_COLUMNS,
        CURVE_CSV_COLUMNS,
        csv_row,
        curve_csv_rows,
        to_csv,
        to_curves_csv,
        to_curves_json,
        to_curves_json_data,
        to_json,
        to_json_data,
    )

    for root in (FIXTURES / "valid", FIXTURES.parent.parent / "catalog"):
        catalog, _, _ = build_catalog(root)
        assert catalog is not None and len(catalog) >= 2 and catalog.curves

        def dump(data: dict) -> str:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

        def table(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            return buffer.getvalue()

        assert to_json(catalog) == dump(to_json_data(catalog))
        assert to_curves_json(catalog) == dump(to_curves_json_data(catalog))
        assert to_csv(catalog) == table(CSV_COLUMNS, [csv_row(catalog, e) for e in catalog])
        assert to_curves_csv(catalog) == table(CURVE_CSV_COLUMNS, [r for c in catalog.curves.values()
                                                                    for r in curve_csv_rows(catalog, c)])


#: What the first generation of the fixture computes: three texts per entry, two per curve.
_EVERYTHING = sorted(
    [f"{kind}:{entry}" for kind in ("catalog.csv", "catalog.json", "evidence")
     for entry in ("counting-tiny-lm-10b", "counting-tiny-lm-1b")]
    + ["curves.csv:counting", "curves.json:counting"])


def test_one_entry_edit_recomputes_only_that_entrys_evidence_and_download_texts(tmp_path):
    root = _catalog(tmp_path)
    _forget()
    first = _memo_generation(root)
    assert sorted(DERIVED.computed) == _EVERYTHING and DERIVED.reused == 0
    assert _memo_generation(root) == first
    assert DERIVED.computed == [] and DERIVED.reused == 8

    _edit(root, "abilities/counting-tiny-lm-1b.yaml", "ability: Counting\n", "ability: Counting to ten\n")
    edited = _memo_generation(root)
    assert sorted(DERIVED.computed) == [
        "catalog.csv:counting-tiny-lm-1b", "catalog.json:counting-tiny-lm-1b", "evidence:counting-tiny-lm-1b"]
    assert DERIVED.reused == 5
    changed = sorted(p for p in edited if p.startswith("downloads/") and edited[p] != first[p])
    assert changed == ["downloads/catalog.csv", "downloads/catalog.json"]
    assert b"Counting to ten" in edited["downloads/catalog.json"]
    assert edited == _fresh_generation(root)


def test_a_curve_edit_recomputes_the_curve_and_the_entries_it_names(tmp_path):
    root = _catalog(tmp_path)
    _forget()
    _memo_generation(root)
    _edit(root, "curves/counting.yaml", "{size: 10B, score: 0.61}", "{size: 10B, score: 0.01}")
    edited = _memo_generation(root)
    assert sorted(DERIVED.computed) == [
        "catalog.csv:counting-tiny-lm-10b", "catalog.json:counting-tiny-lm-10b", "curves.csv:counting",
        "curves.json:counting", "evidence:counting-tiny-lm-10b"]
    assert DERIVED.reused == 3
    assert b'"score":0.01' in edited["downloads/curves.json"]
    assert edited == _fresh_generation(root)


def test_a_registry_edit_recomputes_every_record(tmp_path):
    root = _catalog(tmp_path)
    _forget()
    _memo_generation(root)
    _edit(root, "models/tiny-lm.yaml", "value: 6.1e21", "value: 6.2e21")
    edited = _memo_generation(root)
    assert sorted(DERIVED.computed) == _EVERYTHING and DERIVED.reused == 0
    assert b"6.2e+21" in edited["downloads/catalog.json"]
    assert edited == _fresh_generation(root)


_OTHER_SERIES = """  - family_name: Other LM
    label: Other LM, 3-shot
    prompting: {strategy: few_shot, shots: 3}
    source: {key: roe2022emergent, locator: Table 4}
    points:
      - {params: 2e9, score: 0.03}
      - {params: 20e9, score: 0.55}
"""


def test_a_later_series_edit_rerenders_the_entry_page_that_shows_it(tmp_path):
    root = _catalog(tmp_path)
    path = root / "curves" / "counting.yaml"
    path.write_text(path.read_text(encoding="utf-8") + _OTHER_SERIES, encoding="utf-8")
    _forget()
    first = _memo_generation(root)
    assert b"Other LM" in first["abilities/counting-tiny-lm-10b.md"]  # the curve's figure, as later evidence
    _memo_generation(root)
    assert MEMO.rendered == []
    _edit(root, "curves/counting.yaml", "{params: 20e9, score: 0.55}", "{params: 20e9, score: 0.45}")
    edited = _memo_generation(root)
    assert "abilities/counting-tiny-lm-10b.md" in MEMO.rendered
    assert b"0.45" in edited["abilities/counting-tiny-lm-10b.md"] and b"0.45" not in first["abilities/counting-tiny-lm-10b.md"]
    assert edited == _fresh_generation(root)


def _site_with_api_page(root: Path, folder: Path, sources: Path) -> Path:
    """The fixture site plus the API reference page (mkdocstrings directives) and a page that cross-references it."""
    config = site_config_for(root.resolve(), folder)
    text = config.read_text(encoding="utf-8")
    assert "paths: [src]" in text and "\nnav:\n" in text
    text = text.replace("paths: [src]", f"paths: [{sources}]").replace("\nnav:\n", "\nnav:\n  - API: api.md\n")
    config.write_text(text, encoding="utf-8")
    docs = folder / "docs"
    shutil.copyfile(REPO / "site" / "api-reference.md", docs / "api.md")  # the real page, every name it links to
    (docs / "methodology.md").write_text("# Methodology\n\nStart with [load][emergence_atlas.load].\n", encoding="utf-8")
    return config


@pytest.mark.slow  # two site builds with mkdocstrings
def test_api_page_converted_once_while_the_code_is_unchanged_and_the_site_stays_the_same(tmp_path, monkeypatch):
    config = _site_with_api_page(_catalog(tmp_path), tmp_path / "config", REPO / "src")
    cache = tmp_path / "cache"
    _forget()
    cold = _mkdocs(config, tmp_path / "cold", cache, monkeypatch)
    assert cold.html.hits == 0
    _forget()  # a new process: only the cache folder is left
    warm = _mkdocs(config, tmp_path / "warm", cache, monkeypatch)
    generated = sum(1 for p in warm.pages if p.endswith(".md"))
    assert warm.html.hits == generated + 1  # every generated page and the API page
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold")
    inventory = tmp_path / "warm" / "objects.inv"
    assert inventory.is_file() and (tmp_path / "warm" / "assets" / "_mkdocstrings.css").is_file()
    # the cross-reference resolved through the replayed anchors
    methodology = (tmp_path / "warm" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert 'href="../api/#emergence_atlas.load"' in methodology


def test_api_key_follows_the_documented_sources(tmp_path):
    from mkdocs.config import load_config

    from emergence_atlas.builder.apicache import api_key

    sources = tmp_path / "pkg-src"
    (sources / "pkg").mkdir(parents=True)
    (sources / "pkg" / "__init__.py").write_text('"""A package."""\n', encoding="utf-8")
    config = load_config(str(_site_with_api_page(_catalog(tmp_path), tmp_path / "config", sources)))
    config.plugins["mkdocstrings"].on_config(config)  # which adds autorefs, as in a build
    first = api_key(config)
    assert first is not None and api_key(config) == first
    (sources / "pkg" / "__init__.py").write_text('"""A package, changed."""\n', encoding="utf-8")
    assert api_key(config) not in (None, first)
    (sources / "pkg" / "notes.txt").write_text("not Python\n", encoding="utf-8")
    assert api_key(config) == api_key(config)
    config.plugins["mkdocstrings"].config["handlers"]["python"]["paths"] = [str(tmp_path / "nowhere")]
    assert api_key(config) is None  # sources griffe would find elsewhere cannot be hashed: no caching


def test_plots_drawn_while_the_pages_convert_are_the_plots_of_a_whole_generation(tmp_path, monkeypatch):
    from emergence_atlas.builder.pages import generate_pages_deferred, plot_files

    catalog, _, _ = build_catalog(_catalog(tmp_path))
    assert catalog is not None
    _forget()
    whole = generate_pages(catalog)
    monkeypatch.setattr(plots, "PARALLEL_MIN", 2)  # a pool even for the fixture's few plots
    monkeypatch.setattr(plots, "worker_count", lambda: 2)
    _forget()
    pages, job = generate_pages_deferred(catalog)
    assert job._pool is not None  # drawing while the caller goes on
    assert not any(path.startswith("plots/") for path in pages)
    drawn = plot_files(job.result())
    assert drawn and {**pages, **drawn} == whole


def test_a_failed_build_stops_its_plot_workers():
    from emergence_atlas.builder.plugin import EmergenceAtlasPlugin

    cancelled: list[bool] = []

    class Job:
        def cancel(self) -> None:
            cancelled.append(True)

    plugin = EmergenceAtlasPlugin()
    plugin._plot_job = Job()  # type: ignore[assignment]
    plugin.on_build_error(RuntimeError("a later step failed"))
    assert cancelled == [True] and plugin._plot_job is None


def test_the_built_site_holds_every_plot_whether_drawn_or_cached(site, tmp_path, monkeypatch):
    root, config = site
    catalog, _, _ = build_catalog(root)
    _forget()
    expected = {path for path in generate_pages(catalog) if path.startswith("plots/")}
    assert expected
    cache = tmp_path / "cache"
    for out in ("cold", "warm"):
        _forget()
        _mkdocs(config, tmp_path / out, cache, monkeypatch)
        built = {p.relative_to(tmp_path / out).as_posix() for p in (tmp_path / out / "plots").rglob("*.svg")}
        assert built == expected, out


def _force_prerender(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers convert the generated pages even here (test workers run threads; the fixture has few pages)."""
    from emergence_atlas.builder import plugin as plugin_module
    from emergence_atlas.builder import prerender

    monkeypatch.setattr(prerender, "can_fork", lambda: True)
    monkeypatch.setattr(prerender, "PRERENDER_MIN", 1)
    monkeypatch.setattr(plugin_module, "worker_count", lambda: 2)


def test_pages_converted_by_workers_make_the_same_site(site, tmp_path, monkeypatch):
    _root, config = site
    _forget()
    plain = _mkdocs(config, tmp_path / "plain", tmp_path / "cache-plain", monkeypatch)
    assert plain.html.hits == 0
    _force_prerender(monkeypatch)
    _forget()
    built = _mkdocs(config, tmp_path / "workers", tmp_path / "cache-workers", monkeypatch)
    generated = sum(1 for p in built.pages if p.endswith(".md"))
    # every generated page came converted and indexed from the workers
    assert built.html.hits == generated == 31 and built.html.search_hits == 31
    assert _tree(tmp_path / "workers") == _tree(tmp_path / "plain")
    _forget()  # and the next build finds them in the cache folder
    warm = _mkdocs(config, tmp_path / "warm", tmp_path / "cache-workers", monkeypatch)
    assert warm.html.hits == 31 and _tree(tmp_path / "warm") == _tree(tmp_path / "plain")


def test_a_page_that_warns_in_a_worker_is_converted_again_by_the_build(site, tmp_path, monkeypatch, caplog):
    from mkdocs.exceptions import Abort

    from emergence_atlas.builder import plugin as plugin_module

    real = plugin_module.generate_pages_deferred

    def with_a_broken_link(*args, **kwargs):
        pages, job = real(*args, **kwargs)
        return {**pages, "broken.md": b"# Broken\n\nSee [the page](nowhere.md).\n"}, job

    monkeypatch.setattr(plugin_module, "generate_pages_deferred", with_a_broken_link)
    _force_prerender(monkeypatch)
    _root, config = site
    _forget()
    with pytest.raises(Abort, match="in strict mode"):
        _mkdocs(config, tmp_path / "out", tmp_path / "cache", monkeypatch)
    warnings = [r.getMessage() for r in caplog.records if "nowhere.md" in r.getMessage()]
    assert len(warnings) == 1 and "broken.md" in warnings[0]  # reported once, by the build itself


def test_pages_converted_with_their_raw_blocks_set_aside_make_the_same_site(site, tmp_path, monkeypatch):
    from emergence_atlas.builder import rawblocks

    _root, config = site
    real_set_aside, real_put_back = rawblocks.set_aside, rawblocks.put_back
    put_back: list[str] = []

    def counted(html, aside):
        put_back.append(html)
        return real_put_back(html, aside)

    monkeypatch.setattr(rawblocks, "put_back", counted)
    _forget()
    _mkdocs(config, tmp_path / "aside", tmp_path / "cache-aside", monkeypatch)
    assert len(put_back) == 31  # every generated page was converted with its blocks set aside
    monkeypatch.setattr(rawblocks, "set_aside", lambda markdown: None)
    _forget()
    _mkdocs(config, tmp_path / "whole", tmp_path / "cache-whole", monkeypatch)
    assert _tree(tmp_path / "aside") == _tree(tmp_path / "whole")
    # a page whose blocks do not fit back is converted as it was
    monkeypatch.setattr(rawblocks, "set_aside", real_set_aside)
    monkeypatch.setattr(rawblocks, "put_back", lambda html, aside: None)
    _forget()
    again = _mkdocs(config, tmp_path / "again", tmp_path / "cache-again", monkeypatch)
    assert _tree(tmp_path / "again") == _tree(tmp_path / "whole") and again.html.added >= 31
    # a site whose Markdown runs a whole-text step unknown to rawblocks is converted as it is
    monkeypatch.setattr(rawblocks, "put_back", counted)
    monkeypatch.setattr(rawblocks, "fits", lambda converter: False)
    put_back.clear()
    _forget()
    _mkdocs(config, tmp_path / "unknown", tmp_path / "cache-unknown", monkeypatch)
    assert put_back == [] and _tree(tmp_path / "unknown") == _tree(tmp_path / "whole")
