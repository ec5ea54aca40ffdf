"""One measured step in a fresh process: `python -m bench.step NAME ARGS.json OUT.json`.

Imports happen before the clock starts: a step's time is the work, not Python's start-up.
The parent (bench.run) takes the process's own peak RSS from os.wait4.
"""

import json
import resource
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench import naive
from bench.measure import measured, tree_cpu


def _with_stage_cpu(runlog, cpu: dict[str, float], maxrss: dict[str, float],
                    ended: dict[str, tuple[float, float]]) -> None:
    """Makes the run log's stage clock also add each stage's CPU time (whole process tree),
    note this process's peak RSS when the stage ends (the stage where it jumps is the one that
    set the peak) and when the stage last ended: (time.perf_counter, tree CPU seconds)."""
    original = runlog.RunLog.stage

    @contextmanager
    def timed(self, name: str, total: int = 0):
        start = tree_cpu()
        with original(self, name, total) as advance:
            yield advance
        end = tree_cpu()
        cpu[name] = cpu.get(name, 0.0) + end - start
        maxrss[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ended[name] = (time.perf_counter(), end)

    runlog.RunLog.stage = timed


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
    stage_cpu: dict[str, float] = {}
    stage_maxrss: dict[str, float] = {}
    ended: dict[str, tuple[float, float]] = {}
    if args.get("stage_cpu"):
        _with_stage_cpu(runlog, stage_cpu, stage_maxrss, ended)
    settings = Settings(workspace=workspace)
    started = (time.perf_counter(), tree_cpu())
    with measured() as sample:
        report = runner.run(settings)
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
        # everything up to and including storing (the inbox released with it): what follows
        # writes the outputs and the run report
        "ingest": ended["store"][0] - started[0] if "store" in ended else None,
        "ingest_cpu": ended["store"][1] - started[1] if "store" in ended else None,
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
