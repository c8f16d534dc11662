"""Family-scope lint rules: checks of one model family of the registry.

Part of the lint step. Each rule is a function ``(context, family, report)``;
add a new one to :data:`FAMILY_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..catalog import QUANTITY_KINDS
from ..schema.models import ModelFamily
from ..schema.validation import dotted
from .entry_rules import unknown_key
from .report import LintContext, Reporter


def family_citations(family: ModelFamily) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every BibTeX key a family cites, with the field that cites it."""
    for i, s in enumerate(family.sources):
        yield ("sources", i, "key"), s.key
    for i, size in enumerate(family.sizes):
        for kind in QUANTITY_KINDS:
            q = getattr(size, kind)
            if q is not None:
                yield ("sizes", i, kind, "source", "key"), q.source.key
                for j, d in enumerate(q.disagreements):
                    yield ("sizes", i, kind, "disagreements", j, "source", "key"), d.source.key


def cited_keys_exist(ctx: LintContext, family: ModelFamily, report: Reporter) -> None:
    """E302: every cited BibTeX key is in references.bib."""
    for loc, key in family_citations(family):
        if key not in ctx.references:
            report.at("family", family.id, loc, "E302", f"{dotted(loc)}: {unknown_key(key, ctx.references)}")


def size_labels_unique(ctx: LintContext, family: ModelFamily, report: Reporter) -> None:
    """E407: no two sizes of a family share a label or alias."""
    seen: dict[str, int] = {}
    for i, size in enumerate(family.sizes):
        for label in (size.size, *size.aliases):
            if label in seen:
                report.at("family", family.id, ("sizes", i, "size"), "E407",
                          f"sizes[{i}]: label '{label}' is already used by sizes[{seen[label]}]")
            else:
                seen[label] = i


FamilyRule = Callable[[LintContext, ModelFamily, Reporter], None]

#: Every family rule, run in this order on each model family.
FAMILY_RULES: tuple[FamilyRule, ...] = (cited_keys_exist, size_labels_unique)
