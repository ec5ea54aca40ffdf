"""A district's files for several periods sent in one night, each checked against the night's
other periods as accepted, in place of the warehouse's figures they replace: a cumulative
figure below the same night's earlier period is refused, as if that period had come the night
before, and one above a later period accepted that night is warned of.

validate.judge checks every period against the warehouse alone, a backlog's periods in two
processes at once. The night is then walked a period at a time, earliest end first, and a
period is judged again, all its files together as before, when one of its files may fare
otherwise: a cumulative figure below the same KR's highest in the earlier periods accepted
that night, a fall found against the warehouse (a figure of the night may stand before the one
it fell below), or a correction tonight without a KR the warehouse held for its period (the
figure before it counts again). Whether a file is accepted is settled so: the fall is the
only error that depends on the night. The night is then walked back, latest end first, for
the warning, the same way round: a figure above the same KR's lowest in the later periods
accepted that night, a warning found against the warehouse, or a later correction without a
KR. An honest backlog is judged once. The file of a period that counts is the one a run
stores last: a district's last accepted file in order of receipt, whole.

Only what a figure is compared with across periods changes; outliers are measured against the
warehouse and the period's peers, for every file alike.
"""

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property

import pandas as pd

from pipeline import history as past
from pipeline.discover import receipt_order
from pipeline.periods import PeriodError, parse_period
from pipeline.registry_store import RegistryVersions
from pipeline.values import RawWorkbook, Verdict
from schemas.submission import must_not_fall

_Columns = tuple[list[str], list[float]]


@dataclass(frozen=True)
class _Way:
    """A direction of the walk: the rule its periods may raise or remove, and how a figure
    stands beyond theirs (below an earlier period's, above a later one's)."""

    rule: str
    beyond: Callable[[float, float], bool]
    nothing: float  # the neighbours' figure of a KR they do not have: nothing is beyond it


FORWARD = _Way("cumulative-decreased", operator.lt, -math.inf)
BACKWARD = _Way("cumulative-above-later", operator.gt, math.inf)


def walk(raws: list[RawWorkbook], verdicts: dict[int, Verdict],
         figures: dict[int, pd.DataFrame], history: past.History,
         registries: RegistryVersions,
         again: Callable[[list[int], past.History], None]) -> None:
    """Updates `verdicts` and `figures` (every judged file's rows, by file id) where a period
    is judged again: `again(its file ids, the history with the night's figures)` does so."""
    by_period = _by_period(raws, registries)
    districts = _several_periods(by_period, verdicts)
    if not districts:
        return
    order = sorted(by_period, key=lambda code: (parse_period(code).end, code))
    read: dict[int, _Columns | None] = {}

    def columns(file_id: int) -> _Columns | None:
        """A file's KR codes and figures, as lists: judged again, a file has the same."""
        if file_id not in read:
            judged = figures.get(file_id)
            read[file_id] = None if judged is None else (judged["kr_code"].tolist(),
                                                          judged["actual"].tolist())
        return read[file_id]

    shared = _Shared(districts, history, registries, columns)
    earlier = _Night(FORWARD, shared)
    for period in order:
        _judge_again_if_needed(earlier, earlier.history, by_period[period], verdicts, again)
        earlier.accept(period, by_period[period], verdicts)
    later = _Night(BACKWARD, shared)
    whole_night = cache(earlier.history)  # every period's accepted files are known
    for period in reversed(order):
        _judge_again_if_needed(later, whole_night, by_period[period], verdicts, again)
        later.accept(period, by_period[period], verdicts)


def district_year(verdict: Verdict) -> tuple[str, int] | None:
    """The district and fiscal year whose periods of a night are judged against each other;
    None for a file of no period (refused)."""
    try:
        return verdict.district_code, parse_period(verdict.period).fiscal_year
    except (PeriodError, TypeError):
        return None


def _judge_again_if_needed(night: "_Night", history: Callable[[], past.History],
                           file_ids: list[int], verdicts: dict[int, Verdict],
                           again: Callable[[list[int], past.History], None]) -> None:
    """A period's files judged again, with `history()`, when one of them may fare otherwise
    against `night`'s periods."""
    if any(night.may_change(i, verdicts[i]) for i in file_ids):
        again(sorted(file_ids), history())  # as first judged: in the files' order


def _by_period(raws: list[RawWorkbook], registries: RegistryVersions) -> dict[str, list[int]]:
    """Each known period's files, in the order a run stores them (`check` is given them in
    any order)."""
    by_period: dict[str, list[int]] = {}
    for file_id in sorted(range(len(raws)), key=lambda i: receipt_order(raws[i].arrival)):
        period = raws[file_id].metadata.get("period")
        if period in registries.listed:
            by_period.setdefault(period, []).append(file_id)
    return by_period


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


class _Shared:
    """What both ways of the walk read: the districts that sent several periods of a year,
    the warehouse's history, each file's figures (`columns`)."""

    def __init__(self, districts: set[tuple[str, int]], history: past.History,
                 registries: RegistryVersions, columns: Callable[[int], _Columns | None]):
        self.districts = districts
        self.history = history
        self.columns = columns
        self._registries = registries
        self._rising: dict[str, set[str]] = {}

    @cached_property
    def held(self) -> dict[tuple[str, str], set[str]]:
        """The KRs the warehouse holds a figure of, by (district, period)."""
        facts = self.history.facts
        return {key: set(codes) for key, codes in
                facts.groupby(["district_code", "period"])["kr_code"]}

    def rising(self, period: str) -> set[str]:
        """The KRs whose figure must not fall within a year (cumulative, to increase)."""
        registry = self._registries.in_force(period)
        if registry.version not in self._rising:
            krs = registry.key_results
            self._rising[registry.version] = set(krs.loc[must_not_fall(krs), "kr_code"])
        return self._rising[registry.version]


class _Night:
    """The periods walked so far tonight, as accepted, of the districts that sent several."""

    def __init__(self, way: _Way, shared: _Shared):
        self._way = way
        self._shared = shared
        self._accepted: dict[tuple[str, str], pd.DataFrame] = {}  # by (district, period)
        self._farthest: dict[tuple[str, int], dict[str, float]] = {}  # KR → figure
        self._dropped: set[tuple[str, int]] = set()  # a KR the warehouse held, not tonight

    def may_change(self, file_id: int, verdict: Verdict) -> bool:
        """Whether the file may fare otherwise against the periods walked."""
        key = district_year(verdict)
        farthest = self._farthest.get(key)
        if farthest is None:
            return False
        if key in self._dropped or any(p.code == self._way.rule for p in verdict.problems):
            return True
        judged = self._shared.columns(file_id)
        if judged is None:
            return False
        rising, beyond, nothing = (self._shared.rising(verdict.period), self._way.beyond,
                                   self._way.nothing)
        return any(beyond(figure, farthest.get(code, nothing))
                   for code, figure in zip(*judged, strict=True) if code in rising)

    def accept(self, period: str, file_ids: list[int], verdicts: dict[int, Verdict]) -> None:
        """Takes each district's last accepted file of the period (`file_ids` in order of
        receipt), whole."""
        last = {verdicts[i].district_code: i for i in file_ids if verdicts[i].accepted}
        year = parse_period(period).fiscal_year
        beyond, nothing = self._way.beyond, self._way.nothing
        for district, file_id in last.items():
            key = (district, year)
            if key not in self._shared.districts:
                continue
            self._accepted[(district, period)] = verdicts[file_id].facts
            codes, figures = self._shared.columns(file_id)
            farthest = self._farthest.setdefault(key, {})
            for code, figure in zip(codes, figures, strict=True):
                if beyond(farthest.get(code, nothing), figure):
                    farthest[code] = figure
            held = self._shared.held.get((district, period))
            if held and held - set(codes):
                self._dropped.add(key)

    def history(self) -> past.History:
        """The warehouse's history with the night's periods walked in place of its own."""
        return replace(self._shared.history, tonight_periods=frozenset(self._accepted),
                       tonight=pd.concat([facts[past.NEIGHBOUR_COLUMNS]
                                          for facts in self._accepted.values()],
                                         ignore_index=True))
