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
    Col("name_th", "ตัวชี้วัดผลหลัก", "Key result", width=64),
    Col("unit_th", "หน่วยนับ", "Unit", width=12),
    Col("actual", "ผลการดำเนินงาน", "Actual", "measure", 12),
    # a group's or the city's: the sum or mean over the districts that reported, as its
    # actual is (a target of all assigned districts read as shrinking as fewer reported)
    Col("baseline", "ค่าฐานของเขตที่รายงาน", "Baseline of districts reporting", "measure", 11),
    Col("target", "เป้าหมายของเขตที่รายงาน", "Target of districts reporting", "measure", 11),
    Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 11),
    Col("expected", "ที่คาดหวัง", "Expected", "percent", 10),
    Col("status", "สถานะ", "Status", "status", 13),
    Col("reporting", "เขตที่รายงาน", "Districts reporting", "int", 10),
    Col("assigned", "เขตที่รับผิดชอบ", "Districts assigned", "int", 10),
]
TREE_COLS = [
    Col("code", "รหัส", "Code", width=10),
    Col("label", "ประเด็นการพัฒนา / เป้าประสงค์", "Development issue / objective",
        width=64),
    Col("score", "คะแนน", "Score", "percent", 12),
    Col("krs_with_data", "KR ที่มีข้อมูล", "KRs with data", "int", 12),
    Col("krs", "KR ทั้งหมด", "KRs", "int", 11),
]
TOP = 3  # the issue scores start here on the left, the key figures on the right
RIGHT = 6  # the first column of the right-hand side, a column clear of the issue scores
CHART_WIDTH = 420  # the right-hand columns' width in pixels
ONE_PAGE_KRS = 15
ROW_PX = 28  # the default row height: the chart's height in rows, to keep tables clear of it


def dimension_krs(rollup: PeriodRollup, dimension_id: int) -> pd.DataFrame:
    city = with_kr(rollup.kr_city, rollup)
    return city[city["dimension_id"] == dimension_id].sort_values("kr_code")


def write_glance(book, styles: Styles, rollup: PeriodRollup, dim, name: str) -> None:
    """One printed page: the issue and objective scores on the left, the key figures and the
    chart of each KR's progress on the right, the KRs beneath both."""
    sheet = book.add_worksheet(name)
    sheet.hide_gridlines(2)
    write_heading(sheet, styles, f"ด้านที่ {dim.dimension_id} {dim.name_th} ({dim.name_en}) — "
                  f"{rollup.period.label_th}", subtitle(rollup))
    krs = dimension_krs(rollup, dim.dimension_id)
    figures_last = _figures(sheet, styles, rollup, dim.dimension_id, krs)
    write_section(sheet, styles, TOP, "คะแนนรายประเด็นการพัฒนาและเป้าประสงค์ / scores by "
                  "development issue and objective")
    tree_last = _write_tree(sheet, styles, rollup, dim.dimension_id)
    chart_height = 130 + 44 * len(krs)
    chart_top = figures_last + 1
    kr_top = max(tree_last + 2, chart_top + math.ceil(chart_height / ROW_PX) + 1)
    write_section(sheet, styles, kr_top, "ตัวชี้วัดผลหลักทั้งเมือง / key results, city-wide")
    kr_last = write_table(sheet, styles, kr_top + 1, krs, KR_COLS, freeze=None)
    keys = [c.key for c in KR_COLS]
    if not krs.empty:
        rollup_charts.progress_bars(
            book, sheet, (kr_top + 3, kr_last),
            {"category": 0, "progress": keys.index("progress_shown"),
             "expected": keys.index("expected")}, (chart_top, RIGHT),
            (CHART_WIDTH, chart_height))
    # One page while it stays legible; a dimension with very many KRs flows onto more.
    print_setup(sheet, (kr_top + 1, kr_top + 2), footer(rollup),
                pages_tall=1 if len(krs) <= ONE_PAGE_KRS else 0)


def _figures(sheet, styles: Styles, rollup: PeriodRollup, dimension_id: int,
             krs: pd.DataFrame) -> int:
    """The dimension's score, the expected progress and the KRs by status, top right; returns
    the last row."""
    score = rollup.dims_city.set_index("dimension_id")["score"].get(dimension_id)
    figures = [("คะแนนด้าน / dimension score", score, "percent", styles.labels["no_data"]),
               ("ความก้าวหน้าที่คาดหวัง / expected", rollup.expected, "percent",
                styles.labels["no_data"])]
    counts = krs["status"].value_counts()
    figures += [(f"{STATUS_TH[code]} / {STATUS_EN[code]}", counts.get(code, 0), "int",
                 styles.labels[code]) for code in STATUS_TH]
    figures.append(("ตัวชี้วัดทั้งหมด / key results", len(krs), "int", styles.labels["no_data"]))
    value_col = len(KR_COLS) - 1
    for i, (label, value, kind, label_style) in enumerate(figures):
        row = TOP + 1 + i
        sheet.merge_range(row, RIGHT, row, value_col - 1, "", label_style)
        sheet.write_string(row, RIGHT, label, label_style)
        write_cell(sheet, styles, row, value_col, kind, value)
    return TOP + len(figures)


def _write_tree(sheet, styles: Styles, rollup: PeriodRollup, dimension_id: int) -> int:
    tree = _tree(rollup, dimension_id)
    tree_last = write_table(sheet, styles, TOP + 1, tree, TREE_COLS, freeze=None,
                            autofilter=False)
    label_width = TREE_COLS[1].width
    for r, issue in enumerate(tree.itertuples()):
        row = TOP + 3 + r
        if issue.level == "issue":  # issues stand out from the objectives beneath them
            for c, key in enumerate(("code", "label")):
                write_cell(sheet, styles, row, c, "bold", getattr(issue, key))
            sheet.set_row(row, row_height([(issue.label, label_width * 0.85)]))
        else:  # and objectives sit indented beneath them, wrapped lines too
            write_cell(sheet, styles, row, 1, "indented", issue.label)
            sheet.set_row(row, row_height([(issue.label, label_width - 4)]))
    progress_lights(sheet, styles, (TOP + 3, 2, tree_last, 2), rollup.expected,
                    rollup.thresholds.at_risk)
    return tree_last


def _tree(rollup: PeriodRollup, dimension_id: int) -> pd.DataFrame:
    scores = rollup.tree_city[rollup.tree_city["dimension_id"] == dimension_id]
    issues = rollup.reference.issues.set_index("issue_code")["name_th"]
    objectives = rollup.objectives.set_index("objective_code")["name_th"]
    is_issue = scores["level"].eq("issue")
    return scores.assign(
        code=scores["issue_code"].where(is_issue, scores["objective_code"]),
        label=scores["issue_code"].map(issues).where(
            is_issue, scores["objective_code"].map(objectives)))
