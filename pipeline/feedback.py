"""The clerk's own workbook + its problems → an annotated copy the clerk can fix alone.

Each problem is marked at its cell (a fill by severity and a Thai-then-English comment) and
listed on a new first sheet with a link to the cell. The clerk's data is left as it is, so
the corrected copy can be sent back as it stands. A source openpyxl cannot open still gets a
workbook: the list alone.
"""

import math
import re
import warnings
from collections.abc import Sequence
from copy import copy
from datetime import UTC, datetime
from functools import cache
from itertools import groupby
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.excel import ExcelWriter

from pipeline.atomic import atomic_path
from pipeline.collector import paused
from pipeline.problems import Problem
from pipeline.xlsx_style import FONT
from schemas.rules import ERROR, NOTICE, WARNING
from schemas.template_layout import INPUT_COLOUR, LOCKED_COLOUR

SHEET_TITLE = "ปัญหาที่พบ"
AUTHOR = "ระบบตรวจรายงาน OKR"
SEVERITY_LABELS = {ERROR: ("ข้อผิดพลาด", "error"), WARNING: ("คำเตือน", "warning"),
                   NOTICE: ("แจ้งให้ทราบ", "notice")}
FILLS = {ERROR: "FFFF9B9B", WARNING: "FFFFC000", NOTICE: "FF9BC2E6"}  # red, amber, blue
WHOLE_FILE = "ทั้งไฟล์ / whole file"
TO_FIX = ("แก้ไขช่องที่มีสีแดงในแผ่นงาน{sheet} แล้วส่งไฟล์ที่แก้ไขแล้วในโฟลเดอร์ของเขตอีกครั้ง",
          "Fix the red cells of sheet {sheet}, then send the corrected file in your "
          "district's folder again.")
FIX_LISTED = ("แก้ไขตามรายการด้านล่าง แล้วส่งไฟล์ที่แก้ไขแล้วในโฟลเดอร์ของเขตอีกครั้ง",
              "Fix what is listed below, then send the corrected file in your district's "
              "folder again.")
NOT_MARKED = ("ระบบทำเครื่องหมายในไฟล์ที่ส่งมาไม่ได้ กรุณาแก้ไขตามรายการด้านล่าง "
              "แล้วส่งไฟล์ .xlsx ของแบบรายงานในโฟลเดอร์ของเขตอีกครั้ง",
              "The file sent cannot be marked; fix what is listed below, then send the "
              "template's .xlsx file again in your district's folder.")
PERIOD_CLOSED = ("รอบการรายงานนี้ปิดรับแล้ว ไม่ต้องส่งไฟล์นี้อีก หากต้องแก้ไขข้อมูล "
                 "กรุณาติดต่อสำนักยุทธศาสตร์ฯ",
                 "This period is closed: do not send this file again; to correct its figures, "
                 "contact the strategy office.")
ACCEPTED = ("ไฟล์นี้ผ่านการตรวจแล้ว ไม่ต้องส่งใหม่ กรุณาตรวจดูรายการด้านล่างว่าถูกต้อง",
            "This file was accepted and need not be sent again; check that what is listed "
            "below is right.")
HEADERS = (("ระดับ", "Severity", 20), ("รหัสปัญหา", "Code", 26), ("ช่อง", "Cell", 16),
           ("ปัญหา", "Message (Thai)", 60), ("ปัญหา (ภาษาอังกฤษ)", "Message (English)", 50),
           ("ค่าที่พบ", "Value found", 22), ("ค่าที่ควรเป็น", "Expected", 22))
HEADER_ROW = 5
ANNOTATABLE = (".xlsx", ".xlsm")
# The reader refused to open these files; opening them here would take the risk it avoided.
_UNSAFE = frozenset({"not-a-spreadsheet", "file-too-large", "file-encrypted",
                     "archive-too-large", "read-timeout"})
_COMMENT_WIDTH = 380  # px: about 48 Thai characters a line
_LINE_PX = 20
_ROW = "okr-problem"  # the named styles of the list's rows


def write_feedback(source: Path, problems: Sequence[Problem], dest: Path) -> Path:
    """Writes the annotated copy of `source` (never modified) to `dest`, atomically.

    A bad source is not an error: the feedback then holds the list of problems only.
    """
    ordered = sorted(problems, key=lambda p: p.sort_key)
    with atomic_path(dest) as tmp, paused():  # each book built apart: unreachable at its end
        if not (_may_open(source, ordered) and _save_annotated(source, ordered, tmp)):
            _save_list(source, ordered, tmp)
    return dest


def _save_list(source: Path, problems: Sequence[Problem], tmp: Path) -> None:
    book = Workbook()
    book.remove(book.active)  # the empty sheet a new workbook starts with
    _list_problems(book, problems, marked=False)
    _save(book, tmp, source)


class _DatedZip(ZipFile):
    """Every entry dated `when`: zipfile would date them by the clock."""

    def __init__(self, path: Path, when: datetime):
        super().__init__(path, "w", ZIP_DEFLATED)
        self._when = when.timetuple()[:6]

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = ZipInfo(name, date_time=self._when)
            name.compress_type, name.external_attr = ZIP_DEFLATED, 0o600 << 16
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes worksheets from temporary files, which zipfile dates by mtime."""
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes())


def _save(book: Workbook, tmp: Path, source: Path) -> None:
    """Saved with the time the source was received, so the same file gets the same feedback
    bytes on a rerun (openpyxl's own save stamps the clock)."""
    when = datetime.fromtimestamp(source.stat().st_mtime, UTC).replace(tzinfo=None)
    when = max(when, datetime(1980, 1, 1))
    book.properties.created = book.properties.modified = when
    ExcelWriter(book, _DatedZip(tmp, when)).save()


def _may_open(source: Path, ordered: list[Problem]) -> bool:
    return source.suffix.lower() in ANNOTATABLE and not any(p.code in _UNSAFE for p in ordered)


def _save_annotated(source: Path, ordered: list[Problem], tmp: Path) -> bool:
    try:
        with warnings.catch_warnings():  # features of the clerk's file openpyxl drops: theirs
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(source, keep_vba=False)
        if SHEET_TITLE in book.sheetnames:  # a feedback file sent back: its list is stale
            book.remove(book[SHEET_TITLE])
        _unmark(book)  # and so are its marks, though the clerk deleted the list
        _mark_cells(book, ordered)
        _list_problems(book, ordered, marked=True)
        _save(book, tmp, source)
    except Exception:  # openpyxl could not read or write it back: the list is all we can give
        return False
    return True


def _mark_cells(book: Workbook, ordered: list[Problem]) -> None:
    # the sheets with problems on them: a chart sheet has no cells, nor merged ranges
    merged = {name: _merged(book[name]) for name in {p.sheet for p in ordered if p.cell}
              if name in book.sheetnames}
    located = sorted(((p.sheet, _shown_at(merged[p.sheet], p.cell), p) for p in ordered
                      if p.cell and p.sheet in book.sheetnames),
                     key=lambda found: (*found[:2], found[2].sort_key))
    for (sheet, cell), group in groupby(located, key=lambda found: found[:2]):
        _mark(book[sheet][cell], [p for _, _, p in group])
        _unhide(book[sheet], book[sheet][cell])


def _unmark(book: Workbook) -> None:
    """An earlier feedback's marks taken away, the template's fill back in their place (yellow
    where the clerk types, grey elsewhere): a cell the clerk corrected stayed red with its old
    error beside "accepted", and "fix the red cells" led to cells already fixed."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if _marked(cell):
                    cell.comment = None
                    colour = LOCKED_COLOUR if cell.protection.locked else INPUT_COLOUR
                    cell.fill = _solid(f"FF{colour}")


# A mark's comment as _mark writes it: "ข้อผิดพลาด: …" then "error: …"
_MARK_TEXT = re.compile("(?:{}): .*?\n(?:{}): ".format(
    "|".join(th for th, _ in SEVERITY_LABELS.values()),
    "|".join(en for _, en in SEVERITY_LABELS.values())), re.S)


def _marked(cell) -> bool:
    """Marked by an earlier feedback: its comment is ours, by its author or, from LibreOffice,
    which saves a comment without its author, by its form. (Only the comment is looked at:
    reading every cell's fill would cost a workbook 15 ms.)"""
    comment = cell.comment
    return comment is not None and (comment.author == AUTHOR
                                    or bool(_MARK_TEXT.match(comment.text or "")))


def _unhide(sheet, cell) -> None:
    """A marked cell in a row or column the clerk hid (KRs "we don't do") is shown again:
    "correct the red cells" led to cells nobody could see."""
    sheet.row_dimensions[cell.row].hidden = False
    for columns in list(sheet.column_dimensions.values()):
        if columns.hidden and columns.min <= cell.column <= columns.max:
            # a block of hidden columns (L:N) split around the marked one, the rest still hidden
            for first, last, hidden in ((columns.min, cell.column - 1, True),
                                        (cell.column, cell.column, False),
                                        (cell.column + 1, columns.max, True)):
                if first <= last:
                    part = copy(columns)
                    part.index = get_column_letter(first)
                    part.min, part.max, part.hidden = first, last, hidden
                    sheet.column_dimensions[part.index] = part


def _merged(sheet) -> list[tuple[tuple[int, int, int, int], str]]:
    """The sheet's merged ranges: the bounds of each (first column, first row, last column,
    last row) and its first cell."""
    return [(merged.bounds, merged.start_cell.coordinate) for merged in sheet.merged_cells.ranges]


def _shown_at(merged: list[tuple[tuple[int, int, int, int], str]], cell: str) -> str:
    """Where a problem at `cell` is marked: the first cell of the merged range it is in (the
    clerk merged two status cells, say), the only one that shows and can take a comment."""
    row, column = coordinate_to_tuple(cell)
    return next((first for (left, top, right, bottom), first in merged
                 if top <= row <= bottom and left <= column <= right), cell)


def _mark(cell, problems: list[Problem]) -> None:
    """The most severe problem gives the colour; the comment holds them all, most severe first."""
    cell.fill = _solid(FILLS[problems[0].severity])
    text = "\n\n".join(f"{SEVERITY_LABELS[p.severity][0]}: {p.message_th}\n"
                       f"{SEVERITY_LABELS[p.severity][1]}: {p.message_en}" for p in problems)
    height = _lines(text, 48) * _LINE_PX + 2 * _LINE_PX
    cell.comment = Comment(_clean(text), AUTHOR, height=height, width=_COMMENT_WIDTH)


def _list_problems(book: Workbook, ordered: list[Problem], marked: bool) -> None:
    sheet = book.create_sheet(SHEET_TITLE, 0)
    counts = {s: sum(1 for p in ordered if p.severity == s) for s in SEVERITY_LABELS}
    th, en = _instruction(ordered, marked)
    titles = (
        (f"ผลการตรวจแบบรายงาน: ข้อผิดพลาด {counts[ERROR]} รายการ · คำเตือน {counts[WARNING]} · "
         f"แจ้งให้ทราบ {counts[NOTICE]}", 18, True),
        (f"Errors: {counts[ERROR]} · warnings: {counts[WARNING]} · notices: {counts[NOTICE]}",
         14, False),
        (th, 16, True),
        (en, 14, False),
    )
    for row, (text, size, bold) in enumerate(titles, start=1):
        font = Font(name=FONT, size=size, bold=bold, color=None if bold else "595959")
        _write(sheet, row, 1, text, font, wrap=False)  # overflows across the empty cells
        sheet.row_dimensions[row].height = size * 1.6
    header_font = Font(name=FONT, size=14, bold=True, color="FFFFFF")
    for col, (header_th, header_en, width) in enumerate(HEADERS, start=1):
        _write(sheet, HEADER_ROW, col, f"{header_th}\n{header_en}", header_font)
        sheet.cell(HEADER_ROW, col).fill = _solid("FF1F4E78")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 46
    _row_styles(book)
    for row, p in enumerate(ordered, start=HEADER_ROW + 1):
        _problem_row(sheet, row, p, linked=marked and p.sheet in book.sheetnames)
    last = HEADER_ROW + max(len(ordered), 1)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(HEADERS))}{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for other in book.worksheets:
        other.sheet_view.tabSelected = other is sheet
    book.active = sheet


def _instruction(ordered: list[Problem], marked: bool) -> tuple[str, str]:
    """What the clerk does next, in the words that fit what they can see."""
    errors = [p for p in ordered if p.severity == ERROR]
    if not errors:
        return ACCEPTED
    if any(p.code == "period-closed" for p in errors):  # sent again, it is refused again
        return PERIOD_CLOSED
    if not marked:
        return NOT_MARKED
    marked_sheet = next((p.sheet for p in errors if p.cell), None)
    if marked_sheet is None:
        return FIX_LISTED
    # the sheet the marks are on: the clerk may have renamed the template's
    return TO_FIX[0].format(sheet=marked_sheet), TO_FIX[1].format(sheet=marked_sheet)


def _problem_row(sheet, row: int, p: Problem, linked: bool) -> None:
    th, en = SEVERITY_LABELS[p.severity]
    where = (f"{p.sheet}!{p.cell}" if p.sheet else p.cell) if p.cell else WHOLE_FILE
    texts = (f"{th} ({en})", p.code, where, p.message_th, p.message_en, p.value,
             p.expected)
    for col, text in enumerate(texts, start=1):
        cell = sheet.cell(row, col)
        _text(cell, text)
        cell.style = _ROW if col > 1 else f"{_ROW}-{p.severity}"
    if p.cell and linked:
        link = sheet.cell(row, 3)
        quoted = p.sheet.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{p.cell}")
        link.style = f"{_ROW}-link"
    lines = max(_lines(text, width * 1.1) for text, (_, _, width) in zip(texts, HEADERS,
                                                                            strict=True))
    sheet.row_dimensions[row].height = lines * 21 + 4


def _row_styles(book: Workbook) -> None:
    """The list's cells share named styles: a font, an alignment and a fill set cell by cell
    cost openpyxl a look-up each, a third of the time of a 300-problem file. A feedback file
    sent back has them already."""
    body = {"font": Font(name=FONT, size=14), "alignment": Alignment(wrap_text=True,
                                                                     vertical="top")}
    styles = [NamedStyle(_ROW, **body),
              NamedStyle(f"{_ROW}-link", **body | {"font": Font(
                  name=FONT, size=14, color="0563C1", underline="single")})]
    styles += [NamedStyle(f"{_ROW}-{severity}", fill=_solid(argb), **body)
               for severity, argb in FILLS.items()]
    for style in styles:
        if style.name not in book.named_styles:
            book.add_named_style(style)


def _write(sheet, row: int, col: int, text: str, font: Font, wrap: bool = True) -> None:
    cell = sheet.cell(row, col)
    _text(cell, text)
    cell.font = font
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")


def _text(cell, text: str) -> None:
    """Writes text as text: a clerk's "=SUM(A1)" is shown, never made a formula."""
    if text:
        cell.value = _clean(text)
        cell.data_type = "s"


@cache  # openpyxl never changes a fill it is given: one a colour serves every cell
def _solid(argb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=argb, end_color=argb)


def _clean(text: str) -> str:
    """Control characters a clerk pasted cannot be stored in an .xlsx file."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _lines(text: str, per_line: float) -> int:
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
