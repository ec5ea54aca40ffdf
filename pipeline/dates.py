"""Dates as Thai clerks type them → dates: Buddhist Era years (2569 → 2026), d/m/yyyy, Thai
month names, Thai digits, "ณ วันที่" before them, and the year 2569 CE that LibreOffice in a
Thai locale makes of a BE date typed into a date cell."""

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from pipeline.periods import BE_OFFSET

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTHS = {name: number for number, names in enumerate((  # in full, abbreviated, spoken
    ("มกราคม", "ม.ค.", "มค", "มกรา"), ("กุมภาพันธ์", "ก.พ.", "กพ", "กุมภา"),
    ("มีนาคม", "มี.ค.", "มีค", "มีนา"), ("เมษายน", "เม.ย.", "เมย", "เมษา"),
    ("พฤษภาคม", "พ.ค.", "พค", "พฤษภา"), ("มิถุนายน", "มิ.ย.", "มิย", "มิถุนา"),
    ("กรกฎาคม", "ก.ค.", "กค", "กรกฎา"), ("สิงหาคม", "ส.ค.", "สค", "สิงหา"),
    ("กันยายน", "ก.ย.", "กย", "กันยา"), ("ตุลาคม", "ต.ค.", "ตค", "ตุลา"),
    ("พฤศจิกายน", "พ.ย.", "พย", "พฤศจิกา"), ("ธันวาคม", "ธ.ค.", "ธค", "ธันวา"),
), start=1) for name in names}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.\s*)?(\d{4}|\d{2})$")
# A month without its day ("มิถุนายน 2569", "สิ้นเดือน มิ.ย. 69"): figures as of its last day
_MONTH_ONLY = re.compile(r"^(?:สิ้น)?(?:เดือน)?\s*([^\d\s]+)\s*(?:พ\.ศ\.\s*)?(\d{4}|\d{2})$")
# What official Thai writes before a date: ณ (as at), วันที่ (the day), a weekday's name
_PREFIX = re.compile(r"^(?:ณ\s*)?(?:วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?"
                     r"\s*ที่\s*)?")
_EXCEL_EPOCH = date(1899, 12, 30)
BE_THRESHOLD = 2400  # no report is dated after 2400 CE: such a year is Buddhist Era
# Two digits, as Thai documents shorten the year (31 มี.ค. 69): from 50 on, Buddhist Era
# (2550 = 2007 CE onwards); below, Christian Era (26 = 2026)
SHORT_BE_FROM = 50


def parse_date(value: object) -> date | None:
    """The date a cell means, or None when it is not one."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _from_be(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial day number in a General cell
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    spaced = " ".join(value.translate(_THAI_DIGITS).split())
    text = _PREFIX.sub("", spaced)
    if match := _NUMERIC.match(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO.match(text):
        year, month, day = map(int, match.groups())
    elif (match := _NAMED.match(text)) and match[2] in _MONTHS:
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
    elif ((month_only := _MONTH_ONLY.match(spaced.removeprefix("ณ").lstrip()))
          and month_only[1] in _MONTHS):  # not after "วันที่": "วันที่ มีนาคม 2569" lacks its day
        first = _from_be(int(month_only[2]), _MONTHS[month_only[1]], 1)
        return first and first.replace(day=monthrange(first.year, first.month)[1])
    else:
        return None
    return _from_be(year, month, day)


def _from_be(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2500 if year >= SHORT_BE_FROM else 2000
    if year > BE_THRESHOLD:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None
