"""One dimension at a glance: its score and the count of KRs by status, a chart of each KR's
progress against expected, the scores of its development issues and objectives, and its KRs
city-wide. The first sheet of a dimension workbook and a page of the committee overview."""

import math

import pandas as pd

from pipeline import rollup_charts
from pipeline.rollup import PeriodRollup
from pipeline.rollup_book import footer, subtitle, with_kr
from pipeline.xlsx_style import STATUS_EN, STATUS_TH, Col, Styles, print_setup
from pipeline.xlsx_table import (
    progress_lights,
    row_height,
    write_cell,
    write_heading,
    write_section,
    write_table,
)

KR_COLS = [
    Col("kr_code", "รหัส", "KR", width=10),
    Col("name_th", "ตัวชี้วัดผลหลัก", "Key result", width=52),
    Col("unit_th", "หน่วยนับ", "Unit", width=12),
    Col("actual", "ผลการดำเนินงาน", "Actual", "measure", 12),
    Col("baseline", "ค่าฐาน", "Baseline", "measure", 11),
    Col("target", "ค่าเป้าหมาย", "Target", "measure", 11),
    Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 11),
    Col("expected", "ที่คาดหวัง", "Expected", "percent", 10),
    Col("status", "สถานะ", "Status", "status", 13),
    Col("reporting", "เขตที่รายงาน", "Districts reporting", "int", 10),
    Col("assigned", "เขตที่รับผิดชอบ", "Districts assigned", "int", 10),
]
TREE_COLS = [
    Col("code", "รหัส", "Code", width=10),
    Col("label", "ประเด็นการพัฒนา / เป้าประสงค์", "Development issue / objective", width=52),
    Col("score", "คะแนน", "Score", "percent", 12),
    Col("krs_with_data", "KR ที่มีข้อมูล", "KRs with data", "int", 12),
    Col("krs", "KR ทั้งหมด", "KRs", "int", 11),
]
SUMMARY_ROW = 3  # the key figures start here; the chart sits beside them
ROW_PX = 26  # the default row height: the chart's height in rows, to keep tables clear of it


def dimension_krs(rollup: PeriodRollup, dimension_id: int) -> pd.DataFrame:
    city = with_kr(rollup.kr_city, rollup)
    return city[city["dimension_id"] == dimension_id].sort_values("kr_code")


def write_glance(book, styles: Styles, rollup: PeriodRollup, dim, name: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.hide_gridlines(2)
    write_heading(sheet, styles, f"ด้านที่ {dim.dimension_id} {dim.name_th} ({dim.name_en}) — "
                  f"{rollup.period.label_th}", subtitle(rollup))
    krs = dimension_krs(rollup, dim.dimension_id)
    score = rollup.dims_city.set_index("dimension_id")["score"].get(dim.dimension_id)
    figures = [("คะแนนด้าน / dimension score", score, "percent", styles.labels["no_data"]),
               ("ความก้าวหน้าที่คาดหวัง / expected", rollup.expected, "percent",
                styles.labels["no_data"])]
    counts = krs["status"].value_counts()
    figures += [(f"{STATUS_TH[code]} / {STATUS_EN[code]}", counts.get(code, 0), "int",
                 styles.labels[code]) for code in STATUS_TH]
    figures.append(("ตัวชี้วัดทั้งหมด / key results", len(krs), "int", styles.labels["no_data"]))
    for i, (label, value, kind, label_style) in enumerate(figures):
        row = SUMMARY_ROW + i
        sheet.merge_range(row, 0, row, 1, "", label_style)
        sheet.write_string(row, 0, label, label_style)
        write_cell(sheet, styles, row, 2, kind, value)
        sheet.set_row(row, 30)
    tree_top = SUMMARY_ROW + len(figures) + 1
    write_section(sheet, styles, tree_top, "คะแนนรายประเด็นการพัฒนาและเป้าประสงค์ / scores by "
                  "development issue and objective")
    tree = _tree(rollup, dim.dimension_id)
    tree_last = write_table(sheet, styles, tree_top + 1, tree, TREE_COLS, freeze=None,
                            autofilter=False)
    for r, issue in enumerate(tree.itertuples()):
        if issue.level == "issue":  # issues stand out from the objectives beneath them
            for c, key in enumerate(("code", "label")):
                write_cell(sheet, styles, tree_top + 3 + r, c, "bold", getattr(issue, key))
            bold = [(issue.label, TREE_COLS[1].width * 0.85)]
            sheet.set_row(tree_top + 3 + r, row_height(bold))
    progress_lights(sheet, styles, (tree_top + 3, 2, tree_last, 2), rollup.expected,
                    rollup.thresholds.at_risk)
    chart_height = 110 + 34 * len(krs)
    kr_top = max(tree_last + 2, SUMMARY_ROW + math.ceil(chart_height / ROW_PX) + 1)
    write_section(sheet, styles, kr_top, "ตัวชี้วัดผลหลักทั้งเมือง / key results, city-wide")
    kr_last = write_table(sheet, styles, kr_top + 1, krs, KR_COLS, freeze=None)
    keys = [c.key for c in KR_COLS]
    if not krs.empty:
        rollup_charts.progress_bars(
            book, sheet, (kr_top + 3, kr_last),
            {"category": 0, "progress": keys.index("progress_shown"),
             "expected": keys.index("expected")}, (SUMMARY_ROW, 5), chart_height)
    print_setup(sheet, (kr_top + 1, kr_top + 2), footer(rollup))
    sheet.set_h_pagebreaks([kr_top])  # the KRs start a page of their own


def _tree(rollup: PeriodRollup, dimension_id: int) -> pd.DataFrame:
    scores = rollup.tree_city[rollup.tree_city["dimension_id"] == dimension_id]
    issues = rollup.reference.issues.set_index("issue_code")["name_th"]
    objectives = rollup.objectives.set_index("objective_code")["name_th"]
    is_issue = scores["level"].eq("issue")
    return scores.assign(
        code=scores["issue_code"].where(is_issue, scores["objective_code"]),
        label=scores["issue_code"].map(issues).where(
            is_issue, "    " + scores["objective_code"].map(objectives)))
