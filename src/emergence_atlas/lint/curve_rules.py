"""Curve-scope lint rules: checks of one scaling curve against entries, registry and bibliography.

Part of the lint step. Each rule is a function ``(context, curve, report)``; add a
new one to :data:`CURVE_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import find_size
from ..links import url_problem
from ..schema.models import Curve
from .entry_rules import unknown_key
from .report import LintContext, Reporter


def entries_exist(ctx: LintContext, curve: Curve, report: Reporter) -> None:
    """E405: every entry a curve names exists."""
    for i, entry_id in enumerate(curve.entries):
        if entry_id not in ctx.entries:
            report.at("curve", curve.id, ("entries", i), "E405", f"entries[{i}]: unknown entry id '{entry_id}'")


def sources_and_links(ctx: LintContext, curve: Curve, report: Reporter) -> None:
    """E302 (a series cites an unknown BibTeX key) and E210 (a data url is not an http(s) URL)."""
    for i, series in enumerate(curve.series):
        if series.source.key not in ctx.references:
            report.at("curve", curve.id, ("series", i, "source", "key"), "E302",
                      f"series[{i}].source.key: {unknown_key(series.source.key, ctx.references)}")
        url = series.data.url if series.data is not None else None
        problem = url_problem(url) if url is not None else None
        if problem is not None:
            report.at("curve", curve.id, ("series", i, "data", "url"), "E210", f"series[{i}].data.url: {url!r} {problem}")


def families_and_sizes_exist(ctx: LintContext, curve: Curve, report: Reporter) -> None:
    """E408: a series' registry family, and the sizes its points name, exist."""
    for i, series in enumerate(curve.series):
        if series.family is None:
            continue  # explicit scale per point, checked by the schema
        family = ctx.families.get(series.family)
        if family is None:
            report.at("curve", curve.id, ("series", i, "family"), "E408",
                      f"series[{i}].family: unknown model family '{series.family}'")
            continue
        for j, point in enumerate(series.points):
            if point.size is not None and find_size(family, point.size) is None:
                report.at("curve", curve.id, ("series", i, "points", j, "size"), "E408",
                          f"series[{i}].points[{j}].size: '{point.size}' is not a size of {family.id}")


CurveRule = Callable[[LintContext, Curve, Reporter], None]

#: Every curve rule, run in this order on each curve.
CURVE_RULES: tuple[CurveRule, ...] = (entries_exist, sources_and_links, families_and_sizes_exist)
