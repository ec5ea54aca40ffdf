"""RawWorkbook rows → typed rows + notices: what clerks type, made comparable before the checks.

Each change that alters a value (Thai digits, a typed status word …) becomes a notice, so the
clerk sees how their cell was read.
"""

import math
import re
import unicodedata
from datetime import date, datetime

import pandas as pd

from pipeline.dates import parse_date
from pipeline.periods import thai_date
from pipeline.problems import Problem, problem
from pipeline.values import RawWorkbook
from schemas import template_layout as layout

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_PLACEHOLDERS = {"", "-", "—", "–"}
_NUMBER_NOISE = re.compile(r"(ร้อยละ|%|,|\s)")
# A unit typed after the number, as clerks write it on paper: "2,700 ต้น", "3.5 กม."
_UNIT_AFTER = re.compile(r"^([-+]?[\d.,]+)\s*[^\W\d_][^\d]{0,14}$")
NUMBER_KEYS = ("actual", "numerator", "denominator")
CHOICES = {"status": layout.STATUS_LABELS, "confidence": layout.CONFIDENCE_LABELS}


def clean_text(value: object) -> str:
    """Unicode NFC, Thai sara am typed as nikhahit + sara aa, invisible and non-breaking spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).translate(_INVISIBLE).replace("\u00a0", " ").replace("\u0e4d\u0e32", "\u0e33")
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_number(value: object) -> float | None:
    """A number as a clerk may type it: ๘๕, 1,250, 85%, ร้อยละ 85, 2,700 ต้น. None when it is
    not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = clean_text(value).translate(_THAI_DIGITS)
    if (unit := _UNIT_AFTER.match(text)) and "ร้อยละ" not in text:
        text = unit[1]
    text = _NUMBER_NOISE.sub("", text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_choice(value: object, labels: dict) -> object | None:
    """The canonical choice for a dropdown label, an English word or the code, any case."""
    text = clean_text(value).casefold()
    for code, (thai, english) in labels.items():
        if text in (thai.casefold(), english.casefold(), str(code).casefold()):
            return code
    return None


def normalize(raw: RawWorkbook) -> tuple[pd.DataFrame, list[Problem]]:
    rows = raw.rows
    out = pd.DataFrame(index=rows.index)
    notices: list[Problem] = []
    out["kr_code"] = rows["kr_code"].map(clean_text)
    out["note"] = rows["note"].map(clean_text)
    for key in NUMBER_KEYS:
        texts = rows[key].map(_typed)
        out[f"{key}_raw"] = texts.where(~texts.isin(_PLACEHOLDERS), "")
        out[key] = [_number_cell(raw, key, row, value, text, notices)
                    for row, value, text in zip(rows.index, rows[key], out[f"{key}_raw"],
                                                strict=True)]
    for key, labels in CHOICES.items():
        out[f"{key}_raw"] = rows[key].map(_typed)
        out[key] = [_choice_cell(raw, key, row, text, labels, notices)
                    for row, text in zip(rows.index, out[f"{key}_raw"], strict=True)]
    out["milestone"] = [parse_choice(text, layout.MILESTONE_LABELS) for text in out["actual_raw"]]
    return out, notices


def normalize_as_of(raw: RawWorkbook) -> tuple[date | None, str, list[Problem]]:
    """The "data as of" date, the text the clerk typed, and a notice when it was read as
    something else than the date cell it looks like (text, a Buddhist Era year)."""
    typed = _typed(raw.as_of)
    if isinstance(raw.as_of, datetime):
        typed = raw.as_of.date().isoformat()
    found = parse_date(raw.as_of)
    cell = raw.metadata.get("as_of_cell") or layout.AS_OF_CELL
    if found is None or (isinstance(raw.as_of, datetime | date) and typed == found.isoformat()):
        return found, typed, []
    shown = f"{thai_date(found)} ({found.isoformat()})"
    return found, typed, [problem("normalized-date", raw.sheet, cell, value=typed,
                                  expected=shown)]


def _typed(value: object) -> str:
    """The cell as the clerk sees it, for messages: 12.0 shows as 12."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _number_cell(raw, key, row, value, text, notices) -> float:
    if text == "":
        return math.nan
    number = parse_number(value)
    if number is None:
        return math.nan
    if isinstance(value, str) and clean_text(value) != _typed(number):
        notices.append(problem("normalized-number", raw.sheet, f"{raw.cells[key]}{row}",
                               value=clean_text(value), expected=number))
    return number


def _choice_cell(raw, key, row, text, labels, notices) -> object:
    code = parse_choice(text, labels)
    if code is None:
        return None
    label = labels[code][0]
    if text != label:
        notices.append(problem("normalized-choice", raw.sheet, f"{raw.cells[key]}{row}",
                               value=text, expected=label))
    return code
