"""The page-kind table is the one definition: generator, navigation, edit links and tests agree with it."""

from __future__ import annotations

import fnmatch

import pytest
import yaml

import emergence_atlas
from emergence_atlas.builder.kinds import KINDS, PAGE_KINDS, PageKind, edit_sources
from emergence_atlas.builder.pages import generate_pages, reference_slugs

from .conftest import FIXTURES, REPO


def _nav(items, section=()):
    """``{path: (section..., title)}`` of a MkDocs nav."""
    out = {}
    for item in items:
        (title, value), = item.items()
        if isinstance(value, list):
            out.update(_nav(value, (*section, title)))
        else:
            out[value] = (*section, title)
    return out


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    catalog = emergence_atlas.load(FIXTURES / "valid")
    return catalog, generate_pages(catalog, cache_dir=tmp_path_factory.mktemp("plots"))


def test_every_kind_with_a_nav_place_is_in_mkdocs_nav_there(config):
    nav = _nav(config["nav"])
    placed = [kind for kind in PAGE_KINDS if kind.nav is not None]
    assert len(placed) == 12
    assert {kind.path: nav.get(kind.path) for kind in placed} == {kind.path: kind.nav for kind in placed}


def test_every_generated_page_in_mkdocs_nav_has_a_kind(config, pages):
    _, generated = pages
    nav_paths = set(_nav(config["nav"]))
    generated_in_nav = sorted(p for p in nav_paths if p in generated)
    assert generated_in_nav == sorted(kind.path for kind in PAGE_KINDS if kind.nav is not None)


def test_pages_per_record_are_kept_out_of_the_nav(config):
    patterns = [line.strip() for line in config["not_in_nav"].splitlines() if line.strip()]
    for kind in PAGE_KINDS:
        if kind.per_record:
            sample = "/" + kind.path_for("some-record")
            assert any(fnmatch.fnmatch(sample, p) for p in patterns), kind.name


def test_every_generated_page_has_exactly_one_kind_and_every_kind_has_pages(pages):
    _, generated = pages
    markdown = [p for p in generated if p.endswith(".md")]
    kind_of = {}
    for path in markdown:
        matches = [k.name for k in PAGE_KINDS if fnmatch.fnmatch(path, k.path.replace("{key}", "*"))
                   and (k.per_record or path == k.path) and not (k.per_record and path.endswith("/index.md"))]
        assert len(matches) == 1, (path, matches)
        kind_of[path] = matches[0]
    assert set(kind_of.values()) == set(KINDS)


def test_edit_links_come_from_the_kinds(pages):
    catalog, generated = pages
    sources = edit_sources(catalog, reference_slugs(catalog))
    expected = {f"abilities/{e}.md": p for e, p in catalog.files.entries.items()}
    expected |= {f"models/{f}.md": p for f, p in catalog.files.families.items()}
    expected |= {f"references/{s}.md": catalog.files.bibliography for s in reference_slugs(catalog).values()}
    assert sources == expected
    assert len(sources) == 2 + 1 + len(catalog.references)
    assert set(sources) <= set(generated)


def test_a_kind_refuses_a_nav_place_for_pages_per_record_and_unknown_edit_sources():
    with pytest.raises(ValueError, match="stay out of the navigation"):
        PageKind("x", "x/{key}.md", "x.md.j2", nav=("X",))
    with pytest.raises(ValueError, match="edit must be one of"):
        PageKind("x", "x.md", "x.md.j2", edit="curve")
