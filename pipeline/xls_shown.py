"""An .xls sheet → the cells calamine reads otherwise than they show (see pipeline.xlsx_shown):
a number formatted as a percentage, read as the fraction (85% as 0.85, stored a hundred times
too small), and an error value (#DIV/0!, #N/A), read as empty. xlrd reads the formats and the
types of the sheet's cells, which calamine does not give. Call it only after the safety
checks."""

from pathlib import Path

import olefile
import xlrd

from pipeline.xlsx_shown import ERROR, PERCENT, Shown, is_percent_format, percent_text


def xls_shown(path: Path, sheet: str) -> list[Shown]:
    """Each such cell; [] for a file that is not an .xls."""
    if not olefile.isOleFile(str(path)):
        return []
    try:
        return _shown(path, sheet)
    except Exception:  # calamine read what xlrd cannot: its figures stand as read
        return []


def _shown(path: Path, sheet: str) -> list[Shown]:
    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        if sheet not in book.sheet_names():
            return []
        cells = book.sheet_by_name(sheet)  # parsed here, on demand
        percent = {index for index, xf in enumerate(book.xf_list)
                   if xf.format_key in book.format_map
                   and is_percent_format(book.format_map[xf.format_key].format_str)}
        found = []
        for row in range(cells.nrows):
            for col in range(cells.ncols):
                kind = cells.cell_type(row, col)
                if kind == xlrd.XL_CELL_ERROR:
                    found.append(Shown(row, col, ERROR, xlrd.error_text_from_code.get(
                        cells.cell_value(row, col), "#N/A")))
                elif (kind == xlrd.XL_CELL_NUMBER and cells.cell_xf_index(row, col) in percent
                      and (text := percent_text(repr(cells.cell_value(row, col))))):
                    found.append(Shown(row, col, PERCENT, text))
        return found
    finally:
        book.release_resources()
