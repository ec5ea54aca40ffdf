"""Registry workbook → validated registry frames (objectives, key results, assignments, periods).

A bad registry is refused as a whole, with every problem named by sheet, row and column.
"""

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from python_calamine import CalamineWorkbook

from pipeline.cells import cell_text, each_distinct
from pipeline.normalize import folded, unified_text
from pipeline.periods import parse_period
from pipeline.reference import Reference
from pipeline.xlsx_shown import ERROR, PERCENT, Shown, shown_cells
from schemas import registry as model

_BE_YEAR = re.compile(r"2[5-6][0-9]{2}")
DUE_WITHIN = timedelta(days=366)  # a period's due date falls within a year of its end


class RegistryError(Exception):
    """The registry workbook cannot be used; `problems` lists every reason."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"  - {line}" for line in problems)
        super().__init__(f"ทะเบียน OKR ใช้ไม่ได้ / the registry {path} is invalid:\n{listing}")


@dataclass(frozen=True)
class Registry:
    version: str
    fiscal_year: int
    in_force_from: str  # the first period this version applies to
    content_sha256: str  # of the content, not the file: a re-save changes no figure
    objectives: pd.DataFrame
    key_results: pd.DataFrame  # joined with issue_code and dimension_id
    assignments: pd.DataFrame  # baseline, target as floats
    periods: pd.DataFrame  # period, due_date (date)
    # whether the about sheet names in_force_from (else it is the first period): a version
    # that follows another must, or it would rewrite the periods reported under the other
    in_force_from_named: bool = True
    # of the content as typed, before its text was unified: what a version stored before the
    # text was unified holds; that registry re-saved is still the same version
    typed_sha256: str | None = None

    def assigned(self, district_code: str) -> pd.DataFrame:
        """The district's KRs in registry order, with their baseline and target."""
        mine = self.assignments[self.assignments["district_code"] == district_code]
        return self.key_results.merge(mine, on="kr_code", how="inner")

    def assigned_codes(self, district_code: str) -> tuple[str, ...]:
        """The KR codes of `assigned(district_code)`, in its order, from a lookup built once:
        validation asks for them for every file of a run."""
        return self._codes_by_district.get(district_code, ())

    @cached_property
    def plan(self) -> pd.DataFrame:
        """Every district's assignments with their KR's type, precision, direction and
        whether it accumulates, and this version's name: what each row a clerk sends is
        checked against, built once for a run's groups of files. Read, never changed."""
        columns = ["kr_code", "kr_type", "decimals", "direction", "cumulative"]
        plan = self.assignments.merge(self.key_results[columns], on="kr_code")
        return plan.assign(plan_version=self.version)

    @cached_property
    def _codes_by_district(self) -> dict[str, tuple[str, ...]]:
        pairs = self.key_results[["kr_code"]].merge(
            self.assignments[["district_code", "kr_code"]], on="kr_code", how="inner")
        return {district: tuple(codes.tolist()) for district, codes in
                pairs.groupby("district_code", sort=False)["kr_code"]}


def _sheet_frame(book: CalamineWorkbook, path: Path, sheet: str,
                 columns: tuple[str, ...]) -> pd.DataFrame:
    rows = _as_shown(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False),
                     shown_cells(path, sheet))
    header = [cell_text(v).strip() for v in rows[0]] if rows else []
    missing = [c for c in columns if c not in header]
    twice = [c for c in columns if header.count(c) > 1]
    if missing or twice:
        raise RegistryError(Path(book.path or ""), [
            f"sheet {sheet}, row 1: {what} {', '.join(names)}"
            for what, names in (("missing column(s)", missing),
                                ("column(s) named more than once", twice)) if names])
    body = [[cell_text(v).strip() for v in row] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame.index = range(2, len(frame) + 2)  # Excel row numbers
    frame = frame[list(columns)]
    return frame[frame.ne("").any(axis=1)]


def _as_shown(rows: list[list], shown: list[Shown]) -> list[list]:
    """The office means what a cell shows: a target typed as 92.5% in Excel is stored as
    0.925, and read so it was a target a hundred times too small that every district met; an
    error value (#N/A of a lookup) was read as a blank."""
    for row0, col0, kind, text in shown:
        if row0 >= len(rows) or col0 >= len(rows[row0]):
            continue
        if kind == PERCENT and type(rows[row0][col0]) in (float, int):
            rows[row0][col0] = round(rows[row0][col0] * 100, 9)  # 0.925 * 100 is 92.500…01
        elif kind == ERROR:
            rows[row0][col0] = text
    return rows


def _unified(column: pd.Series) -> pd.Series:
    """Each text unified once, however often the column repeats it (a KR's code, a district's)."""
    texts = each_distinct(column.tolist(), lambda text: unified_text(text).strip())
    return pd.Series(texts, index=column.index, dtype=str)


def _check(frame: pd.DataFrame, schema: pa.DataFrameSchema, sheet: str) -> list[str]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["index"].notna()]
        rows = cases[cases["schema_context"] == "DataFrameSchema"].drop_duplicates(
            ["check", "index"])
        cells = cases[cases["schema_context"] != "DataFrameSchema"].drop_duplicates(
            ["column", "check", "index"])
        return [f"sheet {sheet}, row {case.index}: {case.check}" for case in rows.itertuples()] + [
            f"sheet {sheet}, row {case.index}, column {case.column}: "
            f"'{frame.at[case.index, case.column]}' {_describe(case.check)}"
            for case in cells.itertuples()
        ]
    return []


def _describe(check: str) -> str:
    if check == "field_uniqueness":
        return "is duplicated"
    return str(check)


def load_registry(path: Path, reference: Reference) -> Registry:
    if not path.exists():
        raise RegistryError(path, ["the file does not exist"])
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # any reader failure means the same thing: not a workbook
        raise RegistryError(path, [f"cannot be read as a workbook: {err}"]) from err
    missing = [s for s in model.SHEETS if s not in book.sheet_names]
    if missing:
        raise RegistryError(path, [f"sheet {s} is missing{_renamed(s, book.sheet_names)}"
                                   for s in missing])
    typed = {s: _sheet_frame(book, path, s, cols) for s, cols in model.SHEETS.items()}
    # a name typed with a decomposed sara am, a code with a zero-width space pasted in: the
    # same registry re-saved must stay the same version, and its names match the clerks'
    frames = {s: frame.apply(_unified) for s, frame in typed.items()}
    about = dict(zip(frames["about"]["key"], frames["about"]["value"], strict=True))

    problems = [f"sheet about: {key} is missing" for key in ("registry_version", "fiscal_year")
                if not about.get(key)] + _keys_given_twice(frames["about"])
    problems += _check(frames["objectives"],
                       model.objectives_schema(reference.issues["issue_code"]), "objectives")
    problems += _check(frames["key_results"], model.key_results_schema(
        frames["objectives"]["objective_code"], frames["assignments"]["kr_code"]),
        "key_results")
    key_results = frames["key_results"]
    directions = dict(zip(key_results["kr_code"], key_results["direction"], strict=True))
    contrary = model.against_every_target(frames["assignments"], directions)
    problems += _direction_mistyped(key_results, contrary)
    problems += _check(frames["assignments"], model.assignments_schema(
        key_results["kr_code"], reference.districts["code"],
        key_results.loc[key_results["kr_type"].eq("milestone"), "kr_code"],
        {kr: direction for kr, direction in directions.items() if kr not in contrary},
        dict(zip(key_results["kr_code"], key_results["kr_type"], strict=True))),
        "assignments")
    periods = _check(frames["periods"], model.periods_schema(), "periods")
    problems += periods + [f"sheet {sheet}: no rows" for sheet in model.SHEETS
                           if sheet != "about" and frames[sheet].empty]
    fiscal_year = about.get("fiscal_year", "")
    if fiscal_year and not _BE_YEAR.fullmatch(fiscal_year):
        problems.append(f"sheet about: fiscal_year '{fiscal_year}' must be a Buddhist Era year "
                        "like 2569")
    elif fiscal_year and not periods:
        problems += _periods_of_the_year(frames["periods"], int(fiscal_year))
    in_force_from = about.get("in_force_from", "")
    if in_force_from and in_force_from not in set(frames["periods"]["period"]):
        problems.append(f"sheet about: in_force_from '{in_force_from}' is not a period of "
                        "sheet periods")
    if problems:
        raise RegistryError(path, problems)
    typed_about = dict(zip(typed["about"]["key"], typed["about"]["value"], strict=True))
    return replace(_build(about, frames, reference),
                   typed_sha256=_content_sha256(typed_about, typed))


def _renamed(sheet: str, names: list[str]) -> str:
    """A sheet the office renamed by a letter's case or a space ("Assignments") is named back
    to it: the message said only that the sheet was missing, beside the sheet in plain view."""
    near = [name for name in names if folded(name) == sheet]
    return f" ('{near[0]}' is there: sheet names must be written exactly so)" if near else ""


def _direction_mistyped(key_results: pd.DataFrame, contrary: dict[str, int]) -> list[str]:
    """One message at the direction of a KR every target goes against (model.
    against_every_target), not one at each of its fifty rows of assignments."""
    rows = key_results.assign(row=key_results.index).drop_duplicates(  # the row judged by,
        "kr_code", keep="last").set_index("kr_code")  # as a dict of the rows keeps the last
    return [f"sheet key_results, row {rows.at[kr, 'row']}, column direction: "
            f"'{rows.at[kr, 'direction']}' goes against all {count} targets of {kr} in sheet "
            f"assignments, each {'above' if rows.at[kr, 'direction'] == 'decrease' else 'below'}"
            " its baseline: an increase needs a target at or above the baseline, a decrease at "
            "or below" for kr, count in contrary.items()]


def _keys_given_twice(about: pd.DataFrame) -> list[str]:
    """A key given on two rows would leave the registry to whichever came last: a version
    pasted below the old one, or two in_force_from, would go unnoticed."""
    twice = about[about["key"].ne("") & about["key"].duplicated(keep=False)]
    return [f"sheet about, rows {', '.join(map(str, rows.index))}: key '{key}' is given more "
            "than once; keep one" for key, rows in twice.groupby("key", sort=False)]


def _periods_of_the_year(periods: pd.DataFrame, fiscal_year: int) -> list[str]:
    """Each period of the fiscal year, due after it starts and within a year of its end: a
    due date typed in Buddhist Era years (2569-04-15) would make every file on time."""
    problems = []
    for row, code, due in zip(periods.index, periods["period"], periods["due_date"],
                              strict=True):
        period = parse_period(code)
        if period.fiscal_year != fiscal_year:
            problems.append(f"sheet periods, row {row}, column period: '{code}' is not a "
                            f"period of fiscal year {fiscal_year}")
        elif due and not period.start <= date.fromisoformat(due) <= period.end + DUE_WITHIN:
            problems.append(
                f"sheet periods, row {row}, column due_date: '{due}' is not between the "
                f"period's start ({period.start}) and a year after its end; dates are in "
                "Christian Era years (2026, not 2569)")
    return problems


def _content_sha256(about: dict, frames: dict) -> str:
    digest = hashlib.sha256()
    for key in ("registry_version", "fiscal_year", "in_force_from"):
        digest.update(f"{key}={about.get(key, '')}\n".encode())
    for name in model.SHEETS:
        if name != "about":
            digest.update(frames[name].to_csv(index=False).encode())
    return digest.hexdigest()


def in_registry_order(assignments: pd.DataFrame, key_results: pd.DataFrame) -> pd.DataFrame:
    """The assignments in the KRs' order, then by district: the order of the office's sheet,
    which it sorts and filters at will, is not content, and what is summed over them must not
    depend on it."""
    rank = pd.Series(range(len(key_results)), index=key_results["kr_code"])
    return assignments.sort_values(
        ["kr_code", "district_code"], key=lambda c: c.map(rank) if c.name == "kr_code" else c,
        kind="stable", ignore_index=True)


def _first_then_longest(code: str) -> tuple:
    """A fiscal year's first period: 2569-Q1 and 2569-M01 both start it, the quarter taken
    whichever row the sheet lists first."""
    period = parse_period(code)
    return period.start, -period.end.toordinal()


def _build(about: dict, frames: dict, reference: Reference) -> Registry:
    objectives = frames["objectives"].merge(
        reference.issues[["issue_code", "dimension_id"]], on="issue_code")
    key_results = frames["key_results"].merge(
        objectives[["objective_code", "issue_code", "dimension_id"]], on="objective_code")
    key_results = key_results.assign(
        cumulative=key_results["cumulative"].eq("yes"),
        decimals=key_results["decimals"].astype(int),
        weight=pd.to_numeric(key_results["weight"], errors="coerce").fillna(1.0),
    )
    # the warehouse's order: a registry read back from it is the same frame, column for column
    tree = ["kr_code", "objective_code", "issue_code", "dimension_id"]
    key_results = key_results[[*tree, *key_results.columns.drop(tree)]]
    assignments = frames["assignments"].assign(  # floats, as the warehouse gives them back
        baseline=lambda f: pd.to_numeric(f["baseline"]).astype(float),
        target=lambda f: pd.to_numeric(f["target"]).astype(float),
    )
    periods = frames["periods"].assign(due_date=lambda f: pd.to_datetime(f["due_date"]).dt.date)
    first = min(periods["period"], key=_first_then_longest, default="")
    return Registry(
        version=about["registry_version"],
        fiscal_year=int(about["fiscal_year"]),
        in_force_from=about.get("in_force_from") or first,
        content_sha256=_content_sha256(about, frames),
        objectives=objectives.reset_index(drop=True),
        key_results=key_results.reset_index(drop=True),
        assignments=in_registry_order(assignments, key_results),
        periods=periods.reset_index(drop=True),
        in_force_from_named=bool(about.get("in_force_from")),
    )
