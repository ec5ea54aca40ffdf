"""RawWorkbook rows → typed rows + notices: what clerks type, made comparable before the checks.

Each change that alters a value (Thai digits, a typed status word …) becomes a notice, so the
clerk sees how their cell was read. A run's files are read one at a time, as the readers hand
them over (the cores are theirs, this process mostly waits), column by column, and each
distinct cell value of a column is read once over all of them: most cells repeat (status
words, KR codes, round numbers), and per-cell Python is what a batch costs.
"""

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import partial

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
_SELF_KEYED = {str, float, type(None)}  # no two of these types hold equal values
OUTPUT = ("row", "kr_code", "note", *(f"{key}{suffix}" for key in NUMBER_KEYS
                                      for suffix in ("_raw", "")),
          *(f"{key}{suffix}" for key in CHOICES for suffix in ("_raw", "")), "milestone")


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


class Normalizer:
    """Files' data rows made comparable one file at a time; their frame once all are in."""

    def __init__(self) -> None:
        self._read: dict[str, dict] = {}  # what a column holds → each distinct cell, as read
        self._files: dict[int, tuple[dict[str, list], list[Problem]]] = {}

    def add(self, file_id: int, raw: RawWorkbook) -> None:
        """Reads the file's rows, if it has any and they were not read yet."""
        if raw.data is not None and file_id not in self._files:
            self._files[file_id] = self._normalized(raw)

    def rows(self, raws: dict[int, RawWorkbook]) -> tuple[pd.DataFrame, dict[int, list[Problem]]]:
        """The data rows of the given files (file id → workbook) as one typed frame, in file
        and row order, with `file_id` and the Excel `row`; and each file's notices."""
        columns: dict[str, list] = {key: [] for key in OUTPUT}
        file_ids: list[int] = []
        for file_id, raw in raws.items():
            self.add(file_id, raw)
            out, _ = self._files[file_id]
            for key, values in columns.items():
                values += out[key]
            file_ids += [file_id] * len(out["row"])
        return (pd.DataFrame(columns).assign(file_id=file_ids),
                {file_id: self._files[file_id][1] for file_id in raws})

    def _normalized(self, raw: RawWorkbook) -> tuple[dict[str, list], list[Problem]]:
        cells = raw.data
        out = {"row": raw.row_numbers, "kr_code": self._each("text", cells["kr_code"], clean_text),
               "note": self._each("text", cells["note"], clean_text)}
        found: list[tuple[int, str, str, str, object]] = []  # row, key, code, value, expected
        for key in NUMBER_KEYS:
            read = self._each("number", cells[key], _read_number)
            out[f"{key}_raw"] = [text for text, _, _ in read]
            out[key] = [number for _, number, _ in read]
            found += [(at, key, "normalized-number", typed, number)
                      for at, (_, number, typed) in enumerate(read) if typed is not None]
        for key, labels in CHOICES.items():
            read = self._each(key, cells[key], partial(_read_choice, labels=labels))
            out[f"{key}_raw"] = [text for text, _, _ in read]
            out[key] = [code for _, code, _ in read]
            found += [(at, key, "normalized-choice", text, label)
                      for at, (text, _, label) in enumerate(read) if label is not None]
        out["milestone"] = self._each("milestone", out["actual_raw"],
                                      partial(parse_choice, labels=layout.MILESTONE_LABELS))
        # in the order the cells were read: column by column, row by row
        return out, [problem(code, raw.sheet, f"{raw.cells[key]}{raw.row_numbers[at]}",
                             value=value, expected=expected)
                     for at, key, code, value, expected in found]

    def _each(self, kind: str, values: list, read: Callable[[object], object]) -> list:
        """`read` of every value, called once for each distinct one (of its type: 1.0 is not
        True, nor 1) over every file read so far. Text, floats and None never compare equal
        across types, so a column holding only those is keyed by value: no tuple made a cell
        (and no tuple key is ever equal to a value key)."""
        seen = self._read.setdefault(kind, {})
        keys = values if set(map(type, values)) <= _SELF_KEYED else list(
            zip(map(type, values), values, strict=True))
        for key in dict.fromkeys(keys):
            if key not in seen:
                seen[key] = read(key if keys is values else key[1])
        return list(map(seen.__getitem__, keys))


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


def _read_number(value: object) -> tuple[str, float, str | None]:
    """A number cell: its text ("" for a placeholder), its number, and the text to notice
    when the number was read out of something else than a number."""
    text = _typed(value)
    if text in _PLACEHOLDERS:
        return "", math.nan, None
    number = parse_number(value)
    if number is None:
        return text, math.nan, None
    cleaned = clean_text(value) if isinstance(value, str) else None
    return text, number, cleaned if cleaned is not None and cleaned != _typed(number) else None


def _read_choice(value: object, labels: dict) -> tuple[str, object | None, str | None]:
    """A dropdown cell: its text, its code, and the label to notice when typed otherwise."""
    text = _typed(value)
    code = parse_choice(text, labels)
    label = None if code is None else labels[code][0]
    return text, code, label if label is not None and text != label else None
