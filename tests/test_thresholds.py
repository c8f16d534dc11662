"""Recomputed thresholds: both rules, golden outcomes on synthetic curves."""

from __future__ import annotations

import math

import pytest

from emergence_atlas.thresholds import (
    NO_EMERGENCE,
    THRESHOLD,
    UNDETERMINED,
    baseline_margin,
    breakthroughness,
    linearity,
    normalise,
    recompute,
    sigmoid_midpoint,
)

XS = [10 ** (20 + 0.5 * i) for i in range(9)]  # 1e20 .. 1e24, half-decade steps


def curve(values):
    return list(zip(XS[: len(values)], values))


CLEAN_STEP = curve([0.25, 0.25, 0.26, 0.25, 0.25, 0.80, 0.82, 0.85, 0.86])
SIGMOID = curve([0.25 + 0.6 / (1 + math.exp(-3 * (math.log10(x) - 22.5))) for x in XS])
LINE_IN_LOG = curve([0.25 + 0.07 * i for i in range(9)])
FLAT = curve([0.25, 0.26, 0.24, 0.25, 0.26, 0.25, 0.24, 0.26, 0.25])
NOISY_STEP = curve([0.27, 0.23, 0.28, 0.22, 0.26, 0.71, 0.83, 0.76, 0.84])
NON_MONOTONE = curve([0.25, 0.25, 0.70, 0.26, 0.25, 0.80, 0.27, 0.82, 0.85])
TWO_POINTS = curve([0.25, 0.85])
ALREADY_ABOVE = curve([0.60, 0.65, 0.70, 0.72, 0.75, 0.78, 0.80, 0.82, 0.85])


@pytest.mark.parametrize(("name", "points", "verdict", "threshold", "reason"), [
    ("clean step", CLEAN_STEP, THRESHOLD, XS[5], "clearly above chance from this scale on"),
    ("sigmoid", SIGMOID, THRESHOLD, XS[4], "clearly above chance from this scale on"),
    ("line in log scale", LINE_IN_LOG, NO_EMERGENCE, None, "smooth: no single step carries 30% of the rise (largest 13%)"),
    ("flat", FLAT, NO_EMERGENCE, None, "flat: never clearly above chance"),
    ("noisy step", NOISY_STEP, THRESHOLD, XS[5], "clearly above chance from this scale on (the curve is not monotone)"),
    ("non-monotone", NON_MONOTONE, THRESHOLD, XS[7], "clearly above chance from this scale on (the curve is not monotone)"),
    ("two points", TWO_POINTS, UNDETERMINED, None, "2 point(s); the rule needs at least 3"),
    ("above chance from the start", ALREADY_ABOVE, NO_EMERGENCE, None, "above chance from the smallest size"),
])
def test_rule_a_baseline_margin(name, points, verdict, threshold, reason):
    result = baseline_margin(points, 0.25)
    assert (result.verdict, result.threshold, result.reason) == (verdict, threshold, reason)


@pytest.mark.parametrize(("name", "points", "verdict", "log10_threshold", "reason_start"), [
    ("clean step", CLEAN_STEP, THRESHOLD, (22.0, 22.5), "midpoint of an accepted sigmoid fit"),
    ("sigmoid", SIGMOID, THRESHOLD, (22.45, 22.55), "midpoint of an accepted sigmoid fit"),
    ("line in log scale", LINE_IN_LOG, NO_EMERGENCE, None, "smooth: the 10-90% transition spans"),
    ("flat", FLAT, NO_EMERGENCE, None, "flat: the fitted rise is below twice the margin"),
    ("noisy step", NOISY_STEP, THRESHOLD, (22.0, 22.5), "midpoint of an accepted sigmoid fit"),
    ("non-monotone", NON_MONOTONE, UNDETERMINED, None, "poor fit: R²"),
    ("two points", TWO_POINTS, UNDETERMINED, None, "2 point(s); the fit needs at least 4"),
    ("above chance from the start", ALREADY_ABOVE, NO_EMERGENCE, None, ""),
])
def test_rule_b_sigmoid_midpoint(name, points, verdict, log10_threshold, reason_start):
    result = sigmoid_midpoint(points, 0.25)
    assert result.verdict == verdict, result
    assert result.reason.startswith(reason_start), result.reason
    if log10_threshold is None:
        assert result.threshold is None
    else:
        low, high = log10_threshold
        assert low <= math.log10(result.threshold) <= high


def test_rules_need_a_baseline_or_enough_points():
    assert baseline_margin(CLEAN_STEP, None).verdict == UNDETERMINED
    assert baseline_margin(CLEAN_STEP, None).reason == "no random baseline is known for this metric"


def test_percent_and_lower_is_better_are_normalised():
    points = [(x, 100 * y) for x, y in CLEAN_STEP]
    assert [r.verdict for r in recompute(points, 25.0, percent=True)] == [THRESHOLD, THRESHOLD]
    brier = [(x, 1 - y) for x, y in CLEAN_STEP]
    assert recompute(brier, 0.75, lower_is_better=True)[0].threshold == XS[5]
    assert normalise([(1e9, 0.5), (1e9, 0.7), (1e8, 0.1)]) == ([(1e8, 0.1), (1e9, 0.6)], None)


def test_results_are_deterministic():
    assert [r.as_dict() for r in recompute(NOISY_STEP, 0.25)] == [r.as_dict() for r in recompute(NOISY_STEP, 0.25)]


def test_breakthroughness_separates_jumps_from_climbs():
    assert breakthroughness(CLEAN_STEP) > 20
    assert breakthroughness(LINE_IN_LOG) == pytest.approx(8.0)
    assert breakthroughness(TWO_POINTS) is None
    assert breakthroughness(FLAT) < 5


def test_linearity_is_high_for_steady_climbs_and_low_for_jumps():
    assert linearity(LINE_IN_LOG) == pytest.approx(8.0)
    assert linearity(CLEAN_STEP) < 3.5
    assert linearity(CLEAN_STEP) < breakthroughness(CLEAN_STEP)
    assert linearity(TWO_POINTS) is None
