"""The committee overview: the city and its groups by dimension, the KRs furthest behind, what
changed since the previous period, districts whose own status disagrees with their numbers,
completeness by group, who has not reported, and one summary page per dimension."""

from collections.abc import Sequence

import pandas as pd

from pipeline import rollup_charts
from pipeline.rollup import CITY, CityFigures, PeriodRollup, changes, reporting
from pipeline.rollup_book import (
    completeness_sheet,
    district_rows,
    footer,
    missing_sheet,
    subtitle,
    table_sheet,
    with_kr,
)
from pipeline.rollup_glance import KR_COLS, write_glance
from pipeline.rollup_matrix import legend, wide
from pipeline.xlsx_style import Col, Styles, print_setup
from pipeline.xlsx_table import progress_lights, write_heading, write_note, write_table

FURTHEST = 15
KR_SHORT = [Col("dimension_id", "ด้าน", "Dim.", "short", 6), *KR_COLS[:2]]
DISTRICT_COLS = [
    Col("district_th", "สำนักงานเขต", "District", width=14), *KR_SHORT[1:],
    Col("baseline", "ค่าฐาน", "Baseline", "measure", 11),  # progress is from it, not from 0
    Col("actual", "ผลการดำเนินงาน", "Actual", "measure", 12),
    Col("target", "ค่าเป้าหมาย", "Target", "measure", 11),
    Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 11),
    Col("status", "สถานะตามตัวเลข", "Status (computed)", "status", 13),
    Col("clerk_status", "สถานะที่เขตรายงาน", "Status (reported)", "status", 13),
    Col("note", "คำอธิบายจากเขต", "District's note", width=36),
]


def write_committee(book, styles: Styles, rollup: PeriodRollup,
                    earlier: Sequence[CityFigures]) -> None:
    previous = earlier[-1] if earlier else None
    _overview(book, styles, rollup, previous)
    behind = with_kr(rollup.kr_city, rollup)
    behind = behind.assign(gap=lambda f: f["progress_shown"] - rollup.expected)
    behind = behind[behind["gap"] < 0].sort_values(["gap", "kr_code"])  # no data: no gap
    table_sheet(book, styles, rollup, "ล่าช้าที่สุด",
                f"ตัวชี้วัดที่ล่าช้ากว่าแผนมากที่สุด ({FURTHEST} อันดับ ทั้งกรุงเทพฯ) / "
                "KRs furthest behind, city-wide", behind.head(FURTHEST),
                [*KR_SHORT, *KR_COLS[2:8],
                 Col("gap", "ห่างจากที่คาดหวัง (จุด)", "Gap to expected (points)", "points", 11),
                 *KR_COLS[8:]], freeze=3)
    _changes(book, styles, rollup, previous)
    flags = district_rows(rollup)
    flags = flags[flags["flag"]].sort_values(["district_code", "kr_code"])
    table_sheet(book, styles, rollup, "สถานะไม่สอดคล้อง",
                f"เขตรายงานว่าเป็นไปตามแผน แต่ตัวเลขล่าช้ากว่าแผน ({len(flags)} รายการ) / "
                "reported on track, numbers off track", flags, DISTRICT_COLS, freeze=2)
    completeness_sheet(book, styles, rollup)
    missing_sheet(book, styles, rollup, rollup.completeness)
    for dim in rollup.reference.dimensions.itertuples():
        write_glance(book, styles, rollup, dim, f"ด้านที่ {dim.dimension_id}")


def _overview(book, styles: Styles, rollup: PeriodRollup,
              previous: CityFigures | None) -> None:
    ref = rollup.reference
    groups = wide(rollup.dims_group, "dimension_id", "group_code",
                  list(ref.groups["group_code"]), "score")
    table = ref.dimensions.rename(columns={"name_th": "label", "name_en": "label_en"}).merge(
        rollup.dims_city[["dimension_id", "score", "krs", "krs_with_data"]],
        on="dimension_id", how="left").merge(groups, on="dimension_id", how="left")
    before = (previous.dims_city.set_index("dimension_id")["score"] if previous is not None
              else pd.Series(dtype=float))
    table["change"] = table["score"] - table["dimension_id"].map(before)
    standing = reporting(rollup.completeness, [*ref.groups["group_code"], CITY])
    cols = [Col("label", "ด้าน", "Dimension", width=16),
            Col("label_en", "ชื่ออังกฤษ", "English name", width=20),
            Col("score", f"ทั้งกรุงเทพฯ ({standing[CITY][0]})", f"City ({standing[CITY][1]})",
                "percent", 13),
            Col("change", "เปลี่ยนจากงวดก่อน (จุด)", "Change (points)", "points", 11),
            *[Col(g.group_code, f"{g.group_th} ({standing[g.group_code][0]})",
                  f"{g.group_en} ({standing[g.group_code][1]})", "percent", 14)
              for g in ref.groups.itertuples()],
            Col("krs_with_data", "KR ที่มีข้อมูล", "KRs with data", "int", 10),
            Col("krs", "KR ทั้งหมด", "KRs", "int", 9)]
    sheet = book.add_worksheet("ภาพรวม")
    write_heading(sheet, styles, f"ภาพรวมความก้าวหน้า OKR กรุงเทพมหานคร — "
                  f"{rollup.period.label_th}", subtitle(rollup))
    write_note(sheet, styles, 2, legend(rollup), cols)
    last = write_table(sheet, styles, 3, table, cols, freeze=2)
    progress_lights(sheet, styles, (5, 2, last, 2), rollup.expected, rollup.thresholds.at_risk)
    progress_lights(sheet, styles, (5, 4, last, 3 + len(ref.groups)), rollup.expected,
                    rollup.thresholds.at_risk)
    rollup_charts.score_columns(
        book, sheet, (5, 0, last, 0), [("คะแนนทั้งกรุงเทพฯ / city score", (5, 2, last, 2))],
        (last + 2, 0), "คะแนนรายด้าน ทั้งกรุงเทพฯ / city score by dimension", bars=True)
    print_setup(sheet, (3, 4), footer(rollup))


def _changes(book, styles: Styles, rollup: PeriodRollup,
             previous: CityFigures | None) -> None:
    frame = with_kr(changes(rollup, previous), rollup).assign(
        before_shown=lambda f: f["progress_before"].clip(0, 1))
    frame = frame.sort_values(["change", "kr_code"], na_position="last")
    since = (f"{previous.period.label_th} → {rollup.period.label_th}" if previous is not None
             else "ไม่มีงวดก่อนหน้าในปีงบประมาณนี้ / no earlier period in this fiscal year")
    sheet = book.add_worksheet("เปลี่ยนแปลง")
    write_heading(sheet, styles, f"การเปลี่ยนแปลงจากงวดก่อน / what changed since the previous "
                  f"period — {since}", subtitle(rollup))
    last = write_table(sheet, styles, 3, frame, [
        *KR_SHORT,
        Col("before_shown", "ความก้าวหน้างวดก่อน", "Progress before", "percent", 12),
        Col("progress_shown", "ความก้าวหน้างวดนี้", "Progress now", "percent", 12),
        Col("change", "เปลี่ยนแปลง (จุด)", "Change (points)", "points", 11),
        Col("status_before", "สถานะงวดก่อน", "Status before", "status", 13),
        Col("status", "สถานะงวดนี้", "Status now", "status", 13)], freeze=3)
    progress_lights(sheet, styles, (5, 4, last, 4), rollup.expected, rollup.thresholds.at_risk)
    print_setup(sheet, (3, 4), footer(rollup))
