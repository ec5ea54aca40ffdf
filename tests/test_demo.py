"""The demo end to end: what `make demo` shows a newcomer, and what it leaves behind."""

import json
import subprocess
import zipfile

from filelock import FileLock

from pipeline.runner import run
from tests.running import file_hashes, query, run_cli, warehouse_content


def _report(settings) -> dict:
    (path,) = sorted(settings.runs.glob("*.json"))[:1]
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_demo_builds_a_whole_workspace_and_empties_its_inbox(demo_settings):
    assert demo_settings.registry_path.exists()
    for period in ("2569-Q1", "2569-Q2"):
        assert len(list(demo_settings.templates_dir(period).glob("*.xlsx"))) == 50
        assert len(list(demo_settings.rollups_dir(period).glob("*.xlsx"))) == 16
    assert [p for p in demo_settings.inbox.rglob("*") if p.is_file()] == []


def test_the_demo_rejects_the_typical_mistakes_and_accepts_the_rest(demo_settings):
    report = _report(demo_settings)
    rejected = {(f["folder"], f["period"]): sorted({p["code"] for p in f["problems"]
                                                    if p["severity"] == "error"})
                for f in report["files"] if f["outcome"] == "rejected"}
    assert rejected == {
        ("1027", "2569-Q1"): ["actual-blank", "note-required"],
        ("1031", "2569-Q1"): ["district-mismatch"],
        ("1024", "2569-Q2"): ["actual-blank"],
        ("1035", "2569-Q2"): ["note-required"],
        ("1042", "2569-Q2"): ["not-a-number"],
        ("1049", "2569-Q2"): ["district-mismatch"],
    }
    notices = {(f["folder"], f["period"]): sorted({p["code"] for p in f["problems"]
                                                   if p["severity"] == "notice"
                                                   and p["code"] != "normalized-date"})
               for f in report["files"] if f["outcome"] == "accepted"}
    # every seventh district types the figures' date as Thai text in Buddhist Era
    dated = {f["folder"] for f in report["files"] if f["outcome"] == "accepted"
             and any(p["code"] == "normalized-date" for p in f["problems"])}
    assert dated == {"1001", "1008", "1015", "1022", "1029", "1036", "1043", "1050"}
    assert {key: codes for key, codes in notices.items() if codes} == {
        ("1005", "2569-Q1"): ["normalized-number"], ("1008", "2569-Q2"): ["normalized-number"],
        ("1012", "2569-Q1"): ["normalized-choice"], ("1016", "2569-Q2"): ["normalized-choice"]}
    # the clerks of 1014 and 1033 call every KR on track, whatever their figures say
    disagreeing = {f["folder"] for f in report["files"]
                   if sum(p["code"] == "status-disagrees" for p in f["problems"]) > 10}
    assert disagreeing == {"1014", "1033"}
    assert report["totals"] == {"accepted": 91, "rejected": 6, "duplicate": 0, "left": 0}


def test_current_facts_has_one_row_per_district_period_and_kr_of_accepted_files(
        demo_settings, registry):
    warehouse = demo_settings.warehouse_path
    doubled = query(warehouse, "SELECT district_code, period, kr_code, count(*) FROM "
                    "current_facts GROUP BY ALL HAVING count(*) > 1")
    assert doubled == []
    accepted = query(warehouse, "SELECT DISTINCT district_code, period FROM submissions "
                     "WHERE accepted")
    expected = sum(len(registry.assigned(district)) for district, _ in accepted)
    assert query(warehouse, "SELECT count(*) FROM current_facts") == [(expected,)]
    # Q1: 48 districts send, 1027 and 1031 are rejected; Q2: 47 send, 1024, 1035, 1049 rejected
    assert len(accepted) == (48 - 2) + (47 - 3)


def test_a_corrected_file_supersedes_the_district_s_earlier_one(demo_settings):
    rows = query(demo_settings.warehouse_path,
                 "SELECT original_name, status FROM submission_status "
                 "WHERE inbox_folder IN ('1038', '1042') ORDER BY original_name")
    assert rows == [("OKR_1038_2569-Q1_v1.xlsx", "superseded"),
                    ("OKR_1038_2569-Q1_v2_แก้ไข.xlsx", "current"),
                    ("OKR_1038_2569-Q2.xlsx", "current"),
                    ("OKR_1042_2569-Q1.xlsx", "current"),
                    ("OKR_1042_2569-Q2_v1.xlsx", "rejected"),
                    ("OKR_1042_2569-Q2_v2_แก้ไข.xlsx", "current")]


def test_cumulative_figures_grow_from_q1_to_q2(demo_settings):
    shrinking = query(demo_settings.warehouse_path, """
        SELECT q1.district_code, q1.kr_code FROM current_facts q1
        JOIN current_facts q2 USING (district_code, kr_code)
        JOIN key_results k ON k.kr_code = q1.kr_code
        WHERE q1.period = '2569-Q1' AND q2.period = '2569-Q2' AND k.cumulative
          AND k.direction = 'increase' AND q2.actual < q1.actual""")
    assert shrinking == []


def test_running_the_demo_workspace_again_changes_nothing(demo_settings, tmp_path):
    import shutil

    copy = tmp_path / "demo"
    shutil.copytree(demo_settings.workspace, copy)
    before = (warehouse_content(copy / "outputs" / "warehouse.duckdb"), file_hashes(copy))
    result = run_cli("run", "--workspace", str(copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("ผ่าน / accepted 0, ไม่ผ่าน / rejected 0, ซ้ำ (ประมวลผลแล้ว) / already seen 0"
            in result.stdout)
    assert (warehouse_content(copy / "outputs" / "warehouse.duckdb"), file_hashes(copy)) == before


def _content(path) -> dict[str, bytes]:
    """A workbook's parts but its timestamps (docProps/core.xml)."""
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def test_the_demo_is_deterministic(tmp_path):
    for name in ("a", "b"):
        result = run_cli("demo", "--no-run", "--workspace", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.xlsx"))
    second = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.xlsx"))
    assert first == second
    assert len([p for p in first if p.parts[0] == "inbox"]) == 97
    for relative in first:
        assert _content(tmp_path / "a" / relative) == _content(tmp_path / "b" / relative), relative
    inbox_a = {p.name: p.stat().st_mtime for p in (tmp_path / "a" / "inbox").rglob("*.xlsx")}
    inbox_b = {p.name: p.stat().st_mtime for p in (tmp_path / "b" / "inbox").rglob("*.xlsx")}
    assert inbox_a == inbox_b


def test_demo_no_run_names_a_command_that_runs_from_any_folder(tmp_path):
    """It printed ".venv/bin/python run_pipeline.py run", which is nowhere outside the
    project."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    prepared = run_cli("demo", "--no-run", "--workspace", str(tmp_path / "demo"), cwd=elsewhere)
    said = " ".join(prepared.stdout.split())
    command = said.split("run the nightly job with: ", 1)[1].split()
    assert command[-2:] == ["--workspace", str(tmp_path / "demo")]
    ran = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (tmp_path / "demo" / "outputs" / "warehouse.duckdb").exists()


def test_demo_no_run_leaves_a_workspace_the_nightly_job_can_run(tmp_path):
    root = tmp_path / "demo"
    assert run_cli("demo", "--no-run", "--workspace", str(root)).returncode == 0
    assert not (root / "outputs" / "warehouse.duckdb").exists()
    from pipeline.settings import Settings

    settings = Settings(workspace=root)
    with FileLock(settings.lock_path):  # a nightly run going on: not wiped from under it
        held = run_cli("demo", "--no-run", "--workspace", str(root))
    assert held.returncode == 3
    assert settings.registry_path.exists() and list(settings.inbox.rglob("*.xlsx"))
    report = run(settings)
    assert report.count("accepted") == 91


def test_the_demo_never_wipes_a_folder_that_is_not_a_demo_workspace(tmp_path):
    precious = tmp_path / "office"
    precious.mkdir()
    (precious / "registry.xlsx").write_bytes(b"the real one")
    result = run_cli("demo", "--no-run", "--workspace", str(precious))
    assert result.returncode == 2  # a plain message, not a traceback and "the run failed"
    assert "is not empty and is not a demo workspace; choose an empty folder with --workspace" \
        in " ".join(result.stdout.split())
    assert "Traceback" not in result.stderr
    assert (precious / "registry.xlsx").read_bytes() == b"the real one"


def test_a_demo_workspace_named_as_a_file_is_refused_plainly(tmp_path):
    """A file given as --workspace gave a traceback and "files not yet stored stay in the
    inbox", with the exit code of a failed run."""
    afile = tmp_path / "registry.xlsx"
    afile.write_bytes(b"the real one")
    result = run_cli("demo", "--no-run", "--workspace", str(afile))
    assert result.returncode == 2
    assert f"{afile} is a file, not a folder; choose an empty folder with --workspace" in " ".join(
        result.stdout.split())
    assert "Traceback" not in result.stderr
    assert afile.read_bytes() == b"the real one"
    under = run_cli("demo", "--no-run", "--workspace", str(afile / "demo"))  # a file on the way
    assert under.returncode == 2 and "Traceback" not in under.stderr
    assert f"{afile / 'demo'} cannot be a folder: Not a directory" in " ".join(
        under.stdout.split())


def test_completeness_and_timeliness_are_in_the_run_report(demo_settings):
    rates = {period: {row["area"]: row for row in rows}
             for period, rows in _report(demo_settings)["completeness"].items()}
    city = rates["2569-Q2"]["city"]
    # 47 districts sent for Q2; 1024, 1035, 1049 only rejected files; 1047 and 1050 were late
    assert {k: city[k] for k in ("expected", "received", "accepted", "on_time", "late",
                                 "rejected", "missing")} == {
        "expected": 50, "received": 47, "accepted": 44, "on_time": 42, "late": 2,
        "rejected": 3, "missing": 3}
    assert city["rate"] == 44 / 50
    assert rates["2569-Q1"]["city"]["late"] == 0
    assert sum(rates["2569-Q2"][g]["expected"] for g in ("01", "02", "03", "04", "05", "06")) == 50

