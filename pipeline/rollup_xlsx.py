"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Earlier periods of the same fiscal year give the trends and what
changed since the previous period. The books are shared out between writer processes
(pipeline.writers), or written in this process; a book whose inputs have not changed since it
was written is not written again (pipeline.rollup_inputs)."""

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from pipeline import freshness, writers
from pipeline.rollup import CityFigures, PeriodRollup
from pipeline.rollup_book import write_book
from pipeline.rollup_committee import write_committee
from pipeline.rollup_dimension import write_dimension
from pipeline.rollup_group import write_group
from pipeline.rollup_inputs import BookInputs

# A group book (a sheet per member district) takes about half as long again as the others.
WEIGHT = {"group": 3, "dimension": 2, "committee": 2}


def write_rollups(rollup: PeriodRollup, out_dir: Path,
                  earlier: Sequence[CityFigures] = ()) -> list[Path]:
    """`earlier`: the city figures of earlier periods of the same fiscal year with data
    (others are ignored). The books are written in this process."""
    inputs = BookInputs(rollup, earlier)
    return write_books(inputs, out_dir, inputs.names)


def start_rollups(rollup: PeriodRollup, out_dir: Path, earlier: Sequence[CityFigures] = (),
                  written: Mapping[str, dict] | None = None
                  ) -> Callable[[], tuple[dict[Path, dict], list[Path]]]:
    """Hands the books to writer processes and returns at once, so that this process can do
    other work meanwhile; calling what it returns waits for them and gives each book's path
    with its record, and the paths of the books it wrote (the others were as recorded).
    `written`: the books' records from when they were last written; a book
    whose inputs and file are still as recorded is left as it is, its "data as of" the time
    its figures last changed."""
    inputs = BookInputs(rollup, earlier)
    version = freshness.code_version()
    records = {name: {"inputs": inputs.fingerprint(name, version)} for name in inputs.names}
    for name, record in records.items():
        then = (written or {}).get(name)
        if freshness.book_unchanged(_path(out_dir, name), record, then):
            record["sha256"] = then["sha256"]
    stale = [name for name in inputs.names if "sha256" not in records[name]]
    shares = writers.deal(stale, lambda name: WEIGHT[name.split("-")[0]])
    started = writers.start(partial(write_books, inputs, out_dir), shares)

    def finished() -> tuple[dict[Path, dict], list[Path]]:
        started()
        for name in stale:
            records[name]["sha256"] = freshness.file_sha256(_path(out_dir, name))
        return ({_path(out_dir, name): record for name, record in records.items()},
                [_path(out_dir, name) for name in stale])

    return finished


def _path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.xlsx"


def write_books(inputs: BookInputs, out_dir: Path, names: list[str]) -> list[Path]:
    return [write_named(_path(out_dir, name), name, *inputs.of(name)) for name in names]


def write_named(path: Path, name: str, rollup: PeriodRollup, before: list[CityFigures]
                ) -> Path:
    """The book of that name (dimension-N, group-NN, committee) written from those inputs."""
    ref = rollup.reference
    kind, _, code = name.partition("-")
    if kind == "dimension":
        dim = next(d for d in ref.dimensions.itertuples() if str(d.dimension_id) == code)
        return write_book(path, rollup, f"ด้าน{dim.name_th}",
                          lambda b, s: write_dimension(b, s, rollup, dim, before))
    if kind == "group":
        group = next(g for g in ref.groups.itertuples() if g.group_code == code)
        return write_book(path, rollup, f"กลุ่ม{group.group_th}",
                          lambda b, s: write_group(b, s, rollup, group))
    return write_book(path, rollup, "ภาพรวมสำหรับคณะกรรมการ",
                      lambda b, s: write_committee(b, s, rollup, before))
