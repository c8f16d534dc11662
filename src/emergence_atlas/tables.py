"""Tables: the model registry and the curve points as flat rows, and as pandas DataFrames.

An output step beside :mod:`emergence_atlas.query` (entries) and
:mod:`emergence_atlas.export` (the downloads): it reads a
[`Catalog`][emergence_atlas.Catalog] and turns the records that are not
entries into one row per model size and one row per curve point, with plain
values (numbers, strings, lists of ids). `Catalog.models_records`,
`Catalog.models_dataframe`, `Catalog.curves_records` and
`Catalog.curves_dataframe` hand over to it. pandas stays an optional extra:
only :func:`dataframe` imports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .catalog import QUANTITY_KINDS, Catalog, find_size
from .export import curve_points

if TYPE_CHECKING:
    import pandas

__all__ = ["CURVE_COLUMNS", "MODEL_COLUMNS", "curve_rows", "dataframe", "model_rows", "require_pandas"]

#: Columns of the registry table, in order: one row per size of a model family.
MODEL_COLUMNS = (
    "family", "family_name", "size", "name", "aliases",
    "params", "params_basis", "params_source", "params_locator",
    "train_tokens", "train_tokens_basis", "train_tokens_source", "train_tokens_locator",
    "train_flops", "train_flops_basis", "train_flops_source", "train_flops_locator",
    "entries",
)

#: Columns of the curves table, in order: one row per point of a series.
CURVE_COLUMNS = (
    "curve", "benchmark", "task", "metric", "score_scale", "series", "label", "family", "family_name", "size",
    "model_name", "params", "active_params", "train_tokens", "train_flops", "score", "strategy", "shots",
    "source", "entries",
)


def model_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One row per family size, families in id order and sizes in registry order.

    ``params``, ``train_tokens`` and ``train_flops`` are the registry's values (the
    canonical ones every entry of that size carries), each with its basis, BibTeX key
    and locator (None when the registry does not know it); ``entries`` counts the
    catalog entries that name the size.
    """
    named = Counter((e.model.family, s.size if (s := _size_of(catalog, e.model.family, e.model.size)) else None)
                    for e in catalog)
    rows: list[dict[str, Any]] = []
    for family in catalog.families.values():
        for size in family.sizes:
            row: dict[str, Any] = {"family": family.id, "family_name": family.name, "size": size.size,
                                   "name": size.name, "aliases": list(size.aliases)}
            for kind in QUANTITY_KINDS:
                q = getattr(size, kind)
                row[kind] = None if q is None else q.value
                row[f"{kind}_basis"] = None if q is None else q.basis.value
                row[f"{kind}_source"] = None if q is None else q.source.key
                row[f"{kind}_locator"] = None if q is None else q.source.locator
            row["entries"] = named[(family.id, size.size)]
            rows.append(row)
    return rows


def _size_of(catalog: Catalog, family_id: str, label: str) -> Any:
    family = catalog.families.get(family_id)
    return find_size(family, label) if family is not None else None


def curve_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One row per curve point, curves in id order, then series and points in file order.

    ``series`` is the series' position in its curve (from 0). The scale of a point is
    its own when it states one, else the registry's for its family and size (the
    values the site's plots use); ``active_params`` is set only for mixture-of-experts
    points that state it. ``entries`` lists the ids of the entries the curve is
    evidence for.
    """
    return [{
        "curve": curve.id, "benchmark": curve.task.benchmark, "task": curve.task.name,
        "metric": curve.metric.name.value, "score_scale": curve.metric.scale.value, "series": index,
        "label": series.label, "family": series.family, "family_name": family_name,
        "size": point.size, "model_name": point.model_name, "params": scale["params"],
        "active_params": point.active_params, "train_tokens": scale["train_tokens"],
        "train_flops": scale["train_flops"], "score": point.score,
        "strategy": series.prompting.strategy.value, "shots": series.prompting.shots,
        "source": series.source.key, "entries": list(curve.entries),
    } for curve in catalog.curves.values() for index, series, family_name, point, scale in curve_points(catalog, curve)]


def require_pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas; install it with: pip install 'emergence-atlas[pandas]'") from None
    return pandas


def dataframe(rows: list[dict[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    """``rows`` as a DataFrame with ``columns`` in order (missing values as None/NaN)."""
    pandas = require_pandas()
    return pandas.DataFrame(rows, columns=list(columns))
