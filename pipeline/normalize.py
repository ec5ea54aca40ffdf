"""RawWorkbook rows → typed rows + notices: what clerks type, made comparable before the checks.

Each change that alters a value (Thai digits, a typed status word …) becomes a notice, so the
clerk sees how their cell was read. The rows of every file of a run are read as one batch,
column by column, and each distinct cell value is read once: most cells of a column repeat
(status words, KR codes, round numbers), and per-cell Python is what a batch costs.
"""

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from pipeline.cells import each_distinct
from pipeline.dates import parse_date
from pipeline.periods import thai_date
from pipeline.problems import Problem, problem
from pipeline.values import RawWorkbook
from schemas import template_layout as layout

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_PLACEHOLDERS = {"", "-", "—", "–"}
_NUMBER_NOISE = re.compile(r"(ร้อยละ|%|\s)")
# A comma only separates thousands: 1,250 and 1,234,567.5, not 1,5 (a decimal comma)
_GROUPED = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")
# A unit typed after the number, as clerks write it on paper: "2,700 ต้น", "3.5 กม."
_UNIT_AFTER = re.compile(r"^([-+]?[\d.,]+)\s*([^\W\d_][^\d]{0,14})$")
# Thai size words, which may come before the unit: "1.5 ล้าน", "2 พันต้น", "1.2 พันล้านบาท".
_SIZES = {"ล้าน": 1e6, "แสน": 1e5, "หมื่น": 1e4, "พัน": 1e3, "ร้อย": 1e2}
_NOT_SIZES = ("พันธ",)  # พันธุ์ (varieties), พันธบัตร (bonds) begin with พัน
NUMBER_KEYS = ("actual", "numerator", "denominator")
CHOICES = {"status": layout.STATUS_LABELS, "confidence": layout.CONFIDENCE_LABELS}


def clean_text(value: object) -> str:
    """unified_text, with every run of spaces and line breaks one space."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(unified_text(str(value)).split())


def unified_text(text: str) -> str:
    """Unicode NFC, Thai sara am typed as nikhahit + sara aa made one, invisible characters
    dropped and non-breaking spaces made plain: the same words typed two ways read alike."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u0e4d\u0e32", "\u0e33")
    return unicodedata.normalize("NFC", text)


def parse_number(value: object) -> float | None:
    """A number as a clerk may type it: ๘๕, 1,250, 85%, ร้อยละ 85, 2,700 ต้น, 1.5 ล้าน. None
    when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = clean_text(value).translate(_THAI_DIGITS)
    size = 1.0
    if (unit := _UNIT_AFTER.match(text)) and "ร้อยละ" not in text:
        text, size = unit[1], _size(unit[2])
    text = _NUMBER_NOISE.sub("", text)
    if "," in text:
        if not _GROUPED.fullmatch(text):
            return None  # 1,5 or 1.234,5: read as 15 or 1.2345, the figure would be wrong
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    if size != 1:  # in decimal: 1.1 พัน is 1,100, where 1.1 * 1000 is 1100.0000000000002
        number = float(Decimal(text) * int(size))
    return number if math.isfinite(number) else None


def _size(unit: str) -> float:
    """What the Thai size words at the start of a unit multiply the number by: 1.5 ล้าน is
    1,500,000, not 1.5 of a unit called ล้าน."""
    size = 1.0
    while not unit.startswith(_NOT_SIZES) and (
            word := next((w for w in _SIZES if unit.startswith(w)), None)):
        size *= _SIZES[word]
        unit = unit[len(word):].lstrip()
    return size


def choice_parser(labels: dict) -> Callable[[object], object | None]:
    """Reads the canonical choice for a dropdown label, an English word, the code or a word
    clerks type for it (layout.TYPED_WORDS), in any case and with spaces anywhere ("เป็นไป
    ตามแผน"); None for another text. The known words are folded once, not for each of a
    column's cells; a word two codes share is the first one's."""
    words: dict[str, object] = {}
    for code, (thai, english) in labels.items():
        for word in (thai, english, str(code), *layout.TYPED_WORDS.get(code, ())):
            words.setdefault(folded(word), code)
    return lambda value: words.get(folded(value))


def folded(value: object) -> str:
    """How typed words are compared with known ones (a choice, a header, a sheet's name):
    unified (clean_text), case and every space ignored."""
    return "".join(clean_text(value).casefold().split())


def normalize(raws: dict[int, RawWorkbook]) -> tuple[pd.DataFrame, dict[int, list[Problem]]]:
    """The data rows of the given files (file id → workbook) as one typed frame, in file and
    row order, with `file_id` and the Excel `row`; and each file's notices."""
    cells, file_ids, excel_rows = _columns(raws)
    out = {"row": excel_rows, "kr_code": each_distinct(cells["kr_code"], clean_text),
           "note": each_distinct(cells["note"], _read_note)}
    found: list[tuple[int, str, str, str, object]] = []  # row position, key, code, value, expected
    for key in NUMBER_KEYS:
        read = each_distinct(cells[key], _read_number)
        out[f"{key}_raw"] = [text for text, _, _ in read]
        out[key] = [number for _, number, _ in read]
        found += [(at, key, "normalized-number", typed, number)
                  for at, (_, number, typed) in enumerate(read) if typed is not None]
    for key, labels in CHOICES.items():
        read = each_distinct(cells[key], _choice_reader(labels))
        out[f"{key}_raw"] = [text for text, _, _ in read]
        out[key] = [code for _, code, _ in read]
        found += [(at, key, "normalized-choice", text, label)
                  for at, (text, _, label) in enumerate(read) if label is not None]
    # a milestone's word, noticed where the KR turns out to be one (validate knows its type)
    read = each_distinct(out["actual_raw"], _choice_reader(layout.MILESTONE_LABELS))
    out["milestone"] = [code for _, code, _ in read]
    out["milestone_label"] = [label for _, _, label in read]
    return (pd.DataFrame(out).assign(file_id=file_ids),
            _notices(found, raws, file_ids, excel_rows))


def normalize_as_of(raw: RawWorkbook) -> tuple[date | None, str, list[Problem]]:
    """The "data as of" date, the text the clerk typed, and a notice when it was read as
    something else than the date cell it looks like (text, a Buddhist Era year)."""
    typed = _typed(raw.as_of)
    if isinstance(raw.as_of, datetime):
        typed = raw.as_of.date().isoformat()
    # cleaned as the text shown back is: a zero-width space pasted from a chat rejected a date
    found = parse_date(clean_text(raw.as_of) if isinstance(raw.as_of, str) else raw.as_of)
    cell = raw.as_of_cell
    if found is None or (isinstance(raw.as_of, datetime | date) and typed == found.isoformat()):
        return found, typed, []
    shown = f"{thai_date(found)} ({found.isoformat()})"
    return found, typed, [problem("normalized-date", raw.sheet, cell, value=typed,
                                  expected=shown)]


def _columns(raws: dict[int, RawWorkbook]) -> tuple[dict[str, list], list[int], list[int]]:
    """The cells each input column holds, over all files, with each cell's file id and Excel
    row."""
    cells: dict[str, list] = {key: [] for key in ("kr_code", "note", *NUMBER_KEYS, *CHOICES)}
    file_ids, excel_rows = [], []
    for file_id, raw in raws.items():
        file_ids += [file_id] * len(raw.row_numbers)
        excel_rows += raw.row_numbers
        columns = raw.data.unpacked()
        for key, values in cells.items():
            values += columns[key]
    return cells, file_ids, excel_rows


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


def _read_note(value: object) -> str:
    """A note's text; a dash alone, as clerks write "nothing", is no note: it explains no blank
    figure and no status behind plan. A number reads as the cell shows it: 2567, not 2567.0."""
    text = _typed(value)
    return "" if text in _PLACEHOLDERS else text


def _choice_reader(labels: dict) -> Callable[[object], tuple[str, object | None, str | None]]:
    """Reads a dropdown cell: its text, its code, and the label to notice when typed
    otherwise."""
    parse = choice_parser(labels)

    def read(value: object) -> tuple[str, object | None, str | None]:
        text = _typed(value)
        code = parse(text)
        label = None if code is None else labels[code][0]
        return text, code, label if label is not None and text != label else None

    return read


def _notices(found: list, raws: dict[int, RawWorkbook], file_ids: list[int],
             excel_rows: list[int]) -> dict[int, list[Problem]]:
    """Each file's notices, in the order the cells were read: column by column, row by row."""
    notices: dict[int, list[Problem]] = {file_id: [] for file_id in raws}
    for at, key, code, value, expected in found:
        raw = raws[file_ids[at]]
        notices[file_ids[at]].append(problem(code, raw.sheet, f"{raw.cells[key]}{excel_rows[at]}",
                                             value=value, expected=expected))
    return notices
