"""The reporter every lint rule reports through, and the records the rules read.

Part of the lint step. A rule never builds a :class:`Diagnostic` by hand for a
catalog record: it names the record, the field (a location such as
``("scale", "params", "value")``), the code and the message, and the reporter
points the diagnostic at that field's ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalog import CatalogFiles
from ..diagnostics import Diagnostic
from ..loading import LoadedDocument
from ..references import Reference
from ..schema.models import AbilityEntry, Curve, ModelFamily

#: The kinds of record a rule can report on, as the reporter names them.
RECORD_KINDS = ("entry", "family", "curve")


class Reporter:
    """Collects the diagnostics of one lint run."""

    def __init__(self, docs: Mapping[tuple[str, str], LoadedDocument]):
        self._docs = docs
        self.diagnostics: list[Diagnostic] = []

    def at(self, kind: str, record_id: str, loc: tuple[Any, ...], code: str, message: str) -> None:
        """Report ``code`` at the value of field ``loc`` of the ``kind`` record ``record_id``."""
        self.diagnostics.append(self._docs[(kind, record_id)].diagnostic(loc, code, message, of_value=True))

    def add(self, diagnostic: Diagnostic) -> None:
        """Report a diagnostic placed by the rule itself (e.g. a line of references.bib)."""
        self.diagnostics.append(diagnostic)


@dataclass(frozen=True)
class LintContext:
    """Everything the rules may read: the records of every file that could be read, and where they are.

    ``docs`` holds the raw YAML of each record (for rules about what was written,
    such as template placeholders), keyed by ``(kind, id)``; ``pruned`` the top-level
    fields left out of a record whose file has schema errors.
    """

    entries: Mapping[str, AbilityEntry]
    families: Mapping[str, ModelFamily]
    curves: Mapping[str, Curve]
    references: Mapping[str, Reference]
    files: CatalogFiles
    docs: Mapping[tuple[str, str], LoadedDocument] = field(default_factory=dict)
    pruned: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    cited_elsewhere: frozenset[str] = frozenset()

    def left_out(self, kind: str, record_id: str, name: str) -> bool:
        """True when field ``name`` of the record had a schema error and was left out for the rules
        (a rule about the absence of something skips such a record)."""
        return name in self.pruned.get((kind, record_id), frozenset())
