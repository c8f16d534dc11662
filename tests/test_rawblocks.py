"""Raw HTML blocks set aside while Markdown converts a generated page: the same HTML and anchors as without."""

from __future__ import annotations

import functools
from pathlib import Path

import markdown
import markdown.extensions
import markdown.preprocessors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.structure.pages import _HTMLHandler
from mkdocs.utils import meta

from emergence_atlas.build import load_catalog
from emergence_atlas.builder.pages import generate_pages_deferred
from emergence_atlas.builder.rawblocks import TOKEN, anchor_ids, fits, put_back, set_aside

from .conftest import FIXTURES, REPO


@functools.cache
def _extensions() -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """The site's Markdown extensions and their options as MkDocs reads mkdocs.yml (its defaults included)."""
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    options = {name: dict(value) for name, value in (config["mdx_configs"] or {}).items()}
    options.setdefault("pymdownx.snippets", {})["base_path"] = [str(REPO)]
    return tuple(config["markdown_extensions"]), options


def _converter() -> markdown.Markdown:
    names, options = _extensions()
    return markdown.Markdown(extensions=list(names), extension_configs=options)


def _convert(text: str) -> str:
    return _converter().convert(text)


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
    assert set_aside(text) is None  # on its own: nothing set aside
    before = '<div id="before">a plain block first</div>\n\n'
    aside = set_aside(before + text)
    assert aside is not None and aside.blocks == [before.rstrip("\n") + "\n"]  # the plain block before it is
    assert aside.markdown.endswith(text)  # the run and everything after it left as they were
    assert put_back(_convert(aside.markdown), aside) == _convert(before + text)


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


# -- random documents: whatever is set aside converts as it would have -----------------------

_WORDS = st.sampled_from(["alpha", "beta", "x &amp; y", "a&lt;b", "*emph*", "`code`", "[link](#top)", "gamma"])
_IDS = st.sampled_from(["a", "b", "sec-1", "x&amp;y"])


@st.composite
def _chunk(draw: st.DrawFn) -> str:
    word, anchor = draw(_WORDS), draw(_IDS)
    return draw(st.sampled_from([
        f"## Heading {word}",
        f"Paragraph {word} and more {word}",
        f'<div class="box" id="{anchor}"><p>{word}</p></div>',
        f"<table><thead><tr><th>{word}</th></tr></thead><tbody><tr><td>{word}</td></tr></tbody></table>",
        f'<figure><img src="p.svg" alt="{word}"></figure>\n<p class="cap">{word}</p>',
        f"<details><summary>{word}</summary><div><div>{word}</div></div></details>",
        f"<div>\n<p>{word}</p>\n\n<p id=\"{anchor}\">{word}</p>\n</div>",  # a block across a blank line
        f"<div>{word}</div>\ntext right after {word}",
        f"<!-- {word} -->",
        f"<span>{word}</span> tail",
        f"<hr>\n<p>{word}</p>",
        f"    <div>indented code {word}</div>",
        f"  <div id=\"{anchor}\">{word}</div>",
        f"- item {word}\n- <div>{word}</div>",
        f"> quoted <div>{word}</div>",
        f"```\n<div id=\"{anchor}\">in a fence</div>\n```",
        f"!!! note\n\n    <div>{word}</div>",
        f"<p>{word}</p><p>{word}</p>",
        f"<div><p>{word}</p></div> trailing {word}",
        f"<section><div>{word}</div></section>",
        f"<ul><li>{word}</li></ul>\n<ol><li>{word}</li></ol>",
        f"<div>{word}<br/></div>",
        f'<pre class="b"><code>@misc{{k,\n  title = {{{word}}}\n}}</code></pre>',
        '<div>\n--8<-- "CITATION.cff"\n</div>',
        f"<div>\t{word}</div>\n<p>a\rb\x02c</p>",  # characters Markdown rewrites everywhere
        f"<div>\n```\n<p id=\"{anchor}\">{word}</p>\n```\n</div>",  # a fence inside HTML (read before the HTML)  # a snippet line (pymdownx.snippets reads it inside HTML too)
    ]))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(_chunk(), st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n"])), min_size=1, max_size=8),
       st.sampled_from(["", "\n"]))
def test_whatever_is_set_aside_converts_and_anchors_as_it_would_have(chunks, end):
    text = "".join(chunk + sep for chunk, sep in chunks[:-1]) + chunks[-1][0] + end
    aside = set_aside(text)
    if aside is None:
        return
    restored = put_back(_convert(aside.markdown), aside)
    assert restored is not None  # a placeholder that does not come out whole would cost a second conversion
    assert restored == _convert(text)
    assert anchor_ids(aside) | _anchors(aside.markdown) == _anchors(text)


def test_the_sites_markdown_runs_only_known_whole_text_steps_and_another_extension_stops_setting_aside():
    assert "fenced_code" in _extensions()[0]  # MkDocs' defaults are part of the check
    assert fits(_converter())

    class Shout(markdown.preprocessors.Preprocessor):
        def run(self, lines):
            return [line.upper() for line in lines]

    class ShoutExtension(markdown.extensions.Extension):
        def extendMarkdown(self, md):
            md.preprocessors.register(Shout(md), "shout", 25)

    names, options = _extensions()
    assert not fits(markdown.Markdown(extensions=[*names, ShoutExtension()], extension_configs=options))
