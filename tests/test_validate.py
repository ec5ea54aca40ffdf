"""Every rule that rejects a submission, with the bad input a clerk makes and the exact message.

District 1001's template lists KR-1-01 (count) on row 6, KR-1-02 (percent) on row 7 and
KR-1-04 (ratio) on row 9; columns: H actual, I numerator, J denominator, K status,
L confidence, M note.
"""

import math
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline import validate
from pipeline.discover import discover
from pipeline.history import FACT_COLUMNS, History
from pipeline.read import read_all
from pipeline.registry_store import RegistryVersions
from pipeline.runner import run
from pipeline.safety import readable_size, sizes_apart
from pipeline.settings import Limits
from pipeline.validate import by_periods, judge
from pipeline.workers import call_all
from schemas import submission
from tests.builders.libreoffice import convert, needs_libreoffice
from tests.judging import found, judge_inbox, only_verdict, read_inbox

MILESTONE = "KR-2-07"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realworld"


def test_a_correct_file_is_accepted_with_one_fact_per_assigned_kr(workspace):
    workspace.send(workspace.clerk("1001"), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert verdict.problems == ()
    assigned = workspace.registry.assigned("1001")["kr_code"].tolist()
    assert verdict.facts["kr_code"].tolist() == assigned
    assert set(verdict.facts["period"]) == {"2569-Q2"}


def test_a_ratio_fact_is_numerator_over_denominator_as_a_percentage(workspace):
    clerk = workspace.clerk("1001").type("KR-1-04", "numerator", 45).type(
        "KR-1-04", "denominator", 60)
    workspace.send(clerk, "1001")
    facts = only_verdict(workspace).facts.set_index("kr_code")
    assert facts.at["KR-1-04", "actual"] == pytest.approx(75.0)
    assert facts.at["KR-1-04", "cell"] == "I9"


def test_a_milestone_fact_is_one_when_done_and_zero_when_not(workspace):
    clerk = workspace.clerk("1001").type(MILESTONE, "actual", "ยังไม่ดำเนินการ")
    workspace.send(clerk, "1001")
    facts = only_verdict(workspace).facts.set_index("kr_code")
    assert facts.at[MILESTONE, "actual"] == 0.0


def _reject(workspace, clerk, folder="1001", **kwargs):
    workspace.send(clerk, folder)
    verdict = only_verdict(workspace, **kwargs)
    assert not verdict.accepted
    assert verdict.facts is None
    return verdict


ROW_CASES = [
    pytest.param(
        lambda c: c.type("KR-1-01", "actual", "สิบห้า"), "not-a-number", "H6",
        '"สิบห้า" ไม่ใช่ตัวเลข กรุณากรอกเป็นตัวเลข', '"สิบห้า" is not a number; type a number.',
        id="not-a-number"),
    pytest.param(  # a decimal comma: read as 15, the figure would be ten times too large
        lambda c: c.type("KR-1-01", "actual", "1,5"), "decimal-comma", "H6",
        '"1,5" ใช้เครื่องหมายจุลภาค (,) เป็นจุดทศนิยม กรุณาใช้จุด (.) เป็นจุดทศนิยม '
        "และไม่ต้องใส่จุดคั่นหลักพัน เช่น 1.5 หรือ 1234.5",
        '"1,5" has a decimal comma; type a decimal point instead, with no point between '
        "thousands: 1.5, 1234.5.", id="decimal-comma"),
    pytest.param(  # a percentage, where a decimal comma is likeliest
        lambda c: c.type("KR-1-02", "actual", "85,5 %"), "decimal-comma", "H7",
        '"85,5 %" ใช้เครื่องหมายจุลภาค (,) เป็นจุดทศนิยม กรุณาใช้จุด (.) เป็นจุดทศนิยม '
        "และไม่ต้องใส่จุดคั่นหลักพัน เช่น 1.5 หรือ 1234.5",
        '"85,5 %" has a decimal comma; type a decimal point instead, with no point between '
        "thousands: 1.5, 1234.5.", id="decimal-comma-percent"),
    pytest.param(  # the clerk was told "2026-05-01" is not a number; the cell showed 1-May
        lambda c: c.type("KR-1-04", "numerator", datetime(2026, 5, 1)), "date-not-number", "I9",
        "ช่องนี้เป็นวันที่ (2026-05-01) ไม่ใช่ตัวเลข Excel อาจเปลี่ยนสิ่งที่พิมพ์ (เช่น 1/5) เป็นวันที่ "
        "กรุณาจัดรูปแบบช่องเป็นตัวเลข (Number) แล้วพิมพ์ตัวเลขใหม่",
        "This cell holds a date (2026-05-01), not a number: Excel may have made a date of what "
        "was typed (1/5); format the cell as a number and type the figure again.",
        id="date-not-number"),
    pytest.param(
        lambda c: c.type("KR-1-04", "denominator", "ห้าสิบ"), "not-a-number", "J9",
        '"ห้าสิบ" ไม่ใช่ตัวเลข กรุณากรอกเป็นตัวเลข', '"ห้าสิบ" is not a number; type a number.',
        id="denominator-not-a-number"),
    pytest.param(
        lambda c: c.type("KR-1-01", "actual", None).type("KR-1-01", "note", None)
        .type("KR-1-01", "status", None), "actual-blank", "H6",
        "ยังไม่ได้กรอกผลการดำเนินงาน หากยังไม่มีผล กรุณาระบุเหตุผลในช่องหมายเหตุ",
        "The actual value is blank; if there is none yet, explain why in the note.",
        id="actual-blank"),
    pytest.param(
        lambda c: c.type("KR-1-04", "numerator", None).type("KR-1-04", "denominator", None)
        .type("KR-1-04", "note", None).type("KR-1-04", "status", None), "parts-blank", "I9",
        "ยังไม่ได้กรอกตัวตั้งและตัวหาร หากยังไม่มีผล กรุณาระบุเหตุผลในช่องหมายเหตุ",
        "The numerator and denominator are blank; if there are none yet, explain why in the "
        "note.", id="ratio-parts-blank"),
    pytest.param(  # a note beside it: the KR was stored as not reported, the 402 dropped
        lambda c: c.type("KR-1-04", "numerator", None).type("KR-1-04", "denominator", 402)
        .type("KR-1-04", "note", "รอข้อมูลจากฝ่ายทะเบียน"), "numerator-blank", "I9",
        "กรอกตัวหาร (402) แล้วแต่ยังไม่ได้กรอกตัวตั้ง กรุณากรอกตัวตั้ง",
        "The denominator (402) is filled in but the numerator is blank; type the numerator.",
        id="ratio-numerator-blank"),
    pytest.param(
        lambda c: c.type("KR-1-02", "actual", 120), "percent-out-of-range", "H7",
        "ค่าร้อยละ 120 ต้องอยู่ระหว่าง 0 ถึง 100", "The percentage 120 must be between 0 and 100.",
        id="percent-out-of-range"),
    pytest.param(  # satisfaction of 70 to 80 %: 0.756 went into the city's mean as 0.756 %
        lambda c: c.type("KR-1-02", "actual", 0.756), "percent-as-fraction", "H7",
        "ค่าร้อยละ 0.756 น้อยกว่า 1 ทั้งที่ค่าฐานและค่าเป้าหมายเป็นหลักสิบ ดูเหมือนพิมพ์เป็นสัดส่วน "
        "(เช่น 0.756 แทน 75.6) กรุณากรอกเป็นร้อยละ",
        "The percentage 0.756 is under 1 where the baseline and target are in the tens: it "
        "looks typed as a fraction (0.756 for 75.6); type the percentage.",
        id="percent-as-fraction"),
    pytest.param(
        lambda c: c.type("KR-1-01", "actual", -5), "count-negative", "H6",
        "จำนวน -5 ต้องไม่ติดลบ", "The count -5 cannot be negative.", id="count-negative"),
    pytest.param(
        lambda c: c.type("KR-1-04", "numerator", 60).type("KR-1-04", "denominator", 50),
        "numerator-above-denominator", "I9",
        "ตัวตั้ง (60) ต้องไม่มากกว่าตัวหาร (50)",
        "The numerator (60) cannot exceed the denominator (50).", id="numerator-above"),
    pytest.param(
        lambda c: c.type("KR-1-04", "numerator", 0).type("KR-1-04", "denominator", 0),
        "denominator-not-positive", "J9", "ตัวหาร (0) ต้องมากกว่า 0",
        "The denominator (0) must be greater than 0.", id="denominator-zero"),
    pytest.param(  # the numerator exceeds 0 too: one problem, the denominator's
        lambda c: c.type("KR-1-04", "numerator", 5).type("KR-1-04", "denominator", 0),
        "denominator-not-positive", "J9", "ตัวหาร (0) ต้องมากกว่า 0",
        "The denominator (0) must be greater than 0.", id="denominator-zero-numerator-not"),
    pytest.param(
        lambda c: c.type("KR-1-04", "numerator", -5).type("KR-1-04", "denominator", 10),
        "numerator-negative", "I9", "ตัวตั้ง (-5) ต้องไม่ติดลบ",
        "The numerator (-5) cannot be negative.", id="numerator-negative"),
    pytest.param(  # a note explains a figure not yet known, not half of one
        lambda c: c.type("KR-1-04", "numerator", 50).type("KR-1-04", "denominator", None)
        .type("KR-1-04", "note", "รอตัวเลขจากฝ่ายทะเบียน"),
        "denominator-blank", "J9", "กรอกตัวตั้ง (50) แล้วแต่ยังไม่ได้กรอกตัวหาร กรุณากรอกตัวหาร",
        "The numerator (50) is filled in but the denominator is blank; type the denominator.",
        id="denominator-blank"),
    pytest.param(  # the sheet unprotected and 92.5 % typed over the "—": it was dropped
        lambda c: c.type("KR-1-04", "actual", 92.5), "ratio-needs-parts", "H9",
        'ตัวชี้วัดนี้เป็นสัดส่วน ช่องนี้ไม่ใช้ (พบ "92.5") กรุณาลบค่าในช่องนี้ '
        "แล้วกรอกตัวตั้งและตัวหารในช่องของตัวเอง",
        'This KR is a ratio and this cell is not used (found "92.5"); clear it and type the '
        "numerator and denominator in their own columns.", id="ratio-actual-typed"),
    pytest.param(  # a count's figure typed as a fraction, its actual left blank with a note
        lambda c: c.type("KR-1-01", "actual", None).type("KR-1-01", "numerator", 195)
        .type("KR-1-01", "note", "ตามรายงานฝ่ายโยธา"), "parts-not-used", "I6",
        'ตัวชี้วัดนี้ไม่ใช่สัดส่วน ช่องนี้ไม่ใช้ (พบ "195") กรุณากรอกผลในช่องผลการดำเนินงาน',
        'This KR is not a ratio and this cell is not used (found "195"); type the figure in '
        "the actual column.", id="count-numerator-typed"),
    pytest.param(
        lambda c: c.type("KR-1-01", "denominator", 774), "parts-not-used", "J6",
        'ตัวชี้วัดนี้ไม่ใช่สัดส่วน ช่องนี้ไม่ใช้ (พบ "774") กรุณากรอกผลในช่องผลการดำเนินงาน',
        'This KR is not a ratio and this cell is not used (found "774"); type the figure in '
        "the actual column.", id="count-denominator-typed"),
    pytest.param(
        lambda c: c.type(MILESTONE, "actual", "เสร็จครึ่งหนึ่ง"), "milestone-invalid", None,
        '"เสร็จครึ่งหนึ่ง" ไม่ใช่ค่าที่เลือกได้ กรุณาเลือก "ดำเนินการแล้ว" หรือ "ยังไม่ดำเนินการ"',
        '"เสร็จครึ่งหนึ่ง" is not allowed; pick done (ดำเนินการแล้ว) or not done (ยังไม่ดำเนินการ).',
        id="milestone-invalid"),
    pytest.param(
        lambda c: c.type("KR-1-01", "status", "ดีมาก"), "status-invalid", "K6",
        'สถานะ "ดีมาก" ไม่อยู่ในรายการ กรุณาเลือกจากรายการ '
        "(เป็นไปตามแผน, มีความเสี่ยง, ล่าช้ากว่าแผน)",
        'Status "ดีมาก" is not in the list; pick one of the list '
        "(เป็นไปตามแผน, มีความเสี่ยง, ล่าช้ากว่าแผน).", id="status-invalid"),
    pytest.param(
        lambda c: c.type("KR-1-01", "status", None), "status-blank", "K6",
        "ยังไม่ได้เลือกสถานะ กรุณาเลือกจากรายการ", "The status is blank; pick one from the list.",
        id="status-blank"),
    pytest.param(
        lambda c: c.type("KR-1-01", "confidence", "มั่นใจ"), "confidence-invalid", "L6",
        'ระดับความเชื่อมั่น "มั่นใจ" ไม่อยู่ในรายการ กรุณาเลือกจากรายการ (สูง, ปานกลาง, ต่ำ)',
        'Confidence "มั่นใจ" is not in the list; pick one of the list (สูง, ปานกลาง, ต่ำ).',
        id="confidence-invalid"),
    pytest.param(  # the template's validation allows 1,000 characters; a copy-paste skips it
        lambda c: c.type("KR-1-01", "note", "ก" * 1001), "note-too-long", "M6",
        "หมายเหตุยาว 1,001 ตัวอักษร ต้องยาวไม่เกิน 1,000 ตัวอักษร กรุณาย่อให้สั้นลง",
        "The note is 1,001 characters long; it may be at most 1,000. Shorten it.",
        id="note-too-long"),
    pytest.param(
        lambda c: c.type("KR-1-01", "status", "ล่าช้ากว่าแผน").type("KR-1-01", "note", None),
        "note-required", "M6", 'สถานะ "ล่าช้ากว่าแผน" ต้องมีคำอธิบายในช่องหมายเหตุ',
        'A status of "ล่าช้ากว่าแผน" needs an explanation in the note.', id="note-required"),
]


@pytest.mark.parametrize(("mistake", "code", "cell", "message_th", "message_en"), ROW_CASES)
def test_a_row_mistake_rejects_the_file_with_its_cell_and_message(
        workspace, mistake, code, cell, message_th, message_en):
    clerk = workspace.clerk("1001")
    mistake(clerk)
    verdict = _reject(workspace, clerk)
    cell = cell or f"H{clerk.rows[MILESTONE]}"
    assert [(p.code, p.cell) for p in verdict.problems if p.severity == "error"] == [(code, cell)]
    (problem,) = [p for p in verdict.problems if p.code == code]
    assert (problem.sheet, problem.message_th, problem.message_en) == (
        "รายงานผล", message_th, message_en)


def test_a_note_as_long_as_the_template_allows_is_accepted(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "note", "ก" * 1000), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert len(verdict.facts.set_index("kr_code").at["KR-1-01", "note"]) == 1000


def test_a_blank_actual_with_a_note_is_accepted_and_stored_as_missing(workspace):
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", None).type(
        "KR-1-01", "note", "ยังไม่ได้รับรายงานจากฝ่ายโยธา")
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    fact = verdict.facts.set_index("kr_code").loc["KR-1-01"]
    assert fact["actual"] != fact["actual"]  # NaN: missing, never zero
    assert fact["note"] == "ยังไม่ได้รับรายงานจากฝ่ายโยธา"
    # and the clerk is told so: "ผลงาน 5 จุด" typed in the note went as a report, unsaid
    (said,) = [p for p in verdict.problems if p.cell == "H6"]
    assert (said.severity, said.code) == ("notice", "not-reported")
    assert said.message_th == (
        'ไม่ได้กรอกผล ระบบบันทึกตัวชี้วัดนี้เป็น "ไม่มีข้อมูล" ตามเหตุผลในหมายเหตุ')


def _nothing_reported(workspace) -> list[str]:
    """What each of 1001's KRs says left blank with no note: a ratio names its two parts."""
    types = workspace.registry.assigned("1001")["kr_type"]
    assert "ratio" in set(types) and len(set(types)) > 1
    return ["parts-blank" if kr_type == "ratio" else "actual-blank" for kr_type in types]


def test_an_unfilled_template_is_never_accepted(workspace):
    workspace.drop(workspace.template("1001"), "1001", "blank.xlsx")
    verdict = only_verdict(workspace)
    assert not verdict.accepted
    assert [p.code for p in verdict.problems] == _nothing_reported(workspace)


def test_a_template_with_only_dashes_in_its_notes_is_not_accepted(workspace):
    """A dash alone is how clerks write "nothing": it explains no blank figure."""
    clerk = workspace.clerk("1001")
    for kr in clerk.kr_codes:
        clerk.type(kr, "actual", None).type(kr, "numerator", None).type(
            kr, "denominator", None).type(kr, "status", None).type(kr, "note", "-")
    verdict = _reject(workspace, clerk)
    assert [p.code for p in verdict.problems] == _nothing_reported(workspace)
    assert verdict.problems[0].message_en == (
        "The actual value is blank; if there is none yet, explain why in the note.")


@pytest.mark.parametrize(("column", "typed"), [
    ("status", "\u200b"), ("actual", " \u00a0"), ("note", "ผู้รายงาน: นางสาว ก. โทร 0 2222 2222"),
    # in the KR code column, it was refused as a KR not assigned to the district
    ("kr_code", "ผู้รายงาน: นางสาวสมใจ ใจดี โทร ๐๘๑ ๒๓๔ ๕๖๗๘")],
    ids=["zero-width-space", "spaces", "remark", "remark-under-the-codes"])
def test_what_is_typed_below_the_table_without_a_figure_is_not_a_row(workspace, column, typed):
    clerk = workspace.clerk("1001")
    clerk.sheet.cell(max(clerk.rows.values()) + 2, clerk.columns[column]).value = typed
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert [p for p in verdict.problems if p.severity == "error"] == []
    assert len(verdict.facts) == len(workspace.registry.assigned("1001"))


def test_figures_on_a_row_whose_kr_code_was_deleted_are_refused(workspace):
    clerk = workspace.clerk("1001").type("KR-1-01", "kr_code", None)
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-missing", ""), ("error", "kr-code-blank", "A6")]
    assert verdict.problems[1].message_th == (
        "แถวนี้มีข้อมูลแต่ไม่มีรหัสตัวชี้วัด หากเป็นแถวที่เพิ่มเข้ามา กรุณาลบแถวนี้ "
        "หากเป็นแถวของตัวชี้วัด กรุณาใส่รหัสตัวชี้วัดเดิมกลับคืน")
    assert verdict.problems[1].message_en == (
        "This row has figures but no key result code: delete it if you added it, or put back "
        "the code of its key result.")


def test_a_total_and_a_signature_below_the_table_are_each_told_once(workspace):
    """Each row has something but no KR code: that alone is said, not also that the two share
    a blank code or that the total's status is blank."""
    clerk = workspace.clerk("1001")
    last = max(clerk.rows.values())
    clerk.sheet.cell(last + 1, 2).value = "รวม"
    clerk.sheet.cell(last + 1, clerk.columns["actual"]).value = 12345
    clerk.sheet.cell(last + 3, clerk.columns["actual"]).value = "ลงชื่อ"
    clerk.sheet.cell(last + 3, clerk.columns["status"]).value = "ผู้รายงาน"
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-code-blank", f"A{last + 1}"),
                              ("error", "kr-code-blank", f"A{last + 3}")]


def test_a_kr_code_typed_over_is_unknown_and_the_assigned_kr_missing(workspace):
    clerk = workspace.clerk("1001").type("KR-1-01", "kr_code", "KR-9-99")
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-missing", ""), ("error", "kr-unknown", "A6")]
    assert verdict.problems[0].message_th == (
        "ไม่พบแถวของตัวชี้วัด KR-1-01 ที่เขตได้รับมอบหมาย กรุณาคัดลอกแถวนี้จากแบบรายงานกลับมา "
        "หรือแก้รหัสในคอลัมน์รหัสตัวชี้วัดให้ตรงกับแบบรายงาน")
    assert verdict.problems[1].message_th == (
        "รหัสตัวชี้วัด KR-9-99 ไม่ได้มอบหมายให้เขตนี้ กรุณาตรวจสอบรหัสกับแบบรายงาน "
        "หรือลบแถวนี้หากเพิ่มเข้ามาเอง")
    assert verdict.problems[1].message_en == (
        "Key result KR-9-99 is not assigned to this district; check the code against the "
        "template, or delete the row if you added it.")


def test_a_row_added_for_a_kr_not_the_districts_is_told_that_alone(workspace):
    """KR-X-01 typed on a row added below the table, its status left blank: the clerk was
    also asked to pick a status for a row that is to go."""
    clerk = workspace.clerk("1001")
    last = max(clerk.rows.values())
    clerk.sheet.cell(last + 1, 1).value = "KR-X-01"
    clerk.sheet.cell(last + 1, 2).value = "ตัวชี้วัดของเขตเอง"
    clerk.sheet.cell(last + 1, clerk.columns["actual"]).value = 5
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-unknown", f"A{last + 1}")]


def test_a_kr_on_two_rows_is_duplicated(workspace):
    clerk = workspace.clerk("1001").type("KR-1-02", "kr_code", "KR-1-01")
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-missing", ""), ("error", "kr-duplicated", "A6"),
                              ("error", "kr-duplicated", "A7")]
    assert verdict.problems[1].message_th == "ตัวชี้วัด KR-1-01 ปรากฏมากกว่าหนึ่งแถว"


def test_a_deleted_row_is_a_missing_kr(workspace):
    clerk = workspace.clerk("1001").delete_row("KR-1-03")
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "kr-missing", "")]
    assert verdict.problems[0].message_en == (
        "The row of assigned key result KR-1-03 is missing; copy it back from the template, "
        "or correct the code in the KR code column to the template's.")


def test_a_file_in_another_districts_folder_is_refused(workspace):
    verdict = _reject(workspace, workspace.clerk("1001"), folder="1002")
    assert found(verdict) == [("error", "district-mismatch", "")]
    assert verdict.problems[0].message_th == (
        "ไฟล์นี้เป็นแบบรายงานของเขต 1001 แต่ส่งมาในโฟลเดอร์ของเขต 1002 "
        "แต่ละเขตส่งได้เฉพาะแบบรายงานของเขตตนเองในโฟลเดอร์ของตนเอง หากท่านเป็นเขต 1002 "
        "กรุณากรอกแบบรายงานของเขต 1002 หากไฟล์นี้เป็นของเขต 1001 "
        "ให้เขต 1001 ส่งในโฟลเดอร์ของเขต 1001")


@pytest.mark.parametrize(("folder", "shown"), [("", "inbox"), ("เขตพระนคร", "เขตพระนคร")])
def test_a_file_outside_a_district_folder_is_refused(workspace, folder, shown):
    path = workspace.clerk("1001").save(workspace.root / "inbox" / folder / "OKR.xlsx")
    (verdict,) = judge_inbox(workspace)
    assert verdict.arrival.path == path
    assert found(verdict) == [("error", "folder-unknown", "")]
    assert verdict.problems[0].message_th == (
        f'ไฟล์ต้องส่งในโฟลเดอร์ของเขต (inbox/<รหัสเขต>/) แต่พบในโฟลเดอร์ "{shown}"')


def test_metadata_edited_by_hand_is_detected(workspace):
    clerk = workspace.clerk("1001").set_metadata("district_code", "1002")
    verdict = _reject(workspace, clerk, folder="1002")
    assert found(verdict) == [("error", "signature-mismatch", "")]
    assert verdict.problems[0].message_th == (
        "ข้อมูลกำกับแบบรายงานถูกแก้ไขด้วยมือ (รหัสลงนามไม่ตรงกัน) กรุณาดาวน์โหลดแบบรายงานใหม่")
    assert (verdict.district_code, verdict.period) == ("", "")  # neither can be trusted


def test_a_period_typed_into_the_hidden_sheet_opens_no_period(workspace):
    """A file whose period was changed by hand to 2569-M05 had the month's books and open
    data published, every district without data, and the year's other months listed overdue
    every night after."""
    workspace.send(workspace.clerk("1001").set_metadata("period", "2569-M05"), "1001")
    report = run(workspace.settings)
    assert report.count("rejected") == 1
    assert list(report.rollups) == []
    assert not (workspace.settings.outputs / "rollups" / "2569-M05").exists()
    assert [p for p in report.unsent if p.startswith("2569-M")] == []


def test_an_unknown_template_version_is_refused(workspace):
    clerk = workspace.clerk("1001").set_metadata("template_version", "0")
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "template-version-unknown", "")]
    assert verdict.problems[0].message_en == (
        "Template version 0 is not supported (expected 1).")


def test_a_period_missing_from_the_registry_is_refused(workspace):
    clerk = workspace.clerk("1001", period="2570-Q1")
    verdict = _reject(workspace, clerk)
    assert found(verdict) == [("error", "period-unknown", "")]
    assert verdict.problems[0].message_th == "รอบการรายงาน 2570-Q1 ไม่มีในทะเบียน OKR"


def _edited(workspace, tmp_path: Path, edit) -> Path:
    path = workspace.clerk("1001").save(tmp_path / "edited.xlsx")
    book = load_workbook(path)
    edit(book)
    book.save(path)
    return path


def test_a_workbook_without_its_metadata_sheet_is_refused(workspace, tmp_path):
    path = _edited(workspace, tmp_path, lambda book: book.remove(book["_meta"]))
    workspace.drop(path, "1001", "no-meta.xlsx")
    verdict = only_verdict(workspace)
    assert found(verdict) == [("error", "metadata-missing", "")]
    assert verdict.problems[0].message_th == (
        "ไม่พบข้อมูลกำกับแบบรายงาน (แผ่นงานซ่อน _meta) กรุณาใช้แบบรายงานที่สำนักยุทธศาสตร์ฯ ส่งให้")


def test_a_workbook_whose_data_sheet_is_gone_is_refused(workspace, tmp_path):
    path = _edited(workspace, tmp_path, lambda book: book.remove(book["รายงานผล"]))
    workspace.drop(path, "1001", "no-data.xlsx")
    verdict = only_verdict(workspace)
    assert found(verdict) == [("error", "data-sheet-missing", "")]
    assert verdict.problems[0].message_en == (
        'The sheet "รายงานผล" is missing; use the template the strategy office sent.')


def _last_quarter_beside_this_one(book) -> None:
    """A copy of the report kept as "ไตรมาส 1" before it, and the report renamed "ไตรมาส 2"."""
    copy = book.copy_worksheet(book["รายงานผล"])
    copy.title = "ไตรมาส 1"
    book.move_sheet(copy, -(len(book.sheetnames) - 1))
    book["รายงานผล"].title = "ไตรมาส 2"


def test_a_renamed_data_sheet_beside_another_with_the_headers_is_refused(workspace, tmp_path):
    """Which is this period's report cannot be told: the first of them, last quarter's copy,
    was stored as this quarter's figures."""
    path = _edited(workspace, tmp_path, _last_quarter_beside_this_one)
    names = load_workbook(path).sheetnames
    assert names.index("ไตรมาส 1") < names.index("ไตรมาส 2")
    workspace.drop(path, "1001", "two-reports.xlsx")
    verdict = only_verdict(workspace)
    assert found(verdict) == [("error", "data-sheet-ambiguous", "")]
    assert verdict.problems[0].message_th == (
        "ไม่พบแผ่นงาน \"รายงานผล\" และแผ่นงาน ไตรมาส 1, ไตรมาส 2 ต่างมีตารางรายงานผล "
        "จึงไม่ทราบว่าแผ่นใดคือรายงานของรอบนี้ กรุณาตั้งชื่อแผ่นงานที่รายงานรอบนี้ว่า \"รายงานผล\" "
        "หรือลบแผ่นงานอื่นออก")


def test_a_deleted_input_column_is_refused(workspace, tmp_path):
    path = _edited(workspace, tmp_path, lambda book: book["รายงานผล"].delete_cols(12))
    workspace.drop(path, "1001", "no-confidence.xlsx")
    verdict = only_verdict(workspace)
    assert found(verdict) == [("error", "column-missing", "")]
    assert verdict.problems[0].message_th == (
        "ไม่พบคอลัมน์ ความเชื่อมั่น (Confidence) ในแผ่นงานรายงานผล "
        "กรุณาอย่าลบหรือเปลี่ยนชื่อคอลัมน์")


def test_a_file_that_is_not_a_spreadsheet_is_refused(workspace, tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("รายงานผลไตรมาส 2 จะส่งภายหลัง", encoding="utf-8")
    workspace.drop(text, "1001", "report.xlsx")
    verdict = only_verdict(workspace)
    assert [p.code for p in verdict.problems] == ["not-a-spreadsheet"]
    assert verdict.problems[0].message_th == (
        "ไฟล์นี้ไม่ใช่แบบรายงาน Excel ที่อ่านได้ กรุณาส่งไฟล์ .xlsx ที่ได้จากแบบรายงาน")


def test_a_file_that_makes_calamine_panic_is_refused_not_crashed(workspace):
    panicking = CORPUS / "apache-poi" / "Simple.xlsb"
    if not panicking.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    workspace.drop(panicking, "1001", "Simple.xlsb")
    verdict = only_verdict(workspace)
    assert [p.code for p in verdict.problems] in (["not-a-spreadsheet"], ["metadata-missing"])


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(workspace):
    workspace.send(workspace.clerk("1001"), "1001")
    verdict = only_verdict(workspace, limits=Limits(max_file_bytes=20_000))
    assert found(verdict) == [("error", "file-too-large", "")]
    assert re.fullmatch(r"ไฟล์มีขนาด \d+(\.\d)? KB เกินกว่าที่รับได้ \(19\.5 KB\)",
                        verdict.problems[0].message_th)


def test_a_size_over_a_limit_and_the_limit_are_told_apart_at_a_whole_tenth():
    """20,480 bytes over a limit of 20,479: both read "20 KB" to the nearest tenth; the size
    goes to the tenth above, the limit to the tenth below. Apart at the nearest tenth, both
    stay there (300 MB and 8 bytes is 300 MB, not 300.1)."""
    assert readable_size(20_479) == readable_size(20_480) == "20 KB"
    assert sizes_apart(20_480, 20_479) == ("20 KB", "19.9 KB")
    assert sizes_apart(20_481, 20_479) == ("20.1 KB", "19.9 KB")  # 20.0002 → 20.1: above it
    assert sizes_apart((300 << 20) + 8, 200 << 20) == ("300 MB", "200 MB")


def test_a_file_just_over_the_size_limit_is_not_shown_as_the_limits_size(workspace):
    """A file a few bytes over read "The file is 20 MB, more than the 20 MB accepted": its size
    is shown to the tenth above, the limit to the tenth below (the limit rounded to the nearest
    tenth was still shown as the size when the file was a whole number of tenths)."""
    path = workspace.send(workspace.clerk("1001"), "1001")
    size = path.stat().st_size
    verdict = only_verdict(workspace, limits=Limits(max_file_bytes=size - 1))
    shown, limit = (f"{towards(n * 10 / 1024) / 10:.1f} KB".replace(".0 ", " ")
                    for n, towards in ((size, math.ceil), (size - 1, math.floor)))
    if f"{size / 1024:.1f}" != f"{(size - 1) / 1024:.1f}":  # apart at the nearest tenth
        shown, limit = (f"{n / 1024:.1f} KB".replace(".0 ", " ") for n in (size, size - 1))
    assert shown != limit
    assert verdict.problems[0].message_en == (
        f"The file is {shown}, more than the {limit} accepted.")


@pytest.mark.parametrize(("kr", "key", "typed", "code", "label"), [
    ("KR-1-01", "status", "ล่าช้า", "off_track", "ล่าช้ากว่าแผน"),
    ("KR-1-01", "status", "เป็นไป ตามแผน", "on_track", "เป็นไปตามแผน"),
    ("KR-1-01", "status", "เสี่ยง", "at_risk", "มีความเสี่ยง"),
    ("KR-1-01", "confidence", "กลาง", "medium", "ปานกลาง"),
    (MILESTONE, "actual", "เสร็จแล้ว", 1.0, "ดำเนินการแล้ว"),
    (MILESTONE, "actual", "ยังไม่ได้ดำเนินการ", 0.0, "ยังไม่ดำเนินการ"),
])
def test_a_choice_typed_in_a_clerks_own_words_is_read_with_a_notice(workspace, kr, key, typed,
                                                                     code, label):
    """Short forms rejected the whole file: "ล่าช้า" is not in the list. A milestone's word
    was read without a word to the clerk."""
    clerk = workspace.clerk("1001").type(kr, key, typed)
    if key == "status":  # its note, as the status asks; and no "status disagrees" warning
        clerk.type(kr, "note", "รอผลการสำรวจ")
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    (notice,) = [p for p in verdict.problems if p.code == "normalized-choice"]
    assert notice.message_th == f'อ่าน "{typed}" เป็นตัวเลือก "{label}"'
    assert verdict.facts.set_index("kr_code").at[kr, key] == code


def test_typed_numbers_and_choices_are_read_and_reported_as_notices(workspace):
    clerk = workspace.clerk("1001")
    on_track = "เป็นไปตามแผน"  # each figure below is at or past its annual target
    (clerk.type("KR-1-03", "actual", "๑,๒๕๐").type("KR-1-03", "status", on_track)
     .type("KR-1-02", "actual", "ร้อยละ 85").type("KR-1-02", "status", on_track)
     .type("KR-1-01", "actual", clerk.value("KR-1-01", "target"))
     .type("KR-1-01", "status", "On Track").type("KR-1-01", "confidence", " high "))
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    # row by row, then column by column, as the clerk reads the sheet
    assert found(verdict) == [("notice", "normalized-choice", "K6"),
                              ("notice", "normalized-choice", "L6"),
                              ("notice", "normalized-number", "H7"),
                              ("notice", "normalized-number", "H8")]
    assert verdict.problems[3].message_th == 'อ่าน "๑,๒๕๐" เป็นตัวเลข 1250'
    assert verdict.problems[0].message_en == 'Read "On Track" as the choice "เป็นไปตามแผน".'
    facts = verdict.facts.set_index("kr_code")
    assert facts.at["KR-1-03", "actual"] == 1250
    assert facts.at["KR-1-02", "actual"] == 85
    assert facts.at["KR-1-01", "status"] == "on_track"
    assert facts.at["KR-1-01", "confidence"] == "high"


def test_all_problems_of_all_files_are_found_in_one_pass(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", -1)
                   .type("KR-1-02", "actual", 101), "1001")
    workspace.send(workspace.clerk("1002").type("KR-1-01", "status", "?"), "1002")
    workspace.send(workspace.clerk("1004"), "1004")
    first, second, third = sorted(judge_inbox(workspace), key=lambda v: v.arrival.folder)
    assert found(first) == [("error", "count-negative", "H6"),
                            ("error", "percent-out-of-range", "H7")]
    assert found(second) == [("error", "status-invalid", "K6")]
    assert third.accepted


@needs_libreoffice
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in ROW_CASES if c.id in (
    "not-a-number", "percent-out-of-range", "numerator-above", "status-invalid",
    "note-required", "actual-blank")])
def test_a_mistake_saved_by_libreoffice_gives_the_same_problem(workspace, tmp_path, case):
    mistake, code, cell, message_th, _ = case.values
    clerk = workspace.clerk("1001")
    mistake(clerk)
    typed = clerk.save(tmp_path / "typed" / "report.xlsx")
    saved = convert(typed, "xlsx", tmp_path / "saved")
    workspace.drop(saved, "1001", "report.xlsx")
    verdict = only_verdict(workspace)
    assert [(p.code, p.cell, p.message_th) for p in verdict.problems
            if p.severity == "error"] == [(code, cell or f"H{clerk.rows[MILESTONE]}", message_th)]


def _percent_typed(workspace, stored: float, number_format: str):
    """KR-1-02 (percent, H7) as Excel or LibreOffice store "85%" typed in a General cell:
    the fraction, formatted as a percentage."""
    clerk = workspace.clerk("1001").type("KR-1-02", "actual", stored)
    clerk.sheet.cell(clerk.rows["KR-1-02"], clerk.columns["actual"]).number_format = (
        number_format)
    return clerk


@pytest.mark.parametrize(("stored", "number_format", "read"), [
    (0.85, "0%", 85.0), (0.855, "0.0%", 85.5), (0.07, "0.00%", 7.0)])
def test_a_percentage_typed_with_its_sign_is_read_as_the_percentage_it_shows(
        workspace, stored, number_format, read):
    workspace.send(_percent_typed(workspace, stored, number_format), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert verdict.facts.set_index("kr_code").loc["KR-1-02", "actual"] == read
    (notice,) = [p for p in verdict.problems if p.cell == "H7"]
    shown = f"{read:g}%"
    assert (notice.code, notice.value, notice.message_en) == (
        "normalized-number", shown, f'Read "{shown}" as the number {read:g}.')
    assert notice.message_th == f'อ่าน "{shown}" เป็นตัวเลข {read:g}'


def test_a_percent_sign_written_as_text_in_a_format_does_not_scale_the_number(workspace):
    workspace.send(_percent_typed(workspace, 85, '0.0"%"'), "1001")
    verdict = only_verdict(workspace)
    assert verdict.facts.set_index("kr_code").loc["KR-1-02", "actual"] == 85.0
    assert [p for p in verdict.problems if p.cell == "H7"] == []


@needs_libreoffice
@pytest.mark.parametrize("saved_as", ["xlsx", "ods", "xls"])
def test_a_percentage_saved_by_libreoffice_is_read_as_it_shows(workspace, tmp_path, saved_as):
    """Saved as .ods or .xls, 85% was read as 0.85 and accepted, a hundred times too small."""
    typed = _percent_typed(workspace, 0.85, "0%").save(tmp_path / "typed" / "report.xlsx")
    workspace.drop(convert(typed, saved_as, tmp_path / "saved"), "1001", f"report.{saved_as}")
    verdict = only_verdict(workspace)
    assert verdict.facts.set_index("kr_code").loc["KR-1-02", "actual"] == 85.0
    assert [(p.code, p.value) for p in verdict.problems if p.cell == "H7"] == [
        ("normalized-number", "85%")]


@pytest.mark.parametrize(("typed", "shown"), [
    ("31/3/2569", "31 มี.ค. 2569 (2026-03-31)"),
    (datetime(2569, 3, 31), "31 มี.ค. 2569 (2026-03-31)"),  # LibreOffice in a Thai locale
    ("31/3/2569\u200b", "31 มี.ค. 2569 (2026-03-31)"),  # a zero-width space pasted from a chat
])
def test_the_figures_date_typed_in_buddhist_era_is_read_with_a_notice(workspace, typed, shown):
    workspace.send(workspace.clerk("1001").date_figures(typed), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert verdict.as_of == date(2026, 3, 31)
    (notice,) = verdict.problems
    assert (notice.code, notice.cell, notice.expected) == ("normalized-date", "L2", shown)


def test_the_figures_date_is_found_by_its_label_when_rows_were_inserted_above(workspace):
    clerk = workspace.clerk("1001").date_figures("31/3/2569")
    clerk.sheet.insert_rows(1, 2)  # a title and a signature line of the district's own
    clerk.sheet["A1"] = "แบบรายงานเขตพระนคร"
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert verdict.as_of == date(2026, 3, 31)
    (notice,) = verdict.problems
    assert (notice.code, notice.cell) == ("normalized-date", "L4")


@pytest.mark.parametrize("deleted", [(1, 2), (2, 1)])
def test_title_rows_deleted_with_the_figures_date_leave_it_not_given(workspace, deleted):
    """The title rows deleted, the date's label with them: the template's cell of the date
    (L2) then held a header ("ความเชื่อมั่น", or the hidden key row's "confidence"), read as
    a date that is not one, and a good file was refused for it."""
    clerk = workspace.clerk("1001").date_figures("31/3/2569")
    clerk.sheet.delete_rows(*deleted)
    workspace.send(clerk, "1001")
    verdict = only_verdict(workspace)
    assert (verdict.accepted, verdict.problems, verdict.as_of) == (True, (), None)


def test_a_number_typed_as_the_note_is_kept_as_it_shows(workspace):
    """A year typed alone in the note cell (a number cell) was stored as "2567.0"."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "note", 2567), "1001")
    verdict = only_verdict(workspace)
    facts = verdict.facts.set_index("kr_code")
    assert facts.loc["KR-1-01", "note"] == "2567"


def test_a_date_cell_needs_no_notice(workspace):
    workspace.send(workspace.clerk("1001").date_figures(datetime(2026, 3, 31)), "1001")
    verdict = only_verdict(workspace)
    assert (verdict.problems, verdict.as_of) == ((), date(2026, 3, 31))


def test_a_figures_date_that_is_not_a_date_is_refused(workspace):
    verdict = _reject(workspace, workspace.clerk("1001").date_figures("สิ้นไตรมาส"))
    assert found(verdict) == [("error", "as-of-invalid", "L2")]
    assert verdict.problems[0].message_th == (
        '"สิ้นไตรมาส" ไม่ใช่วันที่ กรุณากรอกวันที่ของข้อมูล เช่น 31 มี.ค. 2569')


def test_a_figures_date_outside_the_period_is_a_warning(workspace):
    workspace.send(workspace.clerk("1001").date_figures("31/12/2568"), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    assert [(p.code, p.severity) for p in verdict.problems] == [
        ("as-of-outside-period", "warning"), ("normalized-date", "notice")]
    assert verdict.problems[0].message_th == (
        "วันที่ของข้อมูล 31 ธ.ค. 2568 ไม่อยู่ในรอบการรายงาน (1 ม.ค. 2569 – 31 มี.ค. 2569) "
        "กรุณาตรวจสอบ")


def test_last_periods_template_filled_with_this_periods_figures_is_refused(workspace):
    """The Q2 template filled again with Q3's figures, dated 30 June: it was accepted as a
    correction of Q2 with a warning, Q2's figures replaced by Q3's and Q3 never sent."""
    verdict = _reject(workspace, workspace.clerk("1001").date_figures(date(2026, 6, 30)))
    assert found(verdict) == [("error", "as-of-later-period", "L2")]
    assert verdict.problems[0].message_th == (
        "วันที่ของข้อมูล 30 มิ.ย. 2569 อยู่ในรอบ 2569-Q3 ซึ่งเป็นรอบหลังจากรอบของแบบรายงานนี้ "
        "หากเป็นผลของรอบ 2569-Q3 กรุณากรอกในแบบรายงานของรอบ 2569-Q3 "
        "หากเป็นผลของรอบของแบบรายงานนี้ กรุณาแก้เป็นวันที่ของผลนั้น")
    assert verdict.problems[0].message_en == (
        "The figures are dated 30 มิ.ย. 2569, in 2569-Q3, a period after this template's: if "
        "they are 2569-Q3's, fill the 2569-Q3 template; if they are this template's period's, "
        "type the date they stand at.")


@pytest.mark.parametrize(("period", "dated", "later"), [
    ("2569-Q2", date(2026, 6, 29), None),  # filled late in Q3, dated the day it was filled
    ("2569-Q4", date(2026, 12, 31), "2570-Q1"),
    ("2569-M05", date(2026, 3, 30), None),
    ("2569-M05", date(2026, 3, 31), "2569-M06"),
])
def test_figures_are_of_a_later_period_once_dated_at_the_end_of_the_next(
        workspace, period, dated, later):
    workspace.send(workspace.clerk("1001", period).date_figures(dated), "1001")
    verdict = only_verdict(workspace)
    refused = [p.expected for p in verdict.problems if p.code == "as-of-later-period"]
    assert refused == ([later] if later else [])
    assert verdict.accepted is (later is None)


def test_a_milestone_typed_as_a_percentage_is_refused_without_a_notice_that_it_was_read(
        workspace):
    """"100%" for done: refused as no milestone's choice, and also noticed as "read as the
    number 100", the opposite of the error beside it."""
    clerk = workspace.clerk("1001").type(MILESTONE, "actual", "100%")
    clerk.type("KR-1-01", "actual", "100%")  # a count's "100%" is read as 100, and said so
    verdict = _reject(workspace, clerk)
    assert [(p.severity, p.code, p.cell) for p in verdict.problems
            if p.code in ("milestone-invalid", "normalized-number")] == [
        ("error", "milestone-invalid", f"H{clerk.rows[MILESTONE]}"),
        ("notice", "normalized-number", "H6")]
    assert verdict.problems[0].message_en == (
        '"100%" is not allowed; pick done (ดำเนินการแล้ว) or not done (ยังไม่ดำเนินการ).')


def test_a_count_over_ten_times_its_target_is_accepted_with_a_warning(workspace):
    """350 km of footpath for a target of a few: zeros typed twice. Sent before ten other
    districts had sent theirs, nothing compared it with anything, and it went into the
    city's sum without a word."""
    target = workspace.registry.assigned("1001").set_index("kr_code").at["KR-1-01", "target"]
    typed = round(target * 100, 1)
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", typed)
                   .type("KR-1-01", "status", "เป็นไปตามแผน"), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    (warning,) = [p for p in verdict.problems if p.code == "count-far-above-target"]
    assert (warning.severity, warning.cell) == ("warning", "H6")
    assert warning.message_en == (
        f"The value {typed:g} is over ten times the annual target ({target:,.2f}); check for "
        "extra zeros.")


def test_a_blank_confidence_beside_a_figure_is_accepted_with_a_warning(workspace):
    """The template asks for a status and a confidence; a blank status is refused, and a blank
    confidence went by without a word."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "confidence", None)
                   .type("KR-1-02", "confidence", None).type("KR-1-02", "actual", None)
                   .type("KR-1-02", "status", None).type("KR-1-02", "note", "รอผลสำรวจ"), "1001")
    verdict = only_verdict(workspace)
    assert verdict.accepted
    # KR-1-02 reports no figure, so asks no confidence
    assert found(verdict) == [("warning", "confidence-blank", "L6"),
                              ("notice", "not-reported", "H7")]
    assert verdict.problems[0].message_th == "ยังไม่ได้เลือกระดับความเชื่อมั่น กรุณาเลือกจากรายการ"


def test_every_row_rule_reads_only_the_columns_given_to_pandera():
    """pandera reports a rule that fails to run as a failure, not as a crash."""
    numbers = {"file_id", "row", "actual", "numerator", "denominator", "value",
               "previous_actual", "next_actual", "milestone", "baseline", "target"}
    flags = {"assigned", "retired", "outlier", "far_below", "cumulative"}
    frame = pd.DataFrame({column: [1.0] if column in numbers else [True] if column in flags
                          else [""] for column in submission.CHECKED_COLUMNS})
    for rule in submission.ROW_RULES:
        assert len(rule.passes(frame)) == 1, rule.code


def _send_two_periods(workspace):
    for district, period in [("1001", "2569-Q2"), ("1002", "2569-Q1"), ("1001", "2569-Q1"),
                             ("1002", "2569-Q2")]:
        workspace.send(workspace.clerk(district, period), district)


def test_files_are_judged_in_groups_of_whole_periods(workspace):
    _send_two_periods(workspace)
    raws = read_inbox(workspace)
    q1, q2 = ([i for i, raw in enumerate(raws) if raw.metadata["period"] == period]
              for period in ("2569-Q1", "2569-Q2"))
    rows = {i: len(raw.row_numbers) for i, raw in enumerate(raws)}
    both = sum(rows.values())
    assert by_periods(raws, rows_at_once=both) == [q1 + q2]
    assert by_periods(raws, rows_at_once=both - 1) == [q1, q2]
    assert by_periods(raws, rows_at_once=1) == [q1, q2]  # a period is never split


def test_verdicts_come_back_in_the_files_order_when_periods_are_judged_apart(workspace,
                                                                            monkeypatch):
    _send_two_periods(workspace)
    workspace.send(workspace.clerk("1004", "2569-Q1").type("KR-1-01", "actual", -1), "1004")
    monkeypatch.setattr(validate, "ROWS_A_WORKER", 1)
    raws = read_inbox(workspace)
    assert len(by_periods(raws, validate.ROWS_A_WORKER)) == 2
    verdicts = judge(raws, RegistryVersions((workspace.registry,)), workspace.settings)
    assert [v.arrival for v in verdicts] == [raw.arrival for raw in raws]
    assert [(v.district_code, v.period, v.accepted) for v in verdicts] == [
        (raw.metadata["district_code"], raw.metadata["period"],
         raw.metadata["district_code"] != "1004") for raw in raws]
    (rejected,) = [v for v in verdicts if not v.accepted]
    assert found(rejected) == [("error", "count-negative", "H6")]
    assert all(set(v.facts["period"]) == {v.period} for v in verdicts if v.accepted)


def test_a_backlog_of_periods_is_judged_in_two_workers_with_the_same_verdicts(workspace,
                                                                            monkeypatch):
    _send_two_periods(workspace)
    workspace.send(workspace.clerk("1004", "2569-Q1").type("KR-1-01", "actual", -1), "1004")
    workspace.send(workspace.clerk("1003", "2569-Q2").type("KR-1-02", "actual", "85 %"), "1003")
    # refused for a word where a number goes, and for a fall below its own Q1, sent the same
    # night: the walk of the night (pipeline.same_night) reads its figures after the workers
    workspace.send(workspace.clerk("1005", "2569-Q2").type("KR-1-03", "actual", 100)
                   .type("KR-1-01", "actual", "สิบ"), "1005")
    workspace.send(workspace.clerk("1005", "2569-Q1").type("KR-1-03", "actual", 300), "1005")
    registries = RegistryVersions((workspace.registry,))
    here = judge(read_inbox(workspace), registries, workspace.settings)
    outcomes = _watch_the_workers(monkeypatch)
    monkeypatch.setattr(validate, "ROWS_A_WORKER", 1)  # a period each, as in a backlog
    # read as the run reads them: in reader processes, the cells crossing packed
    packed = read_all(discover(workspace.settings.inbox), workspace.settings.limits)
    apart = judge(packed, registries, workspace.settings)
    assert len(outcomes) == 2 and not any(outcome.failure for outcome in outcomes)  # a period each
    assert [(v.arrival, v.accepted, v.problems, v.as_of, v.on_time) for v in apart] == [
        (v.arrival, v.accepted, v.problems, v.as_of, v.on_time) for v in here]
    assert [found(v) for v in apart if v.problems] == [
        [("error", "count-negative", "H6")], [("notice", "normalized-number", "H7")],
        [("error", "not-a-number", "H6"), ("error", "cumulative-decreased", "H8")],
        [("warning", "status-disagrees", "K8")]]  # 300 typed, the status left as it was
    for mine, theirs in zip(here, apart, strict=True):
        if mine.accepted:
            pd.testing.assert_frame_equal(theirs.facts, mine.facts)


def test_a_fault_of_the_code_in_a_worker_is_raised_with_its_traceback(workspace, monkeypatch):
    """The worker says only the exception's type: the period is judged again here, where the
    fault is raised as it is."""
    _send_two_periods(workspace)

    def faulty(*args):
        raise ValueError("a fault of the code")

    outcomes = _watch_the_workers(monkeypatch)
    monkeypatch.setattr(validate, "ROWS_A_WORKER", 1)
    monkeypatch.setattr(validate, "_judge", faulty)
    with pytest.raises(ValueError, match="a fault of the code"):
        judge(read_inbox(workspace), RegistryVersions((workspace.registry,)), workspace.settings)
    assert [outcome.failure for outcome in outcomes] == ["ValueError", "ValueError"]


def _watch_the_workers(monkeypatch) -> list:
    """The outcomes of the workers' pool (the real one) as judge gets them."""
    outcomes = []

    def workers(*args, **kwargs):
        outcomes.extend(call_all(*args, **kwargs))
        return outcomes[-len(args[1]):]

    monkeypatch.setattr(validate, "call_all", workers)
    return outcomes


def test_a_same_night_file_replaces_its_periods_stored_figures_whole_even_with_no_rows():
    """What a later period is compared with: the night's accepted files in place of the
    warehouse's figures of their district and period, a file with no rows too."""
    stored = pd.DataFrame([("1001", "2569-Q1", "KR-1-03", 300.0, "on_track", 1),
                           ("1002", "2569-Q1", "KR-1-03", 250.0, "on_track", 2)],
                          columns=FACT_COLUMNS)
    tonight = pd.DataFrame(columns=["district_code", "period", "kr_code", "actual"])
    around = History(facts=stored, tonight=tonight,
                     tonight_periods=frozenset({("1001", "2569-Q1")})).around()
    assert around[["district_code", "actual"]].values.tolist() == [["1002", 250.0]]
    assert History(facts=stored).around() is stored


def test_judging_does_not_import_hypothesis_as_pandera_would_if_it_could():
    """Only the tests have hypothesis (beside the venv, see the Makefile): pandera imports it
    on its first check whenever it is importable, 0.065 s and 6 MB of every run with files."""
    code = ("import sys; import pandas as pd; import pandera.pandas as pa; import pipeline.runner; "
            "pa.DataFrameSchema({'a': pa.Column(int, pa.Check.ge(0))}).validate("
            "pd.DataFrame({'a': [1]})); print('hypothesis' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
