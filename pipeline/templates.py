"""Registry → one template workbook per district for a period, ready for a clerk to fill."""

import json
from datetime import datetime, time
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_range

from pipeline.atomic import atomic_path
from pipeline.cells import cell_position
from pipeline.periods import Period, last_as_of, thai_date
from pipeline.reference import Reference
from pipeline.registry import Registry
from pipeline.signature import sign
from pipeline.xlsx_style import FONT
from pipeline.xlsx_table import row_height
from pipeline.xlsx_workbook import Workbook
from schemas import template_layout as layout

_WIDTH = {column.key: column.width for column in layout.COLUMNS}
_GREY = f"#{layout.LOCKED_COLOUR}"
_INPUT = f"#{layout.INPUT_COLOUR}"
_INSTRUCTIONS = (
    "แบบรายงานความก้าวหน้าตัวชี้วัดผลหลัก (OKR) ของสำนักงานเขต",
    "",
    "วิธีกรอก",
    "1. กรอกเฉพาะช่องสีเหลืองในแผ่นงาน \"รายงานผล\" ช่องอื่นถูกล็อกไว้",
    "2. กรอกวันที่ที่ตัวเลขในรายงานเป็นปัจจุบัน ในช่อง \"ข้อมูล ณ วันที่\" ที่มุมขวาบนของแผ่นงาน",
    "3. ตัวชี้วัดประเภท \"จำนวน\" และ \"ร้อยละ\": กรอกผลการดำเนินงานเป็นตัวเลข",
    "   ตัวชี้วัดที่ระบุว่า (สะสม) ให้กรอกผลสะสมตั้งแต่ต้นปีงบประมาณ",
    "4. ตัวชี้วัดประเภท \"สัดส่วน\": กรอกตัวตั้งและตัวหาร ระบบจะคำนวณร้อยละให้",
    "5. ตัวชี้วัดประเภท \"ขั้นความสำเร็จ\": เลือก ดำเนินการแล้ว หรือ ยังไม่ดำเนินการ",
    "6. เลือกสถานะและระดับความเชื่อมั่นจากรายการ",
    "7. หากสถานะเป็น \"มีความเสี่ยง\" หรือ \"ล่าช้ากว่าแผน\" ต้องอธิบายในช่องหมายเหตุ",
    "8. หากยังไม่มีผลการดำเนินงาน ให้เว้นว่างและอธิบายเหตุผลในช่องหมายเหตุ",
    "9. ห้ามเพิ่ม ลบ หรือสลับแถว และห้ามแก้ไขแผ่นงานที่ซ่อนไว้",
    "10. บันทึกเป็นไฟล์ .xlsx แล้วส่งในโฟลเดอร์ของเขต",
    "",
    "How to fill (English):",
    "- fill only the yellow cells of sheet \"รายงานผล\";",
    "- give the date your figures stand at in \"data as of\", top right;",
    "- cumulative KRs take the total since the start of the fiscal year;",
    "- ratio KRs take a numerator and a denominator;",
    "- pick status and confidence from the lists;",
    "- explain in the note any KR at risk or off track, and any actual left blank.",
)


def template_path(out_dir: Path, district_code: str) -> Path:
    return out_dir / f"{district_code}.xlsx"


def write_templates(registry: Registry, reference: Reference, period: Period, out_dir: Path,
                    signing_key: str) -> list[Path]:
    paths = []
    for district in reference.districts.itertuples():
        rows = registry.assigned(district.code)
        if rows.empty:
            continue
        path = template_path(out_dir, district.code)
        metadata = {
            "template_version": layout.TEMPLATE_VERSION,
            "district_code": district.code,
            "period": period.code,
            "registry_version": registry.version,
            "data_sheet": layout.DATA_SHEET,
        }
        metadata["signature"] = sign(metadata, signing_key)
        metadata["as_of_cell"] = layout.AS_OF_CELL
        due = registry.periods.set_index("period")["due_date"].get(period.code)
        with atomic_path(path) as tmp:
            _write(tmp, rows, metadata, district, period, due)
        paths.append(path)
    return paths


def _write(path: Path, rows: pd.DataFrame, metadata: dict, district, period: Period, due) -> None:
    book = Workbook(path)
    book.set_properties({
        "title": f"แบบรายงาน OKR เขต{district.name_th} {period.label_th}",
        "subject": f"OKR progress report, {district.name_en}, {period.label_en}",
        "author": "สำนักยุทธศาสตร์และประเมินผล กรุงเทพมหานคร",
        "created": datetime.combine(period.start, time()),
    })
    formats = _formats(book)
    _instructions(book, formats, district, period, due)
    _data_sheet(book, formats, rows, district, period)
    meta = book.add_worksheet(layout.META_SHEET)
    for row, (key, value) in enumerate(metadata.items()):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, value)
    meta.very_hidden()
    meta.protect()
    book.get_worksheet_by_name(layout.DATA_SHEET).activate()
    book.close()


def _formats(book) -> dict:
    base = {"font_name": FONT, "font_size": 14, "valign": "top"}
    return {name: book.add_format({**base, **extra}) for name, extra in {
        "title": {"bold": True, "font_size": 18},
        "subtitle": {"font_size": 14, "font_color": "#595959"},
        "header_th": {"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF",
                      "text_wrap": True, "border": 1, "align": "center"},
        "header_en": {"italic": True, "bg_color": "#DDEBF7", "font_size": 12, "border": 1,
                      "align": "center", "text_wrap": True},
        "key": {"font_size": 8, "font_color": "#808080"},
        "locked": {"bg_color": _GREY, "border": 1, "text_wrap": True},
        "locked_en": {"bg_color": _GREY, "border": 1, "text_wrap": True, "font_size": 12,
                      "font_color": "#595959"},
        "number0": {"bg_color": _GREY, "border": 1, "num_format": "#,##0"},
        "number1": {"bg_color": _GREY, "border": 1, "num_format": "#,##0.0"},
        "number2": {"bg_color": _GREY, "border": 1, "num_format": "#,##0.00"},
        "number3": {"bg_color": _GREY, "border": 1, "num_format": "#,##0.000"},
        "input": {"bg_color": _INPUT, "border": 1, "locked": False, "text_wrap": True},
        "not_applicable": {"bg_color": _GREY, "border": 1, "align": "center",
                           "font_color": "#A6A6A6"},
        "text": {"text_wrap": True},
        "as_of_label": {"bold": True, "align": "right"},
        "as_of": {"bg_color": _INPUT, "border": 1, "locked": False, "num_format": "d/m/yyyy",
                  "align": "center"},
    }.items()}


def _instructions(book, formats, district, period: Period, due) -> None:
    sheet = book.add_worksheet(layout.INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 110, formats["text"])
    sheet.write_string(0, 0, f"สำนักงานเขต{district.name_th} ({district.code}) — {period.label_th}",
                       formats["title"])
    sheet.write_string(1, 0, f"{district.name_en} district office — {period.label_en}",
                       formats["subtitle"])
    due_text = f"กำหนดส่ง: ภายในวันที่ {thai_date(due)}" if due else ""
    sheet.write_string(2, 0, due_text, formats["subtitle"])
    for offset, line in enumerate(_INSTRUCTIONS, start=4):
        sheet.write_string(offset, 0, line, formats["text"])
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.protect()


def _data_sheet(book, formats, rows: pd.DataFrame, district, period: Period) -> None:
    sheet = book.add_worksheet(layout.DATA_SHEET)
    col = {c.key: i for i, c in enumerate(layout.COLUMNS)}
    last_col = len(layout.COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last_col,
                      f"รายงานผลการดำเนินงานตามตัวชี้วัดผลหลัก (OKR) สำนักงานเขต{district.name_th} "
                      f"{period.label_th}", formats["title"])
    # up to the numerator: the "data as of" label, right-aligned two columns on, runs left
    # into the empty cell between them, as it is wider than its own
    sheet.merge_range(1, 0, 1, col["numerator"],
                      f"OKR progress report — {district.name_en} ({district.code}) — "
                      f"{period.label_en}", formats["subtitle"])
    _as_of_cell(sheet, formats, period)
    sheet.set_row(0, 30)  # the title's 18 pt and the subtitle's 14 pt, which the default
    sheet.set_row(1, 24)  # 15 pt rows cut in LibreOffice
    for i, column in enumerate(layout.COLUMNS):
        sheet.set_column(i, i, column.width)
        sheet.write_string(layout.KEY_ROW - 1, i, column.key, formats["key"])
        sheet.write_string(layout.HEADER_TH_ROW - 1, i, column.header_th, formats["header_th"])
        sheet.write_string(layout.HEADER_EN_ROW - 1, i, column.header_en, formats["header_en"])
    sheet.set_row(layout.KEY_ROW - 1, None, None, {"hidden": True})
    sheet.set_row(layout.HEADER_TH_ROW - 1, row_height(
        [(c.header_th, c.width) for c in layout.COLUMNS]))
    checks = _Validations()
    for offset, kr in enumerate(rows.itertuples()):
        row = layout.FIRST_DATA_ROW - 1 + offset
        number = formats[f"number{kr.decimals}"]
        # as tall as the KR's name wraps, two lines at least: LibreOffice cut a longer one
        # (the 12-point English fits 14/12 as many letters to a line as 14-point text)
        sheet.set_row(row, max(42, row_height([(kr.name_th, _WIDTH["kr_name_th"]),
                                               (kr.name_en, _WIDTH["kr_name_en"] * 14 / 12)])))
        type_th, _ = layout.KR_TYPE_LABELS[kr.kr_type]
        sheet.write_string(row, col["kr_code"], kr.kr_code, formats["locked"])
        sheet.write_string(row, col["kr_name_th"], kr.name_th, formats["locked"])
        sheet.write_string(row, col["kr_name_en"], kr.name_en, formats["locked_en"])
        sheet.write_string(row, col["unit"], kr.unit_th, formats["locked"])
        sheet.write_string(row, col["kr_type"], type_th + (" (สะสม)" if kr.cumulative else ""),
                           formats["locked"])
        sheet.write_number(row, col["baseline"], kr.baseline, number)
        sheet.write_number(row, col["target"], kr.target, number)
        _input_cells(sheet, formats, row, col, kr, checks)
    checks.write(sheet)
    last_row = layout.FIRST_DATA_ROW - 2 + len(rows)
    sheet.freeze_panes(layout.FIRST_DATA_ROW - 1, col["kr_name_th"] + 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(layout.HEADER_TH_ROW - 1, layout.HEADER_EN_ROW - 1)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.set_footer(f"&L{district.name_th} {period.code}&Rหน้า &P / &N")
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _as_of_cell(sheet, formats, period: Period) -> None:
    """The date the figures stand at: clerks type it as they like, BE years included."""
    row, col = cell_position(layout.AS_OF_CELL)
    sheet.write_string(row, col - 1, layout.AS_OF_LABEL, formats["as_of_label"])
    sheet.write_blank(row, col, None, formats["as_of"])
    sheet.data_validation(row, col, row, col, {
        "validate": "date", "criteria": "between",
        "minimum": datetime.combine(period.start, time()),
        "maximum": datetime.combine(last_as_of(period), time()),  # as validate._as_of
        "input_title": "วันที่ของข้อมูล", "input_message": f"เช่น {thai_date(period.end)}",
        "error_type": "warning", "error_title": "วันที่ไม่อยู่ในรอบรายงาน",
        "error_message": f"รอบนี้คือ {period.label_th}: ตรวจวันที่อีกครั้ง"})


def _input_cells(sheet, formats, row: int, col: dict, kr, checks: "_Validations") -> None:
    blank = formats["not_applicable"]
    if kr.kr_type == "ratio":
        sheet.write_string(row, col["actual"], "—", blank)
        for key in ("numerator", "denominator"):
            sheet.write_blank(row, col[key], None, formats["input"])
            checks.add(row, col[key], _number_rule(key, kr))
    else:
        sheet.write_blank(row, col["actual"], None, formats["input"])
        checks.add(row, col["actual"], _actual_rule(kr))
        sheet.write_string(row, col["numerator"], "—", blank)
        sheet.write_string(row, col["denominator"], "—", blank)
    for key, labels, title in (("status", layout.STATUS_LABELS, "สถานะ"),
                               ("confidence", layout.CONFIDENCE_LABELS, "ความเชื่อมั่น")):
        sheet.write_blank(row, col[key], None, formats["input"])
        checks.add(row, col[key], _list_rule(labels, title))
    sheet.write_blank(row, col["note"], None, formats["input"])
    checks.add(row, col["note"], {
        "validate": "length", "criteria": "<=", "value": layout.NOTE_MAX_LENGTH,
        "error_title": "หมายเหตุยาวเกินไป",
        "error_message": f"หมายเหตุต้องยาวไม่เกิน {layout.NOTE_MAX_LENGTH:,} ตัวอักษร",
    })


class _Validations:
    """The input cells' rules, one validation for all the cells sharing a rule (xlsxwriter's
    multi_range): a validation a cell made two thirds of the data sheet's XML, which every
    program that opens the file reads and the clerk's feedback copy writes back."""

    def __init__(self):
        self._cells: dict[str, tuple[dict, list[tuple[int, int]]]] = {}

    def add(self, row: int, col: int, rule: dict) -> None:
        key = json.dumps(rule, sort_keys=True, ensure_ascii=False)
        self._cells.setdefault(key, (rule, []))[1].append((col, row))

    def write(self, sheet) -> None:
        for rule, cells in self._cells.values():
            runs = _runs(sorted(cells))
            sheet.data_validation(*runs[0], {**rule, "multi_range": " ".join(
                xl_range(*run) for run in runs)})


def _runs(cells: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(col, row) cells, sorted → ranges of consecutive rows in a column (first row, first
    column, last row, last column)."""
    runs: list[list[int]] = []
    for col, row in cells:
        if runs and runs[-1][1] == col and runs[-1][2] == row - 1:
            runs[-1][2] = row
        else:
            runs.append([row, col, row, col])
    return [tuple(run) for run in runs]


def _list_rule(labels: dict, title: str) -> dict:
    choices = [th for th, _ in labels.values()]
    return {
        "validate": "list", "source": choices,
        "input_title": title, "input_message": "เลือกจากรายการ",
        "error_title": f"{title}ไม่ถูกต้อง",
        "error_message": "กรุณาเลือกจากรายการ: " + ", ".join(choices),
    }


def _actual_rule(kr) -> dict:
    if kr.kr_type == "milestone":
        return _list_rule(layout.MILESTONE_LABELS, "ผลการดำเนินงาน")
    if kr.kr_type == "percent":
        low, high = layout.PERCENT_RANGE
        return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high,
                "input_title": "ผลการดำเนินงาน", "input_message": f"ร้อยละ {low:g} ถึง {high:g}",
                "error_title": "ค่าไม่ถูกต้อง",
                "error_message": f"กรุณากรอกตัวเลขร้อยละ {low:g} ถึง {high:g}"}
    hint = "ผลสะสมตั้งแต่ต้นปีงบประมาณ" if kr.cumulative else "ผล ณ สิ้นรอบรายงาน"
    return {"validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": "ผลการดำเนินงาน", "input_message": f"{hint} ({kr.unit_th})",
            "error_title": "ค่าไม่ถูกต้อง", "error_message": "กรุณากรอกตัวเลขที่ไม่ติดลบ"}


def _number_rule(key: str, kr) -> dict:
    if key == "denominator":
        return {"validate": "decimal", "criteria": ">", "value": 0,
                "input_title": "ตัวหาร", "input_message": "จำนวนทั้งหมด (มากกว่า 0)",
                "error_title": "ค่าไม่ถูกต้อง", "error_message": "ตัวหารต้องเป็นตัวเลขมากกว่า 0"}
    return {"validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": "ตัวตั้ง", "input_message": "จำนวนที่ทำได้ (ไม่เกินตัวหาร)",
            "error_title": "ค่าไม่ถูกต้อง", "error_message": "ตัวตั้งต้องเป็นตัวเลขที่ไม่ติดลบ"}
