"""The run report: what happened to every file, who is missing, what was written; as JSON."""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.atomic import write_bytes
from pipeline.respond import Response
from pipeline.values import Arrival, Verdict

OUTCOMES = ("accepted", "rejected", "duplicate", "left")


@dataclass
class RunReport:
    run_id: str
    started_at: datetime
    registry_version: str = ""
    finished_at: datetime | None = None
    # Each file's entry as the JSON it is written as: kept as dicts, a year's entries are a
    # hundred thousand small objects, pickled back from the ingest's process and then held
    # by the run through the roll-ups, whose writers it forks.
    _entries: list[str] = field(default_factory=list, init=False, repr=False)
    # an outcome (OUTCOMES) → files: tallied as entries come, not decoded to count them
    _outcomes: Counter[str] = field(default_factory=Counter, init=False, repr=False)
    missing: dict[str, list[dict]] = field(default_factory=dict)  # period → districts
    late: dict[str, list[dict]] = field(default_factory=dict)  # period → accepted after due
    # period → its due date (ISO), for a period past due that no file was sent for
    unsent: dict[str, str] = field(default_factory=dict)
    completeness: dict[str, list[dict]] = field(default_factory=dict)  # period → rates by area
    rollups: dict[str, list[str]] = field(default_factory=dict)  # period → its workbooks
    rewritten: dict[str, list[str]] = field(default_factory=dict)  # period → those written now
    public: dict[str, list[str]] = field(default_factory=dict)  # period → open data, dashboard
    seconds: dict[str, float] = field(default_factory=dict)  # stage → wall time
    # the runs before this one that never finished, with the files they stored
    # (pipeline.store.unfinished_runs): no report of theirs lists them
    unfinished: list[dict] = field(default_factory=list)

    def add_verdict(self, verdict: Verdict, kept: str, response: Response,
                    outputs: Path) -> None:
        feedback = response.feedback_path
        self._add({
            **_arrival(verdict.arrival),
            "outcome": "accepted" if verdict.accepted else "rejected",
            "district_code": verdict.district_code,
            "period": verdict.period,
            "kept": kept,
            "facts": 0 if verdict.facts is None else len(verdict.facts),
            "problems": [p.__dict__ for p in verdict.problems],
            "receipt": response.receipt,
            "receipt_path": str(response.receipt_path.relative_to(outputs)),
            "feedback_path": str(feedback.relative_to(outputs)) if feedback else None,
            "changed": response.changed,
        })

    def adopt(self, copy: "RunReport") -> None:
        """What a copy of this report, forked with the ingest's process, holds once it is done:
        its files, and its stages' times (this one's among them, as the copy began with them),
        put in this one's dict in place (the run log holds that dict)."""
        self._entries = copy._entries
        self._outcomes = copy._outcomes
        self.seconds.update(copy.seconds)

    def add_duplicate(self, arrival: Arrival, receipt: Path | None, outputs: Path,
                      earlier: dict | None) -> None:
        """`earlier`: the submission the file repeats (store.earlier_submissions), if any."""
        repeats = None if earlier is None else {
            "name": earlier["original_name"], "folder": earlier["inbox_folder"],
            "received_at": earlier["received_at"].replace(tzinfo=UTC).isoformat(),
            "status": earlier["status"]}
        self._add({**_arrival(arrival), "outcome": "duplicate", "problems": [],
                   "period": earlier and earlier["period"], "repeats": repeats,
                   "receipt_path": str(receipt.relative_to(outputs)) if receipt else None})

    def add_left(self, arrival: Arrival, why: str) -> None:
        """A file left in the inbox for the next run (pipeline.runner._kept says why)."""
        self._add({**_arrival(arrival), "outcome": "left", "problems": [], "left_because": why})

    def _add(self, entry: dict) -> None:
        self._entries.append(json.dumps(entry, ensure_ascii=False, default=str))
        self._outcomes[entry["outcome"]] += 1

    @property
    def files(self) -> list[dict]:
        """What happened to each file, in the order the run took them."""
        return [json.loads(entry) for entry in self._entries]

    def count(self, outcome: str) -> int:
        return self._outcomes[outcome]

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "registry_version": self.registry_version,
            "totals": {o: self.count(o) for o in OUTCOMES},
            "files": self.files,
            "missing": self.missing,
            "late": self.late,
            "unsent": self.unsent,
            "completeness": self.completeness,
            "rollups": self.rollups,
            "rewritten": self.rewritten,
            "public": self.public,
            "seconds": self.seconds,
            "unfinished_runs": self.unfinished,
        }

    def write(self, runs_dir: Path) -> Path:
        path = runs_dir / f"{self.run_id}.json"
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=2, default=str)
        write_bytes(path, text.encode("utf-8"))
        return path


def _arrival(arrival: Arrival) -> dict:
    return {"folder": arrival.folder, "name": arrival.name, "sha256": arrival.sha256,
            "size_bytes": arrival.size, "received_at": arrival.received_at.isoformat()}
