"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Earlier periods of the same fiscal year give the trends and what
changed since the previous period. Given a pool of writers (pipeline.writers), the books are
shared out between its processes."""

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path

from pipeline.memory import give_back
from pipeline.rollup import CityFigures, PeriodRollup
from pipeline.rollup_book import dressed, write_book
from pipeline.rollup_committee import write_committee
from pipeline.rollup_dimension import write_dimension
from pipeline.rollup_group import write_group
from pipeline.writers import PROCESSES

# A group book (a sheet per member district) takes about half as long again as the others.
WEIGHT = {"group": 3, "dimension": 2, "committee": 2}


def write_rollups(rollup: PeriodRollup, out_dir: Path,
                  earlier: Sequence[CityFigures] = ()) -> list[Path]:
    """`earlier`: the city figures of earlier periods of the same fiscal year with data
    (others are ignored). The books are written in this process."""
    return start_rollups(rollup, out_dir, earlier)()


def start_rollups(rollup: PeriodRollup, out_dir: Path, earlier: Sequence[CityFigures] = (),
                  pool: Executor | None = None) -> Callable[[], list[Path]]:
    """Hands the books to the pool's writers and returns at once, so that this process can
    do other work meanwhile; calling what it returns waits for them and gives their paths.
    Without a pool the books are written before it returns."""
    before = sorted((r for r in earlier if r.period.fiscal_year == rollup.period.fiscal_year
                     and r.period.end < rollup.period.start), key=lambda r: r.period.end)
    rollup = dressed(rollup)
    names = _book_names(rollup)
    if pool is None:
        paths = write_books(rollup, before, out_dir, names)
        return lambda: paths
    futures = [pool.submit(write_books, rollup, before, out_dir, share)
               for share in _shares(names, PROCESSES)]

    def finished() -> list[Path]:
        written = {path.stem: path for future in futures for path in future.result()}
        return [written[name] for name in names]

    return finished


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
    give_back()  # a writer lives through the run: each period's frames and books let go
    return paths


def _shares(names: list[str], count: int) -> list[list[str]]:
    """The books dealt out heaviest first, each to the lightest share so far."""
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(names, key=lambda n: -WEIGHT[n.split("-")[0]]):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += WEIGHT[name.split("-")[0]]
    return [share for share in shares if share]
