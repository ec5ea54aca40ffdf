"""What a clerk gets back: a receipt for every file, their workbook annotated when it needs
their attention, and the dry-run `check` that stores nothing."""

import hashlib
import io
import os
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from rich.console import Console

from pipeline.cli import render_report
from pipeline.runner import run
from tests.running import crash, query, run_cli

FEEDBACK = ("outputs", "feedback", "2569-Q2", "1001")


def _folder(workspace, district: str = "1001"):
    return workspace.root.joinpath(*FEEDBACK[:-1], district)


def test_a_rejected_file_gets_its_workbook_back_marked_and_a_receipt(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    report = run(workspace.settings)
    folder = _folder(workspace)
    book = load_workbook(folder / "OKR.xlsx.feedback.xlsx")
    assert book.sheetnames[0] == "ปัญหาที่พบ"
    assert book["รายงานผล"]["H6"].comment.text.startswith("ข้อผิดพลาด:")
    receipt = (folder / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- ผล / outcome: ไม่ผ่านการตรวจ ยังไม่ได้บันทึกข้อมูล / rejected, nothing stored" in receipt
    assert "- H6: \"สิบ\" ไม่ใช่ตัวเลข กรุณากรอกเป็นตัวเลข (not-a-number)" in receipt
    (entry,) = report.files
    assert entry["receipt"] == receipt
    assert entry["feedback_path"] == "feedback/2569-Q2/1001/OKR.xlsx.feedback.xlsx"


@pytest.mark.parametrize("period", ["../../../../escaped", "ร" * 100])
def test_a_period_typed_into_the_hidden_metadata_names_no_folder(workspace, period):
    """The answers' folder was named from the period in the file's hidden metadata, which a
    hand edit can make anything: "../" wrote them outside the workspace, and a name too long
    for the disk failed the whole night, another district's good file with it, night after
    night. A period that is not a period code is answered under _no-period."""
    workspace.send(workspace.clerk("1001").set_metadata("period", period), "1001", "OKR.xlsx")
    workspace.send(workspace.clerk("1002"), "1002", "OKR_1002.xlsx")
    report = run(workspace.settings)
    assert [(e["outcome"], e["receipt_path"]) for e in report.files] == [
        ("rejected", "feedback/_no-period/1001/OKR.xlsx.receipt.md"),
        ("accepted", "feedback/2569-Q2/1002/OKR_1002.xlsx.receipt.md")]
    assert report.files[0]["feedback_path"] == "feedback/_no-period/1001/OKR.xlsx.feedback.xlsx"
    assert not (workspace.root.parent.parent / "escaped").exists()


def test_a_file_of_another_district_is_answered_to_the_district_that_sent_it(workspace):
    """1002 sends 1001's file, named as 1001 names its own: the answer goes to 1002, and
    1001's own receipt stays as it was."""
    workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    workspace.send(workspace.clerk("1001"), "1002", "OKR_1001.xlsx")
    run(workspace.settings)
    answered = workspace.root.joinpath("outputs", "feedback", "2569-Q2", "1002")
    assert sorted(p.name for p in answered.iterdir()) == [
        "OKR_1001.xlsx.feedback.xlsx", "OKR_1001.xlsx.receipt.md"]
    assert "ส่งมาในโฟลเดอร์ของเขต 1002" in (answered / "OKR_1001.xlsx.receipt.md").read_text(
        encoding="utf-8")
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR_1001.xlsx.receipt.md"]
    assert "- ผล / outcome: ผ่านการตรวจ" in (_folder(workspace) / "OKR_1001.xlsx.receipt.md"
                                             ).read_text(encoding="utf-8")


def test_a_clean_accepted_file_gets_a_receipt_and_no_feedback(workspace):
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "errors: 0 · คำเตือน / warnings: 0 · แจ้งให้ทราบ / notices: 0" in receipt


def test_a_receipt_says_when_by_bangkoks_clock_and_whether_the_file_came_in_time(workspace):
    """It gave the time in UTC alone, while the due date is a day in Bangkok, and never said
    whether the file was on time: 20:00 UTC on 15 April is 03:00 on the 16th, late."""
    for district, hour in (("1001", 16), ("1002", 20)):
        path = workspace.send(workspace.clerk(district), district, "OKR.xlsx")
        stamp = datetime(2026, 4, 15, hour, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    run(workspace.settings)
    on_time, late = ((_folder(workspace, district) / "OKR.xlsx.receipt.md").read_text(
        encoding="utf-8") for district in ("1001", "1002"))
    assert "- ได้รับเมื่อ / received: 15 เม.ย. 2569 23:00 น. (2026-04-15 16:00 UTC)\n" in on_time
    assert "- กำหนดส่ง / due: 15 เม.ย. 2569 (2026-04-15) · ส่งทันกำหนด / on time\n" in on_time
    assert "- ได้รับเมื่อ / received: 16 เม.ย. 2569 03:00 น. (2026-04-15 20:00 UTC)\n" in late
    assert "- กำหนดส่ง / due: 15 เม.ย. 2569 (2026-04-15) · ส่งหลังกำหนด / late\n" in late


def test_a_rejected_files_receipt_does_not_judge_its_timeliness(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    run(workspace.settings)
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    # the due date, to send it again by, and no word of on time or late
    assert "- กำหนดส่ง / due: 15 เม.ย. 2569 (2026-04-15)\n" in receipt
    assert "ส่งทันกำหนด" not in receipt and "ส่งหลังกำหนด" not in receipt


def test_an_accepted_files_receipt_says_how_its_cells_were_read(workspace):
    """Accepted with a notice, a file gets no feedback workbook; its receipt counted "notices:
    1" and said nothing of what was read, nor how."""
    workspace.send(workspace.clerk("1001").type("KR-1-02", "actual", "ร้อยละ 68.5"), "1001",
                   "OKR.xlsx")
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    assert receipt.endswith(
        "## แจ้งให้ทราบ: ระบบอ่านค่าเหล่านี้ดังนี้ / notices: how these cells were read\n\n"
        "- H7: อ่าน \"ร้อยละ 68.5\" เป็นตัวเลข 68.5 (normalized-number)\n")
    assert "## ต้องแก้ไข" not in receipt and "## โปรดตรวจสอบ" not in receipt


def test_an_accepted_file_with_warnings_gets_its_feedback(workspace):
    clerk = (workspace.clerk("1001").type("KR-1-03", "actual", 0)
             .type("KR-1-03", "status", "เป็นไปตามแผน"))
    workspace.send(clerk, "1001", "OKR.xlsx")
    report = run(workspace.settings)
    assert report.files[0]["outcome"] == "accepted"
    book = load_workbook(_folder(workspace) / "OKR.xlsx.feedback.xlsx")
    assert book["รายงานผล"]["K8"].comment.text.startswith("คำเตือน:")
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    (warning,) = [p for p in report.files[0]["problems"] if p["severity"] == "warning"]
    assert (f"## โปรดตรวจสอบ / to check\n\n- K8: {warning['message_th']} (status-disagrees)\n"
            in receipt)


def test_a_resubmission_receipt_says_what_changed(workspace):
    clerk = workspace.clerk("1001")
    workspace.send(clerk, "1001", "first.xlsx")
    run(workspace.settings)
    before = clerk.value("KR-1-03", "actual")
    clerk.type("KR-1-03", "actual", before + 5)
    workspace.send(clerk, "1001", "second.xlsx")
    report = run(workspace.settings)
    assert report.files[0]["changed"] == [{"kr_code": "KR-1-03", "old": before,
                                           "new": before + 5}]
    receipt = (_folder(workspace) / "second.xlsx.receipt.md").read_text(encoding="utf-8")
    assert f"| KR-1-03 | {before:,.0f} | {before + 5:,.0f} |" in receipt


def test_a_resubmission_receipt_shows_every_digit_of_a_large_figure(workspace):
    """1,180,000 and 1,250,000 showed as 1.18e+06 and 1.25e+06."""
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 1_180_000), "1001",
                   "first.xlsx")
    run(workspace.settings)
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 1_250_001), "1001",
                   "second.xlsx")
    run(workspace.settings)
    receipt = (_folder(workspace) / "second.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "| KR-1-03 | 1,180,000 | 1,250,001 |" in receipt


def test_a_resubmission_receipt_shows_a_ratios_percentage_to_four_decimals(workspace):
    """The clerk typed 101 of 104; the receipt showed 97.1153846153846."""
    for name, numerator in (("first.xlsx", 100), ("second.xlsx", 101)):
        workspace.send(workspace.clerk("1001").type("KR-1-04", "numerator", numerator)
                       .type("KR-1-04", "denominator", 104), "1001", name)
        run(workspace.settings)
    receipt = (_folder(workspace) / "second.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "| KR-1-04 | 96.1538 | 97.1154 |" in receipt


def test_feedback_owed_by_a_killed_run_is_written_by_the_next_for_the_latest_file(workspace):
    """The warehouse commits before the annotated workbooks are made; a run killed in between
    leaves them owed, and a file sent again under the same name meanwhile is the one marked."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    assert crash(workspace.root, "pipeline.runner/start_annotating:before:1").returncode == -9
    feedback = _folder(workspace) / "OKR.xlsx.feedback.xlsx"
    owed = "SELECT feedback_path FROM feedback_owed"
    assert not feedback.exists()
    assert (_folder(workspace) / "OKR.xlsx.receipt.md").exists()
    assert query(workspace.settings.warehouse_path, owed) == [
        ("feedback/2569-Q2/1001/OKR.xlsx.feedback.xlsx",)]
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "ยี่สิบ"), "1001", "OKR.xlsx")
    run(workspace.settings)
    assert load_workbook(feedback)["รายงานผล"]["H6"].comment.text.startswith(
        'ข้อผิดพลาด: "ยี่สิบ" ไม่ใช่ตัวเลข')
    assert query(workspace.settings.warehouse_path, owed) == []


def test_a_corrected_file_accepted_under_the_same_name_takes_the_old_feedback_away(workspace):
    """Its clerk would read "fix the red cells" beside "accepted"."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    run(workspace.settings)
    assert (_folder(workspace) / "OKR.xlsx.feedback.xlsx").exists()
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]


def _rejected_then_corrected_as(workspace, name: str, crash_at: str | None = None) -> None:
    """1001's clerk sends a file with a word for a figure, then its correction as `name`;
    the first run killed at `crash_at`, if given."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    if crash_at:
        assert crash(workspace.root, crash_at).returncode == -9
    else:
        run(workspace.settings)
        assert (_folder(workspace) / "OKR.xlsx.feedback.xlsx").exists()
    workspace.send(workspace.clerk("1001"), "1001", name)
    run(workspace.settings)


def test_a_corrected_file_accepted_under_another_name_takes_the_old_feedback_away(workspace):
    """Clerks name a correction anew ("OKR_fixed.xlsx") as often as not: the rejected file's
    "fix the red cells" stood beside the correction's "accepted". The rejected file's receipt
    stays, the record of what was sent and why it was refused."""
    _rejected_then_corrected_as(workspace, "OKR_fixed.xlsx")
    assert sorted(p.name for p in _folder(workspace).iterdir()) == [
        "OKR.xlsx.receipt.md", "OKR_fixed.xlsx.receipt.md"]
    assert "rejected, nothing stored" in (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(
        encoding="utf-8")


def test_feedback_owed_by_a_killed_run_is_not_written_once_a_correction_of_another_name_is_accepted(
        workspace):
    _rejected_then_corrected_as(workspace, "OKR_fixed.xlsx",
                                "pipeline.runner/start_annotating:before:1")
    assert sorted(p.name for p in _folder(workspace).iterdir()) == [
        "OKR.xlsx.receipt.md", "OKR_fixed.xlsx.receipt.md"]
    assert query(workspace.settings.warehouse_path, "SELECT * FROM feedback_owed") == []


def test_a_file_rejected_after_the_accepted_one_keeps_its_feedback(workspace):
    """The accepted file came first: the rejected one sent after it still needs fixing, and
    a file of another period does not touch either."""
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "late.xlsx")
    run(workspace.settings)
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001", "OKR_Q1.xlsx")
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == [
        "OKR.xlsx.receipt.md", "late.xlsx.feedback.xlsx", "late.xlsx.receipt.md"]


def test_the_old_feedback_is_gone_after_a_run_killed_once_its_corrected_file_was_stored(
        workspace):
    """Killed between the commit and the removal, the rerun found the file already judged (a
    duplicate) and the rejected file's workbook stayed for good beside "accepted"."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    run(workspace.settings)
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    assert crash(workspace.root, "pipeline.store/record:after:1").returncode == -9
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]


def test_feedback_owed_by_a_killed_run_is_not_written_once_a_corrected_file_is_accepted(
        workspace):
    """The rejected file's workbook is still owed when its corrected file (same name) is
    accepted: it is owed no more, and is not written after the accepted receipt."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    assert crash(workspace.root, "pipeline.runner/start_annotating:before:1").returncode == -9
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    run(workspace.settings)
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]
    assert query(workspace.settings.warehouse_path, "SELECT * FROM feedback_owed") == []


def test_two_files_of_one_name_in_one_run_are_answered_as_the_later_one_needs(workspace):
    """Rejected, then sent again corrected in a subfolder before the night's run: the later
    one is accepted, and no annotated workbook of the earlier one is left to contradict it."""
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    workspace.send(workspace.clerk("1001"), "1001", "again/OKR.xlsx")
    assert [e["outcome"] for e in run(workspace.settings).files] == ["rejected", "accepted"]
    assert sorted(p.name for p in _folder(workspace).iterdir()) == ["OKR.xlsx.receipt.md"]


def test_a_correction_of_another_name_in_the_same_run_leaves_no_feedback(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    workspace.send(workspace.clerk("1001"), "1001", "OKR_fixed.xlsx")
    assert [(e["outcome"], e["feedback_path"]) for e in run(workspace.settings).files] == [
        ("rejected", None), ("accepted", None)]  # the report names no workbook not there
    assert sorted(p.name for p in _folder(workspace).iterdir()) == [
        "OKR.xlsx.receipt.md", "OKR_fixed.xlsx.receipt.md"]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_judges_files_writes_feedback_and_stores_nothing(workspace, tmp_path):
    workspace.send(workspace.clerk("1004"), "1004")
    run(workspace.settings)
    warehouse = workspace.settings.warehouse_path
    before = _sha(warehouse)
    good = workspace.clerk("1001").save(tmp_path / "1001" / "good.xlsx")
    bad = workspace.clerk("1001").type("KR-1-02", "actual", 150).save(tmp_path / "bad.xlsx")

    accepted = run_cli("check", str(good), "--workspace", str(workspace.root))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "would be accepted" in accepted.stdout
    rejected = run_cli("check", str(good), str(bad), "--workspace", str(workspace.root))
    assert rejected.returncode == 1
    assert "H7    [percent-out-of-range] ค่าร้อยละ 150 ต้องอยู่ระหว่าง 0 ถึง 100" in rejected.stdout
    # beside the nightly job's answers, never over them: a dry run of a file named as one
    # already received replaced its receipt
    dry_run = workspace.root / "outputs" / "check" / "2569-Q2" / "1001"
    assert sorted(p.name for p in dry_run.iterdir()) == [
        "bad.xlsx.feedback.xlsx", "bad.xlsx.receipt.md", "good.xlsx.receipt.md"]
    # forwarded to a clerk, a receipt of a check must not say the figures were stored
    outcomes = [line for name in ("good", "bad") for line in (
        dry_run / f"{name}.xlsx.receipt.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("- ผล / outcome:")]
    assert outcomes == [
        "- ผล / outcome: จะผ่านการตรวจ (ตรวจล่วงหน้า ยังไม่ได้บันทึกข้อมูล) / would be accepted "
        "(a check: nothing stored)",
        "- ผล / outcome: จะไม่ผ่านการตรวจ (ตรวจล่วงหน้า ยังไม่ได้บันทึกข้อมูล) / would be rejected "
        "(a check: nothing stored)"]
    # the due date, by which the file is on time once sent: not whether it was, unsent
    good_receipt = (dry_run / "good.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- กำหนดส่ง / due: 15 เม.ย. 2569 (2026-04-15)\n" in good_receipt
    assert "ส่งทันกำหนด" not in good_receipt and "ส่งหลังกำหนด" not in good_receipt
    bad_receipt = (dry_run / "bad.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- กำหนดส่ง / due: 15 เม.ย. 2569 (2026-04-15)\n" in bad_receipt  # to send it again by
    assert not _folder(workspace).exists()
    assert _sha(warehouse) == before
    assert good.exists() and bad.exists()
    typo = run_cli("check", str(tmp_path / "goood.xlsx"), "--workspace", str(workspace.root))
    assert typo.returncode == 2  # the command line was wrong, not the file
    assert f"ไม่พบไฟล์ / no such file: {tmp_path / 'goood.xlsx'}" in " ".join(
        typo.stdout.split())
    folder = run_cli("check", str(tmp_path / "1001"), "--workspace", str(workspace.root))
    assert folder.returncode == 2  # it said "no such file" of a folder in plain view
    assert f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์ / a folder, not a file: {tmp_path / '1001'}" in " ".join(
        folder.stdout.split())


def test_check_of_a_file_in_the_inbox_judges_its_folder_as_the_nightly_job_does(workspace):
    """A file at the top of the inbox, or in a folder below another district's, was judged by
    `check` as sent from nowhere in particular, and would be accepted; the night refuses it."""
    top = workspace.clerk("1001").save(workspace.root / "inbox" / "top.xlsx")
    nested = workspace.clerk("1001").type("KR-1-01", "note", "ฉบับที่สอง").save(
        workspace.root / "inbox" / "1002" / "sub" / "x.xlsx")
    checked = run_cli("check", str(top), str(nested), "--workspace", str(workspace.root))
    assert checked.returncode == 1
    said = " ".join(checked.stdout.split())
    assert f"{top}: ไม่ผ่าน / would be rejected" in said
    assert f"{nested}: ไม่ผ่าน / would be rejected" in said
    assert "[folder-unknown]" in said and "[district-mismatch]" in said
    assert sorted((e["name"], e["outcome"], [p["code"] for p in e["problems"]])
                  for e in run(workspace.settings).files) == [
        ("top.xlsx", "rejected", ["folder-unknown"]),
        ("x.xlsx", "rejected", ["district-mismatch"])]


def test_check_of_a_file_already_received_says_so_as_the_nightly_job_would(workspace, tmp_path):
    """Not "would be accepted": the nightly job would not judge it again. A file received and
    rejected fails the check as it failed then."""
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    workspace.send(workspace.clerk("1002").type("KR-1-01", "actual", "สิบ"), "1002", "bad.xlsx")
    run(workspace.settings)
    again = tmp_path / "1001" / "OKR (1).xlsx"
    again.parent.mkdir()
    again.write_bytes(_kept(workspace).read_bytes())
    (rejected,) = workspace.settings.quarantine.glob("1002/*.xlsx")

    accepted = run_cli("check", str(again), "--workspace", str(workspace.root))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    shown = " ".join(accepted.stdout.split())
    assert f"{again}: ได้รับแล้ว ไม่ได้ตรวจซ้ำ / already received, not judged again" in shown
    assert ("ไฟล์นี้เหมือนกับไฟล์ OKR.xlsx ที่ได้รับจากโฟลเดอร์ 1001 "
            "เมื่อ 1 เม.ย. 2569 07:01 น. (2026-04-01 00:01 UTC) "
            "ทุกไบต์ ไฟล์นั้นผ่านการตรวจ และเป็นข้อมูลที่ใช้อยู่") in shown
    assert "would be accepted" not in shown
    assert not (workspace.root / "outputs" / "check").exists()
    both = run_cli("check", str(again), str(rejected), "--workspace", str(workspace.root))
    assert both.returncode == 1
    assert ("ไฟล์นี้เหมือนกับไฟล์ bad.xlsx ที่ได้รับจากโฟลเดอร์ 1002 "
            "เมื่อ 1 เม.ย. 2569 07:02 น. (2026-04-01 00:02 UTC) "
            "ทุกไบต์ ไฟล์นั้นไม่ผ่านการตรวจ") in " ".join(both.stdout.split())


def test_check_from_outside_the_inbox_judges_a_file_refused_only_in_a_wrong_folder(
        workspace, tmp_path):
    """Refused in 1002's folder, the file is 1001's, and the nightly job would accept it in
    1001's: `check` said "already received, rejected" and exited 1."""
    workspace.send(workspace.clerk("1001"), "1002", "OKR.xlsx")
    run(workspace.settings)
    (refused,) = workspace.settings.quarantine.glob("1002/*.xlsx")
    copy = tmp_path / "OKR.xlsx"  # a folder named for no district
    copy.write_bytes(refused.read_bytes())
    result = run_cli("check", str(copy), "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "would be accepted" in result.stdout and "not judged again" not in result.stdout


def test_a_file_sent_again_under_another_name_gets_a_receipt_saying_it_was_received(workspace):
    """Did it arrive? The clerk sends the same file again, renamed: it is not judged again,
    and its receipt says when the first copy came and what became of it."""
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    run(workspace.settings)
    workspace.drop(_kept(workspace), "1001", "OKR (1).xlsx")
    (entry,) = run(workspace.settings).files
    assert (entry["outcome"], entry["receipt_path"]) == (
        "duplicate", "feedback/2569-Q2/1001/OKR (1).xlsx.receipt.md")
    receipt = (_folder(workspace) / "OKR (1).xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- ผล / outcome: ได้รับแล้ว ไม่ได้ตรวจซ้ำ / already received, not judged again" in receipt
    assert ("ไฟล์นี้เหมือนกับไฟล์ OKR.xlsx ที่ได้รับจากโฟลเดอร์ 1001 "
            "เมื่อ 1 เม.ย. 2569 07:01 น. (2026-04-01 00:01 UTC) "
            "ทุกไบต์ ไฟล์นั้นผ่านการตรวจ และเป็นข้อมูลที่ใช้อยู่") in receipt


def test_the_same_file_sent_again_under_its_name_keeps_its_own_receipt(workspace):
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    run(workspace.settings)
    before = (_folder(workspace) / "OKR.xlsx.receipt.md").read_bytes()
    workspace.drop(_kept(workspace), "1001", "OKR.xlsx")
    report = run(workspace.settings)
    (entry,) = report.files
    assert (entry["outcome"], entry["receipt_path"]) == ("duplicate", None)
    assert (_folder(workspace) / "OKR.xlsx.receipt.md").read_bytes() == before
    # the office sees which file it repeats and what became of it, not an empty row
    assert (entry["period"], entry["repeats"]) == ("2569-Q2", {
        "name": "OKR.xlsx", "folder": "1001", "received_at": "2026-04-01T00:01:00+00:00",
        "status": "current"})
    shown = Console(record=True, width=400, file=io.StringIO())
    render_report(report, workspace.settings, shown)
    assert ("= OKR.xlsx (1001, 1 เม.ย. 2569 07:01 น. (2026-04-01 00:01 UTC)): "
            "ผ่านการตรวจ และเป็นข้อมูลที่ใช้อยู่ / accepted; its figures are the current ones"
            ) in shown.export_text()
    log = max(workspace.settings.runs.glob("*.jsonl")).read_text(encoding="utf-8")
    assert '"event": "file", "file": "OKR.xlsx", "folder": "1001", "outcome": "duplicate"' in log


def test_a_file_sent_again_after_a_later_one_of_its_name_was_rejected_gets_a_receipt(
        workspace):
    """v1 accepted, then v2 under the same name rejected, then v1 sent again: the folder went on
    saying "rejected" under that name, though v1's figures are the ones in force."""
    first = workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    v1 = first.read_bytes()
    run(workspace.settings)
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "สิบ"), "1001", "OKR.xlsx")
    assert [e["outcome"] for e in run(workspace.settings).files] == ["rejected"]
    first.write_bytes(v1)
    (entry,) = run(workspace.settings).files
    assert (entry["outcome"], entry["receipt_path"]) == (
        "duplicate", "feedback/2569-Q2/1001/OKR.xlsx.receipt.md")
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- ผล / outcome: ได้รับแล้ว ไม่ได้ตรวจซ้ำ / already received, not judged again" in receipt
    assert "that file was accepted; its figures are the current ones." in " ".join(
        receipt.split())


def test_another_districts_file_sent_byte_for_byte_is_judged_in_the_folder_it_came_in(workspace):
    """1002 drops 1001's very file: it is judged where it came, and 1002's clerk is told it
    is another district's template; 1001's figures stay as they were."""
    workspace.send(workspace.clerk("1001"), "1001", "OKR_1001.xlsx")
    run(workspace.settings)
    workspace.drop(_kept(workspace), "1002", "OKR_1001.xlsx")
    (entry,) = run(workspace.settings).files
    assert (entry["outcome"], [p["code"] for p in entry["problems"]]) == (
        "rejected", ["district-mismatch"])
    receipt = workspace.root.joinpath("outputs", "feedback", "2569-Q2", "1002",
                                      "OKR_1001.xlsx.receipt.md").read_text(encoding="utf-8")
    assert ("- ทั้งไฟล์: ไฟล์นี้เป็นแบบรายงานของเขต 1001 แต่ส่งมาในโฟลเดอร์ของเขต 1002 "
            "แต่ละเขตส่งได้เฉพาะแบบรายงานของเขตตนเองในโฟลเดอร์ของตนเอง หากท่านเป็นเขต 1002 "
            "กรุณากรอกแบบรายงานของเขต 1002 หากไฟล์นี้เป็นของเขต 1001 "
            "ให้เขต 1001 ส่งในโฟลเดอร์ของเขต 1001 (district-mismatch)") in receipt
    assert query(workspace.settings.warehouse_path,
                 "SELECT original_name, inbox_folder, status FROM submission_status "
                 "ORDER BY submission_id") == [("OKR_1001.xlsx", "1001", "current"),
                                               ("OKR_1001.xlsx", "1002", "rejected")]


def test_a_file_sent_to_another_districts_folder_then_to_its_own_is_accepted(workspace):
    """The clerk of 1001 drops the file in 1002's folder by mistake, is told so, and moves the
    very same file to 1001's: it is judged there, not answered "already received"."""
    sent = workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    wrong = workspace.drop(sent, "1002", "OKR.xlsx")
    sent.unlink()
    assert [e["outcome"] for e in run(workspace.settings).files] == ["rejected"]
    workspace.drop(next(workspace.settings.quarantine.glob("1002/*.xlsx")), "1001", "OKR.xlsx")
    assert not wrong.exists()
    (entry,) = run(workspace.settings).files
    assert (entry["folder"], entry["outcome"]) == ("1001", "accepted")
    receipt = (_folder(workspace) / "OKR.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "- ผล / outcome: ผ่านการตรวจ บันทึกข้อมูลแล้ว / accepted and stored" in receipt
    assert query(workspace.settings.warehouse_path,
                 "SELECT count(*) FROM current_facts WHERE district_code = '1001'") == [
        (len(workspace.registry.assigned("1001")),)]
    # sent again to its own folder, it is a duplicate there
    workspace.drop(_kept(workspace), "1001", "OKR again.xlsx")
    assert [e["outcome"] for e in run(workspace.settings).files] == ["duplicate"]


def test_two_copies_sent_the_same_night_are_judged_once_and_the_second_answered(workspace):
    workspace.send(workspace.clerk("1001"), "1001", "OKR.xlsx")
    workspace.drop(workspace.settings.inbox / "1001" / "OKR.xlsx", "1001", "OKR copy.xlsx")
    report = run(workspace.settings)
    assert [e["outcome"] for e in report.files] == ["accepted", "duplicate"]
    receipt = (_folder(workspace) / "OKR copy.xlsx.receipt.md").read_text(encoding="utf-8")
    assert "ไฟล์นี้เหมือนกับไฟล์ OKR.xlsx" in receipt


def _kept(workspace):
    (kept,) = workspace.settings.archive.glob("1001/*.xlsx")
    return kept
