"""An .xls sheet → its numbers formatted as percentages, as they show: calamine reads 85% as
0.85, which would be stored a hundred times too small (see pipeline.xlsx_shown). xlrd reads
the formats of the sheet's cells, which calamine does not give. Call it only after the safety
checks."""

from pathlib import Path

import olefile
import xlrd

from pipeline.xlsx_shown import is_percent_format, percent_text


def xls_percentages(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """(row, col) → "85%"; empty for a file that is not an .xls."""
    if not olefile.isOleFile(str(path)):
        return {}
    try:
        return _percentages(path, sheet)
    except Exception:  # calamine read what xlrd cannot: its figures stand as read
        return {}


def _percentages(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        if sheet not in book.sheet_names():
            return {}
        cells = book.sheet_by_name(sheet)  # parsed here, on demand
        percent = {index for index, xf in enumerate(book.xf_list)
                   if xf.format_key in book.format_map
                   and is_percent_format(book.format_map[xf.format_key].format_str)}
        return {(row, col): text for row in range(cells.nrows) for col in range(cells.ncols)
                if cells.cell_type(row, col) == xlrd.XL_CELL_NUMBER
                and cells.cell_xf_index(row, col) in percent
                and (text := percent_text(repr(cells.cell_value(row, col))))}
    finally:
        book.release_resources()
