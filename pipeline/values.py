"""The plain values stages hand each other."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pipeline.problems import Problem
from schemas import template_layout as layout


@dataclass(frozen=True)
class Arrival:
    """A file found in the inbox, before anything is read from it."""

    path: Path
    folder: str | None  # the inbox folder it came in: the district that sent it (None: `check`)
    name: str
    sha256: str
    size: int
    received_at: datetime


@dataclass(frozen=True)
class RawWorkbook:
    """What was read from a submission: its metadata and its data rows, cells as typed."""

    arrival: Arrival
    metadata: dict[str, str] = field(default_factory=dict)
    sheet: str = ""
    # kr_code and each input → its cells, row by row (plain lists: they cross from the reader
    # processes, and a frame costs more to pickle than to build); None when not read
    data: dict[str, list] | None = None
    row_numbers: list[int] = field(default_factory=list)  # each row's Excel row number
    cells: dict[str, str] = field(default_factory=dict)  # the keys of data → column letter
    problems: tuple[Problem, ...] = ()
    as_of: object = None  # the "data as of" cell, as typed
    as_of_cell: str = layout.AS_OF_CELL  # where it was found


@dataclass(frozen=True)
class Verdict:
    """One submission, judged: accepted (with its facts) or rejected, and every problem found."""

    arrival: Arrival
    district_code: str
    period: str
    registry_version: str
    problems: tuple[Problem, ...]
    facts: pd.DataFrame | None  # None when rejected
    as_of: date | None = None  # the date the clerk's figures stand at
    checked_against: str | None = None  # the registry version in force for the period
    on_time: bool | None = None  # received by the period's due date (Bangkok); None: rejected

    @property
    def accepted(self) -> bool:
        return self.facts is not None

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)
