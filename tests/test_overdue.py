"""A period past its due date that no district has sent a file for, as the strategy office
sees it: in the run's summary and its report, with every district missing. Before, only the
periods some file was sent for were listed, and a period nobody sent for went unseen."""

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from rich.console import Console

from pipeline.cli import render_report
from pipeline.overdue import unsent
from pipeline.registry_store import RegistryVersions
from pipeline.runner import run

BANGKOK = ZoneInfo("Asia/Bangkok")


def _bangkok(*when: int):
    moment = datetime(*when, tzinfo=BANGKOK).astimezone(UTC)
    return lambda: moment


def test_a_quarter_past_due_that_nobody_sent_for_is_reported_with_every_district_missing(
        workspace):
    """The sample registry lists Q1–Q4 and M01–M12; the district reports quarters, so the
    months, though past due, are not asked of anyone."""
    workspace.send(workspace.clerk("1001"), "1001")  # 2569-Q2
    report = run(workspace.settings, now=_bangkok(2026, 7, 16, 9))
    assert report.unsent == {"2569-Q1": "2026-01-15", "2569-Q3": "2026-07-15"}
    missing = report.missing["2569-Q3"]
    assert len(missing) == 50
    assert {r["state"] for r in missing} == {"missing"}
    assert missing[0] == {"district_code": "1001", "name_th": "พระนคร", "state": "missing"}
    city = next(r for r in report.completeness["2569-Q3"] if r["area"] == "city")
    assert (city["expected"], city["received"], city["missing"], city["rate"]) == (50, 0, 50, 0)
    assert list(report.rollups) == ["2569-Q2"]  # nothing is published for a period with no file
    console = Console(record=True, width=400)
    render_report(report, workspace.settings, console)
    shown = console.export_text()
    assert ("ยังไม่มีเขตใดส่ง (50 เขต) ครบกำหนด 15 ก.ค. 2569 / no district has sent a file (50); "
            "due 2026-07-15") in shown
    assert "1001 พระนคร (ยังไม่ส่ง / missing)" not in shown.split("2569-Q3")[1]


def test_a_period_is_due_by_the_end_of_its_day_in_bangkok(workspace):
    """Q3 is due 15 July 2026: at 23:59 that day in Bangkok (16:59 UTC) nobody is late yet;
    a minute past midnight, everybody is."""
    workspace.send(workspace.clerk("1001"), "1001")
    assert "2569-Q3" not in run(workspace.settings, now=_bangkok(2026, 7, 15, 23, 59)).unsent
    assert "2569-Q3" in run(workspace.settings, now=_bangkok(2026, 7, 16, 0, 1)).unsent


def test_a_district_that_reports_months_is_asked_for_the_months(workspace):
    workspace.send(workspace.clerk("1001", "2569-M05"), "1001")
    report = run(workspace.settings, now=_bangkok(2026, 4, 1, 9))
    assert report.unsent == {"2569-M01": "2025-11-15", "2569-M02": "2025-12-15",
                             "2569-M03": "2026-01-15", "2569-M04": "2026-02-15"}


def _next_year(registry, due: dict[str, str]):
    periods = pd.DataFrame({"period": list(due),
                            "due_date": [date.fromisoformat(d) for d in due.values()]})
    return replace(registry, version="2570-1", fiscal_year=2570, in_force_from="2570-Q1",
                   periods=periods)


def test_a_year_with_no_file_yet_is_asked_for_what_the_year_before_reported(registry):
    """FY 2570's first quarter, past due with nothing sent that year: the city reported
    quarters in 2569, so it is late; its months are not, nobody having reported any."""
    versions = RegistryVersions((registry, _next_year(registry, {
        "2570-Q1": "2027-01-15", "2570-M01": "2026-11-15", "2570-M02": "2026-12-15"})))
    overdue = unsent(["2569-Q1", "2569-Q2", "2569-Q3", "2569-Q4"], versions, date(2027, 1, 16))
    assert list(overdue) == ["2570-Q1"]
    # once the year has files of its own, its own kinds count
    overdue = unsent(["2569-Q4", "2570-M01"], versions, date(2027, 1, 16))
    assert list(overdue) == ["2569-Q1", "2569-Q2", "2569-Q3", "2570-M02"]
