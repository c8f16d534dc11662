"""Lint rules: checks on top of the loader and the catalog's cross-links.

Part of the lint step. The loader, the schema and :mod:`emergence_atlas.catalog`
already report every error; the rules here add checks of the catalog as a whole
(grouped by scope in the modules beside this one). ``run_rules`` is called by
:func:`emergence_atlas.catalog.build_catalog`, so the library, the linter and the
site all see the same diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog_rules import unused_references

if TYPE_CHECKING:
    from ..catalog import CatalogFiles
    from ..diagnostics import Diagnostic
    from ..references import Reference
    from ..schema.models import AbilityEntry, Curve, ModelFamily


def run_rules(entries: dict[str, AbilityEntry], families: dict[str, ModelFamily], curves: dict[str, Curve],
              references: dict[str, Reference], files: CatalogFiles) -> list[Diagnostic]:
    """Every lint rule over the validated records."""
    return [*unused_references(entries, families, curves, references, files)]
