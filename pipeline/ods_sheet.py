"""An .ods sheet → its merged ranges, which calamine reports for Excel formats only.

Streams the sheet's table out of content.xml; call it only after the safety checks.
"""

import zipfile
from pathlib import Path
from xml.etree import ElementTree

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NAME, _ROWS, _COLUMNS = (f"{{{_TABLE}}}{a}" for a in ("name", "number-rows-repeated",
                                                       "number-columns-repeated"))
_ROW_SPAN, _COLUMN_SPAN = f"{{{_TABLE}}}number-rows-spanned", f"{{{_TABLE}}}number-columns-spanned"
_CELLS = {f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"}
_TABLE_TAG, _ROW_TAG = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"

Range = tuple[tuple[int, int], tuple[int, int]]


def ods_merged_ranges(path: Path, sheet: str) -> list[Range]:
    """Merged ranges as calamine gives them: ((first row, first col), (last row, last col))."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return []
        with archive.open("content.xml") as stream:
            return _scan(stream, sheet)


def _scan(stream, sheet: str) -> list[Range]:
    found: list[Range] = []
    inside, row0, col0 = False, 0, 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if element.tag == _TABLE_TAG:
            if event == "end" and inside:
                break
            inside = event == "start" and element.get(_NAME) == sheet
        elif element.tag == _ROW_TAG:
            if event == "end":
                row0 += int(element.get(_ROWS, 1)) if inside else 0
                element.clear()  # rows already scanned: keeps memory flat on a long sheet
            col0 = 0
        elif inside and event == "start" and element.tag in _CELLS:
            rows, columns = int(element.get(_ROW_SPAN, 1)), int(element.get(_COLUMN_SPAN, 1))
            if rows > 1 or columns > 1:
                found.append(((row0, col0), (row0 + rows - 1, col0 + columns - 1)))
            col0 += int(element.get(_COLUMNS, 1))
    return found
