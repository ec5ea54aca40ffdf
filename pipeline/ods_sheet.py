"""An .ods sheet → what calamine gives of Excel formats only: the merged ranges, and the
numbers formatted as percentages as they show (calamine reads 85% as 0.85, which would be
stored a hundred times too small; see pipeline.xlsx_shown).

Streams the sheet's table out of content.xml; call it only after the safety checks.
"""

import zipfile
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

from pipeline.xlsx_shown import percent_text

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_NAME, _ROWS, _COLUMNS = (f"{{{_TABLE}}}{a}" for a in ("name", "number-rows-repeated",
                                                       "number-columns-repeated"))
_ROW_SPAN, _COLUMN_SPAN = f"{{{_TABLE}}}number-rows-spanned", f"{{{_TABLE}}}number-columns-spanned"
_CELLS = {f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"}
_TABLE_TAG, _ROW_TAG = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
_VALUE_TYPE, _VALUE = f"{{{_OFFICE}}}value-type", f"{{{_OFFICE}}}value"

Range = tuple[tuple[int, int], tuple[int, int]]


class OdsSheet(NamedTuple):
    merged: list[Range]  # ((first row, first col), (last row, last col)), as calamine's
    percentages: dict[tuple[int, int], str]  # (row, col) → "85%"


def ods_sheet(path: Path, sheet: str, rows: int, columns: int) -> OdsSheet:
    """`rows` and `columns`: how far calamine read the sheet; a percentage repeated beyond
    (LibreOffice writes a run of equal cells once) is not kept."""
    if not zipfile.is_zipfile(path):
        return OdsSheet([], {})
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return OdsSheet([], {})
        with archive.open("content.xml") as stream:
            return _scan(stream, sheet, rows, columns)


def _scan(stream, sheet: str, rows: int, columns: int) -> OdsSheet:
    found = OdsSheet([], {})
    inside, row0, col0, repeated = False, 0, 0, 1
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
        elif inside and event == "start" and element.tag in _CELLS:
            spanned = int(element.get(_ROW_SPAN, 1)), int(element.get(_COLUMN_SPAN, 1))
            if spanned != (1, 1):
                found.merged.append(((row0, col0), (row0 + spanned[0] - 1,
                                                    col0 + spanned[1] - 1)))
            width = int(element.get(_COLUMNS, 1))
            if element.get(_VALUE_TYPE) == "percentage" and (
                    text := percent_text(element.get(_VALUE, ""))):
                found.percentages.update(
                    ((row, col), text) for row in range(row0, min(row0 + repeated, rows))
                    for col in range(col0, min(col0 + width, columns)))
            col0 += width
    return found
