"""District templates: one workbook per district, one row per assigned KR, hard to fill wrongly.

The templates are opened as a clerk's Excel would see them (openpyxl for protection, validation
and print setup; calamine for quick reads of all 50). Data sheet columns: A kr_code,
B Thai name, C English name, D unit, E how to report, F baseline, G target, H actual,
I numerator, J denominator, K status, L confidence, M note.
"""

import dataclasses
import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from python_calamine import CalamineWorkbook

from pipeline.periods import parse_period
from pipeline.settings import DEFAULT_SIGNING_KEY
from pipeline.signature import verify
from pipeline.templates import write_templates
from tests.builders import registry_frames

DATA_SHEET = "รายงานผล"
KEYS = ["kr_code", "kr_name_th", "kr_name_en", "unit", "kr_type", "baseline", "target",
        "actual", "numerator", "denominator", "status", "confidence", "note"]
HEADERS_TH = ["รหัสตัวชี้วัด", "ตัวชี้วัดผลหลัก (KR)", "ชื่อภาษาอังกฤษ", "หน่วยนับ", "ประเภทการรายงาน",
              "ค่าฐาน", "ค่าเป้าหมายทั้งปี", "ผลการดำเนินงาน", "ตัวตั้ง", "ตัวหาร", "สถานะ", "ความเชื่อมั่น",
              "หมายเหตุ / คำอธิบาย"]
HEADERS_EN = ["KR code", "Key result (Thai)", "Key result (English)", "Unit", "How to report",
              "Baseline", "Annual target", "Actual", "Numerator", "Denominator", "Status",
              "Confidence", "Note"]
FIRST_DATA_ROW = 6
STATUSES = ["เป็นไปตามแผน", "มีความเสี่ยง", "ล่าช้ากว่าแผน"]
CONFIDENCES = ["สูง", "ปานกลาง", "ต่ำ"]
MILESTONES = ["ดำเนินการแล้ว", "ยังไม่ดำเนินการ"]
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(scope="module")
def q2_templates(tmp_path_factory, registry, reference) -> list[Path]:
    """The 2569-Q2 templates of the sample registry, written once for this module."""
    out_dir = tmp_path_factory.mktemp("templates") / "2569-Q2"
    return write_templates(registry, reference, parse_period("2569-Q2"), out_dir,
                           DEFAULT_SIGNING_KEY)


@pytest.fixture(scope="module")
def book_1001(q2_templates):
    return load_workbook(q2_templates[0])


@pytest.fixture(scope="module")
def sheet_1001(book_1001):
    return book_1001[DATA_SHEET]


@pytest.fixture(scope="module")
def krs_1001(reference) -> list[dict]:
    """District 1001's KRs as the registry workbook lists them, with its baseline and target."""
    frames = registry_frames(reference)
    mine = frames["assignments"][frames["assignments"]["district_code"] == "1001"]
    targets = mine.set_index("kr_code")[["baseline", "target"]].astype(float)
    return [{**kr, **targets.loc[kr["kr_code"]].to_dict()}
            for kr in frames["key_results"].to_dict("records")
            if kr["kr_code"] in targets.index]


def _registry_order(reference) -> dict[str, list[str]]:
    frames = registry_frames(reference)
    assigned = set(zip(frames["assignments"]["kr_code"], frames["assignments"]["district_code"],
                       strict=True))
    return {code: [kr for kr in frames["key_results"]["kr_code"] if (kr, code) in assigned]
            for code in reference.districts["code"]}


def _validations(sheet) -> dict[str, object]:
    """Cell address → the data validation on it."""
    found = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            for row, col in cell_range.cells:
                address = sheet.cell(row, col).coordinate
                assert address not in found, f"two validations on {address}"
                found[address] = rule
    return found


def _list_choices(rule) -> list[str]:
    return rule.formula1.strip('"').split(",")


# ---------------------------------------------------------------- files


def test_one_template_per_district_named_by_its_code(q2_templates, reference):
    out_dir = q2_templates[0].parent
    expected = [out_dir / f"{code}.xlsx" for code in reference.districts["code"]]
    assert len(expected) == 50
    assert q2_templates == expected
    assert sorted(out_dir.iterdir()) == sorted(expected)  # no temporary file left behind


def test_a_district_without_assignments_gets_no_template(tmp_path, registry, reference):
    assignments = registry.assignments
    two = dataclasses.replace(
        registry, assignments=assignments[assignments["district_code"].isin(["1001", "1050"])])
    paths = write_templates(two, reference, parse_period("2569-Q2"), tmp_path,
                            DEFAULT_SIGNING_KEY)
    assert paths == [tmp_path / "1001.xlsx", tmp_path / "1050.xlsx"]
    assert sorted(tmp_path.iterdir()) == paths


def test_every_template_lists_its_districts_krs_in_registry_order(q2_templates, reference):
    order = _registry_order(reference)
    for path in q2_templates:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DATA_SHEET).to_python()
        codes = [row[0] for row in rows[FIRST_DATA_ROW - 1:]]
        assert codes == order[path.stem], path.name
    counts = {len(codes) for codes in order.values()}
    assert len(counts) > 1  # districts differ: some KRs cascade to a few districts only


def test_every_template_declares_its_own_district_and_is_signed(q2_templates):
    for path in q2_templates:
        meta_rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_meta").to_python()
        meta = {key: value for key, value in meta_rows}
        assert meta["district_code"] == path.stem
        assert meta["period"] == "2569-Q2"
        assert verify(meta, DEFAULT_SIGNING_KEY), path.name


# ---------------------------------------------------------------- the data sheet


def test_hidden_row_3_holds_the_machine_keys_and_rows_4_5_the_headers(sheet_1001):
    rows = list(sheet_1001.iter_rows(min_row=3, max_row=5, values_only=True))
    assert list(rows[0]) == KEYS
    assert list(rows[1]) == HEADERS_TH
    assert list(rows[2]) == HEADERS_EN
    assert sheet_1001.row_dimensions[3].hidden
    assert not sheet_1001.row_dimensions[4].hidden
    assert not sheet_1001.row_dimensions[5].hidden


def test_the_title_names_the_district_and_the_period_in_thai(sheet_1001):
    assert sheet_1001["A1"].value == (
        "รายงานผลการดำเนินงานตามตัวชี้วัดผลหลัก (OKR) สำนักงานเขตพระนคร ไตรมาส 2 ปีงบประมาณ 2569")
    assert sheet_1001["A2"].value == "OKR progress report — Phra Nakhon (1001) — Q2, FY 2569"


def test_each_assigned_kr_has_one_prefilled_row_from_row_6(sheet_1001, krs_1001):
    last = FIRST_DATA_ROW + len(krs_1001) - 1
    rows = list(sheet_1001.iter_rows(min_row=FIRST_DATA_ROW, max_row=last, max_col=7,
                                     values_only=True))
    expected = [(kr["kr_code"], kr["name_th"], kr["name_en"], kr["unit_th"], kr["baseline"],
                 kr["target"]) for kr in krs_1001]
    assert [(code, th, en, unit, base, target)
            for code, th, en, unit, _, base, target in rows] == expected
    assert sheet_1001.max_row == last
    assert sheet_1001.print_area == f"'{DATA_SHEET}'!$A$1:$M${last}"


def test_how_to_report_says_the_type_in_thai_and_whether_it_is_cumulative(sheet_1001):
    shown = {row[0]: row[4] for row in sheet_1001.iter_rows(min_row=FIRST_DATA_ROW,
                                                            values_only=True)}
    assert shown["KR-1-01"] == "จำนวน (สะสม)"  # count, cumulative
    assert shown["KR-1-02"] == "ร้อยละ"  # percent
    assert shown["KR-1-07"] == "จำนวน"  # count, not cumulative
    assert shown["KR-1-04"] == "สัดส่วน (ตัวตั้ง/ตัวหาร)"  # ratio
    assert shown["KR-2-07"] == "ขั้นความสำเร็จ"  # milestone


def test_the_sheet_is_protected_and_only_the_input_cells_are_unlocked(sheet_1001, krs_1001):
    assert sheet_1001.protection.sheet
    for offset, kr in enumerate(krs_1001):
        row = FIRST_DATA_ROW + offset
        inputs = ["I", "J"] if kr["kr_type"] == "ratio" else ["H"]
        inputs += ["K", "L", "M"]
        unlocked = [cell.column_letter for cell in sheet_1001[row]
                    if not cell.protection.locked]
        assert unlocked == inputs, kr["kr_code"]
    for row in range(1, FIRST_DATA_ROW):
        unlocked = [cell.coordinate for cell in sheet_1001[row]
                    if not isinstance(cell, MergedCell) and not cell.protection.locked]
        assert unlocked == (["L2"] if row == 2 else [])  # the date the figures stand at


def test_the_date_the_figures_stand_at_is_asked_for_beside_the_title(sheet_1001):
    assert sheet_1001["K2"].value == "ข้อมูล ณ วันที่ / data as of"
    # shown whole: the label, wider than its column, runs left into J2, which the subtitle's
    # merge left empty; and the title rows are as tall as their fonts (cut in LibreOffice)
    assert "A2:I2" in {str(merged) for merged in sheet_1001.merged_cells.ranges}
    assert sheet_1001["J2"].value is None
    assert (sheet_1001.row_dimensions[1].height, sheet_1001.row_dimensions[2].height) == (30, 24)
    rule = _validations(sheet_1001)["L2"]
    assert rule.type == "date"
    # from the period's start to the day before the next period's end, which is refused
    assert (rule.formula1, rule.formula2) == ("46023", "46202")  # 1 Jan and 29 Jun 2026
    assert rule.errorStyle == "warning"  # a clerk may date figures a little after the period
    assert rule.promptTitle == "วันที่ของข้อมูล"


def test_a_monthly_templates_date_is_warned_of_from_the_next_months_end(
        tmp_path, registry, reference):
    """It warned from 90 days after the month, two months past the day from which the file
    is refused (the end of the next month: last month's template filled again)."""
    one = dataclasses.replace(registry, assignments=registry.assignments[
        registry.assignments["district_code"] == "1001"])
    (path,) = write_templates(one, reference, parse_period("2569-M05"), tmp_path,
                              DEFAULT_SIGNING_KEY)
    rule = _validations(load_workbook(path)[DATA_SHEET])["L2"]
    assert (rule.formula1, rule.formula2) == ("46054", "46111")  # 1 Feb and 30 Mar 2026


def test_the_cells_a_kr_type_does_not_use_show_a_dash(sheet_1001, krs_1001):
    for offset, kr in enumerate(krs_1001):
        row = FIRST_DATA_ROW + offset
        values = [sheet_1001[f"{col}{row}"].value for col in "HIJ"]
        if kr["kr_type"] == "ratio":
            assert values == ["—", None, None], kr["kr_code"]
        else:
            assert values == [None, "—", "—"], kr["kr_code"]


def test_every_input_cell_has_a_validation_and_no_locked_cell_has_one(sheet_1001):
    unlocked = {cell.coordinate for row in sheet_1001.iter_rows()
                for cell in row if not cell.protection.locked}
    assert set(_validations(sheet_1001)) == unlocked


def test_status_and_confidence_are_picked_from_thai_lists(sheet_1001, krs_1001):
    rules = _validations(sheet_1001)
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(krs_1001)):
        status, confidence = rules[f"K{row}"], rules[f"L{row}"]
        assert (status.type, _list_choices(status)) == ("list", STATUSES)
        assert (confidence.type, _list_choices(confidence)) == ("list", CONFIDENCES)
    assert rules["K6"].errorTitle == "สถานะไม่ถูกต้อง"
    assert rules["K6"].error == "กรุณาเลือกจากรายการ: เป็นไปตามแผน, มีความเสี่ยง, ล่าช้ากว่าแผน"
    assert rules["L6"].errorTitle == "ความเชื่อมั่นไม่ถูกต้อง"
    assert rules["L6"].error == "กรุณาเลือกจากรายการ: สูง, ปานกลาง, ต่ำ"


def _rule(rule) -> tuple:
    return (rule.type, rule.operator or "between", rule.formula1, rule.formula2)


def test_the_actual_cell_accepts_what_the_kr_type_reports(sheet_1001, krs_1001):
    rules = _validations(sheet_1001)
    expected = {
        "count": ("decimal", "greaterThanOrEqual", "0", None),
        "percent": ("decimal", "between", "0", "100"),
    }
    for offset, kr in enumerate(krs_1001):
        row = FIRST_DATA_ROW + offset
        if kr["kr_type"] == "milestone":
            assert rules[f"H{row}"].type == "list"
            assert _list_choices(rules[f"H{row}"]) == MILESTONES
        elif kr["kr_type"] == "ratio":
            assert _rule(rules[f"I{row}"]) == ("decimal", "greaterThanOrEqual", "0", None)
            assert _rule(rules[f"J{row}"]) == ("decimal", "greaterThan", "0", None)
        else:
            assert _rule(rules[f"H{row}"]) == expected[kr["kr_type"]], kr["kr_code"]


def test_number_validations_explain_the_mistake_in_thai(sheet_1001):
    rules = _validations(sheet_1001)
    assert rules["H6"].error == "กรุณากรอกตัวเลขที่ไม่ติดลบ"  # KR-1-01, count
    assert rules["H7"].error == "กรุณากรอกตัวเลขร้อยละ 0 ถึง 100"  # KR-1-02, percent
    assert rules["I9"].error == "ตัวตั้งต้องเป็นตัวเลขที่ไม่ติดลบ"  # KR-1-04, ratio
    assert rules["J9"].error == "ตัวหารต้องเป็นตัวเลขมากกว่า 0"
    assert _rule(rules["M6"]) == ("textLength", "lessThanOrEqual", "1000", None)
    assert rules["M6"].error == "หมายเหตุต้องยาวไม่เกิน 1,000 ตัวอักษร"


def test_every_validation_stops_the_entry_with_a_thai_message(sheet_1001):
    for address, rule in _validations(sheet_1001).items():
        assert rule.showErrorMessage, address
        if address != "L2":  # the figures' date may fall a little after the period: a warning
            assert rule.errorStyle in (None, "stop"), address  # not one the clerk can ignore
        assert rule.allow_blank, address  # a KR without results yet is left blank
        assert THAI.search(rule.errorTitle) and THAI.search(rule.error), address


# ---------------------------------------------------------------- metadata


def test_metadata_sits_on_a_very_hidden_protected_sheet(book_1001):
    meta = book_1001["_meta"]
    assert meta.sheet_state == "veryHidden"
    assert meta.protection.sheet
    values = dict(meta.iter_rows(values_only=True))
    signature = values.pop("signature")
    assert values == {
        "template_version": "1",
        "district_code": "1001",
        "period": "2569-Q2",
        "registry_version": "2569.1",
        "data_sheet": DATA_SHEET,
        "as_of_cell": "L2",
    }
    assert re.fullmatch("[0-9a-f]{32}", signature)


def test_the_signature_breaks_when_the_district_is_retyped(book_1001):
    meta = dict(book_1001["_meta"].iter_rows(values_only=True))
    assert verify(meta, DEFAULT_SIGNING_KEY)
    assert not verify({**meta, "district_code": "1002"}, DEFAULT_SIGNING_KEY)
    assert not verify({**meta, "period": "2569-Q3"}, DEFAULT_SIGNING_KEY)
    assert not verify(meta, "another-key")


# ---------------------------------------------------------------- presentation


def test_cells_use_the_thai_government_font(book_1001):
    for sheet in (book_1001[DATA_SHEET], book_1001["คำชี้แจง"]):
        fonts = {cell.font.name for row in sheet.iter_rows() for cell in row
                 if cell.value is not None or not cell.protection.locked}
        assert fonts == {"TH Sarabun New"}, sheet.title


def test_headers_and_kr_names_stay_in_view_when_scrolling(sheet_1001):
    # Rows 1-5 (titles, keys, headers) and columns A-B (KR code, Thai name) are frozen.
    assert sheet_1001.freeze_panes == "C6"


def test_the_data_sheet_prints_on_a4_landscape_with_headers_on_every_page(sheet_1001):
    setup = sheet_1001.page_setup
    assert int(setup.paperSize) == 9  # A4
    assert setup.orientation == "landscape"
    assert sheet_1001.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1)  # one page wide (1 is the default, left out)
    assert setup.fitToHeight == 0  # as many pages tall as needed
    assert sheet_1001.print_title_rows == "$4:$5"
    assert sheet_1001.oddFooter.left.text == "พระนคร 2569-Q2"


def test_the_instructions_come_first_in_thai_with_the_due_date(book_1001):
    assert book_1001.sheetnames[0] == "คำชี้แจง"
    assert book_1001.active.title == DATA_SHEET  # the workbook opens on the data sheet
    sheet = book_1001["คำชี้แจง"]
    lines = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert lines[0] == "สำนักงานเขตพระนคร (1001) — ไตรมาส 2 ปีงบประมาณ 2569"
    # 2569-Q2 ends on 31 March 2026 and is due 15 days later in the sample registry.
    assert "กำหนดส่ง: ภายในวันที่ 15 เม.ย. 2569" in lines
    assert "วิธีกรอก" in lines
    assert sum(1 for line in lines if THAI.search(line)) >= 10
    # the "data as of" date, which the instructions never asked for
    assert any("ข้อมูล ณ วันที่" in line for line in lines if line.startswith("2."))
    # one line of English wrapped past the page's edge: printed, its end was lost
    assert max(len(line) for line in lines if not THAI.search(line)) <= 80
    assert sheet.protection.sheet
    assert int(sheet.page_setup.paperSize) == 9


# ---------------------------------------------------------------- determinism


def _created(path: Path) -> str:
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    return re.search(r"<dcterms:created[^>]*>([^<]+)<", core)[1]


def test_writing_templates_twice_gives_identical_bytes(tmp_path, registry, reference):
    assignments = registry.assignments
    small = dataclasses.replace(
        registry, assignments=assignments[assignments["district_code"].isin(["1001", "1042"])])
    first = write_templates(small, reference, parse_period("2569-Q2"), tmp_path / "a",
                            DEFAULT_SIGNING_KEY)
    second = write_templates(small, reference, parse_period("2569-Q2"), tmp_path / "b",
                             DEFAULT_SIGNING_KEY)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_the_created_date_is_the_start_of_the_period_not_the_clock(tmp_path, registry,
                                                                    reference):
    assignments = registry.assignments
    one = dataclasses.replace(registry,
                              assignments=assignments[assignments["district_code"] == "1001"])
    [q3] = write_templates(one, reference, parse_period("2569-Q3"), tmp_path,
                           DEFAULT_SIGNING_KEY)
    assert _created(q3) == "2026-04-01T00:00:00Z"


def test_a_kr_row_is_as_tall_as_its_name_wraps(sheet_1001):
    """Rows were two lines tall whatever the name: LibreOffice cut a three-line name."""
    heights = {}
    for row in range(6, sheet_1001.max_row + 1):
        name_th = sheet_1001.cell(row, 2).value
        if name_th:
            lines = max(len(name_th) / (48 * 0.95), len(sheet_1001.cell(row, 3).value) / 35)
            heights[row] = (math.ceil(lines), sheet_1001.row_dimensions[row].height)
    assert all(height >= 42 for _, height in heights.values())
    tall = [height for lines, height in heights.values() if lines >= 3]
    assert tall and all(height >= 3 * 21 for height in tall)
