"""Thresholds: emergence scales recomputed from curve points by named, versioned rules.

A step beside the catalog: it reads curve points (score at each scale) and
returns, per rule, a threshold, or "no emergence" (flat, smooth, or above chance
from the smallest size), or "undetermined" (too few points, no baseline), always
with the reason. The rules and their constants are documented on the
methodology page; a rule's version changes whenever its behaviour does.

Scores are compared on a 0-1 scale (percent scores are divided by 100) and with
"higher is better" (error metrics such as the Brier score are negated first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Margin above the random baseline that counts as "clearly above chance", on a 0-1 scale.
#: Two binomial standard errors at a 0.25 baseline with 300 items (2 * 0.025).
MARGIN = 0.05
#: Rule A calls a rise a jump when one step between neighbouring sizes carries at least
#: min(MAX_STEP_SHARE, STEP_FACTOR / steps) of the total rise: STEP_FACTOR times what each
#: step of a straight line (in log scale) would carry.
STEP_FACTOR = 2.4
MAX_STEP_SHARE = 0.75
#: Smallest coefficient of determination for an accepted sigmoid fit (rule B).
MIN_R2 = 0.8
#: Metrics where lower is better.
LOWER_IS_BETTER = {"brier_score", "token_edit_distance", "calibration_error", "log_likelihood_loss"}

NO_EMERGENCE = "no_emergence"
UNDETERMINED = "undetermined"
THRESHOLD = "threshold"


@dataclass(frozen=True)
class ThresholdResult:
    """One rule's verdict on one curve: a threshold, no emergence, or undetermined, and why."""

    rule: str
    version: int
    verdict: str
    threshold: float | None
    reason: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "version": self.version, "verdict": self.verdict, "threshold": self.threshold,
                "reason": self.reason, "details": self.details}


def normalise(points: Sequence[tuple[float, float]], *, percent: bool = False, lower_is_better: bool = False,
              baseline: float | None = None) -> tuple[list[tuple[float, float]], float | None]:
    """Points sorted by scale, on a 0-1 "higher is better" scale; duplicate scales averaged."""
    by_x: dict[float, list[float]] = {}
    for x, y in points:
        if x is None or y is None or not (x > 0) or not math.isfinite(y):
            continue
        by_x.setdefault(float(x), []).append(float(y))
    scale = 100.0 if percent else 1.0
    sign = -1.0 if lower_is_better else 1.0
    out = [(x, sign * (sum(ys) / len(ys)) / scale) for x, ys in sorted(by_x.items())]
    base = None if baseline is None else sign * baseline / scale
    return out, base


def baseline_margin(points: Sequence[tuple[float, float]], baseline: float | None) -> ThresholdResult:
    """Rule A (``baseline-margin``, v1).

    The threshold is the smallest scale from which every larger scale scores at least
    ``baseline + MARGIN``, provided the points below it are within ``MARGIN`` of the
    baseline region (near chance) and one step between neighbouring sizes carries at
    least ``MIN_STEP_SHARE`` of the total rise (a jump, not a smooth climb).
    """
    rule, version = "baseline-margin", 1
    if len(points) < 3:
        return ThresholdResult(rule, version, UNDETERMINED, None, f"{len(points)} point(s); the rule needs at least 3")
    if baseline is None:
        return ThresholdResult(rule, version, UNDETERMINED, None, "no random baseline is known for this metric")
    level = baseline + MARGIN
    above = [y >= level for _, y in points]
    details = {"level": round(level, 6), "points": len(points)}
    if all(above):
        return ThresholdResult(rule, version, NO_EMERGENCE, None, "above chance from the smallest size", details)
    if not any(above):
        return ThresholdResult(rule, version, NO_EMERGENCE, None, "flat: never clearly above chance", details)
    if not above[-1]:
        return ThresholdResult(rule, version, NO_EMERGENCE, None,
                               "not sustained: the largest size is back near chance", details)
    start = len(above) - 1
    while start > 0 and above[start - 1]:
        start -= 1
    ys = [y for _, y in points]
    rise = max(ys) - min(ys)
    steps = [ys[i + 1] - ys[i] for i in range(len(ys) - 1)]
    share = max(steps) / rise if rise > 0 else 0.0
    details.update({"largest_step_share": round(share, 4), "monotone": all(s >= -MARGIN for s in steps)})
    needed = min(MAX_STEP_SHARE, STEP_FACTOR / len(steps))
    if share < needed:
        return ThresholdResult(rule, version, NO_EMERGENCE, None,
                               f"smooth: no single step carries {needed:.0%} of the rise "
                               f"(largest {share:.0%})", details)
    reason = "clearly above chance from this scale on"
    if not details["monotone"]:
        reason += " (the curve is not monotone)"
    return ThresholdResult(rule, version, THRESHOLD, points[start][0], reason, details)


def _sigmoid_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float, float, float]:
    """Least-squares fit of y = a + b / (1 + exp(-k (x - x0))) on a deterministic grid.

    Returns ``(x0, k, a, b, sse)``; for each (x0, k) on the grid (x0 in steps of 0.05 decades
    from one decade below to one above the data, k from 0.25 in 30 steps of x1.25), a and b
    are solved exactly by linear least squares, and the grid point with the smallest
    squared error wins (the first one on ties).
    """
    import numpy as np

    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    x0 = lo - 1 + 0.05 * np.arange(int(round((hi - lo + 2) / 0.05)) + 1)
    k = 0.25 * 1.25 ** np.arange(30)
    z = np.clip(k[:, None, None] * (x[None, None, :] - x0[None, :, None]), -50.0, 50.0)
    g = 1.0 / (1.0 + np.exp(-z))                      # shape (k, x0, n)
    gm = g.mean(axis=2, keepdims=True)
    ym = y.mean()
    var = ((g - gm) ** 2).sum(axis=2)
    cov = ((g - gm) * (y - ym)).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(var > 1e-12, cov / var, 0.0)
    a = ym - b * gm[..., 0]
    sse = ((y - a[..., None] - b[..., None] * g) ** 2).sum(axis=2)
    sse = np.where(var > 1e-12, sse, np.inf)
    i, j = np.unravel_index(int(np.argmin(sse)), sse.shape)
    return float(x0[j]), float(k[i]), float(a[i, j]), float(b[i, j]), float(sse[i, j])


def sigmoid_midpoint(points: Sequence[tuple[float, float]], baseline: float | None) -> ThresholdResult:
    """Rule B (``sigmoid-midpoint``, v1).

    Fits ``score = a + b / (1 + exp(-k (log10 scale - m)))`` and takes ``10**m`` as the
    threshold when the fit explains the points (R² >= ``MIN_R2``), the rise ``b`` is at
    least ``2 * MARGIN``, the midpoint lies inside the measured range, and the
    10-90% transition (``2 ln 9 / k`` decades) is narrower than the measured range.
    """
    rule, version = "sigmoid-midpoint", 1
    if len(points) < 4:
        return ThresholdResult(rule, version, UNDETERMINED, None, f"{len(points)} point(s); the fit needs at least 4")
    xs = [math.log10(x) for x, _ in points]
    ys = [y for _, y in points]
    x0, k, a, b, sse = _sigmoid_fit(xs, ys)
    mean = sum(ys) / len(ys)
    sst = sum((y - mean) ** 2 for y in ys)
    r2 = 1 - sse / sst if sst > 0 else 0.0
    width = 2 * math.log(9) / k
    span = max(xs) - min(xs)
    details = {"midpoint_log10": round(x0, 4), "steepness": round(k, 4), "rise": round(b, 4), "r2": round(r2, 4),
               "width_decades": round(width, 4), "span_decades": round(span, 4)}
    if sst == 0 or b < 2 * MARGIN:
        return ThresholdResult(rule, version, NO_EMERGENCE, None, "flat: the fitted rise is below twice the margin",
                               details)
    if r2 < MIN_R2:
        return ThresholdResult(rule, version, UNDETERMINED, None,
                               f"poor fit: R² {r2:.2f} < {MIN_R2} (noisy or not sigmoid-shaped)", details)
    if x0 <= min(xs):
        return ThresholdResult(rule, version, NO_EMERGENCE, None,
                               "above chance from the smallest size: the midpoint is below the measured range", details)
    if x0 >= max(xs):
        return ThresholdResult(rule, version, UNDETERMINED, None,
                               "the midpoint is beyond the largest measured size", details)
    if width >= span:
        return ThresholdResult(rule, version, NO_EMERGENCE, None,
                               f"smooth: the 10-90% transition spans {width:.1f} decades, "
                               f"wider than the {span:.1f} measured", details)
    if baseline is not None and a + b < baseline + MARGIN:
        return ThresholdResult(rule, version, NO_EMERGENCE, None, "the fitted plateau stays near chance", details)
    return ThresholdResult(rule, version, THRESHOLD, 10 ** x0, "midpoint of an accepted sigmoid fit", details)


RULES = {"baseline-margin": baseline_margin, "sigmoid-midpoint": sigmoid_midpoint}


def recompute(points: Sequence[tuple[float, float]], baseline: float | None, *, percent: bool = False,
              lower_is_better: bool = False) -> list[ThresholdResult]:
    """Every rule on one series of (scale, score) points."""
    normalised, base = normalise(points, percent=percent, lower_is_better=lower_is_better, baseline=baseline)
    return [rule(normalised, base) for rule in RULES.values()]


def _improvement(ys: list[float]) -> float:
    """``I(y) = sign(argmax y - argmin y) * (max y - min y)`` (first maximum and minimum)."""
    imax, imin = ys.index(max(ys)), ys.index(min(ys))
    return (1.0 if imax > imin else -1.0) * (max(ys) - min(ys))


def _squared_steps(points: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]] | None:
    ys = [y for _, y in sorted(points)]
    if len(ys) < 3:
        return None
    return ys, sorted((ys[i + 1] - ys[i]) ** 2 for i in range(len(ys) - 1))


def breakthroughness(points: Sequence[tuple[float, float]]) -> float | None:
    """BIG-bench breakthroughness: ``B = I(y) / sqrt(median_i (y[i+1] - y[i])**2)``.

    Over the points sorted by scale. One jump scores high; a steady climb scores about
    its number of steps. None for fewer than 3 points or when the median step is 0.
    (Definition as restated by Schaeffer et al. 2023, Eq. 1, and Xia et al. 2023, Eq. 4.)
    """
    found = _squared_steps(points)
    if found is None:
        return None
    ys, squares = found
    mid = len(squares) // 2
    median = squares[mid] if len(squares) % 2 else (squares[mid - 1] + squares[mid]) / 2
    return None if median == 0 else _improvement(ys) / math.sqrt(median)


def linearity(points: Sequence[tuple[float, float]]) -> float | None:
    """BIG-bench linearity: ``L = I(y) / sqrt(mean_i (y[i+1] - y[i])**2)``.

    Root-mean-square instead of root-median-square of the steps, so it stays high for
    steady climbs and drops when one step dominates. None for fewer than 3 points or a
    flat curve. (Definition as restated by Xia et al. 2023, Eq. 4; the original
    appendix could not be read, so the exact normalisation is unverified.)
    """
    found = _squared_steps(points)
    if found is None:
        return None
    ys, squares = found
    mean = sum(squares) / len(squares)
    return None if mean == 0 else _improvement(ys) / math.sqrt(mean)


#: A recomputed threshold that differs from the reported one by more than this factor is flagged.
DISAGREEMENT_FACTOR = 10.0
AXES = ("train_flops", "params")


def curve_thresholds(catalog: Any, curve: Any) -> list[dict[str, Any]]:
    """Every rule on every series of a catalog curve, on each scale axis, with breakthroughness."""
    lower = curve.metric.name.value in LOWER_IS_BETTER
    percent = curve.metric.scale.value == "percent"
    out = []
    for index, series in enumerate(curve.series):
        for axis in AXES:
            pts = []
            for point in series.points:
                value = catalog.point_scale(series, point)[axis]
                if value is not None:
                    pts.append((value, point.score))
            normalised, base = normalise(pts, percent=percent, lower_is_better=lower, baseline=curve.metric.random_baseline)
            b, lin = breakthroughness(normalised), linearity(normalised)
            for result in (rule(normalised, base) for rule in RULES.values()):
                out.append({"series": index, "label": series.label, "family": series.family,
                            "family_name": series.family_name, "axis": axis, "points": len(normalised),
                            "breakthroughness": None if b is None else round(b, 4),
                            "linearity": None if lin is None else round(lin, 4), **result.as_dict()})
    return out


def compare(reported: float | None, result: dict[str, Any]) -> str:
    """How a recomputed result compares with a reported threshold: a short flag."""
    if result["verdict"] == NO_EMERGENCE:
        return "no emergence in this curve"
    if result["verdict"] == UNDETERMINED or reported is None or result["threshold"] is None:
        return "undetermined"
    ratio = result["threshold"] / reported
    if ratio > DISAGREEMENT_FACTOR or ratio < 1 / DISAGREEMENT_FACTOR:
        return f"differs by {max(ratio, 1 / ratio):.0f}x"
    return "agrees within 10x"


def entry_comparisons(catalog: Any, entry: Any) -> list[dict[str, Any]]:
    """Reported vs recomputed thresholds for one entry, from every curve that names it.

    One row per curve series and rule, on training FLOPs when the curves have them
    (else on parameters); ``same_family`` says whether the series is the
    entry's own model family (other families, harnesses or metrics test the task,
    not the claim itself).
    """
    scale = catalog.scale(entry)
    curves = catalog.curves_of(entry)
    rows: list[dict[str, Any]] = []
    for axis in AXES:  # training FLOPs first; parameters when no curve has FLOPs
        reported = scale.value(axis)
        for curve in curves:
            for result in catalog.thresholds(curve.id):
                if result["axis"] != axis or result["points"] < 3:
                    continue
                rows.append({
                    "curve": curve.id, "metric": curve.metric.name.value, "series": result["label"],
                    "family": result["family"] or result["family_name"],
                    "same_family": result["family"] == entry.model.family,
                    "axis": axis, "rule": result["rule"], "verdict": result["verdict"],
                    "threshold": result["threshold"], "reason": result["reason"], "reported": reported,
                    "comparison": compare(reported, result),
                })
        if rows:
            break
    return rows


def summary(rows: list[dict[str, Any]]) -> str:
    """One short label for the abilities table: how the recomputed thresholds compare."""
    if not rows:
        return "no curve"
    own = [r for r in rows if r["same_family"] and r["rule"] == "baseline-margin"]
    pool = own or [r for r in rows if r["rule"] == "baseline-margin"]
    prefix = "" if own else "other families: "
    if not pool:
        return "no curve"
    found = [r for r in pool if r["verdict"] == THRESHOLD]
    if not found:
        return prefix + ("no emergence found" if any(r["verdict"] == NO_EMERGENCE for r in pool) else "undetermined")
    differ = [r for r in found if r["comparison"].startswith("differs")]
    return prefix + (f"{len(differ)} of {len(found)} differ >10x" if differ else f"{len(found)} agree within 10x")
