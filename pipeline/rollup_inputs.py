"""What each roll-up workbook of a period is written from, and a fingerprint of it: a book is
rewritten only when its fingerprint changes (pipeline.rollup_xlsx).

A dimension's book is written from its share of the period alone, the rows of its own KRs and
scores, so that a correction to another dimension's figures leaves it as it was. The district
groups' books and the committee's draw on the whole period (each shows the city's figures).
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline import freshness
from pipeline.rollup import CityFigures, PeriodRollup
from pipeline.rollup_book import dressed

Inputs = tuple[PeriodRollup, list[CityFigures]]


class BookInputs:
    """The books of one period by name; each book's inputs are cut out only when asked for,
    in the writer that writes it."""

    def __init__(self, rollup: PeriodRollup, earlier: Sequence[CityFigures]):
        self.rollup = dressed(rollup)
        self.before = sorted((r for r in earlier
                              if r.period.fiscal_year == self.rollup.period.fiscal_year
                              and r.period.end < self.rollup.period.start),
                             key=lambda r: r.period.end)
        ref = self.rollup.reference
        self.names = ([f"dimension-{d}" for d in ref.dimensions["dimension_id"]]
                      + [f"group-{g}" for g in ref.groups["group_code"]] + ["committee"])
        self._rows = _Rows(self.rollup.krs.set_index("kr_code")["dimension_id"])
        self._no_record = self.rollup.completeness.iloc[:0]  # a dimension's book shows none

    def of(self, name: str) -> Inputs:
        kind, _, code = name.partition("-")
        if kind == "dimension":
            return self._share(int(code), self._rows.frame)
        return (self.rollup, []) if kind == "group" else (self.rollup, self.before)

    def fingerprint(self, name: str, version: str) -> str:
        """A digest of the book's inputs but the time of the data (its "data as of"), and of
        the `version` of the code that writes it (freshness.code_version)."""
        kind, _, code = name.partition("-")
        rollup, before = (self._share(int(code), self._rows.digest) if kind == "dimension"
                          else self.of(name))
        return freshness.content_digest((version, replace(rollup, as_of=None), before),
                                        self._rows.digest)

    def _share(self, dimension: int, take: Callable) -> Inputs:
        """A dimension's share of the period: `take(frame, dimension)` gives a frame's rows of
        the dimension, as a frame or as their digest."""
        def own(frame: pd.DataFrame):
            return take(frame, dimension)

        r = self.rollup
        share = replace(r, krs=own(r.krs), kr_district=own(r.kr_district),
                        kr_group=own(r.kr_group), kr_city=own(r.kr_city),
                        dims_district=own(r.dims_district), dims_group=own(r.dims_group),
                        dims_city=own(r.dims_city), tree_city=own(r.tree_city),
                        objectives=own(r.objectives), completeness=self._no_record)
        return share, [replace(f, kr_city=own(f.kr_city), dims_city=own(f.dims_city))
                       for f in self.before]


class _Rows:
    """Each frame's rows by dimension and the hash of each row, found once a frame: cutting
    a dimension's share out of a frame, or digesting it, is then an index lookup."""

    def __init__(self, kr_dimension: pd.Series):
        self._kr_dimension = kr_dimension
        # by id(frame), the frame kept with them: its id stays its own
        self._hashes: dict[int, tuple[pd.DataFrame, bytes, np.ndarray]] = {}
        self._positions: dict[int, tuple[pd.DataFrame, dict]] = {}

    def frame(self, frame: pd.DataFrame, dimension: int) -> pd.DataFrame:
        return frame.iloc[self._of(frame, dimension)].reset_index(drop=True)

    def digest(self, frame: pd.DataFrame, dimension: int | None = None) -> bytes:
        """The frame's columns, their types, its index and its rows' values; with a
        dimension, those of the frame `frame(frame, dimension)` gives."""
        if id(frame) not in self._hashes:
            header = repr((list(frame.columns), list(map(str, frame.dtypes)))).encode()
            self._hashes[id(frame)] = (frame, header, pd.util.hash_pandas_object(
                frame, index=False).to_numpy())
        _, header, rows = self._hashes[id(frame)]
        if dimension is None:
            index = frame.index
        else:
            rows = rows[self._of(frame, dimension)]
            index = pd.RangeIndex(len(rows))
        digest = hashlib.sha256(header)
        digest.update(repr(index).encode() if isinstance(index, pd.RangeIndex)
                      else pd.util.hash_pandas_object(index).to_numpy().tobytes())
        digest.update(rows.tobytes())
        return digest.digest()

    def _of(self, frame: pd.DataFrame, dimension: int) -> np.ndarray:
        """The positions of the frame's rows of the dimension: by their dimension_id, or their
        KR's."""
        if id(frame) not in self._positions:
            keys = (frame["dimension_id"] if "dimension_id" in frame.columns
                    else frame["kr_code"].map(self._kr_dimension)).to_numpy()
            self._positions[id(frame)] = (frame, pd.Series(keys).groupby(keys).indices)
        return self._positions[id(frame)][1].get(dimension, np.array([], dtype=np.intp))
