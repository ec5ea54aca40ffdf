"""Period codes → dates of the Thai fiscal year, expected progress and Thai labels.

FY 2569 runs from 1 October 2025 to 30 September 2026; Q1 is October–December 2025 and
M01 is October 2025.
"""

from datetime import date
from itertools import pairwise

import pytest

from pipeline.periods import PeriodError, containing, following, parse_period, thai_date


@pytest.mark.parametrize(("code", "start", "end"), [
    ("2569-Q1", date(2025, 10, 1), date(2025, 12, 31)),
    ("2569-Q2", date(2026, 1, 1), date(2026, 3, 31)),
    ("2569-Q3", date(2026, 4, 1), date(2026, 6, 30)),
    ("2569-Q4", date(2026, 7, 1), date(2026, 9, 30)),
])
def test_quarters_split_the_fiscal_year_from_october(code, start, end):
    period = parse_period(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("code", "start", "end"), [
    ("2569-M01", date(2025, 10, 1), date(2025, 10, 31)),
    ("2569-M03", date(2025, 12, 1), date(2025, 12, 31)),
    ("2569-M04", date(2026, 1, 1), date(2026, 1, 31)),
    ("2569-M05", date(2026, 2, 1), date(2026, 2, 28)),
    ("2569-M12", date(2026, 9, 1), date(2026, 9, 30)),
])
def test_month_one_is_october_of_the_previous_calendar_year(code, start, end):
    period = parse_period(code)
    assert (period.start, period.end) == (start, end)


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026():
    assert parse_period("2569-Q1").start == date(2025, 10, 1)
    assert parse_period("2569-Q4").end == date(2026, 9, 30)
    assert parse_period("2569-Q2").fiscal_year == 2569


def test_a_leap_february_ends_on_the_29th():
    # FY 2571 ends in September 2028, a leap year: M05 is February 2028.
    assert parse_period("2571-M05").end == date(2028, 2, 29)


def test_the_months_of_a_year_tile_it_without_gap_or_overlap():
    months = [parse_period(f"2569-M{m:02d}") for m in range(1, 13)]
    for before, after in pairwise(months):
        assert (after.start - before.end).days == 1
    assert months[0].start == parse_period("2569-Q1").start
    assert months[-1].end == parse_period("2569-Q4").end


@pytest.mark.parametrize(("code", "share"), [
    ("2569-Q1", 0.25),
    ("2569-Q2", 0.5),
    ("2569-Q3", 0.75),
    ("2569-Q4", 1.0),
    ("2569-M01", 1 / 12),
    ("2569-M06", 0.5),
    ("2569-M12", 1.0),
])
def test_elapsed_share_is_the_part_of_the_year_over_at_the_end_of_the_period(code, share):
    assert parse_period(code).elapsed_share == pytest.approx(share)


@pytest.mark.parametrize(("code", "thai", "english"), [
    ("2569-Q2", "ไตรมาส 2 ปีงบประมาณ 2569", "Q2, FY 2569"),
    ("2569-Q4", "ไตรมาส 4 ปีงบประมาณ 2569", "Q4, FY 2569"),
    ("2569-M01", "เดือน ต.ค. ปีงบประมาณ 2569", "Oct, FY 2569"),
    ("2569-M04", "เดือน ม.ค. ปีงบประมาณ 2569", "Jan, FY 2569"),
    ("2569-M12", "เดือน ก.ย. ปีงบประมาณ 2569", "Sep, FY 2569"),
])
def test_labels_name_the_period_in_thai_and_english(code, thai, english):
    period = parse_period(code)
    assert (period.label_th, period.label_en) == (thai, english)


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 1, 15), "15 ม.ค. 2569"),
    (date(2025, 10, 1), "1 ต.ค. 2568"),
    (date(2025, 12, 31), "31 ธ.ค. 2568"),
    (date(2026, 4, 15), "15 เม.ย. 2569"),
    (date(2026, 9, 30), "30 ก.ย. 2569"),
])
def test_thai_date_is_day_abbreviated_month_and_buddhist_era_year(day, text):
    assert thai_date(day) == text


def test_surrounding_spaces_are_ignored():
    assert parse_period(" 2569-Q2 ").code == "2569-Q2"


@pytest.mark.parametrize("code", ["2569-Q5", "2569-Q0", "2569-M13", "2569-M00", "2569-M1",
                                  "Q2-2569", "2569Q2", "2569-q2", "69-Q2", ""])
def test_a_code_that_is_not_a_quarter_or_month_is_refused_naming_the_code(code):
    with pytest.raises(PeriodError) as raised:
        parse_period(code)
    assert str(raised.value) == (f"'{code}' ไม่ใช่รหัสรอบการรายงาน เช่น 2569-Q2 หรือ 2569-M01 / "
                                 f"'{code}' is not a period code like 2569-Q2 or 2569-M01")


# A code in Thai digits would name a folder and a _meta period that match no registry period.
def test_a_code_in_thai_digits_is_never_kept_in_thai_digits():
    try:
        period = parse_period("๒๕๖๙-Q2")
    except PeriodError:
        return
    assert period.code == "2569-Q2"


@pytest.mark.parametrize(("code", "after"), [
    ("2569-Q1", "2569-Q2"), ("2569-Q4", "2570-Q1"), ("2569-M01", "2569-M02"),
    ("2569-M12", "2570-M01")])
def test_the_period_after_another_is_of_its_length_across_fiscal_years(code, after):
    assert following(parse_period(code)).code == after


@pytest.mark.parametrize(("day", "like", "period"), [
    (date(2025, 10, 1), "2569-Q2", "2569-Q1"), (date(2026, 9, 30), "2569-Q2", "2569-Q4"),
    (date(2026, 10, 1), "2569-M12", "2570-M01"), (date(2026, 3, 31), "2569-M01", "2569-M06")])
def test_a_day_falls_in_the_period_of_a_given_length(day, like, period):
    assert containing(day, parse_period(like)).code == period
