"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Earlier periods of the same fiscal year give the trends and what
changed since the previous period. The books are shared out between writer processes
(pipeline.writers), or written in this process."""

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from pipeline import writers
from pipeline.rollup import CityFigures, PeriodRollup
from pipeline.rollup_book import dressed, write_book
from pipeline.rollup_committee import write_committee
from pipeline.rollup_dimension import write_dimension
from pipeline.rollup_group import write_group

# A group book (a sheet per member district) takes about half as long again as the others.
WEIGHT = {"group": 3, "dimension": 2, "committee": 2}


def write_rollups(rollup: PeriodRollup, out_dir: Path,
                  earlier: Sequence[CityFigures] = ()) -> list[Path]:
    """`earlier`: the city figures of earlier periods of the same fiscal year with data
    (others are ignored). The books are written in this process."""
    rollup, before = _prepared(rollup, earlier)
    return write_books(rollup, before, out_dir, _book_names(rollup))


def start_rollups(rollup: PeriodRollup, out_dir: Path, earlier: Sequence[CityFigures] = ()
                  ) -> Callable[[], list[Path]]:
    """Hands the books to writer processes and returns at once, so that this process can do
    other work meanwhile; calling what it returns waits for them and gives their paths."""
    rollup, before = _prepared(rollup, earlier)
    names = _book_names(rollup)
    shares = writers.deal(names, lambda name: WEIGHT[name.split("-")[0]])
    written = writers.start(partial(write_books, rollup, before, out_dir), shares)

    def finished() -> list[Path]:
        paths = {path.stem: path for share in written() for path in share}
        return [paths[name] for name in names]

    return finished


def _prepared(rollup: PeriodRollup, earlier: Sequence[CityFigures]
              ) -> tuple[PeriodRollup, list[CityFigures]]:
    """The rollup dressed for showing, and the earlier periods of its fiscal year in order."""
    before = sorted((r for r in earlier if r.period.fiscal_year == rollup.period.fiscal_year
                     and r.period.end < rollup.period.start), key=lambda r: r.period.end)
    return dressed(rollup), before


def _book_names(rollup: PeriodRollup) -> list[str]:
    ref = rollup.reference
    return ([f"dimension-{d}" for d in ref.dimensions["dimension_id"]]
            + [f"group-{g}" for g in ref.groups["group_code"]] + ["committee"])


def write_books(rollup: PeriodRollup, before: list[CityFigures], out_dir: Path,
                names: list[str]) -> list[Path]:
    ref = rollup.reference
    dims = {f"dimension-{d.dimension_id}": d for d in ref.dimensions.itertuples()}
    groups = {f"group-{g.group_code}": g for g in ref.groups.itertuples()}
    paths = []
    for name in names:
        path = out_dir / f"{name}.xlsx"
        if name in dims:
            dim = dims[name]
            paths.append(write_book(path, rollup, f"ด้าน{dim.name_th}",
                                    lambda b, s, d=dim: write_dimension(b, s, rollup, d, before)))
        elif name in groups:
            group = groups[name]
            paths.append(write_book(path, rollup, f"กลุ่ม{group.group_th}",
                                    lambda b, s, g=group: write_group(b, s, rollup, g)))
        else:
            paths.append(write_book(path, rollup, "ภาพรวมสำหรับคณะกรรมการ",
                                    lambda b, s: write_committee(b, s, rollup, before)))
    return paths
