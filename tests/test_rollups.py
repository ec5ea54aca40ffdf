"""The roll-up workbooks of the demo: all 16 per period, charts, missing districts, and figures
that agree with a recomputation made straight from the workbooks the clerks submitted."""

import zipfile

import pytest
from openpyxl import load_workbook

from tests.builders.libreoffice import convert, needs_libreoffice, pdf_text

ROLLUPS = [f"dimension-{d}.xlsx" for d in range(1, 10)] + [
    f"group-0{g}.xlsx" for g in range(1, 7)] + ["committee.xlsx"]
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@pytest.mark.parametrize("period", ["2569-Q1", "2569-Q2"])
def test_each_period_has_the_16_rollups_each_with_a_native_chart(demo_settings, period):
    folder = demo_settings.rollups_dir(period)
    assert sorted(p.name for p in folder.iterdir()) == sorted(ROLLUPS)
    for name in ROLLUPS:
        with zipfile.ZipFile(folder / name) as book:
            charts = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
            assert charts, f"{name} has no chart"
            assert not [n for n in book.namelist() if "externalLink" in n or "vbaProject" in n]
        assert load_workbook(folder / name).sheetnames[0] in ("สรุป", "ภาพรวม")


def _submitted(demo_settings, period: str) -> dict[str, dict[str, dict]]:
    """district → KR → the cells the clerk typed, from the accepted workbooks themselves."""
    found = {}
    for path in sorted(demo_settings.archive.rglob("*.xlsx")):
        book = load_workbook(path, data_only=True)
        meta = {row[0].value: row[1].value for row in book["_meta"].iter_rows()}
        if meta["period"] != period:
            continue
        district = meta["district_code"]
        assert district not in found, "one accepted workbook per district in this period"
        sheet = book["รายงานผล"]
        found[district] = {
            row[0].value: {"type": row[4].value, "baseline": row[5].value, "target": row[6].value,
                           "actual": row[7].value, "numerator": row[8].value,
                           "denominator": row[9].value}
            for row in sheet.iter_rows(min_row=6) if row[0].value
        }
    return found


def _number(value):
    if isinstance(value, str):
        return float(value.translate(THAI_DIGITS).replace(",", ""))
    return float(value)


def _city_actual(cells: list[dict]) -> float:
    kind = cells[0]["type"]
    if kind.startswith("สัดส่วน"):  # ratio: sum of numerators over sum of denominators
        return 100 * sum(c["numerator"] for c in cells) / sum(c["denominator"] for c in cells)
    if kind.startswith("ขั้นความสำเร็จ"):  # milestone: share of districts done
        return sum(c["actual"] == "ดำเนินการแล้ว" for c in cells) / len(cells)
    values = [_number(c["actual"]) for c in cells]
    if kind.startswith("ร้อยละ"):
        return sum(values) / len(values)
    return sum(values)


@pytest.mark.parametrize("dimension", [1, 4, 9])
def test_dimension_figures_agree_with_the_submitted_workbooks(demo_settings, dimension):
    period = "2569-Q2"
    submitted = _submitted(demo_settings, period)
    sheet = load_workbook(demo_settings.rollups_dir(period) / f"dimension-{dimension}.xlsx")["สรุป"]
    rows = [r for r in sheet.iter_rows(min_row=8, values_only=True) if r[0]]
    assert rows, "the summary lists the dimension's KRs"
    for row in rows:
        kr_code, actual, reporting, assigned = row[0], row[3], row[9], row[10]
        cells = [krs[kr_code] for krs in submitted.values() if kr_code in krs]
        assert reporting == len(cells), kr_code
        assert actual == pytest.approx(_city_actual(cells)), kr_code
        if cells[0]["type"].startswith("จำนวน"):
            baseline = sum(c["baseline"] for c in cells)
            target = sum(c["target"] for c in cells)
            progress = (_city_actual(cells) - baseline) / (target - baseline)
            assert row[6] == pytest.approx(min(max(progress, 0), 1)), kr_code
        assert assigned >= reporting


def test_districts_without_data_show_as_missing_never_as_zero(demo_settings):
    sheet = load_workbook(demo_settings.rollups_dir("2569-Q2") / "dimension-1.xlsx")["รายเขต"]
    missing = [r for r in sheet.iter_rows(min_row=6, values_only=True)
               if r[0] in ("หนองจอก", "บางขุนเทียน")]
    assert missing
    assert {r[4] for r in missing} == {"ไม่มีข้อมูล"}
    assert {r[7] for r in missing} == {"ไม่มีข้อมูล"}


def test_the_committee_lists_the_districts_that_have_not_submitted(demo_settings):
    sheet = load_workbook(demo_settings.rollups_dir("2569-Q2") / "committee.xlsx")["ยังไม่ส่ง"]
    listed = {r[0]: r[4] for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert listed == {"1003": "ยังไม่ส่ง", "1021": "ยังไม่ส่ง", "1040": "ยังไม่ส่ง",
                      "1024": "ส่งแล้วแต่ไม่ผ่าน", "1035": "ส่งแล้วแต่ไม่ผ่าน",
                      "1049": "ส่งแล้วแต่ไม่ผ่าน"}


@needs_libreoffice
@pytest.mark.parametrize("name", ["committee.xlsx", "dimension-1.xlsx", "group-01.xlsx"])
def test_libreoffice_opens_and_prints_the_rollups(demo_settings, tmp_path, name):
    squeezed = pdf_text(convert(demo_settings.rollups_dir("2569-Q2") / name, "pdf", tmp_path))
    assert "ไตรมาส2ปีงบประมาณ2569" in squeezed
    assert "หน้า1/" in squeezed


def test_the_same_data_gives_byte_identical_rollups(demo_settings, registry, reference,
                                                     tmp_path):
    """Workbook timestamps come from the data (its latest receipt), never from the clock."""
    from pipeline import rollup
    from pipeline.periods import parse_period
    from pipeline.rollup_xlsx import write_rollups
    from pipeline.settings import Thresholds
    from pipeline.store import connect

    con = connect(demo_settings.warehouse_path, read_only=True)
    try:
        data = rollup.build(con, registry, reference, parse_period("2569-Q2"), Thresholds())
    finally:
        con.close()
    written = write_rollups(data, tmp_path / "again")
    assert len(written) == 16
    for path in written:
        original = demo_settings.rollups_dir("2569-Q2") / path.name
        assert path.read_bytes() == original.read_bytes(), path.name


def test_the_committee_sees_completeness_and_timeliness_by_group_and_city(demo_settings):
    sheet = load_workbook(demo_settings.rollups_dir("2569-Q2") / "committee.xlsx")["การส่งรายงาน"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert set(rows) == {"ทั้งกรุงเทพฯ", "กรุงเทพกลาง", "กรุงเทพใต้", "กรุงเทพเหนือ",
                         "กรุงเทพตะวันออก", "กรุงธนเหนือ", "กรุงธนใต้"}
    # expected, received, accepted, on time, late, rejected, missing, rate, on-time rate
    assert rows["ทั้งกรุงเทพฯ"][2:] == (50, 47, 44, 42, 2, 3, 3, 0.88, 0.84)
