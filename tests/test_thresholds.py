"""Thresholds and evidence: the chance-margin and gain-margin rules, golden outcomes, and like-with-like checks."""

from __future__ import annotations

import math

import pytest

from emergence_atlas.thresholds import (
    CHANCE_MARGIN,
    GAIN_MARGIN,
    MIN_ABOVE,
    Verdict,
    absolute_crossing,
    breakthroughness,
    chance_margin,
    gain_crossing,
    gain_margin,
    linearity,
    normalise,
)

XS = [10 ** (8 + 0.5 * i) for i in range(8)]


def curve(values):
    return list(zip(XS[: len(values)], values))


def test_margin_is_sized_from_items_not_a_constant():
    # two standard errors of a score at chance 0.25 on 100 items, plus one item
    assert chance_margin(0.25, 100) == pytest.approx(2 * math.sqrt(0.25 * 0.75 / 100) + 0.01)
    assert chance_margin(0.25, 100) == pytest.approx(0.096603, abs=1e-6)
    # more items, smaller margin; chance 0 needs more than one item right
    assert chance_margin(0.25, 10_000) < chance_margin(0.25, 100)
    assert chance_margin(0.0, 2000) == pytest.approx(1 / 2000)
    assert gain_margin(0.634, 0.584, 2290) == pytest.approx(
        2 * math.sqrt((0.634 * 0.366 + 0.584 * 0.416) / 2290) + 1 / 2290)


@pytest.mark.parametrize(("name", "values", "chance", "items", "verdict", "index"), [
    ("clean step", [0.25, 0.26, 0.24, 0.25, 0.70, 0.80], 0.25, 300, Verdict.THRESHOLD, 4),
    ("above from the smallest", [0.60, 0.65, 0.70, 0.80], 0.25, 300, Verdict.ABOVE_FROM_SMALLEST, 0),
    ("never above", [0.25, 0.27, 0.24, 0.28], 0.25, 300, Verdict.NEVER_ABOVE, None),
    ("not sustained", [0.25, 0.60, 0.26], 0.25, 300, Verdict.NOT_SUSTAINED, None),
    # with 100 items, 0.31 is within the margin (0.25 + 0.0966); with 10,000 items it is not
    ("small test set hides a small rise", [0.25, 0.31, 0.31, 0.60], 0.25, 100, Verdict.THRESHOLD, 3),
    ("large test set shows it", [0.25, 0.31, 0.31, 0.60], 0.25, 10_000, Verdict.THRESHOLD, 1),
])
def test_chance_margin_golden(name, values, chance, items, verdict, index):
    result = absolute_crossing(curve(values), chance=chance, items=items, metric="accuracy")
    assert (result.rule, result.version) == (CHANCE_MARGIN.name, CHANCE_MARGIN.version)
    assert (result.verdict, result.index) == (verdict, index)
    assert result.x == (XS[index] if verdict is Verdict.THRESHOLD else None)


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"chance": 0.25, "items": None, "metric": "accuracy"},
     "the number of test items is unknown, so the margin cannot be sized"),
    ({"chance": None, "items": 100, "metric": "accuracy"},
     "chance is unknown (no stated baseline or number of answer choices)"),
    ({"chance": 0.0, "items": 100, "metric": "bleu"},
     "the metric (bleu) is not a share of items, so no binomial margin applies"),
])
def test_undetermined_says_why(kwargs, reason):
    result = absolute_crossing(curve([0.25, 0.9]), **kwargs)
    assert (result.verdict, result.reason) == (Verdict.UNDETERMINED, reason)


def test_substantive_margin_keeps_tiny_scores_near_chance():
    # GPT-3 3-digit addition, few-shot (Brown et al., Table H.1, 2,000 items, percent): reliably non-zero
    # at 125M (0.15%), but under a tenth of the family's own rise until 13B
    pts = normalise([(125e6, 0.15), (356e6, 0.45), (760e6, 0.3), (1.32e9, 0.55), (2.65e9, 0.75), (6.66e9, 0.9),
                     (12.85e9, 8.4), (174.6e9, 80.4)], percent=True)
    result = absolute_crossing(pts, chance=0.0, items=2000, metric="accuracy")
    assert (result.verdict, result.x) == (Verdict.THRESHOLD, 12.85e9)
    assert result.margin == pytest.approx(0.1 * 0.804)


def test_floor_keeps_a_flat_series_near_chance(real):
    # PaLM on BIG-bench linguistics_puzzles (Table 37): 0.0%, 0.1%, 0.1% on a free-form task of 2,000 items;
    # two correct items beat the statistical margin (0.05%) and a tenth of the rise (0.01%), not the floor
    pts = normalise([(8.63e9, 0.0), (62.5e9, 0.1), (540.35e9, 0.1)], percent=True)
    result = absolute_crossing(pts, chance=0.0, items=2000, metric="exact_match")
    assert (result.verdict, result.x, result.margin) == (Verdict.NEVER_ABOVE, None, MIN_ABOVE)
    assert MIN_ABOVE == 0.01
    found = real.thresholds("palm-bigbench-linguistics-puzzles")
    assert [(t["verdict"], t["margin"]) for t in found] == [("never_above", 0.01)]


def test_a_series_that_never_rises_a_point_is_no_earlier_replication(real):
    """GPT-3 reversed words (Table H.1, K=100): 0.17% at 1.3B is no crossing; the series stays near chance."""
    found = [r for r in real.evidence("word-denoising-few-shot-gpt-3-13b").replications
             if r.curve == "brown2020-word-scramble-reversed-words" and r.series == 0]
    assert len(found) == 1
    assert found[0].verdict.value == "not_above"
    assert found[0].statement.startswith("the series is never clearly above chance, up to 175B")


def test_gain_rule_on_strategyqa_palm():
    # chain of thought vs standard prompting, PaLM 8B / 62B / 540B (CoT paper, Appendix B, Table 4), 2,290 items
    cot = normalise([(8.63e9, 53.5), (62.5e9, 63.4), (540.35e9, 77.8)], percent=True)
    std = normalise([(8.63e9, 55.6), (62.5e9, 58.4), (540.35e9, 68.6)], percent=True)
    result, triples = gain_crossing(cot, std, items=2290, metric="accuracy")
    assert (result.rule, result.version) == (GAIN_MARGIN.name, GAIN_MARGIN.version)
    assert (result.verdict, result.index, result.x) == (Verdict.THRESHOLD, 1, 62.5e9)
    assert [round(g, 3) for _, g, _ in triples] == [-0.021, 0.05, 0.092]


def test_shape_measures():
    step = curve([0.0, 0.0, 0.0, 0.0, 0.8])
    assert breakthroughness(step) is None  # median squared step is 0
    assert linearity(step) == pytest.approx(0.8 / math.sqrt(0.64 / 4))
    assert breakthroughness(curve([0.1, 0.2])) is None


# -- catalog level -------------------------------------------------------------

COUNTING_CURVE = """\
task: {benchmark: Toy, name: counting, items: {value: 400, source: {key: roe2022emergent, locator: Section 2}}}
metric: {name: exact_match, random_baseline: 0.0, scale: fraction}
entries: [counting-tiny-lm-10b]
series:
  - family: tiny-lm
    label: Tiny LM, 3-shot
    prompting: {strategy: few_shot, shots: 3}
    source: {key: roe2022emergent, locator: Table 3}
    points:
      - {size: 1B, score: SMALL}
      - {size: 10B, score: 0.61}
  - family: tiny-lm
    label: Tiny LM, zero-shot
    prompting: {strategy: zero_shot}
    source: {key: roe2022emergent, locator: Table 3}
    points:
      - {size: 1B, score: 0.3}
      - {size: 10B, score: 0.4}
"""


@pytest.mark.parametrize(("small", "verdict", "statement"), [
    ("0.001", "agrees", "the series is first clearly above chance at 10B, as claimed (0.61 at 10B; chance 0, margin 0.061)"),
    ("0.2", "earlier", "the series is already clearly above chance at 1B (claimed: 10B) (0.2 at 1B, 0.61 at 10B; "
                       "chance 0, margin 0.061)"),
])
def test_same_family_series_is_a_replication_with_a_verdict_in_sizes(make_catalog, small, verdict, statement):
    import emergence_atlas

    root = make_catalog({"curves/counting.yaml": COUNTING_CURVE.replace("SMALL", small).encode()})
    catalog = emergence_atlas.load(root)
    ev = catalog.evidence("counting-tiny-lm-10b")
    assert [(r.verdict.value, r.statement) for r in ev.replications] == [(verdict, statement)]
    # the zero-shot series differs in prompting: later evidence, no verdict
    assert [(e.label, e.differences) for e in ev.later] == [("Tiny LM, zero-shot", ("prompting: zero shot",))]
    assert ev.interval.lower.size == "1B" and ev.interval.lower.origin == "registry"


@pytest.fixture(scope="module")
def real(real_catalog):
    return real_catalog


def test_no_verdict_from_unlike_series(real):
    """Every replication is the claim's own family, metric and prompting (strategy and shots)."""
    checked = 0
    for entry in real:
        for r in real.evidence(entry).replications:
            curve = real.curves[r.curve]
            series = curve.series[r.series]
            assert series.family == entry.model.family, (entry.id, r.curve)
            assert entry.metric is not None and curve.metric.name == entry.metric.name, (entry.id, r.curve)
            assert series.prompting.strategy == entry.prompting.strategy, (entry.id, r.curve)
            assert series.prompting.shots == entry.prompting.shots, (entry.id, r.curve)
            checked += 1
        for later in real.evidence(entry).later:
            assert later.differences, (entry.id, later.curve)
    assert checked, "no replication found: the check would pass on nothing"


@pytest.mark.parametrize("entry_id", [
    "bigbench-cs-algorithms-palm-540b",
    "bigbench-understanding-fables-palm-540b",
    "mmlu-us-foreign-policy-chinchilla-70b",
])
def test_hand_checked_cases_carry_no_verdict_against_their_claims(real, entry_id):
    ev = real.evidence(entry_id)
    assert ev.later, "these entries have curves from other families"
    assert all(e.differences[0].startswith("family:") for e in ev.later)
    assert [r for r in ev.replications if r.verdict.value in ("earlier", "later", "not_above")] == []


def test_every_interval_has_its_lower_end_below_its_upper_end(real):
    with_lower = 0
    for entry in real:
        span = real.evidence(entry).interval
        if span.lower is not None:
            with_lower += 1
            assert span.lower.params is not None and span.upper.params is not None
            assert span.lower.params < span.upper.params, entry.id
    assert with_lower > 50


def test_methodology_states_the_rules_and_constants_of_the_code():
    from emergence_atlas import thresholds
    from tests.conftest import REPO

    text = (REPO / "site" / "methodology.md").read_text(encoding="utf-8")
    assert f"*Z* = {thresholds.Z:g} standard errors" in text
    assert f"the **substantive margin**, {thresholds.MIN_RISE_SHARE:g} of the series' own rise" in text
    assert f"{thresholds.MIN_RISE_SHARE:g} of the largest gain in the series, and the floor of {thresholds.MIN_ABOVE:g}" in text
    assert f"the **floor**, {thresholds.MIN_ABOVE:g} (one percentage point)" in text
    for rule in (thresholds.CHANCE_MARGIN, thresholds.GAIN_MARGIN):
        assert f"`{rule.name}` v{rule.version}" in text
        assert f"``{rule.name}``" in (thresholds.__doc__ or "") or rule.name in (thresholds.__doc__ or "")
    for name, version, _ in thresholds.RETIRED:
        assert f"`{name}` v{version}" in text
    labels = {"accuracy": "accuracy", "exact_match": "exact match", "multiple_choice_grade": "multiple-choice grade",
              "hits_at_1": "hits@1"}
    assert set(labels) == set(thresholds.PROPORTION_METRICS)
    flat = " ".join(text.split())
    assert "(" + ", ".join(labels[m] for m in ("accuracy", "exact_match", "multiple_choice_grade", "hits_at_1")) + ")" in flat
