"""DESIGN.md's invariant 3: a run killed with SIGKILL at any point, then run again, leaves the
same warehouse and the same outputs as a run never interrupted — nothing lost, nothing
doubled, no half-written file (issue 4, point 7).

Each case copies one prepared workspace, kills a real subprocess at one point (before, during
and after each stage, inside the warehouse transaction, while a roll-up is being written, or
after a random delay), reruns the job to completion, and compares with the clean run.
"""

import json
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from pipeline.runner import run
from pipeline.settings import Settings
from tests.builders import Workspace
from tests.crashing import NOT_REACHED
from tests.running import ROOT, crash, file_hashes, run_cli

SIGKILLED = -9
POINTS = [
    "pipeline.runner/discover:before:1",  # before the first stage
    "pipeline.runner/read_all:after:1",
    "pipeline.runner/judge:after:1",
    "pipeline.keep/keep:after:2",  # some files kept, not all
    "pipeline.atomic/_fsync:after:2",  # a kept copy synced, not yet renamed into place
    "pipeline.runner/respond:after:1",  # receipts written, nothing stored
    "pipeline.store/insert:after:1:submissions",  # inside the warehouse transaction
    "pipeline.store/insert:after:1:facts",  # inside the transaction, just before COMMIT
    "pipeline.store/record:after:1",  # committed, inbox not yet released
    "pipeline.keep/release:after:2",  # part of the inbox released
    "pipeline.runner/start_annotating:before:1",  # stored and released, the feedback workbooks owed
    "pipeline.store/feedback_written:before:1",  # feedback written, still owed
    "pipeline.store/replace_scores:after:1",  # scores stored, roll-ups not written
    "pipeline.writers/_Writer.result:after:1",  # a writer's books done, the other's not
    "pipeline.runner/start_rollups:after:1",  # a period's books being written
    "pipeline.writers/_Writer.result:after:3",  # in the second period's books
    "pipeline.runner/write_dashboard:after:1",
    "pipeline.freshness/save:after:1",  # one period finished, the other not
    "pipeline.report/RunReport.write:before:1",  # everything done but the run report
]
RANDOM_KILLS = 3


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, sample_registry_path, registry, reference, template_root):
    """An inbox as a night brings it: two periods, a rejection, a correction, a duplicate."""
    root = tmp_path_factory.mktemp("crash") / "pristine"
    root.mkdir()
    shutil.copyfile(sample_registry_path, root / "registry.xlsx")
    ws = Workspace(root, registry, reference, template_root)
    ws.send(ws.clerk("1001", "2569-Q1"), "1001")
    ws.send(ws.clerk("1002", "2569-Q1").type("KR-1-01", "actual", "ไม่ทราบ"), "1002")
    first = ws.send(ws.clerk("1001"), "1001", "ผลไตรมาส2.xlsx")
    ws.send(ws.clerk("1003"), "1003")
    ws.send(ws.clerk("1001").type("KR-1-02", "actual", 77), "1001", "ผลไตรมาส2_แก้ไข.xlsx")
    ws.drop(first, "1001", "ผลไตรมาส2 (1).xlsx")
    return root


@pytest.fixture(scope="module")
def clean(prepared, tmp_path_factory):
    """The same night, never interrupted."""
    root = tmp_path_factory.mktemp("clean") / "ws"
    shutil.copytree(prepared, root)
    run(Settings(workspace=root))
    return _state(root)


def _state(root: Path) -> dict:
    settings = Settings(workspace=root)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        # the runs, and when each file was first found (the killed run's start): times
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE table_name NOT IN ('runs', 'inbox_seen')").fetchall()]
        content = {t: sorted(map(repr, con.execute(
            f"SELECT * {'EXCLUDE (run_id)' if t == 'submissions' else ''} FROM {t}").fetchall()))
            for t in tables}
    finally:
        con.close()
    return {"warehouse": content, "outputs": file_hashes(settings.outputs),
            "inbox": sorted(p.name for p in settings.inbox.rglob("*") if p.is_file())}


def _differences(state: dict, clean: dict) -> list[str]:
    """What differs, named: a table, a file, the inbox."""
    found = [f"table {t}" for t in clean["warehouse"]
             if state["warehouse"].get(t) != clean["warehouse"][t]]
    files = set(state["outputs"]) | set(clean["outputs"])
    found += [f"file {f}" for f in sorted(files)
              if state["outputs"].get(f) != clean["outputs"].get(f)]
    return found + (["inbox"] if state["inbox"] != clean["inbox"] else [])


def _unfinished(root: Path) -> list[tuple]:
    con = duckdb.connect(str(Settings(workspace=root).warehouse_path), read_only=True)
    try:
        return con.execute("SELECT run_id FROM runs WHERE finished_at IS NULL").fetchall()
    finally:
        con.close()


def _case(prepared: Path, root: Path, point: str | float) -> dict:
    """Kills a run at a point (or after a delay in seconds), reruns it, and says what is left."""
    shutil.copytree(prepared, root)
    if isinstance(point, str):
        killed = crash(root, point).returncode
    else:
        process = subprocess.Popen([sys.executable, str(ROOT / "run_pipeline.py"), "run",
                                    "--workspace", str(root)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(point)
        process.kill()
        killed = process.wait()
    rerun = run_cli("run", "--workspace", str(root)).returncode
    return {"killed": killed, "rerun": rerun, "state": _state(root),
            "unfinished": len(_unfinished(root))}


@pytest.fixture(scope="module")
def outcomes(prepared, clean, tmp_path_factory) -> dict:
    """Every case, two at a time: each is a pair of real processes, one core each."""
    delays = [random.Random(seed).uniform(1.0, 10.0) for seed in range(RANDOM_KILLS)]
    base = tmp_path_factory.mktemp("killed")
    cases = {point: base / f"case{i}" for i, point in enumerate([*POINTS, *delays])}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {point: pool.submit(_case, prepared, root, point)
                   for point, root in cases.items()}
        return {point: future.result() for point, future in futures.items()}


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_a_point_then_rerun_ends_as_an_uninterrupted_run(
        point, outcomes, clean):
    outcome = outcomes[point]
    assert (outcome["killed"], outcome["rerun"]) == (SIGKILLED, 0)
    assert _differences(outcome["state"], clean) == []
    assert outcome["unfinished"] == 1  # the killed run is on record as not finished


@pytest.mark.parametrize("seed", range(RANDOM_KILLS))
def test_a_run_killed_at_a_random_moment_then_rerun_ends_as_an_uninterrupted_run(
        seed, outcomes, clean):
    delay = random.Random(seed).uniform(1.0, 10.0)
    outcome = outcomes[delay]
    assert outcome["rerun"] == 0
    assert _differences(outcome["state"], clean) == []


def test_the_point_list_reaches_every_point(prepared, tmp_path):
    """A point the run never reaches would test nothing: the harness says so (exit 99)."""
    root = tmp_path / "ws"
    shutil.copytree(prepared, root)
    assert crash(root, "pipeline.keep/keep:after:999").returncode == NOT_REACHED


def test_the_rerun_of_a_killed_run_lists_the_files_the_killed_run_stored(prepared, tmp_path):
    """The killed run wrote no report, and its rerun finds the files it stored already judged,
    so no report said what became of them: the rerun's report and summary do, once."""
    root = tmp_path / "ws"
    shutil.copytree(prepared, root)
    assert crash(root, "pipeline.store/record:after:1").returncode == SIGKILLED
    ((killed,),) = _unfinished(root)
    rerun = run_cli("run", "--workspace", str(root))
    assert rerun.returncode == 0, rerun.stderr
    assert (f"run {killed} did not finish; it had stored 5 files (listed in this run's report, "
            "under unfinished_runs)") in rerun.stdout
    (listed,) = _latest_report(root)["unfinished_runs"]
    assert listed["run_id"] == killed
    assert [(f["folder"], f["name"], f["district_code"], f["period"], f["outcome"])
            for f in listed["files"]] == [
        ("1001", "report_1.xlsx", "1001", "2569-Q1", "accepted"),
        ("1002", "report_2.xlsx", "1002", "2569-Q1", "rejected"),
        ("1001", "ผลไตรมาส2.xlsx", "1001", "2569-Q2", "accepted"),
        ("1003", "report_4.xlsx", "1003", "2569-Q2", "accepted"),
        ("1001", "ผลไตรมาส2_แก้ไข.xlsx", "1001", "2569-Q2", "accepted")]
    # why the rejected file was rejected: no report of the killed run says it
    assert {(p["code"], p["severity"]) for p in listed["files"][1]["problems"]} == {
        ("not-a-number", "error")}
    attention = rerun.stdout.split("files rejected, already seen")[1].split("สรุปการประมวลผล")[0]
    assert attention.count("report_2.xlsx") == 1 and "[not-a-number]" in attention
    again = run_cli("run", "--workspace", str(root))
    assert again.returncode == 0, again.stderr
    assert _latest_report(root)["unfinished_runs"] == []
    assert "did not finish" not in again.stdout


def test_a_run_killed_before_it_stored_anything_is_not_said_to_have_stored_nothing(
        prepared, tmp_path):
    """"It had stored 0 files", in yellow: the rerun did its work again, and lost nothing."""
    root = tmp_path / "ws"
    shutil.copytree(prepared, root)
    assert crash(root, "pipeline.runner/judge:after:1").returncode == SIGKILLED
    rerun = run_cli("run", "--workspace", str(root))
    assert rerun.returncode == 0, rerun.stderr
    (listed,) = _latest_report(root)["unfinished_runs"]  # on record all the same
    assert listed["files"] == []
    assert "did not finish" not in rerun.stdout


def test_a_run_killed_once_its_report_was_written_is_not_said_to_have_lost_it(prepared,
                                                                             tmp_path):
    """Its report lists its files already: the run after it does not list them again."""
    root = tmp_path / "ws"
    shutil.copytree(prepared, root)
    assert crash(root, "pipeline.report/RunReport.write:after:1").returncode == SIGKILLED
    assert len(_unfinished(root)) == 1
    rerun = run_cli("run", "--workspace", str(root))
    assert rerun.returncode == 0, rerun.stderr
    assert _latest_report(root)["unfinished_runs"] == []
    assert "did not finish" not in rerun.stdout


def _latest_report(root: Path) -> dict:
    """The last run's report: a run's id begins with the time it started."""
    path = sorted(Settings(workspace=root).runs.glob("*.json"))[-1]
    return json.loads(path.read_text(encoding="utf-8"))
