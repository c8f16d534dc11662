"""Export: Catalog -> catalog.json, catalog.csv, curves.json, curves.csv and references.bib.

The step after the catalog. These are the public downloads (the site serves the
same bytes) and the documented contract of ``catalog.json`` and ``curves.json``
(see the site's "Downloads and catalog.json" page). ``catalog.json`` holds the
entries, the model registry and the references; the curve points, which are
most of the bytes, live in ``curves.json`` (and ``curves.csv``, one row per point). Output is deterministic: same catalog, same
bytes. Each file is written record by record (an entry's or a curve's text, joined
into the same bytes as dumping the whole document), so that the site build can
reuse the text of a record whose inputs did not change
(:mod:`emergence_atlas.builder.derived`). Writing to disk is atomic
(:func:`emergence_atlas.fileio.write_atomic`, re-exported here).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ._version import SCHEMA_VERSION, __version__
from .catalog import QUANTITY_KINDS, Catalog, ResolvedQuantity
from .evidence import IntervalEnd, interval
from .fileio import write_atomic
from .schema.models import AbilityEntry, Curve, CurvePoint, CurveSeries, ModelFamily, SourceRef

__all__ = ["CSV_COLUMNS", "CURVE_CSV_COLUMNS", "DOWNLOADS", "FORMATS", "Parts", "csv_row", "curve_csv_rows",
           "curve_csv_text", "curve_json", "curve_points", "curve_record", "entry_csv_text", "entry_json", "entry_record",
           "family_record", "render", "to_bibtex", "to_csv", "to_curves_csv", "to_curves_json", "to_curves_json_data",
           "to_json", "to_json_data", "write_atomic"]

FORMATS = ("json", "csv", "curves-json", "curves-csv", "bibtex")

#: The site's download files and the export format that writes each (same bytes).
DOWNLOADS = {"catalog.json": "json", "catalog.csv": "csv", "curves.json": "curves-json", "curves.csv": "curves-csv",
             "references.bib": "bibtex"}

#: Key order of ``scale`` in catalog.json (documented; kept for byte-identical output).
_JSON_SCALE_ORDER = ("params", "train_flops", "train_tokens")

CSV_COLUMNS = (
    "id", "ability", "benchmark", "task", "category", "prompting_strategy", "shots",
    "model_family", "model_size", "params", "params_basis", "train_flops", "train_flops_basis",
    "train_tokens", "train_tokens_basis", "params_as_printed", "train_flops_as_printed", "train_tokens_as_printed",
    "metric", "random_baseline", "source_key", "source_locator",
    "source_evidence", "status", "description",
)


def _source(ref: SourceRef) -> dict[str, Any]:
    return {"key": ref.key, "locator": ref.locator, "evidence": ref.evidence.value if ref.evidence else None}


def _alternatives(alts: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{"value": a.value, "as_printed": a.as_printed, "source": _source(a.source), "note": a.note} for a in alts]


def _provenance(q: ResolvedQuantity | None) -> dict[str, Any] | None:
    """Where a canonical value comes from, and what the entry's own source printed (``printed``)."""
    if q is None:
        return None
    printed = q.printed
    return {
        "basis": q.basis.value, "origin": q.origin, "source": _source(q.source), "as_printed": q.as_printed,
        "method": q.method, "note": q.note, "disagreements": _alternatives(q.disagreements),
        "printed": None if printed is None else {
            "value": printed.value, "as_printed": printed.as_printed, "basis": printed.basis.value,
            "source": _source(printed.source), "method": printed.method, "note": printed.note},
    }


def _printed_value(q: ResolvedQuantity | None) -> float | None:
    """The number the entry's source printed, when the entry states one."""
    return q.printed.value if q is not None and q.printed is not None else None


def entry_record(catalog: Catalog, entry: AbilityEntry) -> dict[str, Any]:
    """The ``catalog.json`` object of one entry (documented shape, see :data:`SCHEMA_VERSION`).

    ``scale`` holds the canonical values (the registry's for the named size, else the
    entry's own), ``scale_as_printed`` the numbers the entry's source prints (null
    where the entry states none), and ``scale_provenance`` where each comes from.
    """
    scale = catalog.scale(entry)
    family = catalog.families.get(entry.model.family)
    return {
        "id": entry.id,
        "ability": entry.ability,
        "task": {
            "benchmark": entry.task.benchmark, "name": entry.task.name,
            "answer_format": entry.task.answer_format.value if entry.task.answer_format else None,
            "answer_choices": entry.task.answer_choices,
            "items": None if entry.task.items is None else {
                "value": entry.task.items.value, "source": _source(entry.task.items.source), "note": entry.task.items.note},
            "keywords": list(entry.task.keywords),
        },
        "category": entry.category.value,
        "kind": entry.kind.value,
        "direction": entry.direction.value,
        "axis": None if entry.axis is None else {
            "name": entry.axis.name.value, "unit": entry.axis.unit, "note": entry.axis.note,
            "threshold": None if entry.axis.threshold is None else {
                "value": entry.axis.threshold.value, "as_printed": entry.axis.threshold.as_printed,
                "basis": entry.axis.threshold.basis.value, "source": _source(entry.axis.threshold.source),
                "note": entry.axis.threshold.note}},
        "condition": entry.condition,
        "emergent_sense": entry.emergent_sense.value,
        "description": entry.description,
        "prompting": {"strategy": entry.prompting.strategy.value, "shots": entry.prompting.shots},
        "model": {
            "family": entry.model.family, "size": entry.model.size,
            "family_name": family.name if family else None, "name_in_source": entry.model.name_in_source,
        },
        "scale": {kind: scale.value(kind) for kind in _JSON_SCALE_ORDER},
        "scale_as_printed": {kind: _printed_value(getattr(scale, kind)) for kind in _JSON_SCALE_ORDER},
        "scale_provenance": {kind: _provenance(getattr(scale, kind)) for kind in _JSON_SCALE_ORDER},
        "metric": None if entry.metric is None else {
            "name": entry.metric.name.value, "name_in_source": entry.metric.name_in_source,
            "random_baseline": entry.metric.random_baseline, "higher_is_worse": entry.metric.higher_is_worse,
            "note": entry.metric.note,
        },
        "source": _source(entry.source),
        "additional_sources": [{**_source(s), "role": s.role.value} for s in entry.additional_sources],
        "status": entry.status.value,
        "relations": [
            {"type": r.type.value, "source": _source(r.source), "reason": r.reason.value if r.reason else None,
             "scope": r.scope.value, "note": r.note}
            for r in entry.relations
        ],
        "related": list(entry.related),
        "curves": [c.id for c in catalog.curves_of(entry)],
        "emergence": emergence_record(catalog, entry),
        "evidence": evidence_record(catalog, entry),
        "notes": list(entry.notes),
    }


def _score(score: Any) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"value": score.value, "scale": score.scale.value, "basis": score.basis.value, "source": _source(score.source),
            "note": score.note}


def _end(end: IntervalEnd | None) -> dict[str, Any] | None:
    if end is None:
        return None
    return {"size": end.size, "params": end.params, "train_flops": end.train_flops, "origin": end.origin,
            "source": _source(end.source) if end.source else None}


def emergence_record(catalog: Catalog, entry: AbilityEntry) -> dict[str, Any]:
    """The claim's form, its interval (lower and upper end) and the scores its source prints."""
    span = interval(catalog, entry)
    em = entry.emergence
    return {
        "form": span.form.value, "lower": _end(span.lower), "upper": _end(span.upper), "interval_note": span.note,
        "score_at": _score(em.score_at), "score_below": _score(em.score_below),
        "baseline_score_at": _score(em.baseline_score_at), "baseline_score_below": _score(em.baseline_score_below),
        "note": em.note,
    }


def _crossing(c: Any) -> dict[str, Any]:
    return dict(c.as_dict())


def evidence_record(catalog: Catalog, entry: AbilityEntry) -> dict[str, Any]:
    """Replications (with verdicts) and later evidence on the task (without) for one entry."""
    ev = catalog.evidence(entry)
    return {
        "replications": [
            {"curve": r.curve, "series": r.series, "label": r.label, "verdict": r.verdict.value,
             "statement": r.statement, "rule": _crossing(r.crossing),
             "gains": [{"size": size, "gain": g, "margin": m} for size, g, m in r.gains]}
            for r in ev.replications],
        "later_evidence": [
            {"curve": e.curve, "series": e.series, "label": e.label, "family": e.family,
             "differences": list(e.differences), "statement": e.statement, "rule": _crossing(e.crossing)}
            for e in ev.later],
    }


def family_record(family: ModelFamily) -> dict[str, Any]:
    """The ``catalog.json`` object of one model family."""
    def quantity(q: Any) -> dict[str, Any] | None:
        if q is None:
            return None
        return {"value": q.value, "basis": q.basis.value, "source": _source(q.source), "as_printed": q.as_printed,
                "method": q.method, "note": q.note, "disagreements": _alternatives(q.disagreements)}

    return {
        "id": family.id, "name": family.name, "developer": family.developer, "description": family.description,
        "sources": [_source(s) for s in family.sources],
        "sizes": [
            {"size": s.size, "name": s.name, "aliases": list(s.aliases),
             **{kind: quantity(getattr(s, kind)) for kind in QUANTITY_KINDS}, "notes": list(s.notes)}
            for s in family.sizes
        ],
        "notes": list(family.notes),
    }


def curve_record(catalog: Catalog, curve: Curve) -> dict[str, Any]:
    """The ``curves.json`` object of one curve, with each series' rule result and shape measures."""
    return {**curve.model_dump(mode="json"), "thresholds": catalog.thresholds(curve.id)}


def _references(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {"key": r.key, "type": r.entry_type, "title": r.title, "authors": list(r.authors), "year": r.year,
         "venue": r.venue, "url": r.url, "doi": r.doi, "eprint": r.eprint}
        for r in catalog.references.values()
    ]


def _json_head(catalog: Catalog) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog_version": __version__,
        "counts": {"entries": len(catalog), "model_families": len(catalog.families),
                   "references": len(catalog.references), "curves": len(catalog.curves)},
    }


def to_json_data(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog but the curves as the ``catalog.json`` document (a dict).

    Entries name their curves by id (``curves``); the curves are in :func:`to_curves_json_data`.
    """
    return {
        **_json_head(catalog),
        "entries": [entry_record(catalog, e) for e in catalog],
        "models": [family_record(f) for f in catalog.families.values()],
        "references": _references(catalog),
    }


def _curves_head(catalog: Catalog) -> dict[str, Any]:
    curves = catalog.curves.values()
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog_version": __version__,
        "counts": {"curves": len(curves), "series": sum(len(c.series) for c in curves),
                   "points": sum(len(s.points) for c in curves for s in c.series)},
    }


def to_curves_json_data(catalog: Catalog) -> dict[str, Any]:
    """Every scaling curve as the ``curves.json`` document (a dict), in curve-id order."""
    return {**_curves_head(catalog), "curves": [curve_record(catalog, c) for c in catalog.curves.values()]}


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _compact(data: dict[str, Any]) -> str:
    return _dumps(data) + "\n"


#: The text of one record of a download (an entry's or a curve's), given the record: the default computes it;
#: the site build passes one that reuses the text of a record whose inputs did not change.
Parts = Callable[[Any], str]


def entry_json(catalog: Catalog, entry: AbilityEntry) -> str:
    """The compact JSON text of one entry's ``catalog.json`` object (one item of ``entries``)."""
    return _dumps(entry_record(catalog, entry))


def curve_json(catalog: Catalog, curve: Curve) -> str:
    """The compact JSON text of one curve's ``curves.json`` object (one item of ``curves``)."""
    return _dumps(curve_record(catalog, curve))


def _document(head: dict[str, Any], lists: list[tuple[str, list[str]]]) -> str:
    """Compact JSON of ``head`` followed by list fields given as the texts of their items: the same
    bytes as dumping the whole document at once (the compact encoder joins items with ``,``)."""
    text = _dumps(head)[:-1]
    for name, items in lists:
        text += f",{_dumps(name)}:[" + ",".join(items) + "]"
    return text + "}\n"


def to_json(catalog: Catalog, entry_part: Parts | None = None) -> str:
    """``catalog.json`` text: compact UTF-8 JSON with a trailing newline (pipe it to ``jq`` to read).

    ``entry_part`` gives the text of one entry (default :func:`entry_json`).
    """
    part = entry_part or (lambda e: entry_json(catalog, e))
    return _document(_json_head(catalog), [
        ("entries", [part(e) for e in catalog]),
        ("models", [_dumps(family_record(f)) for f in catalog.families.values()]),
        ("references", [_dumps(r) for r in _references(catalog)]),
    ])


def to_curves_json(catalog: Catalog, curve_part: Parts | None = None) -> str:
    """``curves.json`` text: compact UTF-8 JSON with a trailing newline.

    ``curve_part`` gives the text of one curve (default :func:`curve_json`).
    """
    part = curve_part or (lambda c: curve_json(catalog, c))
    return _document(_curves_head(catalog), [("curves", [part(c) for c in catalog.curves.values()])])


def _num(value: float | None) -> str:
    return "" if value is None else repr(value)


def csv_row(catalog: Catalog, entry: AbilityEntry) -> dict[str, str]:
    """One ``catalog.csv`` row: canonical scale columns, then the ``*_as_printed`` numbers of the entry's source."""
    scale = catalog.scale(entry)

    def basis(kind: str) -> str:
        q = getattr(scale, kind)
        return q.basis.value if q is not None else ""

    return {
        "id": entry.id, "ability": entry.ability, "benchmark": entry.task.benchmark, "task": entry.task.name,
        "category": entry.category.value, "prompting_strategy": entry.prompting.strategy.value,
        "shots": "" if entry.prompting.shots is None else str(entry.prompting.shots),
        "model_family": entry.model.family, "model_size": entry.model.size,
        "params": _num(scale.value("params")), "params_basis": basis("params"),
        "train_flops": _num(scale.value("train_flops")), "train_flops_basis": basis("train_flops"),
        "train_tokens": _num(scale.value("train_tokens")), "train_tokens_basis": basis("train_tokens"),
        **{f"{kind}_as_printed": _num(_printed_value(getattr(scale, kind))) for kind in _JSON_SCALE_ORDER},
        "metric": entry.metric.name.value if entry.metric else "",
        "random_baseline": _num(entry.metric.random_baseline) if entry.metric else "",
        "source_key": entry.source.key, "source_locator": entry.source.locator,
        "source_evidence": entry.source.evidence.value if entry.source.evidence else "",
        "status": entry.status.value, "description": entry.description,
    }


def _csv_text(columns: tuple[str, ...], rows: Iterable[dict[str, str]], header: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def entry_csv_text(catalog: Catalog, entry: AbilityEntry) -> str:
    """The ``catalog.csv`` line (or lines, when a field holds a newline) of one entry."""
    return _csv_text(CSV_COLUMNS, [csv_row(catalog, entry)])


def to_csv(catalog: Catalog, entries: Iterable[AbilityEntry] | None = None, entry_part: Parts | None = None) -> str:
    """``catalog.csv`` text: one row per entry (default: every entry), columns :data:`CSV_COLUMNS`.

    ``entry_part`` gives the text of one entry's row (default :func:`entry_csv_text`).
    """
    part = entry_part or (lambda e: entry_csv_text(catalog, e))
    return _csv_text(CSV_COLUMNS, [], header=True) + "".join(part(e) for e in (catalog if entries is None else entries))


CURVE_CSV_COLUMNS = (
    "curve", "benchmark", "task", "metric", "metric_scale", "random_baseline", "series", "family", "family_name",
    "prompting_strategy", "shots", "source_key", "source_locator", "size", "model_name", "params", "active_params",
    "train_tokens", "train_flops", "score",
)


def curve_points(catalog: Catalog, curve: Curve) -> Iterator[tuple[int, CurveSeries, str | None, CurvePoint,
                                                                   dict[str, float | None]]]:
    """Every point of ``curve``, series by series: ``(series position, series, family name, point, scale)``.

    The family name is the registry family's, or the series' own ``family_name`` for a
    family outside the registry; the scale is the point's own, else the registry's for
    the size it names (:meth:`Catalog.point_scale`). ``curves.csv`` and the curves table
    (:func:`emergence_atlas.tables.curve_rows`) are both written from it.
    """
    for index, series in enumerate(curve.series):
        family = catalog.families.get(series.family) if series.family else None
        family_name = family.name if family is not None else series.family_name
        for point in series.points:
            yield index, series, family_name, point, catalog.point_scale(series, point)


def curve_csv_rows(catalog: Catalog, curve: Curve) -> list[dict[str, str]]:
    """The ``curves.csv`` rows of one curve: one per point, series by series (see :func:`curve_points`)."""
    return [{
        "curve": curve.id, "benchmark": curve.task.benchmark, "task": curve.task.name,
        "metric": curve.metric.name.value, "metric_scale": curve.metric.scale.value,
        "random_baseline": _num(curve.metric.random_baseline), "series": series.label,
        "family": series.family or "", "family_name": family_name or "",
        "prompting_strategy": series.prompting.strategy.value,
        "shots": "" if series.prompting.shots is None else str(series.prompting.shots),
        "source_key": series.source.key, "source_locator": series.source.locator,
        "size": point.size or "", "model_name": point.model_name or "",
        "params": _num(scale["params"]), "active_params": _num(point.active_params),
        "train_tokens": _num(scale["train_tokens"]), "train_flops": _num(scale["train_flops"]),
        "score": _num(point.score),
    } for _, series, family_name, point, scale in curve_points(catalog, curve)]


def curve_csv_text(catalog: Catalog, curve: Curve) -> str:
    """The ``curves.csv`` lines of one curve (:func:`curve_csv_rows` as CSV text)."""
    return _csv_text(CURVE_CSV_COLUMNS, curve_csv_rows(catalog, curve))


def to_curves_csv(catalog: Catalog, curve_part: Parts | None = None) -> str:
    """``curves.csv`` text: one row per curve point, curves in id order, columns :data:`CURVE_CSV_COLUMNS`.

    ``curve_part`` gives the text of one curve's rows (default :func:`curve_csv_text`).
    """
    part = curve_part or (lambda c: curve_csv_text(catalog, c))
    return _csv_text(CURVE_CSV_COLUMNS, [], header=True) + "".join(part(c) for c in catalog.curves.values())


def to_bibtex(catalog: Catalog, keys: list[str] | None = None) -> str:
    """BibTeX of the given keys (default: every reference), in key order, as written in references.bib."""
    chosen = sorted(catalog.references) if keys is None else sorted(set(keys))
    return "\n\n".join(catalog.references[k].bibtex for k in chosen) + "\n"


def render(catalog: Catalog, fmt: str) -> str:
    """The export text in one of :data:`FORMATS`."""
    if fmt == "json":
        return to_json(catalog)
    if fmt == "csv":
        return to_csv(catalog)
    if fmt == "curves-json":
        return to_curves_json(catalog)
    if fmt == "curves-csv":
        return to_curves_csv(catalog)
    if fmt == "bibtex":
        return to_bibtex(catalog)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")

