"""Evidence: what a claim's own source shows, and what later curves say about its task.

A step on top of the :class:`~emergence_atlas.catalog.Catalog` (read-only, pure):

* :func:`interval` turns an entry's size into an **emergence interval**: the
  largest evaluated size still near chance (stated by a source, else the
  registry's next smaller size) and the named size; or a bound, or a placeholder;
* :func:`entry_evidence` sorts every curve series that names the entry into
  **replications** (the claim's own family, metric and prompting: strategy and
  shots) and **later evidence on the task** (everything else, with what differs).
  Only a replication gets a verdict about the claim, stated in that family's
  sizes; later evidence says where the task rises in its own series, never
  whether the claim is right.

The thresholds themselves come from :mod:`emergence_atlas.thresholds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .catalog import find_size
from .formatting import human_count
from .schema.models import AbilityEntry, Curve, CurveSeries, ModelFamily, SourceRef, Task
from .schema.vocabularies import ClaimForm
from .thresholds import PROPORTION_METRICS, Crossing, Verdict, absolute_crossing, gain_crossing, normalise

if TYPE_CHECKING:
    from .catalog import Catalog

#: Prompting strategies that count as "standard prompting" when an augmented strategy is compared with it.
STANDARD_STRATEGIES = ("few_shot", "zero_shot")


class ReplicationVerdict(StrEnum):
    """How a same-family, same-metric, same-prompting series compares with the claim."""

    AGREES = "agrees"
    EARLIER = "earlier"
    LATER = "later"
    NOT_ABOVE = "not_above"
    UNDETERMINED = "undetermined"


VERDICT_LABELS = {
    ReplicationVerdict.AGREES: "agrees with the claim",
    ReplicationVerdict.EARLIER: "above chance at a smaller size than claimed",
    ReplicationVerdict.LATER: "above chance only at a larger size than claimed",
    ReplicationVerdict.NOT_ABOVE: "never clearly above chance",
    ReplicationVerdict.UNDETERMINED: "undetermined",
}


@dataclass(frozen=True)
class IntervalEnd:
    """One end of an emergence interval: a size of the claim's family and its scale."""

    size: str
    params: float | None
    train_flops: float | None
    origin: str  # "entry", "stated" (a source shows the size was evaluated) or "registry" (next smaller size)
    source: SourceRef | None = None


@dataclass(frozen=True)
class Interval:
    """The emergence scale of a claim: between ``lower`` and ``upper``, or a bound, or a placeholder."""

    form: ClaimForm
    lower: IntervalEnd | None
    upper: IntervalEnd
    note: str

    @property
    def is_threshold(self) -> bool:
        """True for a claim of the size at which an ability appears (an interval or a bound)."""
        return self.form in (ClaimForm.INTERVAL, ClaimForm.UPPER_BOUND)


def _sorted_sizes(family: ModelFamily) -> list[tuple[float, str]]:
    return sorted((s.params.value, s.size) for s in family.sizes if s.params is not None)


def interval(catalog: Catalog, entry: AbilityEntry) -> Interval:
    """The emergence interval of ``entry`` (see the module docstring)."""
    scale = catalog.scale(entry)
    upper = IntervalEnd(entry.model.size, scale.value("params"), scale.value("train_flops"), "entry")
    form = entry.emergence.form
    family = catalog.families.get(entry.model.family)
    if form is ClaimForm.UPPER_BOUND:
        return Interval(form, None, upper, "a bound: the source does not show where below this size the rise begins")
    if form is ClaimForm.LOSS_THRESHOLD:
        return Interval(form, None, upper, "the claim is a pre-training loss threshold; the size is a placeholder")
    if form is ClaimForm.SHAPE:
        return Interval(form, None, upper, "the claim describes the shape of the curve, not a threshold")
    below = entry.emergence.below
    if below is not None and family is not None:
        size = find_size(family, below.size)
        if size is not None:
            lower = IntervalEnd(size.size, size.params.value if size.params else None,
                                size.train_flops.value if size.train_flops else None,
                                "stated" if below.source is not None else "registry", below.source)
            return Interval(form, lower, upper, "lower end named by the entry")
    if family is None or upper.params is None:
        return Interval(form, None, upper, "the named size's parameter count is unknown, so no lower end is derived")
    smaller = [(p, label) for p, label in _sorted_sizes(family) if p < upper.params * 0.95]
    if not smaller:
        return Interval(form, None, upper, "the smallest size in the registry: no smaller size to compare with")
    params, label = smaller[-1]
    size = find_size(family, label)
    flops = size.train_flops.value if size is not None and size.train_flops is not None else None
    return Interval(form, IntervalEnd(label, params, flops, "registry"), upper,
                    "lower end: the registry's next smaller size (not necessarily evaluated by the source)")


@dataclass(frozen=True)
class SeriesPoint:
    """One point of a series, with the label a reader knows it by."""

    label: str
    params: float | None
    train_flops: float | None
    train_tokens: float | None
    score: float


@dataclass(frozen=True)
class Replication:
    """A series of the claim's own family, metric and prompting, and its verdict in that family's sizes."""

    curve: str
    series: int
    label: str
    verdict: ReplicationVerdict
    statement: str
    crossing: Crossing
    gains: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class LaterEvidence:
    """A series on the same task that differs from the claim in family, metric or prompting."""

    curve: str
    series: int
    label: str
    family: str
    differences: tuple[str, ...]
    statement: str
    crossing: Crossing


@dataclass(frozen=True)
class EntryEvidence:
    """Everything the curves say about one entry, replications first."""

    interval: Interval
    replications: tuple[Replication, ...]
    later: tuple[LaterEvidence, ...]

    def summary(self) -> str:
        """One short label for index tables."""
        if self.replications:
            counts: dict[ReplicationVerdict, int] = {}
            for r in self.replications:
                counts[r.verdict] = counts.get(r.verdict, 0) + 1
            parts = [f"{n} {v.value.replace('_', ' ')}" for v, n in sorted(counts.items(), key=lambda kv: kv[0].value)]
            return "replication: " + ", ".join(parts)
        if self.later:
            return f"no replication; {len(self.later)} later series"
        return "no curve"


def series_points(catalog: Catalog, series: CurveSeries) -> list[SeriesPoint]:
    """The points of a series with their scale (registry values filled in) and reader-facing labels."""
    out = []
    for point in series.points:
        scale = catalog.point_scale(series, point)
        label = point.size or point.model_name or human_count(scale["params"])
        out.append(SeriesPoint(label, scale["params"], scale["train_flops"], scale["train_tokens"], point.score))
    return out


def _axis(points: Sequence[SeriesPoint]) -> str:
    return "params" if all(p.params is not None for p in points) else "train_flops"


def chance_of(curve: Curve, fallback_task: Task | None = None) -> tuple[float | None, str]:
    """Chance on a 0-1 scale for a curve, and how it was found."""
    percent = curve.metric.scale.value == "percent"
    if curve.metric.random_baseline is not None:
        return curve.metric.random_baseline / (100.0 if percent else 1.0), "the curve's stated random baseline"
    for task in (curve.task, fallback_task):
        if task is not None and task.answer_choices is not None and curve.metric.name.value in PROPORTION_METRICS:
            return 1.0 / task.answer_choices, f"one in {task.answer_choices} answer choices"
    for task in (curve.task, fallback_task):
        if (task is not None and task.answer_format is not None and task.answer_format.value == "generative"
                and curve.metric.name.value in ("exact_match", "accuracy")):
            return 0.0, "a free-form answer that must match exactly: no chance of guessing it"
    return None, "unknown"


def items_of(curve: Curve, fallback_task: Task | None = None) -> int | None:
    """Number of test items behind a curve's scores, when recorded."""
    for task in (curve.task, fallback_task):
        if task is not None and task.items is not None:
            return task.items.value
    return None


def crossing_of(catalog: Catalog, curve: Curve, series: CurveSeries,
                fallback_task: Task | None = None) -> tuple[Crossing, list[SeriesPoint]]:
    """Rule ``chance-margin`` on one series, ordered by parameters (or FLOPs when parameters are missing)."""
    pts = series_points(catalog, series)
    axis = _axis(pts)
    usable = sorted((p for p in pts if getattr(p, axis) is not None), key=lambda p: getattr(p, axis))
    raw = [(getattr(p, axis), p.score) for p in usable]
    normalised = normalise(raw, percent=curve.metric.scale.value == "percent")
    chance, _ = chance_of(curve, fallback_task)
    crossing = absolute_crossing(normalised, chance=chance, items=items_of(curve, fallback_task),
                                 metric=curve.metric.name.value)
    # normalise() merges duplicate scales; map indices back to the first usable point at each scale
    by_x: dict[float, SeriesPoint] = {}
    for p in usable:
        by_x.setdefault(float(getattr(p, axis)), p)
    ordered = [by_x[x] for x, _ in normalised]
    return crossing, ordered


def _differences(catalog: Catalog, entry: AbilityEntry, curve: Curve, series: CurveSeries) -> list[str]:
    out = []
    family = series.family or series.family_name or "?"
    if series.family != entry.model.family:
        name = catalog.families[series.family].name if series.family in catalog.families else family
        out.append(f"family: {name}")
    if entry.metric is None:
        out.append("metric: the claim's metric is not recorded")
    elif curve.metric.name != entry.metric.name:
        out.append(f"metric: {curve.metric.name.value.replace('_', ' ')}")
    if series.prompting.strategy != entry.prompting.strategy:
        out.append(f"prompting: {series.prompting.strategy.value.replace('_', ' ')}")
    elif series.prompting.shots != entry.prompting.shots:
        mine = "not stated" if entry.prompting.shots is None else str(entry.prompting.shots)
        theirs = "not stated" if series.prompting.shots is None else str(series.prompting.shots)
        out.append(f"shots: {theirs} (claim: {mine})")
    return out


def _size_statement(crossing: Crossing, ordered: list[SeriesPoint], claim: IntervalEnd,
                    form: ClaimForm, what: str) -> tuple[ReplicationVerdict, str]:
    """The verdict of a replication, stated in the family's sizes."""
    labels = [p.label for p in ordered]
    claim_p = claim.params

    def params_at(i: int) -> float | None:
        return ordered[i].params

    bound = form is ClaimForm.UPPER_BOUND
    if crossing.verdict is Verdict.UNDETERMINED:
        return ReplicationVerdict.UNDETERMINED, f"undetermined: {crossing.reason}"
    if crossing.verdict is Verdict.NOT_SUSTAINED:
        return ReplicationVerdict.UNDETERMINED, f"undetermined: {what} rises above the margin and falls back"
    if crossing.verdict is Verdict.NEVER_ABOVE:
        return ReplicationVerdict.NOT_ABOVE, f"{what} never clearly above chance, up to {labels[-1]}"
    index = 0 if crossing.verdict is Verdict.ABOVE_FROM_SMALLEST else crossing.index
    assert index is not None
    first = labels[index]
    first_p = params_at(index)
    if claim_p is None or first_p is None:
        return ReplicationVerdict.UNDETERMINED, f"undetermined: {what} first clearly above chance at {first}; the claimed size's scale is unknown"
    same = abs(first_p - claim_p) <= 0.05 * claim_p
    if crossing.verdict is Verdict.ABOVE_FROM_SMALLEST and (same or first_p > claim_p):
        if same:
            return ReplicationVerdict.AGREES, f"{what} clearly above chance at {first}, the smallest size in this series (no smaller size to compare)"
        return ReplicationVerdict.UNDETERMINED, f"undetermined: the series starts at {first}, above the claimed {claim.size}"
    if same:
        return ReplicationVerdict.AGREES, f"{what} first clearly above chance at {first}, as claimed"
    if first_p < claim_p:
        if bound:
            return ReplicationVerdict.AGREES, f"{what} clearly above chance by {claim.size} (first at {first}), consistent with the bound"
        return ReplicationVerdict.EARLIER, f"{what} already clearly above chance at {first} (claimed: {claim.size})"
    # first above chance at a larger size than claimed: is there a point at or above the claimed size below it?
    before = [i for i in range(index) if (params_at(i) or 0) >= claim_p * 0.95]
    if before:
        return ReplicationVerdict.LATER, f"{what} first clearly above chance at {first} (claimed: {claim.size}; within the margin at {labels[before[0]]})"
    return ReplicationVerdict.UNDETERMINED, f"undetermined: {claim.size} is not in this series; the rise is between {labels[index - 1] if index else '?'} and {first}"


def entry_evidence(catalog: Catalog, entry: AbilityEntry) -> EntryEvidence:
    """Replications and later evidence for one entry, from every curve that names it."""
    span = interval(catalog, entry)
    augmented = entry.category.value == "augmented_prompting"
    replications: list[Replication] = []
    later: list[LaterEvidence] = []
    for curve in catalog.curves_of(entry):
        for index, series in enumerate(curve.series):
            diffs = _differences(catalog, entry, curve, series)
            crossing, ordered = crossing_of(catalog, curve, series, entry.task)
            if diffs:
                if series.data is not None and series.data.harness:
                    diffs.append(f"harness: {series.data.harness}")
                family = (catalog.families[series.family].name if series.family in catalog.families
                          else series.family_name or series.family or "?")
                later.append(LaterEvidence(curve.id, index, series.label, family, tuple(diffs),
                                           _later_statement(crossing, ordered), crossing))
                continue
            if not span.is_threshold:
                replications.append(Replication(
                    curve.id, index, series.label, ReplicationVerdict.UNDETERMINED,
                    "undetermined: the claim is not a size threshold (" + span.note + ")", crossing))
                continue
            if augmented:
                replications.append(_gain_replication(catalog, entry, curve, index, series, span))
            else:
                verdict, statement = _size_statement(crossing, ordered, span.upper, span.form, "the series is")
                statement += _numbers(crossing, ordered, span.upper, curve.metric.scale.value == "percent")
                replications.append(Replication(curve.id, index, series.label, verdict, statement, crossing))
    return EntryEvidence(span, tuple(replications), tuple(later))


def _gain_replication(catalog: Catalog, entry: AbilityEntry, curve: Curve, index: int, series: CurveSeries,
                      span: Interval) -> Replication:
    standard = [s for s in curve.series if s.family == series.family and s is not series
                and s.prompting.strategy.value in STANDARD_STRATEGIES]
    if not standard:
        crossing, _ = crossing_of(catalog, curve, series, entry.task)
        return Replication(curve.id, index, series.label, ReplicationVerdict.UNDETERMINED,
                           "undetermined: no standard-prompting series of the same family to measure the gain against",
                           crossing)
    aug_pts = series_points(catalog, series)
    std_pts = series_points(catalog, standard[0])
    percent = curve.metric.scale.value == "percent"
    aug = normalise([(p.params, p.score) for p in aug_pts if p.params], percent=percent)
    std = normalise([(p.params, p.score) for p in std_pts if p.params], percent=percent)
    crossing, triples = gain_crossing(aug, std, items=items_of(curve, entry.task), metric=curve.metric.name.value)
    by_x: dict[float, SeriesPoint] = {}
    for p in aug_pts:
        if p.params:
            by_x.setdefault(float(p.params), p)
    ordered = [by_x[x] for x, _, _ in triples]
    gains = tuple((by_x[x].label, round(g, 4), round(m, 4)) for x, g, m in triples)
    if crossing.verdict is Verdict.UNDETERMINED:
        return Replication(curve.id, index, series.label, ReplicationVerdict.UNDETERMINED,
                           f"undetermined: {crossing.reason}", crossing, gains)
    verdict, statement = _size_statement(crossing, ordered, span.upper, span.form,
                                         f"the gain over {standard[0].label} is")
    statement = statement.replace("clearly above chance", "clearly above zero")
    return Replication(curve.id, index, series.label, verdict, statement, crossing, gains)


def _numbers(crossing: Crossing, ordered: list[SeriesPoint], claim: IntervalEnd, percent: bool) -> str:
    """The scores behind a verdict, so a reader can weigh it: first size above, claimed size, chance and margin."""
    if crossing.chance is None or crossing.margin is None or not ordered:
        return ""
    unit, scale = ("%", 100.0) if percent else ("", 1.0)
    shown = []
    index = 0 if crossing.verdict is Verdict.ABOVE_FROM_SMALLEST else crossing.index
    if index is not None:
        shown.append(ordered[index])
    shown += [p for p in ordered if p.label == claim.size and p not in shown]
    scores = ", ".join(f"{p.score:g}{unit} at {p.label}" for p in shown)
    level = f"chance {crossing.chance * scale:g}{unit}, margin {crossing.margin * scale:.3g}{unit}"
    return f" ({scores}; {level})" if scores else f" ({level})"


def _later_statement(crossing: Crossing, ordered: list[SeriesPoint]) -> str:
    if crossing.verdict is Verdict.THRESHOLD and crossing.index is not None:
        p = ordered[crossing.index]
        return f"first clearly above chance at {p.label} ({human_count(p.params)} parameters)"
    if crossing.verdict is Verdict.ABOVE_FROM_SMALLEST and ordered:
        return f"clearly above chance already at its smallest model, {ordered[0].label}"
    if crossing.verdict is Verdict.NEVER_ABOVE:
        return "never clearly above chance"
    if crossing.verdict is Verdict.NOT_SUSTAINED:
        return "above the margin at some sizes, not sustained"
    return f"undetermined: {crossing.reason}"


def curve_thresholds(catalog: Catalog, curve: Curve) -> list[dict[str, object]]:
    """Each series of a curve under rule ``chance-margin``: where it first stays clearly above chance.

    Ordered by parameters (FLOPs where a series gives no parameters). With the shape
    measures breakthroughness and linearity of the normalised series.
    """
    from .thresholds import breakthroughness, linearity

    out: list[dict[str, object]] = []
    percent = curve.metric.scale.value == "percent"
    for index, series in enumerate(curve.series):
        crossing, ordered = crossing_of(catalog, curve, series)
        axis = _axis(series_points(catalog, series))
        pts = normalise([(getattr(p, axis), p.score) for p in ordered], percent=percent)
        b, lin = breakthroughness(pts), linearity(pts)
        first = ordered[crossing.index] if crossing.index is not None and crossing.index < len(ordered) else None
        out.append({"series": index, "label": series.label, "family": series.family,
                    "family_name": series.family_name, "axis": axis, **crossing.as_dict(),
                    "first_above": first.label if first is not None else None,
                    "breakthroughness": None if b is None else round(b, 4),
                    "linearity": None if lin is None else round(lin, 4)})
    return out
