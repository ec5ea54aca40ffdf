"""Helpers to run the pipeline for real (in-process or as a subprocess) and look at what it left."""

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("submissions", "facts", "problems", "registry_versions", "key_results", "assignments")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, timeout=600)


def crash(workspace: Path, point: str) -> subprocess.CompletedProcess:
    """The nightly run killed with SIGKILL at a point (tests/crashing.py), in a process group
    of its own: the kill takes the processes it forked with it."""
    return subprocess.run([sys.executable, "-m", "tests.crashing", str(workspace), point],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          start_new_session=True)


def warehouse_content(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in TABLES}
    finally:
        con.close()


def query(path: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def file_hashes(root: Path, exclude: tuple[str, ...] = ("runs", "warehouse.duckdb")) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part in exclude for part in p.relative_to(root).parts)}
