"""The nightly flow: lock → discover → read → validate → keep → receipts → store → release →
feedback workbooks → roll up → report.

Stages never call each other; this module wires them. A run is safe to repeat, and to kill:
files already seen in their folder (same sha256) are only released from the inbox, and a
period's roll-ups, scores, open data and dashboard are rewritten only when what they are built
from changed (pipeline/freshness.py).
"""

import json
import os
from collections.abc import Callable
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout
from rich.console import Console

from pipeline import (
    atomic,
    export,
    freshness,
    keep,
    overdue,
    period_locks,
    registry_store,
    rollup,
    store,
    writers,
)
from pipeline.atomic import each_in_threads
from pipeline.child import apart
from pipeline.collector import out_of_sight
from pipeline.dashboard import write_dashboard
from pipeline.discover import arrival_for, discover, inbox_folder, receipt_order, waiting
from pipeline.history import History, load_history
from pipeline.memory import allocate_plainly
from pipeline.periods import BANGKOK, PeriodError, parse_period
from pipeline.read import read_all
from pipeline.reference import load_reference
from pipeline.registry import RegistryError, load_registry
from pipeline.registry_store import RegistryVersions
from pipeline.report import RunReport
from pipeline.respond import (
    Response,
    annotate,
    respond,
    respond_duplicate,
    stale_feedback,
    start_annotating,
)
from pipeline.rollup_xlsx import start_rollups
from pipeline.runlog import RunLog
from pipeline.same_night import district_year
from pipeline.settings import Settings
from pipeline.trace import trace
from pipeline.validate import judge
from pipeline.values import Arrival, RawWorkbook, Verdict

# New files a night may bring and still be ingested in the run's own process (see _take_in): a
# period of the whole city. The year's 600 at once peak at about 300 MB in their process.
AT_HOME = 50


class LockHeld(Exception):
    """Another run holds the workspace's lock."""


class UnknownName(ValueError):
    """A command names a district or a key result the registry does not know."""


@contextmanager
def workspace_lock(settings: Settings):
    """The workspace, for this process alone. A folder without registry.xlsx is not a
    workspace (a forgotten --workspace): refused before anything is made in it."""
    if not settings.registry_path.exists():
        raise RegistryError(settings.registry_path, [
            "the file does not exist; is --workspace the folder that holds registry.xlsx?"])
    settings.outputs.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout as err:
        raise LockHeld("another command (run, check, trace, period, templates, export) or a "
                       f"backup holds {settings.lock_path}; try again when it has finished"
                       ) from err
    try:
        yield
    finally:
        lock.release()


def run(settings: Settings, now: Callable[[], datetime] = lambda: datetime.now(UTC),
        console: Console | None = None) -> RunReport:
    """The nightly job. `console`: a terminal to draw progress bars on; without one, progress
    goes to the `pipeline.run` logger as plain lines."""
    allocate_plainly()
    with workspace_lock(settings):
        started = now()
        report = RunReport(run_id=f"{started:%Y%m%dT%H%M%S%f}Z-{os.getpid()}", started_at=started)
        log = RunLog(settings.runs / f"{report.run_id}.jsonl", report.run_id, report.seconds,
                     console)
        try:
            _run(settings, report, log, now)
        except BaseException as err:
            log.event("run.failed", error=f"{type(err).__name__}: {err}")
            raise
        finally:
            log.close()
        return report


def _run(settings: Settings, report: RunReport, log: RunLog,
         now: Callable[[], datetime]) -> None:
    atomic.sweep(settings.outputs)  # temporary files of a run that was killed
    reference = load_reference()
    con = store.connect(settings.warehouse_path)
    try:
        registry, file_sha256 = registry_store.load_current(con, settings, reference)
        report.registry_version = registry.version
        registries = registry_store.sync(con, reference, registry, file_sha256, settings)
        unfinished = store.unfinished_runs(con, report.run_id)
        if unfinished:
            keep.forget_unstored([settings.archive, settings.quarantine], settings.outputs,
                                 store.kept_paths(con))
        report.unfinished = [earlier for earlier in unfinished
                             if not (settings.runs / f"{earlier['run_id']}.json").exists()]
        store.start_run(con, report)
        log.event("run.start", registry_version=registry.version)
        con = _take_in(con, settings, registries, reference, report, log)
        with log.stage("feedback"):
            feedback = _feedback(con, settings)
        periods = rollup.periods_sent(con, registries.listed)
        with log.stage("rollups", len(periods)) as advance:
            _publish(con, settings, registries, reference, periods, report, advance)
        _overdue(con, registries, reference, periods, report)
        feedback()
        report.finished_at = now()
        report.write(settings.runs)
        store.finish_run(con, report)  # last: a run on record as finished left nothing undone
    finally:
        writers.stop_all()  # none, unless the run failed while books were being written
        con.close()
    log.event("run.end", accepted=report.count("accepted"), rejected=report.count("rejected"),
              duplicates=report.count("duplicate"))


def _take_in(con, settings: Settings, registries: RegistryVersions, reference,
             report: RunReport, log: RunLog):
    """The night's new files ingested (_ingest); returns the warehouse's connection. More
    than AT_HOME are ingested in a process of their own (pipeline.child.apart): the cells of
    a year read and judged go back to the system with it, and the roll-ups that follow need
    only the warehouse. Fewer are ingested in this process, with this connection: their cells
    take a few megabytes, and a process apart would cost a fork and the warehouse closed and
    opened twice more. A night with nothing sent is not even discovered."""
    if not waiting(settings.inbox):
        return con
    with log.stage("discover"):
        arrivals = discover(settings.inbox)
        new = _new_arrivals(con, arrivals)
        seen = store.first_seen(con, new, report.started_at)
        looked = store.looked_before(con, set(seen.values()))
        new = sorted((_received(arrival, seen[arrival.sha256], looked) for arrival in new),
                     key=receipt_order)
    if len(new) <= AT_HOME:
        _ingest(con, settings, registries, reference, report, log, arrivals, new)
        return con
    con.close()  # DuckDB lets one process write: the ingest's opens the warehouse itself
    report.adopt(apart(_ingest_apart, settings, registries, reference, report, log, arrivals,
                       new))
    return store.connect(settings.warehouse_path)


def _received(arrival: Arrival, first_seen: datetime, looked: dict[datetime, datetime]
              ) -> Arrival:
    """A file is received when it was saved, but not before the last run that finished
    without finding it: a copy keeps the time its original was saved (Windows Explorer's
    does), and one saved in January and sent in December was on time, and its figures were
    "as of" January."""
    after = looked.get(first_seen)
    received = max(arrival.received_at, after) if after else arrival.received_at
    return replace(arrival, first_seen=first_seen, received_at=received)


def _ingest_apart(settings: Settings, *args) -> RunReport:
    with closing(store.connect(settings.warehouse_path)) as con:
        return _ingest(con, settings, *args)


def _ingest(con, settings: Settings, registries: RegistryVersions, reference,
            report: RunReport, log: RunLog, arrivals: list[Arrival], new: list[Arrival]
            ) -> RunReport:
    """The new files among the arrivals → read, judged, kept, given their receipts, stored;
    then every arrival released. Returns the report with their entries."""
    with log.stage("read", len(new)) as advance:
        raws = read_all(new, settings.limits, done=advance)
    with out_of_sight():  # the files read, then their verdicts and facts
        with log.stage("validate", len(raws)):
            history = _history(con, raws) if raws else History()  # nothing to check against
            verdicts = judge(raws, registries, settings, history)
        del raws  # what follows, storing above all, needs the room
        with log.stage("keep", len(verdicts)) as advance:
            verdicts, kept, left = _kept(settings, log, verdicts, advance)
        with log.stage("receipts"):
            responses = respond(verdicts, history.facts, reference, settings.answers)
        with log.stage("store"):
            stale = stale_feedback(verdicts, responses, store.sent_for(
                con, {(v.district_code, v.period) for v in verdicts if v.accepted}),
                settings.answers)
            responses = [replace(response, feedback_path=None)  # owed no more: not reported
                         if response.feedback_path in stale else response
                         for response in responses]
            _clear(stale)
            _store(con, settings, report, log, verdicts, kept, responses, stale)
            _after_commit(con, settings, report, log,
                          [arrival for arrival in arrivals if _file(arrival) not in left], new)
            for arrival in arrivals:
                if _file(arrival) in left:
                    report.add_left(arrival, left[_file(arrival)])
    return report


def _kept(settings: Settings, log: RunLog, verdicts: list[Verdict],
          advance: Callable[[], None]) -> tuple[list[Verdict], list[Path], dict[tuple, str]]:
    """The verdicts whose files are kept, their copies, and the files left in the inbox for
    the next run (_file → why: its copies in its folder stay with it): a file changed since it
    was read, and, when it was accepted, its district's other files of that fiscal year sent
    tonight, which were judged against its figures (pipeline.same_night)."""
    copies = []
    for path in each_in_threads(partial(_keep, settings), verdicts):
        copies.append(path)
        advance()
    changed = {district_year(verdict) for verdict, path in zip(verdicts, copies, strict=True)
               if path is None and verdict.accepted}
    kept, left = [], {}
    for verdict, path in zip(verdicts, copies, strict=True):
        if path is not None and district_year(verdict) not in changed:
            kept.append((verdict, path))
            continue
        left[_file(verdict.arrival)] = why = "changed" if path is None else "left-with-changed"
        if path is not None:  # the next run keeps it again, under the verdict it gets then
            path.unlink()
        log.event(why, file=verdict.arrival.name, folder=verdict.arrival.folder)
    return [verdict for verdict, _ in kept], [path for _, path in kept], left


def _file(arrival: Arrival) -> tuple[str, str | None]:
    """What is judged once: the bytes in their folder (store.known_files)."""
    return arrival.sha256, arrival.folder


def _store(con, settings: Settings, report: RunReport, log: RunLog, verdicts: list[Verdict],
           kept: list[Path], responses: list[Response], stale: set[Path]) -> None:
    """The verdicts in the warehouse, one transaction (the `stale` workbooks owed no more),
    and on the run's report and log."""
    relative = [str(path.relative_to(settings.outputs)) for path in kept]
    if verdicts:
        store.record(con, verdicts, relative, report.run_id, [
            str(r.feedback_path.relative_to(settings.outputs)) if r.feedback_path else None
            for r in responses], [str(path.relative_to(settings.outputs)) for path in stale])
    for verdict, path, response in zip(verdicts, relative, responses, strict=True):
        report.add_verdict(verdict, path, response, settings.outputs)
        log.event("file", file=verdict.arrival.name, folder=verdict.arrival.folder,
                  outcome="accepted" if verdict.accepted else "rejected",
                  problems=len(verdict.problems))


def _clear(stale: set[Path]) -> None:
    """The annotated workbooks the night's files make stale, removed before the warehouse
    commits: a run killed after the commit would leave them for good, the next finding the
    files already judged. Should the commit never come, the next run judges the files again
    and finds them as stale."""
    for path in stale:
        path.unlink(missing_ok=True)


def _after_commit(con, settings: Settings, report: RunReport, log: RunLog,
                  arrivals: list[Arrival], new: list[Arrival]) -> None:
    """Once the warehouse holds the night's files: the files already judged answered, and
    the inbox released."""
    _answer_duplicates(con, settings, report, log, arrivals, new)
    for arrival in arrivals:
        keep.release(arrival)


def _keep(settings: Settings, verdict: Verdict) -> Path | None:
    """The file's durable copy; None when the clerk saved over it or took it away since it
    was read: what was judged is not what is there, so it is left for the next run."""
    try:
        return keep.keep(verdict.arrival,
                         settings.archive if verdict.accepted else settings.quarantine)
    except keep.Changed:
        return None


def _feedback(con, settings: Settings) -> Callable[[], None]:
    """Starts the annotated workbooks the warehouse says are owed; calling what it returns
    waits for them, then they are no longer owed. Several take both cores and are waited
    for here, before the roll-ups; one is written on the core the roll-ups leave idle until
    their books are handed out."""
    owed = store.owed_feedback(con)
    if not owed:
        return lambda: None
    written = start_annotating([(settings.outputs / kept, problems, settings.outputs / path)
                                for _, kept, path, problems in owed])

    def done() -> None:
        written()
        store.feedback_written(con)

    if len(owed) == 1:
        return done
    done()
    return lambda: None


def _history(con, raws: list[RawWorkbook]) -> History:
    """The warehouse's figures these files are checked against."""
    about = [raw.metadata for raw in raws]
    return load_history(con, {m["district_code"] for m in about if m.get("district_code")},
                        {m["period"] for m in about if m.get("period")})


def _new_arrivals(con, arrivals: list[Arrival]) -> list[Arrival]:
    """Files not seen before; one seen in its folder (same sha256, any name) is a duplicate,
    only answered and released (_answer_duplicates). The same bytes in another folder are
    judged there: a clerk moves a file sent to another district's folder to the district's."""
    seen = store.known_files(con)
    new = []
    for arrival in arrivals:
        if _file(arrival) not in seen:
            seen.add(_file(arrival))
            new.append(arrival)
    return new


def _answer_duplicates(con, settings: Settings, report: RunReport, log: RunLog,
                       arrivals: list[Arrival], new: list[Arrival]) -> None:
    """A receipt for each file already judged, saying when and how, where its clerk looks:
    a clerk who sends the same file again (did it arrive?) or another district's file got
    nothing at all. Once the night's files are stored: the first of two copies sent the same
    night is judged first."""
    taken = {arrival.path for arrival in new}
    duplicates = [arrival for arrival in arrivals if arrival.path not in taken]
    if not duplicates:
        return
    earlier = store.earlier_submissions(con, duplicates)
    for arrival in duplicates:
        receipt = respond_duplicate(arrival, earlier.get(arrival.path), settings.answers)
        report.add_duplicate(arrival, receipt, settings.outputs, earlier.get(arrival.path))
        log.event("file", file=arrival.name, folder=arrival.folder, outcome="duplicate")


def _publish(con, settings: Settings, registries: RegistryVersions, reference,
             periods: list[str], report: RunReport, advance: Callable[[], None]) -> None:
    """Rewrites the outputs of each period whose inputs changed: roll-ups, scores in the
    warehouse, open data and dashboard, then its manifest. The next period is built while the
    writers write this one's books, and each of its writers starts as one of this one's is
    done (two at a time, pipeline.writers); a period's manifest is saved only once its books
    are written, in the periods' order."""
    pending: Callable[[], None] | None = None  # the previous period, its books under way
    for code in sorted(periods, key=lambda c: (parse_period(c).end, c)):
        registry = registries.in_force(code)
        stamp = freshness.fingerprint(con, code, registry.content_sha256,
                                      repr(settings.thresholds))
        manifest = freshness.load(_manifest(settings, code), stamp, settings.outputs)
        if manifest is None:
            written = _rewrite(con, settings, registry, reference, code, periods, report)
            finish = partial(_finish, settings, report, code, stamp, written, advance)
        else:
            finish = partial(_standing, settings, report, code, manifest, advance)
        if pending:
            pending()  # once this period's books are handed out: the periods in their order
        pending = finish
    if pending:
        pending()


def _rewrite(con, settings: Settings, registry, reference, code: str, periods: list[str],
             report: RunReport
             ) -> tuple[Callable[[], tuple[dict[Path, dict], list[Path]]], dict]:
    """Builds the period, hands its books to writers, stores its scores and writes its open
    data and dashboard; returns what waits for the books, and the manifest's record."""
    data = rollup.build(con, registry, reference, parse_period(code), settings.thresholds)
    earlier = rollup.stored_city_figures(
        con, [parse_period(other) for other in periods if other[:4] == code[:4]
              and parse_period(other).end < data.period.end], settings.thresholds)
    books = start_rollups(data, settings.rollups_dir(code), earlier,
                          freshness.books(_manifest(settings, code)))
    frames = export.tables(data)
    store.replace_scores(con, code, frames)  # read back as an earlier period by the next
    public = export.export(frames, settings.public_dir(code))
    public.append(write_dashboard(data, settings.public_dir(code), earlier))
    report.public[code] = [str(p.relative_to(settings.outputs)) for p in public]
    return books, _completeness(data.completeness)


def _finish(settings: Settings, report: RunReport, code: str, stamp: str,
            written: tuple[Callable[[], tuple[dict[Path, dict], list[Path]]], dict],
            advance: Callable[[], None]) -> None:
    books, recorded = written
    records, rewritten = books()
    report.rollups[code] = [str(p.relative_to(settings.outputs)) for p in records]
    report.rewritten[code] = [str(p.relative_to(settings.outputs)) for p in rewritten]
    freshness.save(_manifest(settings, code), stamp, recorded,
                   {path.stem: record for path, record in records.items()},
                   report.rollups[code] + report.public[code])
    _record(report, code, recorded, advance)


def _standing(settings: Settings, report: RunReport, code: str, manifest: dict,
              advance: Callable[[], None]) -> None:
    """A period whose outputs stand as they were written: the run report lists them all the
    same, none rewritten, so that a quiet night still says where they are."""
    books = settings.rollups_dir(code).relative_to(settings.outputs)
    files = manifest.get("files", [])
    report.rollups[code] = [name for name in files if Path(name).parent == books]
    report.public[code] = [name for name in files if Path(name).parent != books]
    report.rewritten[code] = []
    _record(report, code, manifest["recorded"], advance)


def _manifest(settings: Settings, code: str) -> Path:
    return settings.outputs / ".state" / f"{code}.json"


def _record(report: RunReport, code: str, recorded: dict, advance: Callable[[], None]) -> None:
    report.missing[code] = recorded["missing"]
    report.late[code] = recorded["late"]
    report.completeness[code] = recorded["completeness"]
    advance()


def _overdue(con, registries: RegistryVersions, reference, sent: list[str],
             report: RunReport) -> None:
    """The periods past due that no district has sent a file for (pipeline.overdue), each
    with every district expected of it missing, as a period's outputs would name them."""
    today = report.started_at.astimezone(BANGKOK).date()
    for code, due in overdue.unsent(sent, registries, today).items():
        nobody = rollup.completeness(con, registries.in_force(code), reference, parse_period(code))
        report.unsent[code] = due.isoformat()
        _record(report, code, _completeness(nobody), lambda: None)


def _completeness(completeness: pd.DataFrame) -> dict:
    """Who is missing and the reporting rates, as the run report and the manifest hold them."""
    without = completeness[completeness["state"] != "accepted"]
    late = completeness[completeness["state"].eq("accepted") & ~completeness["on_time"]]
    return json.loads(json.dumps(
        {"missing": without[["district_code", "name_th", "state"]].to_dict("records"),
         "late": late[["district_code", "name_th"]].to_dict("records"),
         "completeness": rollup.reporting_rates(completeness).to_dict("records")}, default=str))


def check(settings: Settings, paths: list[Path]
          ) -> tuple[list[tuple[Verdict, Response]], list[tuple[Arrival, dict]]]:
    """The dry run: judges files as the nightly run would and writes their responses, but
    stores nothing and moves nothing. A file the warehouse already has from its folder (same
    sha256) is not judged, as the nightly run would not judge it again: it comes back with the
    submission it repeats (store.earlier_submissions)."""
    with workspace_lock(settings):
        reference, registry = _registry(settings)
        districts = set(reference.districts["code"])
        arrivals = [arrival_for(p, _folder_of(p, settings.inbox, districts)) for p in paths]
        with _warehouse_if_any(settings) as con:
            earlier = store.earlier_submissions(con, arrivals) if con else {}
            raws = read_all([a for a in arrivals if a.path not in earlier], settings.limits)
            history = _history(con, raws) if con else History()
            registries = registry_store.versions(con, registry, settings)
        verdicts = judge(raws, registries, settings, history)
        responses = respond(verdicts, history.facts, reference, settings.dry_run_answers,
                            checked=True)
        annotate([(verdict.arrival.path, verdict.problems, response.feedback_path)
                  for verdict, response in zip(verdicts, responses, strict=True)
                  if response.feedback_path])
        for stale in stale_feedback(verdicts, responses):  # an earlier dry run's, or this one's
            stale.unlink(missing_ok=True)
        return (list(zip(verdicts, responses, strict=True)),
                [(a, earlier[a.path]) for a in arrivals if a.path in earlier])


def _folder_of(path: Path, inbox: Path, districts: set[str]) -> str | None:
    """The folder a checked file is judged as sent from: in the inbox, the one the nightly run
    would take it from, else its own folder when named as a district's."""
    try:
        return inbox_folder(path.resolve(), inbox.resolve())
    except ValueError:  # not in the inbox
        return path.parent.name if path.parent.name in districts else None


def registry_in_force(settings: Settings, period: str):
    """The reference and the registry version in force for the period, as the nightly run
    will check files of that period against it: a template made from another version would
    be rejected. registry.xlsx is stored as a run stores it (a changed registry without a
    new version refused): templates are made from it, and registry.xlsx edited afterwards
    under the same version would judge their files against what they do not show."""
    with workspace_lock(settings):
        reference = load_reference()
        with closing(store.connect(settings.warehouse_path)) as con:
            registry, file_sha256 = registry_store.load_current(con, settings, reference)
            registries = registry_store.sync(con, reference, registry, file_sha256, settings)
        return reference, _listing(registries, period).in_force(period)


@contextmanager
def _warehouse_if_any(settings: Settings):
    """The warehouse, read only; None in a workspace that has none yet (nothing was run)."""
    if not settings.warehouse_path.exists():
        yield None
        return
    with closing(store.connect(settings.warehouse_path, read_only=True)) as con:
        yield con


def export_period(settings: Settings, period: str) -> list[Path]:
    """The period's open-data files, from the warehouse as it stands, scored with the registry
    versions it holds (registry.xlsx as a new version counts once a run has loaded it). A
    period no file was sent for is refused (PeriodError), as the nightly run publishes
    nothing for it: a table of "no data" for every district would read as published
    figures."""
    with workspace_lock(settings):
        reference, registry = _registry(settings)
        with _warehouse_if_any(settings) as con:
            registries = _listing(registry_store.versions(con, registry, settings), period)
            if con is None or not rollup.periods_sent(con, [period]):
                raise PeriodError(f"ยังไม่มีไฟล์ที่ส่งมาสำหรับรอบ {period} จึงไม่มีข้อมูลให้เผยแพร่ / "
                                  f"no file was sent for period {period}: nothing to publish")
            data = rollup.build(con, registry_store.loaded(con, registries).in_force(period),
                                reference, parse_period(period), settings.thresholds)
        return export.export(export.tables(data), settings.public_dir(period))


def trace_figure(settings: Settings, district: str, period: str, kr: str) -> pd.DataFrame:
    """A figure's history, read under the lock: DuckDB lets no reader in while a run writes.
    A district, period or KR the registry does not know is refused (UnknownName, PeriodError):
    a name typed wrong would read as a figure nobody reported. A KR a later version retired
    from the period is known by the figures stored for it."""
    with workspace_lock(settings):
        reference, registry = _registry(settings)
        with _warehouse_if_any(settings) as con:
            registries = _listing(registry_store.versions(con, registry, settings), period)
            if district not in set(reference.districts["code"]):
                raise UnknownName(f"ไม่มีเขตรหัส {district} / no district has the code {district}")
            history = trace(con, district, period, kr) if con else pd.DataFrame()
            in_force = registries.in_force(period)
            if history.empty and kr not in set(in_force.key_results["kr_code"]):
                raise UnknownName(f"ไม่มีตัวชี้วัด {kr} ในทะเบียนของรอบ {period} / the registry "
                                  f"of period {period} has no key result {kr}")
            if history.empty and kr not in in_force.assigned_codes(district):
                raise UnknownName(f"เขต {district} ไม่ได้รับมอบหมายตัวชี้วัด {kr} ในรอบ {period} / "
                                  f"key result {kr} is not assigned to district {district} in "
                                  f"period {period}")
            return history


def set_period(settings: Settings, action: str, period: str, actor: str,
               now: Callable[[], datetime] = lambda: datetime.now(UTC), force: bool = False
               ) -> tuple[str, list[tuple[str, str, datetime]]]:
    """Opens, closes or reopens a period of the registry, under the run's lock: one writer at
    a time. Returns the period's state and, when it is reopened, the files refused while it
    was closed (period_locks.refused_while_closed). A folder without a registry is not a
    workspace: it is refused (RegistryError) rather than given a warehouse of its own where
    the period would be closed unseen. A period is not closed while new files wait in the
    inbox, unless `force`d: they may be its own, sent in time, and would be refused."""
    with workspace_lock(settings):
        registry = _registry(settings)[1]
        with closing(store.connect(settings.warehouse_path)) as con:
            _listing(registry_store.versions(con, registry, settings), period)
            if action == "close" and not force and period_locks.state(con, period) == "open":
                _nothing_waiting(con, settings)  # a closed one: record() says it is closed
            state = period_locks.record(con, action, period, actor, now())
            refused = period_locks.refused_while_closed(con, period) if action == "reopen" else []
            return state, refused


def _nothing_waiting(con, settings: Settings) -> None:
    new = _new_arrivals(con, discover(settings.inbox)) if waiting(settings.inbox) else []
    if new:
        names = ", ".join(f"{a.folder or 'inbox'}/{a.name}" for a in new)
        raise period_locks.PeriodActionError(
            f"มีไฟล์ {len(new)} ไฟล์รอในกล่องรับที่ยังไม่ได้ตรวจ ({names}) อาจเป็นไฟล์ของรอบนี้ที่ส่งทันกำหนด "
            "กรุณาเรียกงานประจำคืน (run) ก่อนปิดรอบ หรือสั่งปิดด้วย --force / "
            f"{len(new)} file(s) wait in the inbox, not yet judged ({names}): they may be this "
            "period's, sent in time, and would be refused once it is closed; run the nightly "
            "job first, or close with --force")


def _listing(registries: RegistryVersions, period: str) -> RegistryVersions:
    """The registry versions, if one's periods sheet lists the period (last fiscal year's
    too, once the next year's registry is loaded): templates, open data or a lock for a
    period none lists would serve files that can only be rejected."""
    if period not in registries.listed:
        raise PeriodError(f"รอบ {period} ไม่อยู่ในทะเบียน OKR (แผ่นงาน periods) / period {period} "
                          "is not in the registry's periods sheet")
    return registries


def _registry(settings: Settings):
    reference = load_reference()
    return reference, load_registry(settings.registry_path, reference)
