"""The pydantic models of the catalog: ability entries, model families, curves.

Part of the schema step: raw mappings from :mod:`emergence_atlas.loading` are
validated into these immutable models. Unknown fields are errors, text fields
take text only (a YAML ``yes`` is not a string), and every number carries its
provenance (:class:`Quantity`). Cross-links between files are checked later, by
:mod:`emergence_atlas.catalog`.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .quantities import Params, PretrainingLoss, TrainFlops, TrainTokens
from .vocabularies import (
    AnswerFormat,
    AxisName,
    Basis,
    Category,
    ClaimForm,
    Direction,
    EmergentSense,
    EntryKind,
    Evidence,
    MetricName,
    PromptingStrategy,
    ReasonClass,
    RelationScope,
    RelationType,
    ScoreScale,
    SourceRole,
    Status,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SIZE_PATTERN = r"^[A-Za-z0-9]+(?:[.][A-Za-z0-9]+)*$"
BIBKEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$"

#: Longest text allowed per kind of field.
MAX_SHORT_TEXT = 200
MAX_NOTE = 1_000
MAX_DESCRIPTION = 2_000

EntryId = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=80)]
FamilyId = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=40)]
SizeLabel = Annotated[str, Strict(), StringConstraints(pattern=SIZE_PATTERN, max_length=20)]
BibKey = Annotated[str, Strict(), StringConstraints(pattern=BIBKEY_PATTERN, max_length=64)]
ShortText = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=MAX_SHORT_TEXT)]
Note = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=MAX_NOTE)]
Description = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=MAX_DESCRIPTION)]


def _finite_number(raw: Any) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise PydanticCustomError("number_type", "expected a number, got {got}", {"got": repr(raw)})
    if raw != raw or raw in (float("inf"), float("-inf")):
        raise PydanticCustomError("scale_range", "{value} is not a finite number", {"value": raw})
    return float(raw)


Score = Annotated[float, BeforeValidator(_finite_number)]
Shots = Annotated[int, Strict(), Field(ge=0, le=10_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, validate_default=False)


class SourceRef(_Model):
    """Where a fact comes from: a BibTeX key and a place in that work."""

    key: BibKey
    locator: ShortText = Field(description="table, figure, section or page")
    evidence: Optional[Evidence] = Field(default=None, description="how the fact was read")


class _Alternative(_Model):
    source: SourceRef
    as_printed: Optional[ShortText] = None
    note: Optional[Note] = None


class ParamsAlternative(_Alternative):
    """Another value of the parameter count, from another source."""

    value: Params


class TokensAlternative(_Alternative):
    """Another value of the training tokens, from another source."""

    value: TrainTokens


class FlopsAlternative(_Alternative):
    """Another value of the training FLOPs, from another source."""

    value: TrainFlops


class _Quantity(_Model):
    as_printed: Optional[ShortText] = Field(default=None, description="the value exactly as the source prints it")
    basis: Basis
    source: SourceRef
    method: Optional[ShortText] = Field(default=None, description="how an estimate was computed (required if estimated)")
    note: Optional[Note] = None

    @model_validator(mode="after")
    def _estimates_say_how(self) -> _Quantity:
        if self.basis is Basis.ESTIMATED and not self.method:
            raise PydanticCustomError("estimate_method", "an estimated value needs a 'method' (e.g. 6*N*D)")
        return self


class ParamsQuantity(_Quantity):
    """Number of parameters, with provenance."""

    value: Params
    disagreements: tuple[ParamsAlternative, ...] = ()


class TokensQuantity(_Quantity):
    """Training tokens, with provenance."""

    value: TrainTokens
    disagreements: tuple[TokensAlternative, ...] = ()


class FlopsQuantity(_Quantity):
    """Training FLOPs, with provenance."""

    value: TrainFlops
    disagreements: tuple[FlopsAlternative, ...] = ()


class LossAlternative(_Alternative):
    """Another value of the pre-training loss, from another source."""

    value: PretrainingLoss


class LossQuantity(_Quantity):
    """Pre-training loss at which the ability appears (nats per token), with provenance."""

    value: PretrainingLoss
    disagreements: tuple[LossAlternative, ...] = ()


class Scale(_Model):
    """The emergence scale an entry states; omitted quantities come from the registry."""

    params: Optional[ParamsQuantity] = None
    train_tokens: Optional[TokensQuantity] = None
    train_flops: Optional[FlopsQuantity] = None
    pretraining_loss: Optional[LossQuantity] = Field(
        default=None, description="pre-training loss threshold, where a source gives emergence on that axis")


ItemCount = Annotated[int, Strict(), Field(ge=1, le=100_000_000)]
Choices = Annotated[int, Strict(), Field(ge=2, le=1_000)]


class CountQuantity(_Model):
    """A count (e.g. the number of test items), with provenance."""

    value: ItemCount
    source: SourceRef
    note: Optional[Note] = None


class Task(_Model):
    """The benchmark and task an ability is measured on."""

    benchmark: ShortText
    name: ShortText
    answer_format: Optional[AnswerFormat] = None
    answer_choices: Optional[Choices] = Field(
        default=None, description="number of options per item, when every item has the same number; chance is one in this")
    items: Optional[CountQuantity] = Field(default=None, description="number of test items behind the scores")
    keywords: tuple[ShortText, ...] = ()


class Prompting(_Model):
    """How the model was prompted (or adapted)."""

    strategy: PromptingStrategy
    shots: Optional[Shots] = None


class ModelRef(_Model):
    """The model family and size at which the ability emerged."""

    family: FamilyId
    size: SizeLabel
    name_in_source: Optional[ShortText] = None


class Metric(_Model):
    """The metric the claim rests on, and its random baseline where known."""

    name: MetricName
    name_in_source: Optional[ShortText] = None
    random_baseline: Optional[Score] = None
    higher_is_worse: bool = Field(default=False, description="true when a higher score means more harm (e.g. % of "
                                                             "toxic continuations)")
    note: Optional[Note] = None


class AxisValue(_Model):
    """A value on an axis other than model scale (steps, samples, compute, ...), with provenance."""

    value: Score
    as_printed: Optional[ShortText] = None
    basis: Basis
    source: SourceRef
    note: Optional[Note] = None


class Axis(_Model):
    """What the claim's change is measured against, when it is not (only) model scale."""

    name: AxisName
    unit: Optional[ShortText] = Field(default=None, description="e.g. 'RL steps', 'samples per problem'")
    threshold: Optional[AxisValue] = Field(default=None, description="where on this axis the change happens, "
                                                                    "when the source gives it")
    note: Optional[Note] = None


class ClaimScore(_Model):
    """A score the claim's source prints for one model size."""

    value: Score
    scale: ScoreScale = ScoreScale.FRACTION
    basis: Basis = Basis.REPORTED
    source: SourceRef
    note: Optional[Note] = None


class LowerEnd(_Model):
    """The largest evaluated size still near chance: the lower end of the emergence interval."""

    size: SizeLabel
    source: Optional[SourceRef] = Field(
        default=None, description="a source that shows this size was evaluated; without one the end is derived from "
                                  "the registry's next smaller size")
    note: Optional[Note] = None


class Emergence(_Model):
    """What kind of claim the entry's size is, and the claim's own numbers where its source prints them."""

    form: ClaimForm = ClaimForm.INTERVAL
    below: Optional[LowerEnd] = Field(
        default=None, description="lower end of the interval; default: the registry's next smaller size")
    score_at: Optional[ClaimScore] = Field(default=None, description="score at the emergence size")
    score_below: Optional[ClaimScore] = Field(default=None, description="score at the lower end")
    baseline_score_at: Optional[ClaimScore] = Field(
        default=None, description="augmented prompting: the same family's standard-prompting score at the emergence size")
    baseline_score_below: Optional[ClaimScore] = Field(
        default=None, description="augmented prompting: the standard-prompting score at the lower end")
    note: Optional[Note] = None


class AdditionalSource(SourceRef):
    """Another work behind the claim, with its role."""

    role: SourceRole


class RelationSource(SourceRef):
    """The work behind a relation, where in it, and how it was read (required for a relation)."""

    evidence: Evidence = Field(description="how the work was read")


class Relation(_Model):
    """A later work that reproduced, supported, contested or refuted the claim, with its evidence and scope."""

    type: RelationType
    source: RelationSource
    reason: Optional[ReasonClass] = None
    scope: RelationScope = Field(description="what the work examined: this task, a version of it, a group, the benchmark")
    note: Optional[Note] = None


class AbilityEntry(_Model):
    """One reported emergent ability: the unit of the catalog (``catalog/abilities/<id>.yaml``)."""

    id: EntryId = Field(description="the file stem; may be repeated in the file, then it must match")
    ability: ShortText = Field(description="display name shared by entries of the same ability")
    task: Task
    category: Category
    kind: EntryKind = EntryKind.ABILITY
    direction: Direction = Direction.EMERGENT
    axis: Optional[Axis] = Field(default=None, description="the axis of the claim when it is not model scale")
    condition: Optional[ShortText] = Field(default=None, description="the condition under which the claim holds "
                                                                     "(prompt, fine-tuning, RLHF steps, ...)")
    emergent_sense: EmergentSense = EmergentSense.SCALE
    description: Description
    prompting: Prompting
    model: ModelRef
    scale: Scale = Scale()
    emergence: Emergence = Emergence()
    metric: Optional[Metric] = None
    source: SourceRef
    additional_sources: tuple[AdditionalSource, ...] = ()
    status: Status = Status.REPORTED
    relations: tuple[Relation, ...] = ()
    related: tuple[EntryId, ...] = ()
    notes: tuple[Note, ...] = ()

    def cited_keys(self) -> list[str]:
        """Every BibTeX key this entry cites, in order of appearance, without repeats."""
        keys = [self.source.key, *(s.key for s in self.additional_sources), *(r.source.key for r in self.relations)]
        if self.task.items is not None:
            keys.append(self.task.items.source.key)
        if self.axis is not None and self.axis.threshold is not None:
            keys.append(self.axis.threshold.source.key)
        em = self.emergence
        for ref in (em.below.source if em.below else None,
                    *(s.source if s else None for s in (em.score_at, em.score_below, em.baseline_score_at,
                                                        em.baseline_score_below))):
            if ref is not None:
                keys.append(ref.key)
        for quantity in (self.scale.params, self.scale.train_tokens, self.scale.train_flops,
                         self.scale.pretraining_loss):
            if quantity is not None:
                keys.append(quantity.source.key)
                keys.extend(d.source.key for d in quantity.disagreements)
        return list(dict.fromkeys(keys))


class ModelSize(_Model):
    """One size of a model family, with what sources say about its scale."""

    size: SizeLabel
    name: Optional[ShortText] = None
    aliases: tuple[SizeLabel, ...] = ()
    params: Optional[ParamsQuantity] = None
    train_tokens: Optional[TokensQuantity] = None
    train_flops: Optional[FlopsQuantity] = None
    notes: tuple[Note, ...] = ()


class ModelFamily(_Model):
    """A model family in the registry (``catalog/models/<id>.yaml``)."""

    id: FamilyId
    name: ShortText
    developer: Optional[ShortText] = None
    description: Optional[Description] = None
    sources: tuple[SourceRef, ...] = ()
    sizes: tuple[ModelSize, ...] = Field(min_length=1)
    notes: tuple[Note, ...] = ()

    def cited_keys(self) -> list[str]:
        """Every BibTeX key the family cites."""
        keys = [s.key for s in self.sources]
        for size in self.sizes:
            for quantity in (size.params, size.train_tokens, size.train_flops):
                if quantity is not None:
                    keys.append(quantity.source.key)
                    keys.extend(d.source.key for d in quantity.disagreements)
        return list(dict.fromkeys(keys))


class CurveMetric(_Model):
    """Metric of a curve and the scale its scores are on."""

    name: MetricName
    name_in_source: Optional[ShortText] = None
    random_baseline: Optional[Score] = None
    scale: ScoreScale = ScoreScale.FRACTION
    note: Optional[Note] = None


class DataProvenance(_Model):
    """Where imported curve points come from: file, columns, license, harness."""

    file: ShortText
    columns: tuple[ShortText, ...] = ()
    license: ShortText
    harness: Optional[ShortText] = None
    url: Optional[ShortText] = None
    attribution: Optional[Note] = None


class CurvePoint(_Model):
    """Score at one model size: a registry size, or an explicit scale."""

    size: Optional[SizeLabel] = None
    model_name: Optional[ShortText] = None
    params: Optional[Params] = None
    active_params: Optional[Params] = Field(
        default=None, description="mixture-of-experts models: parameters active per token ('params' is the total)")
    train_tokens: Optional[TrainTokens] = None
    train_flops: Optional[TrainFlops] = None
    score: Score


class CurveSeries(_Model):
    """One family's scores across sizes, with one source.

    ``family`` names a registry family (points may then name its sizes); a family
    outside the registry is named by ``family_name`` instead, and each of its points
    states its own scale (params or train_flops), taken from the imported data.
    """

    family: Optional[FamilyId] = None
    family_name: Optional[ShortText] = None
    label: ShortText
    prompting: Prompting
    source: SourceRef
    data: Optional[DataProvenance] = None
    points: tuple[CurvePoint, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _family_or_explicit_scale(self) -> CurveSeries:
        if (self.family is None) == (self.family_name is None):
            raise PydanticCustomError("series_family", "give exactly one of 'family' (a registry id) or 'family_name'")
        if self.family is None:
            for i, point in enumerate(self.points):
                if point.size is not None:
                    raise PydanticCustomError(
                        "series_family", "points[{i}]: 'size' needs a registry 'family'; state params or train_flops", {"i": i})
                if point.params is None and point.train_flops is None:
                    raise PydanticCustomError(
                        "series_family", "points[{i}]: a family outside the registry needs params or train_flops", {"i": i})
        return self


class Curve(_Model):
    """Scaling curve of one task and metric (``catalog/curves/<id>.yaml``)."""

    id: EntryId
    task: Task
    metric: CurveMetric
    entries: tuple[EntryId, ...] = ()
    series: tuple[CurveSeries, ...] = Field(min_length=1)
    notes: tuple[Note, ...] = ()

    def cited_keys(self) -> list[str]:
        """Every BibTeX key the curve cites."""
        keys = [s.source.key for s in self.series]
        if self.task.items is not None:
            keys.append(self.task.items.source.key)
        return list(dict.fromkeys(keys))


class CitedPlace(_Model):
    """One place outside the records that cites works: a hand-written page or a data file of the package."""

    path: ShortText = Field(description="repository path, e.g. site/debates.md")
    keys: tuple[BibKey, ...] = Field(min_length=1)


class CitedElsewhere(_Model):
    """``catalog/cited-elsewhere.yaml``: works cited outside entries, model families and curves."""

    places: tuple[CitedPlace, ...] = Field(min_length=1)
