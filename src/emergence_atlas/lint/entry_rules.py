"""Entry-scope lint rules: checks of one ability entry against the rest of the catalog.

Part of the lint step. Each rule is a function ``(context, entry, report)``; add a
new one to :data:`ENTRY_RULES` (and its code to :data:`emergence_atlas.diagnostics.CODES`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..catalog import QUANTITY_KINDS, disagreement, find_size
from ..schema.models import AbilityEntry, ModelFamily, ModelSize
from ..schema.validation import dotted
from ..schema.vocabularies import REASON_RELATION_TYPES, RelationType, Status
from ..suggest import did_you_mean
from .report import LintContext, Reporter

#: A status other than "reported" needs a relation of this type naming the work.
STATUS_NEEDS = {
    Status.CONTESTED: RelationType.CONTESTS,
    Status.REFUTED: RelationType.REFUTES,
    Status.REPRODUCED: RelationType.REPRODUCES,
}


def citations(entry: AbilityEntry) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every BibTeX key an entry cites, with the field that cites it."""
    yield ("source", "key"), entry.source.key
    for i, s in enumerate(entry.additional_sources):
        yield ("additional_sources", i, "key"), s.key
    for i, r in enumerate(entry.relations):
        yield ("relations", i, "source", "key"), r.source.key
    if entry.task.items is not None:
        yield ("task", "items", "source", "key"), entry.task.items.source.key
    if entry.axis is not None and entry.axis.threshold is not None:
        yield ("axis", "threshold", "source", "key"), entry.axis.threshold.source.key
    em = entry.emergence
    if em.below is not None and em.below.source is not None:
        yield ("emergence", "below", "source", "key"), em.below.source.key
    for name in ("score_at", "score_below", "baseline_score_at", "baseline_score_below"):
        score = getattr(em, name)
        if score is not None:
            yield ("emergence", name, "source", "key"), score.source.key
    for kind in (*QUANTITY_KINDS, "pretraining_loss"):
        q = getattr(entry.scale, kind)
        if q is not None:
            yield ("scale", kind, "source", "key"), q.source.key
            for j, d in enumerate(q.disagreements):
                yield ("scale", kind, "disagreements", j, "source", "key"), d.source.key


def unknown_key(key: str, references: Any) -> str:
    """The message of an unknown BibTeX key, with the closest known key."""
    return f"unknown BibTeX key '{key}'{did_you_mean(key, references)}"


def cited_keys_exist(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E302: every cited BibTeX key is in references.bib."""
    for loc, key in citations(entry):
        if key not in ctx.references:
            report.at("entry", entry.id, loc, "E302", f"{dotted(loc)}: {unknown_key(key, ctx.references)}")


def model_in_registry(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E402 (unknown family), E403 (unknown size), E420 (lower end of the interval) and E404 (scale vs registry)."""
    family = ctx.families.get(entry.model.family)
    if family is None:
        report.at("entry", entry.id, ("model", "family"), "E402",
                  f"model.family: unknown model family '{entry.model.family}'{did_you_mean(entry.model.family, ctx.families)}")
        return
    size = find_size(family, entry.model.size)
    if size is None:
        labels = ", ".join(s.size for s in family.sizes)
        report.at("entry", entry.id, ("model", "size"), "E403",
                  f"model.size: '{entry.model.size}' is not a size of {family.id} (known: {labels})")
        return
    _lower_end(entry, family, size, report)
    for kind in QUANTITY_KINDS:
        diff = disagreement(entry, size, kind)
        if diff is None:
            continue
        mine, theirs = getattr(entry.scale, kind), getattr(size, kind)
        report.at("entry", entry.id, ("scale", kind, "value"), "E404",
                  f"scale.{kind}: {mine.value:g} differs by {diff:.0%} from the registry's {theirs.value:g} "
                  f"for {family.id} {size.size} ({theirs.source.key}, {theirs.source.locator}); "
                  f"correct it, or list the other value with its source under disagreements")


def _lower_end(entry: AbilityEntry, family: ModelFamily, size: ModelSize, report: Reporter) -> None:
    """E420: the lower end of an emergence interval is a smaller size of the same family, with form 'interval'."""
    below = entry.emergence.below
    if below is None:
        return
    loc = ("emergence", "below", "size")
    lower = find_size(family, below.size)
    if lower is None:
        labels = ", ".join(s.size for s in family.sizes)
        report.at("entry", entry.id, loc, "E420",
                  f"emergence.below.size: '{below.size}' is not a size of {family.id} (known: {labels})")
    elif lower.params is not None and size.params is not None and not lower.params.value < size.params.value:
        report.at("entry", entry.id, loc, "E420",
                  f"emergence.below.size: {below.size} is not smaller than the claimed size {entry.model.size}")
    elif entry.emergence.form.value != "interval":
        report.at("entry", entry.id, loc, "E420",
                  f"emergence.below: a lower end needs form 'interval', not '{entry.emergence.form.value}'")


def related_entries_exist(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E405: every ``related`` id names an entry."""
    for i, other in enumerate(entry.related):
        if other not in ctx.entries:
            report.at("entry", entry.id, ("related", i), "E405", f"related[{i}]: unknown entry id '{other}'")


def related_links_go_both_ways(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """W409: an entry this one lists under ``related`` lists it back."""
    for i, other in enumerate(entry.related):
        target = ctx.entries.get(other)
        if target is not None and other != entry.id and entry.id not in target.related:
            report.at("entry", entry.id, ("related", i), "W409",
                      f"related[{i}]: '{other}' does not list '{entry.id}' under related; add it there too")


def relation_reasons_fit(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E421: a relation's reason class goes with its type (see ``REASON_RELATION_TYPES``)."""
    for i, relation in enumerate(entry.relations):
        if relation.reason is None:
            continue
        allowed = REASON_RELATION_TYPES[relation.reason.value]
        if relation.type.value not in allowed:
            report.at("entry", entry.id, ("relations", i, "reason"), "E421",
                      f"relations[{i}]: reason '{relation.reason.value}' does not go with type "
                      f"'{relation.type.value}' (use {' or '.join(repr(t) for t in allowed)})")


def thresholds_are_thresholds(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E422 (a direction or sense that is not a threshold, with a threshold form) and E423 (threshold on the wrong axis)."""
    if entry.direction.value != "emergent" and entry.emergence.form.value in ("interval", "upper_bound"):
        report.at("entry", entry.id, ("direction",), "E422",
                  f"direction: '{entry.direction.value}' is not a threshold; set emergence.form to 'shape'")
    if entry.emergent_sense.value == "other" and entry.emergence.form.value in ("interval", "upper_bound"):
        report.at("entry", entry.id, ("emergent_sense",), "E422",
                  "emergent_sense: 'other' is not a threshold in scale; set emergence.form to 'shape'")
    if entry.axis is not None and entry.axis.name.value == "model_scale" and entry.axis.threshold is not None:
        report.at("entry", entry.id, ("axis", "threshold"), "E423",
                  "axis.threshold: a threshold in model scale goes under scale (params, train_flops)")


def status_has_relation(ctx: LintContext, entry: AbilityEntry, report: Reporter) -> None:
    """E406: a reproduced, contested or refuted status names the work through a relation."""
    needed = STATUS_NEEDS.get(entry.status)
    if needed is None or ctx.left_out("entry", entry.id, "relations"):
        return
    if not any(r.type is needed for r in entry.relations):
        report.at("entry", entry.id, ("status",), "E406",
                  f"status: '{entry.status.value}' needs a relation of type '{needed.value}' naming the work")


EntryRule = Callable[[LintContext, AbilityEntry, Reporter], None]

#: Every entry rule, run in this order on each entry.
ENTRY_RULES: tuple[EntryRule, ...] = (
    cited_keys_exist,
    model_in_registry,
    related_entries_exist,
    related_links_go_both_ways,
    relation_reasons_fit,
    thresholds_are_thresholds,
    status_has_relation,
)
