"""SCORING.md's worked examples, to the digit."""

import pandas as pd
import pytest

from acplan.monitoring import scoring


@pytest.mark.parametrize(("scores", "expected"), [
    ([4, 5, 2], (3, 3.67, 4, 2, 5, 3, True, False)),
    ([3, 4], (2, 3.50, 3.5, 3, 4, 1, False, False)),
    ([5], (1, 5.00, 5, 5, 5, 0, False, True)),
], ids=["A", "B", "C"])
def test_score_stats_worked_examples(scores, expected):
    s = scoring.score_stats(scores)
    assert (s.n, s.mean, s.median, s.min, s.max, s.spread, s.flag, s.provisional) == expected


def test_no_submitted_score_is_not_scored():
    assert scoring.score_stats([]) is None


@pytest.mark.parametrize(("statuses", "expected"), [
    (["in_progress", "completed", "in_progress"], "in_progress"),
    (["completed", "not_started"], "not_started"),
    (["completed", "not_possible"], "not_possible"),
    ([], None),
])
def test_item_status(statuses, expected):
    assert scoring.item_status(statuses) == expected


def test_spending_median_is_robust_to_one_typo():
    assert scoring.median_or_none([30000, 30000, 3000]) == 30000


@pytest.mark.parametrize(("votes", "verdict"), [([True, True, False], True), ([True, False], None), ([False], False),
                                                ([], None)])
def test_indicator_verdict(votes, verdict):
    assert scoring.indicator_verdict(votes) is verdict


@pytest.mark.parametrize(("value", "rounded"), [(3.585, 3.59), (3.5833, 3.58), (-0.125, -0.13), (2.0, 2.0)])
def test_round_half_away_from_zero(value, rounded):
    assert scoring.round_half_away(value) == rounded


def test_dimension_and_round_results_average_unrounded_item_means():
    entries = pd.DataFrame({"number": [1, 1, 1, 2, 2], "score": [4, 5, 2, 3, 4],
                            "status": ["completed"] * 5, "progress_pct": [100] * 5, "spent_thb": [0] * 5})
    items = scoring.item_results(entries, [1, 2, 3])
    assert items["n"].tolist() == [3, 2, 0]
    assert items["mean"].tolist()[:2] == [3.67, 3.5]
    projects = pd.DataFrame({"number": [1, 2, 3], "dimension": [1, 1, 1]})
    dims = scoring.dimension_results(items, projects)
    assert dims.to_dict("records") == [{"dimension": 1, "result": 3.58, "scored": 2, "items": 3}]
    assert scoring.round_result(items) == 3.58


@pytest.mark.parametrize(("current", "previous", "delta"), [(3.5, 3.0, 0.5), (3.0, None, None), (None, 2.0, None)])
def test_change_needs_both_rounds(current, previous, delta):
    assert scoring.change(current, previous) == delta


@pytest.mark.parametrize(("status", "progress", "spent", "budget", "codes"), [
    ("not_possible", 100, 45_000, 50_000, ["check_not_possible_but_done"]),
    ("in_progress", 50, 10_000, 0, ["check_spent_without_budget"]),
    ("completed", 100, 258_000, 220_000, ["check_spent_over_budget"]),
    ("completed", 100, 180_000, 190_000, []),
    (None, None, None, None, []),
])
def test_figures_that_contradict_themselves_or_the_plan_are_named(status, progress, spent, budget, codes):
    from acplan.monitoring.scoring import inconsistencies
    assert [i.code for i in inconsistencies(status, progress, spent, budget)] == codes


@pytest.mark.parametrize(("status", "score", "warned"), [
    ("not_started", 3.6, True), ("not_started", 3, True), ("not_started", 2.5, False), ("in_progress", 5, False),
    ("not_started", None, False), ("not_started", float("nan"), False)])
def test_a_high_score_for_an_item_not_started_is_warned_not_refused(status, score, warned):
    from acplan.monitoring.scoring import inconsistencies, score_status_warnings
    assert bool(score_status_warnings(status, score)) is warned
    assert ("check_not_started_high_score" in [i.code for i in inconsistencies(status, 0, 0, 0, score)]) is warned
