"""An .xlsx/.xlsm sheet → the cells calamine reads otherwise than they show: a formula with
no cached value and an error value (#DIV/0!, #N/A), both read as empty; a number formatted as
a percentage, read as the fraction (85% typed in Excel or LibreOffice is stored as 0.85).

Each would make a typed figure vanish or come out a hundred times too small. A formula has
no value when a tool other than Excel (openpyxl, a script) wrote it and nothing ever
computed it; an error is what Excel or LibreOffice computed (a division by an empty cell),
or what was pasted as a value. Call this only after the safety checks: it unpacks the
sheet's XML part (at most the unpacked size they allow, and calamine holds the whole sheet
anyway). Most sheets hold none of them: a look at the styles and byte searches say so, and
only a sheet that may hold one is parsed, up to the end of its cells.
"""

import math
import posixpath
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

NO_VALUE, ERROR, PERCENT = "no-value", "error", "percent"
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
# How a formula element starts, prefixed or not: <f>, <f t="shared" …/>, <x:f>: "<f" or ":f",
# then a byte that ends a tag name (<formula1> of a data validation does not match).
_FORMULA_STARTS = (b"<f", b":f")
_TAG_STARTS = {b"<", b":"}
_NAME_ENDS = {b" ", b"\t", b"\r", b"\n", b">", b"/"}
# No other tag or attribute of a cell has the letter f: it is looked for alone, each one found
# looked at (0.19 ms a file of the benchmark, English text included, against 0.9 ms for the
# two starts), up to this many; past them (text full of f's), the starts are searched for.
_F_LOOKS = 4096
# t="e": the cell's value is an error. Every writer met quotes attributes with ", and one
# search for the value costs 0.36 ms a file of the benchmark, a search for each quote twice that.
_ERROR_TYPE = b'"e"'
_PERCENT_FORMATS = {"9", "10"}  # the built-in 0% and 0.00%
# In a format code: literal text, colours and conditions, escaped characters ("%" there does
# not scale the number).
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


class Shown(NamedTuple):
    row0: int
    col0: int
    kind: str  # NO_VALUE, ERROR or PERCENT
    text: str  # what the cell shows: "" (nothing computed), "#DIV/0!", "85%"


def shown_cells(path: Path, sheet: str) -> list[Shown]:
    """Each cell of the sheet that calamine reads otherwise than it shows; [] when not an
    xlsx."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as archive:
        workbook = _workbook(archive)
        related = _related(archive, workbook) if workbook else []
        part = _sheet_part(archive, workbook, related, sheet) if workbook else None
        if part is None:
            return []
        percent = _percent_styles(archive, related)
        xml = archive.read(part)
    return list(_scan(BytesIO(xml), percent)) if _may_hold_one(xml, percent) else []


def _may_hold_one(xml: bytes, percent: set[str]) -> bool:
    """Whether a formula tag, an error's type or a cell formatted as a percentage may sit
    among the cells. XML escapes "<" in text and attribute values, so a "<f" is a tag (or in
    a comment or CDATA: then the parse decides); '"e"' may also be another attribute's value,
    and ' s="7"' a row's style: the parse decides too. The cells
    end before the last mention of sheetData (its closing tag; a later text naming it only
    widens the search), which skips the data validations that make up most of a template's
    sheet. Byte searches (bytes.find) take half the time of a regular expression. They hold
    for every encoding that writes "<" as one byte; a UTF-16 or UTF-32 part (a NUL byte among
    its first four) is parsed."""
    if b"\x00" in xml[:4]:
        return True
    end = xml.rfind(b"sheetData")
    end = end if end >= 0 else len(xml)
    if xml.find(_ERROR_TYPE, 0, end) >= 0 or any(
            xml.find(b' s="%s"' % style.encode(), 0, end) >= 0 for style in percent):
        return True
    return _has_formula_tag(xml, end)


def _has_formula_tag(xml: bytes, end: int) -> bool:
    """Whether a formula element starts before `end`: an f between "<" or ":" and a byte that
    ends a tag's name."""
    at = xml.find(b"f", 0, end)
    for _ in range(_F_LOOKS):
        if at < 0:
            return False
        if xml[at - 1:at] in _TAG_STARTS and xml[at + 1:at + 2] in _NAME_ENDS:
            return True
        at = xml.find(b"f", at + 1, end)
    if at < 0:
        return False
    unlooked = max(at - 1, 0)  # the first f not looked at, after what may start its tag
    for start in _FORMULA_STARTS:
        at = xml.find(start, unlooked, end)
        while at >= 0:
            if xml[at + 2:at + 3] in _NAME_ENDS:
                return True
            at = xml.find(start, at + 2, end)
    return False


def _scan(stream, percent: set[str]):
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
                    if (shown := _shown(cell, local, percent)) is not None:
                        yield Shown(row0, col0, *shown)
            if rows is not None:
                rows.clear()
        elif tag == "sheetData":
            return


def _shown(cell, local: "_LocalNames", percent: set[str]) -> tuple[str, str] | None:
    """(kind, text) of a cell calamine reads otherwise than it shows; None for the others."""
    children = {local[child.tag]: child for child in cell}
    value = children.get("v")
    kind = cell.get("t")
    if kind == "e":
        return ERROR, value.text if value is not None and value.text else "#N/A"
    # a formula whose result is the empty string is cached as an empty text value
    if "f" in children and (value is None or (not value.text and kind != "str")):
        return NO_VALUE, ""
    if cell.get("s") in percent and kind in (None, "n") and value is not None:
        shown = percent_text(value.text or "")
        return (PERCENT, shown) if shown else None
    return None


def percent_text(number: str) -> str | None:
    """A stored number as a percentage, to the 15 significant digits Excel shows: "0.85" →
    "85%", "7.0000000000000007E-2" (0.07 as Excel stores it) → "7%"."""
    try:
        percent = float(number) * 100
    except ValueError:
        return None
    return f"{percent:.15g}%" if math.isfinite(percent) else None


def _percent_styles(archive: zipfile.ZipFile, related: list[tuple[str, str, str]]
                    ) -> set[str]:
    """The cell formats (by index, as a cell's s attribute names them) that show a number as
    a percentage. The template has none: its styles part is then only searched, not parsed."""
    part = _entry(archive, next((part for _, kind, part in related if kind == "styles"), None))
    if part is None:
        return set()
    xml = archive.read(part)
    if b"%" not in xml and b'numFmtId="9"' not in xml and b'numFmtId="10"' not in xml:
        return set()
    root = ElementTree.fromstring(xml)
    codes = {e.get("numFmtId"): e.get("formatCode", "") for e in root.iter()
             if _local(e.tag) == "numFmt"}
    formats = [xf.get("numFmtId", "0") for e in root if _local(e.tag) == "cellXfs"
               for xf in e if _local(xf.tag) == "xf"]
    return {str(index) for index, fmt in enumerate(formats)
            if fmt in _PERCENT_FORMATS or is_percent_format(codes.get(fmt, ""))}


def is_percent_format(code: str) -> bool:
    """Whether a number format code shows the number as a percentage: a % outside literal
    text, colours and conditions, which scales it by 100."""
    return "%" in _LITERALS.sub("", code)


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


def _workbook(archive: zipfile.ZipFile) -> str | None:
    """The workbook part, as the package's relationships name it."""
    workbook = next((part for _, kind, part in _relationships(archive, "_rels/.rels", "")
                     if kind == "officeDocument"), None)
    if workbook not in archive.namelist() or not workbook.endswith(".xml"):  # .xlsb: binary
        return None
    return workbook


def _sheet_part(archive: zipfile.ZipFile, workbook: str, related: list[tuple[str, str, str]],
                sheet: str) -> str | None:
    """The zip entry of the named sheet, through the workbook's relationships (`related`)."""
    rel_id = next((
        next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        for element in ElementTree.fromstring(archive.read(workbook)).iter()
        if _local(element.tag) == "sheet" and element.get("name") == sheet), None)
    return _entry(archive, next((part for found, _, part in related if found == rel_id), None))


def _entry(archive: zipfile.ZipFile, part: str | None) -> str | None:
    """The part if the package holds it as XML."""
    return part if part in archive.namelist() and part.endswith(".xml") else None


def _related(archive: zipfile.ZipFile, workbook: str) -> list[tuple[str, str, str]]:
    """The workbook's relationships: its sheets', its styles'."""
    folder, name = posixpath.split(workbook)
    return _relationships(archive, posixpath.join(folder, "_rels", name + ".rels"), folder)


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
