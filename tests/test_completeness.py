"""Who reported for a period, and on time, as the strategy office counts it."""

import os
from datetime import UTC, datetime

from rich.console import Console

from pipeline import rollup
from pipeline.cli import render_report
from pipeline.periods import parse_period
from pipeline.runner import run
from pipeline.store import connect
from tests.running import query


def test_a_file_received_after_midnight_in_bangkok_on_the_due_date_is_late(workspace):
    """The Q2 due date is 15 April 2026 (Bangkok); 20:00 UTC that day is 03:00 on the 16th."""
    for district, hour in (("1001", 16), ("1002", 20)):  # 23:00 and 03:00 in Bangkok
        path = workspace.send(workspace.clerk(district), district)
        stamp = datetime(2026, 4, 15, hour, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    report = run(workspace.settings)
    con = connect(workspace.settings.warehouse_path, read_only=True)
    try:
        rows = rollup.completeness(con, workspace.registry, workspace.reference,
                                   parse_period("2569-Q2"))
    finally:
        con.close()
    on_time = dict(zip(rows["district_code"], rows["on_time"], strict=True))
    assert (on_time["1001"], on_time["1002"]) == (True, False)
    # and each accepted submission says so itself
    assert query(workspace.settings.warehouse_path,
                 "SELECT district_code, on_time FROM submissions ORDER BY 1") == [
        ("1001", True), ("1002", False)]
    # the run names the late districts, where it only counted them
    assert report.late["2569-Q2"] == [{"district_code": "1002", "name_th": "ดุสิต"}]
    console = Console(record=True, width=400)
    render_report(report, workspace.settings, console)
    row = next(line for line in console.export_text().splitlines() if "2569-Q2" in line)
    assert row.rstrip(" │").endswith("│ 1002 ดุสิต")


def test_a_rejected_submission_is_neither_on_time_nor_late(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "ไม่ทราบ"), "1001")
    run(workspace.settings)
    assert query(workspace.settings.warehouse_path,
                 "SELECT accepted, on_time FROM submissions") == [(False, None)]


def test_a_period_whose_every_file_was_rejected_is_published_with_every_district_missing(
        workspace):
    """Its outputs were not written, and the run's summary showed "-" for the districts
    without an accepted report, which read as "nobody"."""
    from openpyxl import load_workbook

    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001")
    report = run(workspace.settings)
    assert [f["outcome"] for f in report.files] == ["rejected"]
    assert len(report.missing["2569-Q2"]) == 50
    city = next(r for r in report.completeness["2569-Q2"] if r["area"] == "city")
    assert (city["expected"], city["received"], city["rejected"], city["rate"]) == (50, 1, 1, 0)
    books = workspace.settings.rollups_dir("2569-Q2")
    assert len(list(books.glob("*.xlsx"))) == 16
    rows = {r[0]: r for r in load_workbook(books / "committee.xlsx")["การส่งรายงาน"].iter_rows(
        min_row=6, values_only=True) if r[0]}
    assert rows["ทั้งกรุงเทพฯ"][2:] == (50, 1, 0, 0, 0, 1, 49, 0, 0)
    assert (workspace.settings.public_dir("2569-Q2") / "index.html").exists()
    assert list(report.rollups) == ["2569-Q2"]


def test_a_copy_that_kept_an_old_time_is_received_when_the_last_run_missed_it(workspace):
    """Windows Explorer's copy keeps the time its original was saved: a file saved before
    the due date and sent after it was on time, and the books' "data as of" went back in
    time. It is received no earlier than the start of the last finished run, which listed the
    inbox without it."""
    workspace.send(workspace.clerk("1001"), "1001")
    first = datetime(2026, 4, 16, 3, tzinfo=UTC)  # 10:00 in Bangkok, the day after Q2's due
    run(workspace.settings, now=lambda: first)
    copied = workspace.send(workspace.clerk("1002"), "1002")
    saved = datetime(2026, 4, 14, 9, tzinfo=UTC).timestamp()  # the original, saved in time
    os.utime(copied, (saved, saved))
    fresh = workspace.send(workspace.clerk("1003"), "1003")
    later = datetime(2026, 4, 17, 2, tzinfo=UTC).timestamp()  # saved into the inbox after it
    os.utime(fresh, (later, later))
    run(workspace.settings, now=lambda: datetime(2026, 4, 18, 3, tzinfo=UTC))
    assert query(workspace.settings.warehouse_path,
                 "SELECT district_code, received_at, on_time FROM submissions ORDER BY 1") == [
        ("1001", datetime(2026, 4, 1, 0, 1), True),
        ("1002", datetime(2026, 4, 16, 3), False),
        ("1003", datetime(2026, 4, 17, 2), False)]
    (kept,) = workspace.settings.archive.glob("1002/*")
    assert kept.stat().st_mtime == datetime(2026, 4, 16, 3, tzinfo=UTC).timestamp()


def test_the_sheets_of_who_sent_what_give_the_time_of_the_latest_file_rejected_or_not(
        workspace):
    """A rejected file changed who had sent what, under the same "data as of" (the latest
    accepted figures'): two printouts of one time disagreed."""
    from openpyxl import load_workbook

    for district, hour, typed in (("1001", 3, 10), ("1002", 5, "สิบ")):  # 10:00, 12:00 Bangkok
        path = workspace.send(workspace.clerk(district).type("KR-1-01", "actual", typed),
                              district)
        stamp = datetime(2026, 4, 10, hour, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    report = run(workspace.settings)
    assert [f["outcome"] for f in report.files] == ["accepted", "rejected"]
    book = load_workbook(workspace.settings.rollups_dir("2569-Q2") / "committee.xlsx")
    lines = {sheet.title: sheet["A2"].value for sheet in book}
    for name in ("การส่งรายงาน", "ยังไม่มีรายงานที่ผ่าน"):
        assert "รับไฟล์ถึง 10 เม.ย. 2569 12:00 น. (files received as of)" in lines[name], name
    assert "ตัวเลขจากรายงานที่รับถึง 10 เม.ย. 2569 10:00 น. (figures received up to)" in lines["ภาพรวม"]
    group = load_workbook(workspace.settings.rollups_dir("2569-Q2") / "group-01.xlsx")
    assert "รับไฟล์ถึง 10 เม.ย. 2569 12:00 น." in group["ส่งรายเขต"]["A2"].value
    page = (workspace.settings.public_dir("2569-Q2") / "index.html").read_text(encoding="utf-8")
    assert "files received as of 2026-04-10 12:00 Bangkok time" in page
