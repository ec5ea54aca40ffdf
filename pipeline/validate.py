"""Raw workbooks → Verdicts: file checks, then the rows of a few periods' files checked in one
pandera call.

A submission is accepted when no problem of severity error was found; its facts are the
typed rows with the value each KR type reports (a ratio as numerator / denominator × 100,
a milestone as 1 done / 0 not done).
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from itertools import pairwise

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline import history as past
from pipeline import same_night
from pipeline.normalize import normalize, normalize_as_of
from pipeline.periods import BANGKOK, containing, last_as_of, parse_period, thai_date
from pipeline.problems import Problem, problem
from pipeline.registry import Registry
from pipeline.registry_store import RegistryVersions
from pipeline.settings import Settings
from pipeline.signature import verify
from pipeline.values import RawWorkbook, Verdict
from pipeline.workers import call_all
from schemas import submission
from schemas import template_layout as layout
from schemas.rules import ERROR, RULES

FACT_COLUMNS = ["district_code", "period", "kr_code", "actual", "numerator", "denominator",
                "status", "confidence", "note", "sheet", "cell"]
# A monthly period of the whole city: two workers judge at once, and the verdicts they send
# back are held as they come.
ROWS_A_WORKER = 22_500
JUDGE_SECONDS = 3600  # a period's rows take a second; a worker is not expected to hang
_STATUS_TH = {code: thai for code, (thai, _) in layout.STATUS_LABELS.items()}
# What a row problem reads of its row: where it is, and the columns its rule shows.
_SHOWN_COLUMNS = list(dict.fromkeys([
    "file_id", "row", "value_key", *(rule.value for rule in submission.ROW_RULES),
    *(rule.expected for rule in submission.ROW_RULES if rule.expected_is_column)]))


def judge(raws: list[RawWorkbook], registries: RegistryVersions, settings: Settings,
          history: past.History | None = None) -> list[Verdict]:
    """Each file is checked against the registry version in force for its period, a few
    periods at a time (by_periods); the verdicts in the files' order.

    Judging is pure Python, which keeps one core of two busy: the periods of a night that
    has more rows than ROWS_A_WORKER are judged in two worker processes, forked as the readers
    are, a period or so at a time. Periods are judged apart, so the verdicts are the same. A
    group whose worker failed is judged again here, where a fault of the code is raised with
    its traceback. A district's several periods of the night are then walked in order, and a
    period judged again here where the night's other periods may change a verdict
    (pipeline.same_night)."""
    history = history or past.History()
    judged = partial(_judge_group, raws, registries, settings, history)
    shares = by_periods(raws, ROWS_A_WORKER)
    if len(shares) > 1:
        groups = [outcome.value if not outcome.failure else judged(share) for share, outcome
                  in zip(shares, call_all(judged, shares, JUDGE_SECONDS, in_flight=1),
                         strict=True)]
    else:
        groups = [judged(shares[0])]
    verdicts: dict[int, Verdict] = {}
    figures: dict[int, pd.DataFrame] = {}
    for group in groups:
        _unpack(group, verdicts, figures)

    def again(file_ids: list[int], with_tonight: past.History) -> None:
        _unpack(_judge_group(raws, registries, settings, with_tonight, file_ids), verdicts,
                figures)

    same_night.walk(raws, verdicts, figures, history, registries, again)
    return [verdicts[file_id] for file_id in range(len(raws))]


def _unpack(group: "_Judged", verdicts: dict[int, Verdict],
            figures: dict[int, pd.DataFrame]) -> None:
    for file_id, verdict, judged in group.unpacked():
        verdicts[file_id] = verdict
        if judged is not None:
            figures[file_id] = judged


@dataclass(frozen=True)
class _Judged:
    """A group's verdicts, with the figures of every file whose rows were judged as one frame
    and each file's rows in it: a frame a file, sent from a worker, would be pickled and held
    apart, each with its own copy of its columns (for a year, about 100 MB more). A refused
    file's figures are what a same-night walk compares (pipeline.same_night)."""

    file_ids: list[int]
    verdicts: list[Verdict]  # facts left out
    figures: pd.DataFrame
    rows: list[tuple[int, int] | None]  # each file's rows of `figures`; None: none judged

    def unpacked(self) -> Iterator[tuple[int, Verdict, pd.DataFrame | None]]:
        for file_id, verdict, rows in zip(self.file_ids, self.verdicts, self.rows, strict=True):
            figures = (None if rows is None else
                       self.figures.iloc[slice(*rows)].reset_index(drop=True))
            accepted = not _has_error(verdict.problems)
            yield file_id, replace(verdict, facts=figures) if accepted else verdict, figures


def _judge_group(raws: list[RawWorkbook], registries: RegistryVersions, settings: Settings,
                 history: past.History, file_ids: list[int]) -> _Judged:
    verdicts, figures = _judge([raws[i] for i in file_ids], registries, settings, history)
    judged = [figures.get(i) for i in range(len(verdicts))]
    rows = iter(pairwise(np.cumsum([0, *(len(f) for f in judged if f is not None)]).tolist()))
    frames = [frame for frame in judged if frame is not None]
    return _Judged(file_ids, [replace(verdict, facts=None) for verdict in verdicts],
                   pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
                   [None if frame is None else next(rows) for frame in judged])


def by_periods(raws: list[RawWorkbook], rows_at_once: int) -> list[list[int]]:
    """The files' ids in groups of whole periods, each of about `rows_at_once` rows at most
    unless one period has more. A row is compared with rows of its own period and with the
    warehouse (the night's other periods come after: pipeline.same_night), so the groups are
    judged apart: a year's rows judged at once would hold every row three times over (the
    cells, the typed rows, the batch), 500 MB."""
    by_period: dict[str, list[int]] = {}
    for file_id, raw in enumerate(raws):
        by_period.setdefault(raw.metadata.get("period", ""), []).append(file_id)
    groups: list[list[int]] = [[]]
    rows = 0
    for period in sorted(by_period):
        file_ids = by_period[period]
        size = sum(len(raws[file_id].row_numbers) for file_id in file_ids)
        if groups[-1] and rows + size > rows_at_once:
            groups.append([])
            rows = 0
        groups[-1] += file_ids
        rows += size
    return groups


def _judge(raws: list[RawWorkbook], registries: RegistryVersions, settings: Settings,
           history: past.History) -> tuple[list[Verdict], dict[int, pd.DataFrame]]:
    """The verdicts, and the figures of each file whose rows were judged, accepted or not."""
    found, ready = _file_checks(raws, registries, settings.signing_key, history)
    rows, notices = normalize(ready)
    present = _kr_codes(rows)
    dates: dict[int, date | None] = {}
    plan_versions: dict[int, str] = {}
    for file_id, raw in ready.items():
        dates[file_id], as_of_problems = _as_of(raw)
        in_force = registries.in_force(raw.metadata["period"])
        template = registries.get(raw.metadata["registry_version"])
        plan_versions[file_id] = in_force.version
        found[file_id] += notices[file_id] + as_of_problems + _missing_krs(
            raw, present.get(file_id, set()), in_force, template)
    batch = (_with_plan(_with_files(rows, ready, plan_versions), registries) if len(rows)
             else pd.DataFrame())
    if not batch.empty:
        batch, rounded, unsaid = _with_values(batch, raws)
        for file_id, notice in rounded:
            found[file_id].append(notice)
        for file_id in {file_id for file_id, _ in unsaid}:
            found[file_id] = [p for p in found[file_id] if not (
                p.code == "normalized-number" and (file_id, p.cell) in unsaid)]
        versions = {period: registries.in_force(period).version
                    for period in history.facts["period"].unique().tolist()}
        batch = past.annotate(batch, history, _stored_plans(versions, registries), versions,
                              settings.thresholds)
        for file_id, problems in _row_problems(batch, raws).items():
            wrong = {p.cell for p in problems if p.severity == ERROR}
            found[file_id] = [p for p in found[file_id] if not (  # read as a fix of it
                p.code == "normalized-rounded" and p.cell in wrong)] + problems
    accepted = {file_id for file_id, problems in found.items() if not _has_error(problems)}
    figures = _figures(batch, raws, set(ready))  # an accepted file is one of them
    return [_verdict(raw, found[file_id], figures[file_id] if file_id in accepted else None,
                     dates.get(file_id), registries)
            for file_id, raw in enumerate(raws)], figures


def _file_checks(raws: list[RawWorkbook], registries: RegistryVersions, signing_key: str,
                 history: past.History) -> tuple[dict[int, list[Problem]],
                                                 dict[int, RawWorkbook]]:
    """Each file's problems as a whole, and the files whose rows are read on (by file id)."""
    districts = set(registries.current.assignments["district_code"].tolist())
    found: dict[int, list[Problem]] = {}
    ready: dict[int, RawWorkbook] = {}
    for file_id, raw in enumerate(raws):
        found[file_id] = _folder_problems(raw, districts) or (
            list(raw.problems) + _file_problems(raw, registries, signing_key, history))
        if not _has_error(found[file_id]) and raw.data is not None:
            ready[file_id] = raw
    return found, ready


def _kr_codes(rows: pd.DataFrame) -> dict[int, set[str]]:
    """The KR codes each file's rows name."""
    codes = rows["kr_code"].tolist()
    return {file_id: set(codes[start:stop]) for file_id, start, stop in _runs(rows["file_id"])}


def _runs(file_ids: pd.Series) -> list[tuple[int, int, int]]:
    """(file id, first position, position after the last) of each file's rows: rows come file
    by file, and slicing them costs nothing where grouping them takes every column."""
    ids = file_ids.to_numpy()
    if not len(ids):
        return []
    if (ids[1:] < ids[:-1]).any():
        raise ValueError("rows are not in file order")
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    stops = np.r_[starts[1:], len(ids)]
    return [(int(ids[start]), int(start), int(stop))
            for start, stop in zip(starts, stops, strict=True)]


def _with_files(rows: pd.DataFrame, ready: dict[int, RawWorkbook],
                plan_versions: dict[int, str]) -> pd.DataFrame:
    """Each row with its file's district and period, and the registry versions it is checked
    against: the one in force for its period (plan), the one its template was made from."""
    about = pd.DataFrame.from_dict({file_id: {
        "district_code": raw.metadata["district_code"],
        "period": raw.metadata["period"],
        "plan_version": plan_versions[file_id],
        "template_version": raw.metadata["registry_version"],
    } for file_id, raw in ready.items()}, orient="index")
    return rows.join(about, on="file_id")


def _plans(registries: RegistryVersions, versions: list[str]) -> pd.DataFrame:
    """The plans of these registry versions (Registry.plan), one under the other."""
    plans = [registries.get(version).plan for version in versions]
    return plans[0] if len(plans) == 1 else pd.concat(plans, ignore_index=True)


def _stored_plans(versions: dict[str, str], registries: RegistryVersions) -> pd.DataFrame:
    """The plans the warehouse's figures were reported under (`versions`: each stored
    period's version in force), as the history is levelled against. A target revised from Q3
    on leaves Q2's figures measured against Q2's target: a Q2 correction is compared with its
    peers as they were, not as outliers of a plan they never had."""
    return _plans(registries, sorted(set(versions.values())) or [registries.current.version])


def _has_error(problems: Iterable[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def _folder_problems(raw: RawWorkbook, districts: set[str]) -> list[Problem]:
    """Files checked outside the inbox (`check`) have no folder to agree with. A file at the
    inbox's top was found in "inbox", not in a folder with no name."""
    if raw.arrival.folder is None or raw.arrival.folder in districts:
        return []
    return [problem("folder-unknown", value=raw.arrival.folder or "inbox")]


def _file_problems(raw: RawWorkbook, registries: RegistryVersions, signing_key: str,
                   history: past.History) -> list[Problem]:
    meta = raw.metadata
    if not meta:
        return []
    if meta.get("template_version") != layout.TEMPLATE_VERSION:
        return [problem("template-version-unknown", value=meta.get("template_version", ""),
                        expected=layout.TEMPLATE_VERSION)]
    if not verify(meta, signing_key):
        return [problem("signature-mismatch")]
    found = []
    folder = raw.arrival.folder
    if folder is not None and meta["district_code"] != folder:
        found.append(problem("district-mismatch", value=meta["district_code"], expected=folder))
    if meta["period"] not in registries.listed:  # last fiscal year's too, after the rollover
        found.append(problem("period-unknown", value=meta["period"]))
    elif meta["period"] in history.closed:
        found.append(problem("period-closed", value=meta["period"]))
    else:
        found += _version_problems(meta["registry_version"],
                                   registries.in_force(meta["period"]).version, registries)
    return found


def _version_problems(template: str, in_force: str,
                      registries: RegistryVersions) -> list[Problem]:
    if registries.get(template) is None:
        return [problem("registry-version-unknown", value=template, expected=in_force)]
    if template != in_force:
        return [problem("registry-version-differs", value=template, expected=in_force)]
    return []


def _as_of(raw: RawWorkbook) -> tuple[date | None, list[Problem]]:
    """The date the figures stand at: optional, but a date when given, not before the period
    and before the end of the next one."""
    as_of, typed, found = normalize_as_of(raw)
    period = parse_period(raw.metadata["period"])
    cell = raw.as_of_cell
    if typed and as_of is None:
        found.append(problem("as-of-invalid", raw.sheet, cell, value=typed,
                             expected=thai_date(period.end)))
    elif as_of and as_of > last_as_of(period):  # last period's template, filled again
        found.append(problem("as-of-later-period", raw.sheet, cell, value=thai_date(as_of),
                             expected=containing(as_of, period).code))
    elif as_of and as_of < period.start:  # a date after it is of a report filled late
        found.append(problem("as-of-outside-period", raw.sheet, cell, value=thai_date(as_of),
                             expected=f"{thai_date(period.start)} – {thai_date(period.end)}"))
    return as_of, found


def _missing_krs(raw: RawWorkbook, present: set[str], in_force: Registry,
                 template: Registry) -> list[Problem]:
    """A KR the clerk's older (or newer) template did not have is no data, not a deleted row."""
    district = raw.metadata["district_code"]
    own = set(template.assigned_codes(district))
    return [problem("kr-missing", sheet=raw.sheet, value=code) if code in own else
            problem("kr-added", sheet=raw.sheet, value=code, expected=in_force.version)
            for code in in_force.assigned_codes(district) if code not in present]


def _with_plan(batch: pd.DataFrame, registries: RegistryVersions) -> pd.DataFrame:
    """Rows joined with their period's plan; `retired` when only the template's has the KR."""
    used = sorted({*batch["plan_version"].unique(), *batch["template_version"].unique()})
    plans = _plans(registries, used)
    keys = ["district_code", "kr_code"]
    batch = batch.merge(plans, on=["plan_version", *keys], how="left", indicator=True)
    own = plans[[*keys, "plan_version"]].rename(columns={"plan_version": "template_version"})
    batch = batch.merge(own.assign(in_template=True), on=["template_version", *keys], how="left")
    assigned = batch.pop("_merge").eq("both")
    return batch.assign(assigned=assigned,
                        retired=~assigned & batch.pop("in_template").eq(True))


def _with_values(batch: pd.DataFrame, raws: list[RawWorkbook]
                 ) -> tuple[pd.DataFrame, list, set[tuple[int, str]]]:
    """The value each KR type reports, its number rounded to the KR's precision, and the
    notices of the actual cells read otherwise than typed (a warning for a whole count typed
    with a fraction, its thousands perhaps parted by a point): a number rounded, a milestone's
    word (whether a row is a milestone is known only here, once the plan is joined). Last,
    the milestones' cells whose "read as a number" notice goes: "100%" is no milestone's
    choice, and the notice that it was read as 100 said the opposite of its error."""
    told = []

    def cell(index) -> str:
        return f"{raws[batch.at[index, 'file_id']].cells['actual']}{batch.at[index, 'row']}"

    def tell(index, code: str, value, expected) -> None:
        raw = raws[batch.at[index, "file_id"]]
        told.append((batch.at[index, "file_id"], problem(
            code, raw.sheet, cell(index), value=value, expected=expected)))

    decimals = batch["decimals"].fillna(6).astype(int)
    pairs = [_at_precision(v, d)
             for v, d in zip(batch["actual"].tolist(), decimals.tolist(), strict=True)]
    shown = pd.Series([pair[0] for pair in pairs], index=batch.index, dtype=float)
    rounded = pd.Series([pair[1] for pair in pairs], index=batch.index, dtype=float)
    changed = shown.notna() & ~np.isclose(rounded, shown, rtol=0, atol=0)
    whole = batch["kr_type"].eq("count") & decimals.eq(0)  # 1.209 typed for 1,209: read 1
    for index in batch.index[changed & batch["kr_type"].isin(["count", "percent"])]:
        tell(index, "count-fraction" if whole[index] else "normalized-rounded",
             f"{shown[index]:.15g}", rounded[index])
    worded = batch["kr_type"].eq("milestone") & batch["milestone_label"].notna()
    for index in batch.index[worded]:  # "เสร็จแล้ว" read as done: said, as a status word is
        tell(index, "normalized-choice", batch.at[index, "actual_raw"],
             batch.at[index, "milestone_label"])
    ratio = batch["kr_type"].eq("ratio")
    milestone = batch["kr_type"].eq("milestone")
    value = rounded.where(~milestone, batch["milestone"].astype(float))
    value = value.where(~ratio, batch["numerator"] / batch["denominator"].where(
        batch["denominator"] > 0) * 100)
    unsaid = {(batch.at[index, "file_id"], cell(index))
              for index in batch.index[milestone & batch["actual"].notna()
                                       & batch["milestone"].isna()]}
    return batch.assign(actual=rounded, value=value,
                        value_key=np.where(ratio, "numerator", "actual")), told, unsaid


def _shown(batch: pd.DataFrame) -> pd.DataFrame:
    """How the cross-period rules show the values they compare, and a note's length."""
    def number(values: pd.Series) -> pd.Series:
        return values.map(lambda v: "" if pd.isna(v) else f"{v:,.{_places(v)}f}")

    # a ratio's value is computed, and marked at its numerator: shown as the percentage it
    # is and the cells it comes from, or its clerk looks for 85.71 in a cell holding 120
    ratio = batch["kr_type"].eq("ratio")
    return batch.assign(
        value_shown=number(batch["value"]).where(~ratio, number(batch["value"]) + "% (" + number(
            batch["numerator"]) + " / " + number(batch["denominator"]) + ")"),
        previous_shown=number(batch["previous_actual"]) + ", " + batch["previous_period"],
        next_shown=number(batch["next_actual"]) + ", " + batch["next_period"],
        typical_shown=number(batch["typical_value"]).where(
            ~ratio | batch["typical_value"].isna(), number(batch["typical_value"]) + "%"),
        status_shown=batch["status"].map(_STATUS_TH).fillna(""),
        computed_shown=batch["computed_status"].map(_STATUS_TH).fillna(""),
        note_length=batch["note"].str.len().map("{:,}".format),
        target_shown=number(batch["target"]),
    )


def _places(value: float) -> int:
    return 0 if float(value).is_integer() else 2


def _at_precision(value: float, decimals: int) -> tuple[float, float]:
    """(the number as Excel shows it, that number at the KR's decimals). Excel shows 15
    significant digits: the 3.3 a clerk typed, stored as 3.3000000000000003, is 3.3 and
    already has one decimal. It rounds halves away from zero on what it shows, where Python's
    round halves to even on the binary value: 2.25 → 2.2, where Excel shows 2.3. Most
    values need neither: they are returned as they are, without decimal arithmetic."""
    if math.isnan(value) or round(value, decimals) == value:
        return value, value
    shown = Decimal(f"{value:.15g}")
    return float(shown), float(shown.quantize(Decimal(1).scaleb(-decimals),
                                              rounding=ROUND_HALF_UP))


def _row_problems(batch: pd.DataFrame, raws: list[RawWorkbook]) -> dict[int, list[Problem]]:
    try:
        submission.batch_schema().validate(batch[list(submission.CHECKED_COLUMNS)], lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["check"].isin(submission.RULES_BY_ID)]
        cases = cases.drop_duplicates(["check", "index"])
        severity = cases["check"].map(lambda c: RULES[submission.RULES_BY_ID[c].code].severity)
        rules = cases["check"].map(submission.RULES_BY_ID)
        across = rules.map(lambda rule: rule.code in submission.ACROSS_PERIODS)
        at = pd.Series([(index, batch.at[index, "value_key"] if rule.column
                         == submission.VALUE_CELL else rule.column)
                        for index, rule in zip(cases["index"], rules, strict=True)],
                       index=cases.index)
        wrong_rows = set(cases.loc[severity == ERROR, "index"])
        wrong_in_itself = set(at[(severity == ERROR) & ~across])
        # a warning on a row whose figure is already wrong would only distract the clerk, and
        # so would a figure wrong in itself (-2 lamps) compared with another period's
        cases = cases[((severity == ERROR) | ~cases["index"].isin(wrong_rows))
                      & (~across | ~at.isin(wrong_in_itself))]
        rows = _shown(batch.loc[cases["index"].unique()])[_SHOWN_COLUMNS].to_dict("index")
        found: dict[int, list[Problem]] = {}
        for check, index in zip(cases["check"], cases["index"], strict=True):
            file_id = int(rows[index]["file_id"])
            found.setdefault(file_id, []).append(
                _row_problem(submission.RULES_BY_ID[check], rows[index], raws[file_id]))
        return found
    return {}


def _row_problem(rule: submission.RowRule, row: dict, raw: RawWorkbook) -> Problem:
    expected = row[rule.expected] if rule.expected_is_column else rule.expected
    key = row["value_key"] if rule.column == submission.VALUE_CELL else rule.column
    return problem(rule.code, raw.sheet, f"{raw.cells[key]}{row['row']}",
                   value=row[rule.value], expected=expected)


def _verdict(raw: RawWorkbook, problems: list[Problem], facts: pd.DataFrame | None,
             as_of: date | None, registries: RegistryVersions) -> Verdict:
    """`facts` is None for a rejected file. A rejected file of a known period names the
    version in force too: the files a new version turned away are found by it. A file whose
    hidden sheet was altered names no district or period: a period typed there would have
    its books and open data published, and its district counted as having sent."""
    altered = any(p.code == "signature-mismatch" for p in problems)
    meta = {} if altered else raw.metadata
    checked_against = on_time = due = None
    if meta.get("period") in registries.listed:  # its clerk is told the due date, sent again
        checked_against = registries.in_force(meta["period"]).version
        due = registries.due_date(meta["period"])
    if facts is not None:  # of a listed period, or it would have been refused
        on_time = raw.arrival.received_at.astimezone(BANGKOK).date() <= due
    return Verdict(
        arrival=raw.arrival,
        district_code=meta.get("district_code", ""),
        period=meta.get("period", ""),
        registry_version=meta.get("registry_version", ""),
        problems=tuple(sorted(problems, key=lambda p: p.sort_key)),
        facts=facts,
        as_of=as_of,
        checked_against=checked_against,
        on_time=on_time,
        due_date=due,
    )


def _figures(batch: pd.DataFrame, raws: list[RawWorkbook],
             file_ids: set[int]) -> dict[int, pd.DataFrame]:
    """These files' rows as facts (by file id), built for every row at once and sliced: the
    rows with the value each KR type reports, and the cell it was typed in."""
    if batch.empty:
        return {file_id: pd.DataFrame(columns=FACT_COLUMNS) for file_id in file_ids}
    files = batch["file_id"].tolist()
    ratio = batch["kr_type"].eq("ratio")
    facts = pd.DataFrame({
        "district_code": batch["district_code"],
        "period": batch["period"],
        "kr_code": batch["kr_code"],
        "actual": batch["value"].astype(float),
        "numerator": batch["numerator"].where(ratio),
        "denominator": batch["denominator"].where(ratio),
        "status": batch["status"],
        "confidence": batch["confidence"],
        "note": batch["note"],
        "sheet": [raws[file_id].sheet for file_id in files],
        "cell": [f"{raws[file_id].cells[key]}{row}" for file_id, key, row in
                 zip(files, batch["value_key"].tolist(), batch["row"].tolist(), strict=True)],
    }, columns=FACT_COLUMNS, index=batch.index)
    by_file = {file_id: facts.iloc[start:stop] for file_id, start, stop in _runs(batch["file_id"])}
    return {file_id: by_file.get(file_id, facts.iloc[:0]).reset_index(drop=True)
            for file_id in file_ids}
