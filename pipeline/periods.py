"""Reporting period codes (`2569-Q2`, `2569-M01`) → dates and the share of the fiscal year elapsed.

The Thai fiscal year is named by the Buddhist Era year in which it ends: FY 2569 runs
2025-10-01 … 2026-09-30. Q1 is Oct–Dec; M01 is October.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

BE_OFFSET = 543
BANGKOK = ZoneInfo("Asia/Bangkok")  # UTC+7, no daylight saving: where due dates fall
MONTHS_TH = ("ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.",
             "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.")
MONTHS_EN = ("Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")
_CODE = re.compile(r"^(?P<fy>[0-9]{4})-(?:Q(?P<q>[1-4])|M(?P<m>0[1-9]|1[0-2]))$")


class PeriodError(ValueError):
    """A period code that does not name a fiscal quarter or month."""


@dataclass(frozen=True)
class Period:
    code: str
    fiscal_year: int  # Buddhist Era
    first_month: int  # fiscal month 1..12 (1 = October)
    last_month: int

    @property
    def start(self) -> date:
        return _month_start(self.fiscal_year, self.first_month)

    @property
    def end(self) -> date:
        nxt = _month_start(self.fiscal_year, self.last_month + 1) if self.last_month < 12 else None
        if nxt is None:
            return date(self.fiscal_year - BE_OFFSET, 9, 30)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def elapsed_share(self) -> float:
        """Share of the fiscal year elapsed at the end of the period: expected progress."""
        return self.last_month / 12

    @property
    def label_th(self) -> str:
        if self.first_month == self.last_month:
            return f"เดือน {MONTHS_TH[self.first_month - 1]} ปีงบประมาณ {self.fiscal_year}"
        return f"ไตรมาส {self.last_month // 3} ปีงบประมาณ {self.fiscal_year}"

    @property
    def label_en(self) -> str:
        if self.first_month == self.last_month:
            return f"{MONTHS_EN[self.first_month - 1]}, FY {self.fiscal_year}"
        return f"Q{self.last_month // 3}, FY {self.fiscal_year}"


def following(period: Period) -> Period:
    """The period of the same length after it: 2569-Q3 after 2569-Q2, 2570-M01 after 2569-M12."""
    return containing(period.end + timedelta(days=1), period)


def last_as_of(period: Period) -> date:
    """The latest date a period's figures may stand at: the day before the following period
    ends. From its end on, the date is of the following period's report (last period's
    template filled again); before it, of this period's report filled late."""
    return following(period).end - timedelta(days=1)


def containing(day: date, like: Period) -> Period:
    """The period of `like`'s length that `day` falls in."""
    fiscal_year = day.year + BE_OFFSET + (day.month >= 10)
    month = (day.month + 2) % 12 + 1  # October is fiscal month 1
    if like.first_month == like.last_month:
        return parse_period(f"{fiscal_year}-M{month:02d}")
    return parse_period(f"{fiscal_year}-Q{(month - 1) // 3 + 1}")


def _month_start(fiscal_year: int, fiscal_month: int) -> date:
    calendar_month = (fiscal_month + 8) % 12 + 1
    year = fiscal_year - BE_OFFSET - (1 if calendar_month >= 10 else 0)
    return date(year, calendar_month, 1)


def parse_period(code: str) -> Period:
    match = _CODE.match(str(code).strip())
    if not match:
        raise PeriodError(f"'{code}' ไม่ใช่รหัสรอบการรายงาน เช่น 2569-Q2 หรือ 2569-M01 / "
                          f"'{code}' is not a period code like 2569-Q2 or 2569-M01")
    fiscal_year = int(match["fy"])
    if match["q"]:
        quarter = int(match["q"])
        return Period(match.group(0), fiscal_year, quarter * 3 - 2, quarter * 3)
    month = int(match["m"])
    return Period(match.group(0), fiscal_year, month, month)


def thai_date(day: date) -> str:
    """15 ม.ค. 2569: how a Thai reader expects a date."""
    return f"{day.day} {MONTHS_TH[(day.month + 2) % 12]} {day.year + BE_OFFSET}"


def thai_time(moment: datetime) -> str:
    """15 ม.ค. 2569 23:40 น.: a moment (aware) at Bangkok's clock, as a Thai reader expects."""
    local = moment.astimezone(BANGKOK)
    return f"{thai_date(local.date())} {local:%H:%M} น."


def in_bangkok(utc: pd.Series) -> pd.Series:
    """Naive UTC times, as the warehouse stores them, on Bangkok's clock (NaT stays NaT)."""
    return pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(BANGKOK)


def when_received(moment: datetime) -> str:
    """A file's time of receipt as receipts and the console give it: Bangkok's clock first,
    where due dates are days, then UTC, as the warehouse stores it (naive: UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{thai_time(aware)} ({aware.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"
