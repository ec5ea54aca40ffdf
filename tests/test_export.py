"""Open data: the current figures and scores of a period, as analysts and Excel read them."""

import csv
import re

import pandas as pd

from pipeline.export import DICTIONARY, published
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
        # the CSV holds what the Parquet holds, as pandas would write it, booleans lower-case
        shown = table.copy()
        for flag in table.select_dtypes("boolean").columns:
            shown[flag] = table[flag].astype("string").str.lower()
        assert raw[3:].decode("utf-8") == shown.to_csv(index=False, lineterminator="\n")
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


def test_open_data_tells_who_reported_and_what_each_score_stands_on(demo_settings):
    """In facts a district that sent nothing, one whose file was rejected and one that left a
    figure blank with its reason read alike, and late districts were only counted; a group's
    score did not say it stood on three of its seven districts."""
    folder = demo_settings.public_dir("2569-Q2")
    reporting = pd.read_parquet(folder / "reporting.parquet").set_index("district_code")
    assert len(reporting) == 50
    # the demo's Q2: 1003, 1021 and 1040 sent nothing; 1024's file and 1035's were rejected,
    # and 1049 sent another district's template; 1047 and 1050 came after the due date
    assert reporting.loc[["1003", "1021", "1024", "1035", "1040", "1049"], "state"].tolist() == [
        "missing", "missing", "rejected", "rejected", "missing", "rejected"]
    assert reporting.loc[["1024", "1003"], "files"].tolist() == [1, 0]
    assert reporting["on_time"].isna().sum() == 6  # none accepted: neither on time nor late
    assert sorted(reporting.index[reporting["on_time"].eq(False)]) == ["1047", "1050"]
    assert reporting.at["1047", "first_accepted_at"] == "2026-04-17T11:38:00+07:00"
    scores = pd.read_parquet(folder / "dimension_scores.parquet")
    standing = scores.groupby("area")[["districts_accepted", "districts_expected"]].agg(set)
    assert standing.loc["06"].tolist() == [{3}, {7}]  # every dimension alike
    assert standing.loc["city"].tolist() == [{44}, {50}]
    assert standing.loc["1024"].tolist() == [{0}, {1}]
    facts = pd.read_parquet(folder / "facts.parquet")
    assert "lamps" in set(facts["unit_en"])
    # a score file read alone names its rows, as facts does
    kr_scores = pd.read_parquet(folder / "kr_scores.parquet")
    assert len(kr_scores) == query(demo_settings.warehouse_path, "SELECT count(*) FROM kr_scores "
                                   "WHERE period = '2569-Q2'")[0][0]  # none lost to the names
    city = kr_scores[kr_scores["area"].eq("city")].set_index("kr_code")
    assert tuple(city.loc["KR-1-01", ["area_th", "area_en", "unit_en"]]) == (
        "กรุงเทพมหานคร", "Bangkok", "km")
    named = scores.set_index(["area", "dimension_id"])
    assert tuple(named.loc[("1024", 1), ["area_en", "dimension_en"]]) == (
        "Rat Burana", "Good mobility")


def test_open_data_numbers_carry_no_binary_noise(demo_settings):
    """A mean of 86.9 and 87.0 was published as 86.94999999999999: no number has more than
    the fifteen significant digits Excel shows."""
    folder = demo_settings.public_dir("2569-Q2")
    for name in ("facts", "kr_scores", "dimension_scores"):
        text = (folder / f"{name}.csv").read_text(encoding="utf-8-sig")
        digits = [len(number.replace(".", "").lstrip("0"))
                  for number in re.findall(r"\d+\.\d+", text)]
        assert digits and max(digits) <= 15, name


def test_a_large_sum_is_published_without_its_noise():
    """Rounded to twelve decimals, 61037.009999999995 (three districts' amounts summed) kept
    its noise: the digits are counted from the first, not from the point."""
    frame = pd.DataFrame({"actual": [61037.009999999995, 86.94999999999999, 0.0, None, -18.0],
                          "kr_code": ["KR-1-01"] * 5})
    shown = published(frame)
    assert shown["actual"].tolist()[:3] == [61037.01, 86.95, 0.0]
    assert shown["actual"].isna().tolist() == [False, False, False, True, False]
    assert shown["actual"].iloc[4] == -18.0 and shown["kr_code"].tolist() == ["KR-1-01"] * 5
