"""An .xlsx/.xlsm sheet → the cells calamine reads as empty though they show something: a
formula with no cached value, and an error value (#DIV/0!, #N/A).

Either would make a typed figure silently vanish. A formula has no value when a tool other
than Excel (openpyxl, a script) wrote it and nothing ever computed it; an error is what Excel
or LibreOffice computed (a division by an empty cell), or what was pasted as a value. Call
this only after the safety checks: it unpacks the sheet's XML part (at most the unpacked size
they allow, and calamine holds the whole sheet anyway). Most sheets hold neither: byte
searches say so, and only a sheet that may hold one is parsed, up to the end of its cells.
"""

import posixpath
import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
# How a formula element starts, prefixed or not: <f>, <f t="shared" …/>, <x:f>: "<f" or ":f",
# then a byte that ends a tag name (<formula1> of a data validation does not match).
_FORMULA_STARTS = (b"<f", b":f")
_NAME_ENDS = {b" ", b"\t", b"\r", b"\n", b">", b"/"}
# t="e": the cell's value is an error. Every writer met quotes attributes with ", and one
# search for the value costs 0.36 ms a file of the benchmark, a search for each quote twice that.
_ERROR_TYPE = b'"e"'


def unread_cells(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    """0-based (row, column) of each such cell, with what it shows: "" for a formula without
    a value, the error (#DIV/0!) for an error; [] when not an xlsx."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None:
            return []
        xml = archive.read(part)
    return list(_scan(BytesIO(xml))) if _may_hold_one(xml) else []


def _may_hold_one(xml: bytes) -> bool:
    """Whether a formula tag or an error's type may sit among the cells. XML escapes "<" in
    text and attribute values, so a "<f" is a tag (or in a comment or CDATA: then the parse
    decides); '"e"' may also be another attribute's value: the parse decides too. The cells
    end before the last mention of sheetData (its closing tag; a later text naming it only
    widens the search), which skips the data validations that make up most of a template's
    sheet. Byte searches (bytes.find) take half the time of a regular expression. They hold
    for every encoding that writes "<" as one byte; a UTF-16 or UTF-32 part (a NUL byte among
    its first four) is parsed."""
    if b"\x00" in xml[:4]:
        return True
    end = xml.rfind(b"sheetData")
    end = end if end >= 0 else len(xml)
    if xml.find(_ERROR_TYPE, 0, end) >= 0:
        return True
    for start in _FORMULA_STARTS:
        at = xml.find(start, 0, end)
        while at >= 0:
            if xml[at + 2:at + 3] in _NAME_ENDS:
                return True
            at = xml.find(start, at + 2, end)
    return False


def _scan(stream):
    """Rows are checked as each ends, then dropped (memory stays flat on a long sheet); the
    parse stops where the cells end."""
    local = _LocalNames()
    row0, col0, rows = -1, -1, None
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = local[element.tag]
        if event == "start":
            if tag == "row":
                row0 = int(element.get("r")) - 1 if element.get("r") else row0 + 1
                col0 = -1
            elif tag == "sheetData":
                rows = element
        elif tag == "row":
            for cell in element:
                if local[cell.tag] == "c":
                    row0, col0 = _position(cell.get("r"), row0, col0 + 1)
                    if (shown := _unread(cell, local)) is not None:
                        yield row0, col0, shown
            if rows is not None:
                rows.clear()
        elif tag == "sheetData":
            return


def _unread(cell, local: "_LocalNames") -> str | None:
    """What the cell shows when calamine reads it as empty ("" for a formula without a
    value); None when calamine reads what it shows."""
    children = {local[child.tag]: child for child in cell}
    value = children.get("v")
    if cell.get("t") == "e":
        return value.text if value is not None and value.text else "#N/A"
    if "f" not in children:
        return None
    # a formula whose result is the empty string is cached as an empty text value
    return "" if value is None or (not value.text and cell.get("t") != "str") else None


class _LocalNames(dict):
    """A tag without its namespace ("{…/main}row" → "row"), worked out once per tag name:
    sheets written by Excel, LibreOffice or a strict-OOXML tool name the same elements in
    different namespaces, or with a prefix."""

    def __missing__(self, tag: str) -> str:
        self[tag] = name = _local(tag)
        return name


def _position(ref: str | None, row0: int, col0: int) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref or "")
    if not match:
        return row0, col0
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits) - 1, column - 1


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip entry of the named sheet, through the workbook part and its relationships."""
    names = set(archive.namelist())
    workbook = next((part for _, kind, part in _relationships(archive, "_rels/.rels", "")
                     if kind == "officeDocument"), None)
    if workbook not in names or not workbook.endswith(".xml"):  # .xlsb parts are binary
        return None
    folder, name = posixpath.split(workbook)
    parts = {rel_id: part for rel_id, _, part in _relationships(
        archive, posixpath.join(folder, "_rels", name + ".rels"), folder)}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet:
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            part = parts.get(rel_id)
            return part if part in names and part.endswith(".xml") else None
    return None


def _relationships(archive, rels_part: str, folder: str) -> list[tuple[str, str, str]]:
    """(id, the type's last word, target part) of each relationship a .rels part lists."""
    if rels_part not in archive.namelist():
        return []
    found = []
    for element in ElementTree.fromstring(archive.read(rels_part)):
        target = element.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        found.append((element.get("Id"), element.get("Type", "").rsplit("/", 1)[-1], part))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
