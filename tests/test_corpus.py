"""Every real spreadsheet of the shared corpus (398 files written by other tools, described in
its manifest.csv) is read or refused with a clear problem: none crashes, none hangs.

None of them is a template, so a file the reader can open is refused as metadata-missing; the
manifest says which ones calamine could not open (corrupt, fuzzed, not a spreadsheet) or
which are encrypted. The whole corpus is read once, by read_all, as a nightly run would.
"""

import csv
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.read import read_all
from pipeline.runner import run
from pipeline.settings import Limits
from pipeline.values import Arrival
from schemas.rules import ERROR, RULES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realworld"
MANIFEST = CORPUS / "manifest.csv"
ROWS = list(csv.DictReader(MANIFEST.open(encoding="utf-8"))) if MANIFEST.exists() else []
BOUND_SECONDS = 60

# Where this reader does better than the manifest's probe (calamine.from_path, every sheet).
BETTER_THAN_PROBED = {
    # FILEPASS found in the workbook stream: calamine misreads XOR-obfuscated records
    "apache-poi/xor-encryption-abc.xls": "file-encrypted",
    "sheetjs-test_files/password_2002_40_xor.xls": "file-encrypted",
    "apache-poi/clusterfuzz-testcase-minimized-POIHSSFFuzzer-4651309315719168.xls":
        "file-encrypted",
    # calamine fails on a sheet the reader never opens: there is no _meta sheet to go on with
    "apache-poi/poc-shared-strings.xlsx": "metadata-missing",
    "calamine/any_sheets.xlsb": "metadata-missing",
}


def expected_code(row: dict) -> str:
    if row["path"] in BETTER_THAN_PROBED:
        return BETTER_THAN_PROBED[row["path"]]
    if row["calamine_ok"] == "yes":
        return "metadata-missing"
    if row["calamine_error"].endswith("PasswordError"):
        return "file-encrypted"
    return "not-a-spreadsheet"


@pytest.fixture(scope="module")
def corpus_read() -> tuple[dict, float]:
    if not ROWS:
        pytest.skip("the shared corpus is not beside this checkout")
    arrivals = [Arrival(CORPUS / row["path"], "1001", Path(row["path"]).name, row["sha256"],
                        int(row["size_bytes"]), datetime(2026, 4, 1, tzinfo=UTC))
                for row in ROWS]
    started = time.monotonic()
    raws = read_all(arrivals, Limits())
    seconds = time.monotonic() - started
    return {row["path"]: raw for row, raw in zip(ROWS, raws, strict=True)}, seconds


def test_the_whole_corpus_reads_within_a_bound_and_every_file_gets_an_outcome(corpus_read):
    raws, seconds = corpus_read
    assert seconds < BOUND_SECONDS
    assert set(raws) == {row["path"] for row in ROWS}
    assert all(raw.arrival.path == CORPUS / path for path, raw in raws.items())


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
def test_a_corpus_file_is_read_or_refused_with_a_clear_problem(corpus_read, row):
    raw = corpus_read[0][row["path"]]
    assert raw.problems
    assert all(p.code in RULES and p.severity == ERROR and p.message_th for p in raw.problems)
    assert [p.code for p in raw.problems] == [expected_code(row)], row["notes"]


def test_a_nightly_run_over_corpus_files_quarantines_each_and_keeps_going(workspace):
    """One file of each format and outcome goes through the whole run: none stops it."""
    if not ROWS:
        pytest.skip("the shared corpus is not beside this checkout")
    picked = {}
    for row in ROWS:
        picked.setdefault((row["format"].split()[0], expected_code(row)), row)
    for row in picked.values():
        workspace.drop(CORPUS / row["path"], "1001", Path(row["path"]).name)
    workspace.send(workspace.clerk("1002"), "1002", "OKR_1002.xlsx")
    report = run(workspace.settings)
    outcomes = {f["name"]: (f["outcome"], [p["code"] for p in f["problems"]])
                for f in report.files}
    assert outcomes.pop("OKR_1002.xlsx")[0] == "accepted"
    assert {name: outcome for name, outcome in outcomes.items()} == {
        Path(row["path"]).name: ("rejected", [expected_code(row)]) for row in picked.values()}
    assert [p for p in workspace.settings.inbox.rglob("*") if p.is_file()] == []
    assert len(list(workspace.settings.quarantine.rglob("*.*"))) == len(picked)
