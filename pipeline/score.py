"""Pure scoring: progress of a KR, its status against expected progress, and roll-up by KR type.

Progress = (actual − baseline) / (target − baseline), which is the same formula with the
signs turned for a `decrease` KR. A `maintain` KR, or one whose target is its baseline, is
scored on the level held instead, over the part of the year gone: the share of the target
level reached (1 at it or beyond it; for a `decrease` KR the target over the actual, a level
not to exceed) times the share of the fiscal year elapsed. A level is held the whole year, so
it is measured against the same expected progress as every KR: 93 of a level of 95 at
mid-year is 49 % against 50 %, at risk, where the level alone (98 %) was on track against
50 %, and so was any level above half of it. A cumulative KR's level grows with the year by
itself: it is not scaled again. Progress is kept raw and shown capped to 0–1. Percentages are
never averaged where they can be decomposed: a ratio KR rolls up as Σ numerators / Σ
denominators, against its districts' baselines and targets weighed by their denominators as
that is (a district of 1,000 cases moves it more than one of 100), a count as Σ actuals
against Σ targets, a percent as a mean, a milestone as the share of districts done.
"""

import numpy as np
import pandas as pd

from pipeline.settings import Thresholds

STATUSES = ("on_track", "at_risk", "off_track", "no_data")
DECIMALS = 12  # of progress as stored
SHOWN_PLACES = 3  # of progress as the books and pages show it (percent_text): 0.1 %


def progress(actual: pd.Series, baseline: pd.Series, target: pd.Series,
             direction: pd.Series, share: float | pd.Series,
             cumulative: pd.Series) -> pd.Series:
    """`share`: of the fiscal year elapsed at each row's period (Period.elapsed_share);
    `cumulative`: whether the KR's figure adds up over the year, which makes its level grow
    with the year by itself."""
    span = target - baseline
    moved = actual - baseline
    raw = moved / span.where(span != 0)
    maintain = direction.eq("maintain") | span.eq(0)
    held = (actual / target.where(target != 0)).where(actual < target, 1.0)
    not_exceeded = (target / actual.where(actual != 0)).where(actual > target, 1.0)
    kept = not_exceeded.where(direction.eq("decrease"), held)
    result = raw.where(~maintain, kept * np.where(cumulative.eq(True), 1.0, share))
    return exact(result.where(actual.notna()))


def exact(values):
    """To twelve decimals: (72.3 − 66.4) / (78.2 − 66.4) is 0.4999999999999994 in binary
    floating point, and a district exactly on plan at mid-year was at risk."""
    return np.round(values, DECIMALS)


def shown(values):
    """Progress as a reader sees it, to 0.1 %, a half away from zero as Excel and LibreOffice
    show it. Scaled to the places first and rounded to the decimals progress is stored with:
    0.3495 is 0.34949999… in binary floating point, and shows as 35.0 %."""
    scaled = np.round(np.asarray(values, dtype=float) * 10 ** SHOWN_PLACES,
                      DECIMALS - SHOWN_PLACES)
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 10 ** SHOWN_PLACES


def percent_text(value: float) -> str:
    """A share as the books and pages show it, to 0.1 % (shown): Python's format rounds the
    binary value half to even, and 0.4165 read 41.6 % beside a status worked out on 41.7 %."""
    return f"{float(shown(value)) * 100:.1f}%"


def capped(values: pd.Series) -> pd.Series:
    return values.clip(lower=0.0, upper=1.0)


def status(progress_values: pd.Series, expected: float | pd.Series,
           thresholds: Thresholds) -> pd.Series:
    """Progress against the thresholds, both as shown, to 0.1 %: a progress shown as 35.0 %
    was lit red under a legend of "at risk ≥ 35.0 %" (it was 34.97 %)."""
    result = pd.Series("off_track", index=progress_values.index, dtype=object)
    seen = shown(progress_values)
    result[seen >= shown(thresholds.at_risk * expected)] = "at_risk"
    result[seen >= shown(expected)] = "on_track"
    result[progress_values.isna()] = "no_data"
    return result


def roll_up(rows: pd.DataFrame, by: list[str], share: float) -> pd.DataFrame:
    """District rows of KRs → one row per `by` + KR, combined as each KR's type says.

    `rows` has one row per assigned (district, KR): kr_type, direction, cumulative, actual
    (NaN when not reported), numerator, denominator, baseline, target; `share`, of the year
    elapsed. Only reporting districts count towards the figures; `assigned` and `reporting`
    say how many stand behind them.
    """
    keys = [*by, "kr_code"]
    reported = rows[rows["actual"].notna()]
    # a ratio's baseline and target weighed as its actual is: by each district's denominator
    reported = reported.assign(weighed_baseline=reported["baseline"] * reported["denominator"],
                               weighed_target=reported["target"] * reported["denominator"])
    sums = reported.groupby(keys)[["actual", "baseline", "target", "numerator", "denominator",
                                   "weighed_baseline", "weighed_target"]].sum(min_count=1)
    means = reported.groupby(keys)[["actual", "baseline", "target"]].mean()
    each = rows.groupby(keys)  # one reduction a column: named aggregation costs more
    # a district has one row a KR: its rows are its districts, counted rather than told apart
    meta = pd.DataFrame({"kr_type": each["kr_type"].first(),
                         "direction": each["direction"].first(),
                         "cumulative": each["cumulative"].first(),
                         "assigned": each.size(), "reporting": each["actual"].count()})
    out = meta.join(sums.add_prefix("sum_")).join(means.add_prefix("mean_"))
    is_count = out["kr_type"].eq("count")
    is_ratio = out["kr_type"].eq("ratio")
    pooled = out["sum_denominator"].where(out["sum_denominator"] > 0)
    out["actual"] = out["mean_actual"].where(~is_count, out["sum_actual"])
    out["actual"] = out["actual"].where(~is_ratio, out["sum_numerator"] / pooled * 100)
    out["baseline"] = out["mean_baseline"].where(~is_count, out["sum_baseline"]).where(
        ~is_ratio, out["sum_weighed_baseline"] / pooled)
    out["target"] = out["mean_target"].where(~is_count, out["sum_target"]).where(
        ~is_ratio, out["sum_weighed_target"] / pooled)
    out["numerator"] = out["sum_numerator"].where(is_ratio)
    out["denominator"] = out["sum_denominator"].where(is_ratio)
    out["progress"] = progress(out["actual"], out["baseline"], out["target"], out["direction"],
                               share, out["cumulative"])
    return out[["kr_type", "direction", "actual", "baseline", "target", "numerator",
                "denominator", "progress", "assigned", "reporting"]].reset_index()


def dimension_scores(kr_rows: pd.DataFrame, key_results: pd.DataFrame,
                     by: list[str]) -> pd.DataFrame:
    """Mean capped progress: KRs → objectives → development issues → dimensions."""
    tree = key_results[["kr_code", "objective_code", "issue_code", "dimension_id"]]
    scored = kr_rows[[*by, "kr_code", "progress"]].merge(tree, on="kr_code")
    scored["score"] = capped(scored["progress"])
    levels = [("objective_code", "issue_code", "dimension_id"), ("issue_code", "dimension_id"),
              ("dimension_id",)]
    current = scored
    for level in levels:
        current = current.groupby([*by, *level], dropna=False)["score"].mean().reset_index()
    each = scored.groupby([*by, "dimension_id"])  # an area has one row a KR
    krs = pd.DataFrame({"krs": each.size(), "krs_with_data": each["progress"].count()}
                       ).reset_index()
    return current.merge(krs, on=[*by, "dimension_id"])
