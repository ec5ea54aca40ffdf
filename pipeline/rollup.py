"""Warehouse → the roll-up frames of one period: KR figures by district, group and city, scores
by dimension, and who has and has not submitted."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from pipeline import period_locks, score
from pipeline.periods import Period
from pipeline.reference import Reference
from pipeline.registry import Registry
from pipeline.settings import Thresholds

CITY = "city"
# what a roll-up's time (as_of) is called: not "ข้อมูล ณ", which the template asks for as the
# date the figures stand at (31 March for Q2); a journalist quoted a late correction's time
FIGURES_AS_OF = ("ตัวเลขจากรายงานที่รับถึง", "figures received up to")


@dataclass(frozen=True)
class CityFigures:
    """An earlier period as the trends and "changes since" show it: each KR and dimension
    city-wide. Read back from the scores stored with that period's roll-ups, it costs a query
    rather than a rebuild of the period."""

    period: Period
    thresholds: Thresholds
    kr_city: pd.DataFrame  # kr_code, progress, status, reporting
    dims_city: pd.DataFrame  # dimension_id, score

    @property
    def expected(self) -> float:
        return self.period.elapsed_share


@dataclass(frozen=True)
class PeriodRollup:
    period: Period
    as_of: datetime  # the latest receipt among the figures: the data's own time
    krs: pd.DataFrame  # the registry's KRs with their dimension, issue and objective
    kr_district: pd.DataFrame  # one row per assigned (district, KR)
    kr_group: pd.DataFrame
    kr_city: pd.DataFrame
    dims_district: pd.DataFrame
    dims_group: pd.DataFrame
    dims_city: pd.DataFrame
    completeness: pd.DataFrame  # one row per district expected to report
    reference: Reference
    thresholds: Thresholds = field(default_factory=Thresholds)
    objectives: pd.DataFrame = field(default_factory=pd.DataFrame)  # the registry's
    due: date | None = None  # the period's due date, where the registry gives one
    tree_city: pd.DataFrame = field(default_factory=pd.DataFrame)  # see tree_scores

    @property
    def expected(self) -> float:
        return self.period.elapsed_share

    def city_figures(self) -> CityFigures:
        return CityFigures(self.period, self.thresholds,
                           self.kr_city[["kr_code", "progress", "status", "reporting"]],
                           self.dims_city[["dimension_id", "score"]])


def periods_sent(con: duckdb.DuckDBPyConnection, listed: Collection[str]) -> list[str]:
    """The periods of `listed` any file was sent for, accepted or not: a period whose every
    file was rejected has its outputs too, which show every district without a report. A
    period no registry lists (typed into a rejected file's metadata) has nothing to be
    built against; a file refused because its period was closed never reached it."""
    return [row[0] for row in con.execute(
        "SELECT DISTINCT period FROM submissions WHERE list_contains(?, period) "
        f"AND {period_locks.REACHED} ORDER BY period", [sorted(listed)]).fetchall()]


def build(con: duckdb.DuckDBPyConnection, registry: Registry, reference: Reference,
          period: Period, thresholds: Thresholds) -> PeriodRollup:
    facts = con.execute(
        "SELECT district_code, kr_code, actual, numerator, denominator, status AS clerk_status, "
        "note, received_at FROM current_facts WHERE period = ?", [period.code]).df()
    districts = reference.districts.rename(columns={"code": "district_code"})
    rows = (registry.assignments
            .merge(registry.key_results[["kr_code", "kr_type", "direction", "cumulative",
                                         "dimension_id"]], on="kr_code")
            .merge(districts[["district_code", "group_code"]], on="district_code")
            .merge(facts.drop(columns="received_at"), on=["district_code", "kr_code"],
                   how="left"))
    share = period.elapsed_share
    rows["progress"] = score.progress(rows["actual"], rows["baseline"], rows["target"],
                                      rows["direction"], share, rows["cumulative"])
    rows = _with_status(rows, share, thresholds)
    rows["flag"] = rows["clerk_status"].eq("on_track") & rows["status"].eq("off_track")
    kr_group = _with_status(score.roll_up(rows, ["group_code"], share), share, thresholds)
    kr_city = _with_status(score.roll_up(rows.assign(area=CITY), ["area"], share), share,
                           thresholds)
    return PeriodRollup(
        period=period,
        as_of=_as_of(con, facts, period),
        krs=registry.key_results,
        kr_district=rows,
        kr_group=kr_group,
        kr_city=kr_city,
        dims_district=score.dimension_scores(rows, registry.key_results, ["district_code"]),
        dims_group=score.dimension_scores(kr_group, registry.key_results, ["group_code"]),
        dims_city=score.dimension_scores(kr_city, registry.key_results, ["area"]),
        completeness=completeness(con, registry, reference, period),
        reference=reference,
        thresholds=thresholds,
        objectives=registry.objectives,
        due=registry.periods.set_index("period")["due_date"].get(period.code),
        tree_city=tree_scores(kr_city, registry.key_results),
    )


def reporting_rates(completeness: pd.DataFrame) -> pd.DataFrame:
    """Reporting rates as DHIS2 counts them, by district group and for the city: expected,
    received, accepted, on time, late, rejected (only), missing, and the rates."""
    state = completeness["state"]
    flags = pd.DataFrame({
        "group_code": completeness["group_code"], "expected": 1,
        "received": completeness["files"].gt(0), "accepted": state.eq("accepted"),
        "on_time": completeness["on_time"].astype(bool), "rejected": state.eq("rejected"),
        "missing": state.eq("missing")})
    counts = pd.concat([flags, flags.assign(group_code=CITY)]).groupby("group_code").sum()
    counts["late"] = counts["accepted"] - counts["on_time"]
    counts["rate"] = counts["accepted"] / counts["expected"]
    counts["on_time_rate"] = counts["on_time"] / counts["expected"]
    return counts.reset_index().rename(columns={"group_code": "area"})


def reporting(completeness: pd.DataFrame, areas: list[str]) -> dict[str, tuple[str, str]]:
    """Each area's districts with an accepted report, of those expected, as a heading says it
    (Thai, English): a group's figures are its reporting districts', and three of seven
    looked like seven. A group none of whose districts has a KR expects none."""
    rates = reporting_rates(completeness).set_index("area")
    counts = {area: (int(rates.at[area, "accepted"]), int(rates.at[area, "expected"]))
              if area in rates.index else (0, 0) for area in areas}
    return {area: (f"รายงาน {accepted}/{expected} เขต", f"{accepted} of {expected} reporting")
            for area, (accepted, expected) in counts.items()}


def received_until(rollup: PeriodRollup) -> datetime:
    """The latest receipt of the period's files, accepted or not (UTC, naive, as stored)."""
    latest = rollup.completeness["last_received_at"].max()
    return rollup.as_of if pd.isna(latest) else pd.Timestamp(latest).to_pydatetime()


def _with_status(frame: pd.DataFrame, expected: float, thresholds: Thresholds) -> pd.DataFrame:
    return frame.assign(status=score.status(frame["progress"], expected, thresholds))


def completeness(con: duckdb.DuckDBPyConnection, registry: Registry, reference: Reference,
                 period: Period) -> pd.DataFrame:
    """Each district expected to report: accepted, rejected (only) or missing, and on time."""
    districts = reference.districts.rename(columns={"code": "district_code"})
    expected = districts[districts["district_code"].isin(
        registry.assignments["district_code"].unique())]  # 50 codes, not 22,000 rows
    received = con.execute(f"""
        SELECT inbox_folder AS district_code,
               count(*) AS files,
               count(*) FILTER (WHERE accepted) AS accepted_files,
               min(received_at) FILTER (WHERE accepted) AS first_accepted_at,
               max(received_at) AS last_received_at,
               coalesce(bool_or(on_time) FILTER (WHERE accepted), false) AS on_time
        FROM submissions
        WHERE period = ? AND {period_locks.REACHED}
        GROUP BY 1""", [period.code]).df()
    out = expected[["district_code", "name_th", "name_en", "group_code"]].merge(
        received, on="district_code", how="left")
    out["files"] = out["files"].fillna(0).astype(int)
    out["accepted_files"] = out["accepted_files"].fillna(0).astype(int)
    out["state"] = "missing"
    out.loc[out["files"] > 0, "state"] = "rejected"
    out.loc[out["accepted_files"] > 0, "state"] = "accepted"
    # judged once, when the file was checked (validate): by the due date, a day in Bangkok
    out["on_time"] = out["on_time"].eq(True)
    return out.reset_index(drop=True)


def _as_of(con: duckdb.DuckDBPyConnection, facts: pd.DataFrame, period: Period) -> datetime:
    """The latest receipt among the figures; when the period has none (every file rejected),
    the latest receipt of its files: the books show nobody's figures as of then."""
    latest = facts["received_at"].max()
    if pd.notna(latest):
        return latest.to_pydatetime()
    return con.execute("SELECT max(received_at) FROM submissions "
                       f"WHERE period = ? AND {period_locks.REACHED}", [period.code]).fetchone()[0]


def tree_scores(kr_rows: pd.DataFrame, key_results: pd.DataFrame) -> pd.DataFrame:
    """Scores of each development issue and objective (means of capped progress, as
    score.dimension_scores takes them): one row per issue, then its objectives beneath it."""
    tree = key_results[["kr_code", "objective_code", "issue_code", "dimension_id"]]
    scored = kr_rows[["kr_code", "progress"]].merge(tree, on="kr_code")
    scored["score"] = score.capped(scored["progress"])
    counts = {"krs": ("kr_code", "nunique"), "krs_with_data": ("progress", "count")}
    objectives = scored.groupby(["dimension_id", "issue_code", "objective_code"]).agg(
        score=("score", "mean"), **counts).reset_index()
    issues = objectives.groupby(["dimension_id", "issue_code"]).agg(
        score=("score", "mean"), krs=("krs", "sum"),
        krs_with_data=("krs_with_data", "sum")).reset_index()
    out = pd.concat([issues.assign(level="issue", objective_code=""),
                     objectives.assign(level="objective")], ignore_index=True)
    return out.sort_values(["dimension_id", "issue_code", "objective_code"],
                           key=_natural).reset_index(drop=True)


def _natural(column: pd.Series) -> pd.Series:
    """1.10 after 1.9: codes sort by their numeric parts."""
    if not pd.api.types.is_string_dtype(column):
        return column
    return column.map(lambda code: tuple(int(p) for p in str(code).split(".") if p.isdigit()))


def overall_scores(dims: pd.DataFrame, by: str) -> pd.DataFrame:
    """One score per area: the mean of its dimension scores, each dimension weighing the same;
    `rank` 1 is the best, areas without any data are not ranked."""
    areas = dims.groupby(by)  # one reduction a column: named aggregation costs five times more
    out = pd.DataFrame({"score": areas["score"].mean(), "dimensions": areas["score"].count(),
                        "krs": areas["krs"].sum(), "krs_with_data": areas["krs_with_data"].sum()})
    out["rank"] = ranks(out["score"])
    return out.reset_index()


def ranks(scores: pd.Series, within: pd.Series | None = None) -> pd.Series:
    """1 for the best score (of its `within` group), equal scores sharing a rank: they are
    compared to 9 decimals, or the same dimension scores summed in another order (0.5 against
    0.4999999999999999) ranked one district above the other."""
    level = scores.round(9)
    ranked = level if within is None else level.groupby(within)
    return ranked.rank(ascending=False, method="min")


def stored_city_figures(con: duckdb.DuckDBPyConnection, periods: Sequence[Period],
                        thresholds: Thresholds) -> list[CityFigures]:
    """Periods' city figures as their roll-ups last showed them (kr_scores, dimension_scores
    are written before a period's books, and periods in the order they end); one query a
    table for all of them, not two a period."""
    codes = [period.code for period in periods]
    query = "SELECT period, {} FROM {} WHERE period IN (SELECT unnest(?)) AND area = ? " \
            "ORDER BY period, {}"
    krs = con.execute(query.format("kr_code, progress, status, reporting", "kr_scores",
                                   "kr_code"), [codes, CITY]).df()
    dims = con.execute(query.format("dimension_id, score", "dimension_scores", "dimension_id"),
                       [codes, CITY]).df()
    krs_of, dims_of = (dict(list(frame.groupby("period", sort=False))) for frame in (krs, dims))
    return [CityFigures(period, thresholds,
                        _stored(krs_of, krs, period.code).astype({"reporting": "int64"}),
                        _stored(dims_of, dims, period.code).astype({"dimension_id": "int64"}))
            for period in periods]


def _stored(parts: dict[str, pd.DataFrame], frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """The period's rows, numbered from 0, without the period column."""
    return parts.get(code, frame.iloc[:0]).drop(columns="period").reset_index(drop=True)


def trend(rollups: Sequence[CityFigures]) -> pd.DataFrame:
    """City progress of each KR in each period given (oldest first), with that period's
    expected progress: the rows of a trend chart."""
    return pd.concat([
        r.kr_city[["kr_code", "progress", "status", "reporting"]].assign(
            period=r.period.code, expected=r.expected)
        for r in rollups], ignore_index=True)


def changes(current: PeriodRollup, previous: CityFigures | None) -> pd.DataFrame:
    """Each KR's city progress and status now and in the previous period, and the change in
    capped progress (percentage points as a fraction); NaN where either side has no data."""
    now = current.kr_city[["kr_code", "progress", "status"]]
    if previous is None:
        before = now.assign(progress=float("nan"), status="no_data")
    else:
        before = previous.kr_city[["kr_code", "progress", "status"]]
    out = now.merge(before, on="kr_code", how="left", suffixes=("", "_before"))
    out["status_before"] = out["status_before"].fillna("no_data")
    out["change"] = score.capped(out["progress"]) - score.capped(out["progress_before"])
    return out
