"""What the district groups' books show, worked out for every group at once: each group's
book ranks its districts in the city as well as in the group and sets them against the city's
figures, and a writer writes several groups' books of the same period."""

from dataclasses import dataclass

import pandas as pd

from pipeline.rollup import CITY, PeriodRollup, overall_scores, ranks
from pipeline.rollup_book import STATE_TH, district_rows
from pipeline.rollup_district import FOLLOW_UP, KR_COLS

# What the group's sheets take from each district's KR rows: the district sheets' columns,
# the number format of their figures, and what the ranking and the KR sheet use.
SHOWN = ["district_code", "num_format",
         *dict.fromkeys(c.key for c in KR_COLS if c.key not in ("group", CITY))]


@dataclass(frozen=True)
class GroupFigures:
    rows: dict[str, pd.DataFrame]  # by group: its districts' KR rows, the SHOWN columns
    ranking: dict[str, pd.DataFrame]  # by group: its districts, best first, with their ranks
    dimensions: dict[str, pd.DataFrame]  # by district: its dimension scores, its group's, city's
    follow: dict[str, pd.DataFrame]  # by district: its KRs to follow up, as its sheet lists them
    assigned: pd.Series  # by district: how many KRs it reports on
    ranked: int  # districts ranked in the city: of the districts with data, not all 50


_last: list = [None, None]  # the roll-up last asked about, and its groups' figures


def group_figures(rollup: PeriodRollup) -> GroupFigures:
    """Worked out once for the roll-up last asked about: a writer asks once per group book."""
    if _last[0] is not rollup:
        rows = district_rows(rollup)
        ranking, ranked = _ranking(rollup, rows)
        _last[:] = [rollup, GroupFigures(
            rows=_by_group(rollup, rows[SHOWN], rows["group_code"]),
            ranking=_by_group(rollup, ranking, ranking["group_code"]),
            dimensions=_dimensions(rollup),
            follow=_follow(rollup, rows),
            assigned=rows["district_code"].value_counts(),
            ranked=ranked)]
    return _last[1]


def _by_group(rollup: PeriodRollup, frame: pd.DataFrame, groups: pd.Series
              ) -> dict[str, pd.DataFrame]:
    """The frame's rows of each group, in order; none for a group none of whose districts
    has a KR (a registry may cascade its KRs to some districts only)."""
    at = groups.groupby(groups.to_numpy()).indices
    return {code: frame.iloc[at.get(code, [])] for code in rollup.reference.groups["group_code"]}


def _ranking(rollup: PeriodRollup, rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Every district ranked in its group and in the city; districts without data are not.
    And how many are ranked in the city."""
    districts = rollup.reference.districts.rename(columns={"code": "district_code"})
    city = overall_scores(rollup.dims_district, "district_code")
    out = districts.merge(city.rename(columns={"rank": "city_rank"}), on="district_code")
    out["rank"] = ranks(out["score"], out["group_code"])
    out = out.merge(rollup.completeness[["district_code", "state"]], on="district_code",
                    how="left")
    on_track = rows["status"].eq("on_track").groupby(rows["district_code"]).sum()
    ranked = int(city["rank"].notna().sum())  # of the districts with data, not all 50
    return out.assign(
        rank_text=out["rank"].map(lambda r: "ไม่จัดอันดับ" if pd.isna(r) else f"{r:.0f}"),
        # a number where there is one: a committee member sorts the column 1, 2, … 10
        rank_shown=out["rank"].astype(object).where(out["rank"].notna(), "ไม่จัดอันดับ"),
        city_rank_shown=out["city_rank"].astype(object).where(out["city_rank"].notna(),
                                                              "ไม่จัดอันดับ"),
        city_rank_text=out["city_rank"].map(
            lambda r: "ไม่จัดอันดับ" if pd.isna(r) else f"{r:.0f} / {ranked}"),
        on_track=out["district_code"].map(on_track).fillna(0),
        state_th=out["state"].map(STATE_TH),
    ).sort_values(["rank", "district_code"], na_position="last"), ranked


def _dimensions(rollup: PeriodRollup) -> dict[str, pd.DataFrame]:
    """Each district's score by dimension beside its group's and the city's, every dimension
    listed (no score: no data)."""
    ref = rollup.reference
    dims = ref.dimensions.assign(label=ref.dimensions["name_th"] + " ("
                                 + ref.dimensions["name_en"] + ")")
    table = ref.districts[["code", "group_code"]].rename(columns={"code": "district_code"}).merge(
        dims, how="cross").merge(
        rollup.dims_district[["district_code", "dimension_id", "score", "krs",
                              "krs_with_data"]], on=["district_code", "dimension_id"],
        how="left")
    groups = rollup.dims_group.set_index(["group_code", "dimension_id"])["score"]
    table = table.assign(
        district=table["score"],
        krs_text=[f"{w:.0f} จาก {k:.0f}" if k == k else "—"
                  for w, k in zip(table["krs_with_data"], table["krs"], strict=True)],
        group=groups.reindex(pd.MultiIndex.from_frame(
            table[["group_code", "dimension_id"]])).to_numpy(),
        **{CITY: table["dimension_id"].map(rollup.dims_city.set_index("dimension_id")["score"])})
    return {code: part.drop(columns="group_code").reset_index(drop=True)
            for code, part in table.groupby("district_code")}


def _follow(rollup: PeriodRollup, rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each district's KRs to follow up (FOLLOW_UP), by dimension and KR, with each KR's
    capped progress in the district's group (`group`) and the city (`city`)."""
    areas = rollup.kr_group[["group_code", "kr_code", "progress_shown"]].rename(
        columns={"progress_shown": "group"})
    areas[CITY] = areas["kr_code"].map(rollup.kr_city.set_index("kr_code")["progress_shown"])
    follow = rows.loc[rows["status"].isin(FOLLOW_UP), [*SHOWN, "group_code"]].merge(
        areas, on=["group_code", "kr_code"], how="left").drop(columns="group_code").sort_values(
        ["district_code", "dimension_id", "kr_code"])
    parts = dict(list(follow.groupby("district_code", sort=False)))
    return {code: parts.get(code, follow.iloc[:0]) for code in rollup.reference.districts["code"]}
