"""Which periods' outputs are stale: a fingerprint of everything they are built from, kept in a
manifest (outputs/.state/<period>.json, out of the committee's folders) written after them,
with what the run report needs of them.

A period's roll-ups, scores, open data and dashboard depend on its submissions (accepted or
not: completeness counts rejections), on the earlier periods of its fiscal year (trends), on
the registry version in force and on the thresholds. A run killed while writing them leaves
the old manifest, so the next run writes them again.
"""

import hashlib
import json
from pathlib import Path

import duckdb

from pipeline.atomic import write_bytes
from pipeline.periods import PeriodError, parse_period


def fingerprint(con: duckdb.DuckDBPyConnection, period: str, registry_sha256: str,
                settings_text: str) -> str:
    current = parse_period(period)
    rows = con.execute("SELECT period, submission_id FROM submissions "
                       "WHERE left(period, 4) = ? ORDER BY submission_id",
                       [period[:4]]).fetchall()
    feeding = [row for row in rows if _ends_by(row[0], current.end)]
    text = json.dumps([period, registry_sha256, settings_text, feeding])
    return hashlib.sha256(text.encode()).hexdigest()


def _ends_by(code: str, end) -> bool:
    try:
        return parse_period(code).end <= end
    except PeriodError:  # a hand-edited period code on a rejected file feeds nothing
        return False


def load(manifest_path: Path, stamp: str) -> dict | None:
    """What was recorded with the outputs when they were written, if they are still fresh."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("recorded") if manifest.get("fingerprint") == stamp else None


def save(manifest_path: Path, stamp: str, recorded: dict) -> None:
    """Written last: the outputs it vouches for are all in place."""
    text = json.dumps({"fingerprint": stamp, "recorded": recorded}, ensure_ascii=False,
                      indent=1, default=str)
    write_bytes(manifest_path, text.encode("utf-8"))
