"""The row rules of a submission's data sheet, as one pandera schema over a whole batch.

The frame holds the normalised rows of every file of a run (one pandera call for all of
them), joined with the registry version in force for its period: `assigned`, `kr_type`,
`retired` (assigned in the template's own version, not in the one in force). Each rule names
the template column whose cell it marks and the frame columns shown to the clerk as the value
found and expected.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from schemas import template_layout as layout

Frame = pd.DataFrame


VALUE_CELL = "@value"  # the cell the KR's value was typed in: actual, or numerator for a ratio
# the rules that compare a figure with the district's other periods: not said of a figure
# already wrong in itself
ACROSS_PERIODS = frozenset({"cumulative-decreased", "cumulative-above-later"})


@dataclass(frozen=True)
class RowRule:
    code: str
    column: str  # template key of the cell marked, or VALUE_CELL
    passes: Callable[[Frame], pd.Series]
    value: str  # frame column shown as the value found
    expected: str = ""  # frame column shown as what is expected, or a fixed text
    expected_is_column: bool = False


def must_not_fall(f: Frame) -> pd.Series:
    """The rows (of KRs, or of figures with their KR's columns) whose figure must not fall
    within a year: cumulative, to increase."""
    return f["cumulative"].eq(True) & f["direction"].eq("increase")


def _is(kr_type: str) -> Callable[[Frame], pd.Series]:
    return lambda f: f["kr_type"].eq(kr_type)


def _number_kind(f: Frame) -> pd.Series:
    return f["kr_type"].isin(["count", "percent"])


def _blank(f: Frame, column: str) -> pd.Series:
    return f[f"{column}_raw"].eq("")


def _not_number(f: Frame, column: str) -> pd.Series:
    return ~_blank(f, column) & f[column].isna()


# what a figure that is not a number most often is: told so, not only "not a number"
_MISTAKEN = {
    # 1,5 · 85,5 % · 1.234,5
    "decimal-comma": r"\s*[-+]?(\d+,\d{1,2}|\d{1,3}(\.\d{3})+,\d+)\s*%?\s*",
    "date-not-number": r"\d{4}-\d{2}-\d{2}(T[\d:.]+)?",  # 1/5 typed, a date made of it
}


def _numbers(column: str, applies: Callable[[Frame], pd.Series]) -> tuple[RowRule, ...]:
    """A figure's cell read as no number where its KR reports one: what it most likely is,
    else not-a-number."""
    raw = f"{column}_raw"

    def wrong(f: Frame) -> pd.Series:
        return applies(f) & _not_number(f, column)

    def mistaken(f: Frame, pattern: str) -> pd.Series:
        """Of the cells read as no number only, a few: a pattern over every cell of a year's
        files cost 0.06 s a pass, twelve passes."""
        bad = wrong(f)
        found = pd.Series(False, index=f.index)
        if bad.any():
            found[bad] = f.loc[bad, raw].str.fullmatch(pattern).to_numpy(bool)
        return found

    return (*(RowRule(code, column, lambda f, p=pattern: ~(wrong(f) & mistaken(f, p)), raw)
              for code, pattern in _MISTAKEN.items()),
            RowRule("not-a-number", column, lambda f: ~(wrong(f) & ~pd.concat(
                [mistaken(f, p) for p in _MISTAKEN.values()], axis=1).any(axis=1)), raw))


def _reported(f: Frame) -> pd.Series:
    ratio = _is("ratio")(f)
    return (ratio & ~_blank(f, "numerator")) | (~ratio & ~_blank(f, "actual"))


def _value_missing(f: Frame) -> pd.Series:
    """No value typed: a ratio's numerator, another KR's actual. A ratio whose numerator was
    typed without its denominator is denominator-blank, not this."""
    ratio = _is("ratio")(f)
    return (ratio & _blank(f, "numerator")) | (~ratio & _blank(f, "actual"))


def _not_its_kr(f: Frame) -> pd.Series:
    """A row without a KR code (a total or a signature typed below the table), or of a KR not
    the district's (a row added, KR-X-01), is told that alone (kr-code-blank, kr-unknown,
    kr-retired), not also that its status is blank or its code repeated: it is to go."""
    return f["kr_code"].eq("") | ~f["assigned"]


def _as_fraction(f: Frame) -> pd.Series:
    """A percentage typed as a fraction of one (0.756 for 75.6 %) where the KR's baseline and
    target are in the tens: read as 0.756 %, it went into the city's mean a hundred times too
    small, with nothing said."""
    return (_is("percent")(f) & f["actual"].gt(0) & f["actual"].lt(1)
            & f["baseline"].ge(FRACTION_BELOW) & f["target"].ge(FRACTION_BELOW))


FRACTION_BELOW = 10  # a baseline and target from here up: a percentage under 1 is a fraction


def _far_above_target(f: Frame) -> pd.Series:
    """A count to increase, over TIMES_TARGET times its annual target, where the outlier
    rules say nothing (350 km of footpath for 3.5, sent before ten other districts had sent
    theirs): zeros typed twice, most likely. A warning: a year's target can be beaten. (A
    count to decrease starts far above its target.)"""
    return (_is("count")(f) & f["direction"].eq("increase") & f["target"].gt(0)
            & f["actual"].gt(TIMES_TARGET * f["target"]) & ~f["outlier"])


TIMES_TARGET = 10


def _labels(labels: dict) -> str:
    return ", ".join(thai for thai, _ in labels.values())


ROW_RULES: tuple[RowRule, ...] = (
    RowRule("kr-code-blank", "kr_code", lambda f: f["kr_code"].ne(""), "kr_code"),
    RowRule("kr-unknown", "kr_code",
            lambda f: f["assigned"] | f["retired"] | f["kr_code"].eq(""), "kr_code"),
    RowRule("kr-retired", "kr_code", lambda f: ~f["retired"], "kr_code", "plan_version",
            expected_is_column=True),
    RowRule("kr-duplicated", "kr_code",
            lambda f: ~f.duplicated(["file_id", "kr_code"], keep=False) | _not_its_kr(f),
            "kr_code"),
    *_numbers("actual", _number_kind),
    *_numbers("numerator", _is("ratio")),
    *_numbers("denominator", _is("ratio")),
    # a figure typed in a cell its KR's type does not use would be dropped without a word
    RowRule("ratio-needs-parts", "actual",
            lambda f: ~(_is("ratio")(f) & ~_blank(f, "actual")), "actual_raw"),
    RowRule("parts-not-used", "numerator",
            lambda f: ~(f["assigned"] & ~_is("ratio")(f) & ~_blank(f, "numerator")),
            "numerator_raw"),
    RowRule("parts-not-used", "denominator",
            lambda f: ~(f["assigned"] & ~_is("ratio")(f) & ~_blank(f, "denominator")),
            "denominator_raw"),
    RowRule("milestone-invalid", "actual",
            lambda f: ~(_is("milestone")(f) & ~_blank(f, "actual") & f["milestone"].isna()),
            "actual_raw"),
    RowRule("actual-blank", "actual",
            lambda f: ~(~_is("ratio")(f) & f["assigned"] & _value_missing(f) & f["note"].eq("")),
            "actual_raw"),
    RowRule("parts-blank", "numerator",
            lambda f: ~(_is("ratio")(f) & f["assigned"] & _value_missing(f)
                        & _blank(f, "denominator") & f["note"].eq("")),
            "numerator_raw"),
    # said, so that a figure typed in the note (ผลงาน 5 จุด) is not taken for a report
    RowRule("not-reported", VALUE_CELL,
            lambda f: ~(f["assigned"] & _value_missing(f) & f["note"].ne("")
                        & (~_is("ratio")(f) | _blank(f, "denominator"))), "note"),
    RowRule("percent-out-of-range", "actual",
            lambda f: ~(_is("percent")(f) & ~f["actual"].between(*layout.PERCENT_RANGE)
                        & f["actual"].notna()),
            "actual_raw"),
    RowRule("percent-as-fraction", "actual", lambda f: ~_as_fraction(f), "actual_raw"),
    RowRule("count-far-above-target", "actual", lambda f: ~_far_above_target(f), "actual_raw",
            "target_shown", expected_is_column=True),
    RowRule("count-negative", "actual", lambda f: ~(_is("count")(f) & (f["actual"] < 0)),
            "actual_raw"),
    RowRule("numerator-blank", "numerator",  # a note explains no half of a ratio
            lambda f: ~(_is("ratio")(f) & f["assigned"] & _blank(f, "numerator")
                        & ~_blank(f, "denominator")),
            "denominator_raw"),
    RowRule("denominator-blank", "denominator",
            lambda f: ~(_is("ratio")(f) & ~_blank(f, "numerator") & _blank(f, "denominator")),
            "numerator_raw"),
    RowRule("numerator-negative", "numerator",
            lambda f: ~(_is("ratio")(f) & (f["numerator"] < 0)), "numerator_raw"),
    RowRule("numerator-above-denominator", "numerator",
            lambda f: ~(_is("ratio")(f) & (f["denominator"] > 0)
                        & (f["numerator"] > f["denominator"])),
            "numerator_raw", "denominator_raw", expected_is_column=True),
    RowRule("denominator-not-positive", "denominator",
            lambda f: ~(_is("ratio")(f) & (f["denominator"] <= 0)), "denominator_raw"),
    RowRule("status-invalid", "status",
            lambda f: _blank(f, "status") | f["status"].notna() | _not_its_kr(f), "status_raw",
            _labels(layout.STATUS_LABELS)),
    RowRule("status-blank", "status",
            lambda f: ~(_blank(f, "status") & _reported(f)) | _not_its_kr(f), "status_raw"),
    # a warning: the status decides, the confidence only qualifies it, and no score uses it
    RowRule("confidence-blank", "confidence",
            lambda f: ~(_blank(f, "confidence") & _reported(f)) | _not_its_kr(f), "confidence_raw"),
    RowRule("confidence-invalid", "confidence",
            lambda f: _blank(f, "confidence") | f["confidence"].notna() | _not_its_kr(f),
            "confidence_raw",
            _labels(layout.CONFIDENCE_LABELS)),
    # Across periods: the rows carry what the warehouse knows (pipeline/history.py).
    RowRule("cumulative-decreased", VALUE_CELL,
            lambda f: ~(must_not_fall(f) & (f["value"] < f["previous_actual"])),
            "value_shown", "previous_shown", expected_is_column=True),
    RowRule("cumulative-above-later", VALUE_CELL,
            lambda f: ~(must_not_fall(f) & (f["value"] > f["next_actual"])),
            "value_shown", "next_shown", expected_is_column=True),
    RowRule("value-outlier", VALUE_CELL, lambda f: ~(f["outlier"] & f["note"].eq("")),
            "value_shown", "typical_shown", expected_is_column=True),
    RowRule("value-outlier-explained", VALUE_CELL, lambda f: ~(f["outlier"] & f["note"].ne("")),
            "value_shown", "typical_shown", expected_is_column=True),
    # a warning: a district far behind its peers may be right, and most often is
    RowRule("value-far-below-peers", VALUE_CELL,
            lambda f: ~(f["far_below"] & f["note"].eq("")),
            "value_shown", "typical_shown", expected_is_column=True),
    RowRule("status-disagrees", "status",
            lambda f: ~(f["status"].notna() & f["computed_status"].notna()
                        & f["status"].ne(f["computed_status"])),
            "status_shown", "computed_shown", expected_is_column=True),
    RowRule("note-too-long", "note",
            lambda f: f["note"].str.len().le(layout.NOTE_MAX_LENGTH), "note_length",
            f"{layout.NOTE_MAX_LENGTH:,}"),
    RowRule("note-required", "note",
            lambda f: ~(f["status"].isin(layout.NOTE_REQUIRED_STATUSES) & f["note"].eq("")),
            "status_raw"),
)


# Every frame column the schema and its rules read. pandera is given only these: for each
# check that fails, it scans every column of the frame it validates.
CHECKED_COLUMNS = (
    "file_id", "row", "kr_code", "kr_type", "assigned", "retired", "note", "milestone",
    "actual", "numerator", "denominator", "value", "previous_actual", "next_actual", "cumulative",
    "baseline", "target",
    "direction", "outlier", "far_below", "status", "confidence", "computed_status",
    *(f"{key}_raw" for key in ("actual", "numerator", "denominator", "status", "confidence")),
)


def rule_id(rule: RowRule) -> str:
    """The pandera check name: the rule's code and the column it marks."""
    return f"{rule.code}@{rule.column}"


RULES_BY_ID = {rule_id(rule): rule for rule in ROW_RULES}


def batch_schema() -> pa.DataFrameSchema:
    text = pa.Column(str)
    number = pa.Column(float, nullable=True)
    return pa.DataFrameSchema(
        {
            "file_id": pa.Column(int),
            "row": pa.Column(int),
            "kr_code": text,
            "assigned": pa.Column(bool),
            "retired": pa.Column(bool),
            "outlier": pa.Column(bool),
            "far_below": pa.Column(bool),
            "note": text,
            **{key: number for key in ("actual", "numerator", "denominator")},
            **{f"{key}_raw": text for key in
               ("actual", "numerator", "denominator", "status", "confidence")},
        },
        # ignore_na: a row whose every column is blank passes, which pandera finds by looking
        # at every cell of the batch for each check; every row has its file and row number
        checks=[pa.Check(rule.passes, error=rule_id(rule), ignore_na=False)
                for rule in ROW_RULES],
    )
