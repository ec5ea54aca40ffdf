"""What a run tells the strategy office: a JSON-lines log beside each run report, plain log
lines under cron (no terminal), progress bars on a terminal (issue 4, point 9)."""

import json
import os
import pty
import re
import subprocess
import sys

from pipeline.runner import run
from tests.running import ROOT, query, run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _one(folder, pattern: str):
    (path,) = folder.glob(pattern)
    return path


def test_each_run_writes_a_json_lines_log_beside_its_report(workspace):
    workspace.send(workspace.clerk("1001"), "1001", "ผลไตรมาส2.xlsx")
    workspace.send(workspace.clerk("1002").type("KR-1-01", "actual", "ไม่ทราบ"), "1002")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout + result.stderr
    runs = workspace.settings.runs
    report = json.loads(_one(runs, "*.json").read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in
             _one(runs, "*.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {line["run_id"] for line in lines} == {report["run_id"]}
    events = [line["event"] for line in lines]
    assert events[0] == "run.start" and events[-1] == "run.end"
    for stage in ("discover", "read", "validate", "keep", "receipts", "store", "feedback",
                  "rollups"):
        assert f"{stage}.start" in events and f"{stage}.end" in events
    files = {line["file"]: line["outcome"] for line in lines if line["event"] == "file"}
    assert files == {"ผลไตรมาส2.xlsx": "accepted", "report_2.xlsx": "rejected"}
    starts = {line["event"]: line.get("items") for line in lines
              if line["event"].endswith(".start")}
    # the items a stage takes when it counts them; none said, not 0, when it does not
    assert (starts["read.start"], starts["validate.start"], starts["keep.start"],
            starts["discover.start"]) == (2, 2, 2, None)
    assert query(workspace.settings.warehouse_path,
                 "SELECT run_id, new_files, accepted, rejected, finished_at IS NOT NULL "
                 "FROM runs") == [(report["run_id"], 2, 1, 1, True)]


def test_under_cron_progress_is_plain_log_lines_on_stderr(workspace):
    workspace.send(workspace.clerk("1001"), "1001")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert any(re.fullmatch(r"\S+ \S+ INFO pipeline\.run: read\.start items=1", line)
               for line in lines), result.stderr
    assert any("pipeline.run: run.end accepted=1 rejected=0 duplicates=0" in line
               for line in lines)
    assert not ANSI.search(result.stdout + result.stderr)


def test_on_a_terminal_progress_is_drawn_as_bars_not_log_lines(workspace):
    for district in ("1001", "1002", "1003"):
        workspace.send(workspace.clerk(district), district)
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run_pipeline.py"), "run", "--workspace",
         str(workspace.root)], stdin=child, stdout=child, stderr=child, cwd=ROOT,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"})
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the run closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=600) == 0
    os.close(main)
    shown = seen.decode("utf-8", errors="replace")
    assert "\x1b[?25l" in shown  # the cursor hidden while the bars are redrawn in place
    assert re.search(r"read\s+━+\s+3/3", ANSI.sub("", shown))
    assert "pipeline.run:" not in shown


def test_a_night_with_nothing_sent_runs_no_ingest(workspace):
    """An empty inbox: no process is forked to read it, and the log shows no ingest stage."""
    report = run(workspace.settings)
    lines = [json.loads(line) for line in
             _one(workspace.settings.runs, "*.jsonl").read_text(encoding="utf-8").splitlines()]
    events = [line["event"] for line in lines]
    assert events[0] == "run.start" and events[-1] == "run.end"
    assert not [e for e in events if e.split(".")[0] in ("discover", "read", "validate", "store")]
    assert "rollups.end" in events
    assert set(report.seconds) == {"feedback", "rollups"}
