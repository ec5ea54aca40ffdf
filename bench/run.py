"""`python -m bench.run [--small] [--repeat N]`: a fiscal year of the city through the pipeline,
against the naive way and the read floor; a table on the console and bench/results/<date>.json.

Every measured step runs in a fresh process (bench.step) on the same cached workload. Each
repetition starts from an empty workspace: cold run, then runs with nothing new, then runs
after one district resubmits one period (each on a copy of the workspace as the runs with
nothing new left it); then the naive read, the naive write and the floor.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.workload import FULL, SMALL, Workload, load_or_build

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
MEASURES = ("cold", "ingest", "feedback", "rollups", "noop", "resubmit", "naive_read",
            "naive_write", "floor")
READ_BUSY = 1.5  # CPU seconds per wall second while reading that count as "both cores busy"
SHORT = ("noop", "resubmit")  # steps of a second or two, run --short-repeat times a repetition


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--small", action="store_true",
                        help="5 districts x 2 periods instead of 50 x 12")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (median reported)")
    parser.add_argument("--short-repeat", type=int, default=5,
                        help="runs of the no-change and resubmission steps a repetition: a "
                        "second or two each, on a machine whose noise is of that order")
    parser.add_argument("--build-workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    console = Console()
    workload = load_or_build(SMALL if args.small else FULL, args.build_workers,
                             log=lambda text: console.log(f"workload: {text}"))
    console.log(f"workload {workload.params.key}: {workload.files} files, "
                f"{workload.facts} facts expected, in {workload.root}")
    load_before = os.getloadavg()
    suffix = "-small" if args.small else ""
    runs = []
    for index in range(args.repeat):
        runs.append(_repetition(workload, index, args.short_repeat, console))
        result = summarise(workload, runs, load_before)
        result["complete"] = len(runs) == args.repeat  # written after each repetition
        path = _write(result, suffix)
    console.print(_table(result))
    console.print(_targets(result))
    console.log(f"written {path.relative_to(ROOT)}")
    return 0


def _repetition(workload: Workload, index: int, short: int, console: Console) -> dict:
    work = workload.root / "runs"
    workspace = work / "workspace"
    settled = work / "settled"  # the workspace as the runs with nothing new leave it
    shutil.rmtree(workspace, ignore_errors=True)
    workspace.mkdir(parents=True)
    shutil.copy2(workload.registry, workspace / "registry.xlsx")
    shutil.copytree(workload.inbox, workspace / "inbox")  # copy2 keeps the time of receipt
    tables = work / "rollup-tables.pickle"
    steps = {}
    for name, step, args in (
        ("cold", "run", {"workspace": workspace, "stage_cpu": True}),
        ("capture", "capture", {"workspace": workspace, "out": tables}),
        ("noop", "run", {"workspace": workspace}),
        ("resubmit", "run", {"workspace": workspace,
                             "add": workload.resubmit / workload.resubmission}),
        ("naive_read", "naive_read", {"inbox": workload.inbox}),
        ("naive_write", "naive_write", {"tables": tables, "out": work / "naive-rollups"}),
        ("floor", "floor", {"inbox": workload.inbox}),
    ):
        if name == "capture" and index > 0 and tables.exists():
            continue
        console.log(f"repetition {index + 1}: {name} …")
        if name == "noop":
            steps[name] = _median_run([_step(step, args) for _ in range(short)])
            shutil.rmtree(settled, ignore_errors=True)
            shutil.copytree(workspace, settled)
        elif name == "resubmit":
            steps[name] = _median_run([_step(step, args, settled) for _ in range(short)])
        else:
            steps[name] = _step(step, args)
        if "wall" in steps[name]:
            console.log(f"repetition {index + 1}: {name} {steps[name]['wall']:.2f} s")
    return steps


def _median_run(results: list[dict]) -> dict:
    """The run of median wall time, with every run's wall time."""
    ordered = sorted(results, key=lambda result: result["wall"])
    return {**ordered[(len(ordered) - 1) // 2], "walls": [result["wall"] for result in results]}


def _step(name: str, args: dict, start_from: Path | None = None) -> dict:
    """Runs one bench.step in a fresh process; adds its own peak RSS and process wall time.
    `start_from`: a workspace copied over args["workspace"] first."""
    if start_from is not None:
        shutil.rmtree(args["workspace"])
        shutil.copytree(start_from, args["workspace"])
    with tempfile.TemporaryDirectory() as tmp:
        given, out = Path(tmp) / "args.json", Path(tmp) / "out.json"
        given.write_text(json.dumps(args, default=str))
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bench.step", name, str(given),
                                    str(out)], cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"bench step {name} failed (exit {process.returncode})")
        result = json.loads(out.read_text())
    result["process_wall"] = time.perf_counter() - start
    result["process_cpu"] = usage.ru_utime + usage.ru_stime
    result["maxrss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def _figures(run: dict) -> dict[str, dict]:
    """One repetition → per measure: wall, cpu, peak memory."""
    cold = run["cold"]
    cpu = cold["stage_cpu"]
    out = {
        "cold": (cold["wall"], cold["cpu"], cold),
        "ingest": (cold["ingest"], cold["ingest_cpu"], None),
        "feedback": (cold["feedback"], cpu.get("feedback", 0.0), None),
        "rollups": (cold["rollups"], cpu.get("rollups", 0.0), None),
    }
    for name in ("noop", "resubmit", "naive_read", "naive_write", "floor"):
        out[name] = (run[name]["wall"], run[name]["cpu"], run[name])
    return {name: {"wall": wall, "cpu": cpu_s,
                   "peak_mb": max(s["maxrss_mb"], s["peak_tree_mb"]) if s else None}
            for name, (wall, cpu_s, s) in out.items()}


def summarise(workload: Workload, runs: list[dict], load_before) -> dict:
    figures = [_figures(run) for run in runs]
    median = {m: statistics.median(f[m]["wall"] for f in figures) for m in MEASURES}
    median.update({m: statistics.median(w for run in runs for w in _walls(run[m]))
                   for m in SHORT})  # every run of theirs, not each repetition's median
    cold = runs[0]["cold"]
    facts = cold["facts"]
    stage_names = sorted({s for run in runs for s in run["cold"]["stages"]})
    stages = {s: statistics.median(r["cold"]["stages"].get(s, 0.0) for r in runs)
              for s in stage_names}
    stage_cpu = {s: statistics.median(r["cold"]["stage_cpu"].get(s, 0.0) for r in runs)
                 for s in stage_names}
    read_util = statistics.median(
        r["cold"]["stage_cpu"].get("read", 0.0) / r["cold"]["stages"]["read"]
        for r in runs if r["cold"]["stages"].get("read"))
    peak = {m: statistics.median(f[m]["peak_mb"] for f in figures)
            for m in MEASURES if figures[0][m]["peak_mb"] is not None}
    units = {"cold": (workload.files, facts), "ingest": (workload.files, facts),
             "feedback": (cold.get("feedback_files", 0), 0),
             "rollups": (cold["rollup_files"], facts), "noop": (0, 0),
             "resubmit": (1, workload.params.krs), "naive_read": (workload.files, facts),
             "naive_write": (cold["rollup_files"], facts), "floor": (workload.files, facts)}
    result = {
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": load_before, "load_average_after": os.getloadavg(),
                    "note": "2 cores shared with other jobs: figures are noisy"},
        "code": _code_version(),
        "params": workload.params.__dict__,
        "repeat": len(runs),
        "workload": {"files": workload.files, "facts": facts,
                     "facts_expected": workload.facts, "rejected_expected": workload.rejected,
                     **cold["totals"], "rollup_workbooks": cold["rollup_files"],
                     "naive_read_rows": runs[0]["naive_read"]["rows"],
                     "floor_cells": runs[0]["floor"]["cells"]},
        "seconds": median,
        "spread": {m: _spread(m, runs, figures) for m in MEASURES},
        "cpu_seconds": {m: statistics.median(f[m]["cpu"] for f in figures) for m in MEASURES},
        "files_per_second": {m: units[m][0] / median[m] if median[m] else None
                             for m in MEASURES},
        "facts_per_second": {m: units[m][1] / median[m] if median[m] else None
                             for m in MEASURES},
        "peak_rss_mb": peak,
        "cold_stages_seconds": stages,
        "cold_stages_cpu_seconds": stage_cpu,
        "cold_stages_maxrss_mb": {s: max(r["cold"].get("stage_maxrss_mb", {}).get(s, 0.0)
                                        for r in runs) for s in stage_names},
        "read_cpu_utilisation": read_util,
        "process_seconds": {"noop": statistics.median(r["noop"]["process_wall"] for r in runs)},
        "noop_stages_seconds": _median_stages(runs, "noop"),
        "resubmit_stages_seconds": _median_stages(runs, "resubmit"),
        "runs": runs,
    }
    result["targets"] = targets(result)
    return result


def _walls(step: dict) -> list[float]:
    return step.get("walls", [step["wall"]])


def _spread(measure: str, runs: list[dict], figures: list[dict]) -> dict:
    """Least and most wall time of a measure, and each repetition's runs of it."""
    walls = [_walls(run[measure]) if measure in SHORT else [figure[measure]["wall"]]
             for run, figure in zip(runs, figures, strict=True)]
    every = [wall for each in walls for wall in each]
    return {"min": min(every), "max": max(every), "runs": walls}


def _code_version() -> dict:
    """The commit measured, and whether pipeline/ or schemas/ differ from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or os.environ.get("BENCH_COMMIT", "unknown")
    dirty = bool(git("status", "--porcelain", "--", "pipeline", "schemas"))
    return {"commit": commit, "pipeline_modified": dirty}


def _median_stages(runs: list[dict], step: str) -> dict[str, float]:
    names = sorted({s for run in runs for s in run[step]["stages"]})
    return {s: statistics.median(r[step]["stages"].get(s, 0.0) for r in runs) for s in names}


def targets(r: dict) -> dict:
    s = r["seconds"]
    rows = {
        "ingest_speedup_vs_naive_read": (s["naive_read"] / s["ingest"], ">=", 15),
        "ingest_vs_floor": (s["ingest"] / s["floor"], "<=", 2),
        "rollups_speedup_vs_naive_write": (s["naive_write"] / s["rollups"], ">=", 2),
        "cold_vs_floor_plus_rollups": (s["cold"] / (s["floor"] + s["rollups"]), "<=", 1.5),
        "noop_seconds": (s["noop"], "<", 0.5),
        "resubmit_seconds": (s["resubmit"], "<", 2),
        "peak_rss_mb_cold": (r["peak_rss_mb"]["cold"], "<", 500),
        "read_cpu_utilisation": (r["read_cpu_utilisation"], ">=", READ_BUSY),
    }
    test = {">=": float.__ge__, "<=": float.__le__, "<": float.__lt__}
    return {name: {"value": round(value, 3), "target": f"{op} {limit}",
                   "pass": bool(test[op](float(value), float(limit)))}
            for name, (value, op, limit) in rows.items()}


def _write(result: dict, suffix: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{result['date']}{suffix}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _table(r: dict) -> Table:
    w = r["workload"]
    table = Table(title=f"{w['files']} workbooks, {w['facts']:,} facts in current_facts · "
                  f"median of {r['repeat']} (min–max)")
    for column in ("measure", "wall s", "min–max", "CPU s", "CPU/wall", "files/s", "facts/s",
                   "peak MB"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for m in MEASURES:
        wall, spread, cpu = r["seconds"][m], r["spread"][m], r["cpu_seconds"][m]
        files, facts = r["files_per_second"][m], r["facts_per_second"][m]
        peak = r["peak_rss_mb"].get(m)
        table.add_row(m, f"{wall:.3f}", f"{spread['min']:.2f}–{spread['max']:.2f}",
                      f"{cpu:.2f}", f"{cpu / wall:.2f}" if wall else "",
                      f"{files:.1f}" if files else "", f"{facts:,.0f}" if facts else "",
                      f"{peak:.0f}" if peak is not None else "")
    return table


def _targets(r: dict) -> Table:
    table = Table(title="targets (issue 6)")
    for column in ("ratio", "value", "target", ""):
        table.add_column(column)
    for name, t in r["targets"].items():
        table.add_row(name, f"{t['value']:g}", t["target"],
                      "[green]pass[/]" if t["pass"] else "[red]FAIL[/]")
    stages = ", ".join(f"{k} {v:.2f}s (cpu {r['cold_stages_cpu_seconds'].get(k, 0):.2f})"
                       for k, v in r["cold_stages_seconds"].items())
    table.caption = f"cold run stages: {stages}"
    return table


if __name__ == "__main__":
    sys.exit(main())
