"""One district group's workbook: each district against the group and the city by dimension
and by KR, a ranking that says what it ranks by, the group's completeness and timeliness, and
one sheet per district."""

import pandas as pd

from pipeline import rollup_charts
from pipeline.periods import in_bangkok, thai_date
from pipeline.rollup import CITY, PeriodRollup, reporting
from pipeline.rollup_book import (
    STATE_TH,
    completeness_sheet,
    footer,
    subtitle,
    table_sheet,
    with_kr,
)
from pipeline.rollup_district import write_district
from pipeline.rollup_group_figures import group_figures
from pipeline.rollup_matrix import dimension_cols, matrix_sheet, wide
from pipeline.xlsx_style import Col, Styles, print_setup
from pipeline.xlsx_table import (
    progress_lights,
    write_cell,
    write_heading,
    write_section,
    write_table,
)

RANKED_BY = ("เรียงตามคะแนนรวม = ค่าเฉลี่ยของคะแนนรายด้านของด้านที่มีข้อมูล (คะแนนด้าน = ค่าเฉลี่ยของคะแนน"
             "ประเด็นการพัฒนา ซึ่งเฉลี่ยจากเป้าประสงค์ และเป้าประสงค์จากความก้าวหน้าของตัวชี้วัด ไม่เกิน 100%) "
             "ตัวชี้วัดที่ไม่มีข้อมูลไม่นับ ดูคอลัมน์ KR ที่มีข้อมูล เขตที่ไม่มีข้อมูลไม่จัดอันดับ / ranked by "
             "the overall score: the mean of the scores of the dimensions with data (a dimension's "
             "score is the mean of its development issues', each the mean of its objectives', each "
             "the mean capped progress of its KRs); KRs without data are left out (see KRs with "
             "data); districts without data are not ranked")


def write_group(book, styles: Styles, rollup: PeriodRollup, group) -> None:
    ref = rollup.reference
    members = ref.districts[ref.districts["group_code"] == group.group_code].rename(
        columns={"code": "district_code"})
    figures = group_figures(rollup)
    rows, ranking = figures.rows[group.group_code], figures.ranking[group.group_code]
    _summary(book, styles, rollup, group, members)
    _by_kr(book, styles, rollup, group, members, rows)
    ranked = figures.ranked
    table_sheet(book, styles, rollup, "อันดับ", f"อันดับเขตในกลุ่ม{group.group_th} / ranking — "
                f"ตามคะแนนรวม (by overall score) · อันดับในกรุงเทพฯ จาก {ranked} เขตที่จัดอันดับ "
                f"(the city's rank, of {ranked} districts ranked)", ranking, RANK_COLS, freeze=2,
                note=RANKED_BY)
    completeness = rollup.completeness[rollup.completeness["group_code"] == group.group_code]
    completeness_sheet(book, styles, rollup, (group.group_code, CITY))
    _timeliness(book, styles, rollup, completeness)
    for district in ranking.sort_values("district_code").itertuples():
        code = district.district_code
        write_district(book, styles, rollup, district, group, figures.dimensions[code],
                       figures.follow[code], int(figures.assigned.get(code, 0)))


RANK_COLS = [
    Col("rank_shown", "อันดับในกลุ่ม", "Rank in group", "short", 10),
    Col("name_th", "สำนักงานเขต", "District", width=18),
    Col("name_en", "ชื่ออังกฤษ", "English name", width=20),
    Col("score", "คะแนนรวม", "Overall score", "percent", 11),
    Col("city_rank_shown", "อันดับในกรุงเทพฯ", "Rank in the city", "short", 12),
    Col("on_track", "KR ตามแผน", "KRs on track", "int", 10),
    Col("krs_with_data", "KR ที่มีข้อมูล", "KRs with data", "int", 10),
    Col("krs", "KR ที่รับผิดชอบ", "KRs assigned", "int", 10),
    Col("state_th", "การส่งรายงาน", "Submission", width=18),
]


def _summary(book, styles: Styles, rollup: PeriodRollup, group, members) -> None:
    dims = list(rollup.reference.dimensions["dimension_id"])
    districts = wide(rollup.dims_district[rollup.dims_district["district_code"].isin(
        members["district_code"])], "district_code", "dimension_id", dims, "score")
    districts = members[["district_code", "name_th"]].merge(districts, on="district_code",
                                                            how="left")
    group_row = pd.DataFrame({"group_code": [group.group_code]}).merge(wide(  # a row even
        rollup.dims_group[rollup.dims_group["group_code"] == group.group_code],  # with no KR
        "group_code", "dimension_id", dims, "score"), on="group_code", how="left")
    city_row = wide(rollup.dims_city, "area", "dimension_id", dims, "score")
    standing = reporting(rollup.completeness, [group.group_code, CITY])
    table = pd.concat([
        districts.rename(columns={"name_th": "label"}),
        group_row.assign(label=f"ทั้งกลุ่ม{group.group_th} (group) · {standing[group.group_code][0]}"),
        city_row.assign(label=f"ทั้งกรุงเทพฯ (city) · {standing[CITY][0]}"),
    ], ignore_index=True)
    sheet = book.add_worksheet("สรุป")
    write_heading(sheet, styles, f"กลุ่ม{group.group_th} ({group.group_en}) — "
                  f"{rollup.period.label_th}", subtitle(rollup))
    write_section(sheet, styles, 2, "คะแนนรายด้านของแต่ละเขต เทียบกับทั้งกลุ่มและทั้งกรุงเทพฯ / each "
                       "district's score by dimension against the group and the city")
    cols = [Col("label", "พื้นที่", "Area", width=26), *dimension_cols(rollup)]
    last = write_table(sheet, styles, 3, table, cols, totals=2)  # the chart's rows: unsorted
    progress_lights(sheet, styles, (5, 1, last, len(cols) - 1), rollup.expected,
                    rollup.thresholds.at_risk)
    for row, label in zip((last - 1, last), table["label"].tail(2), strict=True):
        write_cell(sheet, styles, row, 0, "bold", label)
    rollup_charts.score_columns(
        book, sheet, (3, 1, 3, len(cols) - 1),
        [((row, 0), (row, 1, row, len(cols) - 1)) for row in (last - 1, last)],
        (last + 2, 0), "คะแนนรายด้าน: กลุ่มเขตเทียบกับทั้งกรุงเทพฯ / group against city")
    print_setup(sheet, (3, 4), footer(rollup))


def _by_kr(book, styles: Styles, rollup: PeriodRollup, group, members,
           rows: pd.DataFrame) -> None:
    areas = [*members["district_code"], "group", CITY]
    long = pd.concat([
        rows,
        with_kr(rollup.kr_group[rollup.kr_group["group_code"] == group.group_code],
                rollup).assign(district_code="group"),
        with_kr(rollup.kr_city, rollup).assign(district_code=CITY)])
    frame = wide(long, "kr_code", "district_code", areas).merge(
        rollup.krs[["kr_code", "name_th", "dimension_id"]], on="kr_code")
    index = [Col("kr_code", "รหัส", "KR", width=9),
             Col("name_th", "ตัวชี้วัดผลหลัก", "Key result", width=40)]
    cols = [Col(m.district_code, m.name_th, m.name_en, "percent", 11)
            for m in members.itertuples()]
    cols += [Col("group", f"ทั้งกลุ่ม{group.group_th}", "Group", "percent", 12),
             Col(CITY, "ทั้งกรุงเทพฯ", "City", "percent", 11)]
    matrix_sheet(book, styles, rollup, "รายตัวชี้วัด",
                 f"ความก้าวหน้ารายตัวชี้วัด: แต่ละเขตเทียบกับกลุ่มและทั้งกรุงเทพฯ / each district "
                 f"by KR against the group and the city — กลุ่ม{group.group_th}",
                 frame.sort_values("kr_code"), index, cols)


def _timeliness(book, styles: Styles, rollup: PeriodRollup, completeness) -> None:
    """Each district's submission: how many files, accepted on which day (in Bangkok, BE),
    on time or not against the period's due date."""
    first = in_bangkok(completeness["first_accepted_at"])
    frame = completeness.assign(
        state_th=completeness["state"].map(STATE_TH),
        accepted_on=[d.date() if pd.notna(d) else None for d in first],
        on_time_th=completeness["on_time"].map({True: "ตรงเวลา", False: "ล่าช้า"}).where(
            completeness["state"].eq("accepted"), "—")).sort_values("district_code")
    due = (f" — กำหนดส่ง {thai_date(rollup.due)} / due {rollup.due:%Y-%m-%d}" if rollup.due
           else "")
    table_sheet(book, styles, rollup, "ส่งรายเขต",
                f"การส่งรายงานรายเขต / each district's submission{due}", frame, [
        Col("district_code", "รหัสเขต", "District code", width=10),
        Col("name_th", "สำนักงานเขต", "District", width=18),
        Col("name_en", "ชื่ออังกฤษ", "English name", width=20),
        Col("files", "ไฟล์ที่ได้รับ", "Files received", "int", 10),
        Col("state_th", "สถานะการส่ง", "Submission", width=18),
        Col("accepted_on", "วันที่ผ่านการตรวจ", "Accepted on", "date", 16),
        Col("on_time_th", "ตรงเวลา", "On time", width=12)], files=True)
