"""Safe text for the site: contributed strings become inert HTML.

Part of the builder step. Every string that comes from a catalog file reaches a
page through one of these functions: :func:`esc` for plain text (HTML-escaped),
and :func:`description_html` for the small Markdown subset a description may
use (rendered with markdown-it-py with raw HTML off, then cleaned by nh3 with an
allow-list and http(s) links only). Numbers are formatted by
:mod:`emergence_atlas.formatting` (re-exported here for the templates' helpers).
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..formatting import human_count, scientific

__all__ = ["ALLOWED_TAGS", "description_html", "esc", "front_matter_title", "human_count", "scientific", "slug"]

#: Tags a rendered description may contain.
ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "br"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "heading", "lheading", "table", "fence", "code", "hr", "html_block", "html_inline", "blockquote"],
    ignoreInvalid=True,
)


def esc(text: object) -> Markup:
    """Plain text as HTML: every ``<``, ``>``, ``&`` and quote escaped."""
    return Markup(html.escape(str(text), quote=True))


@functools.lru_cache(maxsize=4096)
def description_html(text: str) -> Markup:
    """A description's Markdown subset (emphasis, code, lists, http(s) links) as clean HTML.

    A pure function of ``text``, so its results are kept (``mkdocs serve`` rebuilds in one process).
    """
    rendered = _md.render(text)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="noopener nofollow",
    )
    return Markup(clean.strip())


def front_matter_title(text: str) -> Markup:
    """A YAML front-matter ``title:`` line whose value is HTML-escaped and quoted.

    MkDocs themes print the title without escaping, so it is escaped here.
    """
    escaped = html.escape(" ".join(text.split()), quote=True)
    return Markup('title: "' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"')


def slug(text: str) -> str:
    """A URL-safe slug: lower-case a-z, 0-9, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
