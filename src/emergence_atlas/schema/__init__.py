"""The schema: pydantic models and controlled vocabularies, the single source of truth.

Everything that knows what a valid entry, model family or curve looks like reads
it from here: the loader's validation, the JSON Schemas in ``schema/``, the docs
and the site's filters.
"""

from .models import (
    AbilityEntry,
    AdditionalSource,
    Curve,
    CurvePoint,
    CurveSeries,
    Metric,
    ModelFamily,
    ModelRef,
    ModelSize,
    Prompting,
    Relation,
    Scale,
    SourceRef,
    Task,
)
from .quantities import BOUNDS, parse_scale
from .vocabularies import (
    VOCABULARIES,
    AnswerFormat,
    Basis,
    Category,
    Evidence,
    MetricName,
    PromptingStrategy,
    ReasonClass,
    RelationScope,
    RelationType,
    SourceRole,
    Status,
    Term,
)

__all__ = [
    "BOUNDS",
    "VOCABULARIES",
    "AbilityEntry",
    "AdditionalSource",
    "AnswerFormat",
    "Basis",
    "Category",
    "Curve",
    "CurvePoint",
    "CurveSeries",
    "Evidence",
    "Metric",
    "MetricName",
    "ModelFamily",
    "ModelRef",
    "ModelSize",
    "Prompting",
    "PromptingStrategy",
    "ReasonClass",
    "Relation",
    "RelationScope",
    "RelationType",
    "Scale",
    "SourceRef",
    "SourceRole",
    "Status",
    "Task",
    "Term",
    "parse_scale",
]
