"""Catalog-scope lint rules: checks that need every file at once.

Part of the lint step. Each rule is a function ``(context, report)``; add a new
one to :data:`CATALOG_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic, display_path
from .report import LintContext, Reporter


def unused_references(ctx: LintContext, report: Reporter) -> None:
    """W306: a work in references.bib that no entry, model family or curve cites.

    Works that a hand-written page or a data file cites count as cited when
    ``cited-elsewhere.yaml`` lists them with that place.
    """
    if ctx.files.bibliography is None:
        return
    cited: set[str] = set(ctx.cited_elsewhere)
    for records in (ctx.entries, ctx.families, ctx.curves):
        for record in records.values():
            cited.update(record.cited_keys())
    shown = display_path(ctx.files.bibliography)
    for key, ref in ctx.references.items():
        if key not in cited:
            report.add(Diagnostic(shown, ref.line, 1, "W306",
                                  f"reference '{key}' is not cited by any entry, model family or curve"))


CatalogRule = Callable[[LintContext, Reporter], None]

#: Every catalog rule, run once per lint.
CATALOG_RULES: tuple[CatalogRule, ...] = (unused_references,)
