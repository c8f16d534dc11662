"""Curve figures: catalog curves -> plot specs and data tables for entry pages.

Part of the builder step. Two kinds of figure, one plot each, on parameters
(every series has them; FLOPs mix accountings across families):

* the **claim's own evidence**: for an entry, the series of its own model family
  in a curve that names it, with the claimed size and the lower end of its
  interval marked (one figure per entry and curve);
* **later evidence on the task**: every series of a curve, one figure per curve
  shared by the entries that curve names, with no mark of any claim (other
  families say where the task rises for them, not whether a claim holds).

Each figure comes with the table of its numbers and the data's attribution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..catalog import Catalog
from ..evidence import interval
from ..schema.models import AbilityEntry, Curve, CurvePoint, CurveSeries
from ..schema.vocabularies import METRIC_TERMS
from .figures import describe_curve, family_styles
from .text import human_count, scientific

XLABEL = "parameters (log scale)"


def _point_label(series: CurveSeries, point: CurvePoint, family_name: Callable[[str], str]) -> str:
    if point.model_name:
        return point.model_name
    name = family_name(series.family) if series.family else (series.family_name or "")
    return f"{name} {point.size or ''}".strip()


def _series_family(series: CurveSeries, family_name: Callable[[str], str]) -> str:
    return family_name(series.family) if series.family else (series.family_name or series.label)


def site_family_order(catalog: Catalog, family_name: Callable[[str], str]) -> list[str]:
    """Every family name the site's plots can show, in the order that gives them colours.

    Registry families first (the families claims are about; those with the most
    entries first, so the maps' main families get distinct colours), then the
    families that only curves name (by name); see :func:`.figures.family_styles`.
    """
    entries: dict[str, int] = {}
    for entry in catalog:
        entries[entry.model.family] = entries.get(entry.model.family, 0) + 1
    registry = [family_name(f) for f in sorted(catalog.families, key=lambda f: (-entries.get(f, 0), family_name(f).lower()))]
    others = sorted({_series_family(s, family_name) for c in catalog.curves.values() for s in c.series}
                    - set(registry), key=str.lower)
    return registry + others


def site_styles(catalog: Catalog, family_name: Callable[[str], str]) -> dict[str, dict[str, str]]:
    """Family name -> colour and marker, the same in every plot of the site."""
    together = [{_series_family(s, family_name) for s in c.series} for c in catalog.curves.values()]
    together.append({family_name(f) for f in catalog.families})  # the home page's maps show them all
    return family_styles(site_family_order(catalog, family_name), together)


def _series_spec(catalog: Catalog, series: CurveSeries, family_name: Callable[[str], str]) -> dict[str, Any] | None:
    pts = []
    for point in series.points:
        x = catalog.point_scale(series, point)["params"]
        if x is not None:
            pts.append([x, point.score])
    if len(pts) < 2:
        return None
    family = family_name(series.family) if series.family else (series.family_name or series.label)
    return {"label": series.label, "family": family, "points": pts}


def _rows(catalog: Catalog, curve: Curve, series_list: list[CurveSeries],
          family_name: Callable[[str], str]) -> list[dict[str, str]]:
    rows = []
    for series in series_list:
        for point in series.points:
            scale = catalog.point_scale(series, point)
            rows.append({"series": series.label, "model": _point_label(series, point, family_name),
                         "params": human_count(scale["params"]), "flops": scientific(scale["train_flops"]),
                         "score": f"{point.score:g}"})
    return rows


def _attributions(series_list: list[CurveSeries]) -> list[str]:
    out = set()
    for series in series_list:
        if series.data is not None:
            out.add(series.data.attribution or f"Data: {series.data.file} ({series.data.license})")
    return sorted(out)


def _task_title(curve: Curve) -> str:
    """``Benchmark: task``, or the name once when the two are the same (``StrategyQA``)."""
    task = curve.task
    return task.name if task.name == task.benchmark else f"{task.benchmark}: {task.name}"


def _metric_text(curve: Curve) -> tuple[str, str]:
    metric = METRIC_TERMS[curve.metric.name.value].label
    unit = " (%)" if curve.metric.scale.value == "percent" else ""
    return metric, unit


def own_figure(catalog: Catalog, entry: AbilityEntry, curve: Curve, specs: dict[str, dict[str, Any]],
               family_name: Callable[[str], str]) -> dict[str, Any] | None:
    """The claim family's series of ``curve``, with the claimed size and the interval's lower end marked."""
    mine = [s for s in curve.series if s.family == entry.model.family]
    series_specs = [spec for spec in (_series_spec(catalog, s, family_name) for s in mine) if spec]
    if not series_specs:
        return None
    metric, unit = _metric_text(curve)
    span = interval(catalog, entry)
    markers = []
    if span.lower is not None and span.lower.params is not None:
        markers.append({"x": span.lower.params, "label": f"lower end: {span.lower.size}", "style": "--"})
    if span.upper.params is not None:
        word = "by" if span.form.value == "upper_bound" else "claimed"
        markers.append({"x": span.upper.params, "label": f"{word}: {span.upper.size}", "style": ":"})
    name = f"own-{entry.id}-{curve.id}"
    baseline = curve.metric.random_baseline
    specs[name] = {"kind": "curve", "series": series_specs, "baseline": baseline, "markers": markers,
                   "highlight": family_name(entry.model.family), "xlabel": XLABEL, "ylabel": f"{metric}{unit}"}
    drawn = "a dashed line marks the random baseline; " if baseline is not None else ""
    caption = (f"{_task_title(curve)}, {metric.lower()}{unit} of {family_name(entry.model.family)} "
               f"against parameters, one line per prompting setup; {drawn}vertical lines mark the claimed size"
               f"{' and the lower end of the interval' if len(markers) == 2 else ''}.")
    return {"plot": name, "caption": caption, "rows": _rows(catalog, curve, mine, family_name),
            "alt": f"{curve.task.name}: {metric} of {family_name(entry.model.family)} against parameters",
            "attributions": _attributions(mine), "curve": curve.id}


def later_figure(catalog: Catalog, curve: Curve, specs: dict[str, dict[str, Any]],
                 family_name: Callable[[str], str]) -> dict[str, Any] | None:
    """Every series of ``curve`` in one plot (shared by the entries it names), with no claim marked."""
    series_specs = [spec for spec in (_series_spec(catalog, s, family_name) for s in curve.series) if spec]
    if not series_specs:
        return None
    metric, unit = _metric_text(curve)
    name = f"curve-{curve.id}"
    if name not in specs:
        specs[name] = {"kind": "curve", "series": series_specs, "baseline": curve.metric.random_baseline,
                       "markers": [], "xlabel": XLABEL, "ylabel": f"{metric}{unit}"}
    return {"plot": name, "curve": curve.id,
            "title": f"{_task_title(curve)}, {metric.lower()}{unit}",
            "caption": describe_curve(specs[name]).rstrip("."), "notes": list(curve.notes),
            "rows": _rows(catalog, curve, list(curve.series), family_name),
            "alt": f"{curve.task.name}: {metric} against parameters, {len(series_specs)} series",
            "attributions": _attributions(list(curve.series))}
