"""A frame → a bilingual table on a worksheet: Thai header, English beneath, typed cells,
missing values shown as missing (never as zero), traffic lights on status and progress cells.

Every text cell is written with write_string: text from a submission (a note starting with
"=" or "http") stays text, whatever the workbook options say."""

import functools
import math
import unicodedata
from decimal import Decimal

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline import score
from pipeline.xlsx_style import MISSING, STATUS_TH, Col, Styles

LINE_PT = 21  # one line of 14-point TH Sarabun New, as LibreOffice and Excel draw it
ROW_PT = 22
ABSENT = "—"  # a cell that has no figure by design (a KR not assigned to that district)


def write_heading(sheet, styles: Styles, title: str, subtitle: str) -> None:
    """Title and subtitle; rows get a height for 14-point Thai (no program sizes them on
    opening an xlsx that did not say)."""
    sheet.set_default_row(ROW_PT)
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, subtitle, styles.subtitle)
    sheet.set_row(0, 30)


def write_section(sheet, styles: Styles, row: int, text: str) -> None:
    sheet.write_string(row, 0, text, styles.section)
    sheet.set_row(row, 26)


def write_note(sheet, styles: Styles, row: int, text: str, cols: list[Col]) -> None:
    """A line of explanation above a table, wrapped within the table's width: a long line
    would widen what prints and shrink the whole page."""
    sheet.merge_range(row, 0, row, len(cols) - 1, "", styles.note)
    sheet.write_string(row, 0, text, styles.note)
    sheet.set_row(row, row_height([(text, 0.75 * sum(c.width for c in cols))]))


# Marks that sit above or below a letter (Thai vowels and tones among them) take no width.
_MARKS = dict.fromkeys(c for c in range(0x3000) if unicodedata.combining(chr(c)))


@functools.lru_cache(maxsize=65536)  # a KR's name is sized once, not once per district sheet
def text_lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column `width` characters wide (about 0.95 Thai letters to a
    width unit, measured on LibreOffice's rendering)."""
    per_line = max(width * 0.95, 1.0)
    return sum(max(1, math.ceil(len(part.translate(_MARKS)) / per_line))
               for part in str(text).split("\n"))


def row_height(texts: list[tuple[str, float]], line: float = LINE_PT) -> float:
    return max([text_lines(t, w) for t, w in texts] or [1]) * line + 2


def write_table(sheet, styles: Styles, top: int, frame: pd.DataFrame, cols: list[Col],
                freeze: int | None = 1, autofilter: bool = True, left: int = 0,
                totals: int = 0) -> int:
    """Writes the table with its headers at row `top`; returns the last row written. `freeze`
    columns stay in view with the header rows (None: nothing frozen, for a table below another
    one); a sheet has one autofilter, on its main table, and its last `totals` rows (a total,
    the expected progress) are left out of it: a sort scattered them among the rows above."""
    for i, col in enumerate(cols):
        sheet.write_string(top, left + i, col.th, styles.header_th)
        sheet.write_string(top + 1, left + i, col.en, styles.header_en)
        sheet.set_column(left + i, left + i, col.width)
    sheet.set_row(top, row_height([(c.th, c.width * 0.85) for c in cols]) + 4)  # bold
    sheet.set_row(top + 1, row_height([(c.en, c.width) for c in cols], LINE_PT - 2))
    first = top + 2
    formats = (frame["num_format"].tolist() if "num_format" in frame.columns
               else [""] * len(frame))
    for i, col in enumerate(cols):
        sheet.write_cells(first, left + i, *_cells(styles, col.kind, frame[col.key], formats))
    for r, height in _tall_rows(frame, cols):
        sheet.set_row(first + r, height)
    last = max(first + len(frame) - 1, first)
    for i, col in enumerate(cols):
        if col.kind == "status":
            _status_lights(sheet, styles, first, left + i, last)
    if freeze is not None:
        sheet.freeze_panes(first, left + freeze)
    if autofilter and len(frame) > totals:
        sheet.autofilter(top + 1, left, last - totals, left + len(cols) - 1)
    return last


def write_cell(sheet, styles: Styles, row: int, col: int, kind: str, value,
               num_format: str = "") -> None:
    sheet.write_cells(row, col, *_cells(styles, kind, pd.Series([value], dtype=object),
                                         [num_format]))


def _cells(styles: Styles, kind: str, column: pd.Series, formats: list[str]
           ) -> tuple[list, list]:
    """A column's values as written (text, a float, a date, or None for a blank) and their
    formats. Missing is shown as such, except in text and date columns (no note, not accepted:
    nothing to say); text in a number column is ABSENT or the like, shown plainly."""
    values = column.tolist()
    gaps = [is_missing(v) for v in values]
    if kind in ("text", "bold", "indented", "status", "date"):
        shown = [None if gap else STATUS_TH.get(v, str(v)) if kind == "status"
                 else v if kind == "date" else str(v) for v, gap in zip(values, gaps, strict=True)]
        style = styles.cell[kind]
        if kind in ("text", "date"):
            return shown, [style] * len(shown)
        return ([MISSING if v is None else v for v in shown],
                [styles.missing if v is None else style for v in shown])
    numbers = ([styles.number(f) for f in formats] if kind == "measure"
               else [styles.cell[kind]] * len(values))
    scale = 100.0 if kind == "points" else 1.0
    shown, styled = [], []
    for value, gap, style in zip(values, gaps, numbers, strict=True):
        if gap:
            shown.append(MISSING)
            styled.append(styles.missing)
        elif isinstance(value, str):
            shown.append(value)
            styled.append(styles.absent)
        else:
            shown.append(float(value) * scale)
            styled.append(style)
    return shown, styled


def _tall_rows(frame: pd.DataFrame, cols: list[Col]) -> list[tuple[int, float]]:
    """The rows whose text wraps to more than one line, and the height that shows it all."""
    lines = [[text_lines(v, c.width) if isinstance(v, str) else 1
              for v in frame[c.key].tolist()]
             for c in cols if c.kind in ("text", "bold")]
    return [(r, most * LINE_PT + 2) for r, most in enumerate(map(max, zip(*lines, strict=True)))
            if most * LINE_PT + 2 > ROW_PT] if lines else []


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _status_lights(sheet, styles: Styles, first: int, col: int, last: int) -> None:
    for code, label in STATUS_TH.items():
        sheet.conditional_format(first, col, last, col, {
            "type": "cell", "criteria": "==", "value": f'"{label}"',
            "format": styles.fills[code]})


def progress_lights(sheet, styles: Styles, cells: tuple[int, int, int, int], expected: float,
                    at_risk: float) -> None:
    """Traffic lights on capped progress (first row, first col, last row, last col) against
    the period's expected progress: the same rule as score.status, as a conditional format
    and a traffic-light icon, so a grey printout still shows it."""
    first_row, first_col, last_row, last_col = cells
    cell = xl_rowcol_to_cell(first_row, first_col)
    on_track, behind = _shown_from(expected), _shown_from(expected * at_risk)
    for code, formula in (
        ("on_track", f"=AND(ISNUMBER({cell}),{cell}>={on_track})"),
        ("at_risk", f"=AND(ISNUMBER({cell}),{cell}>={behind})"),
        ("off_track", f"=ISNUMBER({cell})"),
    ):
        sheet.conditional_format(first_row, first_col, last_row, last_col, {
            "type": "formula", "criteria": formula, "format": styles.fills[code]})
    sheet.conditional_format(first_row, first_col, last_row, last_col, {
        "type": "icon_set", "icon_style": "3_traffic_lights",
        "icons": [{"criteria": ">=", "type": "number", "value": float(on_track)},
                  {"criteria": ">=", "type": "number", "value": float(behind)}]})


def _shown_from(threshold: float) -> str:
    """The least progress shown as the threshold is shown, to 0.1 % (score.status): 5/12,
    M05's expected progress, is shown as 41.7 %, which every progress from 0.4165 up shows."""
    return f"{Decimal(repr(float(score.shown(threshold)))) - HALF_SHOWN:f}"


HALF_SHOWN = Decimal(1).scaleb(-score.SHOWN_PLACES) / 2
