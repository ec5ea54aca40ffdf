"""The plain values stages hand each other."""

import pickle
from collections.abc import Iterator, Mapping
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
    # when it came: its modification time, but never before the last run that finished
    # without finding it (pipeline.runner._received)
    received_at: datetime
    # when a run first found it in the inbox (store.first_seen): a file left there for a
    # later run keeps its place before the files that came after it; None for `check`
    first_seen: datetime | None = None
    saved_at: datetime | None = None  # its modification time: the order of one night's files


class Cells(Mapping):
    """A submission's data cells: kr_code and each input → its cells, row by row (plain lists,
    cheaper to pickle than a frame). Pickled, they cross from the reader processes as one bytes
    object and stay so until read: the run holds a year's cells as a few hundred objects, not a
    million and a half, and the workers that judge them (pipeline.validate), forked from it,
    touch only their share (a forked process copies each page whose objects it touches, if only
    to count a reference)."""

    __slots__ = ("_columns", "_packed")

    def __init__(self, columns: dict[str, list]):
        self._columns: dict[str, list] | None = columns
        self._packed: bytes | None = None

    @classmethod
    def _unpickled(cls, packed: bytes) -> "Cells":
        cells = cls({})
        cells._columns, cells._packed = None, packed
        return cells

    def __reduce__(self):
        return Cells._unpickled, (self._packed or pickle.dumps(self._columns,
                                                               pickle.HIGHEST_PROTOCOL),)

    def unpacked(self) -> dict[str, list]:
        """The columns, unpacked anew each time if packed: not kept, so that a process holds
        only the cells it is reading."""
        return self._columns if self._columns is not None else pickle.loads(self._packed)

    def __getitem__(self, key: str) -> list:
        return self.unpacked()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.unpacked())

    def __len__(self) -> int:
        return len(self.unpacked())


@dataclass(frozen=True)
class RawWorkbook:
    """What was read from a submission: its metadata and its data rows, cells as typed."""

    arrival: Arrival
    metadata: dict[str, str] = field(default_factory=dict)
    sheet: str = ""
    data: Cells | None = None  # None when not read
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
    due_date: date | None = None  # the period's due date, when a registry lists the period

    @property
    def accepted(self) -> bool:
        return self.facts is not None

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)
