"""The baselines: what a strategy-office analyst would write (pandas + openpyxl, one process),
and the read floor (calamine alone, through fastexcel, loading every cell of every sheet)."""

import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fastexcel
import pandas as pd
from python_calamine import CalamineWorkbook

from schemas import template_layout as layout


def naive_read(files: list[Path]) -> pd.DataFrame:
    """Each workbook's data sheet with pandas.read_excel (openpyxl), then one concat."""
    frames = []
    for path in files:
        frame = pd.read_excel(path, sheet_name=layout.DATA_SHEET, engine="openpyxl",
                              header=layout.KEY_ROW - 1, skiprows=[3, 4])
        frame = frame[frame["kr_code"].notna()]
        frames.append(frame.assign(source=path.name))
    return pd.concat(frames, ignore_index=True)


def read_floor(files: list[Path], threads: int | None = None) -> int:
    """Every cell of every sheet of every file into Arrow, fastexcel in threads (it releases
    the GIL while parsing); returns the number of cells."""

    def cells(path: Path) -> int:
        reader = fastexcel.read_excel(path)
        count = 0
        for name in reader.sheet_names:
            table = reader.load_sheet(name, header_row=None).to_arrow()
            count += table.num_rows * table.num_columns
        return count

    with ThreadPoolExecutor(threads or os.cpu_count() or 1) as pool:
        return sum(pool.map(cells, files))


# -- the roll-up tables: what our roll-up workbooks hold, cell for cell ------------------------

Tables = dict[str, list[tuple[str, pd.DataFrame]]]  # "period/book.xlsx" → [(sheet, cells)]


def capture_tables(rollups: Path) -> Tables:
    """Every sheet of every roll-up workbook under `rollups` (<period>/<book>.xlsx) as a grid
    of its cells' values: the tables, headings and headers our writer wrote, without its
    formats, conditional formats and charts."""
    tables: Tables = {}
    for path in sorted(rollups.glob("*/*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        tables[f"{path.parent.name}/{path.name}"] = [
            (name, pd.DataFrame(book.get_sheet_by_name(name).to_python()))
            for name in book.sheet_names]
    return tables


def save_tables(tables: Tables, path: Path) -> None:
    path.write_bytes(pickle.dumps(tables))


def load_tables(path: Path) -> Tables:
    return pickle.loads(path.read_bytes())


def naive_write(tables: Tables, out_dir: Path) -> int:
    """The same tables in as many workbooks as ours, each with DataFrame.to_excel(engine=
    "openpyxl"), no charts, no formatting; returns the number of rows written."""
    rows = 0
    for name, sheets in tables.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for sheet, frame in sheets:
                frame.to_excel(writer, sheet_name=sheet, index=False, header=False)
                rows += len(frame)
    return rows
