"""pandera models of the registry workbook's sheets (read as text, so every cell is checked).

Each check's `error` is the message the strategy office reads, prefixed with the sheet, row
and column of the failing cell. Cross-sheet checks (an objective's issue exists …) take the
allowed codes as arguments.
"""

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from schemas.template_layout import PERCENT_RANGE

KR_TYPES = ("count", "ratio", "percent", "milestone")
DIRECTIONS = ("increase", "decrease", "maintain")
YES_NO = ("yes", "no")

SHEETS = {
    "about": ("key", "value"),
    "objectives": ("objective_code", "issue_code", "name_th", "name_en"),
    "key_results": ("kr_code", "objective_code", "name_th", "name_en", "unit_th", "unit_en",
                    "kr_type", "direction", "cumulative", "decimals", "weight"),
    "assignments": ("kr_code", "district_code", "baseline", "target"),
    "periods": ("period", "due_date"),
}


def _number_or_blank(series: pd.Series) -> pd.Series:
    """Blank passes here: "must not be blank" reports it once."""
    numbers = pd.to_numeric(series, errors="coerce")
    return series.eq("") | (numbers.notna() & numbers.abs().ne(float("inf")))


def _weight_or_blank(series: pd.Series) -> pd.Series:
    """A weight is a share of the KR's say in its objective: none (0) or more, never less."""
    numbers = pd.to_numeric(series, errors="coerce")
    return series.eq("") | (numbers.ge(0) & numbers.ne(float("inf")))


def _date(series: pd.Series) -> pd.Series:
    """Two digits of month and day, as the dates are read back (2026-4-15 passed here and
    failed the run later, with no sheet, row or column named). A blank is told apart."""
    return series.eq("") | (series.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
                            & pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna())


def _filled(series: pd.Series) -> pd.Series:
    return series.str.strip().ne("")


def _not_formula_like(series: pd.Series) -> pd.Series:
    """Names and units reach the open data's CSV files, where a spreadsheet would read a
    text starting with = + - @ as a formula (CSV injection)."""
    return ~series.str.match(r"[=+\-@\t\r]")


_SHOWN = pa.Check(_not_formula_like, error="must not start with =, +, -, @ or a tab: a "
                  "spreadsheet opening the open data would read it as a formula")


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, [pa.Check(_filled, error="must not be blank"), *checks],
                     unique=unique, report_duplicates="all")


def _one_of(values, message: str) -> pa.Check:
    return pa.Check.isin(list(values), error=message)


def objectives_schema(issue_codes) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "objective_code": _text(unique=True),
        "issue_code": _text(
            _one_of(issue_codes, "is not a development issue code of schemas/reference")),
        "name_th": _text(_SHOWN),
        "name_en": _text(_SHOWN),
    }, strict="filter")


def key_results_schema(objective_codes, assigned_codes) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "kr_code": _text(_one_of(assigned_codes, "is assigned to no district in sheet "
                                 "assignments: assign it, or take its row out to retire it"),
                         unique=True),
        "objective_code": _text(
            _one_of(objective_codes, "is not an objective_code of sheet objectives")),
        "name_th": _text(_SHOWN),
        "name_en": _text(_SHOWN),
        "unit_th": _text(_SHOWN),
        "unit_en": _text(_SHOWN),
        "kr_type": _text(_one_of(KR_TYPES, "must be one of " + ", ".join(KR_TYPES))),
        "direction": _text(_one_of(DIRECTIONS, "must be one of " + ", ".join(DIRECTIONS))),
        "cumulative": _text(_one_of(YES_NO, "must be yes or no")),
        "decimals": _text(_one_of(("0", "1", "2", "3"), "must be one of 0, 1, 2, 3")),
        "weight": pa.Column(str, pa.Check(_weight_or_blank,
                                          error="must be a number of 0 or more, or blank")),
    }, checks=[pa.Check(
        lambda df: ~(df["kr_type"].eq("ratio") & df["cumulative"].eq("yes")),
        error="marks a ratio key result cumulative: its percentage may fall while its "
              "numerator and denominator grow; set cumulative to no",
    ), pa.Check(
        lambda df: ~(df["kr_type"].eq("milestone") & df["direction"].ne("increase")),
        error="gives a milestone key result a direction other than increase: it goes from "
              "not done (0) to done (1); set direction to increase",
    )], strict="filter")


def assignments_schema(kr_codes, district_codes, milestones=(),
                       directions: Mapping[str, str] | None = None,
                       types: Mapping[str, str] | None = None) -> pa.DataFrameSchema:
    number = pa.Check(_number_or_blank, error="must be a number")
    return pa.DataFrameSchema({
        "kr_code": _text(_one_of(kr_codes, "is not a kr_code of sheet key_results")),
        "district_code": _text(_one_of(district_codes, "is not a district code (1001-1050)")),
        "baseline": _text(number),
        "target": _text(number),
    }, checks=[pa.Check(
        lambda df: ~df.duplicated(["kr_code", "district_code"], keep=False),
        error="assigns the same key result to the same district twice",
    ), pa.Check(
        lambda df: _towards_its_direction(df, directions),
        error="sets a target the other side of its baseline than its key result's direction: "
              "an increase needs a target at or above the baseline, a decrease at or below",
    ), pa.Check(
        lambda df: _reportable(df, types),
        error="sets a baseline or target its clerks cannot report: a percent or ratio lies "
              "between 0 and 100, a count is 0 or more",
    ), pa.Check(
        lambda df: _done_or_not(df, milestones),
        error="assigns a milestone key result with a baseline other than 0 or a target other "
              "than 1: its clerks pick done (1) or not done (0); stages are not supported",
    )], strict="filter")


def _towards_its_direction(df: pd.DataFrame, directions) -> pd.Series:
    """A decrease KR with a target above its baseline scored a fall, its improvement, as
    negative progress, and an increase KR the other way round. `directions`: each KR's; a
    maintained level is held wherever its target is."""
    numbers = _baseline_and_target(df)
    direction = df["kr_code"].map(directions or {})
    wrong_side = ((direction.eq("increase") & numbers["target"].lt(numbers["baseline"]))
                  | (direction.eq("decrease") & numbers["target"].gt(numbers["baseline"])))
    return ~wrong_side


def against_every_target(df: pd.DataFrame, directions: Mapping[str, str]) -> dict[str, int]:
    """The KRs of two or more assignments whose every target is the other side of its baseline
    than the KR's direction, each with its number of rows: the direction is mistyped, not
    fifty targets, and one message at it says so."""
    wrong = df.assign(wrong=~_towards_its_direction(df, directions)).groupby(
        "kr_code", sort=False)["wrong"].agg(["all", "size"])
    wrong = wrong[wrong["all"] & wrong["size"].ge(2)]
    return dict(zip(wrong.index, wrong["size"], strict=True))


def _reportable(df: pd.DataFrame, types) -> pd.Series:
    """A target its clerks cannot reach (a percent of 150: they report 0 to 100) would stand
    unmet whatever the districts did. `types`: each KR's."""
    numbers = _baseline_and_target(df)
    kr_type = df["kr_code"].map(types or {})
    low, high = PERCENT_RANGE
    percent = kr_type.isin(["percent", "ratio"])
    outside = ((percent & (numbers.lt(low) | numbers.gt(high)).any(axis=1))
               | (kr_type.eq("count") & numbers.lt(0).any(axis=1)))
    return ~outside


def _baseline_and_target(df: pd.DataFrame) -> pd.DataFrame:
    """As numbers; a blank or a word as NaN (their own checks name them)."""
    return df[["baseline", "target"]].apply(pd.to_numeric, errors="coerce")


def _done_or_not(df: pd.DataFrame, milestones) -> pd.Series:
    """A stage as a target ("level 5") would score a district done at 20 % and a group's share
    of districts done against a target of 300 %. A blank or a word is told apart."""
    numbers = _baseline_and_target(df)
    return (~df["kr_code"].isin(list(milestones)) | numbers.isna().any(axis=1)
            | (numbers["baseline"].eq(0) & numbers["target"].eq(1)))


def periods_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "period": _text(pa.Check.str_matches(r"^[0-9]{4}-(Q[1-4]|M(0[1-9]|1[0-2]))$",
                                             error="must be a period code like 2569-Q2"),
                        unique=True),
        "due_date": _text(pa.Check(_date, error="must be a date YYYY-MM-DD")),
    }, strict="filter")
