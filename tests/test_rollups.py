"""The roll-up workbooks of the demo: all 16 per period, their sheets and charts, figures that
agree with a recomputation made straight from the workbooks the clerks submitted, trends and
changes over the fiscal year, and the presentation a committee member opens and prints."""

import re
import zipfile
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

import duckdb
import pandas as pd
import pytest
import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries

from pipeline import rollup, rollup_book, rollup_charts, rollup_dimension, score
from pipeline.periods import parse_period, thai_date
from pipeline.rollup import overall_scores, ranks, stored_city_figures
from pipeline.rollup_charts import PALETTE
from pipeline.rollup_inputs import BookInputs
from pipeline.rollup_xlsx import write_named, write_rollups
from pipeline.runner import run
from pipeline.settings import Settings, Thresholds
from pipeline.store import connect
from pipeline.xlsx_style import MISSING, Styles, workbook_options
from pipeline.xlsx_table import progress_lights
from tests.builders.libreoffice import convert, needs_libreoffice
from tests.rollup_books import build_rollups, pdf_pages, squeeze, write_with_history

ROLLUPS = [f"dimension-{d}.xlsx" for d in range(1, 10)] + [
    f"group-0{g}.xlsx" for g in range(1, 7)] + ["committee.xlsx"]
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
DIMENSION_SHEETS = ["สรุป", "รายกลุ่มเขต", "รายเขต", "แนวโน้ม", "หมายเหตุ", "ความครอบคลุม"]
COMMITTEE_SHEETS = ["ภาพรวม", "ล่าช้าที่สุด", "เปลี่ยนแปลง", "สถานะไม่สอดคล้อง", "การส่งรายงาน",
                    "ยังไม่มีรายงานที่ผ่าน", *[f"ด้านที่ {d}" for d in range(1, 10)]]


@pytest.fixture(scope="module")
def built(demo_workspace, registry, reference):
    return build_rollups(Settings(workspace=demo_workspace), registry, reference)


@pytest.fixture(scope="module")
def books(built, tmp_path_factory):
    """2569-Q2's roll-ups written with 2569-Q1 as the earlier period of the year."""
    folder = tmp_path_factory.mktemp("rollups") / "2569-Q2"
    write_with_history(built, "2569-Q2", folder)
    return folder


@pytest.mark.parametrize("period", ["2569-Q1", "2569-Q2"])
def test_each_period_has_the_16_rollups_each_with_a_native_chart(demo_settings, period):
    folder = demo_settings.rollups_dir(period)
    assert sorted(p.name for p in folder.iterdir()) == sorted(ROLLUPS)
    for name in ROLLUPS:
        with zipfile.ZipFile(folder / name) as book:
            charts = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
            assert charts, f"{name} has no chart"
            assert not [n for n in book.namelist() if "externalLink" in n or "vbaProject" in n]


def test_each_kind_of_workbook_has_its_sheets(books, reference):
    for d in range(1, 10):
        assert load_workbook(books / f"dimension-{d}.xlsx").sheetnames == DIMENSION_SHEETS
    assert load_workbook(books / "committee.xlsx").sheetnames == COMMITTEE_SHEETS
    for group in reference.groups["group_code"]:
        members = reference.districts[reference.districts["group_code"] == group]
        names = load_workbook(books / f"group-{group}.xlsx").sheetnames
        assert names[:5] == ["สรุป", "รายตัวชี้วัด", "อันดับ", "การส่งรายงาน", "ส่งรายเขต"]
        assert sorted(names[5:]) == sorted(members["name_th"]), group


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


def _kr_rows(path, sheet: str) -> list[tuple]:
    return [r for r in load_workbook(path)[sheet].iter_rows(values_only=True)
            if isinstance(r[0], str) and r[0].startswith("KR-")]


@pytest.mark.parametrize("dimension", [1, 4, 9])
def test_dimension_figures_agree_with_the_submitted_workbooks(demo_settings, books, dimension):
    submitted = _submitted(demo_settings, "2569-Q2")
    rows = _kr_rows(books / f"dimension-{dimension}.xlsx", "สรุป")
    assert rows, "the summary lists the dimension's KRs"
    for row in rows:
        kr_code, actual, progress, reporting, assigned = (row[0], row[3], row[6], row[9],
                                                          row[10])
        cells = [krs[kr_code] for krs in submitted.values() if kr_code in krs]
        assert reporting == len(cells), kr_code
        assert actual == pytest.approx(_city_actual(cells)), kr_code
        if cells[0]["type"].startswith("จำนวน"):
            baseline = sum(c["baseline"] for c in cells)
            target = sum(c["target"] for c in cells)
            expected = (_city_actual(cells) - baseline) / (target - baseline)
            assert progress == pytest.approx(min(max(expected, 0), 1)), kr_code
        assert assigned >= reporting


def test_districts_without_data_show_as_missing_and_unassigned_ones_as_a_dash(books, registry):
    sheet = list(load_workbook(books / "dimension-1.xlsx")["รายเขต"].iter_rows(values_only=True))
    header = sheet[4]  # the English header row names each KR column by its code
    rows = {r[0]: r for r in sheet[5:] if r[0]}
    for district in ("หนองจอก", "บางขุนเทียน"):  # no accepted report in 2569-Q2
        assert set(rows[district][2:]) <= {"ไม่มีข้อมูล", "—"}
        assert "ไม่มีข้อมูล" in rows[district][2:]
    column = header.index("KR-1-09")
    assigned = (registry.assignments["kr_code"] == "KR-1-09").sum()
    assert sum(r[column] == "—" for r in rows.values()) == 50 - assigned


def test_under_every_heading_the_period_is_named_in_thai_first(books):
    """The line began "Q2, FY 2569": English first, and some headings name no period."""
    for name in ROLLUPS:
        for sheet in load_workbook(books / name, read_only=True):
            line = next(sheet.iter_rows(min_row=2, max_row=2, max_col=1, values_only=True))[0]
            period = "ไตรมาส 2 ปีงบประมาณ 2569 / Q2, FY 2569 · "
            assert line.startswith((f"{period}ตัวเลขจากรายงานที่รับถึง ", f"{period}รับไฟล์ถึง ")), (
                name, sheet.title, line)


def test_a_column_of_english_names_has_a_thai_header(books):
    """Its Thai header read "Dimension" and "District group", in English."""
    for name in ROLLUPS:
        for sheet in load_workbook(books / name, read_only=True):
            rows = list(sheet.iter_rows(max_row=8, values_only=True))
            for above, row in pairwise(rows):
                for thai, english in zip(above, row, strict=False):
                    if english in ("English", "English name"):
                        assert re.search("[\u0e00-\u0e7f]", thai or ""), (name, sheet.title)


def test_a_group_or_the_citys_score_says_how_many_districts_it_stands_on(books, built,
                                                                        reference):
    """A group with three of its seven districts reporting was the one lit on track, and
    nothing said its figures were three districts'."""
    completeness = built["2569-Q2"].completeness
    accepted = completeness[completeness["state"] == "accepted"].groupby("group_code").size()
    expected = completeness.groupby("group_code").size()
    assert (accepted < expected).any()  # the demo has groups that are not all in
    said = {code: f"รายงาน {accepted.get(code, 0)}/{count} เขต" for code, count in expected.items()}
    said["city"] = f"รายงาน {accepted.sum()}/{expected.sum()} เขต"
    header = next(load_workbook(books / "committee.xlsx")["ภาพรวม"].iter_rows(
        min_row=4, max_row=4, values_only=True))
    groups = reference.groups.set_index("group_code")["group_th"]
    assert header[2] == f"ทั้งกรุงเทพฯ ({said['city']})"
    assert list(header[4:4 + len(groups)]) == [f"{name} ({said[code]})"
                                               for code, name in groups.items()]
    for code, name in groups.items():
        labels = [row[0] for row in load_workbook(books / f"group-{code}.xlsx")["สรุป"]
                  .iter_rows(values_only=True) if isinstance(row[0], str)]
        assert f"ทั้งกลุ่ม{name} (group) · {said[code]}" in labels
        assert f"ทั้งกรุงเทพฯ (city) · {said['city']}" in labels


def test_the_committee_lists_the_districts_that_have_not_submitted(books):
    sheet = load_workbook(books / "committee.xlsx")["ยังไม่มีรายงานที่ผ่าน"]
    listed = {r[0]: r[4] for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert listed == {"1003": "ยังไม่ส่ง", "1021": "ยังไม่ส่ง", "1040": "ยังไม่ส่ง",
                      "1024": "ส่งแล้วแต่ไม่ผ่าน", "1035": "ส่งแล้วแต่ไม่ผ่าน",
                      "1049": "ส่งแล้วแต่ไม่ผ่าน"}


def test_the_committee_sees_completeness_and_timeliness_by_group_and_city(books):
    sheet = load_workbook(books / "committee.xlsx")["การส่งรายงาน"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert set(rows) == {"ทั้งกรุงเทพฯ", "กรุงเทพกลาง", "กรุงเทพใต้", "กรุงเทพเหนือ",
                         "กรุงเทพตะวันออก", "กรุงธนเหนือ", "กรุงธนใต้"}
    # expected, received, accepted, on time, late, rejected, missing, rate, on-time rate
    assert rows["ทั้งกรุงเทพฯ"][2:] == (50, 47, 44, 42, 2, 3, 3, 0.88, 0.84)
    _, header, _, last = range_boundaries(sheet.auto_filter.ref)  # a sort leaves the city last
    assert (last - header, sheet.cell(last + 1, 1).value) == (6, "ทั้งกรุงเทพฯ")


def test_a_group_book_shows_its_group_beside_the_whole_city(books):
    """The city's row counts all 50 districts, as the committee's does; it counted only the
    group's (7 expected, 43 % for group 06)."""
    sheet = load_workbook(books / "group-06.xlsx")["การส่งรายงาน"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert set(rows) == {"ทั้งกรุงเทพฯ", "กรุงธนใต้"}
    assert rows["ทั้งกรุงเทพฯ"][2:] == (50, 47, 44, 42, 2, 3, 3, 0.88, 0.84)
    assert rows["กรุงธนใต้"][2] == 7


def test_the_trend_shows_each_kr_in_each_period_of_the_year(books, built):
    rows = _kr_rows(books / "dimension-4.xlsx", "แนวโน้ม")
    for period, column in (("2569-Q1", 2), ("2569-Q2", 3)):
        city = built[period].kr_city.set_index("kr_code")["progress"]
        for row in rows:
            assert row[column] == pytest.approx(score.capped(city[[row[0]]]).iloc[0]), row[0]
    assert len(rows) == (built["2569-Q2"].krs["dimension_id"] == 4).sum()


def test_the_committee_sees_what_changed_since_the_previous_period(books, built):
    rows = {r[1]: r for r in load_workbook(books / "committee.xlsx")["เปลี่ยนแปลง"].iter_rows(
        values_only=True) if isinstance(r[1], str) and r[1].startswith("KR-")}
    assert len(rows) == len(built["2569-Q2"].krs)
    before = built["2569-Q1"].kr_city.set_index("kr_code")["progress"].clip(0, 1)
    now = built["2569-Q2"].kr_city.set_index("kr_code")["progress"].clip(0, 1)
    for kr, row in rows.items():
        assert row[3:6] == pytest.approx((before[kr], now[kr], 100 * (now[kr] - before[kr]))), kr
    changes = [r[5] for r in rows.values()]
    assert changes == sorted(changes), "largest fall first"


def test_without_an_earlier_period_the_change_sheet_says_so(demo_settings):
    sheet = load_workbook(demo_settings.rollups_dir("2569-Q1") / "committee.xlsx")["เปลี่ยนแปลง"]
    assert "ไม่มีงวดก่อนหน้า" in sheet["A1"].value


def test_flags_list_districts_that_say_on_track_while_their_numbers_are_off_track(books, built,
                                                                                 reference):
    flagged = built["2569-Q2"].kr_district.query("flag")
    assert len(flagged) > 0, "the demo's optimists call every KR on track"
    rows = [r for r in load_workbook(books / "committee.xlsx")["สถานะไม่สอดคล้อง"].iter_rows(
        min_row=6, values_only=True) if r[0]]
    assert len(rows) == len(flagged)
    assert {(r[7], r[8]) for r in rows} == {("ล่าช้ากว่าแผน", "เป็นไปตามแผน")}
    # the baseline beside the actual and target: progress of 29.8 % for 97.5 of 100 read as
    # a mistake without it (the progress is from 96.4, not from 0)
    names = dict(zip(reference.districts["name_th"], reference.districts["code"], strict=True))
    by_kr = flagged.set_index(["district_code", "kr_code"])["baseline"]
    assert [r[3] for r in rows] == [by_kr[(names[r[0]], r[1])] for r in rows]


def test_the_ranking_says_what_it_ranks_by_and_ranks_by_it(books):
    rows = list(load_workbook(books / "group-01.xlsx")["อันดับ"].iter_rows(values_only=True))
    assert "ranked by the overall score" in rows[2][0]
    ranked = [r for r in rows[5:] if r[0]]
    scores = [r[3] for r in ranked if r[0] != "ไม่จัดอันดับ"]
    assert scores == sorted(scores, reverse=True)
    # numbers, which sort 1, 2 … 10 (as text, 10 came before 2)
    assert [r[0] for r in ranked][:2] == [1, 2]
    # out of the 44 districts ranked in the city (44 accepted in Q2), not all 50
    assert "อันดับในกรุงเทพฯ จาก 44 เขตที่จัดอันดับ" in rows[0][0]
    # a number here too: it was the text "3 / 44", which a filter sorts 1, 10, 11 … 2
    assert rows[3][4] == "อันดับในกรุงเทพฯ"
    assert all(isinstance(r[4], int) or r[4] == "ไม่จัดอันดับ" for r in ranked)


def test_a_group_or_the_citys_baseline_and_target_say_they_are_the_reporting_districts(books):
    """Summed over the districts that reported, as the actual is: headed "Target", the city's
    seemed to shrink each quarter as fewer districts reported."""
    sheet = load_workbook(books / "dimension-1.xlsx")["สรุป"]
    headers = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
    assert {"ค่าฐานของเขตที่รายงาน", "เป้าหมายของเขตที่รายงาน", "Baseline of districts reporting",
            "Target of districts reporting"} <= headers
    assert not {"ค่าเป้าหมาย", "Target"} & headers


def test_equal_scores_share_a_rank_in_the_city_and_in_the_group():
    """The same four dimension scores in another order: both means are 0.5, one of them
    0.4999999999999999 as summed, and it was ranked below."""
    scores = [0.13, 0.85, 0.76, 0.26]
    dims = pd.DataFrame({"district_code": ["1004"] * 4 + ["1005"] * 4 + ["1006"] * 4,
                         "dimension_id": [1, 2, 3, 4] * 3,
                         "score": scores + scores[::-1] + [0.1] * 4, "krs": 1,
                         "krs_with_data": 1})
    city = overall_scores(dims, "district_code")
    assert city["rank"].tolist() == [1, 1, 3]
    assert ranks(city["score"], pd.Series(["01", "01", "01"])).tolist() == [1, 1, 3]


def test_a_group_book_ranks_by_its_own_period_after_another_period_s_book(built, reference,
                                                                           tmp_path):
    """The groups' figures are worked out once for a roll-up and kept for its next group book
    (pipeline.rollup_group_figures): a book of Q2 written after one of Q1, in the same process,
    ranks by Q2's scores."""
    members = reference.districts[reference.districts["group_code"] == "01"]
    names = dict(zip(members["code"], members["name_th"], strict=True))
    shown, scored = {}, {}
    for code in ("2569-Q1", "2569-Q2", "2569-Q1"):
        path = write_named(tmp_path / code / "group-01.xlsx", "group-01",
                           *BookInputs(built[code], []).of("group-01"))
        rows = load_workbook(path)["อันดับ"].iter_rows(min_row=6, values_only=True)
        shown[code] = {r[1]: r[3] for r in rows if isinstance(r[3], float)}
        city = overall_scores(built[code].dims_district, "district_code")
        scored[code] = {names[d]: s for d, s in zip(city["district_code"], city["score"],
                                                    strict=True) if d in names and s == s}
        assert shown[code] == pytest.approx(scored[code]), code
    assert scored["2569-Q1"] != pytest.approx(scored["2569-Q2"])


def test_a_group_none_of_whose_districts_has_a_kr_still_gets_its_book(demo_settings, registry,
                                                                     reference, tmp_path):
    """A registry may cascade its KRs to some districts only: a group none of whose districts
    has one gets its book all the same, with nothing to rank and no district sheets."""
    members = reference.districts.loc[reference.districts["group_code"] == "01", "code"]
    fewer = replace(registry, assignments=registry.assignments[
        ~registry.assignments["district_code"].isin(members)])
    con = connect(demo_settings.warehouse_path, read_only=True)
    try:
        data = rollup.build(con, fewer, reference, parse_period("2569-Q2"), Thresholds())
    finally:
        con.close()
    write_rollups(data, tmp_path)
    book = load_workbook(tmp_path / "group-01.xlsx")
    assert book.sheetnames == ["สรุป", "รายตัวชี้วัด", "อันดับ", "การส่งรายงาน", "ส่งรายเขต"]
    assert book["อันดับ"]["A4"].value == "ไม่มีรายการ / nothing to list"
    labels = [row[0] for row in book["สรุป"].iter_rows(min_row=5, max_col=1) if row[0].value]
    assert [(cell.value, bool(cell.font.b)) for cell in labels[-3:]] == [
        ("วังทองหลาง", False), ("ทั้งกลุ่มกรุงเทพกลาง (group) · รายงาน 0/0 เขต", True),
        (f"ทั้งกรุงเทพฯ (city) · รายงาน {44 - len(members)}/{50 - len(members)} เขต", True)]
    assert len(load_workbook(tmp_path / "group-02.xlsx").sheetnames) > 5  # its district sheets


def test_text_from_submissions_stays_text(built, tmp_path):
    """A note that looks like a formula or a link is written as the string the clerk typed."""
    data = built["2569-Q2"]
    notes = ["=1+1", "http://example.com/x", "=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1)"]
    rows = data.kr_district
    behind = rows.index[rows["status"].eq("off_track") & rows["kr_code"].eq("KR-1-01")][:4]
    rows = rows.copy()
    rows.loc[behind, "note"] = notes
    written = write_rollups(replace(data, kr_district=rows), tmp_path)
    guards = ("strings_to_formulas", "strings_to_urls", "strings_to_numbers")
    assert {key: workbook_options()[key] for key in guards} == dict.fromkeys(guards, False)
    sheet = load_workbook(tmp_path / "dimension-1.xlsx")["หมายเหตุ"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value in notes}
    assert cells == dict.fromkeys(notes, "s")
    for path in written:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                text = book.read(name).decode("utf-8", "replace")
                assert "<f>" not in text and "<hyperlink" not in text, (path.name, name)
                assert "relationships/hyperlink" not in text, (path.name, name)


def test_workbooks_print_on_a4_landscape_with_titles_footer_and_properties(books, built):
    """Fit to the page width, as many pages tall as it takes; a dimension at a glance (the
    first sheet of its workbook, and its page in the committee overview) on one page."""
    as_of = built["2569-Q2"].as_of
    glance = {"dimension-1.xlsx": {1}, "group-01.xlsx": set(),
              "committee.xlsx": set(range(7, 16))}
    for name, one_page in glance.items():
        with zipfile.ZipFile(books / name) as book:
            sheets = [n for n in book.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml", n)]
            titles = book.read("xl/workbook.xml").decode().count("_xlnm.Print_Titles")
            assert titles == len(sheets), name
            for sheet in sheets:
                xml = book.read(sheet).decode()
                setup = re.search(r"<pageSetup [^>]*>", xml).group(0)
                attributes = set(setup[11:-2].split())
                assert {'paperSize="9"', 'orientation="landscape"'} <= attributes, (name, sheet)
                # fitToHeight left out is its default: one page tall
                number = int(re.search(r"sheet(\d+)", sheet).group(1))
                tall = {a for a in attributes if a.startswith("fitToHeight")}
                assert tall == (set() if number in one_page else {'fitToHeight="0"'}), sheet
                assert '<pageSetUpPr fitToPage="1"/>' in xml, (name, sheet)
                footer = re.search(r"<oddFooter>(.*)</oddFooter>", xml).group(1)
                assert "2569-Q2" in footer and "ตัวเลขจากรายงานที่รับถึง 17 เม.ย. 2569" in footer
                assert "&amp;P" in footer and "&amp;N" in footer
            assert "TH Sarabun New" in book.read("xl/styles.xml").decode()
            core = book.read("docProps/core.xml").decode()
            assert f"{as_of:%Y-%m-%dT%H:%M:%S}Z" in core
            assert "ไตรมาส 2 ปีงบประมาณ 2569" in core
            assert "as_of" in book.read("docProps/custom.xml").decode()


def test_tables_are_frozen_and_filtered_matrices_are_traffic_lit(books):
    with zipfile.ZipFile(books / "dimension-1.xlsx") as book:
        xml = {i: book.read(f"xl/worksheets/sheet{i}.xml").decode() for i in range(1, 7)}
    for i in (2, 3, 4, 5, 6):  # every sheet after the summary is one table
        assert 'state="frozen"' in xml[i] and "<autoFilter" in xml[i], i
    for i in (1, 2, 3, 4):
        assert 'cfRule type="expression"' in xml[i] and 'cfRule type="iconSet"' in xml[i], i


def test_the_same_data_gives_byte_identical_rollups(demo_settings, built, tmp_path):
    """Workbook timestamps come from the data (its latest receipt), never from the clock: the
    nightly run's Q1 books (no earlier period) again, and Q2 with its history twice."""
    for path in write_rollups(built["2569-Q1"], tmp_path / "q1"):
        original = demo_settings.rollups_dir("2569-Q1") / path.name
        assert path.read_bytes() == original.read_bytes(), path.name
    first = write_with_history(built, "2569-Q2", tmp_path / "a")
    second = write_with_history(built, "2569-Q2", tmp_path / "b")
    assert len(first) == 16
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
        # the nightly run took Q1's trend figures from the warehouse, these from a rebuild
        assert one.read_bytes() == (demo_settings.rollups_dir("2569-Q2") / one.name).read_bytes()


def test_an_earlier_period_read_back_from_the_stored_scores_is_the_one_built(
        demo_settings, built):
    con = connect(demo_settings.warehouse_path, read_only=True)
    try:
        stored, = stored_city_figures(con, [parse_period("2569-Q1")], Thresholds())
    finally:
        con.close()
    rebuilt = built["2569-Q1"].city_figures()
    assert len(stored.kr_city) == 66 and len(stored.dims_city) == 9
    assert stored.kr_city["status"].nunique() > 1
    for mine, theirs in ((stored.kr_city, rebuilt.kr_city), (stored.dims_city, rebuilt.dims_city)):
        pd.testing.assert_frame_equal(mine.reset_index(drop=True),
                                      theirs.reset_index(drop=True), check_dtype=False)


@needs_libreoffice
@pytest.mark.parametrize(("name", "pages", "titles"), [
    ("dimension-1.xlsx", (6, 20), ["ด้านที่1เดินทางดี", "แยกตามกลุ่มเขต", "แยกตามตัวชี้วัด",
                                   "แนวโน้มความก้าวหน้า", "คำอธิบายจากเขต", "ข้อมูลที่ใช้คำนวณ"]),
    ("group-01.xlsx", (14, 60), ["กลุ่มกรุงเทพกลาง", "แต่ละเขตเทียบกับกลุ่ม", "อันดับเขตในกลุ่ม",
                                 "ความครบถ้วน", "การส่งรายงานรายเขต", "สำนักงานเขตพระนคร",
                                 "สำนักงานเขตวังทองหลาง"]),
    ("committee.xlsx", (15, 30), ["ภาพรวมความก้าวหน้าOKR", "ล่าช้ากว่าแผนมากที่สุด",
                                  "การเปลี่ยนแปลงจากงวดก่อน", "แต่ตัวเลขล่าช้ากว่าแผน",
                                  "ความครบถ้วน", "เขตที่ยังไม่มีรายงาน",
                                  *[f"ด้านที่{d}" for d in range(1, 10)]]),
])
def test_libreoffice_prints_each_kind_of_rollup(books, tmp_path, name, pages, titles):
    """What a committee member prints: a page count in reason, every sheet's title at the top
    of a page, the period and the page number in every footer."""
    found = pdf_pages(convert(books / name, "pdf", tmp_path))
    assert pages[0] <= len(found) <= pages[1], len(found)
    for title in map(squeeze, titles):
        assert any(title in page[:160] for page in found), title
    for number, page in enumerate(found, start=1):
        assert squeeze(f"หน้า {number} / {len(found)}") in page
        assert squeeze("ไตรมาส 2 ปีงบประมาณ 2569 (2569-Q2)") in page


@needs_libreoffice
def test_the_committee_gives_each_dimension_one_page_with_all_its_krs(books, registry, tmp_path):
    found = pdf_pages(convert(books / "committee.xlsx", "pdf", tmp_path))
    krs = registry.key_results
    for dimension in range(1, 10):
        pages = [p for p in found if p.startswith(squeeze(f"ด้านที่ {dimension} "))]
        assert len(pages) == 1, dimension
        codes = krs.loc[krs["dimension_id"] == dimension, "kr_code"]
        assert len(codes) >= 6
        assert all(code in pages[0] for code in codes), dimension
        following = found[found.index(pages[0]) + 1:][:1]
        assert not any(code in page for page in following for code in codes), dimension


@needs_libreoffice
def test_acceptance_dates_are_date_cells_shown_in_buddhist_era(demo_settings, books, tmp_path):
    """Khet Huai Khwang's Q2 workbook arrived at 23:08 UTC on 4 April 2026: 06:08 on 5 April
    in Bangkok, which a Thai reader writes 5 เม.ย. 2569; the cell is still a date, so the
    column sorts and filters by time."""
    con = duckdb.connect(str(demo_settings.warehouse_path), read_only=True)
    received = con.execute("SELECT received_at FROM submissions WHERE district_code = '1017' "
                           "AND period = '2569-Q2' AND accepted").fetchall()
    con.close()
    assert received == [(datetime(2026, 4, 4, 23, 8),)]
    sheet = load_workbook(books / "group-01.xlsx")["ส่งรายเขต"]
    rows = {r[0].value: r for r in sheet.iter_rows() if isinstance(r[0].value, str)}
    cell = rows["1017"][5]
    assert cell.value == datetime(2026, 4, 5)
    assert cell.number_format == "[$-107041E]d mmm yyyy"
    found = pdf_pages(convert(books / "group-01.xlsx", "pdf", tmp_path))
    (page,) = [p for p in found if p.startswith(squeeze("การส่งรายงานรายเขต"))]
    assert squeeze("1017 ห้วยขวาง Huai Khwang 1 ส่งแล้ว (ผ่าน) 5 เม.ย. 2569 ตรงเวลา") in page


def test_a_district_sheet_lists_the_krs_to_follow_up_and_points_to_every_kr(books):
    """Phra Nakhon's sheet lists its KRs off track (in Q2, below 35% of target: at risk
    starts at 70% of the expected 50%, as the legend says) or without data, read here from
    the group's KR sheet, which shows every KR of every member district."""
    book = load_workbook(books / "group-01.xlsx")
    matrix = list(book["รายตัวชี้วัด"].iter_rows(values_only=True))
    column = matrix[3].index("พระนคร")
    behind = {row[0] for row in matrix[5:] if isinstance(row[0], str) and row[0].startswith("KR-")
              and (row[column] == "ไม่มีข้อมูล"
                   or (isinstance(row[column], int | float) and row[column] < 0.35))}
    assigned = sum(1 for row in matrix[5:] if row[column] not in (None, "—"))
    rows = list(book["พระนคร"].iter_rows(values_only=True))
    listed = [row[1] for row in rows if isinstance(row[1], str) and row[1].startswith("KR-")]
    assert 5 < len(behind) < assigned
    assert sorted(listed) == sorted(behind)
    texts = [row[0] for row in rows if isinstance(row[0], str)]
    assert (f"ตัวชี้วัดที่ต้องติดตาม (ล่าช้ากว่าแผนหรือไม่มีข้อมูล) {len(behind)} จาก {assigned} / "
            f"KRs to follow up (off track or no data): {len(behind)} of {assigned}") in texts
    assert any("อยู่ในแผ่นงาน “รายตัวชี้วัด”" in text for text in texts)


def test_progress_is_shown_to_a_tenth_of_a_percent_as_its_legend_is(books):
    """0.4956 in amber showed "50%" under "on track ≥ 50%": a tenth of a percent tells it
    apart ("49.6%")."""
    sheet = load_workbook(books / "dimension-9.xlsx")["รายกลุ่มเขต"]
    texts = [cell.value for row in sheet.iter_rows(max_row=3) for cell in row
             if isinstance(cell.value, str)]
    assert any("เป็นไปตามแผน ≥ 50.0% · มีความเสี่ยง ≥ 35.0%" in text for text in texts)
    progress = [cell for row in sheet.iter_rows(min_row=6) for cell in row[2:]
                if isinstance(cell.value, float)]
    assert progress and {cell.number_format for cell in progress} == {"0.0%"}


@pytest.mark.parametrize("month", range(1, 13))
def test_a_books_traffic_light_agrees_with_the_status_at_each_month(tmp_path, month):
    """A progress exactly at the expected progress (or at its at-risk share) is lit as
    score.status says: the thresholds written in the book never exceed the exact ones (5/12
    written as 0.416667 lit an on-track 5/12 amber)."""
    expected, at_risk = month / 12, Thresholds().at_risk
    path = tmp_path / "lights.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    values = [expected, expected * at_risk]
    for row, value in enumerate(values):
        sheet.write_number(row, 0, value)
    progress_lights(sheet, Styles(book), (0, 0, len(values) - 1, 0), expected, at_risk)
    book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    lit = [float(v) for v in re.findall(r"A1&gt;=([0-9.eE+-]+)\)", xml)]
    icons = [float(v) for v in re.findall(r'<cfvo type="num" val="([0-9.eE+-]+)"', xml)]
    assert len(lit) == 2 and sorted(icons) == sorted(lit)
    statuses = score.status(pd.Series(values), expected, Thresholds()).tolist()
    assert statuses == ["on_track", "at_risk"]
    assert [values[0] >= lit[0], values[1] >= lit[1]] == [True, True]


@pytest.mark.parametrize(("progress", "shown", "status"), [
    (0.3497, "35.0%", "at_risk"), (0.3494, "34.9%", "off_track"),
    (0.4995, "50.0%", "on_track"), (0.4994, "49.9%", "at_risk"),
    (0.3495, "35.0%", "at_risk"),  # 0.34949999… in binary: Python's format says 34.9 %
    (0.3494999999, "34.9%", "off_track")])
def test_a_progress_is_lit_as_it_is_shown(tmp_path, progress, shown, status):
    """34.97 % shows as 35.0 %, and was lit red under a legend of "at risk ≥ 35.0 %": a
    status is the shown figure's, in the book's lights and wherever score.status is read."""
    assert score.percent_text(progress) == shown  # as Excel's 0.0% shows it
    assert score.status(pd.Series([progress]), 0.5, Thresholds()).tolist() == [status]
    path = tmp_path / "lights.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_number(0, 0, progress)
    progress_lights(sheet, Styles(book), (0, 0, 0, 0), 0.5, Thresholds().at_risk)
    book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    on_track, at_risk = (float(v) for v in re.findall(r"A1&gt;=([0-9.eE+-]+)\)", xml))
    lit = ("on_track" if progress >= on_track else "at_risk" if progress >= at_risk
           else "off_track")
    assert lit == status


def test_a_trend_chart_draws_no_more_krs_than_it_has_colours_the_furthest_behind_first():
    """A dimension of the city's plan has some 49 KRs: their colours came round again every
    ten, and lines that looked alike were named alike in the legend."""
    codes = [f"KR-1-{i:02d}" for i in range(1, 13)]
    krs = pd.DataFrame({"kr_code": codes, "2569-Q2": [0.0] * 12})  # the table caps at 0
    latest = pd.Series([0.5, 0.1, None, 0.3, 0.9, -0.4, 0.4, 0.45, 0.6, -0.2, 0.3, 0.7],
                       index=codes)  # raw: two KRs fell below their baselines
    chosen = rollup_dimension.charted_krs(krs, latest)
    assert len(PALETTE) == 10
    assert chosen["kr_code"].tolist() == [
        "KR-1-06", "KR-1-10", "KR-1-02", "KR-1-04", "KR-1-11", "KR-1-07", "KR-1-08", "KR-1-01",
        "KR-1-09", "KR-1-12"]  # 0.9 and the KR without data are left out
    assert rollup_dimension.charted_krs(krs.head(10), latest).equals(krs.head(10))


def test_a_trend_chart_of_fewer_krs_than_its_table_names_and_draws_each_with_its_figures(
        built, tmp_path, monkeypatch):
    """Four colours for dimension 1's KRs: the four lines are the four KRs furthest behind in
    Q2, each named by its code and drawn from its own row of figures."""
    monkeypatch.setattr(rollup_charts, "PALETTE", rollup_charts.PALETTE[:4])
    q1, q2 = built["2569-Q1"], built["2569-Q2"]
    path = write_named(tmp_path / "dimension-1.xlsx", "dimension-1", q2, [q1.city_figures()])
    sheet = load_workbook(path)["แนวโน้ม"]
    table = {row[0]: row[2:4] for row in sheet.iter_rows(min_row=6, values_only=True)
             if isinstance(row[0], str) and row[0].startswith("KR-")}
    behind = sorted((v[1], code) for code, v in table.items() if isinstance(v[1], float))[:4]
    with zipfile.ZipFile(path) as book:
        chart = next(book.read(n).decode() for n in book.namelist() if "charts/chart" in n
                     and "แนวโน้มของ 4 ตัวชี้วัดที่ล่าช้าที่สุดจาก" in book.read(n).decode())
    lines = _series(chart)
    assert len(lines) == 4 + 1  # and the expected progress
    drawn = []
    for (name_col, name_row, _, _), (first, row, last, _) in lines[:4]:
        code = sheet.cell(name_row, name_col).value
        drawn.append((sheet.cell(row, last).value, code))
        assert [sheet.cell(row, c).value for c in range(first, last + 1)] == pytest.approx(
            list(table[code])), code
    assert drawn == behind
    (name_col, name_row, _, _), _ = lines[4]
    assert sheet.cell(name_row, name_col).value == "คาดหวัง"


def test_a_trend_line_leaves_a_gap_where_a_kr_has_no_data(built, tmp_path):
    """The trend table says "no data"; a chart would draw that text as 0 %, so the line is
    drawn from a hidden copy of the figures where it is a blank: a gap."""
    data = built["2569-Q2"]
    kr_city = data.kr_city.copy()
    kr_city.loc[kr_city["kr_code"] == "KR-1-01", "progress"] = float("nan")
    write_rollups(replace(data, kr_city=kr_city), tmp_path, [built["2569-Q1"].city_figures()])
    path = tmp_path / "dimension-1.xlsx"
    sheet = load_workbook(path)["แนวโน้ม"]
    assert [sheet["A6"].value, sheet["D6"].value] == ["KR-1-01", MISSING]
    with zipfile.ZipFile(path) as book:
        chart = book.read("xl/charts/chart2.xml").decode()  # the glance sheet's is chart1
    assert "<c:plotVisOnly" not in chart  # as Excel says "draw hidden cells too"
    first, last = re.search(r"<c:val><c:numRef><c:f>'แนวโน้ม'!\$(\w+)\$6:\$(\w+)\$6</c:f>",
                            chart).groups()
    hidden = [d for d in sheet.column_dimensions.values() if d.hidden]
    assert any(d.min <= column_index_from_string(first) <= d.max for d in hidden)
    assert sheet[f"{first}6"].value == pytest.approx(sheet["C6"].value)  # Q1: drawn
    assert sheet[f"{last}6"].value is None  # Q2: a gap, not 0 %


@needs_libreoffice
def test_libreoffice_draws_the_trend_from_its_hidden_figures(books, tmp_path):
    saved = convert(books / "dimension-1.xlsx", "xlsx", tmp_path)
    with zipfile.ZipFile(saved) as book:
        charts = [book.read(n).decode() for n in book.namelist()
                  if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    (trend,) = [c for c in charts if "แนวโน้ม!" in c]
    assert '<c:plotVisOnly val="0"/>' in trend  # LibreOffice's own "include hidden cells"


def test_a_short_number_does_not_run_into_the_text_beside_it(books):
    """A dimension or rank, right-aligned against a left-aligned count or name, read as one
    with it: "1" then "0 / 9" read "10 / 9", "1" then "KR-1-01" read "1KR-1-01". It is
    centred, and a district's count of KRs with data reads as words."""
    group = load_workbook(books / "group-01.xlsx")
    district = [r for r in group["พระนคร"].iter_rows(min_row=6) if isinstance(r[0].value, int)]
    counts = [r[1].value for r in district if not r[1].value.startswith("KR-")]
    assert len(counts) == 9 and all(re.fullmatch(r"\d+ จาก \d+|—", c) for c in counts), counts
    ranks = [r for r in group["อันดับ"].iter_rows(min_row=6) if r[1].value]
    committee = load_workbook(books / "committee.xlsx")
    krs = [r for sheet in ("ล่าช้าที่สุด", "เปลี่ยนแปลง")
           for r in committee[sheet].iter_rows(min_row=6) if isinstance(r[0].value, int)]
    for cells in (district, ranks, krs):
        assert cells
        assert {r[0].alignment.horizontal for r in cells} == {"center"}, cells[0][0].coordinate


def test_changes_and_gaps_are_shown_in_percentage_points(books, built, reference):
    """"+20%" beside a score of 43% read as a relative change: a change since the previous
    period and a KR's gap to expected are written in points (20) and say so ("+20.0 จุด"), to
    the tenth the percentages beside them show (97.7 % to 98.3 % read "+1 จุด")."""
    points = '+0.0" จุด";-0.0" จุด";0.0" จุด"'
    book = load_workbook(books / "committee.xlsx")
    before = built["2569-Q1"].dims_city.set_index("dimension_id")["score"]
    dims = dict(zip(reference.dimensions["name_th"], reference.dimensions["dimension_id"],
                    strict=True))
    overview = [r for r in book["ภาพรวม"].iter_rows(min_row=6) if r[0].value in dims]
    assert len(overview) == 9
    for label, _, score_now, change, *_ in overview:
        assert change.number_format == points
        assert change.value == pytest.approx(100 * (score_now.value - before[dims[label.value]]))
    changed = [r for r in book["เปลี่ยนแปลง"].iter_rows(min_row=6) if r[0].value]
    behind = [r for r in book["ล่าช้าที่สุด"].iter_rows(min_row=6) if r[0].value]
    assert changed and behind
    for row in changed:
        assert row[5].number_format == points
        assert row[5].value == pytest.approx(100 * (row[4].value - row[3].value))
    for row in behind:
        assert row[9].number_format == points
        assert row[9].value == pytest.approx(100 * (row[7].value - row[8].value))


def test_the_trend_chart_names_the_periods_in_thai(books):
    """Its axis took the English header row and read "Q1, FY 2569" in a Thai book."""
    path = books / "dimension-1.xlsx"
    with zipfile.ZipFile(path) as book:
        chart = book.read("xl/charts/chart2.xml").decode()  # the glance sheet's is chart1
    refs = set(re.findall(r"<c:cat><c:\w+><c:f>'แนวโน้ม'!\$(\w+)\$(\d+):\$(\w+)\$(\d+)</c:f>",
                          chart))
    assert len(refs) == 1
    ((first, row, last, same),) = refs
    sheet = load_workbook(path)["แนวโน้ม"]
    assert row == same
    assert [sheet[f"{first}{row}"].value, sheet[f"{last}{row}"].value] == [
        "ไตรมาส 1\nปีงบประมาณ 2569", "ไตรมาส 2\nปีงบประมาณ 2569"]


def test_the_timeliness_sheet_gives_the_due_date_in_both_languages(books, built):
    """Its title ended "กำหนดส่ง 15 เม.ย. 2569 / due", the English without its date."""
    due = built["2569-Q2"].due
    title = load_workbook(books / "group-01.xlsx")["ส่งรายเขต"]["A1"].value
    assert title == (f"การส่งรายงานรายเขต / each district's submission — "
                     f"กำหนดส่ง {thai_date(due)} / due {due:%Y-%m-%d}")


def test_the_expected_progress_shows_on_the_trend_chart_of_a_year_s_first_period(
        demo_settings):
    """With one period its line has one point, which a line without markers does not draw,
    while the legend lists it."""
    path = demo_settings.rollups_dir("2569-Q1") / "dimension-1.xlsx"
    with zipfile.ZipFile(path) as book:
        chart = book.read("xl/charts/chart2.xml").decode()  # the glance sheet's is chart1
    expected = re.findall(r"<c:ser>.*?</c:ser>", chart, re.S)[-1]
    name = re.search(r"<c:tx><c:strRef><c:f>'แนวโน้ม'!([$\w]+)</c:f>", expected).group(1)
    assert load_workbook(path)["แนวโน้ม"][name.replace("$", "")].value == "คาดหวัง"
    assert re.search(r"<c:val><c:numRef><c:f>'แนวโน้ม'!\$\w+\$\d+</c:f>", expected)  # a point
    symbol = re.search(r'<c:marker><c:symbol val="(\w+)"/>', expected).group(1)
    assert symbol != "none"


def _series(chart: str) -> list[tuple[tuple, tuple]]:
    """Each series of a chart's XML: the cells of its name and of its values (first column,
    first row, last column, last row)."""
    def cells(pattern: str, series: str) -> tuple:
        return range_boundaries(re.search(pattern, series).group(1).split("!")[1].replace("$", ""))
    return [(cells(r"<c:tx><c:strRef><c:f>([^<]+)</c:f>", s),
             cells(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", s))
            for s in re.findall(r"<c:ser>.*?</c:ser>", chart, re.S)]


def test_a_sort_leaves_a_group_summary_s_totals_and_its_chart_in_place(books, reference):
    """The group's and the city's rows were inside the autofilter: a sort scattered them among
    the districts, and the chart, pinned to the last two rows, drew two districts as "group
    against city". The filter holds the districts only; the totals and the chart's rows are
    beneath it."""
    path = books / "group-01.xlsx"
    sheet = load_workbook(path)["สรุป"]
    _, header, _, last = range_boundaries(sheet.auto_filter.ref)
    members = reference.districts.loc[reference.districts["group_code"] == "01", "name_th"]
    assert sorted(sheet.cell(r, 1).value for r in range(header + 1, last + 1)) == sorted(members)
    with zipfile.ZipFile(path) as book:
        series = _series(book.read("xl/charts/chart1.xml").decode())
    assert [sheet.cell(name[1], 1).value.split(" · ")[0] for name, _ in series] == [
        "ทั้งกลุ่มกรุงเทพกลาง (group)", "ทั้งกรุงเทพฯ (city)"]
    for name, values in series:
        assert name[:2] == (1, values[1]) and values[1] == values[3] > last


def test_a_sort_leaves_each_trend_line_with_its_name(books):
    """The expected row was inside the autofilter, and each line took its name from column A
    while its values came from a hidden copy a sort leaves in place: sorted, names and lines
    disagreed. The filter holds the KRs only, and each line's name is kept beside its values,
    out of the filter's reach."""
    path = books / "dimension-1.xlsx"
    sheet = load_workbook(path)["แนวโน้ม"]
    _, header, filtered, last = range_boundaries(sheet.auto_filter.ref)
    assert all(sheet.cell(r, 1).value.startswith("KR-") for r in range(header + 1, last + 1))
    assert sheet.cell(last + 1, 1).value == "คาดหวัง"
    with zipfile.ZipFile(path) as book:
        series = _series(book.read("xl/charts/chart2.xml").decode())
    assert len(series) == last - header + 1
    for (name_col, row, _, _), (first, at, final, same) in series:
        assert row == at == same and min(name_col, first) > filtered
        assert sheet.cell(row, name_col).value == sheet.cell(row, 1).value
        assert [sheet.cell(row, c).value for c in range(first, final + 1)] == pytest.approx(
            [sheet.cell(row, c).value for c in range(3, filtered + 1)])


def test_issues_and_objectives_are_listed_in_the_order_of_their_numbers():
    """1.1.2 before 1.1.10. Codes read from the registry are pandas 3's strings, which the sort
    took for something else than text: it sorted them as text, 1.1.10 before 1.1.2."""
    key_results = pd.DataFrame({
        "kr_code": ["KR-a", "KR-b", "KR-c", "KR-d"],
        "objective_code": ["1.10.1", "1.1.10", "1.1.2", "1.2.1"],
        "issue_code": ["1.10", "1.1", "1.1", "1.2"], "dimension_id": [1, 1, 1, 1]})
    kr_rows = pd.DataFrame({"kr_code": ["KR-a", "KR-b", "KR-c", "KR-d"],
                            "progress": [0.5, 0.5, 0.5, 0.5]})
    tree = rollup.tree_scores(kr_rows, key_results)
    assert list(zip(tree["level"], tree["issue_code"], tree["objective_code"], strict=True)) == [
        ("issue", "1.1", ""), ("objective", "1.1", "1.1.2"), ("objective", "1.1", "1.1.10"),
        ("issue", "1.2", ""), ("objective", "1.2", "1.2.1"),
        ("issue", "1.10", ""), ("objective", "1.10", "1.10.1")]


def test_a_period_whose_every_file_was_rejected_is_shown_as_of_its_last_file(workspace,
                                                                              reference):
    """Its books show every district without a report; their "data as of" said 1 January 2000
    (ข้อมูล ณ 1 ม.ค. 2543), a time no file was sent at."""
    for district in ("1001", "1002"):
        workspace.send(workspace.clerk(district).type("KR-1-01", "actual", "ไม่ทราบ"), district)
    assert [e["outcome"] for e in run(workspace.settings).files] == ["rejected", "rejected"]
    (built,) = build_rollups(workspace.settings, workspace.registry, reference).values()
    assert built.as_of == datetime(2026, 4, 1, 0, 2)  # the second file's receipt (UTC)
    assert rollup_book.as_of_text(built) == "1 เม.ย. 2569 07:02 น."


def test_the_krs_furthest_behind_are_only_those_behind(built, tmp_path):
    """With fewer than 15 KRs behind the expected progress, KRs on track filled the rest of the
    committee's table of those furthest behind."""
    rollup_q2 = built["2569-Q2"]
    kr_city = rollup_q2.kr_city.assign(progress=1.0)  # every KR done, but two
    kr_city.loc[kr_city["kr_code"] == "KR-1-02", "progress"] = 0.1
    kr_city.loc[kr_city["kr_code"] == "KR-2-01", "progress"] = 0.3
    kr_city.loc[kr_city["kr_code"] == "KR-3-01", "progress"] = rollup_q2.expected  # on plan
    path = write_named(tmp_path / "committee.xlsx", "committee",
                       replace(rollup_q2, kr_city=kr_city), [])
    rows = load_workbook(path)["ล่าช้าที่สุด"].iter_rows(min_row=6, values_only=True)
    assert [(r[1], r[9]) for r in rows if isinstance(r[0], int)] == [
        ("KR-1-02", pytest.approx(100 * (0.1 - rollup_q2.expected))),
        ("KR-2-01", pytest.approx(100 * (0.3 - rollup_q2.expected)))]
