"""Rules that need the warehouse: closed periods, cumulative figures, outliers, statuses that
disagree with the figures, and the KR's precision. Each runs the real nightly job."""

import os
import zipfile
from datetime import UTC, datetime

import pytest

from pipeline.registry import load_registry
from pipeline.runner import check, run, set_period
from tests.builders import Workspace, registry_frames, write_registry_file
from tests.judging import found, only_verdict
from tests.running import query, run_cli

ON_TRACK = "เป็นไปตามแผน"


def _sent_and_run(workspace, clerk, folder="1001"):
    workspace.send(clerk, folder)
    report = run(workspace.settings)
    return report.files[-1]


def test_a_closed_period_refuses_submissions_and_a_reopened_one_takes_them(workspace):
    assert set_period(workspace.settings, "close", "2569-Q2", "somchai") == ("closed", [])
    verdict = only_verdict_with_history(workspace, workspace.clerk("1001"))
    assert found(verdict) == [("error", "period-closed", "")]
    assert verdict.problems[0].message_th == (
        "รอบการรายงาน 2569-Q2 ปิดรับรายงานแล้ว หากต้องการแก้ไขข้อมูล กรุณาติดต่อสำนักยุทธศาสตร์ฯ")
    run(workspace.settings)
    assert list(workspace.settings.quarantine.rglob("*.xlsx"))
    state, refused = set_period(workspace.settings, "reopen", "2569-Q2", "somchai")
    assert (state, [(folder, name) for folder, name, _ in refused]) == (
        "open", [("1001", "report_1.xlsx")])
    assert _sent_and_run(workspace, workspace.clerk("1001"))["outcome"] == "accepted"
    events = query(workspace.settings.warehouse_path,
                   "SELECT period, action, actor FROM period_events ORDER BY seq")
    assert events == [("2569-Q2", "close", "somchai"), ("2569-Q2", "reopen", "somchai")]


def test_a_file_refused_by_a_closed_period_leaves_its_books_as_they_were_closed(workspace):
    """The refusal rewrote the period's group and committee books and its open data: the
    district went from "missing" to "sent but rejected" in books said to stand as closed."""
    settings = workspace.settings
    workspace.send(workspace.clerk("1001"), "1001")
    run(settings)
    set_period(settings, "close", "2569-Q2", "somchai")
    books = sorted((settings.outputs / "rollups" / "2569-Q2").glob("*.xlsx"))
    before = {path.name: path.read_bytes() for path in books}
    workspace.send(workspace.clerk("1002"), "1002", "late.xlsx")
    report = run(settings)
    assert [f["outcome"] for f in report.files] == ["rejected"]
    assert report.rewritten.get("2569-Q2", []) == []
    assert {path.name: path.read_bytes() for path in books} == before
    states = {d["district_code"]: d["state"] for d in report.missing["2569-Q2"]}
    assert states["1002"] == "missing"  # as the period was closed, not "rejected"


def test_a_second_reopening_lists_only_the_files_refused_since_the_period_was_closed_again(
        workspace):
    """The file refused in the first closure was listed again at the second reopening, asking
    its district to send again a report it had sent and had accepted since."""
    settings = workspace.settings
    set_period(settings, "close", "2569-Q2", "somchai")
    workspace.send(workspace.clerk("1001"), "1001", "late.xlsx")
    run(settings)
    assert [name for _, name, _ in set_period(settings, "reopen", "2569-Q2", "somchai")[1]] == [
        "late.xlsx"]
    assert _sent_and_run(workspace, workspace.clerk("1001"))["outcome"] == "accepted"
    set_period(settings, "close", "2569-Q2", "somchai")
    workspace.send(workspace.clerk("1002"), "1002", "later.xlsx")
    run(settings)
    assert [(folder, name) for folder, name, _ in set_period(
        settings, "reopen", "2569-Q2", "somchai")[1]] == [("1002", "later.xlsx")]


def only_verdict_with_history(workspace, clerk):
    """Judges one file against what the warehouse knows, storing nothing."""
    from pipeline.discover import discover
    from pipeline.history import load_history
    from pipeline.read import read_submission
    from pipeline.registry_store import RegistryVersions
    from pipeline.store import connect
    from pipeline.validate import judge

    workspace.send(clerk, "1001")
    settings = workspace.settings
    raws = [read_submission(a, settings.limits) for a in discover(settings.inbox)]
    con = connect(settings.warehouse_path)
    try:
        history = load_history(con, {"1001"}, {raws[0].metadata["period"]})
    finally:
        con.close()
    (verdict,) = judge(raws, RegistryVersions((workspace.registry,)), settings, history)
    return verdict


def test_the_period_command_records_who_closed_it(workspace):
    result = run_cli("period", "close", "2569-Q1", "--by", "สมชาย",
                     "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    assert "2569-Q1" in result.stdout and "closed" in result.stdout
    again = run_cli("period", "close", "2569-Q1", "--workspace", str(workspace.root))
    assert again.returncode == 2
    assert "รอบ 2569-Q1 ปิดรับรายงานอยู่แล้ว / period 2569-Q1 is already closed" in again.stdout


def test_a_period_is_opened_once(workspace):
    """A second `open` of an open period recorded another opening, as if it had been closed
    in between: the warehouse's history of the period said what never happened."""
    assert set_period(workspace.settings, "open", "2569-Q3", "somchai") == ("open", [])
    again = run_cli("period", "open", "2569-Q3", "--workspace", str(workspace.root))
    assert again.returncode == 2
    assert "รอบ 2569-Q3 เปิดรับรายงานอยู่แล้ว / period 2569-Q3 is already open" in again.stdout
    set_period(workspace.settings, "close", "2569-Q3", "somchai")
    set_period(workspace.settings, "reopen", "2569-Q3", "somchai")
    again = run_cli("period", "open", "2569-Q3", "--workspace", str(workspace.root))
    assert "period 2569-Q3 is already open" in again.stdout
    assert query(workspace.settings.warehouse_path,
                 "SELECT action FROM period_events ORDER BY seq") == [
        ("open",), ("close",), ("reopen",)]


def test_a_period_is_not_closed_while_new_files_wait_in_the_inbox_unless_forced(workspace):
    """A file sent before the due date, still waiting for the night's run, was refused once
    the period was closed; the office was not told it waited."""
    workspace.send(workspace.clerk("1001"), "1001", "in_time.xlsx")
    refused = run_cli("period", "close", "2569-Q2", "--workspace", str(workspace.root))
    assert refused.returncode == 2
    assert ("1 file(s) wait in the inbox, not yet judged (1001/in_time.xlsx): they may be this "
            "period's, sent in time, and would be refused once it is closed; run the nightly "
            "job first, or close with --force") in " ".join(refused.stdout.split())
    assert query(workspace.settings.warehouse_path, "SELECT count(*) FROM period_events") == [
        (0,)]
    run(workspace.settings)  # judged while open: accepted; now nothing waits
    assert set_period(workspace.settings, "close", "2569-Q2", "somchai") == ("closed", [])
    workspace.send(workspace.clerk("1002"), "1002", "late.xlsx")
    forced = run_cli("period", "reopen", "2569-Q2", "--workspace", str(workspace.root))
    assert forced.returncode == 0  # reopening is never held up
    forced = run_cli("period", "close", "2569-Q2", "--force", "--workspace", str(workspace.root))
    assert forced.returncode == 0, forced.stdout
    # closing it again is refused for what it is, not for the file that still waits
    again = run_cli("period", "close", "2569-Q2", "--workspace", str(workspace.root))
    assert again.returncode == 2
    assert "period 2569-Q2 is already closed" in again.stdout
    assert "wait in the inbox" not in again.stdout


def test_reopening_a_period_lists_the_files_refused_while_it_was_closed(workspace):
    """Only those: a file rejected for its figures would be rejected again. The very same
    file sent again is a duplicate (a file is judged once), so the office asks for it saved
    anew, which the message says."""
    wrong = workspace.clerk("1002")
    wrong.type("KR-1-01", "actual", "many")
    workspace.send(wrong, "1002", "wrong.xlsx")
    # before the late file was saved: it is received when it was saved, not after this run
    run(workspace.settings, now=lambda: datetime(2026, 3, 31, tzinfo=UTC))
    set_period(workspace.settings, "close", "2569-Q2", "somchai")
    workspace.send(workspace.clerk("1001"), "1001", "late.xlsx")
    run(workspace.settings)
    (late,) = workspace.settings.quarantine.glob("1001/*late.xlsx")
    result = run_cli("period", "reopen", "2569-Q2", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:] == [
        "ไฟล์ 1 ไฟล์ถูกปฏิเสธขณะปิดรอบ ให้เขตเปิดไฟล์ บันทึกอีกครั้ง แล้วส่งใหม่ "
        "(ไฟล์เดิมที่ไม่ได้บันทึกใหม่จะถือว่าส่งซ้ำ) / 1 file(s) were refused while the period "
        "was closed; ask the district to open the file, save it again and send it (the very "
        "same file is a duplicate and is not judged again):",
        "  1001  late.xlsx  (1 เม.ย. 2569 07:02 น. (2026-04-01 00:02 UTC))"]
    workspace.drop(late, "1001", "late.xlsx")
    assert run(workspace.settings).files[-1]["outcome"] == "duplicate"


def test_a_period_the_registry_does_not_list_is_refused_by_period_templates_and_export(
        workspace):
    for command in (["period", "close", "2571-Q1"], ["templates", "--period", "2571-Q1"],
                    ["export", "--period", "2571-Q1"]):
        result = run_cli(*command, "--workspace", str(workspace.root))
        assert result.returncode == 2, command
        assert ("period 2571-Q1 is not in the registry's periods sheet"
                in " ".join(result.stdout.split())), command
    assert not workspace.settings.templates_dir("2571-Q1").exists()
    assert not workspace.settings.public_dir("2571-Q1").exists()


@pytest.mark.parametrize("command", [
    ["period", "close", "2569-Q2"], ["run"], ["export", "--period", "2569-Q2"],
    ["templates", "--period", "2569-Q2"],
    ["trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-01"]])
def test_a_command_in_a_folder_without_a_registry_is_refused_and_makes_nothing(
        tmp_path, command):
    """A forgotten --workspace: the real workspace's period must not be said closed, and the
    folder (the project's own, run from there) is given no outputs/ nor a warehouse."""
    result = run_cli(*command, "--workspace", str(tmp_path))
    assert result.returncode == 4
    assert ("the file does not exist; is --workspace the folder that holds registry.xlsx?"
            in " ".join(result.stdout.split()))
    assert list(tmp_path.iterdir()) == []


def test_a_file_is_checked_against_its_districts_figures_and_its_periods_only(workspace):
    """The history a night's files read: the district's own periods (earlier figures, its own
    level) and the period's other districts (peers); nothing else is loaded."""
    from pipeline.history import load_history
    from pipeline.store import connect

    for district, period in (("1001", "2569-Q1"), ("1002", "2569-Q1"), ("1002", "2569-Q2"),
                             ("1003", "2569-Q3")):
        workspace.send(workspace.clerk(district, period), district)
    run(workspace.settings)
    con = connect(workspace.settings.warehouse_path)
    try:
        facts = load_history(con, {"1001"}, {"2569-Q2"}).facts
    finally:
        con.close()
    assert sorted(set(zip(facts["district_code"], facts["period"], strict=True))) == [
        ("1001", "2569-Q1"), ("1002", "2569-Q2")]


def test_a_cumulative_kr_lower_than_last_period_is_refused(workspace):
    first = workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300)
    assert _sent_and_run(workspace, first)["outcome"] == "accepted"
    second = (workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200)
              .type("KR-1-03", "status", "ล่าช้ากว่าแผน").type("KR-1-03", "note", "นับใหม่"))
    outcome = _sent_and_run(workspace, second)
    assert outcome["outcome"] == "rejected"
    errors = [p for p in outcome["problems"] if p["severity"] == "error"]
    assert [(p["code"], p["cell"]) for p in errors] == [("cumulative-decreased", "H8")]
    assert errors[0]["message_th"] == (
        "ผลสะสม 200 ต่ำกว่าผลที่รายงานไว้ในรอบก่อน (300, 2569-Q1) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง")


def _blank_with_a_note(clerk):
    return clerk.type("KR-1-03", "actual", None).type("KR-1-03", "note", "ยังไม่ได้นับ")


@pytest.mark.parametrize("same_night", [False, True])
def test_a_cumulative_kr_is_compared_across_a_period_left_blank(workspace, same_night):
    """Q2 left blank, with a note that says why: Q3 below Q1 was accepted, compared with Q2's
    blank as the figure before it; and Q1 corrected above Q3 drew no warning."""
    files = [workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300),
             _blank_with_a_note(workspace.clerk("1001", "2569-Q2")),
             workspace.clerk("1001", "2569-Q3").type("KR-1-03", "actual", 200)]
    if same_night:
        for clerk in files:
            workspace.send(clerk, "1001")
        outcomes = run(workspace.settings).files
    else:
        outcomes = [_sent_and_run(workspace, clerk) for clerk in files]
    assert [file["outcome"] for file in outcomes] == ["accepted", "accepted", "rejected"]
    (fall,) = [p for p in outcomes[2]["problems"] if p["code"] == "cumulative-decreased"]
    assert (fall["cell"], fall["message_th"]) == ("H8", FALL_300_Q1.format(200))
    _sent_and_run(workspace, workspace.clerk("1001", "2569-Q3").type("KR-1-03", "actual", 400))
    correction = _sent_and_run(workspace, workspace.clerk("1001", "2569-Q1").type(
        "KR-1-03", "actual", 500))
    assert correction["outcome"] == "accepted"
    assert [p["message_th"] for p in correction["problems"]
            if p["code"] == "cumulative-above-later"] == [
        "ผลสะสม 500 สูงกว่าผลที่รายงานไว้ในรอบถัดไป (400, 2569-Q3) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง กรุณาตรวจสอบ และส่งรายงานรอบนั้นที่แก้ไขแล้วด้วย"]


def test_a_late_correction_above_a_later_periods_cumulative_figure_is_a_warning(workspace):
    """Q1 corrected to 400 once Q2 stands at 300: one of them is wrong, and the clerk may be
    correcting both, Q1 first; so a warning that names the later figure, not a refusal."""
    assert _sent_and_run(workspace, workspace.clerk("1001", "2569-Q1").type(
        "KR-1-03", "actual", 200))["outcome"] == "accepted"
    assert _sent_and_run(workspace, workspace.clerk("1001", "2569-Q2").type(
        "KR-1-03", "actual", 300))["outcome"] == "accepted"
    correction = workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 400)
    outcome = _sent_and_run(workspace, correction)
    assert outcome["outcome"] == "accepted"
    (warning,) = [p for p in outcome["problems"] if p["code"] == "cumulative-above-later"]
    assert (warning["severity"], warning["cell"]) == ("warning", "H8")
    assert warning["message_th"] == (
        "ผลสะสม 400 สูงกว่าผลที่รายงานไว้ในรอบถัดไป (300, 2569-Q2) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง กรุณาตรวจสอบ และส่งรายงานรอบนั้นที่แก้ไขแล้วด้วย")


FALL_300_Q1 = ("ผลสะสม {} ต่ำกว่าผลที่รายงานไว้ในรอบก่อน (300, 2569-Q1) ตัวชี้วัดนี้เป็นผลสะสม "
               "จึงต้องไม่ลดลง")


def _night(workspace, *figures) -> list[dict]:
    """District 1001's KR-1-03 for 2569-Q1, Q2, … sent the same night, the later periods
    first (as a clerk catching up may send them), then the night's run; by period."""
    for quarter, figure in reversed(list(enumerate(figures, start=1))):
        workspace.send(workspace.clerk("1001", f"2569-Q{quarter}").type(
            "KR-1-03", "actual", figure), "1001")
    return sorted(run(workspace.settings).files, key=lambda file: file["period"])


def _falls(file: dict) -> list[str]:
    return [p["message_th"] for p in file["problems"] if p["code"] == "cumulative-decreased"]


def test_a_cumulative_kr_lower_than_the_same_nights_earlier_period_is_refused(workspace):
    """Q1 and Q2 sent the same night, Q2 first: Q2 is judged as if Q1 had come the night
    before, and refused as it would have been then."""
    first, second = _night(workspace, 300, 200)
    assert (first["period"], first["outcome"]) == ("2569-Q1", "accepted")
    assert (second["period"], second["outcome"]) == ("2569-Q2", "rejected")
    assert _falls(second) == [FALL_300_Q1.format(200)]
    assert query(workspace.settings.warehouse_path,
                 "SELECT period, actual FROM current_facts WHERE kr_code = 'KR-1-03' "
                 "AND district_code = '1001'") == [("2569-Q1", 300.0)]


def test_a_period_refused_the_same_night_is_not_what_the_next_one_is_checked_against(workspace):
    """Q2 is refused as a fall below Q1: Q3 is checked against Q1, the latest figure accepted,
    not against the 100 refused."""
    first, second, third = _night(workspace, 300, 100, 150)
    assert [f["outcome"] for f in (first, second, third)] == ["accepted", "rejected", "rejected"]
    assert _falls(second) == [FALL_300_Q1.format(100)]
    assert _falls(third) == [FALL_300_Q1.format(150)]


def test_an_honest_backlog_sent_in_one_night_is_accepted_whole(workspace):
    first, second, third = _night(workspace, 100, 200, 300)
    assert [f["outcome"] for f in (first, second, third)] == ["accepted"] * 3
    assert [_falls(f) for f in (first, second, third)] == [[], [], []]


@pytest.mark.parametrize(("sent", "outcome"), [((300, 150), "accepted"),
                                               ((150, 300), "rejected")])
def test_of_two_files_of_a_period_sent_the_same_night_the_later_one_counts(
        workspace, sent, outcome):
    """Q1 sent twice, then Q2 at 200: Q2 is checked against the Q1 file received last, the one
    the warehouse keeps."""
    for figure, name in zip(sent, ("q1.xlsx", "q1-again.xlsx"), strict=True):
        workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", figure),
                       "1001", name=name)
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200), "1001")
    *firsts, second = run(workspace.settings).files
    assert [f["outcome"] for f in firsts] == ["accepted", "accepted"]
    assert second["outcome"] == outcome
    assert _falls(second) == ([] if outcome == "accepted" else [FALL_300_Q1.format(200)])


def test_check_takes_a_periods_files_in_the_order_they_were_received(workspace):
    """The dry run of a night's files given in another order: the Q1 file received last (at
    300) is the one that counts, as in the nightly run, not the last one named (at 150)."""
    first = workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 150),
                           "1001", name="q1.xlsx")
    later = workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300),
                           "1001", name="q1-again.xlsx")
    second = workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200),
                            "1001")
    judged = [verdict for verdict, _ in check(workspace.settings, [second, later, first])[0]]
    assert [(v.period, v.accepted) for v in judged] == [
        ("2569-Q2", False), ("2569-Q1", True), ("2569-Q1", True)]
    assert [p.message_th for p in judged[0].problems] == [FALL_300_Q1.format(200)]


def test_a_quarter_is_checked_against_the_same_nights_month_before_it(workspace):
    """A district that reports by month and by quarter: Q2 (to 31 March) after M03 (to 31
    December) sent the same night."""
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200), "1001")
    workspace.send(workspace.clerk("1001", "2569-M03").type("KR-1-03", "actual", 300), "1001")
    quarter, month = run(workspace.settings).files
    assert (month["outcome"], quarter["outcome"]) == ("accepted", "rejected")
    assert _falls(quarter) == [
        "ผลสะสม 200 ต่ำกว่าผลที่รายงานไว้ในรอบก่อน (300, 2569-M03) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง"]


def test_a_figure_wrong_in_itself_is_not_also_compared_with_last_period(workspace):
    """-2 lamps, under last period's 300: the clerk was told twice at one cell, the second
    time that a cumulative figure must not fall."""
    first = workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300)
    assert _sent_and_run(workspace, first)["outcome"] == "accepted"
    outcome = _sent_and_run(workspace, workspace.clerk("1001", "2569-Q2")
                            .type("KR-1-03", "actual", -2))
    assert [(p["code"], p["cell"]) for p in outcome["problems"] if p["cell"] == "H8"] == [
        ("count-negative", "H8")]


def test_a_fall_below_last_period_is_told_with_the_rows_other_errors(workspace):
    """A status mistyped on the row hid the fall: the clerk mended the status, sent again,
    and only then learnt of it. Every problem is told at once, one at each cell."""
    first = workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300)
    assert _sent_and_run(workspace, first)["outcome"] == "accepted"
    outcome = _sent_and_run(workspace, workspace.clerk("1001", "2569-Q2")
                            .type("KR-1-03", "actual", 200).type("KR-1-03", "status", "ดีมาก"))
    assert sorted((p["code"], p["cell"]) for p in outcome["problems"] if p["cell"] in (
        "H8", "K8")) == [("cumulative-decreased", "H8"), ("status-invalid", "K8")]


def test_a_thousands_point_is_told_beside_the_fall_it_makes(workspace):
    """1.209 typed for 1,209 under last period's 300: the fall was told, and the hint that
    explains it dropped as a rounding notice."""
    first = workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300)
    assert _sent_and_run(workspace, first)["outcome"] == "accepted"
    outcome = _sent_and_run(workspace, workspace.clerk("1001", "2569-Q2")
                            .type("KR-1-03", "actual", 1.209))
    assert sorted(p["code"] for p in outcome["problems"] if p["cell"] == "H8") == [
        "count-fraction", "cumulative-decreased"]


def test_a_figure_refused_is_not_also_said_to_be_rounded(workspace):
    """0.72 for 72 %: refused as a fraction, and also "rounded 0.72 to 0.7", which the clerk
    read as the fix."""
    verdict = _only(workspace, workspace.clerk("1001").type("KR-1-02", "actual", 0.72))
    assert [(p.code, p.severity) for p in verdict.problems if p.cell == "H7"] == [
        ("percent-as-fraction", "error")]


def test_a_refused_file_is_told_of_its_fall_below_the_same_nights_earlier_period(workspace):
    """Q2 is refused for another reason too: the clerk is told of every problem at once."""
    workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300), "1001")
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200)
                   .type("KR-1-01", "actual", "สิบ"), "1001")
    _, second = sorted(run(workspace.settings).files, key=lambda file: file["period"])
    assert second["outcome"] == "rejected"
    assert sorted(p["code"] for p in second["problems"] if p["severity"] == "error") == [
        "cumulative-decreased", "not-a-number"]
    assert _falls(second) == [FALL_300_Q1.format(200)]


def test_a_later_period_is_checked_against_the_same_nights_correction_of_an_earlier_one(
        workspace):
    """Q1 stood at 300; tonight Q1 is corrected to 150 and Q2 sent at 200: Q2 compared with
    the 300 the correction replaced would be refused as a fall."""
    assert _sent_and_run(workspace, workspace.clerk("1001", "2569-Q1").type(
        "KR-1-03", "actual", 300))["outcome"] == "accepted"
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200), "1001")
    workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 150), "1001")
    assert [f["outcome"] for f in run(workspace.settings).files] == ["accepted", "accepted"]


def test_a_correction_raised_the_same_night_refuses_a_later_period_below_it(workspace):
    """Q1 stood at 100; tonight Q1 is corrected to 300 and Q2 sent at 200."""
    assert _sent_and_run(workspace, workspace.clerk("1001", "2569-Q1").type(
        "KR-1-03", "actual", 100))["outcome"] == "accepted"
    workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 300), "1001")
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 200), "1001")
    first, second = run(workspace.settings).files
    assert (first["outcome"], second["outcome"]) == ("accepted", "rejected")
    assert _falls(second) == [FALL_300_Q1.format(200)]


ABOVE = ("ผลสะสม {} สูงกว่าผลที่รายงานไว้ในรอบถัดไป ({}, 2569-Q2) ตัวชี้วัดนี้เป็นผลสะสม "
         "จึงต้องไม่ลดลง กรุณาตรวจสอบ และส่งรายงานรอบนั้นที่แก้ไขแล้วด้วย")


def _above(file: dict) -> list[str]:
    return [p["message_th"] for p in file["problems"] if p["code"] == "cumulative-above-later"]


@pytest.fixture
def stood(workspace):
    """District 1001's KR-1-03 stood at 200 in Q1 and 300 in Q2."""
    for quarter, figure in (("2569-Q1", 200), ("2569-Q2", 300)):
        assert _sent_and_run(workspace, workspace.clerk("1001", quarter).type(
            "KR-1-03", "actual", figure))["outcome"] == "accepted"
    return workspace


def test_a_correction_sent_with_its_later_periods_is_compared_with_them(stood):
    """Q1 corrected to 400 and Q2 to 450 the same night: Q1 is not warned that it stands
    above the 300 that the night's Q2 replaces."""
    first, second = _night(stood, 400, 450)
    assert (first["outcome"], second["outcome"]) == ("accepted", "accepted")
    assert (_above(first), _falls(second)) == ([], [])


def test_a_later_period_refused_the_same_night_leaves_the_stored_one_to_compare_with(stood):
    """Q1 corrected to 400 and Q2 to 350: Q2 falls below the night's Q1 and is refused, so Q1
    is warned against the 300 that still stands for Q2."""
    first, second = _night(stood, 400, 350)
    assert (first["outcome"], second["outcome"]) == ("accepted", "rejected")
    assert _falls(second) == [
        "ผลสะสม 350 ต่ำกว่าผลที่รายงานไว้ในรอบก่อน (400, 2569-Q1) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง"]
    assert _above(first) == [ABOVE.format(400, 300)]


def test_a_refused_file_is_warned_of_a_later_period_below_it_sent_the_same_night(workspace):
    """Q1 at 500 is refused for a word where a number goes; Q2 at 300, with no Q1 to fall
    below, is accepted: Q1's clerk is told that its 500 stands above it too."""
    workspace.send(workspace.clerk("1001", "2569-Q2").type("KR-1-03", "actual", 300), "1001")
    workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-03", "actual", 500)
                   .type("KR-1-01", "actual", "สิบ"), "1001")
    second, first = run(workspace.settings).files
    assert (first["outcome"], second["outcome"]) == ("rejected", "accepted")
    assert _above(first) == [ABOVE.format(500, 300)]


@pytest.fixture
def peers(workspace):
    """Twelve districts report KR-1-03 for 2569-Q2 as honest clerks do."""
    for district in ("1002", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011",
                     "1012", "1013", "1014"):
        workspace.send(workspace.clerk(district), district)
    report = run(workspace.settings)
    assert report.count("accepted") == 12
    return workspace


def test_a_value_far_from_its_peers_needs_an_explanation(peers):
    clerk = peers.clerk("1001")
    typed = clerk.value("KR-1-03", "target") * 20  # a slip of the keyboard: an extra zero or two
    clerk.type("KR-1-03", "actual", typed).type("KR-1-03", "status", ON_TRACK)
    clerk.type("KR-1-03", "note", None)
    outcome = _sent_and_run(peers, clerk)
    assert outcome["outcome"] == "rejected"
    (problem,) = [p for p in outcome["problems"] if p["severity"] != "notice"]
    assert (problem["code"], problem["cell"]) == ("value-outlier", "H8")
    # 1001 has no earlier figure: the message does not say it is far from one
    typical = problem["expected"]
    assert problem["message_th"] == (
        f"ค่า {typed:,.0f} ต่างจากค่าของเขตอื่นมากผิดปกติ (ค่าที่พบทั่วไปประมาณ {typical}) "
        "และต่างจากผลของเขตเองในรอบก่อนด้วย (ถ้ามี) หากค่านี้ถูกต้อง กรุณาอธิบายในช่องหมายเหตุ")
    assert problem["message_en"] == (
        f"The value {typed:,.0f} is far from other districts' (typically about {typical}), and "
        "from this district's earlier figures if it has any; if it is right, explain it in the "
        "note.")


def test_a_ratio_far_from_its_peers_is_shown_as_the_percentage_and_its_cells(
        workspace, reference, tmp_path):
    """Marked at the numerator, a ratio's outlier said "the value 90": a figure in no cell of
    the row. It says the percentage and the numerator and denominator it comes from. (A
    share of 10 % is the city's target for KR-3-06 here: a ratio is an outlier only where
    its targets leave room above them.)"""
    frames = registry_frames(reference)
    frames["assignments"].loc[frames["assignments"]["kr_code"].eq("KR-3-06"),
                              ["baseline", "target"]] = [5.0, 10.0]
    registry = load_registry(write_registry_file(workspace.settings.registry_path, frames),
                             reference)
    low = Workspace(workspace.root, registry, reference, tmp_path / "low")
    for district in ("1002", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011",
                     "1012", "1013", "1014"):
        low.send(low.clerk(district), district)
    assert run(workspace.settings).count("accepted") == 12
    clerk = low.clerk("1001").type("KR-3-06", "numerator", 90).type(
        "KR-3-06", "denominator", 100).type("KR-3-06", "note", None)
    (problem,) = [p for p in _sent_and_run(low, clerk)["problems"]
                  if p["code"] == "value-outlier"]
    row = 6 + registry.assigned_codes("1001").index("KR-3-06")  # the template's order
    assert problem["cell"] == f"I{row}"  # the numerator
    assert problem["message_en"].startswith(
        "The value 90% (90 / 100) is far from other districts' (typically about ")
    typical = problem["message_en"].split("typically about ")[1].split(")")[0]
    assert typical.endswith("%") and 5 <= float(typical[:-1]) <= 10, typical  # peers: 5 to 10


def test_an_explained_outlier_is_accepted_with_a_warning(peers):
    clerk = peers.clerk("1001")
    typed = clerk.value("KR-1-03", "target") * 20
    clerk.type("KR-1-03", "actual", typed).type("KR-1-03", "status", ON_TRACK)
    clerk.type("KR-1-03", "note", "รวมไฟถนนโครงการพิเศษของสำนักการโยธาในเขต")
    outcome = _sent_and_run(peers, clerk)
    assert outcome["outcome"] == "accepted"
    assert [(p["code"], p["severity"], p["cell"]) for p in outcome["problems"]] == [
        ("value-outlier-explained", "warning", "H8")]


def test_a_value_far_below_its_peers_is_accepted_with_a_warning(peers):
    """12 lamps typed for 1,200, the status left as the clerk worked it out from 1,200: below
    the median, the outlier's z-score cannot reach its cut-off, so a dropped digit went by
    without a word. It may be true (a district far behind), so the file is accepted; the clerk
    is asked to look."""
    clerk = peers.clerk("1001")
    honest = clerk.value("KR-1-03", "actual")
    typed = round(honest / 100)
    clerk.type("KR-1-03", "actual", typed).type("KR-1-03", "status", ON_TRACK)
    outcome = _sent_and_run(peers, clerk.type("KR-1-03", "note", None))
    assert outcome["outcome"] == "accepted"
    (problem,) = [p for p in outcome["problems"] if p["code"] == "value-far-below-peers"]
    assert (problem["severity"], problem["cell"], problem["value"]) == ("warning", "H8", str(typed))
    typical = float(problem["expected"].replace(",", ""))
    assert honest / 2 < typical < honest * 2, (typical, honest)  # the peers typed like 1001
    assert problem["message_th"] == (
        f"ค่า {typed} ต่ำกว่าค่าของเขตอื่นมาก (ค่าที่พบทั่วไปประมาณ {problem['expected']}) "
        "กรุณาตรวจสอบว่าพิมพ์ตัวเลขครบทุกหลักและใช้หน่วยเดียวกับค่าเป้าหมาย "
        "หากค่านี้ถูกต้อง กรุณาอธิบายในช่องหมายเหตุ")
    assert problem["message_en"] == (
        f"The value {typed} is far below other districts' (typically about "
        f"{problem['expected']}): check that no digit is missing and that it is in the "
        "target's unit; if it is right, explain it in the note.")


@pytest.mark.parametrize(("share", "note"), [
    (1 / 5, None),  # behind, but within a tenth of the others
    (1 / 100, "ไฟฟ้าดับทั้งเขตจากงานรื้อสายไฟลงดิน ซ่อมได้เพียงบางส่วน"),  # explained
    (0, None),  # nothing done yet is no slip of the keyboard
])
def test_a_value_below_its_peers_is_not_warned_when_near_explained_or_zero(peers, share, note):
    clerk = peers.clerk("1001")
    typed = round(clerk.value("KR-1-03", "actual") * share)
    clerk.type("KR-1-03", "actual", typed).type("KR-1-03", "status", ON_TRACK)
    clerk.type("KR-1-03", "note", note)
    outcome = _sent_and_run(peers, clerk)
    assert outcome["outcome"] == "accepted"
    assert "value-far-below-peers" not in {p["code"] for p in outcome["problems"]}


def test_a_status_that_disagrees_with_the_figures_is_a_warning(workspace):
    clerk = (workspace.clerk("1001").type("KR-1-03", "actual", 0)
             .type("KR-1-03", "status", ON_TRACK).type("KR-1-03", "note", None))
    verdict = _only(workspace, clerk)
    assert verdict.accepted
    assert found(verdict) == [("warning", "status-disagrees", "K8")]
    assert verdict.problems[0].message_th == (
        'สถานะที่รายงาน "เป็นไปตามแผน" ไม่สอดคล้องกับความก้าวหน้าที่คำนวณจากตัวเลข ("ล่าช้ากว่าแผน")')


def _retype_number(path, cell: str, shown: str, stored: str) -> None:
    """Rewrites a number cell of the data sheet (sheet2.xml) with the digits given."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    start = sheet.index(f'r="{cell}"')
    sheet = sheet[:start] + sheet[start:].replace(f"<v>{shown}</v>", f"<v>{stored}</v>", 1)
    parts["xl/worksheets/sheet2.xml"] = sheet.encode()
    stat = path.stat()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    os.utime(path, (stat.st_atime, stat.st_mtime))


def _only(workspace, clerk):
    workspace.send(clerk, "1001")
    return only_verdict(workspace)


def test_a_float_is_rounded_to_the_krs_precision_with_a_notice(workspace):
    # KR-1-01 (km of footpath) keeps one decimal. Excel writes a float with 17 digits
    # (274.65999999999997 for 274.66); openpyxl shortens them, so the cell is written as Excel
    # would. The notice shows the number as Excel shows it, to 15 digits.
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", 274.66)
    path = workspace.send(clerk.type("KR-1-01", "status", ON_TRACK), "1001")
    _retype_number(path, "H6", "274.66", "274.65999999999997")
    verdict = only_verdict(workspace)
    rounded = [p for p in verdict.problems if p.code == "normalized-rounded"]
    assert [(p.cell, p.value, p.expected) for p in rounded] == [("H6", "274.66", "274.7")]
    assert rounded[0].message_th == "ปัดเศษ 274.66 เป็น 274.7 ตามจำนวนทศนิยมของตัวชี้วัด"
    assert verdict.facts.set_index("kr_code").at["KR-1-01", "actual"] == 274.7


def test_a_float_excel_shows_with_the_krs_precision_is_taken_as_shown_without_a_notice(
        workspace):
    """3.3 typed is stored by Excel as 3.3000000000000003 and shown as 3.3: the clerk was
    told it had been rounded from 3.3000000000000003."""
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", 3.3)
    path = workspace.send(clerk.type("KR-1-01", "status", ON_TRACK), "1001")
    _retype_number(path, "H6", "3.3", "3.3000000000000003")
    verdict = only_verdict(workspace)
    assert [p for p in verdict.problems if p.code == "normalized-rounded"] == []
    assert verdict.facts.set_index("kr_code").at["KR-1-01", "actual"] == 3.3


def test_a_whole_count_typed_with_a_fraction_is_warned_as_a_thousands_point(workspace):
    """KR-1-03 counts lamps. 1.209, typed for 1,209 with the point some keyboards part
    thousands with, was read as 1 with a notice of rounding the clerk had no reason to read."""
    clerk = workspace.clerk("1001").type("KR-1-03", "actual", 1.209)
    verdict = _only(workspace, clerk.type("KR-1-03", "status", ON_TRACK))
    (fraction,) = [p for p in verdict.problems if p.cell == "H8"]
    assert (fraction.code, fraction.severity) == ("count-fraction", "warning")
    assert fraction.message_th == (
        "จำนวน 1.209 มีทศนิยม แต่ตัวชี้วัดนี้นับเป็นจำนวนเต็ม ระบบจึงปัดเป็น 1 "
        "หากหมายถึงหลักพัน (เช่น 1,209) กรุณาคั่นหลักพันด้วยเครื่องหมายจุลภาค (,) ไม่ใช่จุด")
    assert verdict.accepted  # a warning: the clerk checks, the figure is kept as rounded
    assert verdict.facts.set_index("kr_code").at["KR-1-03", "actual"] == 1


@pytest.mark.parametrize(("typed", "kept"), [(2.25, 2.3), (2.675, 2.7), (0.05, 0.1)])
def test_a_half_is_rounded_away_from_zero_as_excel_shows_it(workspace, typed, kept):
    clerk = workspace.clerk("1001").type("KR-1-01", "actual", typed)
    verdict = _only(workspace, clerk.type("KR-1-01", "status", ON_TRACK))
    rounded = [(p.cell, p.value, p.expected) for p in verdict.problems
               if p.code == "normalized-rounded"]
    assert rounded == [("H6", repr(typed), repr(kept))]
    assert verdict.facts.set_index("kr_code").at["KR-1-01", "actual"] == kept
