"""Arrival → RawWorkbook: the metadata and data rows of a submission, read with calamine.

Nothing in the file is evaluated: calamine returns formulas' cached values and runs no macro.
Limits apply before parsing (pipeline.safety) and during it: read_all reads each file in a
worker process that is killed past limits.read_seconds. The data sheet is read as the clerk
sees it: wherever its header row is, in any column order, merged cells filled.
"""

from collections.abc import Callable
from functools import lru_cache, partial
from itertools import compress, repeat
from operator import itemgetter

import numpy as np
from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum

from pipeline.cells import address, cell_position, cell_text, column_letter, one_of_each
from pipeline.normalize import clean_text, folded
from pipeline.ods_sheet import ods_sheet
from pipeline.problems import Problem, problem
from pipeline.safety import refusal
from pipeline.settings import Limits
from pipeline.values import Arrival, Cells, RawWorkbook
from pipeline.workers import TIMEOUT, call_all
from pipeline.xls_shown import xls_shown
from pipeline.xlsx_shown import ERROR, PERCENT, Shown, shown_cells
from schemas import template_layout as layout

READERS = 2  # worker processes: the machine has two cores
HEADER_SEARCH_ROWS = 20
_FIGURES = ("actual", "numerator", "denominator")
REQUIRED_KEYS = ("kr_code", *layout.INPUT_KEYS)
# Headers that clerks and other tools write for the template's columns.
ALIASES = {
    "kr_code": ("รหัส KR", "รหัสตัวชี้วัด KR", "KR ID"),
    "actual": ("ผลงาน", "ผลการดำเนินการ", "ผลดำเนินงาน", "Actual value"),
    "status": ("สถานะการดำเนินงาน",),
    "confidence": ("ระดับความเชื่อมั่น",),
    "note": ("หมายเหตุ", "คำอธิบาย", "Remarks", "Remark", "Notes", "Comments"),
}


_AS_OF_LABEL = folded(layout.AS_OF_LABEL)
_HEADER_NAMES = {
    folded(name): column.key
    for column in layout.COLUMNS
    for name in (column.key, column.header_th, column.header_en, *ALIASES.get(column.key, ()))
}


def read_all(arrivals: list[Arrival], limits: Limits,
             done: Callable[[], None] = lambda: None) -> list[RawWorkbook]:
    """Every arrival read in worker processes, in arrival order; a file that overruns
    limits.read_seconds gets read-timeout, one that kills its reader not-a-spreadsheet."""
    outcomes = call_all(partial(read_submission, limits=limits), arrivals, limits.read_seconds,
                        workers=READERS, done=done)
    return [outcome.value if not outcome.failure else _failed(arrival, _failure(outcome, limits))
            for arrival, outcome in zip(arrivals, outcomes, strict=True)]


def _failure(outcome, limits: Limits) -> Problem:
    if outcome.failure == TIMEOUT:
        return problem("read-timeout", expected=limits.read_seconds)
    return problem("not-a-spreadsheet", value=outcome.failure)


def read_submission(arrival: Arrival, limits: Limits) -> RawWorkbook:
    """One file, in this process: limits checked before parsing, never a crash."""
    try:
        refused = refusal(arrival.path, arrival.size, limits)
        if refused:
            return _failed(arrival, refused)
        with open(arrival.path, "rb") as handle:
            return _read(arrival, CalamineWorkbook.from_filelike(handle))
    except PasswordError:
        return _failed(arrival, problem("file-encrypted"))
    except BaseException as err:  # calamine panics surface as BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return _failed(arrival, problem("not-a-spreadsheet", value=type(err).__name__))


def _failed(arrival: Arrival, found: Problem) -> RawWorkbook:
    return RawWorkbook(arrival, problems=(found,))


def _read(arrival: Arrival, book: CalamineWorkbook) -> RawWorkbook:
    metadata = _metadata(book)
    if not metadata:
        return _failed(arrival, problem("metadata-missing"))
    sheet, candidates = _data_sheet(book, metadata)
    if sheet is None:
        return RawWorkbook(arrival, metadata, problems=(problem(
            "data-sheet-ambiguous" if candidates else "data-sheet-missing",
            value=", ".join(candidates),
            expected=metadata.get("data_sheet") or layout.DATA_SHEET),))
    grid, shown, merged = _grid(arrival, book.get_sheet_by_name(sheet),
                                shown_cells(arrival.path, sheet) or xls_shown(arrival.path, sheet))
    columns, top, first_row = _locate(grid)
    missing = [c for c in layout.COLUMNS if c.key in REQUIRED_KEYS and c.key not in columns]
    if missing:
        return RawWorkbook(arrival, metadata, sheet, problems=tuple(
            problem("column-missing", sheet=sheet, expected=f"{c.header_th} ({c.header_en})")
            for c in missing))
    # what the clerk types and the KR it is for; the template's own text is not read back
    inputs = {key: col for key, col in columns.items() if key in REQUIRED_KEYS}
    data, row_numbers = _rows(grid, inputs, first_row, columns.get("kr_name_th"))
    unread = tuple(
        problem("cell-error" if cell.kind == ERROR else "formula-no-value", sheet=sheet,
                cell=address(cell.row0, cell.col0), value=cell.text)
        for cell in shown if cell.kind != PERCENT
        and cell.row0 >= first_row and cell.col0 in inputs.values()) + _merged_figures(
            merged, [inputs[key] for key in _FIGURES if key in inputs], row_numbers, sheet)
    as_of_cell = _as_of_cell(grid, metadata.get("as_of_cell") or layout.AS_OF_CELL)
    row0, col0 = cell_position(as_of_cell)
    return RawWorkbook(arrival, metadata, sheet, Cells(data), row_numbers,
                       {key: column_letter(col) for key, col in inputs.items()}, unread,
                       _at(grid, row0, col0) if row0 < top else None, as_of_cell)


def _merged_figures(merged: list, figures: list[int], row_numbers: list[int], sheet: str
                    ) -> tuple[Problem, ...]:
    """A figure cell merged down over the next KRs' rows, once a range, at the first row it
    took: Excel keeps the top value alone, so the KRs below read it as theirs (their own
    figures were lost by the merge). A status or a note merged over two rows may mean the same
    for both; a figure is never meant so."""
    found = []
    for (top, left), (bottom, right) in merged:
        below = next((row - 1 for row in row_numbers if top < row - 1 <= bottom), None)
        for col0 in range(left, right + 1) if below is not None else ():
            if col0 in figures:
                found.append(problem("figure-merged", sheet=sheet, cell=address(below, col0),
                                     value=f"{address(top, left)}:{address(bottom, right)}"))
    return tuple(found)


def _as_of_cell(grid: list[list], cell: str) -> str:
    """Where the "data as of" date is: right of its label, which the clerk may have moved with
    rows or columns inserted above or before it, else where the template put it (read only
    above the table's header: rows deleted above it bring the header up there)."""
    row0, col0 = cell_position(cell)
    if _is_as_of_label(_at(grid, row0, col0 - 1)):
        return cell
    for row0, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        for col0, value in enumerate(row):
            if _is_as_of_label(value):
                return address(row0, col0 + 1)
    return cell


def _is_as_of_label(value: object) -> bool:
    return isinstance(value, str) and folded(value) == _AS_OF_LABEL


def _at(grid: list[list], row0: int, col0: int) -> object:
    return grid[row0][col0] if 0 <= row0 < len(grid) and 0 <= col0 < len(grid[row0]) else None


def _metadata(book: CalamineWorkbook) -> dict[str, str]:
    if layout.META_SHEET not in book.sheet_names:
        return {}
    grid = book.get_sheet_by_name(layout.META_SHEET).to_python(skip_empty_area=False)
    return {cell_text(row[0]).strip(): cell_text(row[1]).strip() for row in grid if len(row) >= 2}


def _data_sheet(book: CalamineWorkbook, metadata: dict[str, str]
                ) -> tuple[str | None, list[str]]:
    """The sheet the metadata names, else the template's, else the only one with the
    headers. None, with the sheets that have them, when there are several: a copy of last
    period's report kept beside this one, renamed, cannot be told from it."""
    for name in (metadata.get("data_sheet"), layout.DATA_SHEET):
        if name in book.sheet_names:
            return name, []
    headed = [sheet.name for sheet in book.sheets_metadata
              if sheet.typ == SheetTypeEnum.WorkSheet and sheet.name != layout.META_SHEET
              and _locate(book.get_sheet_by_name(sheet.name).to_python(
                  skip_empty_area=False, nrows=HEADER_SEARCH_ROWS))[0]]
    return (headed[0], []) if len(headed) == 1 else (None, headed)


def _grid(arrival: Arrival, sheet: CalamineSheet, shown: list[Shown]
          ) -> tuple[list[list], list[Shown], list]:
    """The sheet from A1, a number formatted as a percentage as the text it shows ("85%", by
    0-based row and column: see pipeline.xlsx_shown, xls_shown, ods_sheet), each merged range
    showing its top-left value in every cell; the cells calamine reads otherwise than they
    show; and the merged ranges ((top, left), (bottom, right), 0-based)."""
    grid = sheet.to_python(skip_empty_area=False)
    merged = sheet.merged_cell_ranges
    if merged is None:  # an .ods: calamine reports merges for Excel formats only; the
        # sheet's other cells are found in the same pass
        merged, found = ods_sheet(arrival.path, sheet.name, len(grid),
                                  max(map(len, grid), default=0))
        shown = shown + found
    for row0, col0, kind, text in shown:
        if (kind == PERCENT and row0 < len(grid) and col0 < len(grid[row0])
                and type(grid[row0][col0]) in (float, int)):
            grid[row0][col0] = text
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for row in grid[top:bottom + 1]:
            row[left:right + 1] = [value] * len(row[left:right + 1])
    return grid, shown, merged


def _locate(grid: list[list]) -> tuple[dict[str, int], int, int]:
    """Template key → 0-based column, the header's first row and the first row below it;
    ({}, 0, 0) if none.

    The header is the row of the first 20 naming the most columns, with the KR code among
    them (the hidden machine key row of the template, else a row of Thai or English headers
    or aliases); the header rows right above and below it name the columns it leaves out.
    """
    named = [_header_cells(row) for row in grid[:HEADER_SEARCH_ROWS]]
    anchors = [row0 for row0, cells in enumerate(named)
               if "kr_code" in cells.values() and len(set(cells.values())) >= 2]
    if not anchors:
        return {}, 0, 0
    anchor = max(anchors, key=lambda row0: len(set(named[row0].values())))
    first, last = anchor, anchor
    while first > 0 and len(set(named[first - 1].values())) >= 2:
        first -= 1
    while last + 1 < len(named) and len(set(named[last + 1].values())) >= 2:
        last += 1
    columns: dict[str, int] = {}
    for row0 in [anchor, *range(first, last + 1)]:
        for col0, key in named[row0].items():
            if key not in columns and col0 not in columns.values():
                columns[key] = col0
    return columns, first, last + 1


def _header_cells(row: list) -> dict[int, str]:
    return {col0: key for col0, value in enumerate(row)
            if isinstance(value, str) and (key := _header_key(value))}


@lru_cache(maxsize=4096)
def _header_key(text: str) -> str | None:
    """The template key a text names as a header, if any. Remembered: every data row is
    checked for a repeated header, and its KR code, status and confidence recur in every file."""
    return _HEADER_NAMES.get(folded(text))


def _rows(grid: list[list], columns: dict[str, int], first_row: int, named: int | None
          ) -> tuple[dict[str, list], list[int]]:
    """The cells of the data rows below the header, by key, and their Excel row numbers: blank
    rows and repeated headers left out, and so are remarks typed below the table: rows with
    nothing but a note, or but text in the KR code column and no KR's name (`named`: its
    column, where the template's is). "ผู้รายงาน: สมใจ" under the table was refused as a KR
    not assigned to the district. Worked out a column at a time, each distinct text of a
    column judged once: this runs on every cell of every file."""
    body = grid[first_row:]
    shortest = min(map(len, body), default=0)
    cells = [_column(body, col0, shortest) for col0 in columns.values()]
    blank = np.ones(len(body), dtype=bool)  # but for a note
    remark = np.ones(len(body), dtype=bool)  # but for a note and a KR code
    headers = np.zeros(len(body), dtype=int)
    for key, values in zip(columns, cells, strict=True):
        texts = [value for value in dict.fromkeys(values) if value is None or type(value) is str]
        if key != "note":
            empty = _each(values, {text: _blank(text) for text in texts})
            blank &= empty
            if key != "kr_code":
                remark &= empty
        headers += _each(values, {text: _header_key(text) is not None for text in texts
                                  if text is not None})
    for at in np.flatnonzero(remark & ~blank):  # a KR code alone: a remark if it has no name
        name = body[at][named] if named is not None and named < len(body[at]) else 0
        remark[at] = name is None or (type(name) is str and _blank(name))
    keep = ~blank & ~remark & (headers < 2)  # a row naming two columns repeats the header
    if not keep.all():
        cells = [list(compress(values, keep)) for values in cells]
    cells = [one_of_each(values) for values in cells]  # a status: one string a file, not a row
    return dict(zip(columns, cells, strict=True)), (np.flatnonzero(keep) + first_row + 1).tolist()


def _column(body: list[list], col0: int, shortest: int) -> list:
    """A column's cells as calamine typed them, a whole number read from .xls as the float
    .xlsx gives; a short row's missing cell as empty text."""
    if col0 < shortest:
        values = list(map(itemgetter(col0), body))
    else:
        values = [row[col0] if col0 < len(row) else "" for row in body]
    if int in set(map(type, values)):
        values = [float(value) if type(value) is int else value for value in values]
    return values


def _each(values: list, texts: dict) -> np.ndarray:
    """What `texts` says of each value; False for the others (numbers, dates, booleans are
    neither blank nor a header)."""
    return np.fromiter(map(texts.get, values, repeat(False)), dtype=bool, count=len(values))


@lru_cache(maxsize=8192)
def _blank(value: str | None) -> bool:
    """Whether the cell reads as empty text: nothing, or only spaces and invisible characters
    (a zero-width space left below the table). Remembered like _header_key: the KR codes
    recur in every file."""
    return value is None or (isinstance(value, str) and not clean_text(value))

