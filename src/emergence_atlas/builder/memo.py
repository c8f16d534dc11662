"""Render memo: a generated page is rendered again only when what it shows changed.

Part of the builder step, used by :func:`emergence_atlas.builder.pages.generate_pages`
when the MkDocs plugin asks for it. ``mkdocs serve`` rebuilds in the same
process, with a new plugin instance each time; this module-level memo survives
that. Each page is keyed by a fingerprint of everything its template receives:
the template name, the context (records, rows, figures: walked field by field,
so a changed value anywhere changes the key) and the lookups every template
shares (reference slugs and citation labels). The code is fixed for the life of
a process, so it needs no place in the key. A value that cannot be fingerprinted
(an object of unknown kind) makes the page render every time: the memo can cost
a render, never show a stale page.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel


class Unkeyable(Exception):
    """A context value whose content cannot be fingerprinted."""


@functools.cache
def _custom_serialiser(model: type[BaseModel]) -> bool:
    """True when a model (or one it nests) may leave a field out of its JSON: then it is walked instead."""
    for field in model.model_fields.values():
        if field.exclude or field.repr is False:
            return True
    decorators = model.__pydantic_decorators__
    return bool(decorators.field_serializers or decorators.model_serializers or decorators.computed_fields)


def _walk(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        out.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, enum.Enum):
        out.append(f"E:{type(value).__qualname__}.{value.name}")
    elif isinstance(value, PurePath):
        out.append(f"P:{value}")
    elif isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            _walk(key, out)
            _walk(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _walk(item, out)
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        parts: list[str] = []
        for item in value:
            one: list[str] = []
            _walk(item, one)
            parts.append("".join(one))
        out.append("s{" + "|".join(sorted(parts)) + "}")
    elif isinstance(value, BaseModel):
        # every field, serialised by pydantic (faster than a walk; the schema's models neither
        # exclude nor customise a field; a model that does so is walked field by field instead)
        if type(value).__pydantic_serializer__ is not None and not _custom_serialiser(type(value)):
            out.append(f"M:{type(value).__qualname__}:{value.model_dump_json(round_trip=True)}")
            return
        out.append(f"M:{type(value).__qualname__}(")
        for name in type(value).model_fields:
            out.append(name)
            _walk(getattr(value, name), out)
        out.append(")")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"D:{type(value).__qualname__}(")
        for f in dataclasses.fields(value):
            out.append(f.name)
            _walk(getattr(value, f.name), out)
        out.append(")")
    elif callable(value) and hasattr(value, "__code__") and not getattr(value, "__self__", None):
        # a plain function or lambda: its code is fixed in this process; what it closes over is walked
        out.append(f"F:{value.__module__}.{value.__qualname__}")
        for cell in value.__closure__ or ():
            _walk(cell.cell_contents, out)
    else:
        raise Unkeyable(type(value).__qualname__)


def fingerprint(*values: Any) -> str | None:
    """A hash of the content of ``values``, or None when one of them cannot be walked."""
    out: list[str] = []
    try:
        for value in values:
            _walk(value, out)
    except (Unkeyable, RecursionError):
        return None
    return hashlib.sha256("\x1f".join(out).encode("utf-8", "surrogatepass")).hexdigest()


class RenderMemo:
    """Rendered pages by fingerprint, kept from one generation to the next.

    ``rendered`` lists the pages rendered (not reused) by the last generation, ``reused``
    counts the others: the tests read both. Only the pages of the last generation are
    kept, so the memo holds one site's pages at most.
    """

    def __init__(self) -> None:
        self._pages: dict[str, bytes] = {}
        self._next: dict[str, bytes] = {}
        self.rendered: list[str] = []
        self.reused = 0

    def start(self) -> None:
        """Begin a generation."""
        self._next = {}
        self.rendered = []
        self.reused = 0

    def get(self, path: str, key: str | None, render: Callable[[], bytes]) -> bytes:
        """The page at ``path`` with fingerprint ``key``: reused when rendered before, else rendered."""
        if key is not None:
            found = self._pages.get(key)
            if found is not None:
                self.reused += 1
                self._next[key] = found
                return found
        data = render()
        self.rendered.append(path)
        if key is not None:
            self._next[key] = data
        return data

    def finish(self) -> None:
        """End a generation: keep only the pages it produced."""
        self._pages, self._next = self._next, {}


#: The memo the site build uses (module level: it outlives ``mkdocs serve``'s plugin instances).
MEMO = RenderMemo()

__all__ = ["MEMO", "RenderMemo", "Unkeyable", "fingerprint"]
