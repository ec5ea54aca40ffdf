"""Verdicts → the DuckDB warehouse, the whole batch of a run in one transaction.

The schema is created and changed by the numbered migrations in schemas/migrations/, each
applied once, in order, on the existing file.
"""

import re
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.memory import DUCKDB, duckdb_limit_to_store
from pipeline.problems import Problem
from pipeline.values import Arrival, Verdict
from schemas.rules import ERROR, NOTICE, WARNING

MIGRATIONS = Path(__file__).resolve().parent.parent / "schemas" / "migrations"


class WarehouseBusy(Exception):
    """Another program has the warehouse open: DuckDB lets one process write, and none while
    another reads (an analyst's notebook left open)."""


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        if read_only:
            return duckdb.connect(str(path), read_only=True, config=DUCKDB)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), config=DUCKDB)
    except duckdb.IOException as err:
        held = re.search(r"lock is held in (.+? \(PID \d+\))", str(err))
        if held is None:
            raise
        raise WarehouseBusy(f"{path} is open in another program ({held.group(1)}): close it, "
                            "or have its user work on a copy, and run again") from err
    _migrate(con)
    return con


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name VARCHAR NOT NULL)")
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for script in sorted(MIGRATIONS.glob("*.sql")):
        version = int(script.name.split("_", 1)[0])
        if version in done:
            continue
        con.execute("BEGIN")
        con.execute(script.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, script.name])
        con.execute("COMMIT")


def known_files(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(sha256, inbox_folder) of every file judged: a file is judged once in each folder, so
    one sent to another district's folder is judged again when sent to its own."""
    return set(con.execute("SELECT sha256, inbox_folder FROM submissions").fetchall())


def first_seen(con: duckdb.DuckDBPyConnection, new: list[Arrival], now: datetime
               ) -> dict[str, datetime]:
    """When a run first found each of the new files in the inbox, by sha256 (tonight's
    recorded as `now`), committed before they are judged: a file left there by a run that was
    killed, or for the next run (pipeline.runner._kept), keeps its place before the files that
    came after it, whatever their modification times. A file no longer waiting is forgotten."""
    shas = list(dict.fromkeys(arrival.sha256 for arrival in new))  # the bytes in two folders
    con.execute("BEGIN")
    con.execute("DELETE FROM inbox_seen WHERE NOT list_contains($shas, sha256)", {"shas": shas})
    con.execute("INSERT INTO inbox_seen SELECT unnest($shas), $now ON CONFLICT DO NOTHING",
                {"shas": shas, "now": now.astimezone(UTC).replace(tzinfo=None)})
    con.execute("COMMIT")
    return {sha: at.replace(tzinfo=UTC) for sha, at in
            con.execute("SELECT sha256, first_seen_at FROM inbox_seen").fetchall()}


def looked_before(con: duckdb.DuckDBPyConnection, moments: set[datetime]
                  ) -> dict[datetime, datetime]:
    """For each moment a run first found files, the start of the last run before it that
    finished: that run listed the inbox, and they were not there."""
    looked = {}
    for moment in moments:
        (start,) = con.execute("SELECT max(started_at) FROM runs WHERE finished_at IS NOT NULL "
                               "AND started_at < ?",
                               [moment.astimezone(UTC).replace(tzinfo=None)]).fetchone()
        if start is not None:
            looked[moment] = start.replace(tzinfo=UTC, microsecond=0)
    return looked


def earlier_submissions(con: duckdb.DuckDBPyConnection, arrivals: list[Arrival]
                        ) -> dict[Path, dict]:
    """The submission each of these files was judged as in its folder, by path: its name,
    folder, district, period, when it came and what became of it (submission_status: current,
    superseded or rejected). A file `check`ed from outside the inbox is the one judged in its
    own district's folder, where it is to go: one refused only in another's is judged again."""
    columns = ["sha256", "original_name", "inbox_folder", "district_code", "period",
               "received_at", "status"]
    rows = con.execute(f"SELECT {', '.join(columns)} FROM submission_status "
                       "WHERE list_contains(?, sha256) ORDER BY submission_id DESC",
                       [[arrival.sha256 for arrival in arrivals]]).fetchall()
    judged = [dict(zip(columns, row, strict=True)) for row in rows]
    earlier = {}
    for arrival in arrivals:
        found = next((row for row in judged if row["sha256"] == arrival.sha256 and (
            row["inbox_folder"] == (arrival.folder or row["district_code"]))), None)
        if found is not None:
            earlier[arrival.path] = found
    return earlier


def kept_paths(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Where each submission's copy is kept, relative to outputs/."""
    return {row[0] for row in con.execute("SELECT kept_path FROM submissions").fetchall()}


def sent_for(con: duckdb.DuckDBPyConnection, keys: Collection[tuple[str, str]]) -> list[dict]:
    """The submissions stored for these (district, period) pairs: their name, folder, district
    and period, from which their answers' paths follow (pipeline.respond)."""
    columns = ["original_name", "inbox_folder", "district_code", "period"]
    rows = con.execute(f"SELECT DISTINCT {', '.join(columns)} FROM submissions "
                       "WHERE list_contains(?::VARCHAR[][], [district_code, period])",
                       [[list(key) for key in keys]]).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def record(con: duckdb.DuckDBPyConnection, verdicts: list[Verdict], kept: list[str],
           run_id: str, feedback: list[str | None] | None = None,
           stale: Collection[str] = ()) -> list[int]:
    """Stores the verdicts (with the kept copies' paths) in one transaction; returns their ids.
    `feedback`: each one's annotated workbook still to be written (a path relative to outputs/),
    or None; kept owed until feedback_written. `stale`: workbooks no longer owed, whatever an
    earlier run left owed (a later file of their name needs none)."""
    first = con.execute("SELECT coalesce(max(submission_id), 0) + 1 FROM submissions").fetchone()[0]
    ids = list(range(first, first + len(verdicts)))
    submissions = pd.DataFrame([_submission_row(i, v, k, run_id)
                                for i, v, k in zip(ids, verdicts, kept, strict=True)])
    accepted = [(i, v.facts) for i, v in zip(ids, verdicts, strict=True) if v.accepted]
    facts = None
    if accepted:  # the ids as one column of the whole: assigned file by file, each is copied
        facts = pd.concat([frame for _, frame in accepted], ignore_index=True)
        facts["submission_id"] = np.repeat([i for i, _ in accepted],
                                           [len(frame) for _, frame in accepted])
    problems = pd.DataFrame([{"submission_id": i, "seq": seq, **p.__dict__}
                             for i, v in zip(ids, verdicts, strict=True)
                             for seq, p in enumerate(v.problems)])
    owed = pd.DataFrame([{"submission_id": i, "feedback_path": path}
                         for i, path in zip(ids, feedback or [None] * len(ids), strict=True)
                         if path], columns=["submission_id", "feedback_path"])
    rows = len(submissions) + (len(facts) if facts is not None else 0) + len(problems)
    con.execute(f"SET memory_limit = '{duckdb_limit_to_store(rows)}'")
    try:
        _record(con, verdicts, submissions, facts, problems, owed, sorted(stale))
    finally:  # the limit is the database's, not the transaction's: the run's again
        con.execute(f"SET memory_limit = '{DUCKDB['memory_limit']}'")
    return ids


def _record(con: duckdb.DuckDBPyConnection, verdicts: list[Verdict], submissions: pd.DataFrame,
            facts: pd.DataFrame | None, problems: pd.DataFrame, owed: pd.DataFrame,
            stale: list[str]) -> None:
    con.execute("BEGIN")
    try:
        if verdicts:
            insert(con, "submissions", submissions)
        if facts is not None:
            insert(con, "facts", facts)
        if len(problems):
            insert(con, "problems", problems)
        if len(owed):
            insert(con, "feedback_owed", owed)
        if stale:  # after: an earlier file of this batch owed one too
            con.execute("DELETE FROM feedback_owed WHERE list_contains(?, feedback_path)",
                        [stale])
        if verdicts:  # waiting no more: the same bytes moved to another folder later, after
            # quiet nights, are found anew there, not when they first came to the wrong one
            con.execute("DELETE FROM inbox_seen WHERE list_contains(?, sha256)",
                        [submissions["sha256"].tolist()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def owed_feedback(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, list[Problem]]]:
    """The annotated workbooks owed, this run's and any a killed run left: (submission id,
    kept copy, feedback path, problems in their order), one per path, the latest submission's
    (a file sent twice)."""
    owed = con.execute(
        "SELECT submission_id, kept_path, feedback_path FROM feedback_owed "
        "JOIN submissions USING (submission_id) "
        "QUALIFY row_number() OVER (PARTITION BY feedback_path ORDER BY submission_id DESC) = 1 "
        "ORDER BY submission_id").fetchall()
    problems = _problems(con, [submission_id for submission_id, _, _ in owed])
    return [(submission_id, kept, path, problems.get(submission_id, []))
            for submission_id, kept, path in owed]


def _problems(con: duckdb.DuckDBPyConnection, submissions: list[int]
              ) -> dict[int, list[Problem]]:
    """These submissions' problems, in their order."""
    fields = list(Problem.__dataclass_fields__)
    problems: dict[int, list[Problem]] = {}
    for submission_id, *values in con.execute(
            f"SELECT submission_id, {', '.join(fields)} FROM problems "
            "WHERE list_contains(?, submission_id) ORDER BY submission_id, seq",
            [submissions]).fetchall():
        problems.setdefault(submission_id, []).append(Problem(*values))
    return problems


def feedback_written(con: duckdb.DuckDBPyConnection) -> None:
    """Every owed workbook is written (those of an earlier submission at the same path are
    replaced, not owed)."""
    con.execute("DELETE FROM feedback_owed")


def start_run(con: duckdb.DuckDBPyConnection, report) -> None:
    """A run is on record from its start: one that never finishes shows as such."""
    con.execute("INSERT INTO runs (run_id, started_at, registry_version) VALUES (?, ?, ?)",
                [report.run_id, report.started_at.replace(tzinfo=None), report.registry_version])


def unfinished_runs(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The runs since the last that finished which did not finish themselves (killed, or
    failed), but this one, each with the files it stored. One killed before writing its report
    left no word of them, and the run that completes its work finds them already judged; the
    caller leaves out those whose report was written. A run started at the same moment as the
    last finished one is listed too. A rejected file comes with its errors: nothing else
    tells the office why."""
    rows = con.execute(
        "SELECT run_id, r.started_at, s.inbox_folder, s.original_name, s.accepted, "
        "s.district_code, s.period, s.submission_id "
        "FROM runs r LEFT JOIN submissions s USING (run_id) "
        "WHERE r.finished_at IS NULL AND run_id <> ? AND r.started_at >= coalesce("
        "(SELECT max(started_at) FROM runs WHERE finished_at IS NOT NULL), "
        "TIMESTAMP '-infinity') ORDER BY r.started_at, run_id, s.submission_id",
        [run_id]).fetchall()
    problems = _problems(con, [row[7] for row in rows if row[7] is not None])
    runs: dict[str, dict] = {}
    for run, started, folder, name, accepted, district, period, submission in rows:
        entry = runs.setdefault(run, {"run_id": run, "started_at": started.isoformat(),
                                      "files": []})
        if name is not None:
            entry["files"].append({"folder": folder, "name": name, "district_code": district,
                                   "period": period,
                                   "outcome": "accepted" if accepted else "rejected",
                                   "problems": [p.__dict__ for p in problems.get(submission, [])
                                                if p.severity == ERROR]})
    return list(runs.values())


def finish_run(con: duckdb.DuckDBPyConnection, report) -> None:
    con.execute("UPDATE runs SET finished_at = ?, new_files = ?, accepted = ?, rejected = ?, "
                "duplicates = ? WHERE run_id = ?",
                [report.finished_at.replace(tzinfo=None),
                 report.count("accepted") + report.count("rejected"), report.count("accepted"),
                 report.count("rejected"), report.count("duplicate"), report.run_id])


def replace_scores(con: duckdb.DuckDBPyConnection, period: str,
                   tables: dict[str, pd.DataFrame]) -> None:
    """The period's kr_scores and dimension_scores, replaced in one transaction."""
    con.execute("BEGIN")
    try:
        for table in ("kr_scores", "dimension_scores"):
            con.execute(f"DELETE FROM {table} WHERE period = ?", [period])
            insert(con, table, tables[table])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _submission_row(submission_id: int, verdict: Verdict, kept: str, run_id: str) -> dict:
    arrival = verdict.arrival
    return {
        "submission_id": submission_id, "sha256": arrival.sha256, "inbox_folder": arrival.folder,
        "original_name": arrival.name, "size_bytes": arrival.size,
        "received_at": arrival.received_at.replace(tzinfo=None), "run_id": run_id,
        "district_code": verdict.district_code, "period": verdict.period,
        "registry_version": verdict.registry_version, "accepted": verdict.accepted,
        "kept_path": kept, "errors": verdict.count(ERROR), "warnings": verdict.count(WARNING),
        "notices": verdict.count(NOTICE), "data_as_of": verdict.as_of,
        "checked_against": verdict.checked_against, "on_time": verdict.on_time,
    }


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The table's columns in order, from its relation: information_schema takes 15 times as
    long (2 ms), and a resubmission stores into six tables."""
    return con.table(table).columns


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    columns = _columns(con, table)
    incoming = frame[columns]  # noqa: F841 (read by DuckDB below, by name)
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming")


def holds(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> bool:
    """Whether the table holds the frame's rows and no others (the table's columns, by name)."""
    columns = _columns(con, table)
    incoming = frame[columns]  # noqa: F841 (read by DuckDB below, by name)
    names = ", ".join(columns)
    return con.execute(
        f"SELECT count(*) FROM ((SELECT {names} FROM {table} EXCEPT ALL "
        f"SELECT {names} FROM incoming) UNION ALL (SELECT {names} FROM incoming EXCEPT ALL "
        f"SELECT {names} FROM {table}))").fetchone()[0] == 0


def replace(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    insert(con, table, frame)
