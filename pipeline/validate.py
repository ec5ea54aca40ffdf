"""Raw workbooks → Verdicts: file checks, then every row of every file checked in one pandera call.

A submission is accepted when no problem of severity error was found; its facts are the
typed rows with the value each KR type reports (a ratio as numerator / denominator × 100,
a milestone as 1 done / 0 not done).
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline import history as past
from pipeline.normalize import normalize, normalize_as_of
from pipeline.periods import parse_period, thai_date
from pipeline.problems import Problem, problem
from pipeline.registry import Registry
from pipeline.registry_store import RegistryVersions
from pipeline.settings import Settings
from pipeline.signature import verify
from pipeline.values import RawWorkbook, Verdict
from schemas import submission
from schemas import template_layout as layout
from schemas.rules import ERROR, RULES

FACT_COLUMNS = ["district_code", "period", "kr_code", "actual", "numerator", "denominator",
                "status", "confidence", "note", "sheet", "cell"]
_KR_COLUMNS = ["kr_code", "kr_type", "decimals", "direction", "cumulative"]
AS_OF_GRACE = timedelta(days=90)  # figures may be dated up to a quarter after the period
_STATUS_TH = {code: thai for code, (thai, _) in layout.STATUS_LABELS.items()}
BANGKOK = ZoneInfo("Asia/Bangkok")


def judge(raws: list[RawWorkbook], registries: RegistryVersions, settings: Settings,
          history: past.History | None = None) -> list[Verdict]:
    """Each file is checked against the registry version in force for its period."""
    history = history or past.History()
    registry = registries.current
    found: dict[int, list[Problem]] = {}
    dates: dict[int, date | None] = {}
    frames = []
    for file_id, raw in enumerate(raws):
        found[file_id] = _folder_problems(raw, registry) or (
            list(raw.problems) + _file_problems(raw, registries, settings.signing_key, history))
        if _has_error(found[file_id]) or raw.rows is None:
            continue
        rows, notices = normalize(raw)
        dates[file_id], as_of_problems = _as_of(raw)
        in_force = registries.in_force(raw.metadata["period"])
        template = registries.get(raw.metadata["registry_version"])
        found[file_id] += notices + as_of_problems + _missing_krs(raw, rows, in_force, template)
        frames.append(rows.reset_index().assign(
            file_id=file_id, district_code=raw.metadata["district_code"],
            period=raw.metadata["period"], plan_version=in_force.version,
            template_version=template.version))
    batch = _with_plan(frames, registries)
    if not batch.empty:
        batch, rounded = _with_values(batch, raws)
        for file_id, notice in rounded:
            found[file_id].append(notice)
        batch = _shown(past.annotate(batch, history, _plan(registry), settings.thresholds))
        for file_id, problems in _row_problems(batch, raws).items():
            found[file_id] += problems
    return [_verdict(raw, found[file_id], batch, file_id, dates.get(file_id), registries)
            for file_id, raw in enumerate(raws)]


def _plan(registry: Registry) -> pd.DataFrame:
    """Every district's assignments with their KR's type, as the rows are checked against."""
    plan = registry.assignments.merge(registry.key_results[_KR_COLUMNS], on="kr_code")
    return plan.assign(plan_version=registry.version)


def _has_error(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def _folder_problems(raw: RawWorkbook, registry: Registry) -> list[Problem]:
    """Files checked outside the inbox (`check`) have no folder to agree with."""
    if raw.arrival.folder is None or raw.arrival.folder in set(
            registry.assignments["district_code"]):
        return []
    return [problem("folder-unknown", value=raw.arrival.folder)]


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
    if meta["period"] not in set(registries.current.periods["period"]):
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
    """The date the figures stand at: optional, but a date when given, and in the period."""
    as_of, typed, found = normalize_as_of(raw)
    period = parse_period(raw.metadata["period"])
    cell = raw.metadata.get("as_of_cell") or layout.AS_OF_CELL
    if typed and as_of is None:
        found.append(problem("as-of-invalid", raw.sheet, cell, value=typed,
                             expected=thai_date(period.end)))
    elif as_of and not period.start <= as_of <= period.end + AS_OF_GRACE:
        found.append(problem("as-of-outside-period", raw.sheet, cell, value=thai_date(as_of),
                             expected=f"{thai_date(period.start)} – {thai_date(period.end)}"))
    return as_of, found


def _missing_krs(raw: RawWorkbook, rows: pd.DataFrame, in_force: Registry,
                 template: Registry) -> list[Problem]:
    """A KR the clerk's older (or newer) template did not have is no data, not a deleted row."""
    district = raw.metadata["district_code"]
    present = set(rows["kr_code"])
    own = set(template.assigned(district)["kr_code"])
    return [problem("kr-missing", sheet=raw.sheet, value=code) if code in own else
            problem("kr-added", sheet=raw.sheet, value=code, expected=in_force.version)
            for code in in_force.assigned(district)["kr_code"] if code not in present]


def _with_plan(frames: list[pd.DataFrame], registries: RegistryVersions) -> pd.DataFrame:
    """Rows joined with their period's plan; `retired` when only the template's has the KR."""
    if not frames:
        return pd.DataFrame()
    batch = pd.concat(frames, ignore_index=True)
    used = sorted(set(batch["plan_version"]) | set(batch["template_version"]))
    plans = pd.concat([_plan(registries.get(v)) for v in used], ignore_index=True)
    keys = ["district_code", "kr_code"]
    batch = batch.merge(plans, on=["plan_version", *keys], how="left", indicator=True)
    own = plans[[*keys, "plan_version"]].rename(columns={"plan_version": "template_version"})
    batch = batch.merge(own.assign(in_template=True), on=["template_version", *keys], how="left")
    assigned = batch.pop("_merge").eq("both")
    return batch.assign(assigned=assigned,
                        retired=~assigned & batch.pop("in_template").eq(True))


def _with_values(batch: pd.DataFrame, raws: list[RawWorkbook]) -> tuple[pd.DataFrame, list]:
    """The value each KR type reports, its number rounded to the KR's precision (noticed)."""
    notices = []
    decimals = batch["decimals"].fillna(6).astype(int)
    rounded = pd.Series([round(v, d) if pd.notna(v) else v
                         for v, d in zip(batch["actual"], decimals, strict=True)],
                        index=batch.index, dtype=float)
    changed = batch["actual"].notna() & ~np.isclose(rounded, batch["actual"], rtol=0, atol=0)
    for index in batch.index[changed & batch["kr_type"].isin(["count", "percent"])]:
        raw = raws[batch.at[index, "file_id"]]
        notices.append((batch.at[index, "file_id"], problem(
            "normalized-rounded", raw.sheet, f"{raw.cells['actual']}{batch.at[index, 'row']}",
            value=repr(float(batch.at[index, "actual"])), expected=rounded[index])))
    ratio = batch["kr_type"].eq("ratio")
    milestone = batch["kr_type"].eq("milestone")
    value = rounded.where(~milestone, batch["milestone"].astype(float))
    value = value.where(~ratio, batch["numerator"] / batch["denominator"].where(
        batch["denominator"] > 0) * 100)
    return batch.assign(actual=rounded, value=value,
                        value_key=np.where(ratio, "numerator", "actual")), notices


def _shown(batch: pd.DataFrame) -> pd.DataFrame:
    """How the cross-period rules show the values they compare."""
    def number(values: pd.Series) -> pd.Series:
        return values.map(lambda v: "" if pd.isna(v) else f"{v:,.{_places(v)}f}")

    previous = number(batch["previous_actual"]) + ", " + batch["previous_period"]
    return batch.assign(
        value_shown=number(batch["value"]),
        previous_shown=previous,
        typical_shown=number(batch["typical_value"]),
        status_shown=batch["status"].map(_STATUS_TH).fillna(""),
        computed_shown=batch["computed_status"].map(_STATUS_TH).fillna(""),
    )


def _places(value: float) -> int:
    return 0 if float(value).is_integer() else 2


def _row_problems(batch: pd.DataFrame, raws: list[RawWorkbook]) -> dict[int, list[Problem]]:
    try:
        submission.batch_schema().validate(batch, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["check"].isin(submission.RULES_BY_ID)]
        cases = cases.drop_duplicates(["check", "index"])
        severity = cases["check"].map(lambda c: RULES[submission.RULES_BY_ID[c].code].severity)
        wrong_rows = set(cases.loc[severity == ERROR, "index"])
        # a warning on a row whose figure is already wrong would only distract the clerk
        cases = cases[(severity == ERROR) | ~cases["index"].isin(wrong_rows)]
        found: dict[int, list[Problem]] = {}
        for check, index in zip(cases["check"], cases["index"], strict=True):
            file_id = int(batch.at[index, "file_id"])
            found.setdefault(file_id, []).append(
                _row_problem(submission.RULES_BY_ID[check], batch.loc[index], raws[file_id]))
        return found
    return {}


def _row_problem(rule: submission.RowRule, row: pd.Series, raw: RawWorkbook) -> Problem:
    expected = row[rule.expected] if rule.expected_is_column else rule.expected
    key = row["value_key"] if rule.column == submission.VALUE_CELL else rule.column
    return problem(rule.code, raw.sheet, f"{raw.cells[key]}{row['row']}",
                   value=row[rule.value], expected=expected)


def _verdict(raw: RawWorkbook, problems: list[Problem], batch: pd.DataFrame,
             file_id: int, as_of: date | None, registries: RegistryVersions) -> Verdict:
    meta = raw.metadata
    problems = sorted(problems, key=lambda p: p.sort_key)
    facts = None
    checked_against = on_time = None
    if not _has_error(problems):
        facts = _facts(batch[batch["file_id"] == file_id], raw)
        in_force = registries.in_force(meta["period"])
        checked_against = in_force.version
        due = in_force.periods.set_index("period")["due_date"].get(meta["period"])
        on_time = due is None or raw.arrival.received_at.astimezone(BANGKOK).date() <= due
    return Verdict(
        arrival=raw.arrival,
        district_code=meta.get("district_code", ""),
        period=meta.get("period", ""),
        registry_version=meta.get("registry_version", ""),
        problems=tuple(problems),
        facts=facts,
        as_of=as_of,
        checked_against=checked_against,
        on_time=on_time,
    )


def _facts(rows: pd.DataFrame, raw: RawWorkbook) -> pd.DataFrame:
    ratio = rows["kr_type"].eq("ratio")
    cells = rows["value_key"].map(raw.cells) + rows["row"].astype(str)
    return pd.DataFrame({
        "district_code": rows["district_code"],
        "period": rows["period"],
        "kr_code": rows["kr_code"],
        "actual": rows["value"].astype(float),
        "numerator": rows["numerator"].where(ratio),
        "denominator": rows["denominator"].where(ratio),
        "status": rows["status"],
        "confidence": rows["confidence"],
        "note": rows["note"],
        "sheet": raw.sheet,
        "cell": cells,
    }, columns=FACT_COLUMNS).reset_index(drop=True)
