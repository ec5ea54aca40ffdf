"""Scoring by hand-checked examples, and properties that hold for any data."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import score
from pipeline.settings import Thresholds


def _progress(actual, baseline, target, direction="increase", share=1.0, cumulative=False):
    s = lambda v: pd.Series([v], dtype=float)  # noqa: E731
    return score.progress(s(actual), s(baseline), s(target), pd.Series([direction]), share,
                          pd.Series([cumulative]))[0]


@pytest.mark.parametrize(("actual", "baseline", "target", "direction", "expected"), [
    (1350, 0, 2700, "increase", 0.5),  # half the trees planted
    (3000, 0, 2700, "increase", 3000 / 2700),  # beyond target: kept raw
    (72.5, 72.5, 90, "increase", 0.0),
    (9, 12, 6, "decrease", 0.5),  # days to resolve a complaint: 12 → 9 of 12 → 6
    (14, 12, 6, "decrease", -1 / 3),  # got worse: negative, kept raw
    (95, 95, 95, "maintain", 1.0),
    (93, 95, 95, "maintain", 93 / 95),
    (0, 0, 0, "increase", 1.0),
    # flood points in a district with none, to stay at none: less is better
    (8, 5, 5, "decrease", 5 / 8),
    (3, 5, 5, "decrease", 1.0),
    (2, 0, 0, "decrease", 0.0),
    (0, 0, 0, "decrease", 1.0),
])
def test_progress_of_a_kr(actual, baseline, target, direction, expected):
    assert _progress(actual, baseline, target, direction) == pytest.approx(expected)


def test_a_level_to_hold_is_scored_over_the_part_of_the_year_gone():
    """Child vaccination to stay at 95 %: 93.4 at mid-year was "on track", its level (98 %)
    against the 50 % of the year gone, and so was any level above half of it. Held over half
    the year, the level is half the year's progress: 93.4 is at risk, 95 on track, 30 off
    track."""
    thresholds = Thresholds(at_risk=0.7)
    shown = {actual: _progress(actual, 95, 95, "maintain", share=0.5)
             for actual in (93.4, 95, 30)}
    assert shown == pytest.approx({93.4: 93.4 / 95 / 2, 95: 0.5, 30: 30 / 95 / 2})
    assert score.status(pd.Series(shown), 0.5, thresholds).tolist() == [
        "at_risk", "on_track", "off_track"]
    # a target at its baseline is a level to hold too; a year gone, the level alone
    assert _progress(3, 5, 5, "decrease", share=0.25) == pytest.approx(0.25)  # within it
    assert _progress(8, 5, 5, "decrease", share=1.0) == pytest.approx(5 / 8)
    # a cumulative figure grows with the year by itself: 4 of a year's 8 at mid-year is on pace
    assert _progress(4, 8, 8, "increase", share=0.5, cumulative=True) == pytest.approx(0.5)


def test_progress_of_a_kr_not_reported_is_missing_not_zero():
    assert math.isnan(_progress(math.nan, 0, 100))


def test_status_against_expected_progress():
    progress = pd.Series([0.6, 0.5, 0.35, 0.349, math.nan])
    assert score.status(progress, 0.5, Thresholds(at_risk=0.7)).tolist() == [
        "on_track", "on_track", "at_risk", "off_track", "no_data"]


def _rows(kr_type, actuals, baselines, targets, numerators=None, denominators=None):
    n = len(actuals)
    return pd.DataFrame({
        "district_code": [f"10{i:02d}" for i in range(1, n + 1)],
        "group_code": ["01"] * n, "kr_code": ["KR"] * n, "kr_type": [kr_type] * n,
        "direction": ["increase"] * n, "actual": actuals, "baseline": baselines,
        "target": targets, "cumulative": [False] * n, "numerator": numerators or [math.nan] * n,
        "denominator": denominators or [math.nan] * n,
    })


def test_counts_roll_up_as_sums_of_actuals_against_sums_of_targets():
    rows = _rows("count", [100.0, 300.0, math.nan], [0.0, 0.0, 0.0], [200.0, 600.0, 400.0])
    (out,) = score.roll_up(rows, ["group_code"], 1.0).to_dict("records")
    assert (out["actual"], out["target"], out["progress"]) == (400, 800, 0.5)
    assert (out["reporting"], out["assigned"]) == (2, 3)  # the missing district is not a zero


def test_ratios_roll_up_as_sum_of_numerators_over_sum_of_denominators():
    rows = _rows("ratio", [90.0, 50.0], [80.0, 80.0], [100.0, 100.0],
                 numerators=[90.0, 5.0], denominators=[100.0, 10.0])
    (out,) = score.roll_up(rows, ["group_code"], 1.0).to_dict("records")
    assert out["actual"] == pytest.approx(95 / 110 * 100)  # not the mean of 90 % and 50 %


def test_a_ratios_baseline_and_target_are_weighed_by_denominator_as_its_actual_is():
    """Two districts each exactly on target (60 % of 1,000 cases, 95 % of 100): together on
    target, 695 / 1,100 = 63.2 % against (60 × 1,000 + 95 × 100) / 1,100 = 63.2 %. The plain
    means of their baselines and targets (70 and 77.5) made it −91 %, off track."""
    rows = _rows("ratio", [60.0, 95.0], [50.0, 90.0], [60.0, 95.0],
                 numerators=[600.0, 95.0], denominators=[1000.0, 100.0])
    (out,) = score.roll_up(rows, ["group_code"], 1.0).to_dict("records")
    assert out["actual"] == pytest.approx(695 / 1100 * 100)
    assert out["baseline"] == pytest.approx((50 * 1000 + 90 * 100) / 1100)
    assert out["target"] == pytest.approx((60 * 1000 + 95 * 100) / 1100)
    assert out["progress"] == pytest.approx(1.0)


def test_percents_roll_up_as_a_mean_and_milestones_as_the_share_done():
    (pct,) = score.roll_up(_rows("percent", [60.0, 80.0], [50.0, 50.0], [90.0, 90.0]),
                           ["group_code"], 1.0).to_dict("records")
    assert pct["actual"] == 70
    (done,) = score.roll_up(_rows("milestone", [1.0, 0.0, 1.0, 1.0], [0.0] * 4, [1.0] * 4),
                            ["group_code"], 1.0).to_dict("records")
    assert done["actual"] == 0.75
    assert done["progress"] == 0.75


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=1, max_size=30))
def test_a_count_roll_up_equals_the_sum_of_the_reported_facts(actuals):
    values = [math.nan if a is None else a for a in actuals]
    rows = _rows("count", values, [0.0] * len(values), [1e6] * len(values))
    (out,) = score.roll_up(rows, ["group_code"], 1.0).to_dict("records")
    reported = [a for a in actuals if a is not None]
    assert out["reporting"] == len(reported)
    if reported:
        assert out["actual"] == pytest.approx(sum(reported))
    else:
        assert math.isnan(out["actual"])


def test_dimension_scores_are_means_of_capped_progress_up_the_tree():
    key_results = pd.DataFrame({
        "kr_code": ["a", "b", "c"], "objective_code": ["1.1.1", "1.1.1", "1.2.1"],
        "issue_code": ["1.1", "1.1", "1.2"], "dimension_id": [1, 1, 1]})
    rows = pd.DataFrame({"area": ["city"] * 3, "kr_code": ["a", "b", "c"],
                         "progress": [1.5, 0.5, math.nan]})
    (out,) = score.dimension_scores(rows, key_results, ["area"]).to_dict("records")
    # objective 1.1.1 = mean(1.0 capped, 0.5) = 0.75; issue 1.2 has no data and is left out
    assert out["score"] == 0.75
    assert (out["krs"], out["krs_with_data"]) == (3, 2)


@pytest.mark.parametrize(("actual", "baseline", "target", "share", "cumulative"), [
    (72.3, 66.4, 78.2, 0.5, False),  # (72.3 − 66.4) / (78.2 − 66.4): 0.4999999999999994
    (4.8, 0.0, 6.4, 0.75, True),  # 0.7499999999999999
    (5.0, 0.0, 12.0, 5 / 12, True),  # M05: on plan is 5/12, which has no end in decimals
])
def test_a_district_exactly_on_plan_is_on_track(actual, baseline, target, share, cumulative):
    """Binary floating point put an exact half a hair under one half: a district on plan
    was "at risk", the open data showed 0.4999999999999994 beside "at_risk", and its clerk's
    "on track" was flagged as disagreeing with the numbers."""
    progress = _progress(actual, baseline, target, share=share, cumulative=cumulative)
    assert progress == round(share, 12)
    assert score.status(pd.Series([progress]), share, Thresholds())[0] == "on_track"
    # and a hair under the at-risk line (70 % of a half) is at risk, not off track
    at_line = _progress(66.4 + 0.35 * 11.8, 66.4, 78.2, share=0.5)
    assert score.status(pd.Series([at_line]), 0.5, Thresholds())[0] == "at_risk"
