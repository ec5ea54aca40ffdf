"""The registry workbook: the sample meets the brief, and a bad registry is refused as a whole
with every problem named by sheet, Excel row and column.

Row numbers are Excel rows: row 1 holds the headers, so the first data row (frame index 0) is
row 2. In the sample, key_results row 4 is KR-1-03 and assignments row 2 is KR-1-01 in 1001.
"""

import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.periods import parse_period
from pipeline.registry import RegistryError, load_registry
from pipeline.registry_xlsx import write_registry
from schemas.registry import DIRECTIONS, KR_TYPES
from tests.builders import registry_frames, write_registry_file

# ---------------------------------------------------------------- the sample registry


def test_the_sample_has_at_least_60_key_results(registry):
    assert len(registry.key_results) >= 60
    assert registry.key_results["kr_code"].is_unique


def test_the_sample_covers_all_nine_dimensions(registry, reference):
    assert set(registry.key_results["dimension_id"]) == set(reference.dimensions["dimension_id"])
    assert set(registry.key_results["dimension_id"]) == set(range(1, 10))


def test_the_sample_covers_at_least_20_development_issues(registry):
    assert registry.key_results["issue_code"].nunique() >= 20


def test_the_sample_uses_every_kr_type_and_every_direction(registry):
    assert set(registry.key_results["kr_type"]) == set(KR_TYPES)
    assert "decrease" in set(registry.key_results["direction"])
    assert set(registry.key_results["direction"]) <= set(DIRECTIONS)


def test_most_sample_krs_cascade_to_all_50_districts_and_some_to_fewer(registry, reference):
    districts_per_kr = registry.assignments.groupby("kr_code")["district_code"].nunique()
    assert set(districts_per_kr.index) == set(registry.key_results["kr_code"])
    assert len(reference.districts) == 50
    assert (districts_per_kr == 50).mean() >= 0.75
    assert (districts_per_kr < 50).any()


def test_every_district_has_assignments_with_numeric_baseline_and_target(registry, reference):
    assert set(registry.assignments["district_code"]) == set(reference.districts["code"])
    assert registry.assignments["baseline"].dtype.kind == "f"
    assert registry.assignments["target"].notna().all()


def test_the_sample_is_version_2569_1_of_fiscal_year_2569(registry):
    assert registry.version == "2569.1"
    assert registry.fiscal_year == 2569


def test_the_sample_has_four_quarters_and_twelve_months_each_due_after_it_ends(registry):
    expected = [f"2569-Q{q}" for q in range(1, 5)] + [f"2569-M{m:02d}" for m in range(1, 13)]
    assert set(expected) <= set(registry.periods["period"])
    due = registry.periods.set_index("period")["due_date"]
    for code in expected:
        assert isinstance(due[code], datetime.date)
        assert due[code] > parse_period(code).end
    assert due["2569-Q2"] == datetime.date(2026, 4, 15)


def test_the_sample_registry_says_it_is_a_sample(sample_registry_path):
    about = load_workbook(sample_registry_path, read_only=True)["about"]
    rows = {key: value for key, value in about.iter_rows(min_row=2, values_only=True)}
    assert "SAMPLE" in rows["note"]
    assert rows["registry_version"] == "2569.1"


def test_a_district_sees_its_krs_in_registry_order_with_its_own_targets(registry, reference):
    frames = registry_frames(reference)
    mine = frames["assignments"][frames["assignments"]["district_code"] == "1001"]
    in_order = [k for k in frames["key_results"]["kr_code"] if k in set(mine["kr_code"])]
    assigned = registry.assigned("1001")
    assert assigned["kr_code"].tolist() == in_order
    first = mine.iloc[0]
    assert (assigned.at[0, "baseline"], assigned.at[0, "target"]) == (
        float(first["baseline"]), float(first["target"]))


# ---------------------------------------------------------------- bad registries


def _problems(path: Path, reference) -> list[str]:
    with pytest.raises(RegistryError) as raised:
        load_registry(path, reference)
    return raised.value.problems


def _write(tmp_path: Path, frames: dict, **kwargs) -> Path:
    return write_registry_file(tmp_path / "registry.xlsx", frames, **kwargs)


def _edited(tmp_path: Path, reference, edit) -> Path:
    """The sample registry saved, then edited in the workbook as the strategy office would
    (`edit(book)`), and saved again."""
    path = _write(tmp_path, registry_frames(reference))
    book = load_workbook(path)
    edit(book)
    book.save(path)
    return path


def _text(frame: pd.DataFrame, column: str) -> None:
    """Lets a numeric column hold what the strategy office typed as text."""
    frame[column] = frame[column].astype(object)


def _kr_type_abbreviated(frames):
    frames["key_results"].loc[2, "kr_type"] = "cnt"


def _kr_type_capitalised(frames):
    frames["key_results"].loc[2, "kr_type"] = "Count"


def _unknown_objective(frames):
    frames["key_results"].loc[2, "objective_code"] = "9.9.9"


def _kr_row_pasted_twice(frames):
    kr = frames["key_results"]
    frames["key_results"] = pd.concat([kr, kr.iloc[[2]]], ignore_index=True)


def _decimals_out_of_range(frames):
    frames["key_results"].loc[1, "decimals"] = "5"


def _weight_in_words(frames):
    frames["key_results"].loc[1, "weight"] = "heavy"


def _weight_below_zero(frames):
    frames["key_results"].loc[1, "weight"] = "-1"


def _kr_name_like_a_formula(frames):
    frames["key_results"].loc[1, "name_en"] = "=HYPERLINK(\"http://x\",\"Click\")"


def _unit_starting_with_a_minus(frames):
    frames["key_results"].loc[1, "unit_th"] = "-กม."


def _target_typed_with_letter_o(frames):
    _text(frames["assignments"], "target")
    frames["assignments"].loc[0, "target"] = "2,7OO"


def _unknown_district(frames):
    frames["assignments"].loc[0, "district_code"] = "1099"


def _unknown_kr_in_assignments(frames):
    frames["assignments"].loc[0, "kr_code"] = "KR-1-99"


def _objective_with_unknown_issue(frames):
    frames["objectives"].loc[1, "issue_code"] = "1.9"


def _objective_without_thai_name(frames):
    frames["objectives"].loc[1, "name_th"] = ""


def _bad_period_code(frames):
    frames["periods"].loc[1, "period"] = "Q2/2569"


def _period_listed_twice(frames):
    frames["periods"].loc[1, "period"] = "2569-Q1"


def _due_date_in_thai_style(frames):
    frames["periods"].loc[1, "due_date"] = "15/04/2569"


def _due_date_in_buddhist_era(frames):
    frames["periods"].loc[1, "due_date"] = "2569-04-15"


def _due_date_before_the_period(frames):
    frames["periods"].loc[1, "due_date"] = "2025-04-15"


def _period_of_another_year(frames):
    frames["periods"].loc[1, "period"] = "2570-Q2"


def _no_periods(frames):
    frames["periods"] = frames["periods"].iloc[:0]


@pytest.mark.parametrize(("mistake", "problems"), [
    pytest.param(_kr_type_abbreviated, [
        "sheet key_results, row 4, column kr_type: 'cnt' "
        "must be one of count, ratio, percent, milestone"], id="kr-type-cnt"),
    pytest.param(_kr_type_capitalised, [
        "sheet key_results, row 4, column kr_type: 'Count' "
        "must be one of count, ratio, percent, milestone"], id="kr-type-capitalised"),
    pytest.param(_unknown_objective, [
        "sheet key_results, row 4, column objective_code: '9.9.9' "
        "is not an objective_code of sheet objectives"], id="unknown-objective"),
    pytest.param(_kr_row_pasted_twice, [
        "sheet key_results, row 4, column kr_code: 'KR-1-03' is duplicated",
        "sheet key_results, row 68, column kr_code: 'KR-1-03' is duplicated"],
        id="duplicated-kr-code"),
    pytest.param(_decimals_out_of_range, [
        "sheet key_results, row 3, column decimals: '5' must be one of 0, 1, 2, 3"],
        id="decimals-5"),
    pytest.param(_weight_in_words, [
        "sheet key_results, row 3, column weight: 'heavy' must be a number of 0 or more, or "
        "blank"], id="weight-not-a-number"),
    pytest.param(_kr_name_like_a_formula, [
        "sheet key_results, row 3, column name_en: '=HYPERLINK(\"http://x\",\"Click\")' must "
        "not start with =, +, -, @ or a tab: a spreadsheet opening the open data would read it "
        "as a formula"], id="name-like-a-formula"),
    pytest.param(_unit_starting_with_a_minus, [
        "sheet key_results, row 3, column unit_th: '-กม.' must not start with =, +, -, @ or a "
        "tab: a spreadsheet opening the open data would read it as a formula"],
        id="unit-starting-with-a-minus"),
    pytest.param(_weight_below_zero, [
        "sheet key_results, row 3, column weight: '-1' must be a number of 0 or more, or "
        "blank"], id="weight-below-zero"),
    pytest.param(_target_typed_with_letter_o, [
        "sheet assignments, row 2, column target: '2,7OO' must be a number"],
        id="target-not-a-number"),
    pytest.param(_unknown_district, [
        "sheet assignments, row 2, column district_code: '1099' "
        "is not a district code (1001-1050)"], id="unknown-district"),
    pytest.param(_unknown_kr_in_assignments, [
        "sheet assignments, row 2, column kr_code: 'KR-1-99' "
        "is not a kr_code of sheet key_results"], id="unknown-kr-in-assignments"),
    pytest.param(_objective_with_unknown_issue, [
        "sheet objectives, row 3, column issue_code: '1.9' "
        "is not a development issue code of schemas/reference"], id="unknown-issue"),
    pytest.param(_objective_without_thai_name, [
        "sheet objectives, row 3, column name_th: '' must not be blank"], id="blank-name"),
    pytest.param(_bad_period_code, [
        "sheet periods, row 3, column period: 'Q2/2569' must be a period code like 2569-Q2"],
        id="bad-period-code"),
    pytest.param(_period_listed_twice, [
        "sheet periods, row 2, column period: '2569-Q1' is duplicated",
        "sheet periods, row 3, column period: '2569-Q1' is duplicated"], id="duplicated-period"),
    pytest.param(_due_date_in_thai_style, [
        "sheet periods, row 3, column due_date: '15/04/2569' must be a date YYYY-MM-DD"],
        id="due-date-not-iso"),
    pytest.param(_due_date_in_buddhist_era, [
        "sheet periods, row 3, column due_date: '2569-04-15' is not between the period's start "
        "(2026-01-01) and a year after its end; dates are in Christian Era years (2026, not "
        "2569)"], id="due-date-in-buddhist-era"),
    pytest.param(_due_date_before_the_period, [
        "sheet periods, row 3, column due_date: '2025-04-15' is not between the period's start "
        "(2026-01-01) and a year after its end; dates are in Christian Era years (2026, not "
        "2569)"], id="due-date-before-the-period"),
    pytest.param(_period_of_another_year, [
        "sheet periods, row 3, column period: '2570-Q2' is not a period of fiscal year 2569"],
        id="period-of-another-year"),
    pytest.param(_no_periods, ["sheet periods: no rows"], id="no-periods"),
])
def test_a_registry_with_one_mistake_is_refused_naming_sheet_row_and_column(
        tmp_path, reference, mistake, problems):
    frames = registry_frames(reference)
    mistake(frames)
    assert _problems(_write(tmp_path, frames), reference) == problems


# A date that does not exist, or is typed in Thai digits, is reported, not crashed on.
@pytest.mark.parametrize("due", ["2026-02-30", "2026-13-01", "๒๐๒๖-๐๔-๑๕", "2026-4-15"])
def test_a_due_date_that_is_not_a_real_iso_date_is_refused(tmp_path, reference, due):
    frames = registry_frames(reference)
    frames["periods"].loc[1, "due_date"] = due
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet periods, row 3, column due_date: '{due}' must be a date YYYY-MM-DD"]


def test_a_blank_due_date_is_refused(tmp_path, reference):
    """A period nobody is to report is left off the sheet: a period listed is asked for."""
    frames = registry_frames(reference)
    frames["periods"].loc[1, "due_date"] = ""
    assert _problems(_write(tmp_path, frames), reference) == [
        "sheet periods, row 3, column due_date: '' must not be blank"]


def test_the_same_kr_assigned_twice_to_a_district_is_refused_on_both_rows(tmp_path, reference):
    frames = registry_frames(reference)
    assignments = frames["assignments"]
    frames["assignments"] = pd.concat([assignments, assignments.iloc[[0]]], ignore_index=True)
    last = len(frames["assignments"]) + 1
    problems = _problems(_write(tmp_path, frames), reference)
    assert problems == [
        f"sheet assignments, row {row}: assigns the same key result to the same district twice"
        for row in (2, last)
    ]


def test_a_milestone_assigned_as_a_stage_is_refused(tmp_path, reference):
    """Target "level 5": the template offers done or not done, so a district done scored
    20 % and its group's share done stood against a target of 300 %."""
    frames = registry_frames(reference)
    assignments = frames["assignments"]
    milestones = frames["key_results"].loc[frames["key_results"]["kr_type"].eq("milestone"),
                                           "kr_code"]
    first = assignments.index[assignments["kr_code"].isin(milestones)][0]
    _text(assignments, "target")
    assignments.loc[first, "target"] = "5"
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet assignments, row {first + 2}: assigns a milestone key result with a baseline "
        "other than 0 or a target other than 1: its clerks pick done (1) or not done (0); "
        "stages are not supported"]


def test_text_typed_another_way_is_read_as_the_same_registry(tmp_path, reference):
    """ำ typed as nikhahit + sara aa, a zero-width space pasted after a code: the same
    registry re-saved was refused as another content of its version, and a name so typed
    reached the books unlike the same name elsewhere."""
    frames = registry_frames(reference)
    clean = load_registry(write_registry_file(tmp_path / "clean.xlsx", frames), reference)
    krs = frames["key_results"]
    named = krs.index[krs["name_th"].str.contains("ำ")][0]
    krs.loc[named, "name_th"] = krs.loc[named, "name_th"].replace("ำ", "\u0e4d\u0e32")
    krs.loc[0, "kr_code"] += "\u200b"
    typed = load_registry(write_registry_file(tmp_path / "typed.xlsx", frames), reference)
    for column in ("kr_code", "name_th"):
        assert typed.key_results[column].tolist() == clean.key_results[column].tolist()
    assert typed.content_sha256 == clean.content_sha256


def test_a_target_the_other_side_of_its_baseline_than_its_direction_is_refused(
        tmp_path, reference):
    """A decrease KR's target above its baseline scored its district's fall, the
    improvement, as negative progress, off track; an increase KR's below, likewise."""
    frames = registry_frames(reference)
    krs, assignments = frames["key_results"], frames["assignments"]
    rows = []
    for direction in ("decrease", "increase"):
        codes = krs.loc[krs["direction"].eq(direction) & krs["kr_type"].ne("milestone"),
                        "kr_code"]
        # a baseline of 3 or more: 3 below it is still a figure its clerks can report
        row = assignments.index[assignments["kr_code"].isin(codes)
                                & assignments["baseline"].astype(float).ge(3)][0]
        baseline = float(assignments.loc[row, "baseline"])
        assignments.loc[row, "target"] = baseline + (3 if direction == "decrease" else -3)
        rows.append(row + 2)
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet assignments, row {row}: sets a target the other side of its baseline than its "
        "key result's direction: an increase needs a target at or above the baseline, a "
        "decrease at or below" for row in sorted(rows)]


def test_a_direction_every_target_goes_against_is_named_once_at_the_key_result(
        tmp_path, reference):
    """An increase KR typed as decrease: its fifty districts' targets are right, and fifty
    messages at sheet assignments sent the office to fix them; one at the direction says
    what to fix."""
    frames = registry_frames(reference)
    krs = frames["key_results"]
    assert krs.loc[2, ["kr_code", "direction"]].tolist() == ["KR-1-03", "increase"]
    krs.loc[2, "direction"] = "decrease"
    assert _problems(_write(tmp_path, frames), reference) == [
        "sheet key_results, row 4, column direction: 'decrease' goes against all 50 targets of "
        "KR-1-03 in sheet assignments, each above its baseline: an increase needs a target at "
        "or above the baseline, a decrease at or below"]


def test_a_target_its_clerks_cannot_report_is_refused(tmp_path, reference):
    """A percent KR's target of 150, where its clerks can report 0 to 100 only, and a count
    KR's target below 0: never reached, whatever the districts did."""
    frames = registry_frames(reference)
    krs, assignments = frames["key_results"], frames["assignments"]
    _text(assignments, "baseline")
    _text(assignments, "target")
    rows = []
    for kr_type, column, value in (("percent", "target", "150"), ("ratio", "baseline", "-1"),
                                   ("count", "target", "-5")):
        code = krs.loc[krs["kr_type"].eq(kr_type) & krs["direction"].ne("increase")
                       if kr_type == "count" else krs["kr_type"].eq(kr_type), "kr_code"].iloc[0]
        row = assignments.index[assignments["kr_code"].eq(code)][0]
        assignments.loc[row, column] = value
        rows.append(row + 2)
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet assignments, row {row}: sets a baseline or target its clerks cannot report: "
        "a percent or ratio lies between 0 and 100, a count is 0 or more" for row in sorted(rows)]


@pytest.mark.parametrize(("kr_type", "column", "typed", "said"), [
    # a ratio's percentage may fall while its numerator and denominator both grow: marked
    # cumulative, an honest 80 of 100 after 90 % was refused as a fall
    ("ratio", "cumulative", "yes", "marks a ratio key result cumulative: its percentage may "
     "fall while its numerator and denominator grow; set cumulative to no"),
    # done or not, a milestone has one way to go: as a level to hold, its share of districts
    # done was scaled by the part of the year gone, 80 % done at mid-year scored 40 %
    ("milestone", "direction", "maintain", "gives a milestone key result a direction other "
     "than increase: it goes from not done (0) to done (1); set direction to increase")],
    ids=["ratio-cumulative", "milestone-maintain"])
def test_a_key_result_whose_type_rules_out_its_setting_is_refused(tmp_path, reference, kr_type,
                                                                  column, typed, said):
    frames = registry_frames(reference)
    krs = frames["key_results"]
    row = krs.index[krs["kr_type"].eq(kr_type)][0]
    krs.loc[row, column] = typed
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet key_results, row {row + 2}: {said}"]


def test_a_key_result_assigned_to_no_district_is_refused(tmp_path, reference):
    """It vanished from the roll-ups without a word, its dimension standing on one KR
    fewer than the period before."""
    frames = registry_frames(reference)
    code = frames["key_results"].loc[5, "kr_code"]
    frames["assignments"] = frames["assignments"][frames["assignments"]["kr_code"] != code]
    assert _problems(_write(tmp_path, frames), reference) == [
        f"sheet key_results, row 7, column kr_code: '{code}' is assigned to no district in "
        "sheet assignments: assign it, or take its row out to retire it"]


def test_a_blank_baseline_is_reported_once_as_blank(tmp_path, reference):
    frames = registry_frames(reference)
    _text(frames["assignments"], "baseline")
    frames["assignments"].loc[0, "baseline"] = ""
    assert _problems(_write(tmp_path, frames), reference) == [
        "sheet assignments, row 2, column baseline: '' must not be blank",
    ]


def test_every_mistake_of_every_sheet_is_reported_at_once(tmp_path, reference):
    frames = registry_frames(reference)
    _kr_type_abbreviated(frames)
    _unknown_district(frames)
    _bad_period_code(frames)
    path = _write(tmp_path, frames)
    with pytest.raises(RegistryError) as raised:
        load_registry(path, reference)
    assert raised.value.problems == [
        "sheet key_results, row 4, column kr_type: 'cnt' "
        "must be one of count, ratio, percent, milestone",
        "sheet assignments, row 2, column district_code: '1099' "
        "is not a district code (1001-1050)",
        "sheet periods, row 3, column period: 'Q2/2569' must be a period code like 2569-Q2",
    ]
    assert str(raised.value) == (
        f"ทะเบียน OKR ใช้ไม่ได้ / the registry {path} is invalid:\n"
        "  - sheet key_results, row 4, column kr_type: 'cnt' "
        "must be one of count, ratio, percent, milestone\n"
        "  - sheet assignments, row 2, column district_code: '1099' "
        "is not a district code (1001-1050)\n"
        "  - sheet periods, row 3, column period: 'Q2/2569' "
        "must be a period code like 2569-Q2")


def test_row_numbers_count_blank_rows_left_in_the_sheet(tmp_path, reference):
    frames = registry_frames(reference)
    kr = frames["key_results"]
    blank = pd.DataFrame([[""] * len(kr.columns)], columns=kr.columns)
    kr = pd.concat([kr.iloc[:3], blank, kr.iloc[3:]], ignore_index=True)
    kr.loc[4, "kr_type"] = "cnt"  # KR-1-04, pushed from row 5 to row 6 by the blank row
    frames["key_results"] = kr
    assert _problems(_write(tmp_path, frames), reference) == [
        "sheet key_results, row 6, column kr_type: 'cnt' "
        "must be one of count, ratio, percent, milestone"]


@pytest.mark.parametrize("typed", ["FY2569", "2569.5", "2026"])
def test_a_fiscal_year_that_is_not_a_buddhist_era_year_is_refused(tmp_path, reference, typed):
    path = tmp_path / "registry.xlsx"
    write_registry(path, {"registry_version": "2569.1", "fiscal_year": typed},
                   registry_frames(reference))
    assert _problems(path, reference) == [
        f"sheet about: fiscal_year '{typed}' must be a Buddhist Era year like 2569"]


def test_a_column_named_twice_is_refused_at_the_header(tmp_path, reference):
    def name_twice(book):
        book["assignments"].cell(1, book["assignments"].max_column + 1).value = "target"

    path = _edited(tmp_path, reference, name_twice)
    assert _problems(path, reference) == [
        "sheet assignments, row 1: column(s) named more than once target"]


def test_a_key_given_twice_in_the_about_sheet_is_refused_on_both_rows(tmp_path, reference):
    """The new version pasted below the old one: whichever came last would be loaded."""
    rows = []

    def paste_below(book):
        about = book["about"]
        rows.append(next(r for r in range(2, about.max_row + 1)
                         if about.cell(r, 1).value == "registry_version"))
        rows.append(about.max_row + 1)
        about.cell(rows[1], 1).value, about.cell(rows[1], 2).value = "registry_version", "2569.2"

    path = _edited(tmp_path, reference, paste_below)
    assert _problems(path, reference) == [
        f"sheet about, rows {rows[0]}, {rows[1]}: key 'registry_version' is given more than once; "
        "keep one"]


def test_a_registry_without_a_version_is_refused(tmp_path, reference):
    path = _write(tmp_path, registry_frames(reference), version="")
    assert _problems(path, reference) == ["sheet about: registry_version is missing"]


def test_a_registry_without_the_periods_sheet_is_refused(tmp_path, reference):
    path = _edited(tmp_path, reference, lambda book: book.remove(book["periods"]))
    assert _problems(path, reference) == ["sheet periods is missing"]


def test_a_sheet_renamed_by_case_or_a_space_is_named_in_the_message(tmp_path, reference):
    def rename(book):
        book["assignments"].title = "Assignments "

    path = _edited(tmp_path, reference, rename)
    assert _problems(path, reference) == [
        "sheet assignments is missing ('Assignments ' is there: sheet names must be written "
        "exactly so)"]


def test_a_registry_without_a_column_is_refused(tmp_path, reference):
    def delete_direction(book):
        sheet = book["key_results"]
        sheet.delete_cols([cell.value for cell in sheet[1]].index("direction") + 1)

    path = _edited(tmp_path, reference, delete_direction)
    assert _problems(path, reference) == [
        "sheet key_results, row 1: missing column(s) direction"]


def test_a_due_date_that_excel_turned_into_a_date_is_read_as_that_date(tmp_path, reference):
    def typed_as_a_date(book):
        cell = book["periods"]["B3"]  # 2569-Q2
        cell.value = datetime.datetime(2026, 4, 20)
        cell.number_format = "dd/mm/yyyy"

    path = _edited(tmp_path, reference, typed_as_a_date)
    due = load_registry(path, reference).periods.set_index("period")["due_date"]
    assert due["2569-Q2"] == datetime.date(2026, 4, 20)


def _percent_target(book) -> tuple:
    """The first assignments row of a percent KR: its sheet row, KR and district."""
    kinds = {row[0]: row[6] for row in book["key_results"].iter_rows(min_row=2, values_only=True)}
    header = [cell.value for cell in book["assignments"][1]]
    for row in book["assignments"].iter_rows(min_row=2):
        kr = row[header.index("kr_code")].value
        if kinds.get(kr) == "percent":
            return row[header.index("target")], kr, row[header.index("district_code")].value
    raise AssertionError("the sample has no percent KR")


def test_a_target_typed_as_a_percentage_in_excel_is_read_as_it_shows(tmp_path, reference):
    """Excel stores 92.5% typed in a cell as 0.925: read so, the target was a hundred times
    too small and every district met it. It is read as it shows, whatever the format's
    decimals (0% shows 93%)."""
    where = {}

    def typed_with_a_percent_sign(book):
        cell, *where["key"] = _percent_target(book)
        cell.value, cell.number_format = 0.925, "0%"

    path = _edited(tmp_path, reference, typed_with_a_percent_sign)
    kr, district = where["key"]
    targets = load_registry(path, reference).assignments.set_index(["kr_code", "district_code"])
    assert targets.at[(kr, district), "target"] == 92.5


def test_an_error_value_in_a_target_is_named_not_read_as_a_blank(tmp_path, reference):
    where = {}

    def looked_up_and_not_found(book):
        cell, *_ = _percent_target(book)
        cell.value, where["row"] = "#N/A", cell.row  # openpyxl writes it as an error value

    path = _edited(tmp_path, reference, looked_up_and_not_found)
    assert _problems(path, reference) == [
        f"sheet assignments, row {where['row']}, column target: '#N/A' must be a number"]


def test_a_registry_that_does_not_exist_is_refused(tmp_path, reference):
    path = tmp_path / "registry.xlsx"
    with pytest.raises(RegistryError) as raised:
        load_registry(path, reference)
    assert raised.value.problems == ["the file does not exist"]
    assert "does not exist" in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, reference):
    path = tmp_path / "registry.xlsx"
    path.write_text("kr_code,objective_code\nKR-1-01,1.1.1\n", encoding="utf-8")
    problems = _problems(path, reference)
    assert len(problems) == 1
    assert problems[0].startswith("cannot be read as a workbook: ")
