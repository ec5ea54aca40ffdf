"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Earlier periods of the same fiscal year give the trends and what
changed since the previous period.

xlsxwriter is pure Python, so threads would take turns: given a process pool, the books are
shared out between its processes, and a period's books take half the time on two cores."""

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace
from multiprocessing.connection import wait
from pathlib import Path

from pipeline.rollup import PeriodRollup
from pipeline.rollup_book import dressed, write_book
from pipeline.rollup_committee import write_committee
from pipeline.rollup_dimension import write_dimension
from pipeline.rollup_group import write_group

PROCESSES = 2
# A group book (a sheet per member district) takes about half as long again as the others.
WEIGHT = {"group": 3, "dimension": 2, "committee": 2}


def book_pool() -> Executor:
    """Processes that write books, kept for a whole run: they import the writer once, not
    once per period."""
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(PROCESSES, mp_context=context, initializer=_die_with_the_run)


def write_rollups(rollup: PeriodRollup, out_dir: Path, earlier: Sequence[PeriodRollup] = (),
                  pool: Executor | None = None) -> list[Path]:
    """`earlier`: the roll-ups of earlier periods of the same fiscal year with data, oldest
    first (others are ignored). Without a pool the books are written in this process."""
    before = sorted((_city_only(r) for r in earlier
                     if r.period.fiscal_year == rollup.period.fiscal_year
                     and r.period.end < rollup.period.start), key=lambda r: r.period.end)
    rollup = dressed(rollup)
    names = book_names(rollup)
    if pool is None:
        return write_books(rollup, before, out_dir, names)
    futures = [pool.submit(write_books, rollup, before, out_dir, share)
               for share in _shares(names, PROCESSES)]
    written = {path.stem: path for future in futures for path in future.result()}
    return [written[name] for name in names]


def book_names(rollup: PeriodRollup) -> list[str]:
    ref = rollup.reference
    return ([f"dimension-{d}" for d in ref.dimensions["dimension_id"]]
            + [f"group-{g}" for g in ref.groups["group_code"]] + ["committee"])


def write_books(rollup: PeriodRollup, before: list[PeriodRollup], out_dir: Path,
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


def _city_only(earlier: PeriodRollup) -> PeriodRollup:
    """What the books take from an earlier period, its city figures (trends, changes since):
    without its district rows it travels to a writer process in a tenth of the bytes."""
    return replace(earlier, kr_district=earlier.kr_district.iloc[:0],
                   dims_district=earlier.dims_district.iloc[:0],
                   completeness=earlier.completeness.iloc[:0])


def _shares(names: list[str], count: int) -> list[list[str]]:
    """The books dealt out heaviest first, each to the lightest share so far."""
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(names, key=lambda n: -WEIGHT[n.split("-")[0]]):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += WEIGHT[name.split("-")[0]]
    return [share for share in shares if share]


def _die_with_the_run() -> None:
    """A run killed mid-way must not leave writers behind that go on renaming books into
    place while the next run works: a writer exits as soon as the run that started it is
    gone (its sentinel, the other end of the pipe it was started through, closes)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
