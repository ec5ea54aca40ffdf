"""One measured step in a fresh process: `python -m bench.step NAME ARGS.json OUT.json`.

Imports happen before the clock starts: a step's time is the work, not Python's start-up.
The parent (bench.run) takes the process's own peak RSS from os.wait4.
"""

import json
import resource
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench import naive
from bench.measure import measured, tree_cpu


def _with_stage_cpu(runlog, records: Path) -> None:
    """Makes the run log's stage clock also note, in whichever process the stage runs (the
    ingest's stages run in a child of the run), the stage's CPU time (that process's tree), that
    process's peak RSS when the stage ends (the stage where it jumps is the one that set the
    peak), and when the stage began and ended: (time.perf_counter, tree CPU seconds). A line of
    `records` each, read back by _stage_records."""
    original = runlog.RunLog.stage

    @contextmanager
    def timed(self, name: str, total: int = 0):
        began = (time.perf_counter(), tree_cpu())
        with original(self, name, total) as advance:
            yield advance
        ended = (time.perf_counter(), tree_cpu())
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with records.open("a", encoding="utf-8") as out:
            out.write(json.dumps([name, began, ended, maxrss]) + "\n")

    runlog.RunLog.stage = timed


def _stage_records(records: Path) -> tuple[dict, dict, dict]:
    """Each stage's CPU seconds (summed over its runs), peak RSS, and when it first began."""
    cpu: dict[str, float] = {}
    maxrss: dict[str, float] = {}
    began: dict[str, tuple[float, float]] = {}
    lines = records.read_text(encoding="utf-8").splitlines() if records.exists() else []
    for name, start, end, peak in map(json.loads, lines):
        cpu[name] = cpu.get(name, 0.0) + end[1] - start[1]
        maxrss[name] = max(maxrss.get(name, 0.0), peak)
        began.setdefault(name, tuple(start))
    return cpu, maxrss, began


def run(args: dict) -> dict:
    """cold, noop, resubmit: the nightly run on a workspace, as the strategy office runs it."""
    from pipeline import runlog, runner, store  # only here: the baselines do not need it
    from pipeline.settings import Settings

    workspace = Path(args["workspace"])
    if args.get("add"):  # the resubmitted file lands in the inbox before the run
        source = Path(args["add"])
        target = workspace / "inbox" / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    records = Path(tempfile.mkdtemp()) / "stages.jsonl"
    if args.get("stage_cpu"):
        _with_stage_cpu(runlog, records)
    settings = Settings(workspace=workspace)
    started = (time.perf_counter(), tree_cpu())
    with measured() as sample:
        report = runner.run(settings)
    stage_cpu, stage_maxrss, began = _stage_records(records)
    shutil.rmtree(records.parent)
    con = store.connect(settings.warehouse_path, read_only=True)
    try:
        facts = con.execute("SELECT count(*) FROM current_facts").fetchone()[0]
    finally:
        con.close()
    seconds = dict(report.seconds)
    seconds["outside stages"] = round(sample.wall - sum(seconds.values()), 4)
    rollups, feedback = seconds.get("rollups", 0.0), seconds.get("feedback", 0.0)
    return {
        "wall": sample.wall, "cpu": sample.cpu, "peak_tree_mb": sample.peak_mb,
        # everything up to and including storing (the inbox released with it), until the run
        # starts on the feedback workbooks: what follows writes the outputs and the run report
        "ingest": began["feedback"][0] - started[0] if "feedback" in began else None,
        "ingest_cpu": began["feedback"][1] - started[1] if "feedback" in began else None,
        "feedback": feedback, "rollups": rollups,
        "stages": seconds, "stage_cpu": stage_cpu, "stage_maxrss_mb": stage_maxrss,
        "totals": {o: report.count(o) for o in ("accepted", "rejected", "duplicate")},
        "rollup_files": sum(len(v) for v in report.rollups.values()),
        "feedback_files": sum(1 for entry in report.files if entry.get("feedback_path")),
        "facts": facts,
    }


def capture(args: dict) -> dict:
    """The cold run's roll-up workbooks read back as cell grids, for the naive write."""
    tables = naive.capture_tables(Path(args["workspace"]) / "outputs" / "rollups")
    naive.save_tables(tables, Path(args["out"]))
    return {"books": len(tables), "sheets": sum(len(v) for v in tables.values())}


def naive_read(args: dict) -> dict:
    files = sorted(Path(args["inbox"]).rglob("*.xlsx"))
    with measured() as sample:
        frame = naive.naive_read(files)
    return {"wall": sample.wall, "cpu": sample.cpu, "peak_tree_mb": sample.peak_mb,
            "rows": len(frame), "files": len(files)}


def naive_write(args: dict) -> dict:
    tables = naive.load_tables(Path(args["tables"]))
    out = Path(args["out"])
    shutil.rmtree(out, ignore_errors=True)
    with measured() as sample:
        rows = naive.naive_write(tables, out)
    return {"wall": sample.wall, "cpu": sample.cpu, "peak_tree_mb": sample.peak_mb,
            "rows": rows, "books": len(tables)}


def floor(args: dict) -> dict:
    files = sorted(Path(args["inbox"]).rglob("*.xlsx"))
    with measured() as sample:
        cells = naive.read_floor(files, args.get("threads"))
    return {"wall": sample.wall, "cpu": sample.cpu, "peak_tree_mb": sample.peak_mb,
            "cells": cells, "files": len(files)}


STEPS = {"run": run, "capture": capture, "naive_read": naive_read,
         "naive_write": naive_write, "floor": floor}


def main(argv: list[str]) -> int:
    name, args, out = argv[1], json.loads(Path(argv[2]).read_text()), Path(argv[3])
    out.write_text(json.dumps(STEPS[name](args), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
