"""Thresholds: where one series of scores first rises clearly above chance, by named, versioned rules.

A pure step beside the catalog: it reads (scale, score) points of one series and
says where the series first stays clearly above chance, or why it cannot say.
What the result means for a claim (a replication or later evidence on the task)
is decided one step up, in :mod:`emergence_atlas.evidence`.

"Clearly above chance" is sized from the task, never from a fixed constant:

* **chance** is the metric's stated random baseline, else one over the number of
  answer choices of a multiple-choice task; without either it is unknown;
* **margin** (rule ``chance-margin``) is the largest of three: ``Z`` binomial standard
  errors of a score at chance with the task's number of test items, plus one item
  (``Z * sqrt(c (1 - c) / n) + 1 / n``: the score can be told from guessing),
  ``MIN_RISE_SHARE`` of the series' own rise above chance (the score is not tiny
  next to what the family reaches: "well above", not only "detectably above"), and
  ``MIN_ABOVE``, one percentage point (a series that never rises a point above
  chance is near chance on any reading, however flat it is);
* for an augmented-prompting claim (rule ``gain-margin``) the quantity is the **gain** over the same
  family's standard prompting at each size, and the margin is the largest of ``Z``
  standard errors of the difference of two scores on the same ``n`` items plus one
  item, ``MIN_RISE_SHARE`` of the largest gain, and ``MIN_ABOVE``.

The margin applies to scores that are shares of items (accuracy, exact match,
multiple-choice grade, hits@1); other metrics get "undetermined".
The rules, versions and constants are stated on the methodology page, and a test
checks that the page and this module agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

#: Standard errors that make a score "clearly above chance".
Z = 2.0
#: Share of the series' own rise above chance that a score must reach to count as "well above" chance,
#: besides the statistical margin: a reliably non-zero but tiny score is still "near chance".
MIN_RISE_SHARE = 0.1
#: The smallest margin on a 0-1 scale (one percentage point): without it a flat series (0.0%, 0.1%, 0.1%)
#: on a free-form task would be "clearly above chance", since its own rise, and so its substantive margin, is tiny.
MIN_ABOVE = 0.01
#: Metrics whose scores are shares of test items, so a binomial margin applies.
PROPORTION_METRICS = frozenset({"accuracy", "exact_match", "multiple_choice_grade", "hits_at_1"})


class Verdict(StrEnum):
    """What a rule finds in one series."""

    THRESHOLD = "threshold"
    ABOVE_FROM_SMALLEST = "above_from_smallest"
    NEVER_ABOVE = "never_above"
    NOT_SUSTAINED = "not_sustained"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class Rule:
    """A named, versioned rule, with what it measures."""

    name: str
    version: int
    summary: str


#: The rule for absolute scores (few-shot and other tasks).
CHANCE_MARGIN = Rule("chance-margin", 3, "first size from which every larger size scores above chance plus the margin")
#: The rule for augmented prompting: the gain over the same family's standard prompting.
GAIN_MARGIN = Rule("gain-margin", 2, "first size from which the gain over standard prompting stays above the margin")
#: Rules of earlier versions, no longer applied (kept for readers of old exports).
RETIRED = (
    ("chance-margin", 2, "the same margins without the floor of one percentage point, so a flat series a few "
                         "items above chance on a free-form task counted as clearly above it"),
    ("gain-margin", 1, "the same margins without the floor of one percentage point"),
    ("baseline-margin", 1, "a fixed margin of 0.05 above the baseline and a largest-step share test; compared "
                           "any family's curve with the claim"),
    ("sigmoid-midpoint", 1, "midpoint of a fitted sigmoid, with the same fixed margin"),
)


@dataclass(frozen=True)
class Crossing:
    """One rule's finding on one series: where it first stays clearly above chance, or why not."""

    rule: str
    version: int
    verdict: Verdict
    index: int | None
    x: float | None
    reason: str
    chance: float | None = None
    margin: float | None = None
    points: int = 0

    def as_dict(self) -> dict[str, object]:
        """The JSON shape used in ``catalog.json``."""
        return {"rule": self.rule, "version": self.version, "verdict": self.verdict.value, "threshold": self.x,
                "reason": self.reason, "chance": self.chance, "margin": self.margin, "points": self.points}


def chance_margin(chance: float, items: int) -> float:
    """``Z`` binomial standard errors of a score at chance on ``items`` items, plus one item."""
    return Z * math.sqrt(chance * (1.0 - chance) / items) + 1.0 / items


def gain_margin(p_augmented: float, p_standard: float, items: int) -> float:
    """``Z`` standard errors of the difference of two shares on the same ``items`` items, plus one item."""
    var = (p_augmented * (1.0 - p_augmented) + p_standard * (1.0 - p_standard)) / items
    return Z * math.sqrt(max(var, 0.0)) + 1.0 / items


def normalise(points: Sequence[tuple[float, float]], *, percent: bool = False) -> list[tuple[float, float]]:
    """Points sorted by scale on a 0-1 scale; duplicate scales averaged; unusable points dropped."""
    by_x: dict[float, list[float]] = {}
    for x, y in points:
        if x is None or y is None or not x > 0 or not math.isfinite(y):
            continue
        by_x.setdefault(float(x), []).append(float(y))
    scale = 100.0 if percent else 1.0
    return [(x, (sum(ys) / len(ys)) / scale) for x, ys in sorted(by_x.items())]


def first_sustained(values: Sequence[float], levels: Sequence[float]) -> tuple[Verdict, int | None, str]:
    """Where ``values[i] > levels[i]`` holds from some index to the end.

    Returns the verdict, the first index of that run, and the reason in words.
    """
    above = [v > lv for v, lv in zip(values, levels)]
    if not above:
        return Verdict.UNDETERMINED, None, "no points"
    if all(above):
        return Verdict.ABOVE_FROM_SMALLEST, 0, "above the margin already at the smallest size"
    if not any(above):
        return Verdict.NEVER_ABOVE, None, "never above the margin"
    if not above[-1]:
        return Verdict.NOT_SUSTAINED, None, "above the margin at some size but back within it at the largest"
    start = len(above) - 1
    while start > 0 and above[start - 1]:
        start -= 1
    return Verdict.THRESHOLD, start, "within the margin below this size, above it from here on"


def absolute_crossing(points: Sequence[tuple[float, float]], *, chance: float | None, items: int | None,
                      metric: str) -> Crossing:
    """Rule ``chance-margin`` v3 on normalised points of one series."""
    rule = CHANCE_MARGIN
    n = len(points)
    if metric not in PROPORTION_METRICS:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        f"the metric ({metric}) is not a share of items, so no binomial margin applies", points=n)
    if chance is None:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        "chance is unknown (no stated baseline or number of answer choices)", points=n)
    if items is None:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        "the number of test items is unknown, so the margin cannot be sized", chance=chance, points=n)
    if n < 2:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        f"{n} point(s); the rule needs at least 2", chance=chance, points=n)
    statistical = chance_margin(chance, items)
    substantive = MIN_RISE_SHARE * max(0.0, max(y for _, y in points) - chance)
    margin = max(statistical, substantive, MIN_ABOVE)
    verdict, index, reason = first_sustained([y for _, y in points], [chance + margin] * n)
    x = points[index][0] if verdict is Verdict.THRESHOLD and index is not None else None
    return Crossing(rule.name, rule.version, verdict, index, x, reason, chance=chance, margin=round(margin, 6),
                    points=n)


def gain_crossing(augmented: Sequence[tuple[float, float]], standard: Sequence[tuple[float, float]], *,
                  items: int | None, metric: str) -> tuple[Crossing, list[tuple[float, float, float]]]:
    """Rule ``gain-margin`` v2 on two normalised series of the same family (matched by scale).

    Returns the crossing and the matched ``(scale, gain, margin)`` triples.
    """
    rule = GAIN_MARGIN
    std = dict(standard)
    pairs = [(x, y, std[x]) for x, y in augmented if x in std]
    n = len(pairs)
    if metric not in PROPORTION_METRICS:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        f"the metric ({metric}) is not a share of items, so no binomial margin applies", points=n), []
    if items is None:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        "the number of test items is unknown, so the margin cannot be sized", points=n), []
    if n < 2:
        return Crossing(rule.name, rule.version, Verdict.UNDETERMINED, None, None,
                        f"{n} size(s) with both prompting strategies; the rule needs at least 2", points=n), []
    top = max(0.0, max(a - s for _, a, s in pairs))
    triples = [(x, a - s, max(gain_margin(a, s, items), MIN_RISE_SHARE * top, MIN_ABOVE)) for x, a, s in pairs]
    verdict, index, reason = first_sustained([g for _, g, _ in triples], [m for _, _, m in triples])
    reason = reason.replace("the margin", "the gain margin")
    x = triples[index][0] if verdict is Verdict.THRESHOLD and index is not None else None
    return Crossing(rule.name, rule.version, verdict, index, x, reason, chance=0.0, points=n), triples


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
