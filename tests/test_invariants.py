"""DESIGN.md's invariants 1, 2, 4 and 7, on a real workspace, run by the real runner."""

import hashlib
import os
from datetime import UTC, datetime

import duckdb
import pytest
from filelock import FileLock
from rich.console import Console

from pipeline.cli import EXIT_LOCKED, render_report
from pipeline.runner import run
from tests.running import file_hashes, query, run_cli, warehouse_content


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def mixed_inbox(workspace, tmp_path):
    """An accepted file, a rejected one, a non-spreadsheet, and a copy under another name."""
    good = workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    workspace.send(workspace.clerk("1002").type("KR-1-01", "actual", "ไม่ทราบ"), "1002")
    junk = tmp_path / "junk.txt"
    junk.write_bytes("ส่งภายหลัง".encode())
    workspace.drop(junk, "1004", "report.xlsx")
    workspace.drop(good, "1001", "OKR_1001 (1).xlsx")
    stray = workspace.clerk("1004").save(tmp_path / "stray.xlsx")
    workspace.drop(stray, "", "dropped-at-the-top.xlsx")
    return workspace


def test_every_inbox_file_ends_byte_identical_in_archive_or_quarantine(mixed_inbox):
    settings = mixed_inbox.settings
    arrived = {p.name: _sha(p) for p in settings.inbox.rglob("*.xlsx")}
    received = {p.name: p.stat().st_mtime for p in settings.inbox.rglob("*.xlsx")}
    report = run(settings)
    assert list(settings.inbox.rglob("*.*")) == []
    archived = {_sha(p) for p in settings.archive.rglob("*") if p.is_file()}
    (kept,) = settings.archive.rglob("*OKR_1001.xlsx")
    assert kept.stat().st_mtime == received["OKR_1001.xlsx"]
    quarantined = {_sha(p) for p in settings.quarantine.rglob("*") if p.is_file()}
    assert archived == {arrived["OKR_1001.xlsx"]}
    rejected = ("report_2.xlsx", "report.xlsx", "dropped-at-the-top.xlsx")
    assert quarantined == {arrived[name] for name in rejected}
    stored = dict(query(settings.warehouse_path, "SELECT sha256, accepted FROM submissions"))
    assert stored == {arrived["OKR_1001.xlsx"]: True} | {arrived[n]: False for n in rejected}
    outcomes = sorted((f["name"], f["outcome"]) for f in report.files)
    assert outcomes == [("OKR_1001 (1).xlsx", "duplicate"), ("OKR_1001.xlsx", "accepted"),
                        ("dropped-at-the-top.xlsx", "rejected"), ("report.xlsx", "rejected"),
                        ("report_2.xlsx", "rejected")]


def test_a_second_run_with_nothing_new_changes_nothing(mixed_inbox):
    settings = mixed_inbox.settings
    run(settings)
    warehouse = warehouse_content(settings.warehouse_path)
    outputs = file_hashes(settings.outputs)
    mtimes = {p: p.stat().st_mtime_ns for p in settings.outputs.rglob("*.xlsx")}
    report = run(settings)
    assert report.files == []
    assert warehouse_content(settings.warehouse_path) == warehouse
    assert file_hashes(settings.outputs) == outputs
    assert {p: p.stat().st_mtime_ns for p in settings.outputs.rglob("*.xlsx")} == mtimes


def test_a_file_seen_before_is_not_processed_again_under_a_new_name(workspace):
    settings = workspace.settings
    first = workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    kept = first.read_bytes()
    run(settings)
    again = settings.inbox / "1001" / "OKR_1001_final.xlsx"
    again.write_bytes(kept)
    report = run(settings)
    assert [(f["name"], f["outcome"]) for f in report.files] == [
        ("OKR_1001_final.xlsx", "duplicate")]
    assert not again.exists()
    assert query(settings.warehouse_path, "SELECT count(*) FROM submissions") == [(1,)]


def test_the_latest_accepted_submission_wins_and_earlier_ones_stay_superseded(workspace):
    settings = workspace.settings
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 100), "1001", "v1.xlsx")
    run(settings)
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 120), "1001", "v2.xlsx")
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", "x"), "1001", "v3.xlsx")
    run(settings)
    current = query(settings.warehouse_path, "SELECT original_name, actual FROM current_facts "
                    "WHERE district_code = '1001' AND kr_code = 'KR-1-03'")
    assert current == [("v2.xlsx", 120.0)]
    statuses = query(settings.warehouse_path,
                     "SELECT original_name, status FROM submission_status ORDER BY 1")
    assert statuses == [("v1.xlsx", "superseded"), ("v2.xlsx", "current"),
                        ("v3.xlsx", "rejected")]
    (count,) = query(settings.warehouse_path, "SELECT count(*) FROM current_facts")[0]
    assert count == len(workspace.registry.assigned("1001"))


def test_a_file_received_in_a_later_run_wins_whatever_its_modification_time(workspace):
    """The clerk sends the wrong file, then the right one saved the day before: copied to the
    shared folder with its modification time, it is older than the wrong one. The file that
    came later is in force, as its receipt says ("accepted and stored", 3000 → 300)."""
    settings = workspace.settings
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 3000), "1001", "v2.xlsx")
    run(settings)
    right = workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 300), "1001",
                           "v1.xlsx")
    saved_before = datetime(2026, 3, 31, tzinfo=UTC).timestamp()
    os.utime(right, (saved_before, saved_before))
    (entry,) = run(settings).files
    assert "| KR-1-03 | 3,000 | 300 |" in entry["receipt"]
    current = query(settings.warehouse_path, "SELECT original_name, actual FROM current_facts "
                    "WHERE district_code = '1001' AND kr_code = 'KR-1-03'")
    assert current == [("v1.xlsx", 300.0)]
    assert query(settings.warehouse_path,
                 "SELECT original_name, status FROM submission_status ORDER BY 1") == [
        ("v1.xlsx", "current"), ("v2.xlsx", "superseded")]


def test_a_second_run_while_one_holds_the_lock_exits_at_once(workspace):
    settings = workspace.settings
    workspace.send(workspace.clerk("1001"), "1001")
    settings.outputs.mkdir(parents=True, exist_ok=True)
    with FileLock(settings.lock_path):
        result = run_cli("run", "--workspace", str(settings.workspace))
    assert result.returncode == EXIT_LOCKED
    assert result.stdout.startswith(
        "มีคำสั่งอื่นหรือการสำรองข้อมูลใช้พื้นที่ทำงานนี้อยู่ / another command (run, check, trace, "
        "period, templates, export) or a backup holds")  # it may be the README's backup, not a run
    assert len(list(settings.inbox.rglob("*.xlsx"))) == 1  # nothing was touched



def test_a_run_while_an_analyst_has_the_warehouse_open_says_so_and_exits_at_once(workspace):
    """A notebook left open on the warehouse, read-only: DuckDB lets no other process write,
    and the night's run ended in a traceback."""
    settings = workspace.settings
    workspace.send(workspace.clerk("1001"), "1001")
    run(settings)
    workspace.send(workspace.clerk("1002"), "1002")
    with duckdb.connect(str(settings.warehouse_path), read_only=True):
        result = run_cli("run", "--workspace", str(settings.workspace))
    assert result.returncode == EXIT_LOCKED
    said = " ".join(result.stdout.split())
    assert said.startswith(
        "คลังข้อมูลเปิดอยู่ในโปรแกรมอื่น ระบบจึงหยุดไว้ก่อน กรุณาปิดโปรแกรมนั้น (หรือให้ผู้ใช้ทำงานกับสำเนา) "
        f"แล้วรันใหม่ / {settings.warehouse_path} is open in "
        "another program (")
    assert f"(PID {os.getpid()})): close it, or have its user work on a copy, and run again" in said
    assert "Traceback" not in result.stderr
    assert len(list(settings.inbox.rglob("*.xlsx"))) == 1  # 1002's file waits for the next run
    assert [e["outcome"] for e in run(settings).files] == ["accepted"]


def _saved_over_when(monkeypatch, module, name: str, path, corrected) -> None:
    """The clerk saves her corrected file over the one in the inbox as the run calls
    module.name: the run has read (and judged) the earlier bytes."""
    original = getattr(module, name)

    def saved_over_first(*args, **kwargs):
        path.write_bytes(corrected)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, saved_over_first)


@pytest.mark.parametrize("when", ["before-keeping", "before-storing"])
def test_a_file_saved_over_during_the_run_is_left_for_the_next_one(workspace, monkeypatch,
                                                                    when):
    """What was judged is not what is there: the new bytes were never kept, so the file stays
    in the inbox, and the next run takes them in. Before, the corrected file was deleted
    unkept (saved over after its copy was made), or the whole run failed (before)."""
    from pipeline import keep, store

    sent = workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    first = _sha(sent)
    corrected = workspace.clerk("1001").type("KR-1-01", "note", "ฉบับแก-ไข")
    corrected.book.properties.revision = "99"
    new_bytes = corrected.save(workspace.root / "corrected.xlsx").read_bytes()
    target = (keep, "keep") if when == "before-keeping" else (store, "record")
    _saved_over_when(monkeypatch, *target, sent, new_bytes)
    report = run(workspace.settings)
    assert sent.read_bytes() == new_bytes
    stored = query(workspace.settings.warehouse_path, "SELECT sha256 FROM submissions")
    assert stored == ([] if when == "before-keeping" else [(first,)])
    assert [entry["outcome"] for entry in report.files] == (
        ["left"] if when == "before-keeping" else ["accepted"])
    monkeypatch.undo()
    assert [entry["outcome"] for entry in run(workspace.settings).files] == ["accepted"]
    assert not sent.exists()
    assert query(workspace.settings.warehouse_path,
                 "SELECT sha256 FROM submissions ORDER BY submission_id")[-1] == (
        hashlib.sha256(new_bytes).hexdigest(),)


def _q1_saved_over_as_it_is_kept(workspace, monkeypatch, q1) -> bytes:
    """District 1001's clerk saves a corrected Q1 over `q1` as the run keeps it, and only it:
    the run has read (and judged) the earlier bytes. Returns the new bytes."""
    from pipeline import keep

    corrected = workspace.clerk("1001", "2569-Q1").type("KR-1-01", "note", "ฉบับแก้ไข")
    new_bytes = corrected.save(workspace.root / "corrected.xlsx").read_bytes()
    original = keep.keep

    def saved_over_first(arrival, root):
        if arrival.path == q1:
            q1.write_bytes(new_bytes)
        return original(arrival, root)

    monkeypatch.setattr(keep, "keep", saved_over_first)
    return new_bytes


@pytest.mark.parametrize("first_quarter", ["accepted", "rejected"])
def test_a_file_saved_over_during_the_run_keeps_back_what_was_judged_against_it(
        workspace, monkeypatch, first_quarter):
    """District 1001's Q2 was judged against its Q1 sent the same night (pipeline.same_night).
    Q1 saved over before it was kept is not stored: Q2, judged against figures the warehouse
    will not hold, waits with it for the next run, and so does a copy of Q2 under another name.
    Another district's file is stored. A rejected Q1 never counted for Q2 (the walk
    takes accepted files only), so Q2 is stored."""
    q1 = workspace.clerk("1001", "2569-Q1")
    if first_quarter == "rejected":
        q1.type("KR-1-01", "actual", None).type("KR-1-01", "note", None)
    q1 = workspace.send(q1, "1001", "q1.xlsx")
    q2 = workspace.send(workspace.clerk("1001", "2569-Q2"), "1001", "q2.xlsx")
    q2_copy = workspace.drop(q2, "1001", "q2-again.xlsx")
    other = workspace.send(workspace.clerk("1002"), "1002", "other.xlsx")
    new_bytes = _q1_saved_over_as_it_is_kept(workspace, monkeypatch, q1)
    report = run(workspace.settings)
    stored = {name for (name,) in query(workspace.settings.warehouse_path,
                                        "SELECT original_name FROM submissions")}
    if first_quarter == "accepted":
        assert [(e["name"], e["outcome"], e.get("left_because")) for e in report.files] == [
            ("other.xlsx", "accepted", None), ("q1.xlsx", "left", "changed"),
            ("q2.xlsx", "left", "left-with-changed"),
            ("q2-again.xlsx", "left", "left-with-changed")]
        assert report.as_dict()["totals"] == {"accepted": 1, "rejected": 0, "duplicate": 0,
                                              "left": 3}
        shown = Console(record=True, width=200)
        render_report(report, workspace.settings, shown)
        text = shown.export_text()
        assert "q2.xlsx" in text and "left for the next run" in text
        assert "judged against another period's file of the district" in text
        assert "saved over during the run" in text
        assert stored == {"other.xlsx"}
        assert q2.exists() and q2_copy.exists()
        assert [path.name[13:] for path in workspace.settings.archive.rglob("*.xlsx")] == [
            "other.xlsx"]
        log = max(workspace.settings.runs.glob("*.jsonl")).read_text(encoding="utf-8")
        assert '"event": "left-with-changed", "file": "q2.xlsx"' in log
    else:
        assert [(entry["name"], entry["outcome"]) for entry in report.files] == [
            ("q2.xlsx", "accepted"), ("other.xlsx", "accepted"), ("q2-again.xlsx", "duplicate"),
            ("q1.xlsx", "left")]
        assert stored == {"q2.xlsx", "other.xlsx"}
        assert not q2.exists() and not q2_copy.exists()
    assert q1.read_bytes() == new_bytes and not other.exists()
    monkeypatch.undo()
    run(workspace.settings)
    assert query(workspace.settings.warehouse_path,
                 "SELECT period, original_name FROM current_facts WHERE district_code = '1001' "
                 "GROUP BY ALL ORDER BY 1") == [("2569-Q1", "q1.xlsx"), ("2569-Q2", "q2.xlsx")]
    assert not any(workspace.settings.inbox.rglob("*.xlsx"))


def test_a_file_left_for_the_next_run_comes_before_the_files_sent_after_it(workspace,
                                                                           monkeypatch):
    """Q2 held back with Q1 saved over during the run; the next day its clerk sends Q2 again,
    corrected, in a file saved the minute before the first (copied from a laptop, say). Ordered
    by modification time, the held-back Q2 was stored after the correction and stood in force;
    the file a run found first now comes first, as a file sent in a later night wins."""
    q1 = workspace.send(workspace.clerk("1001", "2569-Q1"), "1001", "q1.xlsx")
    q2 = workspace.send(workspace.clerk("1001", "2569-Q2"), "1001", "q2.xlsx")
    _q1_saved_over_as_it_is_kept(workspace, monkeypatch, q1)
    assert [e["outcome"] for e in run(workspace.settings).files] == ["left", "left"]
    monkeypatch.undo()
    fix = workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-01", "note", "แก้ไขแล้ว"),
                         "1001", "q2-fix.xlsx")
    before = q2.stat().st_mtime - 60
    os.utime(fix, (before, before))
    # q1's new bytes were first found tonight, after the held-back q2 (found the night before)
    assert [e["name"] for e in run(workspace.settings).files] == [
        "q2.xlsx", "q2-fix.xlsx", "q1.xlsx"]
    assert query(workspace.settings.warehouse_path,
                 "SELECT period, original_name FROM current_submissions ORDER BY 1") == [
        ("2569-Q1", "q1.xlsx"), ("2569-Q2", "q2-fix.xlsx")]
    # stored, they wait no more: forgotten as they are stored
    assert query(workspace.settings.warehouse_path, "SELECT count(*) FROM inbox_seen") == [(0,)]


def test_a_file_moved_from_a_wrong_folder_after_quiet_nights_is_received_when_moved(workspace):
    """Sent to 1002's folder and refused there; nights with nothing sent; moved to 1001's. The
    time the bytes were first found in 1002 was kept, and the file was received before the
    last night that did not find it in 1001: on time or late by other districts' activity."""
    sent = workspace.send(workspace.clerk("1001"), "1002", "OKR.xlsx")
    assert [e["outcome"] for e in run(workspace.settings).files] == ["rejected"]
    run(workspace.settings)  # a quiet night
    (quiet,) = query(workspace.settings.warehouse_path, "SELECT max(started_at) FROM runs")[0]
    kept = next(workspace.settings.quarantine.glob("1002/*.xlsx"))
    workspace.drop(kept, "1001", "OKR.xlsx")  # its own folder, the file's old time with it
    assert not sent.exists()
    (entry,) = run(workspace.settings).files
    assert entry["outcome"] == "accepted"
    assert datetime.fromisoformat(entry["received_at"]) >= quiet.replace(tzinfo=UTC,
                                                                          microsecond=0)


def test_a_file_gone_between_listing_and_reading_is_passed_over(workspace, monkeypatch):
    """Excel saving over a file writes a temporary one beside it and removes it; a file listed
    in the inbox and gone before its sha256 was taken failed the whole night's run."""
    from pipeline import discover

    gone = workspace.send(workspace.clerk("1002"), "1002", "~WRL0001.tmp")
    workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    original = discover.sha256_of

    def removed_first(path):
        if path == gone:
            path.unlink()
        return original(path)

    monkeypatch.setattr(discover, "sha256_of", removed_first)
    report = run(workspace.settings)
    assert [(entry["name"], entry["outcome"]) for entry in report.files] == [
        ("OKR_1001.xlsx", "accepted")]


def test_files_the_system_and_office_programs_leave_in_a_folder_are_not_judged(workspace):
    """Windows Explorer writes Thumbs.db and desktop.ini into a folder it shows; Excel and
    LibreOffice their lock files beside an open workbook. Thumbs.db was quarantined as a
    rejected submission of the district, with a receipt saying it is not the template."""
    folder = workspace.settings.inbox / "1001"
    folder.mkdir(parents=True)
    left = [folder / name for name in ("Thumbs.db", "desktop.ini", "~$OKR.xlsx",
                                       ".~lock.OKR.xlsx#")]
    for path in left:
        path.write_bytes(b"\x00\x01 not a workbook")
    report = run(workspace.settings)
    assert report.files == []
    assert all(path.exists() for path in left)
    assert not workspace.settings.quarantine.exists()


def test_a_file_named_as_long_as_a_name_can_be_is_kept_and_answered(workspace):
    """80 Thai characters and .xlsx: 245 bytes, within the 255 a file name may have. The kept
    copy, the receipt, the feedback workbook and their temporary names add to it; each is cut
    at a whole character, extension kept. Before, every night failed on it (File name too
    long), every other district's file with it."""
    long_name = "รายงานผลการดำเนินงานตามตัวชี้วัดของสำนักงานเขต" * 2
    long_name = long_name[:80] + ".xlsx"
    assert len(long_name.encode()) == 245
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "ไม่ทราบ"), "1001",
                   long_name)
    workspace.send(workspace.clerk("1002"), "1002", "OKR_1002.xlsx")
    report = run(workspace.settings)
    assert sorted(entry["outcome"] for entry in report.files) == ["accepted", "rejected"]
    assert list(workspace.settings.inbox.rglob("*.xlsx")) == []
    (kept,) = workspace.settings.quarantine.glob("1001/*.xlsx")
    assert kept.name.endswith(".xlsx") and len(kept.name.encode()) <= 255
    assert long_name.startswith(kept.name[13:-len(".xlsx")])
    folder = workspace.settings.outputs / "feedback" / "2569-Q2" / "1001"
    assert sorted(p.suffix for p in folder.iterdir()) == [".md", ".xlsx"]
    assert all(len(p.name.encode()) <= 255 for p in folder.iterdir())
    assert query(workspace.settings.warehouse_path,
                 "SELECT original_name FROM submissions WHERE inbox_folder = '1001'") == [
        (long_name,)]


def test_a_file_judged_otherwise_after_a_killed_run_ends_in_one_place_only(workspace):
    """Killed after the copy was kept in the archive, before the warehouse committed; the
    period is closed before the next run, which rejects the file: its copy is in quarantine,
    not in both (invariant 1: exactly one of archive and quarantine)."""
    from pipeline.runner import set_period
    from tests.running import crash

    sent = workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    sha = _sha(sent)
    assert crash(workspace.root, "pipeline.store/record:before:1").returncode == -9
    assert [_sha(p) for p in workspace.settings.archive.rglob("*.xlsx")] == [sha]
    set_period(workspace.settings, "close", "2569-Q2", "somchai", force=True)  # it waits
    assert [entry["outcome"] for entry in run(workspace.settings).files] == ["rejected"]
    assert list(workspace.settings.archive.rglob("*.xlsx")) == []
    assert [_sha(p) for p in workspace.settings.quarantine.rglob("*.xlsx")] == [sha]


def test_a_copy_a_killed_run_kept_of_a_file_saved_over_since_is_not_left(workspace):
    """Killed after the file was kept, before the warehouse committed; the clerk then saves
    over it. The next run judges the new bytes, and the first copy stayed in the archive for
    good, with no submission row (invariant 1)."""
    from tests.running import crash

    first = _sha(workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx"))
    assert crash(workspace.root, "pipeline.store/record:before:1").returncode == -9
    note = workspace.settings.archive / "README.txt"  # the office's own: not a copy
    note.write_text("สำเนาไฟล์ที่ผ่านการตรวจ", encoding="utf-8")
    assert [_sha(p) for p in workspace.settings.archive.rglob("*.xlsx")] == [first]
    second = _sha(workspace.send(workspace.clerk("1001").type("KR-1-01", "note", "ฉบับแก้ไข"),
                                 "1001", "OKR_1001.xlsx"))
    assert second != first
    run(workspace.settings)
    kept = [p for root in (workspace.settings.archive, workspace.settings.quarantine)
            for p in root.rglob("*") if p.is_file() and p != note]
    assert [_sha(p) for p in kept] == [second]
    assert note.exists()
    assert query(workspace.settings.warehouse_path, "SELECT sha256 FROM submissions") == [
        (second,)]
