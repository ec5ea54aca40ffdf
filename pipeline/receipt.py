"""A verdict → a short receipt, Thai first: what was received, the outcome, the counts by
severity, for an accepted resubmission what changed since the district's previous accepted
submission for the period, and each problem: errors, warnings, then notices."""

import math

import pandas as pd

from pipeline.cells import stored_text
from pipeline.periods import thai_date, when_received
from pipeline.values import Arrival, Verdict
from schemas.rules import ERROR, NOTICE, WARNING

OUTCOME = {True: "ผ่านการตรวจ บันทึกข้อมูลแล้ว / accepted and stored",
           False: "ไม่ผ่านการตรวจ ยังไม่ได้บันทึกข้อมูล / rejected, nothing stored"}
CHECKED = {  # `check`, a dry run: nothing is stored whatever the outcome
    True: "จะผ่านการตรวจ (ตรวจล่วงหน้า ยังไม่ได้บันทึกข้อมูล) / would be accepted (a check: "
          "nothing stored)",
    False: "จะไม่ผ่านการตรวจ (ตรวจล่วงหน้า ยังไม่ได้บันทึกข้อมูล) / would be rejected (a check: "
           "nothing stored)"}
_LISTED = ((ERROR, "## ต้องแก้ไข / to fix"), (WARNING, "## โปรดตรวจสอบ / to check"),
           (NOTICE, "## แจ้งให้ทราบ: ระบบอ่านค่าเหล่านี้ดังนี้ / notices: how these cells were read"))
ALREADY_RECEIVED = "ได้รับแล้ว ไม่ได้ตรวจซ้ำ / already received, not judged again"
DUPLICATE_OF = {  # what became of the file a duplicate repeats (submission_status)
    "current": ("ผ่านการตรวจ และเป็นข้อมูลที่ใช้อยู่", "accepted; its figures are the current ones"),
    "superseded": ("ผ่านการตรวจ แต่รายงานที่ส่งภายหลังใช้แทนแล้ว",
                   "accepted, then superseded by a file sent later"),
    "rejected": ("ไม่ผ่านการตรวจ", "rejected"),
}


def changes(previous: pd.DataFrame | None, facts: pd.DataFrame | None) -> list[dict]:
    """KRs whose value differs from the previous accepted submission's: kr_code, old, new."""
    if previous is None or facts is None:
        return []
    merged = previous[["kr_code", "actual"]].merge(
        facts[["kr_code", "actual"]], on="kr_code", how="outer", suffixes=("_old", "_new"))
    differs = ~(merged["actual_old"].eq(merged["actual_new"])
                | (merged["actual_old"].isna() & merged["actual_new"].isna()))
    return [{"kr_code": row.kr_code, "old": _number(row.actual_old),
             "new": _number(row.actual_new)}
            for row in merged[differs].sort_values("kr_code").itertuples()]


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def receipt_text(verdict: Verdict, district_name: str, changed: list[dict],
                 checked: bool = False) -> str:
    """`checked`: the receipt of a dry run (`check`), which stores nothing."""
    counts = {s: verdict.count(s) for s in (ERROR, WARNING, NOTICE)}
    lines = [
        *_received(verdict.arrival),
        f"- เขต / district: {verdict.district_code or '-'} {district_name}".rstrip(),
        f"- รอบการรายงาน / period: {verdict.period or '-'}",
        f"- ผล / outcome: {(CHECKED if checked else OUTCOME)[verdict.accepted]}",
        *_timeliness(verdict, checked),
        f"- ข้อผิดพลาด / errors: {counts[ERROR]} · คำเตือน / warnings: {counts[WARNING]} · "
        f"แจ้งให้ทราบ / notices: {counts[NOTICE]}",
    ]
    if verdict.accepted and changed:
        lines += ["", "## ค่าที่เปลี่ยนจากรายงานที่ผ่านครั้งก่อน / changed since the previous "
                      "accepted submission", "",
                  "| ตัวชี้วัด / KR | เดิม / old | ใหม่ / new |", "|---|---:|---:|"]
        lines += [f"| {c['kr_code']} | {_shown(c['old'])} | {_shown(c['new'])} |"
                  for c in changed]
    for severity, heading in _LISTED:  # a notice says how a cell was read: no workbook does
        found = [p for p in verdict.problems if p.severity == severity
                 and (severity != NOTICE or p.cell)]
        if found:
            lines += ["", heading, ""]
            lines += [f"- {p.cell or 'ทั้งไฟล์'}: {p.message_th} ({p.code})" for p in found]
    whole = [p for p in verdict.problems if p.severity == NOTICE and not p.cell]
    if whole:  # of the file (its template's registry version), not of how a cell was read
        lines += ["", "## แจ้งให้ทราบ / for your information", ""]
        lines += [f"- {p.message_th} ({p.code})" for p in whole]
    return "\n".join(lines) + "\n"


def duplicate_text(arrival: Arrival, earlier: dict) -> str:
    """The receipt of a file already judged: `earlier` is that submission
    (store.earlier_submissions)."""
    th, en = repeats(earlier)
    return "\n".join([
        *_received(arrival),
        f"- รอบการรายงาน / period: {earlier['period'] or '-'}",
        f"- ผล / outcome: {ALREADY_RECEIVED}",
        "",
        f"{th} หากต้องการส่งข้อมูลใหม่ กรุณาแก้ไขและบันทึกไฟล์ก่อนส่งอีกครั้ง",
        "",
        f"{en} To send new figures, correct and save the file before sending it again.",
    ]) + "\n"


def repeats(earlier: dict) -> tuple[str, str]:
    """Which file received before a file repeats, when, from which folder and what became of
    it, in Thai and in English (`earlier`: store.earlier_submissions)."""
    th, en = DUPLICATE_OF[earlier["status"]]
    when = when_received(earlier["received_at"])
    name, source = earlier["original_name"], earlier["inbox_folder"] or "inbox"
    return (f"ไฟล์นี้เหมือนกับไฟล์ {name} ที่ได้รับจากโฟลเดอร์ {source} เมื่อ {when} ทุกไบต์ "
            f"ไฟล์นั้น{th}",
            f"This file is byte for byte the file {name} received from folder {source} on "
            f"{when}; that file was {en}.")


def _received(arrival: Arrival) -> list[str]:
    """When, by Bangkok's clock first: due dates are days in Bangkok."""
    return [
        "# ใบรับรายงาน OKR / OKR submission receipt",
        "",
        f"- ไฟล์ / file: {arrival.name}",
        f"- รหัสตรวจสอบ / sha256: {arrival.sha256}",
        f"- ได้รับเมื่อ / received: {when_received(arrival.received_at)}",
    ]


def _timeliness(verdict: Verdict, checked: bool) -> list[str]:
    """The period's due date; for a file accepted, whether it came by then. A check's file is
    not sent yet, and a rejected one's clerk sends it again by then."""
    if verdict.due_date is None:
        return []
    due = f"{thai_date(verdict.due_date)} ({verdict.due_date})"
    if checked or verdict.on_time is None:
        return [f"- กำหนดส่ง / due: {due}"]
    if verdict.on_time:
        return [f"- กำหนดส่ง / due: {due} · ส่งทันกำหนด / on time"]
    return [f"- กำหนดส่ง / due: {due} · ส่งหลังกำหนด / late"]


def _shown(value) -> str:
    return "ไม่มีข้อมูล / none" if value is None else stored_text(value)
