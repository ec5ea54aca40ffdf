"""Raw workbooks → Verdicts: file checks, then every row of every file checked in one pandera call.

A submission is accepted when no problem of severity error was found; its facts are the
typed rows with the value each KR type reports (a ratio as numerator / denominator × 100,
a milestone as 1 done / 0 not done).
"""

import pandas as pd
import pandera.pandas as pa

from pipeline.normalize import normalize
from pipeline.problems import Problem, problem
from pipeline.registry import Registry
from pipeline.signature import verify
from pipeline.values import RawWorkbook, Verdict
from schemas import submission
from schemas import template_layout as layout
from schemas.rules import ERROR

FACT_COLUMNS = ["district_code", "period", "kr_code", "actual", "numerator", "denominator",
                "status", "confidence", "note", "sheet", "cell"]

def judge(raws: list[RawWorkbook], registry: Registry, signing_key: str) -> list[Verdict]:
    found: dict[int, list[Problem]] = {}
    frames = []
    for file_id, raw in enumerate(raws):
        found[file_id] = _folder_problems(raw, registry) or (
            list(raw.problems) + _file_problems(raw, registry, signing_key))
        if _has_error(found[file_id]) or raw.rows is None:
            continue
        rows, notices = normalize(raw)
        found[file_id] += notices + _missing_krs(raw, rows, registry)
        frames.append(rows.reset_index().assign(
            file_id=file_id, district_code=raw.metadata["district_code"]))
    batch = _with_registry(frames, registry)
    for file_id, problems in _row_problems(batch, raws).items():
        found[file_id] += problems
    return [_verdict(raw, found[file_id], batch, file_id, registry)
            for file_id, raw in enumerate(raws)]

def _has_error(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)

def _folder_problems(raw: RawWorkbook, registry: Registry) -> list[Problem]:
    if raw.arrival.folder in set(registry.assignments["district_code"]):
        return []
    return [problem("folder-unknown", value=raw.arrival.folder)]


def _file_problems(raw: RawWorkbook, registry: Registry, signing_key: str) -> list[Problem]:
    meta = raw.metadata
    if not meta:
        return []
    if meta.get("template_version") != layout.TEMPLATE_VERSION:
        return [problem("template-version-unknown", value=meta.get("template_version", ""),
                        expected=layout.TEMPLATE_VERSION)]
    if not verify(meta, signing_key):
        return [problem("signature-mismatch")]
    found = []
    if meta["district_code"] != raw.arrival.folder:
        found.append(problem("district-mismatch", value=meta["district_code"],
                             expected=raw.arrival.folder))
    if meta["period"] not in set(registry.periods["period"]):
        found.append(problem("period-unknown", value=meta["period"]))
    return found

def _missing_krs(raw: RawWorkbook, rows: pd.DataFrame, registry: Registry) -> list[Problem]:
    assigned = registry.assigned(raw.metadata["district_code"])["kr_code"]
    present = set(rows["kr_code"])
    return [problem("kr-missing", sheet=raw.sheet, value=code)
            for code in assigned if code not in present]

def _with_registry(frames: list[pd.DataFrame], registry: Registry) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=["file_id", "row", "kr_code"])
    batch = pd.concat(frames, ignore_index=True)
    assigned = registry.assignments[["kr_code", "district_code"]].merge(
        registry.key_results[["kr_code", "kr_type", "decimals"]], on="kr_code")
    batch = batch.merge(assigned, on=["district_code", "kr_code"], how="left", indicator=True)
    return batch.assign(assigned=batch.pop("_merge").eq("both"))

def _row_problems(batch: pd.DataFrame, raws: list[RawWorkbook]) -> dict[int, list[Problem]]:
    if batch.empty:
        return {}
    try:
        submission.batch_schema().validate(batch, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["check"].isin(submission.RULES_BY_ID)]
        cases = cases.drop_duplicates(["check", "index"])
        found: dict[int, list[Problem]] = {}
        for check, index in zip(cases["check"], cases["index"], strict=True):
            file_id = int(batch.at[index, "file_id"])
            found.setdefault(file_id, []).append(
                _row_problem(submission.RULES_BY_ID[check], batch.loc[index], raws[file_id]))
        return found
    return {}

def _row_problem(rule: submission.RowRule, row: pd.Series, raw: RawWorkbook) -> Problem:
    expected = row[rule.expected] if rule.expected_is_column else rule.expected
    return problem(rule.code, raw.sheet, f"{raw.cells[rule.column]}{row['row']}",
                   value=row[rule.value], expected=expected)

def _verdict(raw: RawWorkbook, problems: list[Problem], batch: pd.DataFrame, file_id: int,
             registry: Registry) -> Verdict:
    meta = raw.metadata
    problems = sorted(problems, key=lambda p: p.sort_key)
    facts = None
    if not _has_error(problems):
        facts = _facts(batch[batch["file_id"] == file_id], raw)
    return Verdict(
        arrival=raw.arrival,
        district_code=meta.get("district_code", ""),
        period=meta.get("period", ""),
        registry_version=meta.get("registry_version", ""),
        problems=tuple(problems),
        facts=facts,
    )

def _facts(rows: pd.DataFrame, raw: RawWorkbook) -> pd.DataFrame:
    ratio = rows["kr_type"].eq("ratio")
    milestone = rows["kr_type"].eq("milestone")
    actual = rows["actual"].where(~milestone, rows["milestone"].astype(float))
    actual = actual.where(~ratio, rows["numerator"] / rows["denominator"] * 100)
    value_column = ratio.map({True: raw.cells["numerator"], False: raw.cells["actual"]})
    return pd.DataFrame({
        "district_code": rows["district_code"],
        "period": raw.metadata["period"],
        "kr_code": rows["kr_code"],
        "actual": actual.astype(float),
        "numerator": rows["numerator"].where(ratio),
        "denominator": rows["denominator"].where(ratio),
        "status": rows["status"],
        "confidence": rows["confidence"],
        "note": rows["note"],
        "sheet": raw.sheet,
        "cell": value_column + rows["row"].astype(str),
    }, columns=FACT_COLUMNS).reset_index(drop=True)

