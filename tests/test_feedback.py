"""The clerk's own workbook comes back with every problem marked at its cell, Thai first.

District 1001's template lists KR-1-01 (count) on row 6, KR-1-02 (percent) on row 7 and
KR-1-03 (count) on row 8; columns: H actual, K status, L confidence, M note.
"""

import hashlib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import column_index_from_string, get_column_letter

from pipeline.feedback import (
    ACCEPTED,
    AUTHOR,
    FILLS,
    FIX_LISTED,
    NOT_MARKED,
    PERIOD_CLOSED,
    SHEET_TITLE,
    TO_FIX,
    write_feedback,
)
from pipeline.problems import Problem, problem
from pipeline.xlsx_style import FONT
from tests.builders.libreoffice import convert, needs_libreoffice, pdf_text
from tests.judging import only_verdict

DATA = "รายงานผล"
RED, AMBER, BLUE = "FFFF9B9B", "FFFFC000", "FF9BC2E6"
SEVERITY_TEXT = {"error": "ข้อผิดพลาด (error)", "warning": "คำเตือน (warning)",
                 "notice": "แจ้งให้ทราบ (notice)"}


def _mistaken(workspace):
    """H6 is negative in Thai digits (an error and a notice), H7 out of range, K6 typed in
    English (a notice)."""
    return (workspace.clerk("1001").type("KR-1-01", "actual", "-๕")
            .type("KR-1-01", "status", "On Track").type("KR-1-02", "actual", 120))


def _feedback(workspace, tmp_path, clerk, folder="1001", name="report.xlsx", extra=()):
    """Sends the clerk's file, judges it with the real validator, writes its feedback."""
    source = workspace.send(clerk, folder, name)
    problems = (*only_verdict(workspace).problems, *extra)
    dest = tmp_path / "outputs" / "feedback" / "2569-Q2" / folder / f"{name}.feedback.xlsx"
    assert write_feedback(source, problems, dest) == dest
    return source, problems, dest


def _listed(dest: Path) -> list[tuple]:
    """The problem sheet's rows: severity, code, cell, Thai, English, value, expected."""
    sheet = load_workbook(dest)[SHEET_TITLE]
    return [tuple("" if v is None else v for v in row)
            for row in sheet.iter_rows(min_row=6, values_only=True)]


def _row_of(p: Problem) -> tuple:
    where = f"{p.sheet}!{p.cell}" if p.cell else "ทั้งไฟล์ / whole file"
    return (SEVERITY_TEXT[p.severity], p.code, where, p.message_th, p.message_en, p.value,
            p.expected)


def _values(book) -> dict[str, list]:
    return {sheet.title: [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def _validations(sheet) -> list[tuple]:
    return sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2,
                   dv.promptTitle, dv.prompt, dv.errorTitle, dv.error, dv.allow_blank,
                   dv.showErrorMessage, dv.showInputMessage)
                  for dv in sheet.data_validations.dataValidation)


def _addresses(cell_range) -> list[str]:
    return [f"{get_column_letter(col)}{row}" for row, col in cell_range.cells]


def test_each_problem_cell_is_filled_in_the_colour_of_its_most_severe_problem(
        workspace, tmp_path):
    warning = Problem("value-outlier-explained", "warning", DATA, "H8", "9000", "1250",
                      "ค่า 9000 ต่างจากค่าของเขตอื่นมากผิดปกติ", "The value 9000 is far off.")
    clerk = _mistaken(workspace).type("KR-1-01", "confidence", " high ")
    _, problems, dest = _feedback(workspace, tmp_path, clerk, extra=(warning,))
    sheet = load_workbook(dest)[DATA]
    assert {c: sheet[c].fill.start_color.rgb for c in ("H6", "H7", "H8", "L6")} == {
        "H6": RED, "H7": RED, "H8": AMBER, "L6": BLUE}
    worst = {}
    for p in sorted(problems, key=lambda p: p.sort_key):
        worst.setdefault(p.cell, FILLS[p.severity])
    marked = {c.coordinate: c.fill.start_color.rgb for row in sheet.iter_rows()
              for c in row if c.comment}
    assert marked == worst
    assert {c: sheet[c].fill.start_color.rgb for c in ("I9", "K9", "A6")} == {
        "I9": "FFFFF9DB", "K9": "FFFFF9DB", "A6": "FFE7E6E6"}  # the template's own fills


def test_each_problem_cell_has_one_comment_in_thai_then_english_most_severe_first(
        workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, _mistaken(workspace))
    negative = next(p for p in problems if p.code == "count-negative")
    read = next(p for p in problems if p.code == "normalized-number" and p.cell == "H6")
    comment = load_workbook(dest)[DATA]["H6"].comment
    assert comment.text == (f"ข้อผิดพลาด: {negative.message_th}\nerror: {negative.message_en}"
                            f"\n\nแจ้งให้ทราบ: {read.message_th}\nnotice: {read.message_en}")
    assert negative.message_th == "จำนวน -๕ ต้องไม่ติดลบ"
    assert comment.author == "ระบบตรวจรายงาน OKR"
    with zipfile.ZipFile(dest) as archive:  # openpyxl does not read a comment's size back
        shape = archive.read("xl/drawings/commentsDrawing1.vml").decode()
    assert "width:380px" in shape


def test_problems_in_merged_cells_are_marked_on_the_cell_that_shows(workspace, tmp_path):
    """The clerk merged two status cells and typed one word: K6 and K7 both read it."""
    clerk = workspace.clerk("1001").type("KR-1-01", "status", "ok")
    clerk.sheet.merge_cells("K6:K7")
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert [p.cell for p in problems if p.code == "status-invalid"] == ["K6", "K7"]
    book = load_workbook(dest)
    assert book.sheetnames[0] == SHEET_TITLE and DATA in book.sheetnames  # not the list alone
    sheet = book[DATA]
    assert sheet["K6"].fill.start_color.rgb == RED
    assert sheet["K6"].comment.text.count('สถานะ "ok" ไม่อยู่ในรายการ') == 2


def test_a_workbook_with_a_chart_sheet_the_clerk_added_is_still_marked(workspace, tmp_path):
    """A chart sheet has no cells: the marks go on the data sheet as ever."""
    clerk = workspace.clerk("1001").type("KR-1-01", "status", "ok")
    chart = BarChart()
    chart.add_data(Reference(clerk.sheet, min_col=8, min_row=6, max_row=9))
    clerk.book.create_chartsheet("กราฟ").add_chart(chart)
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert [p.cell for p in problems if p.code == "status-invalid"] == ["K6"]
    book = load_workbook(dest)
    assert book.sheetnames == [SHEET_TITLE, *clerk.book.sheetnames]  # not the list alone
    assert book[DATA]["K6"].fill.start_color.rgb == RED


def test_a_picture_the_clerk_pasted_is_kept_in_the_feedback(workspace, tmp_path):
    """A signature or a stamp pasted as a picture was dropped from the annotated copy (openpyxl
    reads pictures only with Pillow): sent back as it stood, the report came without it."""
    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    stamp = tmp_path / "stamp.png"
    Picture.new("RGB", (40, 20), (200, 30, 30)).save(stamp)
    clerk = workspace.clerk("1001").type("KR-1-01", "status", "ok")
    clerk.sheet.add_image(Image(str(stamp)), "O6")
    _, _, dest = _feedback(workspace, tmp_path, clerk)
    with zipfile.ZipFile(dest) as book:
        pictures = [name for name in book.namelist() if name.startswith("xl/media/")]
    assert len(pictures) == 1
    assert load_workbook(dest)[DATA]._images[0].anchor._from.col == 14  # O


def test_a_problem_in_a_row_or_column_the_clerk_hid_is_shown_again(workspace, tmp_path):
    """Rows of KRs "we don't do" hidden and left blank, and the confidence column hidden:
    the red cells the instruction points to could not be seen."""
    clerk = (workspace.clerk("1001").type("KR-1-02", "actual", 120)
             .type("KR-1-03", "confidence", "มั่นใจ"))
    clerk.sheet.row_dimensions[7].hidden = True
    clerk.sheet.row_dimensions[8].hidden = True
    clerk.sheet.row_dimensions[9].hidden = True  # no problem there: stays hidden
    clerk.sheet.column_dimensions.group("L", "M", hidden=True)  # one block, L marked
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert {p.cell for p in problems if p.severity == "error"} == {"H7", "L8"}
    sheet = load_workbook(dest)[DATA]
    assert [sheet.row_dimensions[row].hidden for row in (7, 8, 9)] == [False, False, True]
    shown = {c: not any(d.hidden for d in sheet.column_dimensions.values()
                        if d.min <= column_index_from_string(c) <= d.max) for c in "LM"}
    assert shown == {"L": True, "M": False}  # the whole block came back
    assert sheet["H7"].fill.start_color.rgb == RED


def test_the_instruction_names_the_sheet_the_marks_are_on(workspace, tmp_path):
    """The clerk renamed the data sheet: the instruction named the template's, which the
    workbook no longer has."""
    clerk = _mistaken(workspace)
    clerk.sheet.title = "ไตรมาส 2"
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert {p.sheet for p in problems if p.cell} == {"ไตรมาส 2"}
    sheet = load_workbook(dest)[SHEET_TITLE]
    assert (sheet["A3"].value, sheet["A4"].value) == (
        "แก้ไขช่องที่มีสีแดงในแผ่นงานไตรมาส 2 แล้วส่งไฟล์ที่แก้ไขแล้วในโฟลเดอร์ของเขตอีกครั้ง",
        "Fix the red cells of sheet ไตรมาส 2, then send the corrected file in your district's "
        "folder again.")


def test_the_problem_sheet_comes_first_and_lists_every_problem_by_severity(
        workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, _mistaken(workspace))
    book = load_workbook(dest)
    assert book.sheetnames == [SHEET_TITLE, "คำชี้แจง", DATA, "_meta"]
    assert book.active.title == SHEET_TITLE
    assert [s.title for s in book.worksheets if s.sheet_view.tabSelected] == [SHEET_TITLE]
    sheet = book[SHEET_TITLE]
    errors, warnings, notices = (sum(p.severity == s for p in problems)
                                 for s in ("error", "warning", "notice"))
    assert (errors, notices) == (2, 2)
    assert sheet["A1"].value == (f"ผลการตรวจแบบรายงาน: ข้อผิดพลาด 2 รายการ · "
                                 f"คำเตือน {warnings} · แจ้งให้ทราบ 2")
    assert sheet["A2"].value == f"Errors: 2 · warnings: {warnings} · notices: 2"
    assert sheet["A3"].value == (
        "แก้ไขช่องที่มีสีแดงในแผ่นงานรายงานผล แล้วส่งไฟล์ที่แก้ไขแล้วในโฟลเดอร์ของเขตอีกครั้ง")
    assert sheet["A4"].value == TO_FIX[1].format(sheet="รายงานผล")
    assert [c.value for c in sheet[5]] == [
        "ระดับ\nSeverity", "รหัสปัญหา\nCode", "ช่อง\nCell", "ปัญหา\nMessage (Thai)",
        "ปัญหา (ภาษาอังกฤษ)\nMessage (English)", "ค่าที่พบ\nValue found",
        "ค่าที่ควรเป็น\nExpected"]
    listed = _listed(dest)
    assert listed == [_row_of(p) for p in sorted(problems, key=lambda p: p.sort_key)]
    assert [row[0] for row in listed] == sorted(
        (row[0] for row in listed), key=list(SEVERITY_TEXT.values()).index)
    assert listed[0][:3] == ("ข้อผิดพลาด (error)", "count-negative", "รายงานผล!H6")
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A6", f"A5:G{5 + len(problems)}")
    assert {c.font.name for row in sheet.iter_rows() for c in row if c.value} == {FONT}


def test_each_listed_cell_links_to_its_cell_in_its_sheet(workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, _mistaken(workspace))
    sheet = load_workbook(dest)[SHEET_TITLE]
    links = [(c.hyperlink.location, c.hyperlink.target) for c in sheet["C"][5:]]
    assert links == [(f"'{DATA}'!{p.cell}", None)
                     for p in sorted(problems, key=lambda p: p.sort_key)]
    assert links[0] == ("'รายงานผล'!H6", None)


def test_the_clerks_data_is_unchanged_and_their_file_untouched(workspace, tmp_path):
    clerk = _mistaken(workspace).type("KR-1-03", "note", "ข้อมูลจากฝ่ายโยธา ณ 31 มี.ค.")
    source = workspace.send(clerk, "1001", "report.xlsx")
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    dest = tmp_path / "feedback" / "report.xlsx.feedback.xlsx"
    write_feedback(source, only_verdict(workspace).problems, dest)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    original, annotated = load_workbook(source), load_workbook(dest)
    assert _values(annotated) == {SHEET_TITLE: _values(annotated)[SHEET_TITLE],
                                  **_values(original)}
    assert annotated["_meta"].sheet_state == "veryHidden"
    assert list(dest.parent.iterdir()) == [dest]  # renamed into place, nothing left beside it


@pytest.mark.parametrize("saved_by", ["openpyxl", pytest.param("LibreOffice",
                                                               marks=needs_libreoffice)])
def test_the_templates_validations_and_protection_still_work(
        workspace, tmp_path, saved_by):
    source = workspace.send(_mistaken(workspace), "1001", "report.xlsx")
    if saved_by == "LibreOffice":
        source = convert(source, "xlsx", tmp_path / "lo-xlsx")
    dest = tmp_path / "report.xlsx.feedback.xlsx"
    write_feedback(source, only_verdict(workspace).problems, dest)
    before, after = load_workbook(source)[DATA], load_workbook(dest)[DATA]
    assert _validations(after) == _validations(before)
    kinds = workspace.registry.assigned("1001")["kr_type"]
    figures_date = 1  # the "data as of" cell
    by_cell = {cell: dv for dv in after.data_validations.dataValidation
               for cell_range in dv.sqref.ranges for cell in _addresses(cell_range)}
    assert len(by_cell) == 4 * len(kinds) + sum(kinds == "ratio") + figures_date
    status, actual = by_cell["K6"], by_cell["H6"]
    assert (status.type, status.formula1, status.error, status.showErrorMessage) == (
        "list", '"เป็นไปตามแผน,มีความเสี่ยง,ล่าช้ากว่าแผน"',
        "กรุณาเลือกจากรายการ: เป็นไปตามแผน, มีความเสี่ยง, ล่าช้ากว่าแผน", True)
    assert (actual.type, actual.operator, actual.formula1, actual.error) == (
        "decimal", "greaterThanOrEqual", "0", "กรุณากรอกตัวเลขที่ไม่ติดลบ")
    assert after.protection.sheet
    assert not after["H6"].protection.locked  # marked, and still the clerk's to edit
    assert after["A6"].protection.locked


def _type_text(clerk, kr_code: str, key: str, text: str):
    """Types text as a clerk does with a leading apostrophe: kept as text, not a formula."""
    clerk.type(kr_code, key, text)
    clerk.sheet.cell(clerk.rows[kr_code], clerk.columns[key]).data_type = "s"
    return clerk


def test_a_clerks_text_that_looks_like_a_formula_stays_text(workspace, tmp_path):
    clerk = _type_text(_type_text(workspace.clerk("1001"), "KR-1-01", "actual", "=SUM(A1)"),
                       "KR-1-01", "note", '=HYPERLINK("http://example.com","x")')
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert [(p.code, p.value) for p in problems if p.severity == "error"] == [
        ("not-a-number", "=SUM(A1)")]
    book = load_workbook(dest)
    assert (book[DATA]["H6"].value, book[DATA]["H6"].data_type) == ("=SUM(A1)", "s")
    assert (book[DATA]["M6"].value, book[DATA]["M6"].data_type) == (
        '=HYPERLINK("http://example.com","x")', "s")
    value = book[SHEET_TITLE]["F6"]
    assert (value.value, value.data_type) == ("=SUM(A1)", "s")
    with zipfile.ZipFile(dest) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_control_characters_in_a_value_are_shown_not_refused(tmp_path, workspace):
    source = workspace.clerk("1001").save(tmp_path / "report.xlsx")
    pasted = Problem("not-a-number", "error", DATA, "H6", "12\x0b5", "", '"12\x0b5" ไม่ใช่ตัวเลข',
                     '"12\x0b5" is not a number.')
    dest = write_feedback(source, [pasted], tmp_path / "report.xlsx.feedback.xlsx")
    book = load_workbook(dest)
    assert book[SHEET_TITLE]["F6"].value == "12\ufffd5"
    assert book[DATA]["H6"].comment.text.startswith('ข้อผิดพลาด: "12\ufffd5" ไม่ใช่ตัวเลข')


def test_a_file_sent_while_its_period_is_closed_is_not_asked_to_be_sent_again(workspace,
                                                                             tmp_path):
    """It was told to fix what is listed and send the file again, above "the period is closed,
    contact the strategy office": sent again, it was refused again, and once the period was
    reopened the same bytes were a file already judged."""
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", "สิบ")  # and another error
    _, problems, dest = _feedback(workspace, tmp_path, clerk,
                                  extra=(problem("period-closed", value="2569-Q2"),))
    assert [p.code for p in problems if p.severity == "error"] == ["not-a-number",
                                                                   "period-closed"]
    sheet = load_workbook(dest)[SHEET_TITLE]
    assert (sheet["A3"].value, sheet["A4"].value) == PERIOD_CLOSED
    assert PERIOD_CLOSED == (
        "รอบการรายงานนี้ปิดรับแล้ว ไม่ต้องส่งไฟล์นี้อีก หากต้องแก้ไขข้อมูล กรุณาติดต่อสำนักยุทธศาสตร์ฯ",
        "This period is closed: do not send this file again; to correct its figures, contact "
        "the strategy office.")


def test_a_file_level_problem_is_listed_for_the_whole_file_without_a_link(workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, workspace.clerk("1001"), folder="1002")
    assert [p.code for p in problems] == ["district-mismatch"]
    book = load_workbook(dest)
    (row,) = _listed(dest)
    assert row[:3] == ("ข้อผิดพลาด (error)", "district-mismatch", "ทั้งไฟล์ / whole file")
    assert row[3] == ("ไฟล์นี้เป็นแบบรายงานของเขต 1001 แต่ส่งมาในโฟลเดอร์ของเขต 1002 "
                      "แต่ละเขตส่งได้เฉพาะแบบรายงานของเขตตนเองในโฟลเดอร์ของตนเอง หากท่านเป็นเขต 1002 "
                      "กรุณากรอกแบบรายงานของเขต 1002 หากไฟล์นี้เป็นของเขต 1001 "
                      "ให้เขต 1001 ส่งในโฟลเดอร์ของเขต 1001")
    assert book[SHEET_TITLE]["A3"].value == (
        "แก้ไขตามรายการด้านล่าง แล้วส่งไฟล์ที่แก้ไขแล้วในโฟลเดอร์ของเขตอีกครั้ง")
    assert book[SHEET_TITLE]["A4"].value == FIX_LISTED[1]
    assert book[SHEET_TITLE]["C6"].hyperlink is None
    assert not [c for s in book.worksheets for r in s.iter_rows() for c in r if c.comment]


def test_an_accepted_file_with_notices_is_not_asked_to_be_sent_again(workspace, tmp_path):
    clerk = workspace.clerk("1001").type("KR-1-01", "confidence", " high ")
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    assert not any(p.severity == "error" for p in problems)
    sheet = load_workbook(dest)[SHEET_TITLE]
    assert (sheet["A3"].value, sheet["A4"].value) == ACCEPTED
    assert sheet["A3"].value == (
        "ไฟล์นี้ผ่านการตรวจแล้ว ไม่ต้องส่งใหม่ กรุณาตรวจดูรายการด้านล่างว่าถูกต้อง")
    assert load_workbook(dest)[DATA]["L6"].fill.start_color.rgb == BLUE


def _ods(workspace, tmp_path) -> tuple[Path, str]:
    xlsx = workspace.clerk("1001").type("KR-1-01", "actual", -5).save(tmp_path / "r.xlsx")
    return convert(xlsx, "ods", tmp_path / "lo-ods"), "report.ods"


def _text(workspace, tmp_path) -> tuple[Path, str]:
    note = tmp_path / "note.txt"
    note.write_text("รายงานผลไตรมาส 2 จะส่งภายหลัง", encoding="utf-8")
    return note, "report.xlsx"


@pytest.mark.parametrize("make", [pytest.param(_ods, marks=needs_libreoffice, id="ods"),
                                  pytest.param(_text, id="text-named-xlsx")])
def test_a_source_that_cannot_be_annotated_gets_the_problem_sheet_alone(
        workspace, tmp_path, make):
    made, name = make(workspace, tmp_path)
    source = workspace.drop(made, "1001", name)
    problems = only_verdict(workspace).problems
    assert problems
    dest = write_feedback(source, problems, tmp_path / f"{name}.feedback.xlsx")
    book = load_workbook(dest)
    assert book.sheetnames == [SHEET_TITLE]
    assert (book.active["A3"].value, book.active["A4"].value) == NOT_MARKED
    assert book.active["A3"].value == ("ระบบทำเครื่องหมายในไฟล์ที่ส่งมาไม่ได้ กรุณาแก้ไขตามรายการด้านล่าง "
                                       "แล้วส่งไฟล์ .xlsx ของแบบรายงานในโฟลเดอร์ของเขตอีกครั้ง")
    assert _listed(dest) == [_row_of(p) for p in sorted(problems, key=lambda p: p.sort_key)]
    assert all(c.hyperlink is None for c in book.active["C"])


def test_a_workbook_openpyxl_cannot_open_gets_the_problem_sheet_alone(workspace, tmp_path):
    source = workspace.send(_mistaken(workspace), "1001", "report.xlsx")
    problems = only_verdict(workspace).problems
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(source.read_bytes()[:4000])  # cut off in transfer
    dest = write_feedback(broken, problems, tmp_path / "broken.xlsx.feedback.xlsx")
    assert load_workbook(dest).sheetnames == [SHEET_TITLE]
    assert _listed(dest) == [_row_of(p) for p in sorted(problems, key=lambda p: p.sort_key)]


MAIN_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _with_macros(xlsx: Path, xlsm: Path) -> Path:
    """The clerk's workbook saved as a macro-enabled .xlsm with a VBA project in it."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w") as out:
        for item in src.namelist():
            data = src.read(item)
            if item == "[Content_Types].xml":
                data = data.replace(MAIN_XLSX, b"application/vnd.ms-excel.sheet.macroEnabled"
                                    b".main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>')
            elif item == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="'
                                    b'http://schemas.microsoft.com/office/2006/relationships/'
                                    b'vbaProject" Target="vbaProject.bin"/></Relationships>')
            out.writestr(item, data)
        out.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Module1\"")
    return xlsm


def test_a_macro_workbook_comes_back_as_xlsx_without_its_macros(workspace, tmp_path):
    xlsx = _mistaken(workspace).save(tmp_path / "clerk.xlsx")
    made = _with_macros(xlsx, tmp_path / "clerk.xlsm")
    source = workspace.drop(made, "1001", "report.xlsm")
    problems = only_verdict(workspace).problems
    dest = write_feedback(source, problems, tmp_path / "report.xlsm.feedback.xlsx")
    with zipfile.ZipFile(dest) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]
        assert MAIN_XLSX in archive.read("[Content_Types].xml")
    assert load_workbook(dest)[DATA]["H6"].fill.start_color.rgb == RED


def test_a_feedback_file_corrected_by_the_clerk_can_be_sent_back_as_it_is(workspace, tmp_path):
    _, _, first = _feedback(workspace, tmp_path, _mistaken(workspace))
    workspace.root.joinpath("inbox", "1001", "report.xlsx").unlink()  # the pipeline took it

    def correct(feedback: Path, cell: str, value, name: str) -> Path:
        book = load_workbook(feedback)  # the clerk opens the feedback and types over the cell
        book[DATA][cell] = value
        book.save(tmp_path / name)
        return workspace.drop(tmp_path / name, "1001", name)

    sent = correct(first, "H6", 5, "fixed-once.xlsx")
    problems = only_verdict(workspace).problems
    assert [(p.code, p.cell) for p in problems if p.severity == "error"] == [
        ("percent-out-of-range", "H7")]
    second = write_feedback(sent, problems, tmp_path / "second.feedback.xlsx")
    assert load_workbook(second).sheetnames == [SHEET_TITLE, "คำชี้แจง", DATA, "_meta"]
    # the corrected cell is the template's yellow again, its old error gone; H7 stays marked
    marked = load_workbook(second)[DATA]
    assert (marked["H6"].fill.fgColor.rgb, marked["H6"].comment) == ("FFFFF9DB", None)
    assert marked["H7"].fill.fgColor.rgb == RED
    assert marked["H7"].comment.text.startswith("ข้อผิดพลาด: ค่าร้อยละ 120")
    assert _listed(second) == [_row_of(p) for p in sorted(problems, key=lambda p: p.sort_key)]
    sent.unlink()
    correct(second, "H7", 85, "fixed-twice.xlsx")
    assert only_verdict(workspace).accepted


def _resent(workspace, tmp_path, feedback: Path, name: str, edit) -> Path:
    """The clerk opens the feedback, `edit`s it, saves it and sends it; returns the next
    feedback, written from the file as it came."""
    book = load_workbook(feedback)
    edit(book)
    book.save(tmp_path / name)
    sent = workspace.drop(tmp_path / name, "1001", name)
    return write_feedback(sent, only_verdict(workspace).problems, tmp_path / f"{name}.fb.xlsx")


def _marks(feedback: Path) -> dict[str, str]:
    sheet = load_workbook(feedback)[DATA]
    return {cell.coordinate: cell.fill.fgColor.rgb for row in sheet.iter_rows() for cell in row
            if cell.comment is not None or cell.fill.fgColor.rgb == RED}


def test_marks_go_when_the_clerk_deleted_the_problem_list_before_sending_back(
        workspace, tmp_path):
    """The old marks were taken away only while the list of problems was still in the file:
    without it, H6, corrected, stayed red with its old error beside the one left (H7)."""
    _, _, first = _feedback(workspace, tmp_path, _mistaken(workspace))
    workspace.root.joinpath("inbox", "1001", "report.xlsx").unlink()  # the pipeline took it
    assert set(_marks(first)) == {"H6", "H7", "K6"}  # K6: a notice, "On Track" typed

    def fix_h6_and_drop_the_list(book):
        book[DATA]["H6"] = 5
        book.remove(book[SHEET_TITLE])

    second = _resent(workspace, tmp_path, first, "fixed.xlsx", fix_h6_and_drop_the_list)
    assert _marks(second) == {"H7": RED, "K6": BLUE}
    assert load_workbook(second)[DATA]["H6"].fill.fgColor.rgb == "FFFFF9DB"


@needs_libreoffice
def test_marks_go_from_a_feedback_saved_again_in_libreoffice(workspace, tmp_path):
    """LibreOffice saves a comment without its author, by which the marks were known: every
    cell corrected in LibreOffice stayed red, even in the feedback of an accepted file."""
    _, _, first = _feedback(workspace, tmp_path, _mistaken(workspace))
    workspace.root.joinpath("inbox", "1001", "report.xlsx").unlink()
    book = load_workbook(first)
    book[DATA]["H6"] = 5
    book.save(tmp_path / "edited.xlsx")
    resaved = convert(tmp_path / "edited.xlsx", "xlsx", tmp_path / "lo")
    assert load_workbook(resaved)[DATA]["H7"].comment.author != AUTHOR  # as LibreOffice saves
    sent = workspace.drop(resaved, "1001", "fixed.xlsx")
    second = write_feedback(sent, only_verdict(workspace).problems, tmp_path / "second.xlsx")
    assert set(_marks(second)) == {"H7", "K6"}
    assert load_workbook(second)[DATA]["H7"].comment.text.startswith("ข้อผิดพลาด: ค่าร้อยละ 120")


@needs_libreoffice
def test_libreoffice_opens_and_prints_a_feedback_workbook(workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, _mistaken(workspace))
    squeezed = pdf_text(convert(dest, "pdf", tmp_path / "lo-pdf"))
    out_of_range = next(p for p in problems if p.code == "percent-out-of-range")
    assert "ผลการตรวจแบบรายงาน:ข้อผิดพลาด2รายการ" in squeezed
    assert "".join(out_of_range.message_th.split()) in squeezed
    assert "ค่าร้อยละ120ต้องอยู่ระหว่าง0ถึง100" in squeezed
    assert "รายงานผล!H7" in squeezed


@needs_libreoffice
def test_marks_and_links_survive_a_libreoffice_round_trip(workspace, tmp_path):
    _, problems, dest = _feedback(workspace, tmp_path, _mistaken(workspace))
    book = load_workbook(convert(dest, "xlsx", tmp_path / "lo-xlsx"))
    annotated = load_workbook(dest)
    assert book.sheetnames[0] == SHEET_TITLE
    assert book.active.title == SHEET_TITLE
    data = book[DATA]
    for cell in {p.cell for p in problems}:
        assert data[cell].fill.start_color.rgb == annotated[DATA][cell].fill.start_color.rgb
        assert data[cell].comment.text == annotated[DATA][cell].comment.text
    assert data["H6"].fill.start_color.rgb == RED
    assert data["H6"].comment.text.startswith("ข้อผิดพลาด: จำนวน -๕ ต้องไม่ติดลบ\nerror: ")
    assert [c.hyperlink.location for c in book[SHEET_TITLE]["C"][5:]] == [
        f"'{DATA}'!{p.cell}" for p in sorted(problems, key=lambda p: p.sort_key)]
    assert len(data.data_validations.dataValidation) == len(
        annotated[DATA].data_validations.dataValidation)
    assert _listed(dest) == [tuple("" if v is None else v for v in row)
                             for row in book[SHEET_TITLE].iter_rows(min_row=6, values_only=True)]


def test_a_figure_merged_over_the_next_key_result_is_refused_at_the_cell_it_took(
        workspace, tmp_path):
    """Excel keeps the top figure of a merge alone: KR-1-02 read KR-1-01's 40 as its own, and
    it was stored. A status merged the same way may mean the same for both (test above)."""
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", 40).type("KR-1-02", "actual", 7)
    clerk.sheet.merge_cells("H6:H7")
    _, problems, dest = _feedback(workspace, tmp_path, clerk)
    (merged,) = [p for p in problems if p.code == "figure-merged"]
    assert (merged.severity, merged.cell, merged.value) == ("error", "H7", "H6:H7")
    assert merged.message_th == (
        "ช่อง H6:H7 ถูกผสานเซลล์ (Merge) ข้ามแถวของตัวชี้วัดหลายตัว ระบบจึงอ่านค่าในช่องแรกเป็นค่าของ"
        "ทุกแถว กรุณายกเลิกการผสานเซลล์ แล้วกรอกค่าของแต่ละตัวชี้วัดในแถวของตัวเอง")
    assert f"{DATA}!H7" in [row[2] for row in _listed(dest)]
    comment = load_workbook(dest)[DATA]["H6"].comment.text  # the cell that shows
    assert comment.count("ช่อง H6:H7 ถูกผสานเซลล์") == 1


def test_a_figure_merged_with_the_blank_row_below_the_table_is_read(workspace):
    """A merge that takes no other KR's row loses nothing: accepted, the figure stored."""
    clerk = workspace.clerk("1001")
    last = clerk.sheet.max_row
    assert clerk.sheet[f"A{last}"].value == "KR-9-06"  # the last KR, its figure typed
    typed = clerk.sheet[f"H{last}"].value
    clerk.sheet.merge_cells(f"H{last}:H{last + 1}")
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert verdict.facts.set_index("kr_code").at["KR-9-06", "actual"] == typed
