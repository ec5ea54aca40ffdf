"""What the warehouse already knows that a new submission is checked against: closed periods,
each district's earlier figures, and its peers' figures for the same period.

Values are compared as a level: the value over the district's own target (over the share of
the year elapsed too, for a cumulative KR), so that districts with different targets, and a
district's own periods, compare. A value is an outlier when its level is far from its peers'
— the modified z-score of Iglewicz and Hoaglin on the median and the median absolute
deviation, as DHIS2's outlier rules use — and also far from the district's own earlier levels,
when it has any. Milestones (done or not) have no outliers.

Below the median, the z-score cannot reach its cut-off (the spread is at least MAD_FLOOR of
the median): a figure is instead far below its peers under a tenth of their median level,
and far from the district's own earlier levels too.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from pipeline import period_locks, score
from pipeline.periods import parse_period
from pipeline.settings import Thresholds

MODIFIED_Z = 3.5  # Iglewicz & Hoaglin's cut-off
MIN_PEERS = 10
MAD_FLOOR = 0.25  # of the median level: close peers and small counts do not make outliers
OWN_GAP = 0.5  # half the district's own earlier level away from it
TIMES_BELOW = 10  # under a tenth of the peers' median level: a digit dropped, a unit mistaken
MIN_GAP_UNITS = 2  # and at least two units of the KR's precision: 1 tree is no outlier of 0.4
FACT_COLUMNS = ["district_code", "period", "kr_code", "actual", "status", "submission_id"]
KEY = ["district_code", "kr_code"]
NEIGHBOUR_COLUMNS = [*KEY, "period", "actual"]  # what a figure's earlier and later ones say


@dataclass(frozen=True)
class History:
    closed: frozenset[str] = frozenset()
    facts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FACT_COLUMNS))
    # The figures of the files accepted tonight, and their (district, period)
    # (pipeline.same_night): a file's figures are compared across periods with them,
    # in place of the warehouse's for the same district and period, a file's whole. Outliers
    # are not: they are measured against the warehouse, for every file alike.
    tonight: pd.DataFrame | None = None
    tonight_periods: frozenset[tuple[str, str]] = frozenset()

    def around(self) -> pd.DataFrame:
        """The figures a file's earlier and later periods are read from."""
        if self.tonight is None:
            return self.facts
        replaced = pd.MultiIndex.from_frame(self.facts[["district_code", "period"]]).isin(
            list(self.tonight_periods))
        kept = self.facts[~replaced]
        return pd.concat([kept, self.tonight], ignore_index=True) if len(kept) else self.tonight


def load_history(con: duckdb.DuckDBPyConnection, districts: Collection[str],
                 periods: Collection[str]) -> History:
    """What files of these districts and periods are checked against: every current figure
    of those districts (their own earlier periods) and of those periods (their peers). One
    district's resubmission reads a fraction of the warehouse."""
    facts = con.execute(f"SELECT {', '.join(FACT_COLUMNS)} FROM current_facts "
                        "WHERE list_contains($districts, district_code) "
                        "OR list_contains($periods, period)",
                        {"districts": sorted(districts), "periods": sorted(periods)}).df()
    return History(frozenset(period_locks.closed_periods(con)), facts)


def annotate(batch: pd.DataFrame, history: History, plan: pd.DataFrame,
             versions: Mapping[str, str], thresholds: Thresholds) -> pd.DataFrame:
    """Adds what the cross-period rules read: the previous and next figures, the computed
    status and whether the value is an outlier. `batch` carries period, value, decimals and
    the columns of `plan`: every district's assignments with their KR's baseline, target,
    direction, cumulative, kr_type, under each registry version (plan_version) a stored
    figure's period may have been reported under; `versions`, that version of each stored
    period."""
    facts = history.facts.rename(columns={"actual": "value"})
    facts["plan_version"] = facts["period"].map(versions)
    stored = _levelled(facts.merge(plan, on=["plan_version", *KEY]))
    out = _levelled(batch)
    out["computed_status"] = score.status(out["progress"], out["share"], thresholds).where(
        out["progress"].notna())
    out = _with_neighbours(out, history.around())
    far, below, peer_level = _far_from_peers(out, stored)
    typical = peer_level * out["scale"]
    unit = 10.0 ** -out["decimals"].astype(float)
    wide = (out["value"] - typical).abs() > MIN_GAP_UNITS * unit
    own = _far_from_own_level(out, stored)
    return out.assign(outlier=far & wide & own, far_below=below & wide & own,
                      typical_value=typical)


def _levelled(frame: pd.DataFrame) -> pd.DataFrame:
    share = _per_period(frame["period"], "elapsed_share").astype(float)
    progress = score.progress(frame["value"], frame["baseline"], frame["target"],
                              frame["direction"], share, frame["cumulative"])
    scale = frame["target"].where(frame["target"] != 0) * np.where(
        frame["cumulative"].eq(True), share, 1.0)
    level = (frame["value"] / scale).where(~frame["kr_type"].eq("milestone"))
    return frame.assign(share=share, progress=progress, scale=scale, level=level)


def _per_period(codes: pd.Series, attribute: str) -> pd.Series:
    """An attribute of each row's period, parsed once for each distinct code: a batch holds a
    few periods over hundreds of thousands of rows."""
    parsed = {code: getattr(parse_period(code), attribute) for code in codes.unique()}
    return pd.Series([parsed[code] for code in codes.tolist()], index=codes.index, dtype=object)


def _with_neighbours(batch: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The district's latest accepted figure for the KR in an earlier period of the year, and
    its earliest in a later one: a late correction of an earlier period is compared with what
    followed it. A period left blank (a note says why) has no figure: it is passed over."""
    rows = batch.reset_index()[["index", *KEY, "period"]]
    other = facts.loc[facts["actual"].notna(), NEIGHBOUR_COLUMNS].rename(
        columns={"period": "other_period", "actual": "other_actual"})
    pairs = rows.merge(other, on=KEY)
    pairs = pairs[pairs["other_period"].str[:4] == pairs["period"].str[:4]]
    pairs = pairs.assign(end=_per_period(pairs["other_period"], "end"),
                         own_end=_per_period(pairs["period"], "end")
                         ).sort_values(["end", "other_period"])  # Q1 after M03, its last month
    before = pairs[pairs["end"] < pairs["own_end"]].drop_duplicates("index", keep="last")
    after = pairs[pairs["end"] > pairs["own_end"]].drop_duplicates("index", keep="first")
    found = {}
    for name, chosen in (("previous", before), ("next", after)):
        chosen = chosen.set_index("index")
        found[f"{name}_actual"] = chosen["other_actual"].reindex(batch.index).astype(float)
        found[f"{name}_period"] = chosen["other_period"].reindex(batch.index).fillna("")
    return batch.assign(**found)


def _far_from_peers(batch: pd.DataFrame, stored: pd.DataFrame
                    ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whether each level is an outlier among the KR's levels that period, whether it is far
    below them, and their median."""
    peers = pd.concat([stored[[*KEY, "period", "level"]], batch[[*KEY, "period", "level"]]])
    peers = peers.drop_duplicates([*KEY, "period"], keep="last").dropna(subset=["level"])
    level = peers["level"].astype(float).groupby([peers["period"], peers["kr_code"]])
    deviation = (peers["level"].astype(float) - level.transform("median")).abs()
    stats = pd.DataFrame({"median": level.median(), "count": level.count(),
                          "mad": deviation.groupby([peers["period"], peers["kr_code"]]).median()})
    joined = batch[["period", "kr_code", "level"]].join(stats, on=["period", "kr_code"])
    spread = pd.concat([joined["mad"], MAD_FLOOR * joined["median"].abs()], axis=1).max(axis=1)
    z = 0.6745 * (joined["level"] - joined["median"]) / spread.where(spread > 0)
    enough = joined["count"] > MIN_PEERS
    below = joined["level"].gt(0) & (TIMES_BELOW * joined["level"] < joined["median"])
    return (z.abs() > MODIFIED_Z) & enough, below & enough, joined["median"]


def _far_from_own_level(batch: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    own = batch[[*KEY, "period"]].reset_index().merge(
        stored[[*KEY, "period", "level"]].rename(columns={"period": "other", "level": "past"}),
        on=KEY)
    own = own[own["other"] != own["period"]].dropna(subset=["past"])
    median = own.groupby("index")["past"].median().reindex(batch.index)
    gap = (batch["level"] - median).abs() > OWN_GAP * median.abs()
    return gap | median.isna()
