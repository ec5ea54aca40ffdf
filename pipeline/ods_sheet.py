"""An .ods sheet → what calamine gives of Excel formats only: the merged ranges, and the cells
it reads otherwise than they show (see pipeline.xlsx_shown): a number formatted as a
percentage (calamine reads 85% as 0.85, which would be stored a hundred times too small), and
an error value LibreOffice computed (#DIV/0!, #N/A), read as empty.

Streams the sheet's table out of content.xml; call it only after the safety checks.
"""

import zipfile
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

from pipeline.xlsx_shown import ERROR, PERCENT, Shown, percent_text

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_NAME, _ROWS, _COLUMNS = (f"{{{_TABLE}}}{a}" for a in ("name", "number-rows-repeated",
                                                       "number-columns-repeated"))
_ROW_SPAN, _COLUMN_SPAN = f"{{{_TABLE}}}number-rows-spanned", f"{{{_TABLE}}}number-columns-spanned"
_CELLS = {f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"}
_TABLE_TAG, _ROW_TAG = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
_VALUE_TYPE, _VALUE = f"{{{_OFFICE}}}value-type", f"{{{_OFFICE}}}value"
_COMPUTED_TYPE = f"{{{_CALCEXT}}}value-type"  # LibreOffice's own: "error" where ODF has none

Range = tuple[tuple[int, int], tuple[int, int]]


class OdsSheet(NamedTuple):
    merged: list[Range]  # ((first row, first col), (last row, last col)), as calamine's
    shown: list[Shown]  # PERCENT ("85%") and ERROR ("#DIV/0!") cells


def ods_sheet(path: Path, sheet: str, rows: int, columns: int) -> OdsSheet:
    """`rows` and `columns`: how far calamine read the sheet; a cell repeated beyond
    (LibreOffice writes a run of equal cells once) is not kept."""
    if not zipfile.is_zipfile(path):
        return OdsSheet([], [])
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return OdsSheet([], [])
        with archive.open("content.xml") as stream:
            return _scan(stream, sheet, rows, columns)


def _scan(stream, sheet: str, rows: int, columns: int) -> OdsSheet:
    found = OdsSheet([], [])
    inside, row0, col0, repeated = False, 0, 0, 1
    errors: list[tuple[int, int]] = []  # where the cell being read shows an error
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if element.tag == _TABLE_TAG:
            if event == "end" and inside:
                break
            inside = event == "start" and element.get(_NAME) == sheet
        elif element.tag == _ROW_TAG:
            repeated = int(element.get(_ROWS, 1))
            if event == "end":
                row0 += repeated if inside else 0
                element.clear()  # rows already scanned: keeps memory flat on a long sheet
            col0 = 0
        elif inside and event == "end" and errors and element.tag in _CELLS:
            text = "".join(element.itertext()).strip() or "#N/A"  # what the cell shows
            found.shown.extend(Shown(row, col, ERROR, text) for row, col in errors)
            errors = []
        elif inside and event == "start" and element.tag in _CELLS:
            spanned = int(element.get(_ROW_SPAN, 1)), int(element.get(_COLUMN_SPAN, 1))
            if spanned != (1, 1):
                found.merged.append(((row0, col0), (row0 + spanned[0] - 1,
                                                    col0 + spanned[1] - 1)))
            width = int(element.get(_COLUMNS, 1))
            if element.get(_COMPUTED_TYPE) == "error":
                errors = _covered(row0, col0, repeated, width, rows, columns)
            elif element.get(_VALUE_TYPE) == "percentage" and (
                    text := percent_text(element.get(_VALUE, ""))):
                found.shown.extend(Shown(row, col, PERCENT, text) for row, col in _covered(
                    row0, col0, repeated, width, rows, columns))
            col0 += width
    return found


def _covered(row0: int, col0: int, repeated: int, width: int, rows: int, columns: int
             ) -> list[tuple[int, int]]:
    """The cells a cell element stands for (repeated across and down), as far as calamine
    read the sheet."""
    return [(row, col) for row in range(row0, min(row0 + repeated, rows))
            for col in range(col0, min(col0 + width, columns))]
