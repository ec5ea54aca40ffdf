"""The warehouse file: migrations applied once and in order, on the existing file."""

from datetime import datetime

import duckdb
import pyarrow
import pytest

from pipeline import store
from pipeline.memory import duckdb_limit_to_store
from pipeline.runner import run
from pipeline.store import MIGRATIONS, connect


def test_migrations_are_applied_once_and_keep_what_is_stored(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = connect(path)
    con.execute("INSERT INTO dimensions VALUES (1, 'เดินทางดี', 'Good mobility')")
    con.close()
    con = connect(path)
    applied = con.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
    assert applied == [(int(p.name.split("_")[0]), p.name)
                       for p in sorted(MIGRATIONS.glob("*.sql"))]
    assert con.execute("SELECT name_th FROM dimensions").fetchall() == [("เดินทางดี",)]
    con.close()


def test_the_warehouse_has_the_views_analysts_query(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    views = {row[0] for row in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views >= {"current_facts", "current_submissions", "submission_status"}
    columns = [row[0] for row in con.execute("DESCRIBE current_facts").fetchall()]
    assert set(columns) >= {"district_code", "period", "kr_code", "actual", "status"}
    con.close()


def _migrated_until(path, last: int) -> duckdb.DuckDBPyConnection:
    """A warehouse as a release that knew migrations 1 to `last` left it."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                "name VARCHAR NOT NULL)")
    for script in sorted(MIGRATIONS.glob("*.sql")):
        if int(script.name[:3]) <= last:
            con.execute(script.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                        [int(script.name[:3]), script.name])
    return con


def test_a_warehouse_that_judged_a_file_once_anywhere_keeps_its_rows_and_views(tmp_path):
    """Migration 014 rebuilds submissions (unique on the bytes and their folder) under the
    views: what was stored stays, and the same bytes may now come from a second folder."""
    path = tmp_path / "warehouse.duckdb"
    con = _migrated_until(path, 13)
    con.execute("INSERT INTO submissions VALUES (1, 'abc', '1002', 'a.xlsx', 1, "
                "'2026-04-01 00:00:00', 'r', '1001', '2569-Q2', '2569.1', false, "
                "'quarantine/1002/a', 1, 0, 0, NULL, '2569.1', NULL)")
    con.close()
    con = connect(path)
    try:
        assert con.execute("SELECT submission_id, inbox_folder, status FROM submission_status"
                           ).fetchall() == [(1, "1002", "rejected")]
        con.execute("INSERT INTO submissions VALUES (2, 'abc', '1001', 'a.xlsx', 1, "
                    "'2026-04-02 00:00:00', 'r', '1001', '2569-Q2', '2569.1', true, "
                    "'archive/1001/a', 0, 0, 0, NULL, '2569.1', true)")
        assert con.execute("SELECT submission_id FROM current_submissions").fetchall() == [(2,)]
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO submissions SELECT * REPLACE (3 AS submission_id) "
                        "FROM submissions WHERE submission_id = 2")
        assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = "
                           "'submissions' AND comment IS NULL").fetchone() == (0,)
    finally:
        con.close()


def test_a_read_only_connection_sees_the_same_tables(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    connect(path).close()
    con = connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (0,)
    finally:
        con.close()


def test_a_warehouse_from_before_registry_versions_is_upgraded_in_place(tmp_path):
    """Migrations 005 on a file written by 001-004: the stored version is in force from the
    first period, its periods kept per version, and past submissions get on_time."""
    path = tmp_path / "warehouse.duckdb"
    con = _migrated_until(path, 4)
    con.execute("INSERT INTO registry_versions VALUES ('2569.1', 2569)")
    con.execute("INSERT INTO periods VALUES ('2569-Q1', '2025-10-01', '2025-12-31', "
                "'2026-01-15', 0.25), ('2569-Q2', '2026-01-01', '2026-03-31', '2026-04-15', 0.5)")
    for sid, received in ((1, datetime(2026, 4, 15, 16)), (2, datetime(2026, 4, 15, 20))):
        con.execute("INSERT INTO submissions VALUES (?, ?, '1001', 'a.xlsx', 1, ?, 'r', '1001', "
                    "'2569-Q2', '2569.1', true, 'archive/a', 0, 0, 0, NULL)",
                    [sid, f"sha{sid}", received])
    con.close()
    con = connect(path)
    try:
        assert con.execute("SELECT registry_version, in_force_from, loaded_seq "
                           "FROM registry_versions").fetchall() == [("2569.1", "2569-Q1", 1)]
        assert con.execute("SELECT period, due_date::VARCHAR FROM registry_periods "
                           "ORDER BY 1").fetchall() == [("2569-Q1", "2026-01-15"),
                                                        ("2569-Q2", "2026-04-15")]
        # 23:00 and 03:00 in Bangkok against a due date of 15 April
        assert con.execute("SELECT submission_id, on_time, checked_against FROM submissions "
                           "ORDER BY 1").fetchall() == [(1, True, "2569.1"), (2, False, "2569.1")]
    finally:
        con.close()


def test_a_run_takes_pyarrow_s_buffers_from_the_c_library(workspace):
    """pyarrow's own pool keeps what a phase freed (pipeline.memory)."""
    pyarrow.set_memory_pool(pyarrow.mimalloc_memory_pool())
    run(workspace.settings)
    assert pyarrow.default_memory_pool().backend_name == "system"


def test_both_kinds_of_connection_give_freed_memory_back_early(tmp_path):
    """DuckDB keeps up to 128 MB of freed blocks, and a buffer pool of up to 80 % of the
    machine's memory, by default: a run that has stored a year would hold them through its
    roll-ups."""
    path = tmp_path / "warehouse.duckdb"
    for read_only in (False, True):
        con = connect(path, read_only=read_only)
        try:
            assert con.execute(
                "SELECT current_setting('allocator_flush_threshold'), "
                "current_setting('memory_limit')").fetchone() == ("16MB", "45.7 MiB")
        finally:
            con.close()


def test_a_backlog_stored_in_one_transaction_is_given_the_memory_it_needs(tmp_path):
    """Storing holds the new rows' primary-key index at once: a million facts (a backlog of
    four years) do not fit the usual limit, and fit the one record sets for them."""
    rows = 1_000_000
    con = connect(tmp_path / "warehouse.duckdb")
    fill = ("INSERT INTO facts SELECT i // 440, '1001', '2569-M01', 'KR-' || (i % 440), i, "
            f"NULL, NULL, 'on_track', 'high', 'ตามแผน', 'ข้อมูล', 'H6' FROM range({rows}) t(i)")
    try:
        con.execute("BEGIN")
        with pytest.raises((duckdb.OutOfMemoryException, duckdb.TransactionException)):
            con.execute(fill)
            con.execute("COMMIT")
        con.execute("ROLLBACK")
        con.execute(f"SET memory_limit = '{duckdb_limit_to_store(rows)}'")
        con.execute("BEGIN")
        con.execute(fill)
        con.execute("COMMIT")
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (rows,)
    finally:
        con.close()


def test_the_limit_raised_to_store_is_lowered_again_once_stored(tmp_path, monkeypatch):
    """A night of a few files is stored with the run's own connection (pipeline.runner), which
    goes on to build the roll-ups under the usual limit."""
    limit = "current_setting('memory_limit')"
    during = []
    original = store._record
    monkeypatch.setattr(store, "duckdb_limit_to_store", lambda rows: "200MB")
    monkeypatch.setattr(store, "_record", lambda con, *args: (
        during.append(con.execute(f"SELECT {limit}").fetchone()[0]), original(con, *args)))
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        assert store.record(con, [], [], "run-1") == []
        assert during == ["190.7 MiB"]
        assert con.execute(f"SELECT {limit}").fetchone() == ("45.7 MiB",)
    finally:
        con.close()


def test_the_limit_to_store_grows_with_the_rows_past_the_usual_one():
    assert duckdb_limit_to_store(0) == "48MB"
    assert duckdb_limit_to_store(100_000) == "48MB"  # a night's files: 44 MB is enough
    assert duckdb_limit_to_store(3_000_000) == "398MB"  # 32 MB and 128 bytes a row


def test_the_runs_that_did_not_finish_since_the_last_that_did_are_listed(tmp_path):
    """A killed or failed run's report is never written: the next run's lists it. One before
    the last finished run was listed by that run already; the run asking is not listed."""
    from pipeline.report import RunReport

    con = connect(tmp_path / "warehouse.duckdb")
    runs = [RunReport(run_id=f"run-{day}", started_at=datetime(2026, 4, day),
                      registry_version="2569.1") for day in range(1, 6)]
    runs.append(RunReport(run_id="run-2b", started_at=datetime(2026, 4, 2),
                          registry_version="2569.1"))  # at the same moment as run-2
    for report in runs:
        store.start_run(con, report)
    runs[1].finished_at = datetime(2026, 4, 2, 1)
    store.finish_run(con, runs[1])
    # run-1 unfinished before run-2 finished; run-2b, 3 and 4 unfinished since; run-5 is asking
    listed = store.unfinished_runs(con, "run-5")
    assert [(r["run_id"], r["started_at"], r["files"]) for r in listed] == [
        ("run-2b", "2026-04-02T00:00:00", []), ("run-3", "2026-04-03T00:00:00", []),
        ("run-4", "2026-04-04T00:00:00", [])]
    con.close()
