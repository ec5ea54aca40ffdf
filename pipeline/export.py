"""A period's current figures and scores → open-data files: Parquet for analysts, CSV with a
byte-order mark so that Excel opens the Thai text correctly, and a data dictionary.

Only what the public may read: no clerk's notes, no file names or hashes."""

import codecs
from contextlib import closing
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.atomic import atomic_path
from pipeline.periods import in_bangkok
from pipeline.rollup import CITY, PeriodRollup, reporting_rates

# the columns several files share, described once
_DISTRICT = {
    "district_code": ("text", "รหัสเขต", "district geocode 1001-1050"),
    "district_th": ("text", "สำนักงานเขต", "district (Thai)"),
    "district_en": ("text", "ชื่อเขตภาษาอังกฤษ", "district (English)"),
    "group_code": ("text", "รหัสกลุ่มเขต", "district group 01-06"),
}
_KR_NAMES = {
    "kr_th": ("text", "ตัวชี้วัด", "key result (Thai)"),
    "kr_en": ("text", "ตัวชี้วัด (อังกฤษ)", "key result (English)"),
    "unit_th": ("text", "หน่วยนับ", "unit (Thai)"),
    "unit_en": ("text", "หน่วยนับ (อังกฤษ)", "unit (English)"),
}
_AREA_NAMES = {
    "area_th": ("text", "ชื่อพื้นที่", "the city, group or district (Thai)"),
    "area_en": ("text", "ชื่อพื้นที่ (อังกฤษ)", "the city, group or district (English)"),
}
# file → column → (type, Thai, English): the data dictionary, and the columns exported.
DICTIONARY: dict[str, dict[str, tuple[str, str, str]]] = {
    "facts": {
        "period": ("text", "รอบการรายงาน", "reporting period, e.g. 2569-Q2"),
        **_DISTRICT,
        "dimension_id": ("integer", "ด้าน", "policy dimension 1-9"),
        "kr_code": ("text", "รหัสตัวชี้วัด", "key result code"),
        **_KR_NAMES,
        "kr_type": ("text", "ประเภท", "count, ratio, percent or milestone"),
        "baseline": ("number", "ค่าฐาน", "the district's baseline"),
        "target": ("number", "ค่าเป้าหมาย", "the district's target for the fiscal year"),
        "actual": ("number", "ผลการดำเนินงาน", "reported value; empty when not reported"),
        "numerator": ("number", "ตัวตั้ง", "ratio KRs: numerator"),
        "denominator": ("number", "ตัวหาร", "ratio KRs: denominator"),
        "progress": ("number", "ความก้าวหน้า",
                     "(actual - baseline) / (target - baseline); a level to hold (maintain, or "
                     "a target equal to its baseline): the share of the level held times the "
                     "share of the fiscal year elapsed; a milestone: 1 done, 0 not done. Not "
                     "capped: below 0 when the figure went the wrong way, above 1 past the "
                     "target (the workbooks and the dashboard show it within 0-100 %)"),
        "status": ("text", "สถานะตามตัวเลข", "on_track, at_risk, off_track or no_data"),
        "reported_status": ("text", "สถานะที่เขตรายงาน", "the district's own status"),
    },
    "kr_scores": {
        "period": ("text", "รอบการรายงาน", "reporting period"),
        "area": ("text", "พื้นที่", "city, a group code 01-06 or a district code"),
        **_AREA_NAMES,
        "kr_code": ("text", "รหัสตัวชี้วัด", "key result code"),
        **_KR_NAMES,
        "kr_type": ("text", "ประเภท", "how district values combine"),
        "actual": ("number", "ผลรวม", "combined value: sum, ratio of sums, mean or share done"),
        "baseline": ("number", "ค่าฐาน", "a district's own; a group's or the city's combined "
                     "over the districts that reported"),
        "target": ("number", "ค่าเป้าหมาย", "a district's own; a group's or the city's "
                   "combined over the districts that reported"),
        "progress": ("number", "ความก้าวหน้า",
                     "progress of the combined value, not capped, as in facts"),
        "status": ("text", "สถานะ", "on_track, at_risk, off_track or no_data"),
        "reporting": ("integer", "เขตที่รายงาน", "districts whose figures stand behind it"),
        "assigned": ("integer", "เขตที่รับผิดชอบ", "districts assigned the key result"),
    },
    "dimension_scores": {
        "period": ("text", "รอบการรายงาน", "reporting period"),
        "area": ("text", "พื้นที่", "city, a group code 01-06 or a district code"),
        **_AREA_NAMES,
        "dimension_id": ("integer", "ด้าน", "policy dimension 1-9"),
        "dimension_th": ("text", "ชื่อด้าน", "policy dimension (Thai)"),
        "dimension_en": ("text", "ชื่อด้าน (อังกฤษ)", "policy dimension (English)"),
        "score": ("number", "คะแนน", "mean capped progress up the KR tree, 0-1"),
        "krs": ("integer", "จำนวนตัวชี้วัด", "key results of the dimension assigned in the area"),
        "krs_with_data": ("integer", "ตัวชี้วัดที่มีข้อมูล", "of those, key results with figures"),
        "districts_accepted": ("integer", "เขตที่ส่งรายงานผ่าน",
                               "districts of the area whose report for the period was "
                               "accepted, whether or not it has figures for this dimension"),
        "districts_expected": ("integer", "เขตที่ต้องรายงาน", "districts of the area expected to "
                               "report (see reporting)"),
    },
    "reporting": {
        "period": ("text", "รอบการรายงาน", "reporting period"),
        **_DISTRICT,
        "state": ("text", "สถานะการส่ง", "accepted (its figures are in facts), rejected (every "
                  "file sent failed the checks: its figures are empty) or missing (no file)"),
        "files": ("integer", "ไฟล์ที่ได้รับ", "files received for the period, rejected ones too "
                  "(but those refused because the period was closed)"),
        "first_accepted_at": ("text", "ส่งผ่านครั้งแรกเมื่อ", "when the first accepted file came, "
                              "Bangkok time (ISO 8601, +07:00); empty when none"),
        "on_time": ("boolean", "ส่งทันกำหนด", "an accepted file came by the due date, a day in "
                    "Bangkok; empty when none was accepted"),
    },
}
# the digits a number is published to, as Excel shows it: past them a sum or a mean of binary
# fractions carries noise (86.94999999999999 for 86.95, 61037.009999999995 for 61037.01),
# which the warehouse keeps as it is worked out (its scores match its facts to the bit)
SIGNIFICANT = 15


def tables(rollup: PeriodRollup) -> dict[str, pd.DataFrame]:
    """The period's open-data tables, columns as the dictionary says; the warehouse keeps the
    scores too."""
    frames = {"facts": _facts(rollup), "kr_scores": _kr_scores(rollup),
              "dimension_scores": _dimension_scores(rollup), "reporting": _reporting(rollup)}
    return {name: frame.assign(period=rollup.period.code)[list(DICTIONARY[name])]
            .reset_index(drop=True) for name, frame in frames.items()}


def export(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """The period's tables (see tables) as Parquet and CSV, and the data dictionary."""
    dictionary = pd.DataFrame(
        [(name, column, *spec) for name, columns in DICTIONARY.items()
         for column, spec in columns.items()],
        columns=["file", "column", "type", "description_th", "description_en"])
    paths = []
    with closing(duckdb.connect()) as con:  # one for all: opening one costs 14 ms
        for name, frame in frames.items():
            paths += _write(con, published(frame), out_dir / name)
        paths += _write(con, dictionary, out_dir / "data_dictionary", parquet=False)
    return paths


def published(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each float to SIGNIFICANT digits, a column of one precision at a time
    (a few: np.round would take one number at a time otherwise)."""
    out = frame.copy()
    for column in frame.select_dtypes("float").columns:
        values = frame[column].to_numpy(dtype=float, na_value=np.nan)
        known = np.isfinite(values) & (values != 0)
        places = np.zeros(len(values), dtype=int)
        places[known] = SIGNIFICANT - 1 - np.floor(np.log10(np.abs(values[known]))).astype(int)
        rounded = values.copy()
        for digits in np.unique(places[known]):
            at = known & (places == digits)
            rounded[at] = np.round(values[at], digits)
        out[column] = rounded
    return out


def _write(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, stem: Path,
           parquet: bool = True) -> list[Path]:
    written = []
    csv = stem.with_suffix(".csv")
    with atomic_path(csv) as tmp:
        _csv(con, frame, tmp)
    written.append(csv)
    if parquet:
        path = stem.with_suffix(".parquet")
        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False)
        written.append(path)
    return written


def _facts(rollup: PeriodRollup) -> pd.DataFrame:
    districts = rollup.reference.districts.rename(columns={
        "code": "district_code", "name_th": "district_th", "name_en": "district_en"})
    facts = rollup.kr_district.merge(districts[["district_code", "district_th",
                                                "district_en"]], on="district_code")
    facts = facts.merge(_kr_names(rollup), on="kr_code").rename(
        columns={"clerk_status": "reported_status"})
    return facts.sort_values(["district_code", "kr_code"]).reset_index(drop=True)


def _kr_scores(rollup: PeriodRollup) -> pd.DataFrame:
    city = rollup.kr_city
    groups = rollup.kr_group.rename(columns={"group_code": "area"})
    districts = rollup.kr_district.rename(columns={"district_code": "area"}).assign(
        assigned=1, reporting=lambda f: f["actual"].notna().astype(int))
    return pd.concat([city, groups, districts], ignore_index=True).merge(
        _kr_names(rollup), on="kr_code").merge(_area_names(rollup), on="area").sort_values(
        ["area", "kr_code"])


def _dimension_scores(rollup: PeriodRollup) -> pd.DataFrame:
    """With how many of each area's districts have an accepted report, as the books' headings
    give them ("รายงาน 3/7 เขต"): of the area, not of the dimension."""
    done = rollup.completeness.assign(
        area=rollup.completeness["district_code"], districts_expected=1,
        districts_accepted=rollup.completeness["state"].eq("accepted").astype(int))
    rates = reporting_rates(rollup.completeness).rename(columns={
        "accepted": "districts_accepted", "expected": "districts_expected"})
    standing = pd.concat([rates, done])[["area", "districts_accepted", "districts_expected"]]
    names = rollup.reference.dimensions.rename(columns={"name_th": "dimension_th",
                                                        "name_en": "dimension_en"})
    return pd.concat([
        rollup.dims_city,
        rollup.dims_group.rename(columns={"group_code": "area"}),
        rollup.dims_district.rename(columns={"district_code": "area"}),
    ], ignore_index=True).merge(standing, on="area", how="left").merge(
        names, on="dimension_id").merge(_area_names(rollup), on="area").sort_values(
        ["area", "dimension_id"])


def _kr_names(rollup: PeriodRollup) -> pd.DataFrame:
    """Each KR's columns of _KR_NAMES, by kr_code."""
    return rollup.krs[["kr_code", "name_th", "name_en", "unit_th", "unit_en"]].rename(
        columns={"name_th": "kr_th", "name_en": "kr_en"})


def _area_names(rollup: PeriodRollup) -> pd.DataFrame:
    """Each area's name: a score file read alone named its rows by code only."""
    ref = rollup.reference
    return pd.concat([
        pd.DataFrame({"area": [CITY], "area_th": ["กรุงเทพมหานคร"], "area_en": ["Bangkok"]}),
        ref.groups.rename(columns={"group_code": "area", "group_th": "area_th",
                                   "group_en": "area_en"}),
        ref.districts.rename(columns={"code": "area", "name_th": "area_th",
                                      "name_en": "area_en"}),
    ])[["area", "area_th", "area_en"]]


def _reporting(rollup: PeriodRollup) -> pd.DataFrame:
    """Who sent what: in facts a district that sent nothing, one whose files were rejected and
    one that left a figure blank with its reason look alike."""
    done = rollup.completeness
    accepted = done["state"].eq("accepted")
    first = in_bangkok(done["first_accepted_at"])
    return done.rename(columns={"name_th": "district_th", "name_en": "district_en"}).assign(
        first_accepted_at=first.map(lambda t: None if pd.isna(t) else t.isoformat()),
        on_time=done["on_time"].where(accepted).astype("boolean")).sort_values("district_code")


def _csv(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> None:
    """The CSV pandas would write (the same bytes, checked on a year of figures), but for its
    booleans, true and false as most readers write them (pandas: True, False), written by
    DuckDB in a fifth of the time; then the byte-order mark put first."""
    quoted = str(path).replace("'", "''")  # a file name cannot be a parameter of COPY
    con.register("frame", frame)
    try:
        con.execute(f"COPY frame TO '{quoted}' (HEADER)")
    finally:
        con.unregister("frame")
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
