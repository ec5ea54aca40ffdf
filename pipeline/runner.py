"""The nightly flow: lock → discover → read → validate → keep → store → release → roll up → report.

Stages never call each other; this module wires them. A run is safe to repeat: files already
seen (same sha256) are only released from the inbox, and roll-ups are rewritten only for the
periods whose data changed, or that have none.
"""

import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from pipeline import keep, period_locks, registry_store, rollup, store
from pipeline.discover import arrival_for, discover
from pipeline.export import export
from pipeline.history import History, load_history
from pipeline.periods import parse_period
from pipeline.read import read_all
from pipeline.reference import load_reference
from pipeline.registry import load_registry
from pipeline.report import RunReport
from pipeline.respond import Response, respond
from pipeline.rollup_xlsx import write_rollups
from pipeline.settings import Settings
from pipeline.trace import trace
from pipeline.validate import judge
from pipeline.values import Verdict

ROLLUP_FILES = 16


class LockHeld(Exception):
    """Another run holds the workspace's lock."""


@contextmanager
def workspace_lock(settings: Settings):
    settings.outputs.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout as err:
        raise LockHeld(f"another run holds {settings.lock_path}; try again when it has "
                       "finished") from err
    try:
        yield
    finally:
        lock.release()


def run(settings: Settings, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> RunReport:
    with workspace_lock(settings):
        started = now()
        report = RunReport(run_id=f"{started:%Y%m%dT%H%M%S}Z-{os.getpid()}", started_at=started)
        clock = _Clock(report)
        reference, registry = _registry(settings)
        report.registry_version = registry.version
        con = store.connect(settings.warehouse_path)
        try:
            registries = registry_store.sync(con, reference, registry, settings)
            with clock("discover"):
                arrivals = discover(settings.inbox)
                seen = store.known_hashes(con)
                new = []
                for arrival in arrivals:
                    if arrival.sha256 in seen:
                        report.add_duplicate(arrival)
                    else:
                        seen.add(arrival.sha256)
                        new.append(arrival)
            with clock("read"):
                raws = read_all(new, settings.limits)
            with clock("validate"):
                history = load_history(con)
                verdicts = judge(raws, registries, settings, history)
            with clock("store"):
                kept = [keep.keep(v.arrival, settings.archive if v.accepted
                                  else settings.quarantine) for v in verdicts]
            with clock("respond"):
                responses = respond(verdicts, kept, history.facts, reference, settings.outputs)
            with clock("store"):
                relative = [str(path.relative_to(settings.outputs)) for path in kept]
                if verdicts:
                    store.record(con, verdicts, relative, report.run_id)
                for verdict, path, response in zip(verdicts, relative, responses, strict=True):
                    report.add_verdict(verdict, path, response, settings.outputs)
                for arrival in arrivals:
                    keep.release(arrival)
            with clock("rollups"):
                changed = {v.period for v in verdicts if v.accepted}
                for code in rollup.periods_with_data(con):
                    if code in changed or not _rollups_complete(settings, code):
                        data = rollup.build(con, registries.in_force(code), reference,
                                            parse_period(code), settings.thresholds)
                        paths = write_rollups(data, settings.rollups_dir(code))
                        report.rollups[code] = [str(p.relative_to(settings.outputs))
                                                for p in paths]
                    completeness = rollup.completeness(con, registries.in_force(code),
                                                       reference, parse_period(code))
                    without = completeness[completeness["state"] != "accepted"]
                    report.missing[code] = without[["district_code", "name_th", "state"]].to_dict(
                        "records")
                    report.completeness[code] = rollup.reporting_rates(completeness).to_dict(
                        "records")
        finally:
            con.close()
        report.finished_at = now()
        report.write(settings.runs)
        return report


def check(settings: Settings, paths: list[Path]) -> list[tuple[Verdict, Response]]:
    """The dry run: judges files as the nightly run would and writes their responses, but
    stores nothing and moves nothing."""
    with workspace_lock(settings):
        reference, registry = _registry(settings)
        history = History()
        registries = registry_store.versions(None, registry, settings)
        if settings.warehouse_path.exists():
            con = store.connect(settings.warehouse_path, read_only=True)
            try:
                history = load_history(con)
                registries = registry_store.versions(con, registry, settings)
            finally:
                con.close()
        districts = set(reference.districts["code"])
        arrivals = [arrival_for(p, p.parent.name if p.parent.name in districts else None)
                    for p in paths]
        verdicts = judge(read_all(arrivals, settings.limits), registries, settings, history)
        responses = respond(verdicts, paths, history.facts, reference, settings.outputs)
        return list(zip(verdicts, responses, strict=True))


def export_period(settings: Settings, period: str) -> list[Path]:
    """The period's open-data files, from the warehouse as it stands."""
    with workspace_lock(settings):
        reference, registry = _registry(settings)
        con = store.connect(settings.warehouse_path, read_only=True)
        try:
            registries = registry_store.versions(con, registry, settings)
            data = rollup.build(con, registries.in_force(period), reference,
                                parse_period(period), settings.thresholds)
        finally:
            con.close()
        return export(data, settings.public_dir(period))


def trace_figure(settings: Settings, district: str, period: str, kr: str) -> pd.DataFrame:
    """A figure's history, read under the lock: DuckDB lets no reader in while a run writes."""
    if not settings.warehouse_path.exists():
        return pd.DataFrame()
    with workspace_lock(settings):
        con = store.connect(settings.warehouse_path, read_only=True)
        try:
            return trace(con, district, period, kr)
        finally:
            con.close()


def set_period(settings: Settings, action: str, period: str, actor: str,
               now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> str:
    """Opens, closes or reopens a period, under the run's lock: one writer at a time."""
    with workspace_lock(settings):
        con = store.connect(settings.warehouse_path)
        try:
            return period_locks.record(con, action, period, actor, now())
        finally:
            con.close()


def _registry(settings: Settings):
    reference = load_reference()
    return reference, load_registry(settings.registry_path, reference)


def _rollups_complete(settings: Settings, period: str) -> bool:
    folder = settings.rollups_dir(period)
    return folder.is_dir() and len(list(folder.glob("*.xlsx"))) == ROLLUP_FILES


class _Clock:
    """Adds each stage's wall time to the report."""

    def __init__(self, report: RunReport):
        self.report = report

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        yield
        self.report.seconds[stage] = round(
            self.report.seconds.get(stage, 0.0) + time.perf_counter() - start, 4)
