"""Lint: every rule about a file as written or across files, grouped by scope, run through one reporter.

The lint step, between the schema and the :class:`~emergence_atlas.catalog.Catalog`:
:func:`emergence_atlas.build.build_catalog` loads and validates every file, then
calls :func:`run_rules`, so the library, the linter and the site all see the same
diagnostics. Checks of one file alone live with the loader, the schema and the
bibliography; the checks that look across files live here, one module per scope
(the file rules, run on each file as it is read, sit here too):

* :mod:`.file_rules` (one file as written, whatever the schema says: template placeholders),
* :mod:`.entry_rules` (one ability entry against the registry, bibliography, ...),
* :mod:`.family_rules` (one model family),
* :mod:`.curve_rules` (one scaling curve),
* :mod:`.catalog_rules` (the catalog as a whole).

To add a rule: write a function in the module of its scope, add it to that
module's tuple of rules, and add its code to :data:`emergence_atlas.diagnostics.CODES`
with a broken fixture in ``tests/fixtures/broken`` (a test enforces both).
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from .catalog_rules import CATALOG_RULES
from .curve_rules import CURVE_RULES
from .entry_rules import ENTRY_RULES
from .family_rules import FAMILY_RULES
from .report import LintContext, Reporter

__all__ = ["CATALOG_RULES", "CURVE_RULES", "ENTRY_RULES", "FAMILY_RULES", "LintContext", "Reporter", "run_rules"]


def run_rules(ctx: LintContext) -> list[Diagnostic]:
    """Every lint rule over the records of ``ctx``, scope by scope."""
    report = Reporter(ctx.docs)
    for family in ctx.families.values():
        for family_rule in FAMILY_RULES:
            family_rule(ctx, family, report)
    for entry in ctx.entries.values():
        for entry_rule in ENTRY_RULES:
            entry_rule(ctx, entry, report)
    for curve in ctx.curves.values():
        for curve_rule in CURVE_RULES:
            curve_rule(ctx, curve, report)
    for catalog_rule in CATALOG_RULES:
        catalog_rule(ctx, report)
    return report.diagnostics
