"""Curve figures: catalog curves -> plot specs and data tables for entry pages.

Part of the builder step. For every curve that names catalog entries, resolve
each point's scale (the point's own values, else the registry size's), build a
plot spec per axis (training FLOPs, parameters) with the random baseline and the
entry's reported threshold marked (the entry's family highlighted when the curve
has it), the sentence that says what is drawn, and the table of numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..catalog import Catalog
from ..schema.models import Curve, CurvePoint, CurveSeries
from ..schema.vocabularies import METRIC_TERMS
from .figures import describe_curve, evidence_figure, family_styles
from .text import human_count, scientific, slug

AXES = {"train_flops": "training FLOPs (log scale)", "params": "parameters (log scale)"}


def _point_label(series: CurveSeries, point: CurvePoint, family_name: Callable[[str], str]) -> str:
    if point.model_name:
        return point.model_name
    name = family_name(series.family) if series.family else (series.family_name or "")
    return f"{name} {point.size or ''}".strip()


def _series_family(series: CurveSeries, family_name: Callable[[str], str]) -> str:
    return family_name(series.family) if series.family else (series.family_name or series.label)


def site_family_order(catalog: Catalog, family_name: Callable[[str], str]) -> list[str]:
    """Every family name the site's plots can show, in the order that gives them colours.

    Registry families first (the families claims are about, by name), then the
    families that only curves name (by name); see :func:`.plots.family_styles`.
    """
    registry = sorted({family_name(f) for f in catalog.families}, key=str.lower)
    others = sorted({_series_family(s, family_name) for c in catalog.curves.values() for s in c.series}
                    - set(registry), key=str.lower)
    return registry + others


def site_styles(catalog: Catalog, family_name: Callable[[str], str]) -> dict[str, dict[str, str]]:
    """Family name -> colour and marker, the same in every plot of the site."""
    together = [{_series_family(s, family_name) for s in c.series} for c in catalog.curves.values()]
    together.append({family_name(f) for f in catalog.families})  # the home page's maps show them all
    return family_styles(site_family_order(catalog, family_name), together)


def _curve_figures_for(catalog: Catalog, curve: Curve, family_name: Callable[[str], str],
                       specs: dict[str, dict[str, Any]], styles: dict[str, dict[str, str]]
                       ) -> dict[str, list[dict[str, Any]]]:
    """Entry id -> this curve's figures for that entry (the entry's family highlighted when drawn)."""
    metric = METRIC_TERMS[curve.metric.name.value].label
    unit = " (%)" if curve.metric.scale.value == "percent" else ""
    by_family: dict[str, list[str]] = {}
    for entry_id in curve.entries:
        if entry_id in catalog:
            by_family.setdefault(family_name(catalog[entry_id].model.family), []).append(entry_id)
    out: dict[str, list[dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    attributions: list[str] = []
    for series in curve.series:
        for point in series.points:
            scale = catalog.point_scale(series, point)
            rows.append({"series": series.label, "model": _point_label(series, point, family_name),
                         "params": human_count(scale["params"]), "flops": scientific(scale["train_flops"]),
                         "score": f"{point.score:g}"})
        if series.data is not None:
            attributions.append(series.data.attribution or f"Data: {series.data.file} ({series.data.license})")
    series_families = {_series_family(s, family_name) for s in curve.series}
    for claim_family, entry_ids in sorted(by_family.items()):
        highlight = claim_family if claim_family in series_families else None
        figures = []
        for axis, label in AXES.items():
            series_specs = []
            for series in curve.series:
                pts = [[v, point.score] for point in series.points
                       if (v := catalog.point_scale(series, point)[axis]) is not None]
                if len(pts) >= 2:
                    series_specs.append({"label": series.label, "family": _series_family(series, family_name),
                                         "points": pts})
            if not series_specs:
                continue
            reported = [(catalog.scale(i).value(axis), catalog[i].model.size) for i in entry_ids]
            reported = [(x, size) for x, size in reported if x is not None]
            spec = evidence_figure(
                series_specs, highlight_family=highlight, baseline=curve.metric.random_baseline,
                xlabel=label, ylabel=f"{metric}{unit}", styles=styles)
            spec["markers"] = [{"x": x, "label": f"reported: {claim_family} {size}"}
                               for x, size in sorted(set(reported))[:3]]
            name = f"curve-{curve.id}-{axis.replace('_', '-')}"
            if highlight is not None:
                name += f"-{slug(claim_family)}"
            specs[name] = spec
            drawn = (f"{curve.task.benchmark}: {curve.task.name}, {metric.lower()}{unit} against "
                     f"{label.split(' (')[0]}: {describe_curve(spec)}")
            notes = " ".join(curve.notes)
            figures.append({"plot": name, "axis": axis, "caption": f"{drawn} {notes}".strip(), "drawn": drawn,
                            "notes": notes, "highlight": highlight, "rows": [],
                            "alt": f"Scaling curve of {curve.task.name}: {metric} against {label}",
                            "attributions": sorted(set(attributions))})
        if figures:
            figures[0]["rows"] = rows
        for entry_id in entry_ids:
            out[entry_id] = figures
    return out


def curve_figures(catalog: Catalog, specs: dict[str, dict[str, Any]],
                  family_name: Callable[[str], str]) -> dict[str, list[dict[str, Any]]]:
    """Entry id -> figures of every curve naming that entry.

    Each figure: ``plot`` (name of the SVG pair), ``axis``, ``drawn`` (what the plot
    shows, sentence by sentence), ``notes`` (the curve's own notes), ``caption``
    (both), ``highlight`` (the claim's family when the curve has it, drawn in colour
    with the other families muted), ``rows`` (the data table, on the first figure of
    a curve), ``alt`` and ``attributions``.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    styles = site_styles(catalog, family_name)
    for curve in catalog.curves.values():
        if not curve.entries:
            continue
        for entry_id, figures in _curve_figures_for(catalog, curve, family_name, specs, styles).items():
            out.setdefault(entry_id, []).extend(figures)
    return out
