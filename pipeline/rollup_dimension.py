"""One dimension's workbook: at a glance, KRs against district groups and against districts
(traffic lights), each KR's trend over the fiscal year so far, the clerks' notes on KRs behind
plan, and the data the figures stand on."""

from collections.abc import Sequence

import pandas as pd

from pipeline import rollup_charts
from pipeline.rollup import CityFigures, PeriodRollup, trend
from pipeline.rollup_book import district_rows, footer, subtitle, table_sheet, with_kr
from pipeline.rollup_glance import dimension_krs, write_glance
from pipeline.rollup_matrix import matrix_sheet, wide
from pipeline.xlsx_style import Col, Styles, print_setup
from pipeline.xlsx_table import progress_lights, write_heading, write_section, write_table

KR_NAME = [Col("kr_code", "รหัส", "KR", width=10), Col("name_th", "ตัวชี้วัดผลหลัก",
                                                       "Key result", width=52)]
BEHIND = ("at_risk", "off_track")
CHART_COLUMNS = 12  # the trend chart's width in columns, beside its table


def write_dimension(book, styles: Styles, rollup: PeriodRollup, dim,
                    earlier: Sequence[CityFigures]) -> None:
    write_glance(book, styles, rollup, dim, "สรุป")
    krs = dimension_krs(rollup, dim.dimension_id)
    rows = district_rows(rollup)
    rows = rows[rows["dimension_id"] == dim.dimension_id]  # once: a copy of every column
    _by_group(book, styles, rollup, dim, krs)
    _by_district(book, styles, rollup, dim, krs, rows)
    _trend(book, styles, rollup, [*earlier, rollup.city_figures()], dim, krs)
    _notes(book, styles, rollup, dim, rows)
    _coverage(book, styles, rollup, dim, krs, rows)


def _by_group(book, styles: Styles, rollup: PeriodRollup, dim, krs: pd.DataFrame) -> None:
    groups = rollup.reference.groups
    rows = with_kr(rollup.kr_group, rollup)
    rows = rows[rows["dimension_id"] == dim.dimension_id]
    city = krs.assign(group_code="city")
    frame = wide(pd.concat([rows, city]), "kr_code", "group_code",
                 [*groups["group_code"], "city"]).merge(krs[["kr_code", "name_th"]])
    cols = [Col(g.group_code, g.group_th, g.group_en, "percent", 13)
            for g in groups.itertuples()] + [Col("city", "ทั้งกรุงเทพฯ", "City", "percent", 13)]
    matrix_sheet(book, styles, rollup, "รายกลุ่มเขต",
                 f"ความก้าวหน้ารายตัวชี้วัด แยกตามกลุ่มเขต / KRs by district group — "
                 f"ด้าน{dim.name_th}", frame, KR_NAME, cols)


def _by_district(book, styles: Styles, rollup: PeriodRollup, dim, krs: pd.DataFrame,
                 rows: pd.DataFrame) -> None:
    frame = wide(rows, "district_code", "kr_code", list(krs["kr_code"]))
    districts = rollup.reference.districts.rename(columns={"code": "district_code"}).merge(
        rollup.reference.groups[["group_code", "group_th"]], on="group_code")
    frame = districts.merge(frame, on="district_code").sort_values(
        ["group_code", "district_code"])
    index = [Col("name_th", "สำนักงานเขต", "District", width=15),
             Col("group_th", "กลุ่มเขต", "District group", width=15)]
    cols = [Col(k.kr_code, k.name_th, k.kr_code, "percent", 14) for k in krs.itertuples()]
    matrix_sheet(book, styles, rollup, "รายเขต",
                 f"ความก้าวหน้ารายเขต แยกตามตัวชี้วัด / districts by KR — ด้าน{dim.name_th}",
                 frame, index, cols)


def _trend(book, styles: Styles, current: PeriodRollup, rollups: list[CityFigures], dim,
           krs: pd.DataFrame) -> None:
    rows = trend(rollups).merge(krs[["kr_code"]])
    rows = rows.assign(progress_shown=rows["progress"].clip(0, 1))
    codes = [r.period.code for r in rollups]
    frame = wide(rows, "kr_code", "period", codes).merge(krs[["kr_code", "name_th"]])
    expected = {"kr_code": "คาดหวัง", "name_th": "ความก้าวหน้าที่คาดหวัง ณ สิ้นงวด / expected",
                **{r.period.code: r.expected for r in rollups}}
    frame = pd.concat([frame, pd.DataFrame([expected])], ignore_index=True)
    sheet = book.add_worksheet("แนวโน้ม")
    write_heading(sheet, styles, f"แนวโน้มความก้าวหน้าในปีงบประมาณ {current.period.fiscal_year} "
                  f"/ trend over the fiscal year — ด้าน{dim.name_th}", subtitle(current))
    cols = [Col(r.period.code, r.period.label_th.replace(" ปีงบประมาณ", "\nปีงบประมาณ"),
                r.period.label_en, "percent", 16) for r in rollups]
    last = write_table(sheet, styles, 3, frame, [*KR_NAME, *cols], freeze=2, totals=1)
    for column, period in enumerate(rollups, start=2):  # each period against its own plan
        progress_lights(sheet, styles, (5, column, last - 1, column), period.expected,
                        period.thresholds.at_risk)
    latest = rows[rows["period"] == codes[-1]].set_index("kr_code")["progress"]
    charted = charted_krs(frame.iloc[:-1], latest)
    lines = pd.concat([charted, frame.iloc[-1:]])  # and the expected progress, last
    figures = lines[codes].apply(pd.to_numeric, errors="coerce").to_numpy(float).tolist()
    hidden = rollup_charts.plotted(sheet, 5, 2 + len(cols) + CHART_COLUMNS,
                                   list(zip(lines["kr_code"], figures, strict=True)))
    title = ("แนวโน้มความก้าวหน้ารายตัวชี้วัด / progress of each KR over the year"
             if len(charted) == len(frame) - 1 else
             f"แนวโน้มของ {len(charted)} ตัวชี้วัดที่ล่าช้าที่สุดจาก {len(frame) - 1} (ทุกตัวอยู่ในตาราง) / "
             f"the {len(charted)} KRs furthest behind of {len(frame) - 1} (all in the table)")
    # the periods as the Thai header row names them (the English row's read "Q1, FY 2569")
    rollup_charts.trend_lines(book, sheet, (5, 4 + len(charted)), (2, 1 + len(cols)), 3,
                              (3, 3 + len(cols)), 5 + len(charted), hidden, title)
    print_setup(sheet, (3, 4), footer(current))


def charted_krs(krs: pd.DataFrame, latest: pd.Series) -> pd.DataFrame:
    """The KRs a trend chart draws: every one while each can have a colour of its own; past
    that (49 KRs a dimension in the city's plan), those furthest behind by their raw progress
    in the latest period (`latest`, by KR code: the table's is capped at 0), the furthest
    first, a KR without its figure last."""
    if len(krs) <= len(rollup_charts.PALETTE):
        return krs
    progress = krs["kr_code"].map(latest).astype(float).reset_index(drop=True)
    order = progress.sort_values(na_position="last", kind="stable").index
    return krs.iloc[order[:len(rollup_charts.PALETTE)]]


def _notes(book, styles: Styles, rollup: PeriodRollup, dim, rows: pd.DataFrame) -> None:
    behind = rows[rows["status"].isin(BEHIND) | rows["clerk_status"].isin(BEHIND)]
    noted = behind[behind["note"].fillna("").str.strip().ne("")].sort_values(
        ["kr_code", "district_code"])
    table_sheet(book, styles, rollup, "หมายเหตุ",
                f"คำอธิบายจากเขตเรื่องตัวชี้วัดที่มีความเสี่ยงหรือล่าช้ากว่าแผน ({len(noted)} รายการ; "
                f"ไม่มีคำอธิบาย {len(behind) - len(noted)} รายการ) / districts' notes on KRs at risk "
                "or off track", noted, [
        KR_NAME[0], Col("district_th", "สำนักงานเขต", "District", width=16),
        Col("actual", "ผลการดำเนินงาน", "Actual", "measure", 12),
        Col("progress_shown", "ความก้าวหน้า", "Progress", "percent", 11),
        Col("status", "สถานะตามตัวเลข", "Status (computed)", "status", 13),
        Col("clerk_status", "สถานะที่เขตรายงาน", "Status (reported)", "status", 13),
        Col("note", "คำอธิบายจากเขต", "District's note", width=64),
    ])


def _coverage(book, styles: Styles, rollup: PeriodRollup, dim, krs: pd.DataFrame,
              rows: pd.DataFrame) -> None:
    absent = rows[rows["actual"].isna()].sort_values("district_code").groupby("kr_code")[
        "district_th"].agg(", ".join)
    frame = krs.assign(missing=krs["assigned"] - krs["reporting"],
                       share=krs["reporting"] / krs["assigned"],
                       absent=krs["kr_code"].map(absent))
    districts = rows["district_code"].nunique()
    reporting = rows.loc[rows["actual"].notna(), "district_code"].nunique()
    sheet = book.add_worksheet("ความครอบคลุม")
    write_heading(sheet, styles, f"ข้อมูลที่ใช้คำนวณ / data coverage — ด้าน{dim.name_th}",
                  subtitle(rollup))
    write_section(sheet, styles, 2, f"ตัวเลขของด้านนี้มาจาก {len(krs)} ตัวชี้วัด และรายงานของ {reporting} "
                       f"จาก {districts} เขตที่รับผิดชอบ / the figures stand on {len(krs)} KRs "
                       f"and the reports of {reporting} of {districts} districts")
    write_table(sheet, styles, 3, frame, [*KR_NAME, *[
        Col("assigned", "เขตที่รับผิดชอบ", "Districts assigned", "int", 11),
        Col("reporting", "เขตที่รายงาน", "Districts reporting", "int", 11),
        Col("missing", "ไม่มีข้อมูล", "Missing", "int", 10),
        Col("share", "ความครอบคลุม", "Coverage", "percent", 11),
        Col("absent", "เขตที่ไม่มีข้อมูล", "Districts without data", width=48)]], freeze=2)
    print_setup(sheet, (3, 4), footer(rollup))
