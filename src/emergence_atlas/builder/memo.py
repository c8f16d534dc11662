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
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


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


class GenerationMemo:
    """Values by key, kept from one generation to the next: only what the last generation used stays.

    ``computed`` lists the labels of what the last generation computed (not reused),
    ``reused`` counts the others: the tests read both. A key of None always computes.
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._next: dict[str, Any] = {}
        self.computed: list[str] = []
        self.reused = 0

    def start(self) -> None:
        """Begin a generation."""
        self._next = {}
        self.computed = []
        self.reused = 0

    def get(self, label: str, key: str | None, compute: Callable[[], T]) -> T:
        """The value under ``key``: reused when an earlier generation computed it, else computed."""
        if key is not None and key in self._values:
            value: T = self._values[key]
            self.reused += 1
        else:
            value = compute()
            self.computed.append(label)
        if key is not None:
            self._next[key] = value
        return value

    def finish(self) -> None:
        """End a generation: keep only the values it used."""
        self._values, self._next = self._next, {}


class RenderMemo(GenerationMemo):
    """Rendered pages by fingerprint; ``rendered`` names the pages the last generation rendered."""

    @property
    def rendered(self) -> list[str]:
        """Paths of the pages rendered (not reused) by the last generation."""
        return self.computed


#: The memo the site build uses (module level: it outlives ``mkdocs serve``'s plugin instances).
MEMO = RenderMemo()

__all__ = ["MEMO", "GenerationMemo", "RenderMemo", "Unkeyable", "fingerprint"]
