"""Catalog-scope lint rules: checks that need every file at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, display_path

if TYPE_CHECKING:
    from ..catalog import CatalogFiles
    from ..references import Reference
    from ..schema.models import AbilityEntry, Curve, ModelFamily


def unused_references(entries: dict[str, AbilityEntry], families: dict[str, ModelFamily], curves: dict[str, Curve],
                      references: dict[str, Reference], files: CatalogFiles) -> list[Diagnostic]:
    """W306: a work in references.bib that no entry, model family or curve cites."""
    if files.bibliography is None:
        return []
    cited: set[str] = set()
    for records in (entries, families, curves):
        for record in records.values():
            cited.update(record.cited_keys())
    shown = display_path(files.bibliography)
    return [
        Diagnostic(shown, ref.line, 1, "W306", f"reference '{key}' is not cited by any entry, model family or curve")
        for key, ref in references.items()
        if key not in cited
    ]
