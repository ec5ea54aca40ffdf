"""Open data: the current figures and scores of a period, as analysts and Excel read them."""

import csv

import pandas as pd

from pipeline.export import DICTIONARY
from tests.running import query, run_cli


def test_export_writes_parquet_csv_with_bom_and_a_dictionary(demo_settings, tmp_path):
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(demo_settings.workspace, root)
    result = run_cli("export", "--period", "2569-Q2", "--workspace", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    folder = root / "outputs" / "public" / "2569-Q2"
    # the nightly run wrote them already, with the dashboard that links to them
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}.{ext}" for name in DICTIONARY for ext in ("csv", "parquet")]
        + ["data_dictionary.csv", "index.html"])
    for name, columns in DICTIONARY.items():
        raw = (folder / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads Thai only with the mark
        table = pd.read_parquet(folder / f"{name}.parquet")
        assert list(table.columns) == list(columns)
        # the CSV holds what the Parquet holds, as pandas would write it
        assert raw[3:].decode("utf-8") == table.to_csv(index=False, lineterminator="\n")
    facts = pd.read_parquet(folder / "facts.parquet")
    reported = query(root / "outputs" / "warehouse.duckdb",
                     "SELECT count(*) FROM current_facts WHERE period = '2569-Q2'")[0][0]
    assert facts["actual"].notna().sum() == reported - _blank_actuals(root)
    assert "note" not in facts.columns  # clerks' notes are not published
    assert "ต้นไม้" in " ".join(facts["kr_th"])
    with open(folder / "data_dictionary.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["file"], r["column"]) for r in rows} == {
        (name, column) for name, columns in DICTIONARY.items() for column in columns}
    assert all(r["description_th"] and r["description_en"] for r in rows)
    # as the dictionary says: a district's row holds its own target, reported or not
    described = {r["column"]: r["description_en"] for r in rows if r["file"] == "kr_scores"}
    assert described["target"].startswith("a district's own; a group's or the city's")
    scores = pd.read_parquet(folder / "kr_scores.parquet")
    unreported = scores[scores["area"].str.fullmatch(r"\d{4}") & scores["reporting"].eq(0)]
    assert len(unreported) and unreported["target"].notna().all()


def _blank_actuals(root) -> int:
    return query(root / "outputs" / "warehouse.duckdb", "SELECT count(*) FROM current_facts "
                 "WHERE period = '2569-Q2' AND actual IS NULL")[0][0]


def test_export_of_a_period_no_file_was_sent_for_is_refused(demo_settings, tmp_path):
    """The demo's districts sent nothing for Q3: a table of "no data" for every district
    would read as published figures, where the nightly run publishes nothing."""
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(demo_settings.workspace, root)
    result = run_cli("export", "--period", "2569-Q3", "--workspace", str(root))
    assert result.returncode == 2
    assert "no file was sent for period 2569-Q3: nothing to publish" in result.stdout
    assert not (root / "outputs" / "public" / "2569-Q3").exists()
