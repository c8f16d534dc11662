"""Safe text for the site: contributed strings become inert HTML, numbers become readable.

Part of the builder step. Every string that comes from a catalog file reaches a
page through one of these functions: :func:`esc` for plain text (HTML-escaped),
and :func:`description_html` for the small Markdown subset a description may
use (rendered with markdown-it-py with raw HTML off, then cleaned by nh3 with an
allow-list and http(s) links only).
"""

from __future__ import annotations

import html
import math
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: Tags a rendered description may contain.
ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "br"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "heading", "lheading", "table", "fence", "code", "hr", "html_block", "html_inline", "blockquote"],
    ignoreInvalid=True,
)
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def esc(text: object) -> Markup:
    """Plain text as HTML: every ``<``, ``>``, ``&`` and quote escaped."""
    return Markup(html.escape(str(text), quote=True))


def description_html(text: str) -> Markup:
    """A description's Markdown subset (emphasis, code, lists, http(s) links) as clean HTML."""
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


def _trim(number: float, digits: int = 3) -> str:
    text = f"{number:.{digits}g}"
    if "e" in text:
        text = f"{number:.{digits}f}".rstrip("0").rstrip(".")
    return text


def human_count(value: float | None) -> str:
    """``13e9`` -> ``13B``; ``40e6`` -> ``40M``; ``174.6e9`` -> ``174.6B``; None -> ``unknown``."""
    if value is None:
        return "unknown"
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= factor:
            return _trim(value / factor, 4) + suffix
    return _trim(value, 4)


def scientific(value: float | None) -> str:
    """``2.3e22`` -> ``2.3×10²²`` (mantissa to three significant figures); None -> ``unknown``."""
    if value is None:
        return "unknown"
    if value == 0 or not math.isfinite(value):
        return str(value)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if round(mantissa, 2) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    mant = _trim(mantissa, 3)
    return f"{mant}×10{str(exponent).translate(_SUPERSCRIPT)}"


def slug(text: str) -> str:
    """A URL-safe slug: lower-case a-z, 0-9, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
