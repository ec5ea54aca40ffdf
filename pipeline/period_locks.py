"""Opening and closing reporting periods: who did it and when, kept in the warehouse.

A closed period rejects new submissions; reopening it lets corrections in again. A file
refused while it was closed stays refused: its bytes are known in its folder (a file is judged
once in each), so its district sends it again saved anew.
"""

from datetime import datetime

import duckdb

ACTIONS = ("open", "close", "reopen")


class PeriodActionError(ValueError):
    """The action does not apply to the period in its current state."""


def state(con: duckdb.DuckDBPyConnection, period: str) -> str:
    """open or closed; a period nobody has acted on is open."""
    return _latest(con, period) or "open"


def _latest(con: duckdb.DuckDBPyConnection, period: str) -> str | None:
    """The state the period's last action left it in; None when nobody has acted on it."""
    row = con.execute("SELECT state FROM period_state WHERE period = ?", [period]).fetchone()
    return row[0] if row else None


def closed_periods(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(
        "SELECT period FROM period_state WHERE state = 'closed'").fetchall()}


def record(con: duckdb.DuckDBPyConnection, action: str, period: str, actor: str,
           at: datetime) -> str:
    """Records the action and returns the period's new state."""
    latest = _latest(con, period)
    current = latest or "open"
    if action == "close" and current == "closed":
        raise PeriodActionError(f"รอบ {period} ปิดรับรายงานอยู่แล้ว / period {period} is "
                                "already closed")
    if action == "reopen" and current != "closed":
        raise PeriodActionError(f"รอบ {period} ไม่ได้ปิดอยู่ จึงไม่มีอะไรให้เปิดใหม่ / period "
                                f"{period} is not closed; there is nothing to reopen")
    if action == "open" and current == "closed":
        raise PeriodActionError(f"รอบ {period} ปิดอยู่ ใช้คำสั่ง reopen เพื่อรับไฟล์ที่แก้ไข / "
                                f"period {period} is closed; use reopen to let corrections in")
    if action == "open" and latest is not None:  # opened before, and not closed since
        raise PeriodActionError(f"รอบ {period} เปิดรับรายงานอยู่แล้ว / period {period} is "
                                "already open")
    con.execute("BEGIN")
    con.execute("INSERT INTO period_events SELECT coalesce(max(seq), 0) + 1, ?, ?, ?, ? "
                "FROM period_events", [period, action, actor, at.replace(tzinfo=None)])
    con.execute("COMMIT")
    return state(con, period)


# The files refused because their period was closed: they never reached it. Its books, as
# it was closed with them, count no more files than they did then.
REACHED = ("submission_id NOT IN "
           "(SELECT submission_id FROM problems WHERE code = 'period-closed')")


def refused_while_closed(con: duckdb.DuckDBPyConnection, period: str
                         ) -> list[tuple[str, str, datetime]]:
    """(inbox folder, file name, received at) of each file refused because the period was
    closed, since it was last closed, oldest first: whom the strategy office asks to send
    again once it reopens it (those refused in an earlier closure were asked then)."""
    return con.execute(
        "SELECT inbox_folder, original_name, received_at FROM submissions "
        f"WHERE period = $period AND NOT {REACHED} "
        "AND run_id IN (SELECT run_id FROM runs WHERE started_at >= "
        "(SELECT max(acted_at) FROM period_events WHERE period = $period "
        "AND action = 'close')) "
        "ORDER BY submission_id", {"period": period}).fetchall()
