"""A night's files of one district for several periods, checked as if each period had come on a
night of its own, the earliest first: a later period's cumulative figures against the earlier
periods accepted that night, not only against the warehouse.

validate.judge checks each period against the warehouse alone: periods are judged apart, a
backlog's in two processes. Here the night's files are walked district by district in period
order. A file is judged again, with the earlier periods accepted that night in its history
(in place of what they correct), when one of its cumulative figures falls below them, or when
it was refused as such a fall against the warehouse, whose figure a correction sent that night
may replace. An honest backlog is judged once.
"""

import math
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from pipeline import history as past
from pipeline.periods import parse_period
from pipeline.registry_store import RegistryVersions
from pipeline.values import Verdict

FALL = "cumulative-decreased"


def in_period_order(verdicts: list[Verdict], history: past.History,
                    registries: RegistryVersions,
                    judge_again: Callable[[int, past.History], Verdict]) -> list[Verdict]:
    """The verdicts, those that change judged again (`judge_again(file id, history)`)."""
    verdicts = list(verdicts)
    rising = _RisingKRs(registries)
    for district, by_period in _nights(verdicts, registries):
        accepted: list[pd.DataFrame] = []  # the night's facts of earlier periods, in order
        latest: dict[str, float] = {}  # each KR's figure in the latest of those periods
        for period, file_ids in by_period:
            for file_id in file_ids:
                if accepted and _may_fall(verdicts[file_id], latest, rising(period)):
                    verdicts[file_id] = judge_again(file_id, _with_the_night(
                        history, district, accepted))
            for file_id in file_ids:  # a later file of the period supersedes an earlier one
                facts = verdicts[file_id].facts
                if facts is not None:
                    accepted.append(facts)
                    latest.update(zip(facts["kr_code"].tolist(), facts["actual"].tolist(),
                                      strict=True))
    return verdicts


def _nights(verdicts: list[Verdict], registries: RegistryVersions
            ) -> list[tuple[str, list[tuple[str, list[int]]]]]:
    """(district, [(period, its file ids), …] earliest period first) for each district that
    sent files for more than one period of a fiscal year."""
    nights: dict[tuple[str, int], dict[str, list[int]]] = {}
    for file_id, verdict in enumerate(verdicts):
        if verdict.district_code and verdict.period in registries.listed:
            period = parse_period(verdict.period)
            nights.setdefault((verdict.district_code, period.fiscal_year), {}).setdefault(
                verdict.period, []).append(file_id)
    return [(district, sorted(by_period.items(), key=lambda item: parse_period(item[0]).end))
            for (district, _), by_period in nights.items() if len(by_period) > 1]


def _may_fall(verdict: Verdict, latest: dict[str, float], rising: set[str]) -> bool:
    """Whether the file's verdict may change with the night's earlier periods: a cumulative
    figure below one of theirs, or a fall found against the warehouse."""
    if any(p.code == FALL for p in verdict.problems):
        return True
    if verdict.facts is None:
        return False
    figures = zip(verdict.facts["kr_code"].tolist(), verdict.facts["actual"].tolist(),
                  strict=True)  # as lists: a Series of Arrow strings maps a cell at a time anyway
    return any(figure < latest.get(code, math.nan) for code, figure in figures if code in rising)


def _with_the_night(history: past.History, district: str, accepted: list[pd.DataFrame]
                    ) -> past.History:
    """The history with the district's figures accepted tonight in place of the warehouse's
    for the same periods; of two files of one period, the later one's."""
    tonight = pd.concat(accepted, ignore_index=True).drop_duplicates(
        ["district_code", "period", "kr_code"], keep="last").assign(submission_id=0)
    stored = history.facts
    kept = stored[~(stored["district_code"].eq(district)
                    & stored["period"].isin(set(tonight["period"])))]
    frames = [frame for frame in (kept, tonight[past.FACT_COLUMNS]) if len(frame)]
    return replace(history, facts=pd.concat(frames, ignore_index=True))


class _RisingKRs:
    """The KRs whose figure must not fall within a year (cumulative, to increase), by period's
    registry version, worked out once a version."""

    def __init__(self, registries: RegistryVersions):
        self._registries = registries
        self._by_version: dict[str, set[str]] = {}

    def __call__(self, period: str) -> set[str]:
        registry = self._registries.in_force(period)
        if registry.version not in self._by_version:
            krs = registry.key_results
            self._by_version[registry.version] = set(krs.loc[
                krs["cumulative"].eq(True) & krs["direction"].eq("increase"), "kr_code"])
        return self._by_version[registry.version]
