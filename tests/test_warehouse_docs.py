"""The warehouse documents itself and is documented: every table, view and column carries a
comment (schemas/migrations/004_comments.sql), docs/warehouse.md has a section per table and
view, and every example query of it runs on the demo warehouse."""

import re
from pathlib import Path

import pytest

from pipeline.store import connect

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"
SQL_BLOCKS = re.findall(r"^```sql\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
# A view that passes a table's columns through says so in its comment; the columns it adds
# carry their own comment.
PASSED_THROUGH = re.compile(r"Columns as in (\w+)")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A warehouse just created and migrated, with no data."""
    con = connect(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")
    yield con
    con.close()


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _tables(con) -> dict[str, str | None]:
    return dict(_rows(con, "SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal"))


def _views(con) -> dict[str, str | None]:
    return dict(_rows(con, "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"))


def _columns(con) -> list[tuple[str, str, str | None]]:
    return _rows(con, "SELECT table_name, column_name, comment FROM duckdb_columns() "
                      "WHERE NOT internal ORDER BY table_name, column_index")


def _blank(comment: str | None) -> bool:
    return comment is None or not comment.strip()


def test_the_warehouse_has_its_tables_and_views(fresh):
    assert {"schema_migrations", "submissions", "facts", "problems", "period_events"} <= set(
        _tables(fresh))
    assert {"current_submissions", "submission_status", "current_facts", "period_state"} <= set(
        _views(fresh))


def test_every_table_and_view_has_a_comment(fresh):
    objects = {**_tables(fresh), **_views(fresh)}
    assert [name for name, comment in objects.items() if _blank(comment)] == []


def test_every_column_of_every_table_has_a_comment(fresh):
    tables = _tables(fresh)
    columns = [(t, c, comment) for t, c, comment in _columns(fresh) if t in tables]
    assert columns
    assert [f"{t}.{c}" for t, c, comment in columns if _blank(comment)] == []


def test_every_column_a_view_adds_has_a_comment(fresh):
    tables, views = _tables(fresh), _views(fresh)
    table_columns = {(t, c) for t, c, _ in _columns(fresh) if t in tables}
    silent = []
    for view, column, comment in _columns(fresh):
        if view not in views or not _blank(comment):
            continue
        sources = PASSED_THROUGH.findall(views[view] or "")
        if not any((source, column) in table_columns for source in sources):
            silent.append(f"{view}.{column}")
    assert silent == []


def test_a_view_that_passes_a_table_through_lists_all_its_columns(fresh):
    """submission_status was created before submissions had data_as_of, checked_against and
    on_time: the catalogue an analyst lists columns from left them out, though a query read
    them."""
    columns = _columns(fresh)
    missing = []
    for view, comment in _views(fresh).items():
        listed = {c for t, c, _ in columns if t == view}
        for source in PASSED_THROUGH.findall(comment or ""):
            missing += [f"{view}.{c}" for t, c, _ in columns if t == source and c not in listed]
    assert missing == []


def test_every_table_and_view_has_a_section_in_the_docs(fresh):
    headings = [line for line in DOC.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    names = [*_tables(fresh), *_views(fresh)]
    missing = [name for name in names
               if not any(re.search(rf"\b{name}\b", heading) for heading in headings)]
    assert missing == []


def test_every_table_and_view_has_an_example_query(fresh):
    names = [*_tables(fresh), *_views(fresh)]
    missing = [name for name in names
               if not any(re.search(rf"\b{name}\b", sql) for sql in SQL_BLOCKS)]
    assert missing == []


def test_the_docs_have_example_queries():
    assert len(SQL_BLOCKS) >= 10


@pytest.mark.parametrize("sql", SQL_BLOCKS,
                         ids=[f"block{i:02d}" for i in range(len(SQL_BLOCKS))])
def test_example_query_runs_on_the_demo_warehouse(demo_workspace, sql):
    con = connect(demo_workspace / "outputs" / "warehouse.duckdb", read_only=True)
    try:
        con.execute(sql).fetchall()
    finally:
        con.close()
