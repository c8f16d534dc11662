"""The built site: every page kind, links, downloads, determinism, edit links, other engines."""

from __future__ import annotations

import html.parser
import importlib.util
import json
import shutil
from urllib.parse import unquote, urlsplit

import markupsafe
import pytest

import emergence_atlas
from emergence_atlas.builder.kinds import PAGE_KINDS
from emergence_atlas.builder.pages import generate_pages, reference_slugs
from emergence_atlas.builder.plugin import EmergenceAtlasPlugin
from emergence_atlas.export import DOWNLOADS, render, to_bibtex, to_csv, to_curves_csv, to_curves_json, to_json

from .conftest import FIXTURES, REPO, mkdocs_build, site_config_for


@pytest.fixture(scope="module")
def catalog(real_catalog):
    return real_catalog


def _html(path: str) -> str:
    """Where MkDocs (directory URLs) writes the page of a Markdown path."""
    return path[:-3] + ".html" if path.endswith("index.md") else path[:-3] + "/index.html"


def test_every_page_kind_exists(built_site, catalog):
    expected = ["index.html", "abilities/index.html", "models/index.html", "strategies/index.html",
                "references/index.html", "methodology/index.html", "contributing/index.html",
                "diagnostics/index.html", "downloads/index.html", "changelog/index.html", "vocabularies/index.html",
                "plots/emergence-map-flops-light.svg", "plots/emergence-map-params-dark.svg"]
    expected += [_html(kind.path) for kind in PAGE_KINDS if not kind.per_record]
    expected += [f"abilities/{e.id}/index.html" for e in catalog]
    expected += [f"models/{f}/index.html" for f in catalog.families]
    expected += [f"references/{s}/index.html" for s in reference_slugs(catalog).values()]
    missing = [p for p in expected if not (built_site / p).is_file()]
    assert missing == []
    assert len(expected) > 200


def test_entry_pages_stay_out_of_the_sidebar(built_site, catalog):
    page = (built_site / "diagnostics/index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"'): page.index("md-sidebar--secondary")]
    some = next(iter(catalog)).id
    assert f"abilities/{some}/" not in nav
    for section in ("abilities/", "models/", "strategies/", "references/", "methodology/", "changelog/"):
        assert section in nav


def test_downloads_are_the_export_bytes(built_site, catalog, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from emergence_atlas.cli import main

    served = sorted(p.name for p in (built_site / "downloads").iterdir() if p.name != "index.html")
    assert served == ["catalog.csv", "catalog.json", "curves.csv", "curves.json", "references.bib"]
    assert DOWNLOADS == {"catalog.json": "json", "catalog.csv": "csv", "curves.json": "curves-json",
                         "curves.csv": "curves-csv", "references.bib": "bibtex"}
    for name, fmt in DOWNLOADS.items():  # render() is what `emergence-atlas export --format FMT` writes
        assert (built_site / "downloads" / name).read_bytes() == render(catalog, fmt).encode("utf-8"), name
    assert (built_site / "downloads/catalog.json").read_text(encoding="utf-8") == to_json(catalog)
    assert (built_site / "downloads/catalog.csv").read_text(encoding="utf-8") == to_csv(catalog)
    assert (built_site / "downloads/references.bib").read_text(encoding="utf-8") == to_bibtex(catalog)
    monkeypatch.chdir(REPO)  # and the command itself, for the largest file
    result = CliRunner().invoke(main, ["export", "--format", "curves-json", "-o", str(tmp_path / "curves.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "curves.json").read_bytes() == (built_site / "downloads/curves.json").read_bytes()
    assert json.loads(to_json(catalog))["counts"]["entries"] == len(catalog)


def _point_lists(node) -> int:
    """How many curve-point lists (``points``: a list of objects with a ``score``) a JSON document holds."""
    if isinstance(node, list):
        return sum(_point_lists(item) for item in node)
    if not isinstance(node, dict):
        return 0
    points = node.get("points")
    here = int(isinstance(points, list) and bool(points) and all(isinstance(p, dict) and "score" in p for p in points))
    return here + sum(_point_lists(value) for value in node.values())


def test_catalog_json_holds_no_curve_points_and_curves_json_holds_them_all(catalog):
    entries_only = to_json(catalog)
    data = json.loads(entries_only)
    assert "curves" not in data
    assert _point_lists(data) == 0
    assert data["counts"]["curves"] == len(catalog.curves) > 0
    curves = json.loads(to_curves_json(catalog))
    assert curves["schema_version"] == data["schema_version"] == emergence_atlas.SCHEMA_VERSION
    assert [c["id"] for c in curves["curves"]] == sorted(catalog.curves)
    named = {curve_id for entry in data["entries"] for curve_id in entry["curves"]}
    assert named and named <= {c["id"] for c in curves["curves"]}
    points = sum(len(s.points) for c in catalog.curves.values() for s in c.series)
    assert curves["counts"]["points"] == points
    assert _point_lists(curves) == sum(len(c.series) for c in catalog.curves.values())
    assert len(to_curves_csv(catalog).splitlines()) == points + 1


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_internal_link_resolves(built_site):
    broken = []
    # 404.html uses absolute links on purpose (it is served at any depth)
    pages = sorted(p for p in built_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 200
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {link}")
    assert broken == []


def test_edit_link_opens_the_yaml_file(built_site):
    page = (built_site / "abilities/arithmetic-3-digit-gpt-3-13b/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/emergence-atlas/emergence-atlas/edit/main/catalog/abilities/arithmetic-3-digit-gpt-3-13b.yaml"' in page
    family = (built_site / "models/gpt-3/index.html").read_text(encoding="utf-8")
    assert "edit/main/catalog/models/gpt-3.yaml" in family


def test_scale_cells_sort_on_numeric_values(built_site):
    page = (built_site / "abilities/index.html").read_text(encoding="utf-8")
    assert 'data-sort="2.31e+22" class="atlas-num">2.31×10²²</td>' in page  # GPT-3 13B, the registry value
    assert 'data-sort="12850000000.0" class="atlas-num">12.85B</td>' in page


def test_pages_and_plots_are_deterministic(real_catalog, generated_pages, plot_cache, tmp_path):
    """Generating again gives the same bytes: pages from scratch, and one plot in eight drawn again."""
    partial = tmp_path / "plots"
    shutil.copytree(plot_cache, partial)
    cached = sorted(partial.glob("*.svg"))
    removed = cached[::8]
    for path in removed:
        path.unlink()
    assert len(removed) >= 20
    again = generate_pages(real_catalog, cache_dir=partial)
    assert sorted(p.name for p in partial.glob("*.svg")) == [p.name for p in cached]  # drawn again
    assert again == generated_pages
    svgs = [k for k in generated_pages if k.endswith(".svg")]
    assert len(svgs) >= 2 * (2 + len(real_catalog.families))
    assert b"<dc:date>" not in generated_pages[svgs[0]]


def test_two_strict_builds_give_identical_html_and_svg(built_site, plot_cache, tmp_path):
    """A second build gives the same bytes (the plots' own determinism is the test above)."""
    again = tmp_path / "again"
    result = mkdocs_build(REPO / "mkdocs.yml", again, cache=plot_cache)
    assert result.returncode == 0, result.stderr
    suffixes = (".html", ".svg", ".json", ".csv", ".bib")
    files_a = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file() and p.suffix in suffixes)
    files_b = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file() and p.suffix in suffixes)
    assert len(files_a) > 250
    assert files_a == files_b
    differing = [str(p) for p in files_a if (built_site / p).read_bytes() != (again / p).read_bytes()]
    assert differing == []


@pytest.mark.slow
def test_broken_catalog_stops_the_build_with_every_diagnostic(tmp_path):
    broken = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "many-problems", broken)
    config = site_config_for(broken, tmp_path)
    out = tmp_path / "out"
    result = mkdocs_build(config, out)
    assert result.returncode != 0
    assert "E106 duplicate key 'ability'" in result.stderr
    assert "E303 duplicate BibTeX key 'doe2021tiny'" in result.stderr
    assert "15 errors, 0 warnings in 10 files" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "index.html").exists()


@pytest.mark.slow
def test_properdocs_builds_the_same_config(built_site, plot_cache, tmp_path):
    assert importlib.util.find_spec("properdocs") is not None, "ProperDocs is a test dependency: pip install -e '.[test]'"
    out = tmp_path / "properdocs"
    result = mkdocs_build(REPO / "mkdocs.yml", out, engine="properdocs", cache=plot_cache)
    assert result.returncode == 0, result.stderr
    ours = sorted(str(p.relative_to(built_site)) for p in built_site.rglob("*.html"))
    theirs = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert ours == theirs
    assert _site_files(out) == _site_files(built_site)


#: Files an engine writes for itself, the only ones allowed to differ between engines: the theme's
#: bundled scripts and styles (Zensical ships its own build of the Material look), the search index
#: (``search/search_index.json`` or ``search.json``), the gzipped sitemap, and what mkdocstrings
#: adds (``objects.inv``, ``assets/_mkdocstrings.css``; without it the API page is a summary).
ENGINE_OWN_FILES = ("assets/javascripts/", "assets/stylesheets/", "search/", "search.json", "sitemap.xml.gz",
                    "objects.inv", "assets/_mkdocstrings.css")


def _site_files(site) -> set[str]:
    paths = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {p for p in paths if not p.startswith(ENGINE_OWN_FILES)}


@pytest.mark.slow
def test_zensical_builds_the_assembled_docs_folder_into_the_same_pages(built_site, real_catalog, plot_cache, tmp_path,
                                                                        monkeypatch):
    import subprocess
    import sys

    from click.testing import CliRunner

    from emergence_atlas.cli import main

    assert importlib.util.find_spec("zensical") is not None, "Zensical is a test dependency: pip install -e '.[test]'"
    monkeypatch.chdir(REPO)
    docs, html = tmp_path / "docs", tmp_path / "zensical-site"
    result = CliRunner().invoke(main, ["docs", str(docs), "--site-dir", str(html), "--cache", str(plot_cache)])
    assert result.exit_code == 0, result.output
    built = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(tmp_path / "docs.yml")],
                           capture_output=True, text=True, check=False, cwd=REPO)
    assert built.returncode == 0, built.stdout + built.stderr
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("index.html"))
    assert pages == sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html"))
    assert len(pages) > len(real_catalog) + 20
    assert _site_files(html) == _site_files(built_site)
    for name in ("catalog.json", "catalog.csv", "curves.json", "curves.csv", "references.bib"):
        assert (html / "downloads" / name).read_bytes() == (built_site / "downloads" / name).read_bytes(), name
    api = (html / "api-reference/index.html").read_text(encoding="utf-8")
    assert "Summary of the API reference" in api and ":::" not in api


def test_pages_command_writes_the_same_files(generated_pages, plot_cache, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from emergence_atlas.cli import main

    monkeypatch.chdir(REPO)
    out = tmp_path / "pages"
    result = CliRunner().invoke(main, ["pages", str(out), "--cache", str(plot_cache)])
    assert result.exit_code == 0, result.output
    written = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == generated_pages


def test_serve_rebuilds_when_the_catalog_changes():
    plugin = EmergenceAtlasPlugin()
    plugin.root = REPO / "catalog"
    watched = []

    class Server:
        def watch(self, path):
            watched.append(path)

    plugin.on_serve(Server(), None, None)
    assert watched == [str(REPO / "catalog")]


def test_debates_later_work_and_banners(built_site, catalog):
    contested = [e for e in catalog if any(r.type.value in ("contests", "refutes") for r in e.relations)]
    assert contested, "the catalog should hold contested entries"
    later = (built_site / "later-work/index.html").read_text(encoding="utf-8")
    for entry in catalog:
        for _ in entry.relations:
            assert f'href="../abilities/{entry.id}/"' in later
    for entry in contested:
        page = (built_site / f"abilities/{entry.id}/index.html").read_text(encoding="utf-8")
        box = page[page.index('class="atlas-claimbox"'):]
        box = box[: box.index("</div>")]
        assert "<th>status</th><td>Contested: " in box or "<th>status</th><td>Refuted: " in box, entry.id
        assert 'href="#later-work"' in box, entry.id
        for relation in entry.relations:  # each relation's note is on the page once, under Later work
            if relation.note:
                shown = str(markupsafe.escape(" ".join(relation.note.split())[:80]))
                assert page.count(shown) == 1, entry.id
    uncontested = next(e for e in catalog if not e.relations)
    page = (built_site / f"abilities/{uncontested.id}/index.html").read_text(encoding="utf-8")
    assert 'href="#later-work"' not in page
    debates = (built_site / "debates/index.html").read_text(encoding="utf-8")
    assert "metric" in debates and "later-work/" in debates


def test_beyond_scaling_lists_smaller_later_models(built_site):
    page = (built_site / "beyond-scaling/index.html").read_text(encoding="utf-8")
    crass = page[page.index('id="big-bench-crass-ai"'):]
    crass = crass[: crass.index("</table>")]
    assert crass.index("bigbench-crass-ai-palm-540b") < crass.index("bigbench-crass-ai-u-palm-62b")
    assert "new smallest" in crass and "first report" in crass


def test_evidence_level_is_visible_on_entry_pages(built_site, catalog):
    inferred = next(e for e in catalog if e.source.evidence is not None and e.source.evidence.value == "inferred")
    page = (built_site / f"abilities/{inferred.id}/index.html").read_text(encoding="utf-8")
    assert 'class="atlas-evidence"' in page
    assert "(inferred)" in page


def test_docs_name_the_one_url_that_make_serve_serves():
    """`mkdocs serve` serves under the path of site_url at dev_addr; CONTRIBUTING and the Makefile say so."""
    import re
    from urllib.parse import urlparse

    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:", 1)[0])
    url = f"http://{config['dev_addr']}{urlparse(config['site_url']).path}"
    assert url == "http://127.0.0.1:8000/emergence-atlas/"
    for doc in ("CONTRIBUTING.md", "Makefile"):
        text = (REPO / doc).read_text(encoding="utf-8")
        assert set(re.findall(r"http://127\.0\.0\.1:\d+[^\s)`]*", text)) == {url}, doc
#: Risk and mitigation entries by the section of the Emergent risks page they belong to.
RISK_SECTIONS = {
    "another-sense-of-emergent": ["emergent-misalignment-insecure-code-openai-gpt4o"],
    "inverse": ["imitative-falsehoods-truthfulqa-gpt-3-175b", "imitative-falsehoods-truthfulqa-eleutherai-6b",
                "social-bias-question-only-anthropic-rlhf-175b", "extractable-memorization-pile-eleutherai-6b",
                "sycophancy-anthropic-lm-2022-52b", "sycophancy-palm-540b", "stated-power-seeking-anthropic-lm-2022-52b",
                "shutdown-avoidance-rlhf-steps-anthropic-lm-2022-52b", "inverse-scaling-prize-tasks-gopher-280b"],
    "u-shaped": ["hindsight-neglect-openai-gpt4", "u-shaped-scaling-inverse-scaling-prize-palm-540b"],
    "smooth": ["hhh-prompt-alignment-anthropic-lm-2022-52b"],
    "mixed": ["red-team-attack-success-anthropic-lm-2022-52b"],
}


def test_risks_page_groups_harms_by_direction(built_site):
    page = (built_site / "risks/index.html").read_text(encoding="utf-8")
    sections = {part[: part.index('"')]: part for part in page.split('<h2 id="')[1:]}
    assert set(RISK_SECTIONS) <= set(sections), sorted(sections)
    for section, ids in RISK_SECTIONS.items():
        rows = {row[: row.index("</tr>")] for row in sections[section].split("<tr>")[1:] if "../abilities/" in row}
        for entry_id in ids:
            row = next((r for r in rows if f'href="../abilities/{entry_id}/"' in r), None)
            assert row is not None, (section, entry_id)
            if entry_id == "emergent-misalignment-insecure-code-openai-gpt4o":
                assert "in another sense: not a scale threshold" in row
            if entry_id == "sycophancy-anthropic-lm-2022-52b":
                assert "nostalgebraist 2023" in row and "higher is worse" in row
            if entry_id == "inverse-scaling-prize-tasks-gopher-280b":
                assert "Wei et al. 2023a, OpenAI 2023" in row
    not_entered = (built_site / "not-entered/index.html").read_text(encoding="utf-8")
    harms = not_entered[not_entered.index('id="scale-dependent-harms"'):]
    harms = harms[: harms.index("<h2")]
    assert harms.count("<li>") == 10
    assert 'href="../references/srivastava2023beyond/"' in harms
