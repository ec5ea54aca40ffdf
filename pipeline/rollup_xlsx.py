"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Each has a traffic-light summary, a native chart and the
districts that have not submitted."""

from pathlib import Path

import pandas as pd
import xlsxwriter

from pipeline.atomic import atomic_path
from pipeline.periods import thai_date
from pipeline.rollup import CITY, PeriodRollup, reporting_rates
from pipeline.xlsx_style import (
    FONT,
    STATUS_EN,
    STATUS_TH,
    Col,
    Styles,
    print_setup,
    workbook_options,
)
from pipeline.xlsx_table import write_heading, write_table

STATE_TH = {"accepted": "ส่งแล้ว (ผ่าน)", "rejected": "ส่งแล้วแต่ไม่ผ่าน", "missing": "ยังไม่ส่ง"}
KR_COLS = [
    Col("kr_code", "รหัส", "KR", width=9),
    Col("name_th", "ตัวชี้วัดผลหลัก", "Key result", width=50),
    Col("unit_th", "หน่วยนับ", "Unit", width=10),
]
FIGURE_COLS = [
    Col("actual", "ผลการดำเนินงาน", "Actual", "number", 13),
    Col("baseline", "ค่าฐาน", "Baseline", "number", 11),
    Col("target", "ค่าเป้าหมาย", "Target", "number", 11),
    Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 12),
    Col("expected", "ที่คาดหวัง", "Expected", "percent", 11),
    Col("status", "สถานะ", "Status", "status", 14),
    Col("reporting", "เขตที่รายงาน", "Districts reporting", "int", 11),
    Col("assigned", "เขตที่รับผิดชอบ", "Districts assigned", "int", 11),
]
MISSING_COLS = [
    Col("district_code", "รหัสเขต", "District code", width=10),
    Col("name_th", "สำนักงานเขต", "District", width=20),
    Col("name_en", "ชื่ออังกฤษ", "English name", width=20),
    Col("group_th", "กลุ่มเขต", "District group", width=18),
    Col("state_th", "สถานะการส่ง", "Submission", width=18),
]


def write_rollups(rollup: PeriodRollup, out_dir: Path) -> list[Path]:
    ref = rollup.reference
    paths = []
    for dim in ref.dimensions.itertuples():
        paths.append(_book(out_dir / f"dimension-{dim.dimension_id}.xlsx", rollup,
                           f"ด้าน{dim.name_th}", lambda b, s, d=dim: _dimension(b, s, rollup, d)))
    for group in ref.groups.itertuples():
        paths.append(_book(out_dir / f"group-{group.group_code}.xlsx", rollup,
                           f"กลุ่ม{group.group_th}", lambda b, s, g=group: _group(b, s, rollup, g)))
    paths.append(_book(out_dir / "committee.xlsx", rollup, "ภาพรวมสำหรับคณะกรรมการ",
                       lambda b, s: _committee(b, s, rollup)))
    return paths


def _book(path: Path, rollup: PeriodRollup, title: str, fill) -> Path:
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), workbook_options())
        book.set_properties({
            "title": f"{title} — {rollup.period.label_th}",
            "subject": f"OKR roll-up, {rollup.period.label_en}",
            "author": "สำนักยุทธศาสตร์และประเมินผล กรุงเทพมหานคร",
            "created": rollup.as_of,
        })
        book.set_custom_property("as_of", rollup.as_of)
        book.set_custom_property("period", rollup.period.code)
        fill(book, Styles(book))
        book.close()
    return path


def _subtitle(rollup: PeriodRollup) -> str:
    return (f"{rollup.period.label_en} · ข้อมูล ณ {thai_date(rollup.as_of.date())} "
            f"(data as of {rollup.as_of:%Y-%m-%d %H:%M}) · ความก้าวหน้าที่คาดหวัง / expected "
            f"progress {rollup.expected:.0%}")


def _footer(rollup: PeriodRollup) -> str:
    return f"{rollup.period.code} · ข้อมูล ณ {rollup.as_of:%Y-%m-%d %H:%M}"


def _with_kr(frame: pd.DataFrame, rollup: PeriodRollup) -> pd.DataFrame:
    wanted = ["name_th", "unit_th", "dimension_id"]
    krs = rollup.krs[["kr_code", *[c for c in wanted if c not in frame.columns]]]
    out = frame.merge(krs, on="kr_code")
    return out.assign(progress_shown=out["progress"].clip(0, 1), expected=rollup.expected)


# -- dimension ------------------------------------------------------------------------------

def _dimension(book, styles: Styles, rollup: PeriodRollup, dim) -> None:
    city = _with_kr(rollup.kr_city, rollup)
    city = city[city["dimension_id"] == dim.dimension_id].sort_values("kr_code")
    score = rollup.dims_city.set_index("dimension_id")["score"].get(dim.dimension_id)
    sheet = book.add_worksheet("สรุป")
    write_heading(sheet, styles, f"ด้านที่ {dim.dimension_id} {dim.name_th} ({dim.name_en}) — "
                  f"{rollup.period.label_th}", _subtitle(rollup))
    counts = city["status"].value_counts()
    sheet.write_string(2, 0, "คะแนนด้าน / dimension score: " + (
        f"{score:.0%}" if pd.notna(score) else "ไม่มีข้อมูล / no data"), styles.text)
    sheet.write_string(3, 0, " · ".join(
        f"{STATUS_TH[code]} ({STATUS_EN[code]}) {counts.get(code, 0)}" for code in STATUS_TH),
        styles.text)
    last = write_table(sheet, styles, 5, city, KR_COLS + FIGURE_COLS)
    _progress_chart(book, sheet, city, first=7, last=last, anchor=f"A{last + 3}")
    print_setup(sheet, (5, 6), _footer(rollup))

    by_group = _with_kr(rollup.kr_group, rollup).merge(
        rollup.reference.groups[["group_code", "group_th"]], on="group_code")
    by_group = by_group[by_group["dimension_id"] == dim.dimension_id].sort_values(
        ["kr_code", "group_code"])
    _table_sheet(book, styles, rollup, "รายกลุ่มเขต", f"ตัวชี้วัดรายกลุ่มเขต — ด้าน{dim.name_th}",
                 by_group, [Col("group_th", "กลุ่มเขต", "District group", width=18), *KR_COLS,
                            *FIGURE_COLS])

    districts = _district_rows(rollup)
    districts = districts[districts["dimension_id"] == dim.dimension_id].sort_values(
        ["kr_code", "district_code"])
    _table_sheet(book, styles, rollup, "รายเขต", f"ตัวชี้วัดรายเขต — ด้าน{dim.name_th}",
                 districts, DISTRICT_COLS)
    _missing_sheet(book, styles, rollup, rollup.completeness)


DISTRICT_COLS = [
    Col("name_th_district", "สำนักงานเขต", "District", width=16),
    *KR_COLS,
    Col("actual", "ผลการดำเนินงาน", "Actual", "number", 13),
    Col("target", "ค่าเป้าหมาย", "Target", "number", 11),
    Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 12),
    Col("status", "สถานะตามตัวเลข", "Status (computed)", "status", 14),
    Col("clerk_status", "สถานะที่เขตรายงาน", "Status (reported)", "status", 14),
    Col("flag_th", "ข้อสังเกต", "Flag", width=24),
    Col("note", "หมายเหตุจากเขต", "District's note", width=40),
]


def _district_rows(rollup: PeriodRollup) -> pd.DataFrame:
    names = rollup.reference.districts[["code", "name_th"]].rename(
        columns={"code": "district_code", "name_th": "name_th_district"})
    out = _with_kr(rollup.kr_district, rollup).merge(names, on="district_code")
    out["flag_th"] = out["flag"].map({True: "เขตรายงานว่าตามแผน แต่ตัวเลขล่าช้า", False: ""})
    return out


def _progress_chart(book, sheet, frame: pd.DataFrame, first: int, last: int,
                    anchor: str) -> None:
    """Bars of each KR's progress beside the expected progress of the period."""
    if frame.empty:
        return
    name = sheet.get_name()
    keys = [c.key for c in KR_COLS + FIGURE_COLS]
    chart = book.add_chart({"type": "bar"})
    for key, label, colour in (("progress_shown", "ความก้าวหน้า / progress", "#2E75B6"),
                               ("expected", "ที่คาดหวัง / expected", "#BFBFBF")):
        column = keys.index(key)
        chart.add_series({"name": label, "categories": [name, first, 0, last, 0],
                          "values": [name, first, column, last, column],
                          "fill": {"color": colour}})
    chart.set_title({"name": "ความก้าวหน้าเทียบกับที่คาดหวัง / progress against expected",
                     "name_font": {"name": FONT, "size": 14}})
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%",
                      "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 80 + 30 * len(frame)})
    sheet.insert_chart(anchor, chart)


# -- district group ---------------------------------------------------------------------------

def _score_matrix(rollup: PeriodRollup, rows: pd.DataFrame, key: str) -> pd.DataFrame:
    wide = rows.pivot_table(index=key, columns="dimension_id", values="score", dropna=False)
    wide = wide.reindex(columns=rollup.reference.dimensions["dimension_id"])
    wide.columns = [f"d{d}" for d in wide.columns]
    return wide.reset_index()


def _dimension_cols(rollup: PeriodRollup) -> list[Col]:
    return [Col(f"d{d.dimension_id}", d.name_th, d.name_en, "percent", 12)
            for d in rollup.reference.dimensions.itertuples()]


def _score_lights(sheet, styles: Styles, first: int, last: int, first_col: int, last_col: int,
                  expected: float, at_risk: float = 0.7) -> None:
    top_left = f"{_col(first_col)}{first + 1}"
    for code, formula in (
        ("on_track", f"=AND(ISNUMBER({top_left}),{top_left}>={expected})"),
        ("at_risk", f"=AND(ISNUMBER({top_left}),{top_left}>={expected * at_risk})"),
        ("off_track", f"=ISNUMBER({top_left})"),
    ):
        sheet.conditional_format(first, first_col, last, last_col, {
            "type": "formula", "criteria": formula, "format": styles.fills[code],
            "stop_if_true": True})


def _col(index: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(index)


def _group(book, styles: Styles, rollup: PeriodRollup, group) -> None:
    ref = rollup.reference
    members = ref.districts[ref.districts["group_code"] == group.group_code]
    sheet = book.add_worksheet("สรุป")
    write_heading(sheet, styles, f"กลุ่ม{group.group_th} ({group.group_en}) — "
                  f"{rollup.period.label_th}", _subtitle(rollup))
    districts = _score_matrix(rollup, rollup.dims_district[
        rollup.dims_district["district_code"].isin(members["code"])], "district_code")
    districts = members[["code", "name_th"]].rename(columns={"code": "district_code"}).merge(
        districts, on="district_code", how="left")
    group_row = _score_matrix(rollup, rollup.dims_group[
        rollup.dims_group["group_code"] == group.group_code], "group_code")
    city_row = _score_matrix(rollup, rollup.dims_city, "area")
    table = pd.concat([
        districts.rename(columns={"name_th": "label"}),
        group_row.assign(label=f"ทั้งกลุ่ม{group.group_th} (group)"),
        city_row.assign(label="ทั้งกรุงเทพฯ (city)"),
    ], ignore_index=True)
    cols = [Col("label", "พื้นที่", "Area", width=26), *_dimension_cols(rollup)]
    last = write_table(sheet, styles, 3, table, cols)
    _score_lights(sheet, styles, 5, last, 1, len(cols) - 1, rollup.expected)
    chart = book.add_chart({"type": "column"})
    for row, colour in ((last - 1, "#2E75B6"), (last, "#A5A5A5")):
        chart.add_series({"name": ["สรุป", row, 0], "categories": ["สรุป", 4, 1, 4, len(cols) - 1],
                          "values": ["สรุป", row, 1, row, len(cols) - 1],
                          "fill": {"color": colour}})
    chart.set_title({"name": "คะแนนรายด้าน: กลุ่มเขตเทียบกับทั้งเมือง / group against city",
                     "name_font": {"name": FONT, "size": 14}})
    chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 360})
    sheet.insert_chart(f"A{last + 3}", chart)
    print_setup(sheet, (3, 4), _footer(rollup))

    rows = _district_rows(rollup)
    rows = rows[rows["group_code"] == group.group_code].sort_values(["district_code", "kr_code"])
    _table_sheet(book, styles, rollup, "รายตัวชี้วัด", f"ตัวชี้วัดรายเขต — กลุ่ม{group.group_th}",
                 rows, DISTRICT_COLS)
    completeness = rollup.completeness[rollup.completeness["group_code"] == group.group_code]
    _completeness_sheet(book, styles, rollup, completeness)
    _missing_sheet(book, styles, rollup, completeness)


# -- committee ---------------------------------------------------------------------------------

def _committee(book, styles: Styles, rollup: PeriodRollup) -> None:
    ref = rollup.reference
    sheet = book.add_worksheet("ภาพรวม")
    write_heading(sheet, styles, f"ภาพรวมความก้าวหน้า OKR กรุงเทพมหานคร — {rollup.period.label_th}",
                  _subtitle(rollup))
    city = rollup.dims_city.assign(area=CITY)
    groups = rollup.dims_group
    table = ref.dimensions.rename(columns={"name_th": "label", "name_en": "label_en"})
    table = table.merge(city[["dimension_id", "score", "krs", "krs_with_data"]],
                        on="dimension_id", how="left")
    for g in ref.groups.itertuples():
        scores = groups[groups["group_code"] == g.group_code].set_index("dimension_id")["score"]
        table[f"g{g.group_code}"] = table["dimension_id"].map(scores)
    cols = [Col("label", "ด้าน", "Dimension", width=18),
            Col("label_en", "Dimension", "English", width=18),
            Col("score", "ทั้งกรุงเทพฯ", "City", "percent", 11),
            *[Col(f"g{g.group_code}", g.group_th, g.group_en, "percent", 13)
              for g in ref.groups.itertuples()],
            Col("krs_with_data", "KR ที่มีข้อมูล", "KRs with data", "int", 10),
            Col("krs", "KR ทั้งหมด", "KRs", "int", 9)]
    last = write_table(sheet, styles, 3, table, cols)
    _score_lights(sheet, styles, 5, last, 2, 2 + len(ref.groups), rollup.expected)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"name": "คะแนนทั้งกรุงเทพฯ / city score",
                      "categories": ["ภาพรวม", 5, 0, last, 0], "values": ["ภาพรวม", 5, 2, last, 2],
                      "fill": {"color": "#2E75B6"}})
    chart.set_title({"name": "คะแนนรายด้าน / score by dimension",
                     "name_font": {"name": FONT, "size": 14}})
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 900, "height": 360})
    sheet.insert_chart(f"A{last + 3}", chart)
    print_setup(sheet, (3, 4), _footer(rollup))

    behind = _with_kr(rollup.kr_city, rollup)
    behind = behind[behind["progress"].notna()].assign(
        gap=lambda f: f["progress_shown"] - rollup.expected).sort_values(["gap", "kr_code"])
    _table_sheet(book, styles, rollup, "ล่าช้าที่สุด",
                 "ตัวชี้วัดที่ล่าช้ากว่าแผนมากที่สุด (15 อันดับ) / KRs furthest behind",
                 behind.head(15), KR_COLS + FIGURE_COLS)

    flags = _district_rows(rollup)
    flags = flags[flags["flag"]].sort_values(["district_code", "kr_code"])
    _table_sheet(book, styles, rollup, "สถานะไม่สอดคล้อง",
                 "เขตรายงานว่าเป็นไปตามแผน แต่ตัวเลขล่าช้ากว่าแผน / "
                 "reported on track, numbers off track", flags, DISTRICT_COLS)
    _completeness_sheet(book, styles, rollup, rollup.completeness)
    _missing_sheet(book, styles, rollup, rollup.completeness)


def _table_sheet(book, styles: Styles, rollup: PeriodRollup, name: str, title: str,
                 frame: pd.DataFrame, cols: list[Col]) -> None:
    sheet = book.add_worksheet(name)
    write_heading(sheet, styles, title, _subtitle(rollup))
    write_table(sheet, styles, 3, frame, cols)
    print_setup(sheet, (3, 4), _footer(rollup))


def _completeness_sheet(book, styles: Styles, rollup: PeriodRollup,
                        completeness: pd.DataFrame) -> None:
    groups = rollup.reference.groups.rename(columns={"group_code": "area"})
    counts = reporting_rates(completeness).merge(groups, on="area", how="left")
    counts["group_th"] = counts["group_th"].fillna("ทั้งกรุงเทพฯ")
    counts["group_en"] = counts["group_en"].fillna("City")
    _table_sheet(book, styles, rollup, "การส่งรายงาน",
                 "ความครบถ้วนและความตรงเวลาของการส่งรายงาน / completeness and timeliness",
                 counts, [
        Col("group_th", "กลุ่มเขต", "District group", width=18),
        Col("group_en", "District group", "English", width=22),
        Col("expected", "ต้องส่ง", "Expected", "int", 9),
        Col("received", "ได้รับ", "Received", "int", 9),
        Col("accepted", "ผ่าน", "Accepted", "int", 9),
        Col("on_time", "ตรงเวลา", "On time", "int", 9),
        Col("late", "ล่าช้า", "Late", "int", 9),
        Col("rejected", "ไม่ผ่าน", "Rejected", "int", 9),
        Col("missing", "ยังไม่ส่ง", "Missing", "int", 9),
        Col("rate", "อัตราการส่ง", "Reporting rate", "percent", 10),
        Col("on_time_rate", "อัตราตรงเวลา", "On-time rate", "percent", 10),
    ])


def _missing_sheet(book, styles: Styles, rollup: PeriodRollup,
                   completeness: pd.DataFrame) -> None:
    missing = completeness[completeness["state"] != "accepted"].merge(
        rollup.reference.groups[["group_code", "group_th"]], on="group_code")
    missing = missing.assign(state_th=missing["state"].map(STATE_TH)).sort_values(
        "district_code")
    sheet = book.add_worksheet("ยังไม่ส่ง")
    write_heading(sheet, styles, f"เขตที่ยังไม่มีรายงานที่ผ่านการตรวจ ({len(missing)} เขต) / "
                  "districts without an accepted report", _subtitle(rollup))
    if missing.empty:
        sheet.write_string(3, 0, "ทุกเขตส่งรายงานแล้ว / every district has reported", styles.text)
        return
    write_table(sheet, styles, 3, missing, MISSING_COLS)
    print_setup(sheet, (3, 4), _footer(rollup))


