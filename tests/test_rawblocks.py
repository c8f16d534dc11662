"""Raw HTML blocks set aside while Markdown converts a generated page: the same HTML and anchors as without."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.structure.pages import _HTMLHandler
from mkdocs.utils import meta

from emergence_atlas.build import load_catalog
from emergence_atlas.builder.pages import generate_pages_deferred
from emergence_atlas.builder.rawblocks import TOKEN, anchor_ids, put_back, set_aside

from .conftest import FIXTURES, REPO


def _extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    """The site's Markdown extensions and their options, as mkdocs.yml lists them."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0])
    names: list[str] = []
    options: dict[str, dict[str, object]] = {}
    for item in config["markdown_extensions"]:
        name = item if isinstance(item, str) else next(iter(item))
        names.append(name)
        if isinstance(item, dict):
            options[name] = {**item[name], **({"base_path": [str(REPO)]} if name == "pymdownx.snippets" else {})}
    return names, options


def _convert(text: str) -> str:
    names, options = _extensions()
    return markdown.Markdown(extensions=names, extension_configs=options).convert(text)


def _anchors(text: str) -> set[str]:
    """The anchors MkDocs finds in a page's raw HTML (its own parser)."""
    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return set(parser.present_anchor_ids)


def _both_ways(text: str) -> tuple[str, str, set[str], set[str]]:
    """(HTML as converted, HTML with blocks set aside, anchors as found, anchors with blocks set aside)."""
    aside = set_aside(text)
    assert aside is not None
    restored = put_back(_convert(aside.markdown), aside)
    assert restored is not None
    return _convert(text), restored, _anchors(text), anchor_ids(aside) | _anchors(aside.markdown)


def _generated_markdown(root: Path) -> dict[str, str]:
    pages, _plots = generate_pages_deferred(load_catalog(root), start_plots=False)
    return {uri: meta.get_data(data.decode("utf-8"))[0] for uri, data in pages.items() if uri.endswith(".md")}


def _check_every_page(pages: dict[str, str]) -> int:
    blocks = 0
    for uri, text in pages.items():
        aside = set_aside(text)
        assert aside is not None, uri
        blocks += len(aside.blocks)
        as_converted, set_aside_html, anchors, set_aside_anchors = _both_ways(text)
        assert set_aside_html == as_converted, uri
        assert set_aside_anchors == anchors, uri
    return blocks


def test_every_generated_page_of_the_fixture_catalog_converts_the_same_with_its_blocks_set_aside():
    pages = _generated_markdown(FIXTURES / "valid")
    assert len(pages) == 31
    assert _check_every_page(pages) > 100


@pytest.mark.slow  # the real catalog's 300 pages, converted twice
def test_every_generated_page_of_the_real_catalog_converts_the_same_with_its_blocks_set_aside():
    pages = _generated_markdown(REPO / "catalog")
    assert len(pages) > 250
    assert _check_every_page(pages) > 1000


def test_consecutive_elements_form_one_block_and_keep_the_blank_line_before_more_text():
    text = ('<h1>Title</h1>\n\n<figure><img src="a.svg" alt=""></figure>\n<p class="cap">A <em>caption</em></p>\n'
            '<details><summary>Numbers</summary><div><table><tr><td>1</td></tr></table></div></details>\n\n'
            "## Section\n\nSome *text*.\n\n<div id=\"last\">end</div>\n")
    aside = set_aside(text)
    assert aside is not None and len(aside.blocks) == 3
    assert aside.blocks[0] == "<h1>Title</h1>\n"
    assert aside.blocks[1].startswith("<figure>") and aside.blocks[1].endswith("</details>\n")
    assert aside.blocks[2] == '<div id="last">end</div>'  # nothing follows: no blank line kept
    as_converted, set_aside_html, anchors, set_aside_anchors = _both_ways(text)
    assert set_aside_html == as_converted
    assert set_aside_anchors == anchors == {"last"}  # (headings get theirs from the toc extension)


@pytest.mark.parametrize("text", [
    "<div>\n<p>a</p>\n\n<p>b</p>\n</div>\n\n<div>after</div>\n",  # a block across a blank line
    "<div>a</div>\ntext right after\n\n<div>after</div>\n",  # text in the run
    "<!-- note -->\n\n<div>after</div>\n",  # a comment
    "<div><script>var x = '<div>';</script></div>\n\n<div>after</div>\n",  # raw text elements
    '<div markdown="1">*md*</div>\n\n<div>after</div>\n',  # Markdown inside HTML
    "  <div>indented</div>\n\n<div>after</div>\n",  # indented
    "<hr>\n\n<div>after</div>\n",  # a void element on its own
    "<span>inline</span>\n\n<div>after</div>\n",  # an inline element starts a paragraph: Markdown's
    "Text\n<div>a block right after a line of text</div>\n\n<div>after</div>\n",
    "```\n\n<div>in a fence</div>\n\n```\n\n<div>after</div>\n",  # a code fence (for an extension that reads it)
])
def test_a_run_that_is_not_plainly_one_block_is_left_to_markdown_with_everything_after_it(text):
    aside = set_aside(text)
    if aside is not None:  # what came before the run may be set aside; the run and the rest are left as they are
        assert "<div>after</div>" in aside.markdown
        assert put_back(_convert(aside.markdown), aside) == _convert(text)
    if not text.startswith("<div>"):  # nothing before the run: nothing set aside
        assert aside is None


def test_a_page_holding_the_placeholder_word_is_not_set_aside():
    text = "<div>a</div>\n\n<div>b</div>\n"
    assert set_aside(text) is not None
    assert set_aside(text + "\nThe word atlasrawblock000001.\n") is None


def test_put_back_refuses_html_where_a_placeholder_did_not_come_out_as_its_own_paragraph():
    text = "<div>a</div>\n\n<div>b</div>\n\n## Heading\n"
    aside = set_aside(text)
    assert aside is not None and len(aside.blocks) == 2
    converted = _convert(aside.markdown)
    assert put_back(converted, aside) == _convert(text)
    first = f"<p>{TOKEN}000000</p>"
    assert put_back(converted.replace(first, ""), aside) is None  # one missing
    assert put_back(converted.replace(first, first + first), aside) is None  # one twice
    assert put_back(converted.replace(first, f"<div>{TOKEN}000000</div>"), aside) is None  # not a paragraph


def test_anchor_ids_read_ids_on_any_tag_and_names_on_links_only_with_entities_decoded():
    aside = set_aside('<div id="a&amp;b"><a name="n1">x</a><span name="not-an-anchor" id=\'q\'>y</span></div>\n')
    assert aside is not None
    assert anchor_ids(aside) == {"a&b", "n1", "q"} == _anchors(aside.blocks[0])
