"""Who reported for a period, and on time, as the strategy office counts it."""

import os
from datetime import UTC, datetime

from pipeline import rollup
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
    run(workspace.settings)
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


def test_a_rejected_submission_is_neither_on_time_nor_late(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "ไม่ทราบ"), "1001")
    run(workspace.settings)
    assert query(workspace.settings.warehouse_path,
                 "SELECT accepted, on_time FROM submissions") == [(False, None)]
