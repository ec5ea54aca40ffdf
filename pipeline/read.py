"""Arrival → RawWorkbook: the metadata and data rows of a submission, read with calamine.

Nothing in the file is evaluated: calamine returns formulas' cached values and runs no macro.
The size limit is checked before the file is opened.
"""

import unicodedata

import pandas as pd
from python_calamine import CalamineWorkbook

from pipeline.cells import cell_text, column_letter
from pipeline.problems import problem
from pipeline.settings import Limits
from pipeline.values import Arrival, RawWorkbook
from schemas import template_layout as layout

HEADER_SEARCH_ROWS = 20
REQUIRED_KEYS = ("kr_code", *layout.INPUT_KEYS)
_HEADER_NAMES = {
    _name: column.key
    for column in layout.COLUMNS
    for _name in (column.key, column.header_th, column.header_en)
}


def read_submission(arrival: Arrival, limits: Limits) -> RawWorkbook:
    if arrival.size > limits.max_file_bytes:
        return _failed(arrival, problem("file-too-large", value=arrival.size,
                                        expected=limits.max_file_bytes))
    try:
        book = CalamineWorkbook.from_path(str(arrival.path))
        metadata = _metadata(book)
        if metadata is None:
            return _failed(arrival, problem("metadata-missing"))
        sheet = metadata.get("data_sheet") or layout.DATA_SHEET
        if sheet not in book.sheet_names:
            return RawWorkbook(arrival, metadata, problems=(
                problem("data-sheet-missing", expected=sheet),))
        grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except BaseException as err:  # calamine panics surface as BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return _failed(arrival, problem("not-a-spreadsheet", value=type(err).__name__))
    rows, cells = _data_rows(grid)
    missing = [c for c in layout.COLUMNS if c.key in REQUIRED_KEYS and c.key not in cells]
    if missing:
        return RawWorkbook(arrival, metadata, sheet, problems=tuple(
            problem("column-missing", sheet=sheet, expected=f"{c.header_th} ({c.header_en})")
            for c in missing))
    return RawWorkbook(arrival, metadata, sheet, rows, cells)


def _failed(arrival: Arrival, found) -> RawWorkbook:
    return RawWorkbook(arrival, problems=(found,))


def _metadata(book: CalamineWorkbook) -> dict[str, str] | None:
    if layout.META_SHEET not in book.sheet_names:
        return None
    grid = book.get_sheet_by_name(layout.META_SHEET).to_python(skip_empty_area=False)
    return {cell_text(row[0]).strip(): cell_text(row[1]).strip() for row in grid if len(row) >= 2}


def _data_rows(grid: list[list]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Finds the header row (machine keys, else Thai or English headers) and the rows below it."""
    header_row, columns = _find_header(grid)
    if not columns:
        return pd.DataFrame(), {}
    keys = list(columns)
    records, index = [], []
    for row0 in range(header_row + 1, len(grid)):
        values = [grid[row0][columns[key]] if columns[key] < len(grid[row0]) else ""
                  for key in keys]
        texts = [cell_text(v).strip() for v in values]
        if not any(texts) or _is_header(texts):
            continue
        records.append(values)
        index.append(row0 + 1)
    frame = pd.DataFrame(records, columns=keys, index=pd.Index(index, name="row"), dtype=object)
    return frame, {key: column_letter(col) for key, col in columns.items()}


def _find_header(grid: list[list]) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] = (-1, {})
    for row0, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col0, value in enumerate(row):
            key = _HEADER_NAMES.get(_clean(cell_text(value)))
            if key and key not in columns:
                columns[key] = col0
        if "kr_code" in columns and len(columns) > len(best[1]):
            best = (row0, columns)
    return best


def _is_header(texts: list[str]) -> bool:
    return sum(1 for t in texts if _clean(t) in _HEADER_NAMES) >= 2


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").strip()
