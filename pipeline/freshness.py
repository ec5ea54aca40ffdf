"""Which periods' outputs are stale: a fingerprint of everything they are built from, kept in a
manifest (outputs/.state/<period>.json, out of the committee's folders) written after them,
with what the run report needs of them.

A period's roll-ups, scores, open data and dashboard depend on its submissions (accepted or
not: completeness counts rejections), on the earlier periods of its fiscal year (trends), on
the registry version in force, on the thresholds and on the code that makes them. A run
killed while writing them leaves the old manifest, so the next run writes them again.

Within a period that is rewritten, each roll-up workbook has a fingerprint of its own inputs
(pipeline.rollup_inputs), kept in the manifest with the sha256 of the file written: a
correction to one dimension's figures leaves the other dimensions' books untouched.
"""

import dataclasses
import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import period_locks
from pipeline.atomic import write_bytes
from pipeline.periods import PeriodError, parse_period

PROJECT = Path(__file__).resolve().parent.parent
MADE_BY = ("pipeline", "schemas")  # the code, the warehouse's schema and the reference data


def fingerprint(con: duckdb.DuckDBPyConnection, period: str, registry_sha256: str,
                settings_text: str) -> str:
    current = parse_period(period)
    rows = con.execute("SELECT period, submission_id FROM submissions "
                       f"WHERE left(period, 4) = ? AND {period_locks.REACHED} "
                       "ORDER BY submission_id", [period[:4]]).fetchall()
    ends_by = {code: _ends_by(code, current.end) for code in {row[0] for row in rows}}
    feeding = [row for row in rows if ends_by[row[0]]]  # a year's files, a dozen periods
    text = json.dumps([period, registry_sha256, settings_text, code_version(), feeding])
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def code_version(root: Path = PROJECT) -> str:
    """A digest of what the outputs are made by: after an upgrade, the next run writes every
    period's outputs again, and no workbook keeps the layout of an older version."""
    digest = hashlib.sha256()
    for folder in MADE_BY:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _ends_by(code: str, end) -> bool:
    try:
        return parse_period(code).end <= end
    except PeriodError:  # a hand-edited period code on a rejected file feeds nothing
        return False


def load(manifest_path: Path, stamp: str, outputs: Path) -> dict | None:
    """The manifest of the outputs, if they are still fresh and every file written then
    (`files`, under `outputs`) is still there: a folder deleted by hand is written again by
    the next run, not left missing until the period changes. Its `recorded` is what the run
    report needs of them."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != stamp or not all(
            (outputs / name).is_file() for name in manifest.get("files", [])):
        return None
    return manifest


def books(manifest_path: Path) -> dict[str, dict]:
    """Each roll-up workbook's record from when the period was last written, fresh or not."""
    try:
        return json.loads(manifest_path.read_text(encoding="utf-8")).get("books", {})
    except (OSError, ValueError, AttributeError):
        return {}


def content_digest(value, frame_digest: Callable[[pd.DataFrame], bytes]) -> str:
    """A digest of what a value holds, not of how it sits in memory (a pickle of equal frames
    differs with their arrays' history): dataclasses field by field, frames by
    `frame_digest`, anything else by its repr."""
    digest = hashlib.sha256()
    _feed(digest, value, frame_digest)
    return digest.hexdigest()


def _feed(digest, value, frame_digest: Callable[[pd.DataFrame], bytes]) -> None:
    if isinstance(value, pd.DataFrame):
        digest.update(frame_digest(value))
    elif isinstance(value, bytes):
        digest.update(value)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            digest.update(field.name.encode())
            _feed(digest, getattr(value, field.name), frame_digest)
    elif isinstance(value, list | tuple):
        digest.update(f"[{len(value)}".encode())
        for item in value:
            _feed(digest, item, frame_digest)
    else:
        digest.update(repr(value).encode())


def book_unchanged(path: Path, now: dict, then: dict | None) -> bool:
    """The book was written from the same inputs and is still the file written then."""
    return (then is not None and then.get("inputs") == now["inputs"] and path.exists()
            and file_sha256(path) == then.get("sha256"))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(manifest_path: Path, stamp: str, recorded: dict, books: dict[str, dict],
         files: list[str]) -> None:
    """Written last: the outputs it vouches for (`files`, relative to outputs/) are all in
    place."""
    text = json.dumps({"fingerprint": stamp, "recorded": recorded, "books": books,
                       "files": files}, ensure_ascii=False, indent=1, default=str)
    write_bytes(manifest_path, text.encode("utf-8"))
