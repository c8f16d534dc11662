"""Curve figures: catalog curves -> plot specs and data tables for entry pages.

Part of the builder step. For every curve that names catalog entries, resolve
each point's scale (the point's own values, else the registry size's), build a
plot spec per axis (training FLOPs, parameters) with the random baseline and the
entry's reported threshold marked, and the table of numbers shown beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..catalog import Catalog
from ..schema.models import Curve, CurvePoint, CurveSeries
from ..schema.vocabularies import METRIC_TERMS
from .text import human_count, scientific

AXES = {"train_flops": "training FLOPs (log scale)", "params": "parameters (log scale)"}


def _point_label(series: CurveSeries, point: CurvePoint, family_name: Callable[[str], str]) -> str:
    if point.model_name:
        return point.model_name
    name = family_name(series.family) if series.family else (series.family_name or "")
    return f"{name} {point.size or ''}".strip()


def _curve_figures_for(catalog: Catalog, curve: Curve, family_name: Callable[[str], str],
                       specs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    metric = METRIC_TERMS[curve.metric.name.value].label
    unit = " (%)" if curve.metric.scale.value == "percent" else ""
    figures = []
    for axis, label in AXES.items():
        series_specs, rows, attributions = [], [], []
        for series in curve.series:
            pts = []
            for point in series.points:
                scale = catalog.point_scale(series, point)
                rows.append({"series": series.label, "model": _point_label(series, point, family_name),
                             "params": human_count(scale["params"]), "flops": scientific(scale["train_flops"]),
                             "score": f"{point.score:g}"})
                if scale[axis] is not None:
                    pts.append([scale[axis], point.score])
            if len(pts) >= 2:
                series_specs.append({"label": series.label, "points": pts})
            if series.data is not None:
                text = series.data.attribution or f"Data: {series.data.file} ({series.data.license})"
                attributions.append(text)
        if not series_specs:
            continue
        name = f"curve-{curve.id}-{axis.replace('_', '-')}"
        markers = []
        for entry_id in curve.entries:
            if entry_id in catalog:
                value = catalog.scale(entry_id).value(axis)
                if value is not None:
                    markers.append({"x": value, "label": f"reported: {catalog[entry_id].model.size} ({entry_id})"})
        specs[name] = {"kind": "curve", "series": series_specs, "baseline": curve.metric.random_baseline,
                       "markers": markers[:3], "xlabel": label, "ylabel": f"{metric}{unit}"}
        caption = (f"{curve.task.benchmark}: {curve.task.name}, {metric.lower()}{unit} against {label.split(' (')[0]}; "
                   f"one line per series, dashed line the random baseline, dotted lines the reported thresholds.")
        if curve.notes:
            caption += " " + " ".join(curve.notes)
        figures.append({"plot": name, "axis": axis, "caption": caption, "rows": rows if axis == "train_flops" else [],
                        "alt": f"Scaling curve of {curve.task.name}: {metric} against {label}",
                        "attributions": sorted(set(attributions))})
    if figures and not figures[0]["rows"]:
        figures[0]["rows"] = rows
    return figures


def curve_figures(catalog: Catalog, specs: dict[str, dict[str, Any]],
                  family_name: Callable[[str], str]) -> dict[str, list[dict[str, Any]]]:
    """Entry id -> figures (plot name, caption, data rows) of every curve naming that entry."""
    out: dict[str, list[dict[str, Any]]] = {}
    for curve in catalog.curves.values():
        if not curve.entries:
            continue
        figures = _curve_figures_for(catalog, curve, family_name, specs)
        for entry_id in curve.entries:
            out.setdefault(entry_id, []).extend(figures)
    return out
