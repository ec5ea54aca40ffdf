"""Periods past their due date that no district has sent a file for. Nothing else shows them:
a period's outputs, and the districts each names as missing, begin with its first file.

A registry lists quarters and months alike, and a city reports one kind or both. A period is
expected of the kinds its fiscal year has files for; while the year has none yet, of the kinds
of the latest year before it that has some.
"""

from collections.abc import Collection
from datetime import date

from pipeline.periods import parse_period
from pipeline.registry_store import RegistryVersions


def unsent(sent: Collection[str], registries: RegistryVersions, today: date) -> dict[str, date]:
    """The listed periods no file was sent for (`sent`: the periods some file was) whose due
    date is before `today`, a day in Bangkok, as each is due by the end of its day."""
    kinds = _kinds_by_year(sent)
    overdue = {}
    for code in registries.listed - set(sent):
        due = registries.due_date(code)
        if due >= today or _kind(code) not in _expected(kinds, parse_period(code).fiscal_year):
            continue
        overdue[code] = due
    return dict(sorted(overdue.items(), key=lambda item: (parse_period(item[0]).end, item[0])))


def _kind(code: str) -> str:
    return code[5]  # Q or M: 2569-Q2, 2569-M01


def _kinds_by_year(sent: Collection[str]) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = {}
    for code in sent:
        kinds.setdefault(parse_period(code).fiscal_year, set()).add(_kind(code))
    return kinds


def _expected(kinds: dict[int, set[str]], fiscal_year: int) -> set[str]:
    if fiscal_year in kinds:
        return kinds[fiscal_year]
    earlier = [year for year in kinds if year < fiscal_year]
    return kinds[max(earlier)] if earlier else set()
