"""Golden roll-ups: every sheet of the demo's 2569-Q2 roll-ups (written with 2569-Q1 as the
earlier period), read back as a reader that evaluates nothing sees it, equals the reviewed
text in tests/golden/2569-Q2/, so that a change in scoring or layout shows as a diff.

After a deliberate change: `UPDATE_GOLDEN=1 pytest tests/test_golden_rollups.py`, then review
the diff of tests/golden/ before committing it."""

import csv
import io
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.settings import Settings
from tests.rollup_books import build_rollups, write_with_history

GOLDEN = Path(__file__).parent / "golden" / "2569-Q2"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
TEXT = 30


@pytest.fixture(scope="module")
def books(demo_workspace, registry, reference, tmp_path_factory):
    built = build_rollups(Settings(workspace=demo_workspace), registry, reference)
    return write_with_history(built, "2569-Q2", tmp_path_factory.mktemp("golden") / "2569-Q2")


def as_text(path: Path) -> str:
    """sheet, row (1-based), then the row's cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sheet", "row", "cells…"])
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for number, row in enumerate(book.get_sheet_by_name(name).to_python(), start=1):
            cells = [_cell(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                writer.writerow([name, number, *cells])
    return out.getvalue()


def _cell(value) -> str:
    """Figures in full; long texts (KR names, notes) by their start, which names them."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        return format(value, ".6g")
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= TEXT else text[:TEXT] + "…"


def test_golden_files_cover_the_16_rollups(books):
    names = sorted(f"{p.stem}.csv" for p in books)
    assert len(names) == 16
    if not UPDATE:
        assert sorted(p.name for p in GOLDEN.glob("*.csv")) == names


@pytest.mark.parametrize("name", [f"dimension-{d}" for d in range(1, 10)]
                         + [f"group-0{g}" for g in range(1, 7)] + ["committee"])
def test_rollup_sheets_match_the_reviewed_golden_text(books, name):
    (path,) = [p for p in books if p.stem == name]
    actual = as_text(path)
    golden = GOLDEN / f"{name}.csv"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8").splitlines()
    got = actual.splitlines()
    differing = [(i + 1, e, g) for i, (e, g) in enumerate(zip(expected, got, strict=False))
                 if e != g]
    assert not differing, "first differing lines (line, golden, now):\n" + "\n".join(
        f"{i}\n  - {e}\n  + {g}" for i, e, g in differing[:5])
    assert len(got) == len(expected)
