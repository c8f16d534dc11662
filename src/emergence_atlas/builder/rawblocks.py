"""Raw HTML blocks of a generated page, set aside while Markdown converts the page and put back after.

Part of the builder step, used by the MkDocs plugin
(:mod:`emergence_atlas.builder.plugin`) on the generated pages the HTML cache
(:mod:`emergence_atlas.builder.htmlcache`) lacks. A generated page is mostly
raw HTML blocks (tables, figures, claim boxes) between Markdown headings.
Python-Markdown passes a raw block through unchanged, but finds where it ends by
running an HTML parser over it, and MkDocs parses the whole page once more to
find its anchors: two slow passes over text that comes out as it went in.

:func:`set_aside` replaces each raw block that is plainly one, a run of lines
that starts, after a blank line, with a block-level tag that closes exactly at
the run's end, by a one-word paragraph; :func:`put_back` puts the blocks back
into the converted HTML where those paragraphs came out, in the form
Python-Markdown gives a raw block, and :func:`anchor_ids` finds the ``id`` (and
``<a name>``) values the blocks hold, as MkDocs would. A run that is not plainly
one block (a block spanning blank lines, a comment, a script, ``markdown=``, a snippet line, a tab),
and everything after it, is left to Markdown, as is everything from a code fence on. The HTML is the same as without
setting aside (a test converts every generated page both ways); when a
placeholder does not come out as its own paragraph, :func:`put_back` says so and
the plugin converts the page as it was. A site whose Markdown extensions add a step
over the whole text that this module does not know (:func:`fits`) is not set aside.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from markdown.util import BLOCK_LEVEL_ELEMENTS

#: The word of the placeholder paragraphs (with a six-digit number); a page that holds it is not set aside.
TOKEN = "atlasrawblock"
_PLACEHOLDER = re.compile(rf"<p>{TOKEN}(\d{{6}})</p>")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
#: Text that makes a run more than a plain raw block (left to Markdown): comments, raw-text elements,
#: md_in_html, snippet lines and code fences (read inside HTML too, before Markdown looks for it), and the characters
#: Markdown rewrites in the whole text before it looks for HTML (tabs, carriage returns, STX and ETX).
_REFUSED = re.compile(r"<!|<\?|<(?:script|style)\b|\smarkdown\s*=|-8<-|```|~~~|[\t\r\x02\x03]", re.IGNORECASE)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


#: The steps over a page's whole text, before and after the conversion proper, whose effect on a
#: plain block :func:`set_aside` knows (it refuses what they would change); the other steps of a
#: conversion see a set-aside block as they see one Markdown stashed, as one opaque paragraph.
KNOWN_WHOLE_TEXT_STEPS = frozenset({
    "markdown.preprocessors.NormalizeWhitespace",
    "markdown.preprocessors.HtmlBlockPreprocessor",
    "markdown.extensions.fenced_code.FencedBlockPreprocessor",
    "pymdownx.snippets.SnippetPreprocessor",
    "markdown.postprocessors.RawHtmlPostprocessor",
    "markdown.postprocessors.AndSubstitutePostprocessor",
    "markdown.postprocessors.UnescapePostprocessor",
})


def fits(converter: Any) -> bool:
    """True when a Markdown converter with the site's extensions runs no whole-text step unknown here.

    Only then does a page converted with its blocks set aside come out the same; a site
    whose extensions add another (say one that rewrites markup anywhere in the text) is
    converted as it is.
    """
    steps = [*converter.preprocessors, *converter.postprocessors]
    return all(f"{type(step).__module__}.{type(step).__qualname__}" in KNOWN_WHOLE_TEXT_STEPS for step in steps)


@dataclass
class SetAside:
    """A page's Markdown with its plain raw blocks replaced by placeholder paragraphs, and the blocks."""

    markdown: str
    #: Each block as Python-Markdown emits it (with the newline it keeps before a blank line).
    blocks: list[str] = field(default_factory=list)


def _placeholder(index: int) -> str:
    return f"{TOKEN}{index:06d}"


def _plain_run(run: str) -> bool:
    """True when ``run`` is block-level elements one after another, each opening at a line's start and closing at its end."""
    start, name, depth = 0, "", 0
    for match in _TAG.finditer(run):
        tag = match.group(2).lower()
        closing = bool(match.group(1))
        if not name:  # between elements: the next must open right here
            if (match.start() != start or closing or tag not in BLOCK_LEVEL_ELEMENTS or tag in _VOID
                    or match.group(3).rstrip().endswith("/")):
                return False
            name, depth = tag, 1
            continue
        if tag != name or tag in _VOID:
            continue
        if closing:
            depth -= 1
        elif not match.group(3).rstrip().endswith("/"):
            depth += 1
        if depth == 0:
            line_end = run.find("\n", match.end())
            if run[match.end():line_end if line_end >= 0 else len(run)]:
                return False
            if line_end < 0:
                return True
            start, name = line_end + 1, ""
    return False


def set_aside(markdown: str) -> SetAside | None:
    """``markdown`` with its plain raw HTML blocks set aside; None when there is none to set aside."""
    if TOKEN in markdown:
        return None
    lines = markdown.split("\n")
    aside = SetAside("")
    out: list[str] = []
    last_text = max((k for k, line in enumerate(lines) if line.strip()), default=-1)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.lstrip(" ").startswith(("```", "~~~")):  # a fenced block (with an extension that reads them)
            out.extend(lines[i:])
            break
        if line.lstrip(" ")[:1] != "<" or len(line) - len(line.lstrip(" ")) > 3:
            out.append(line)  # Markdown text (or indented code)
            i += 1
            continue
        end = i
        while end + 1 < n and lines[end + 1].strip():
            end += 1
        run = "\n".join(lines[i:end + 1])
        follows = lines[end + 1] if end + 1 < n else ""
        plain = ((i == 0 or lines[i - 1] == "") and follows.strip(" ") == ""
                 and not _REFUSED.search(run) and _plain_run(run))
        if not plain:
            out.extend(lines[i:])  # not plainly one block: Markdown reads the rest as it is
            break
        out.append(_placeholder(len(aside.blocks)))
        aside.blocks.append(run + ("\n" if end + 1 < last_text else ""))  # a blank line follows, then more text
        i = end + 1
    if not aside.blocks:
        return None
    aside.markdown = "\n".join(out)
    return aside


def put_back(converted: str, aside: SetAside) -> str | None:
    """The converted HTML with every block back in its place; None when a placeholder did not come out whole."""
    found: list[int] = []

    def block(match: re.Match[str]) -> str:
        index = int(match.group(1))
        found.append(index)
        return aside.blocks[index] if index < len(aside.blocks) else match.group(0)

    restored = _PLACEHOLDER.sub(block, converted)
    if sorted(found) != list(range(len(aside.blocks))) or TOKEN in restored:
        return None
    return restored


def anchor_ids(aside: SetAside) -> set[str]:
    """The anchors the set-aside blocks hold: every ``id`` value, and ``name`` on ``<a>`` (MkDocs' rule)."""
    ids: set[str] = set()
    for block in aside.blocks:
        for match in _TAG.finditer(block):
            if match.group(1):
                continue
            tag = match.group(2).lower()
            for attribute in _ATTRIBUTE.finditer(match.group(3)):
                key = attribute.group(1).lower()
                if key == "id" or (key == "name" and tag == "a"):
                    value = next((v for v in attribute.group(2, 3, 4) if v is not None), None)
                    if value is not None:
                        ids.add(html.unescape(value))
    return ids


__all__ = ["KNOWN_WHOLE_TEXT_STEPS", "TOKEN", "SetAside", "anchor_ids", "fits", "put_back", "set_aside"]
