"""A district's files for several periods sent in one night, judged as if each period had come
on a night of its own, the earliest first: a later period's figures are compared with the
earlier periods accepted that night, in place of the warehouse's figures they replace.

validate.judge checks every period against the warehouse alone, a backlog's periods in two
processes at once. The night is then walked a period at a time, earliest end first, and a
period is judged again, all its files together as before, when one of its files may fare
otherwise: a cumulative figure below the same KR's highest in the earlier periods accepted
that night, a fall found against the warehouse (a figure of the night may stand before the one
it fell below), or a correction tonight without a KR the warehouse held for its period (the
figure before it counts again). An honest backlog is judged once. The file of a period that
counts is the one a run stores last: a district's last accepted file in order of receipt,
whole.

Only what a figure is compared with across periods changes; outliers are measured against the
warehouse and the period's peers, for every file alike.
"""

import math
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property

import pandas as pd

from pipeline import history as past
from pipeline.periods import parse_period
from pipeline.registry_store import RegistryVersions
from pipeline.values import RawWorkbook, Verdict

FALL = "cumulative-decreased"
_NEIGHBOUR_COLUMNS = ["district_code", "period", "kr_code", "actual"]


def walk(raws: list[RawWorkbook], verdicts: dict[int, Verdict],
         figures: dict[int, pd.DataFrame], history: past.History,
         registries: RegistryVersions,
         again: Callable[[list[int], past.History], None]) -> None:
    """Updates `verdicts` and `figures` (every judged file's rows, by file id) where a period
    is judged again: `again(its file ids, the history with the night's earlier figures)` does
    so."""
    by_period = _by_period(raws, registries)
    night = _Night(_several_periods(by_period, verdicts), history, registries)
    if not night.districts:
        return
    for period in sorted(by_period, key=lambda code: (parse_period(code).end, code)):
        file_ids = by_period[period]
        if any(night.may_change(verdicts[i], figures.get(i)) for i in file_ids):
            again(sorted(file_ids), night.history())  # as first judged: in the files' order
        night.accept(period, [verdicts[i] for i in file_ids])


def _by_period(raws: list[RawWorkbook], registries: RegistryVersions) -> dict[str, list[int]]:
    """Each known period's files, in the order a run stores them: by receipt, as
    pipeline.discover orders a night's files (`check` is given them in any order)."""
    by_period: dict[str, list[int]] = {}
    for file_id in sorted(range(len(raws)), key=lambda i: _receipt(raws[i])):
        period = raws[file_id].metadata.get("period")
        if period in registries.listed:
            by_period.setdefault(period, []).append(file_id)
    return by_period


def _receipt(raw: RawWorkbook) -> tuple:
    arrival = raw.arrival
    return arrival.received_at, arrival.folder or "", arrival.name


def _several_periods(by_period: dict[str, list[int]],
                     verdicts: dict[int, Verdict]) -> set[tuple[str, int]]:
    """(district, fiscal year) of each district that sent files for more than one period of
    a year tonight."""
    periods: dict[tuple[str, int], set[str]] = {}
    for period, file_ids in by_period.items():
        year = parse_period(period).fiscal_year
        for file_id in file_ids:
            if district := verdicts[file_id].district_code:
                periods.setdefault((district, year), set()).add(period)
    return {key for key, seen in periods.items() if len(seen) > 1}


class _Night:
    """The periods accepted so far tonight, of the districts that sent several."""

    def __init__(self, districts: set[tuple[str, int]], history: past.History,
                 registries: RegistryVersions):
        self.districts = districts
        self._history = history
        self._registries = registries
        self._accepted: dict[tuple[str, str], pd.DataFrame] = {}  # by (district, period)
        self._highest: dict[tuple[str, int], dict[str, float]] = {}  # KR → its highest figure
        self._dropped: set[tuple[str, int]] = set()  # a KR the warehouse held, not tonight
        self._rising: dict[str, set[str]] = {}

    def may_change(self, verdict: Verdict, figures: pd.DataFrame | None) -> bool:
        """Whether the file may fare otherwise against the night's earlier periods."""
        key = (verdict.district_code, parse_period(verdict.period).fiscal_year)
        highest = self._highest.get(key)
        if highest is None:
            return False
        if key in self._dropped or any(p.code == FALL for p in verdict.problems):
            return True
        if figures is None:
            return False
        rising = self._rising_krs(verdict.period)
        pairs = zip(figures["kr_code"].tolist(), figures["actual"].tolist(), strict=True)
        return any(figure < highest.get(code, -math.inf) for code, figure in pairs
                   if code in rising)

    def accept(self, period: str, verdicts: list[Verdict]) -> None:
        """Takes each district's last accepted file of the period, whole."""
        last = {v.district_code: v.facts for v in verdicts if v.accepted}
        year = parse_period(period).fiscal_year
        for district, facts in last.items():
            key = (district, year)
            if key not in self.districts:
                continue
            self._accepted[(district, period)] = facts
            codes = facts["kr_code"].tolist()
            highest = self._highest.setdefault(key, {})
            for code, figure in zip(codes, facts["actual"].tolist(), strict=True):
                if figure > highest.get(code, -math.inf):
                    highest[code] = figure
            if (district, period) in self._stored and self._stored_krs(
                    district, period) - set(codes):
                self._dropped.add(key)

    def history(self) -> past.History:
        """The warehouse's history with the night's accepted periods in place of its own."""
        return replace(self._history, tonight_periods=frozenset(self._accepted),
                       tonight=pd.concat([facts[_NEIGHBOUR_COLUMNS]
                                          for facts in self._accepted.values()],
                                         ignore_index=True))

    @cached_property
    def _stored(self) -> set[tuple[str, str]]:
        """(district, period) of the warehouse's figures."""
        pairs = self._history.facts[["district_code", "period"]].drop_duplicates()
        return set(zip(pairs["district_code"], pairs["period"], strict=True))

    def _stored_krs(self, district: str, period: str) -> set[str]:
        stored = self._history.facts
        return set(stored.loc[stored["district_code"].eq(district)
                              & stored["period"].eq(period), "kr_code"])

    def _rising_krs(self, period: str) -> set[str]:
        """The KRs whose figure must not fall within a year (cumulative, to increase)."""
        registry = self._registries.in_force(period)
        if registry.version not in self._rising:
            krs = registry.key_results
            self._rising[registry.version] = set(krs.loc[
                krs["cumulative"].eq(True) & krs["direction"].eq("increase"), "kr_code"])
        return self._rising[registry.version]
