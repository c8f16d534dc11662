"""File-scope lint rules: checks of what one catalog file holds as written, before and whatever the schema says.

Part of the lint step, run by :mod:`emergence_atlas.build` on every YAML file that
could be read (even one the schema rejects). Each rule is a function
``(document, kind)`` yielding diagnostics; add a new one to :data:`FILE_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..diagnostics import Diagnostic
from ..loading import LoadedDocument
from ..schema.validation import dotted

#: The text that marks a value of the template still to be written.
PLACEHOLDER = "TODO"


def placeholders(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text value still holding a template TODO, with its location."""
    if isinstance(value, str):
        if PLACEHOLDER in value:
            yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from placeholders(item, (*loc, key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from placeholders(item, (*loc, i))


def template_placeholders(doc: LoadedDocument, kind: str) -> Iterator[Diagnostic]:
    """E212: a value still holding the template's TODO."""
    for loc, text in placeholders(doc.data):
        yield doc.diagnostic(loc, "E212", f"{dotted(loc)}: still the template's placeholder {text.strip()!r}",
                             of_value=True)


FileRule = Callable[[LoadedDocument, str], Iterable[Diagnostic]]

#: Every file rule, run in this order on each readable YAML file.
FILE_RULES: tuple[FileRule, ...] = (template_placeholders,)


def run_file_rules(doc: LoadedDocument, kind: str) -> list[Diagnostic]:
    """Every file rule on one document of ``kind`` (entry, family or curve)."""
    return [d for rule in FILE_RULES for d in rule(doc, kind)]


def one_per_placeholder(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Every diagnostic, except that a value still holding a placeholder (E212) gets only that one.

    ``model.family: TODO`` is not also an invalid identifier or an unknown family; when
    the other diagnostic lists the allowed values, the E212 message lists them too.
    """
    placeholder_at = {(d.path, d.line, d.col): d for d in diags if d.code == "E212"}
    hints: dict[tuple[str, int, int], str] = {}
    for d in diags:
        where = (d.path, d.line, d.col)
        if d.code != "E212" and where in placeholder_at and "; use one of " in d.message:
            hints[where] = d.message[d.message.index("; use one of ") :]
    out = []
    for d in diags:
        where = (d.path, d.line, d.col)
        if d.code == "E212":
            out.append(Diagnostic(d.path, d.line, d.col, d.code, d.message + hints.get(where, "")))
        elif where not in placeholder_at:
            out.append(d)
    return out
