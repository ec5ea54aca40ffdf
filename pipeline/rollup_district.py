"""A district's own sheet in its group's workbook: its score, rank and submission, its
dimensions against the group and the city, and the KRs to follow up (off track or without
data) with their figures and its clerk's notes."""

import pandas as pd

from pipeline.rollup import CITY, PeriodRollup
from pipeline.rollup_book import footer, subtitle
from pipeline.score import percent_text
from pipeline.xlsx_style import Col, Styles, print_setup
from pipeline.xlsx_table import (
    is_missing,
    progress_lights,
    write_heading,
    write_note,
    write_section,
    write_table,
)

# A committee member follows up what is behind; every KR's progress is in the group's KR sheet.
FOLLOW_UP = ("off_track", "no_data")
# The two tables share their first six columns, so their widths agree.
DIMENSION_COLS = [
    Col("dimension_id", "ด้าน", "Dim.", "short", 6),
    Col("krs_text", "KR มีข้อมูล", "KRs with data", width=9),
    Col("label", "ด้าน", "Dimension", width=44),
    Col("district", "เขตนี้", "This district", "percent", 11),
    Col("group", "กลุ่มเขต", "Group", "percent", 11),
    Col(CITY, "ทั้งกรุงเทพฯ", "City", "percent", 11),
]
KR_COLS = [
    Col("dimension_id", "ด้าน", "Dim.", "short", 6),
    Col("kr_code", "รหัส", "KR", width=9),
    Col("name_th", "ตัวชี้วัดผลหลัก", "Key result", width=44),
    Col("progress_shown", "เขตนี้", "This district", "percent", 11),
    Col("group", "กลุ่มเขต", "Group", "percent", 11),
    Col(CITY, "ทั้งกรุงเทพฯ", "City", "percent", 11),
    Col("unit_th", "หน่วยนับ", "Unit", width=9),
    Col("baseline", "ค่าฐาน", "Baseline", "measure", 11),  # progress is from it, not from 0
    Col("actual", "ผลการดำเนินงาน", "Actual", "measure", 11),
    Col("target", "ค่าเป้าหมาย", "Target", "measure", 11),
    Col("status", "สถานะตามตัวเลข", "Status (computed)", "status", 13),
    Col("clerk_status", "สถานะที่เขตรายงาน", "Status (reported)", "status", 13),
    Col("note", "คำอธิบายจากเขต", "District's note", width=36),
]


def write_district(book, styles: Styles, rollup: PeriodRollup, district, group,
                   dimensions: pd.DataFrame, follow: pd.DataFrame, assigned: int) -> None:
    """`district` is a row of the group's ranking: code, names, score, ranks, submission;
    `dimensions` its rows of district_dimensions; `follow` its KRs to follow up (FOLLOW_UP)
    in the order shown, with the progress of each KR in the group and the city (see
    area_progress), of the `assigned` KRs it reports on."""
    sheet = book.add_worksheet(district.name_th)
    write_heading(sheet, styles, f"สำนักงานเขต{district.name_th} ({district.name_en}) — "
                  f"{rollup.period.label_th}", subtitle(rollup))
    score = "ไม่มีข้อมูล" if is_missing(district.score) else percent_text(district.score)
    write_section(sheet, styles, 2, f"คะแนนรวม / overall score {score} · อันดับในกลุ่ม{group.group_th} "
                       f"{district.rank_text} · อันดับในกรุงเทพฯ {district.city_rank_text} · "
                       f"การส่งรายงาน / submission: {district.state_th}")
    last = write_table(sheet, styles, 3, dimensions, DIMENSION_COLS, freeze=None,
                       autofilter=False)
    progress_lights(sheet, styles, (5, 3, last, 5), rollup.expected, rollup.thresholds.at_risk)
    write_section(sheet, styles, last + 2,
                  f"ตัวชี้วัดที่ต้องติดตาม (ล่าช้ากว่าแผนหรือไม่มีข้อมูล) {len(follow)} จาก {assigned} / "
                  f"KRs to follow up (off track or no data): {len(follow)} of {assigned}")
    write_note(sheet, styles, last + 3, "ตัวชี้วัดทุกตัวของเขตเทียบกับกลุ่มและทั้งกรุงเทพฯ อยู่ในแผ่นงาน "
               "“รายตัวชี้วัด” / every KR of the district against the group and the city: "
               "sheet “รายตัวชี้วัด”", KR_COLS)
    top = last + 4
    kr_last = write_table(sheet, styles, top, follow, KR_COLS, freeze=None)
    progress_lights(sheet, styles, (top + 2, 3, kr_last, 5), rollup.expected,
                    rollup.thresholds.at_risk)
    print_setup(sheet, (top, top + 1), footer(rollup))
