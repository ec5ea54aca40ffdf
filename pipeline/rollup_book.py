"""What the roll-up workbooks share: the workbook with its properties, the heading and footer
that say which period and as of when, the KR frames dressed for showing, and the sheets every
kind carries (a plain table, completeness and timeliness, districts without a report)."""

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pandas as pd
import xlsxwriter

from pipeline.atomic import atomic_path
from pipeline.collector import paused
from pipeline.periods import thai_time
from pipeline.rollup import FIGURES_AS_OF, PeriodRollup, received_until, reporting_rates
from pipeline.score import percent_text
from pipeline.xlsx_style import Col, Styles, measure_format, print_setup
from pipeline.xlsx_table import write_heading, write_note, write_table
from pipeline.xlsx_workbook import Workbook

AUTHOR = "สำนักยุทธศาสตร์และประเมินผล กรุงเทพมหานคร"
STATE_TH = {"accepted": "ส่งแล้ว (ผ่าน)", "rejected": "ส่งแล้วแต่ไม่ผ่าน", "missing": "ยังไม่ส่ง"}
MISSING_COLS = [
    Col("district_code", "รหัสเขต", "District code", width=10),
    Col("name_th", "สำนักงานเขต", "District", width=20),
    Col("name_en", "ชื่ออังกฤษ", "English name", width=20),
    Col("group_th", "กลุ่มเขต", "District group", width=18),
    Col("state_th", "สถานะการส่ง", "Submission", width=18),
]


def write_book(path: Path, rollup: PeriodRollup, title: str,
               fill: Callable[[xlsxwriter.Workbook, Styles], None]) -> Path:
    """Written under a temporary name and renamed: no half-written workbook is ever seen."""
    with atomic_path(path) as tmp, paused():
        _build(tmp, rollup, title, fill)  # built apart: unreachable when paused() ends
    return path


def _build(tmp: Path, rollup: PeriodRollup, title: str,
           fill: Callable[[xlsxwriter.Workbook, Styles], None]) -> None:
    book = Workbook(tmp)
    book.set_properties({
        "title": f"{title} — {rollup.period.label_th}",
        "subject": f"OKR roll-up, {rollup.period.label_en}, {FIGURES_AS_OF[1]} "
                   f"{as_of_text(rollup)}",
        "author": AUTHOR,
        "company": "กรุงเทพมหานคร (Bangkok Metropolitan Administration)",
        "keywords": f"OKR, {rollup.period.code}",
        "created": rollup.as_of,
    })
    book.set_custom_property("as_of", rollup.as_of)
    book.set_custom_property("period", rollup.period.code)
    fill(book, Styles(book))
    book.close()


def as_of_text(rollup: PeriodRollup) -> str:
    """17 เม.ย. 2569 11:38 น.: the data's time in Bangkok, in a Thai reader's form."""
    return thai_time(rollup.as_of.replace(tzinfo=UTC))  # as_of is UTC, as receipts are stored


def subtitle(rollup: PeriodRollup, files: bool = False) -> str:
    """The line under every sheet's heading; not every heading names the period. A sheet of
    who sent what (`files`) gives the time of the latest file received, rejected ones too:
    a rejection changes it where the figures' time stays."""
    when = (f"รับไฟล์ถึง {thai_time(received_until(rollup).replace(tzinfo=UTC))} "
            "(files received as of)" if files
            else f"{FIGURES_AS_OF[0]} {as_of_text(rollup)} ({FIGURES_AS_OF[1]})")
    return (f"{rollup.period.label_th} / {rollup.period.label_en} · {when} · "
            f"ความก้าวหน้าที่คาดหวัง / expected progress {percent_text(rollup.expected)}")


def footer(rollup: PeriodRollup) -> str:
    return (f"{rollup.period.label_th} ({rollup.period.code}) · {FIGURES_AS_OF[0]} "
            f"{as_of_text(rollup)}")


def dressed(rollup: PeriodRollup) -> PeriodRollup:
    """The roll-up with its KR frames dressed for showing once, not once per sheet."""
    return replace(rollup, kr_district=district_rows(rollup),
                   kr_group=with_kr(rollup.kr_group, rollup),
                   kr_city=with_kr(rollup.kr_city, rollup))


def with_kr(frame: pd.DataFrame, rollup: PeriodRollup) -> pd.DataFrame:
    """KR rows with the KR's names, unit, dimension, the number format its unit asks for,
    progress capped for showing and the expected progress of the period."""
    if "num_format" in frame.columns:
        return frame
    wanted = ["name_th", "name_en", "unit_th", "unit_en", "dimension_id", "decimals", "kr_type"]
    krs = rollup.krs[["kr_code", *[c for c in wanted if c not in frame.columns]]]
    out = frame.merge(krs, on="kr_code")
    return out.assign(num_format=out["kr_code"].map(_formats(rollup.krs)),
                      progress_shown=out["progress"].clip(0, 1), expected=rollup.expected)


def _formats(krs: pd.DataFrame) -> pd.Series:
    """Each KR's number format (measure_format), by kr_code: worked out once a KR, not once
    a row."""
    return pd.Series([measure_format(t, u, d) for t, u, d in
                      zip(krs["kr_type"], krs["unit_en"], krs["decimals"], strict=True)],
                     index=krs["kr_code"])


def district_rows(rollup: PeriodRollup) -> pd.DataFrame:
    """kr_district with KR and district names, and the flag in words."""
    if "district_th" in rollup.kr_district.columns:
        return rollup.kr_district
    names = rollup.reference.districts[["code", "name_th"]].rename(
        columns={"code": "district_code", "name_th": "district_th"})
    out = with_kr(rollup.kr_district, rollup).merge(names, on="district_code")
    out["flag_th"] = out["flag"].map({True: "เขตรายงานว่าตามแผน แต่ตัวเลขล่าช้า", False: ""})
    return out


def table_sheet(book, styles: Styles, rollup: PeriodRollup, name: str, title: str,
                frame: pd.DataFrame, cols: list[Col], freeze: int = 1, note: str = "",
                totals: int = 0, files: bool = False) -> None:
    sheet = book.add_worksheet(name)
    write_heading(sheet, styles, title, subtitle(rollup, files))
    if note:
        write_note(sheet, styles, 2, note, cols)
    if frame.empty:
        sheet.write_string(3, 0, "ไม่มีรายการ / nothing to list", styles.text)
    else:
        write_table(sheet, styles, 3, frame, cols, freeze=freeze, totals=totals)
    print_setup(sheet, (3, 4), footer(rollup))


def completeness_sheet(book, styles: Styles, rollup: PeriodRollup,
                       areas: Collection[str] | None = None) -> None:
    """Each district group's reporting rates and the city's; a group book's `areas`: its
    group's row beside the city's (worked out from every district, not the group's)."""
    groups = rollup.reference.groups.rename(columns={"group_code": "area"})
    counts = reporting_rates(rollup.completeness).merge(groups, on="area", how="left")
    if areas is not None:
        counts = counts[counts["area"].isin(areas)]
    counts["group_th"] = counts["group_th"].fillna("ทั้งกรุงเทพฯ")
    counts["group_en"] = counts["group_en"].fillna("City")
    table_sheet(book, styles, rollup, "การส่งรายงาน",
                "ความครบถ้วนและความตรงเวลาของการส่งรายงาน / completeness and timeliness",
                counts, [
        Col("group_th", "กลุ่มเขต", "District group", width=18),
        Col("group_en", "ชื่ออังกฤษ", "English name", width=22),
        Col("expected", "ต้องส่ง", "Expected", "int", 9),
        Col("received", "ได้รับ", "Received", "int", 9),
        Col("accepted", "ผ่าน", "Accepted", "int", 9),
        Col("on_time", "ตรงเวลา", "On time", "int", 9),
        Col("late", "ล่าช้า", "Late", "int", 9),
        Col("rejected", "ไม่ผ่าน", "Rejected", "int", 9),
        Col("missing", "ยังไม่ส่ง", "Missing", "int", 9),
        Col("rate", "อัตราการส่ง", "Reporting rate", "percent", 11),
        Col("on_time_rate", "อัตราตรงเวลา", "On-time rate", "percent", 11),
    ], totals=1, files=True)  # the city's row, last ("city" sorts after the group codes)


def missing_sheet(book, styles: Styles, rollup: PeriodRollup,
                  completeness: pd.DataFrame) -> None:
    missing = completeness[completeness["state"] != "accepted"].merge(
        rollup.reference.groups[["group_code", "group_th"]], on="group_code")
    missing = missing.assign(state_th=missing["state"].map(STATE_TH)).sort_values(
        "district_code")
    table_sheet(book, styles, rollup, "ยังไม่มีรายงานที่ผ่าน",
                f"เขตที่ยังไม่มีรายงานที่ผ่านการตรวจ ({len(missing)} เขต) / "
                "districts without an accepted report", missing, MISSING_COLS, files=True)
