"""The warehouse file: migrations applied once and in order, on the existing file."""

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


def test_a_read_only_connection_sees_the_same_tables(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    connect(path).close()
    con = connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (0,)
    finally:
        con.close()
