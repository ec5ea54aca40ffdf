"""Dates as Thai clerks type them."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import parse_date


@pytest.mark.parametrize(("typed", "meant"), [
    (datetime(2026, 3, 31), date(2026, 3, 31)),  # a date cell
    (datetime(2569, 3, 31), date(2026, 3, 31)),  # LibreOffice th-TH: 31/3/2569 became 2569 CE
    ("31/3/2569", date(2026, 3, 31)),
    ("31/03/2026", date(2026, 3, 31)),
    ("๓๑/๓/๒๕๖๙", date(2026, 3, 31)),
    ("31-3-2569", date(2026, 3, 31)),
    ("2026-03-31", date(2026, 3, 31)),
    ("31 มี.ค. 2569", date(2026, 3, 31)),
    ("31 มีนาคม 2569", date(2026, 3, 31)),
    ("31 มีนาคม พ.ศ. 2569", date(2026, 3, 31)),
    ("31 มีนา 2569", date(2026, 3, 31)),
    (46112.0, date(2026, 3, 31)),  # an Excel serial day number in a General cell
    # a month without its day: as of its last day (it refused the whole file)
    ("มิถุนายน 2569", date(2026, 6, 30)),
    ("ณ สิ้นเดือน มิ.ย. 69", date(2026, 6, 30)),
    ("เดือนกุมภาพันธ์ 2567", date(2024, 2, 29)),
    ("31 มี.ค. 69", date(2026, 3, 31)),  # the year shortened, as Thai documents write it
    ("31/3/69", date(2026, 3, 31)),
    ("31/3/26", date(2026, 3, 31)),  # two digits below 50: Christian Era
    ("ณ วันที่ 31 มีนาคม 2569", date(2026, 3, 31)),  # as official Thai writes it
    ("วันที่ 31 มี.ค. 2569", date(2026, 3, 31)),
    ("ณ 31/3/2569", date(2026, 3, 31)),
    ("วันอังคารที่ 31 มีนาคม พ.ศ. 2569", date(2026, 3, 31)),
    ("ณวันที่31มี.ค.69", date(2026, 3, 31)),
])
def test_a_date_as_typed(typed, meant):
    assert parse_date(typed) == meant


@pytest.mark.parametrize("typed", ["31/2/2569", "สิ้นไตรมาส", "", "31 Mar", None, 12.5,
                                   "31 มีน 2569", True, "ณ วันที่", "วันที่ มีนาคม 2569"])
def test_what_is_not_a_date(typed):
    assert parse_date(typed) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_buddhist_era_date_typed_as_text_is_the_same_day(day):
    assert parse_date(f"{day.day}/{day.month}/{day.year + 543}") == day
