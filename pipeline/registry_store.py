"""Registry versions ⇄ the warehouse: each version stored once, and which one is in force for a
period.

A new registry workbook (a KR added, a target revised, a KR retired) is loaded as a new
version, in force from the period its `about` sheet names. Earlier periods keep the version
they were reported under, so a revised target never rewrites last quarter's roll-up. A
registry edited without a new version would silently change history: it is refused.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from pipeline import period_locks, store
from pipeline.discover import sha256_of
from pipeline.periods import parse_period
from pipeline.reference import Reference
from pipeline.registry import Registry, RegistryError, in_registry_order, load_registry
from pipeline.settings import Settings


@dataclass(frozen=True)
class RegistryVersions:
    """Every known version in load order; the last is registry.xlsx as it stands."""

    versions: tuple[Registry, ...]

    @property
    def current(self) -> Registry:
        return self.versions[-1]

    @cached_property
    def listed(self) -> frozenset[str]:
        """The periods some version's periods sheet lists: a file of last fiscal year's Q4,
        sent after the next year's registry is loaded, is of a known period."""
        return frozenset(period for registry in self.versions
                         for period in registry.periods["period"])

    def get(self, version: str) -> Registry | None:
        return next((r for r in self.versions if r.version == version), None)

    def due_date(self, period: str):
        """The due date of the version in force for the listed period, else of the latest
        that lists it."""
        for registry in (self.in_force(period), *reversed(self.versions)):
            due = registry.periods.set_index("period")["due_date"]
            if period in due.index:
                return due[period]
        raise KeyError(period)  # listed, so some version lists it

    def in_force(self, period: str) -> Registry:
        """The latest loaded version in force from `period` or earlier, in its fiscal year."""
        start = parse_period(period).start
        year = int(period[:4])
        candidates = [r for r in self.versions if r.fiscal_year == year
                      and parse_period(r.in_force_from).start <= start]
        return candidates[-1] if candidates else self.current


# How registry.xlsx's cells are read. A run reads the version from the warehouse when the same
# bytes were read before by the same reading: since revision 2, a cell formatted as a percentage
# is read as it shows, so bytes stored before are read once again.
READING = 2


def load_current(con: duckdb.DuckDBPyConnection, settings: Settings,
                 reference: Reference) -> tuple[Registry, str]:
    """registry.xlsx and the sha256 of its bytes and of the READING they are read by; from the
    warehouse when these bytes were loaded before so: parsing and checking the workbook is most
    of a run with nothing new."""
    path = settings.registry_path
    digest = hashlib.sha256(f"{READING}:{sha256_of(path)}".encode()).hexdigest() \
        if path.is_file() else ""
    row = con.execute("SELECT registry_version, fiscal_year, in_force_from, content_sha256 "
                      "FROM registry_versions WHERE file_sha256 = ?", [digest]).fetchone()
    return (_load(con, *row) if row else load_registry(path, reference)), digest


def versions(con: duckdb.DuckDBPyConnection | None, current: Registry,
             settings: Settings) -> RegistryVersions:
    """The stored versions and the current file, which comes last whether stored or not."""
    rows = con.execute("SELECT registry_version, fiscal_year, in_force_from, content_sha256 "
                       "FROM registry_versions ORDER BY loaded_seq").fetchall() if con else []
    for row in rows:
        if row[0] != current.version or row[3] in (None, current.content_sha256,
                                                   current.typed_sha256):
            continue
        then = _load(con, *row)
        if not _holds_the_same(then, current):
            raise RegistryError(settings.registry_path, [
                f"sheet about: registry_version '{current.version}' is already stored with "
                "other content; a changed registry needs a new registry_version (and "
                "in_force_from, the first period it applies to)",
                *_read_as_fractions(then, current)])
    stored = [row[0] for row in rows]
    if current.version in stored:
        later = [version for version, year, _, _ in rows[stored.index(current.version) + 1:]
                 if year == current.fiscal_year]
        if later:  # put back, it would take the periods of the versions that followed it
            raise RegistryError(settings.registry_path, [
                f"sheet about: registry_version '{current.version}' was followed by "
                f"'{later[-1]}' in fiscal year {current.fiscal_year}; registry.xlsx must be "
                f"the latest version ('{later[-1]}') or a new one (a new registry_version "
                "and in_force_from)"])
    earlier = tuple(_load(con, *row) for row in rows if row[0] != current.version)
    follows = [r.version for r in earlier if r.fiscal_year == current.fiscal_year]
    if follows and not current.in_force_from_named and current.version not in (
            row[0] for row in rows):
        raise RegistryError(settings.registry_path, [
            f"sheet about: in_force_from is missing; registry_version '{current.version}' "
            f"follows '{follows[-1]}' in fiscal year {current.fiscal_year}, so it must name the "
            "first period it applies to (the periods before it keep the version they were "
            "reported under)"])
    return RegistryVersions((*earlier, current))


def _holds_the_same(stored: Registry, current: Registry) -> bool:
    """Whether registry.xlsx holds what the version stored under its name holds, its
    assignments and periods in any order: the office sorts and filters the thousands of rows
    of assignments in Excel, and a sorted sheet is no new version. Assignments come in the
    KRs' order from either source (registry.in_registry_order); the KRs' order is their
    templates' row order: it is content."""
    return (stored.fiscal_year, parse_period(stored.in_force_from).start) == (
        current.fiscal_year, parse_period(current.in_force_from).start) and all(
        getattr(stored, sheet).equals(getattr(current, sheet))
        for sheet in ("objectives", "key_results", "assignments")) and (
        stored.periods.sort_values("period", ignore_index=True).equals(
            current.periods.sort_values("period", ignore_index=True)))


def _read_as_fractions(stored: Registry, current: Registry) -> list[str]:
    """Why a registry nobody changed is refused after an upgrade: its cells formatted as
    percentages (92.5%) were stored as the fractions Excel keeps (0.925) before READING 2."""
    keys = ["kr_code", "district_code"]
    both = stored.assignments.merge(current.assignments, on=keys, suffixes=("_then", "_now"))
    hundredfold = pd.concat([both[[*keys, f"{c}_then", f"{c}_now"]].set_axis(
        [*keys, "then", "now"], axis=1).assign(column=c) for c in ("baseline", "target")])
    hundredfold = hundredfold[hundredfold["then"].ne(hundredfold["now"]) & np.isclose(
        hundredfold["then"] * 100, hundredfold["now"])]
    if hundredfold.empty:
        return []
    first = hundredfold.iloc[0]
    return [f"sheet assignments: {len(hundredfold)} baselines or targets are formatted as "
            f"percentages and were stored as fractions, a hundred times too small ({first.kr_code}"
            f" for {first.district_code}, column {first.column}: {first.now:g}% stored as "
            f"{first.then:g}), before this version of the pipeline read them as they show; "
            "give the registry a new registry_version in force from the first period still "
            "open (in_force_from), and tell the committee which figures were scored against "
            "them"]


def loaded(con: duckdb.DuckDBPyConnection, known: RegistryVersions) -> RegistryVersions:
    """The versions a run has loaded (`known`: versions()): registry.xlsx's own only once a
    run took it in, checking it against the closed periods. What the warehouse's figures were
    scored with, and export publishes."""
    stored = {row[0] for row in con.execute(
        "SELECT registry_version FROM registry_versions").fetchall()}
    return known if known.current.version in stored else RegistryVersions(known.versions[:-1])


def _refuse_closed(con: duckdb.DuckDBPyConnection, known: RegistryVersions,
                   settings: Settings) -> None:
    """A new version replacing another of its year in a closed period would score the
    period anew and rewrite its books. Checked only where versions are stored: `period
    reopen`, which the message asks for, must not be refused by it."""
    new = known.current
    if not any(r.fiscal_year == new.fiscal_year for r in known.versions[:-1]):
        return
    start = parse_period(new.in_force_from).start
    closed = sorted((code for code in period_locks.closed_periods(con)
                     if int(code[:4]) == new.fiscal_year and parse_period(code).start >= start),
                    key=lambda code: parse_period(code).start)
    if closed:
        raise RegistryError(settings.registry_path, [
            f"sheet about: in_force_from '{new.in_force_from}' would put registry_version "
            f"'{new.version}' in force for {', '.join(closed)}, already closed: a closed "
            "period keeps the figures and roll-ups it was closed with; name a later period, or "
            "reopen those first (python run_pipeline.py period reopen PERIOD)"])


def sync(con: duckdb.DuckDBPyConnection, reference: Reference, current: Registry,
         file_sha256: str, settings: Settings) -> RegistryVersions:
    """Stores the current registry if it is a new version, and the reference tables when
    they are not what the code holds: an upgrade that renames a dimension changes no
    registry."""
    known = versions(con, current, settings)
    stored = con.execute("SELECT content_sha256, file_sha256 FROM registry_versions "
                         "WHERE registry_version = ?", [current.version]).fetchone()
    tables = _reference_tables(reference)
    if stored == (current.content_sha256, file_sha256) and all(
            store.holds(con, table, frame) for table, frame in tables.items()):
        return known
    if not stored:
        _refuse_closed(con, known, settings)
    con.execute("BEGIN")
    if stored:  # the same content re-saved or sorted, stored before versions had hashes, or
        # the same file with only the reference tables to write
        con.execute("UPDATE registry_versions SET content_sha256 = ?, file_sha256 = ? "
                    "WHERE registry_version = ?",
                    [current.content_sha256, file_sha256, current.version])
    else:
        _store_version(con, current, file_sha256)
    for table, frame in tables.items():
        store.replace(con, table, frame)
    store.replace(con, "periods", _periods(known))
    con.execute("COMMIT")
    return known


def _reference_tables(reference: Reference) -> dict[str, pd.DataFrame]:
    return {"district_groups": reference.groups[["group_code", "group_th", "group_en"]],
            "districts": reference.districts.rename(columns={"code": "district_code"}),
            "dimensions": reference.dimensions,
            "development_issues": reference.issues}


def _store_version(con: duckdb.DuckDBPyConnection, registry: Registry,
                   file_sha256: str) -> None:
    seq = con.execute("SELECT coalesce(max(loaded_seq), 0) + 1 FROM registry_versions"
                      ).fetchone()[0]
    con.execute("INSERT INTO registry_versions (registry_version, fiscal_year, in_force_from, "
                "content_sha256, loaded_seq, file_sha256) VALUES (?, ?, ?, ?, ?, ?)",
                [registry.version, registry.fiscal_year, registry.in_force_from,
                 registry.content_sha256, seq, file_sha256])
    version = {"registry_version": registry.version}
    store.insert(con, "objectives", registry.objectives.assign(**version))
    store.insert(con, "key_results", registry.key_results.assign(**version))
    store.insert(con, "assignments", registry.assignments.assign(**version))
    store.insert(con, "registry_periods", registry.periods.assign(**version))


def _periods(known: RegistryVersions) -> pd.DataFrame:
    """Every period a version lists, each with the due date in force for it: last year's
    periods stay once the next year's registry is loaded, its figures with them."""
    codes = sorted(known.listed, key=lambda code: parse_period(code).start)
    parsed = [parse_period(code) for code in codes]
    return pd.DataFrame({
        "period": codes,
        "start_date": [p.start for p in parsed],
        "end_date": [p.end for p in parsed],
        "due_date": [known.due_date(code) for code in codes],
        "expected_share": [p.elapsed_share for p in parsed],
    })


def _load(con: duckdb.DuckDBPyConnection, version: str, fiscal_year: int, in_force_from: str,
          content_sha256: str | None) -> Registry:
    def table(name: str) -> pd.DataFrame:
        return _as_parsed(con.execute(f"SELECT * EXCLUDE (registry_version) FROM {name} "
                                      f"WHERE registry_version = ? ORDER BY rowid",
                                      [version]).df())

    objectives = table("objectives").merge(
        _as_parsed(con.execute("SELECT issue_code, dimension_id FROM development_issues").df()),
        on="issue_code", how="left")
    periods = table("registry_periods")
    key_results = table("key_results")
    return Registry(
        version=version, fiscal_year=fiscal_year, in_force_from=in_force_from,
        content_sha256=content_sha256,
        objectives=objectives,
        key_results=key_results,
        assignments=in_registry_order(table("assignments"), key_results),
        periods=periods.assign(due_date=pd.to_datetime(periods["due_date"]).dt.date),
    )


def _as_parsed(frame: pd.DataFrame) -> pd.DataFrame:
    """Integers as the workbook's registry has them: outputs must not depend on where the
    registry was read from."""
    return frame.astype({c: "int64" for c in frame.select_dtypes("integer").columns})
