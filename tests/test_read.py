"""Reading submissions: the data sheet read as the clerk sees it, whatever its layout; limits
applied before parsing (size, zip directory, encryption) and during it (time, in worker
processes); a file the reader cannot handle is refused, never a crash.

District 1001's template: title rows 1–2, machine keys in hidden row 3, Thai headers in row 4,
English headers in row 5, KR-1-01 … from row 6 (KR-1-03 on row 8); columns A kr_code …
H actual, I numerator, J denominator, K status, L confidence, M note.
"""

import operator
import re
import signal
import struct
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl.styles import PatternFill
from python_calamine import CalamineWorkbook

from pipeline import workers
from pipeline.discover import sha256_of
from pipeline.ods_sheet import ods_sheet
from pipeline.read import read_all, read_submission
from pipeline.settings import Limits
from pipeline.values import Arrival
from schemas import template_layout as layout
from tests.builders import ClerkWorkbook, Workspace
from tests.builders.libreoffice import convert, needs_libreoffice
from tests.judging import found, judge_inbox, only_verdict

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realworld"
DATA = layout.DATA_SHEET
COLUMNS = list(layout.COLUMN_KEYS)  # the template's columns, in order
REQUIRED = ["kr_code", *layout.INPUT_KEYS]
KEYS = REQUIRED  # what is read back: the template's own text (names, unit, target) is not
LETTERS = {key: "ABCDEFGHIJKLM"[COLUMNS.index(key)] for key in KEYS}


def arrival(path: Path, folder: str = "1001") -> Arrival:
    return Arrival(path, folder, path.name, sha256_of(path), path.stat().st_size,
                   datetime(2026, 4, 1, tzinfo=UTC))


def read(path: Path, limits: Limits | None = None):
    return read_submission(arrival(path), limits or Limits())


def table(raw) -> list[dict]:
    """The data rows as typed, wherever in the sheet they sit."""
    columns = [raw.data[key] for key in KEYS]
    return [dict(zip(KEYS, cells, strict=True)) for cells in zip(*columns, strict=True)]


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    return path


@pytest.fixture(scope="module")
def filled(tmp_path_factory, registry, reference, template_root) -> Path:
    """District 1001's template filled by an honest clerk, once for this module."""
    root = tmp_path_factory.mktemp("read")
    clerk = Workspace(root, registry, reference, template_root).clerk("1001")
    return clerk.save(root / "original.xlsx")


@pytest.fixture(scope="module")
def original(filled):
    """What the clerk's file reads to in the template's own layout."""
    return read(filled)


@pytest.fixture
def clerk(filled):
    """The clerk opening their filled file again, to edit it."""
    return ClerkWorkbook(filled)


def test_the_template_as_filled_reads_each_kr_on_its_row(original, registry):
    assert original.problems == ()
    assert original.sheet == DATA
    assert original.metadata["district_code"] == "1001"
    assert original.cells == LETTERS
    assigned = registry.assigned("1001")["kr_code"].tolist()
    assert original.data["kr_code"] == assigned
    assert original.row_numbers == list(range(6, 6 + len(assigned)))


def test_a_column_s_repeated_words_are_held_once_and_equal_values_keep_their_types(
        clerk, tmp_path):
    """Six hundred files of a year arrive in the run at once: the status a clerk picks on
    every row must not be a string a row. A TRUE typed where a 1 sits stays TRUE."""
    first, second, third = clerk.kr_codes[:3]
    clerk.type(first, "actual", True).type(second, "actual", 1).type(third, "actual", 1.0)
    raw = read(clerk.save(tmp_path / "mixed.xlsx"))
    statuses = raw.data["status"]
    assert len(set(statuses)) < len(statuses)
    assert len({id(status) for status in statuses}) == len(set(statuses))
    actual = dict(zip(raw.data["kr_code"], raw.data["actual"], strict=True))
    assert [(type(actual[kr]), actual[kr]) for kr in (first, second, third)] == [
        (bool, True), (float, 1.0), (float, 1.0)]


def test_the_cells_cross_from_a_reader_process_packed_and_read_the_same(filled, original):
    """They cross as one bytes object a file and are unpacked where they are read, each time:
    the run holds a year's cells as a few hundred objects, and a process judging some of them
    holds only those. A status is still one string a file."""
    (crossed,) = read_all([arrival(filled)], Limits())
    assert crossed.data == original.data
    assert crossed.data.unpacked() is not crossed.data.unpacked()
    assert original.data.unpacked() is original.data.unpacked()
    statuses = crossed.data["status"]
    assert len({id(status) for status in statuses}) == len(set(statuses)) < len(statuses)


# Layouts edited by the clerk in a spreadsheet program (openpyxl stands in for it).

def test_rows_inserted_above_the_header_only_move_the_row_numbers(clerk, original, tmp_path):
    clerk.sheet.insert_rows(1, amount=3)
    raw = read(clerk.save(tmp_path / "moved.xlsx"))
    assert raw.problems == ()
    assert table(raw) == table(original)
    assert raw.row_numbers == [row + 3 for row in original.row_numbers]
    assert raw.cells == LETTERS


def test_a_header_pushed_below_row_20_is_not_found(clerk, tmp_path):
    clerk.sheet.insert_rows(1, amount=20)
    raw = read(clerk.save(tmp_path / "too-low.xlsx"))
    assert [(p.code, p.sheet) for p in raw.problems] == [("column-missing", DATA)] * 7
    assert raw.problems[0].message_th == (
        "ไม่พบคอลัมน์ รหัสตัวชี้วัด (KR code) ในแผ่นงานรายงานผล กรุณาอย่าลบหรือเปลี่ยนชื่อคอลัมน์")


def test_without_the_machine_key_row_columns_are_found_by_their_headers(
        clerk, original, tmp_path):
    clerk.sheet.delete_rows(layout.KEY_ROW)
    raw = read(clerk.save(tmp_path / "no-keys.xlsx"))
    assert raw.problems == ()
    assert table(raw) == table(original)
    assert raw.row_numbers == [row - 1 for row in original.row_numbers]


def test_extra_columns_blank_rows_and_trailing_formatting_are_ignored(clerk, original, tmp_path):
    sheet = clerk.sheet
    sheet.insert_cols(8)  # before the actual: H is now the clerk's own column
    sheet.cell(layout.HEADER_TH_ROW, 8).value = "ผู้บันทึกข้อมูล"
    for row in clerk.rows.values():
        sheet.cell(row, 8).value = "นางสาวสมศรี"
    sheet.insert_rows(8, amount=2)
    for col in range(1, 15):
        sheet.cell(300, col).fill = PatternFill("solid", fgColor="FFF9DB")
    sheet.cell(301, 9).value = "   "
    raw = read(clerk.save(tmp_path / "extra.xlsx"))
    assert raw.problems == ()
    assert table(raw) == table(original)
    assert raw.cells["actual"] == "I" and raw.cells["note"] == "N"
    assert raw.row_numbers[:3] == [6, 7, 10]


def test_a_merged_cell_reads_as_its_top_left_value_in_every_cell(clerk, tmp_path):
    clerk.type("KR-1-01", "status", "เป็นไปตามแผน")
    clerk.sheet.merge_cells("K6:K7")
    raw = read(clerk.save(tmp_path / "merged.xlsx"))
    statuses = dict(zip(raw.data["kr_code"], raw.data["status"], strict=True))
    assert statuses["KR-1-01"] == statuses["KR-1-02"] == "เป็นไปตามแผน"


def test_a_renamed_data_sheet_is_found_by_its_headers(clerk, original, tmp_path):
    clerk.sheet.title = "Sheet1"
    raw = read(clerk.save(tmp_path / "renamed.xlsx"))
    assert raw.problems == ()
    assert raw.sheet == "Sheet1"
    assert table(raw) == table(original)


def test_a_workbook_renamed_to_another_extension_is_read_by_its_content(
        clerk, original, tmp_path):
    raw = read(clerk.save(tmp_path / "report.xls"))
    assert raw.problems == ()
    assert table(raw) == table(original)


# Layouts made by another tool (xlsxwriter stands in for it), the template's metadata kept.

def template_grid(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DATA).to_python(
        skip_empty_area=False)


def write_layout(path: Path, metadata: dict, grid: list[list], sheet: str = DATA,
                 formulas: dict | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet(sheet)
    for row0, row in enumerate(grid):
        for col0, value in enumerate(row):
            if isinstance(value, str) and value:
                data.write_string(row0, col0, value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                data.write_number(row0, col0, value)
    for cell, (formula, value) in (formulas or {}).items():
        data.write_formula(cell, formula, None, value)
    meta = book.add_worksheet(layout.META_SHEET)
    for row0, (key, value) in enumerate(metadata.items()):
        meta.write_string(row0, 0, key)
        meta.write_string(row0, 1, value)
    meta.very_hidden()
    book.close()
    return path


def test_columns_in_another_order_are_found_by_their_machine_key(original, tmp_path):
    grid = [list(reversed(row)) for row in template_grid(original.arrival.path)]
    raw = read(write_layout(tmp_path / "reversed.xlsx", original.metadata, grid))
    assert raw.problems == ()
    assert table(raw) == table(original)
    assert raw.cells == {key: "MLKJIHGFEDCBA"[COLUMNS.index(key)] for key in KEYS}


def test_english_headers_alone_are_enough_in_any_order(original, tmp_path):
    grid = template_grid(original.arrival.path)
    actual, note = COLUMNS.index("actual"), COLUMNS.index("note")
    for row in grid:
        row[actual], row[note] = row[note], row[actual]
    del grid[layout.KEY_ROW - 1:layout.HEADER_TH_ROW]  # the key row and the Thai headers
    raw = read(write_layout(tmp_path / "english.xlsx", original.metadata, grid))
    assert raw.problems == ()
    assert table(raw) == table(original)
    assert (raw.cells["actual"], raw.cells["note"]) == ("M", "H")


@pytest.mark.parametrize("aliases", [
    {"kr_code": "รหัส KR", "actual": "ผลงาน", "note": "หมายเหตุ"},
    {"kr_code": "รหัส KR", "actual": "ผลการดำเนินการ", "note": "Remarks"},
    {"kr_code": "KR code", "actual": "Actual value", "note": "หมายเหตุ"},
], ids=lambda aliases: "+".join(aliases.values()))
def test_headers_that_clerks_and_other_tools_write_are_known(original, tmp_path, aliases):
    grid = template_grid(original.arrival.path)
    header = grid[layout.HEADER_TH_ROW - 1]
    for key, alias in aliases.items():
        header[COLUMNS.index(key)] = alias
    del grid[layout.HEADER_EN_ROW - 1]
    del grid[layout.KEY_ROW - 1]
    raw = read(write_layout(tmp_path / "aliases.xlsx", original.metadata, grid))
    assert raw.problems == ()
    assert table(raw) == table(original)


def test_a_formula_is_read_by_its_cached_value(original, tmp_path):
    grid = template_grid(original.arrival.path)
    raw = read(write_layout(tmp_path / "formula.xlsx", original.metadata, grid,
                            formulas={"H8": ("=100+95", 195)}))
    assert raw.problems == ()
    assert raw.data["actual"][raw.row_numbers.index(8)] == 195.0


def test_a_formula_without_a_cached_value_is_refused_at_its_cell(clerk, workspace):
    clerk.type("KR-1-03", "actual", "=100+95")  # openpyxl stores no value for a formula
    clerk.type("KR-1-01", "baseline", "=0+0")  # not an input cell: not the clerk's to fix
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert found(verdict) == [("error", "formula-no-value", "H8")]
    (problem,) = verdict.problems
    assert problem.sheet == DATA
    assert problem.message_th == (
        "ช่องนี้เป็นสูตรที่ยังไม่มีค่าที่คำนวณไว้ กรุณาเปิดไฟล์ใน Excel แล้วบันทึกอีกครั้งก่อนส่ง")
    assert problem.message_en == (
        "This cell holds a formula with no computed value; open the file in Excel and save it "
        "again before sending.")


def _sheets_rewritten(source: Path, dest: Path, change) -> Path:
    """The workbook with the XML of each of its worksheets passed through `change`."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in book.infolist():
            data = book.read(entry)
            if entry.filename.startswith("xl/worksheets/sheet"):
                data = change(data.decode()).encode()
            out.writestr(entry, data)
    return dest


def _prefixed(xml: str) -> str:
    """The sheet as tools on the OpenXML SDK write it: every element named with an x: prefix."""
    xml = re.sub(r"<(/?)(\w+)(?=[\s/>])", r"<\1x:\2", xml)
    return xml.replace(' xmlns="', ' xmlns:x="', 1)


def test_a_formula_without_a_value_is_found_in_a_sheet_of_prefixed_tags(clerk, tmp_path):
    clerk.type("KR-1-03", "actual", "=100+95")
    plain = clerk.save(tmp_path / "plain.xlsx")
    raw = read(_sheets_rewritten(plain, tmp_path / "prefixed.xlsx", _prefixed))
    assert [(p.code, p.sheet, p.cell) for p in raw.problems] == [
        ("formula-no-value", DATA, "H8")]


def test_a_formula_without_a_value_is_found_below_notes_full_of_the_letter_f(clerk, tmp_path):
    """The letter f is looked for first, and the tags' starts once too many f's are in text."""
    *above, last = clerk.kr_codes
    note = "fifty staff offices of the fire and flood force briefed, after a field day; " * 6
    for code in above:
        clerk.type(code, "note", note)
    clerk.type(last, "actual", "=100+95")
    path = clerk.save(tmp_path / "notes.xlsx")
    with zipfile.ZipFile(path) as book:
        sheet = next(xml for xml in map(book.read, book.namelist()) if b"<f>100+95" in xml)
    assert sheet.count(b"f", 0, sheet.find(b"<f>")) > 4096  # more than are looked at one by one
    cell = f"H{clerk.rows[last]}"
    assert [(p.code, p.cell) for p in read(path).problems] == [("formula-no-value", cell)]
    prefixed = _sheets_rewritten(path, tmp_path / "prefixed.xlsx", _prefixed)  # <x:f>
    assert [(p.code, p.cell) for p in read(prefixed).problems] == [("formula-no-value", cell)]


@needs_libreoffice
def test_a_formula_whose_value_was_dropped_after_libreoffice_saved_it_is_found(
        clerk, tmp_path):
    clerk.type("KR-1-03", "actual", "=100+95")
    saved = convert(clerk.save(tmp_path / "report.xlsx"), "xlsx", tmp_path / "libreoffice")
    assert read(saved).problems == ()  # LibreOffice computed and cached 195
    # a script editing LibreOffice's file keeps its <f aca="false"> and loses the value
    dropped = _sheets_rewritten(saved, tmp_path / "dropped.xlsx", lambda xml: re.sub(
        r"(<f aca=\"false\">100\+95</f>)<v>195</v>", r"\1", xml))
    assert [(p.code, p.cell) for p in read(dropped).problems] == [("formula-no-value", "H8")]


def test_an_error_value_pasted_into_a_cell_is_refused_at_its_cell(clerk, tmp_path):
    """calamine reads an error cell as empty: the figure would vanish, or be called blank."""
    plain = clerk.save(tmp_path / "plain.xlsx")
    pasted = _sheets_rewritten(plain, tmp_path / "pasted.xlsx", lambda xml: re.sub(
        r'<c r="H8"[^>]*?(/>|>.*?</c>)', '<c r="H8" t="e"><v>#N/A</v></c>', xml))
    (problem,) = read(pasted).problems
    assert (problem.code, problem.sheet, problem.cell, problem.value) == (
        "cell-error", DATA, "H8", "#N/A")
    assert problem.message_th == (
        "ช่องนี้แสดงค่าผิดพลาด #N/A ระบบจึงอ่านตัวเลขไม่ได้ กรุณาแก้สูตรหรือพิมพ์ตัวเลขแทน")
    assert problem.message_en == (
        "This cell shows the error #N/A, which is not a figure; correct the formula or type "
        "the figure.")


@needs_libreoffice
@pytest.mark.parametrize("saved_as", ["xlsx", "xls", "ods"])
def test_a_formula_that_computes_to_an_error_is_refused_at_its_cell(clerk, workspace, tmp_path,
                                                                    saved_as):
    """Saved as .xls or .ods, the errors were read as blank cells: explained by a note, the
    file was accepted with no figure for them."""
    clerk.type("KR-1-03", "actual", "=100/0").type("KR-1-03", "note", "ยอดรวมจากแผ่นงานย่อย")
    clerk.type("KR-1-01", "actual", "=NA()").type("KR-1-01", "note", "รอข้อมูล")
    saved = convert(clerk.save(tmp_path / "report.xlsx"), saved_as, tmp_path / "libreoffice")
    workspace.drop(saved, "1001", saved.name)
    verdict = only_verdict(workspace)
    # not blanks explained by a note
    assert [(*p, problem.value) for p, problem in zip(found(verdict), verdict.problems,
                                                      strict=True)] == [
        ("error", "cell-error", "H6", "#N/A"), ("error", "cell-error", "H8", "#DIV/0!")]


# Saved by LibreOffice, as .xls, .ods and .xlsx.

@needs_libreoffice
def test_a_workbook_saved_by_libreoffice_as_xls_ods_or_xlsx_reads_the_same(
        clerk, workspace, tmp_path):
    clerk.type("KR-1-01", "status", "เป็นไปตามแผน")
    clerk.sheet.merge_cells("K6:K7")
    source = clerk.save(tmp_path / "report.xlsx")
    original = read(source)
    with ThreadPoolExecutor(3) as pool:
        copies = list(pool.map(lambda fmt: convert(source, fmt, tmp_path / fmt),
                               ["xls", "ods", "xlsx"]))
    for path in copies:
        raw = read(path)
        assert raw.problems == (), path.name
        assert raw.metadata == original.metadata, path.name
        assert raw.cells == original.cells, path.name
        assert table(raw) == table(original), path.name
        assert raw.row_numbers == original.row_numbers, path.name
        workspace.drop(path, "1001", f"saved-by-libreoffice-{path.parent.name}{path.suffix}")
    assert [v.accepted for v in judge_inbox(workspace)] == [True] * 3


def test_an_ods_percentage_written_once_for_a_run_of_cells_is_read_where_the_sheet_was(
        tmp_path):
    """LibreOffice writes equal neighbours once, repeated: each shows the percentage, as far as
    calamine read the sheet and no further (a run may repeat to the sheet's last row)."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    cell = ('<table:table-cell office:value-type="percentage" office:value="0.855" '
            'table:number-columns-repeated="{}"/>')
    content = (
        f'<office:document-content xmlns:table="{table}" xmlns:office="{office}">'
        '<office:body><office:spreadsheet><table:table table:name="other">'
        f'<table:table-row>{cell.format(1)}</table:table-row></table:table>'
        '<table:table table:name="รายงานผล">'
        '<table:table-row><table:table-cell table:number-columns-spanned="2"/>'
        '<table:covered-table-cell/><table:table-cell office:value-type="float" '
        'office:value="0.5"/></table:table-row>'
        f'<table:table-row table:number-rows-repeated="1048575"><table:table-cell/>'
        f'{cell.format(16383)}</table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "runs.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", content)
    merged, shown = ods_sheet(path, "รายงานผล", rows=3, columns=3)
    assert merged == [((0, 0), (0, 1))]
    assert shown == [(1, 1, "percent", "85.5%"), (1, 2, "percent", "85.5%"),
                     (2, 1, "percent", "85.5%"), (2, 2, "percent", "85.5%")]


# Refused before parsing.

def test_a_zip_whose_directory_claims_too_much_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(1 << 20))
    data = bytearray(path.read_bytes())
    last_entry = data.rindex(b"PK\x01\x02")  # central directory record of sheet1.xml
    struct.pack_into("<I", data, last_entry + 24, 300 << 20)  # says: unpacks to 300 MB
    path.write_bytes(data)
    (problem,) = read(path).problems
    assert (problem.code, problem.value, problem.expected) == (
        "archive-too-large", "300 MB", "200 MB")
    assert problem.message_th == (
        "ไฟล์นี้เมื่อขยายแล้วใหญ่เกินกว่าที่รับได้ (300 MB; รับได้ไม่เกิน 200 MB) "
        "อาจเป็นไฟล์ที่เสียหาย กรุณาบันทึกใหม่จากแบบรายงาน")


def test_a_zip_of_too_many_entries_is_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(2001):
            archive.writestr(f"xl/media/image{number}.png", b"")
    (problem,) = read(path).problems
    assert problem.code == "archive-too-large"
    assert problem.message_en == (
        "Unpacked, the file is larger than accepted (2,001 entries; at most 2,000 entries); "
        "it may be damaged: save it again from the template.")


def test_the_limits_of_a_settings_object_apply(original):
    limits = Limits(max_unpacked_bytes=10 * 1024)
    (problem,) = read(original.arrival.path, limits).problems
    assert (problem.code, problem.expected) == ("archive-too-large", "10 KB")


@pytest.mark.parametrize("relative", [
    "python-calamine/password.xlsx",  # OOXML encrypted: an OLE2 file holding EncryptedPackage
    "apache-poi/password.xls",  # BIFF8 with a FILEPASS record (RC4)
    "sheetjs-test_files/password_2002_40_xor.xls",  # FILEPASS, XOR obfuscation
    "calamine/pass_protected.ods",  # the manifest lists encryption data
])
def test_a_password_protected_workbook_is_refused_as_encrypted(relative):
    (problem,) = read(corpus_file(relative)).problems
    assert problem.code == "file-encrypted"
    assert problem.message_th == (
        "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบจึงเปิดอ่านไม่ได้ กรุณาบันทึกใหม่โดยไม่ตั้งรหัสผ่านแล้วส่งอีกครั้ง")


# Bounded in time, in worker processes.

def slow_workbook(template: Path, path: Path) -> Path:
    """The template with its data sheet replaced by four million numbers: small on disk,
    seconds for calamine to parse."""
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           "<sheetData>" + ("<row>" + "<c><v>1</v></c>" * 20 + "</row>") * 200_000
           + "</sheetData></worksheet>")
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            slow = entry.filename == "xl/worksheets/sheet2.xml"  # the data sheet
            target.writestr(entry, xml if slow else source.read(entry))
    return path


def test_a_file_that_reads_too_long_is_cut_off_and_the_others_still_read(original, tmp_path):
    slow = slow_workbook(original.arrival.path, tmp_path / "slow.xlsx")
    started = time.monotonic()
    raws = read_all([arrival(slow), original.arrival, arrival(slow), original.arrival],
                    Limits(read_seconds=0.5))
    assert time.monotonic() - started < 10
    assert [[p.code for p in raw.problems] for raw in raws] == [["read-timeout"], [],
                                                                ["read-timeout"], []]
    assert raws[0].problems[0].message_th == (
        "อ่านไฟล์ไม่เสร็จภายใน 0.5 วินาที อาจเป็นไฟล์ที่เสียหาย กรุณาบันทึกใหม่จากแบบรายงาน")
    assert table(raws[1]) == table(raws[3]) == table(original)


def test_a_reader_crash_is_refused_in_its_file_alone(original, tmp_path):
    panicking = corpus_file("apache-poi/Simple.xlsb")  # calamine panics on it
    text = tmp_path / "report.xlsx"
    text.write_text("รายงานผลไตรมาส 2 จะส่งภายหลัง", encoding="utf-8")
    raws = read_all([arrival(panicking), original.arrival, arrival(text)], Limits())
    assert [(p.code, p.value) for p in raws[0].problems] == [
        ("not-a-spreadsheet", "PanicException")]
    assert raws[1].problems == () and table(raws[1]) == table(original)
    assert [p.code for p in raws[2].problems] == ["not-a-spreadsheet"]
    assert [raw.arrival for raw in raws] == [arrival(panicking), original.arrival,
                                             arrival(text)]


def test_the_same_crash_read_in_process_is_refused_too():
    (problem,) = read(corpus_file("apache-poi/Simple.xlsb")).problems
    assert (problem.code, problem.value) == ("not-a-spreadsheet", "PanicException")


def test_no_file_starts_no_process(monkeypatch):
    def no_worker(*args):
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(workers, "_Worker", no_worker)
    assert read_all([], Limits()) == []


def test_workers_replace_one_killed_or_dead_and_go_on():
    tasks = [partial(str.upper, "a"), partial(time.sleep, 30), partial(str.upper, "b"),
             partial(signal.raise_signal, signal.SIGKILL), partial(str.upper, "c"),
             partial(int, "not a number"), partial(str.upper, "d")]
    outcomes = workers.call_all(operator.call, tasks, seconds=0.5)
    assert [(o.value, o.failure) for o in outcomes] == [
        ("A", ""), (None, workers.TIMEOUT), ("B", ""), (None, "SIGKILL"), ("C", ""),
        (None, "ValueError"), ("D", "")]



def test_items_queued_behind_a_timeout_or_a_crash_are_read_by_the_next_worker():
    tasks = [partial(time.sleep, 30), partial(str.upper, "a"), partial(str.upper, "b"),
             partial(signal.raise_signal, signal.SIGKILL), partial(str.upper, "c")]
    outcomes = workers.call_all(operator.call, tasks, seconds=0.5, workers=1)
    assert [(o.value, o.failure) for o in outcomes] == [
        (None, workers.TIMEOUT), ("A", ""), ("B", ""), (None, "SIGKILL"), ("C", "")]

def _with_macros(source: Path, vba_from: Path, dest: Path) -> Path:
    """The clerk's workbook made macro-enabled, as Excel saves it with a VBA project inside."""
    with zipfile.ZipFile(vba_from) as donor:
        vba = donor.read("xl/vbaProject.bin")
    with zipfile.ZipFile(source) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace("<Default ", '<Default Extension="bin" '
                          'ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
    rels = parts["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
        'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts.update({"[Content_Types].xml": types.encode(), "xl/vbaProject.bin": vba,
                  "xl/_rels/workbook.xml.rels": rels.encode()})
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return dest


def test_a_macro_enabled_workbook_is_read_without_running_anything(filled, original, tmp_path):
    xlsm = _with_macros(filled, corpus_file("apache-poi/SimpleMacro.xlsm"),
                        tmp_path / "report.xlsm")
    with zipfile.ZipFile(xlsm) as book:
        assert "xl/vbaProject.bin" in book.namelist()
    raw = read(xlsm)
    assert raw.problems == ()
    assert table(raw) == table(original)
