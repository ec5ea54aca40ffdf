"""Verdicts → what each clerk gets back beside their file: a receipt for every submission, and
their own workbook annotated when it was rejected or accepted with warnings.

Receipts are written before the run stores anything, to paths that depend only on the
submission, so a run killed half-way writes the same ones again on the next run. The annotated
workbooks (up to a second each: openpyxl opens and saves the clerk's file) are written after
the store, from the kept copy and the problems stored with it; the warehouse keeps them owed
until they are (pipeline.store.owed_feedback).
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import writers
from pipeline.atomic import each_in_threads, write_bytes
from pipeline.feedback import write_feedback
from pipeline.file_names import NAME_BYTES, fitted
from pipeline.periods import PeriodError, parse_period
from pipeline.problems import Problem
from pipeline.receipt import changes, duplicate_text, receipt_text
from pipeline.reference import Reference
from pipeline.values import Arrival, Verdict
from schemas.rules import WARNING

_RECEIPT, _FEEDBACK = ".receipt.md", ".feedback.xlsx"
_DISTRICT = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Response:
    receipt: str
    receipt_path: Path
    feedback_path: Path | None  # the annotated workbook owed; None: none is
    changed: list[dict]
    # None, or where an earlier file of the same name had its annotated workbook: a file that
    # needs none removes it, or its clerk would read "fix the red cells" beside "accepted"
    stale_feedback: Path | None = None


def _answers(root: Path, period: str, folder: str | None, district: str) -> Path:
    """Beside the folder the file came in, where its clerk looks: a file of another district
    sent by mistake is answered to the district that sent it, not to the one it names (whose
    own file's receipt of the same name it would replace). A file checked outside the inbox
    (`check`), or dropped at its top, is answered to the district it names. The period and
    district a file names come from its hidden metadata, which a hand edit can make anything
    ("../", a name too long for the disk): they name a folder only when they are codes."""
    try:
        period = parse_period(period).code
    except PeriodError:
        period = "_no-period"
    district = district if _DISTRICT.fullmatch(district or "") else "_no-district"
    return root / period / (folder or district)


def _receipt(folder: Path, name: str) -> Path:
    return folder / f"{fitted(name, NAME_BYTES - len(_FEEDBACK))}{_RECEIPT}"


def _workbook(receipt: Path) -> Path:
    return receipt.with_name(receipt.name[:-len(_RECEIPT)] + _FEEDBACK)


def respond_duplicate(arrival: Arrival, earlier: dict | None, root: Path) -> Path | None:
    """The receipt of a file already judged (`earlier`: store.earlier_submissions), written
    under `root` (Settings.answers); None when there is nothing new to say: the same file
    sent again under its name in its folder, whose receipt still says it (a later file of the
    name may have replaced it: "rejected" stood while this file's figures were in force), or
    its first copy left for the next run (it changed)."""
    if earlier is None:
        return None
    path = _receipt(_answers(root, earlier["period"], arrival.folder, earlier["district_code"]),
                    arrival.name)
    own = _receipt(_answers(root, earlier["period"], earlier["inbox_folder"],
                            earlier["district_code"]), earlier["original_name"])
    if path == own and path.is_file() and arrival.sha256 in path.read_text(encoding="utf-8"):
        return None
    write_bytes(path, duplicate_text(arrival, earlier).encode("utf-8"))
    return path


def respond(verdicts: list[Verdict], current: pd.DataFrame, reference: Reference,
            root: Path, checked: bool = False) -> list[Response]:
    """Writes the receipts under `root` (Settings.answers, or Settings.dry_run_answers for
    `check`, `checked`); a response's `feedback_path` names the annotated workbook its
    submission is owed (see annotate). `current` holds the current facts before these
    verdicts (district_code, period, kr_code, actual); verdicts come in the order they were
    received."""
    names = reference.districts.set_index("code")["name_th"]
    latest = {key: frame for key, frame in current.groupby(["district_code", "period"])}
    responses, receipts = [], {}
    for verdict in verdicts:
        key = (verdict.district_code, verdict.period)
        changed = changes(latest.get(key), verdict.facts) if verdict.accepted else []
        if verdict.accepted:
            latest[key] = verdict.facts
        folder = _answers(root, verdict.period, verdict.arrival.folder, verdict.district_code)
        text = receipt_text(verdict, names.get(verdict.district_code, ""), changed, checked)
        receipt_path = _receipt(folder, verdict.arrival.name)
        receipts[receipt_path] = text.encode("utf-8")  # a file sent twice: the last one's
        workbook = _workbook(receipt_path)
        if not verdict.accepted or verdict.count(WARNING):
            responses.append(Response(text, receipt_path, workbook, changed))
        else:
            responses.append(Response(text, receipt_path, None, changed, workbook))
    list(each_in_threads(lambda receipt: write_bytes(*receipt), list(receipts.items())))
    return responses


def stale_feedback(verdicts: list[Verdict], responses: list[Response],
                   earlier: Sequence[dict] = (), root: Path | None = None) -> set[Path]:
    """The annotated workbooks no longer owed: the last file of their name needs none, or a
    later file of their district and period, answered in their folder, was accepted (its
    figures are in force: "fix the red cells" of an earlier file would stand beside its
    "accepted"). `earlier`: the files stored before these (store.sent_for), answered under
    `root`. The caller removes them, the nightly job once the warehouse owes them no more."""
    owed, sent = {}, {}
    for submission in earlier:
        folder = _answers(root, submission["period"], submission["inbox_folder"],
                          submission["district_code"])
        key = (folder, submission["district_code"], submission["period"])
        sent.setdefault(key, set()).add(_workbook(_receipt(folder, submission["original_name"])))
    for verdict, response in zip(verdicts, responses, strict=True):
        key = (response.receipt_path.parent, verdict.district_code, verdict.period)
        if verdict.accepted:
            owed.update(dict.fromkeys(sent.get(key, ()), False))
        path = response.feedback_path or response.stale_feedback
        owed[path] = response.feedback_path is not None
        sent.setdefault(key, set()).add(path)
    return {path for path, is_owed in owed.items() if not is_owed}


def annotate(jobs: list[tuple[Path, Sequence[Problem], Path]]) -> None:
    """Each (clerk's file, its problems, feedback path): the annotated workbook written."""
    start_annotating(jobs)()


def start_annotating(jobs: list[tuple[Path, Sequence[Problem], Path]]
                     ) -> Callable[[], object]:
    """Hands the workbooks to writer processes, two when there are several, and returns at
    once; calling what it returns waits until they are written."""
    return writers.start(_annotate_all, writers.deal(jobs, _cost))


def _cost(job: tuple[Path, Sequence[Problem], Path]) -> float:
    """Opening and saving the clerk's file takes about as long as marking 500 problems in it
    (0.135 s, and 0.26 ms a problem, on the benchmark's workbooks)."""
    return 1 + len(job[1]) / 500


def _annotate_all(jobs: list[tuple[Path, Sequence[Problem], Path]]) -> None:
    for job in jobs:
        write_feedback(*job)
