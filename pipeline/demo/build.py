"""The demo workspace: the sample registry, templates for 2569-Q1 and 2569-Q2, and an inbox of
submissions as fifty clerks would send them — most correct, about one in ten with a typical
mistake, a few districts missing, one district correcting a file it had sent."""

import os
import shutil
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipeline.demo.clerk import ClerkWorkbook
from pipeline.demo.fill import honest_entry
from pipeline.demo.sample_registry import write_sample_registry
from pipeline.periods import BE_OFFSET, parse_period
from pipeline.reference import load_reference
from pipeline.registry import load_registry
from pipeline.runner import workspace_lock
from pipeline.settings import Settings
from pipeline.templates import template_path, write_templates

PERIODS = ("2569-Q1", "2569-Q2")
MARKER = ".okr-demo-workspace"
# district → what goes wrong, by period; every other district sends a correct file.
MISSING = {"2569-Q1": ("1003", "1046"), "2569-Q2": ("1003", "1021", "1040")}
LATE = {"2569-Q1": (), "2569-Q2": ("1047", "1050")}  # sent three days after the due date
MISTAKES = {
    "2569-Q1": {
        "1005": "thai_digits_as_text", "1012": "status_typed", "1027": "blank_actual",
        "1031": "wrong_district", "1038": "wrong_figure_then_corrected",
    },
    "2569-Q2": {
        "1008": "thai_digits_as_text", "1016": "status_typed", "1024": "blank_actual",
        "1035": "no_note_when_at_risk", "1042": "rejected_then_corrected",
        "1049": "wrong_district",
    },
}


class NotADemoWorkspace(Exception):
    """The folder holds something else than a demo workspace: it is never wiped."""


@dataclass(frozen=True)
class DemoSummary:
    templates: dict[str, Path]
    inbox_files: int


def build_demo(settings: Settings) -> DemoSummary:
    _fresh(settings)
    reference = load_reference()
    write_sample_registry(settings.registry_path, reference)
    registry = load_registry(settings.registry_path, reference)
    templates = {}
    count = 0
    for code in PERIODS:
        period = parse_period(code)
        folder = settings.templates_dir(code)
        write_templates(registry, reference, period, folder, settings.signing_key)
        templates[code] = folder
        due = registry.periods.set_index("period")["due_date"][code]
        for index, district in enumerate(reference.districts["code"]):
            if district in MISSING[code]:
                continue
            received = datetime(due.year, due.month, due.day, 9, tzinfo=UTC) - timedelta(
                days=-3 if district in LATE[code] else 10, minutes=37 * index)
            mistake = MISTAKES[code].get(district)
            count += _send(settings, registry, period, folder, district, mistake, received)
    return DemoSummary(templates, count)


def _fresh(settings: Settings) -> None:
    """The workspace emptied, unless it is not a demo's or a run holds it (LockHeld): wiped
    from under a nightly run, it failed and left outputs of a warehouse that was gone."""
    workspace = settings.workspace
    if workspace.exists() and not workspace.is_dir():
        raise NotADemoWorkspace(f"{workspace} is a file, not a folder")
    if workspace.exists() and any(workspace.iterdir()):
        if not (workspace / MARKER).exists():
            raise NotADemoWorkspace(f"{workspace} is not empty and is not a demo workspace")
        held = workspace_lock(settings) if settings.registry_path.exists() else nullcontext()
        with held:
            shutil.rmtree(workspace)
    try:
        workspace.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:  # a file on the way to it
        raise NotADemoWorkspace(f"{workspace} cannot be a folder: {err.strerror}") from err
    (workspace / MARKER).write_text("built by `python run_pipeline.py demo`\n", encoding="utf-8")


def _honest(registry, period, folder: Path, district: str) -> ClerkWorkbook:
    clerk = ClerkWorkbook(template_path(folder, district))
    for kr in registry.assigned(district).itertuples():
        clerk.fill(kr.kr_code, honest_entry(kr, district, period))
    return clerk.date_figures(_as_typed(period.end, district))


def _as_typed(day: date, district: str) -> object:
    """Most clerks type a date Excel recognises; some type it as Thai text, in BE."""
    if int(district) % 7 == 0:
        return f"{day.day}/{day.month}/{day.year + BE_OFFSET}"
    return datetime(day.year, day.month, day.day)


def _send(settings, registry, period, folder, district, mistake, received) -> int:
    """Puts the district's file(s) in its inbox folder; returns how many."""
    inbox = settings.inbox / district
    name = f"OKR_{district}_{period.code}.xlsx"
    clerk = _honest(registry, period, folder, district)
    krs = registry.assigned(district).set_index("kr_code")
    counts = krs[krs["kr_type"] == "count"].index
    if mistake == "thai_digits_as_text":
        kr = max(counts, key=lambda code: clerk.value(code, "actual"))
        clerk.type(kr, "actual", _thai_digits(f"{clerk.value(kr, 'actual'):,}"))
    elif mistake == "status_typed":
        clerk.type(counts[1], "status", "On track").type(counts[2], "status", "at risk ")
        clerk.type(counts[2], "note", "รอผู้รับจ้างเข้าพื้นที่")
    elif mistake == "blank_actual":
        clerk.type(counts[3], "actual", None).type(counts[3], "note", None)
    elif mistake == "no_note_when_at_risk":
        clerk.type(counts[0], "status", "มีความเสี่ยง").type(counts[0], "note", None)
    elif mistake == "wrong_district":
        # the clerk sends a draft of a neighbour's file from their own folder
        neighbour = f"{int(district) - 1}"
        clerk = _honest(registry, period, folder, neighbour)
        clerk.type(clerk.kr_codes[0], "note", "ฉบับร่าง (draft)")
        name = f"OKR_{neighbour}_{period.code}.xlsx"
    elif mistake in ("wrong_figure_then_corrected", "rejected_then_corrected"):
        kr = counts[0]
        first = _honest(registry, period, folder, district)
        if mistake == "wrong_figure_then_corrected":
            first.type(kr, "actual", clerk.value(kr, "actual") * 10)
        else:
            first.type(kr, "actual", "ยังไม่ได้รับรายงาน")
        _save(first, inbox / f"OKR_{district}_{period.code}_v1.xlsx", received - timedelta(days=3))
        _save(clerk, inbox / f"OKR_{district}_{period.code}_v2_แก้ไข.xlsx", received)
        return 2
    _save(clerk, inbox / name, received)
    return 1


def _save(clerk: ClerkWorkbook, path: Path, received: datetime) -> None:
    clerk.save(path)
    stamp = received.timestamp()
    os.utime(path, (stamp, stamp))


def _thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
