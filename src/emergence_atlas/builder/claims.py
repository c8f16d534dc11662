"""Claim sentences: the headline of an entry page, generated from what is known.

Part of the builder step. The headline attributes to the source only what the
source states (the ability and the model size), with a verb that follows how the
source was read (its evidence level) and whether it is the work that ran the
experiment or one that lists the result; its form follows the claim's form (a
threshold, a bound, a pre-training loss threshold, a curve shape) and category
(for an augmented prompting strategy, the claim is that the technique helps from
that size on). Metric, prompting and registry numbers are shown beside the
headline with their own provenance, never folded into it; when the entry's
source prints other numbers than the canonical (registry) ones, one short
phrase beside the scale says so.
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import Catalog
from ..formatting import QUANTITY_LABELS, format_quantity
from ..schema.models import AbilityEntry

#: How the headline introduces the source, by the evidence level of the entry's source.
_LEAD = {
    "full_text": "{src} reports",
    "excerpt": "{src} reports",
    "transcription": "{src} reports",
    "secondary": "{src} (read in secondary notes) reports",
    "abstract": "The abstract of {src} reports",
    "inferred": "Inferred, not read: {src} is taken to report",
}
_LEAD_LISTS = {
    "full_text": "{src} lists",
    "excerpt": "{src} lists",
    "transcription": "{src} lists",
    "secondary": "{src} (read in secondary notes) lists",
    "abstract": "The abstract of {src} lists",
    "inferred": "Inferred, not read: {src} is taken to list",
}


#: How a headline names each axis other than model scale ("... changes over training").
_ALONG = {
    "training_steps": "over training",
    "pretraining_loss": "with pre-training loss",
    "rl_compute": "with reinforcement-learning compute or steps",
    "test_time_compute": "with test-time compute",
    "samples": "with the number of samples per problem",
    "data": "with the training data",
    "model_comparison": "across named models",
}


def _lists(entry: AbilityEntry) -> bool:
    """True when the entry's source lists the claim and another work ran the experiment."""
    return any(s.role.value == "primary_evidence" and s.key != entry.source.key for s in entry.additional_sources)


def headline(catalog: Catalog, entry: AbilityEntry, family_name: str, source_label: str) -> str:
    """The one-sentence claim at the top of an entry page (plain text; the template escapes it)."""
    level = entry.source.evidence.value if entry.source.evidence is not None else "excerpt"
    lead = (_LEAD_LISTS if _lists(entry) else _LEAD)[level].format(src=source_label)
    model = f"{family_name} {entry.model.size}"
    form = entry.emergence.form.value
    where = f" ({entry.source.locator})"
    if form == "loss_threshold":
        loss = entry.scale.pretraining_loss
        at = f" of about {loss.value:g}" if loss is not None else ""
        return (f"{lead} {entry.ability} as appearing once pre-training loss falls below a threshold{at}{where}; "
                f"this is not a model size, and {model} is only the study's largest model, used to place the entry.")
    if form == "shape" and entry.axis is not None and entry.axis.name.value in _ALONG:
        along = _ALONG[entry.axis.name.value]
        return (f"{lead} how {entry.ability} changes {along}, not a threshold in model size{where}; "
                f"{model} is the model the source describes, not an emergence size.")
    if form == "shape":
        return (f"{lead} a change in the shape of the scaling curve for {entry.ability}, not a threshold{where}; "
                f"{model} is the size at which the source describes it.")
    if entry.category.value == "augmented_prompting":
        if form == "upper_bound":
            return (f"{lead} {entry.ability} as helping by {model}{where}; where below this size it starts to help "
                    f"is not shown, so the size is an upper bound.")
        return f"{lead} {entry.ability} as helping only from {model} on{where}."
    if form == "upper_bound":
        return (f"{lead} {entry.ability} as emergent by {model}{where}; where below this size it first appears "
                f"is not shown, so the size is an upper bound.")
    return f"{lead} {entry.ability} as emergent at {model}{where}."


def printed_note(catalog: Catalog, entry: AbilityEntry, short: Callable[[str], str]) -> str | None:
    """``the source prints 13B parameters and 2.3×10²² training FLOPs``, when a source the entry
    cites for its scale prints other numbers than the canonical ones shown; else None."""
    scale = catalog.scale(entry)
    by_source: dict[str, list[str]] = {}
    for kind in ("params", "train_flops", "train_tokens"):
        q = getattr(scale, kind)
        if q is not None and q.printed is not None and q.printed_differs:
            key = q.printed.source.key
            by_source.setdefault(key, []).append(f"{format_quantity(kind, q.printed.value)} {QUANTITY_LABELS[kind]}")
    if not by_source:
        return None
    parts = [f"{'the source' if key == entry.source.key else short(key)} prints {' and '.join(values)}"
             for key, values in by_source.items()]
    return "; ".join(parts) + " (the values shown are the model registry's)"
