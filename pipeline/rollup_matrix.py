"""Progress matrices with traffic lights: KRs against district groups, districts against KRs,
a group's districts against the group and the city. A cell is the capped progress of one KR in
one area, coloured against the period's expected progress."""

import numpy as np
import pandas as pd

from pipeline.rollup import PeriodRollup
from pipeline.rollup_book import footer, subtitle
from pipeline.score import percent_text
from pipeline.xlsx_style import STATUS_EN, STATUS_TH, Col, Styles, print_setup
from pipeline.xlsx_table import ABSENT, progress_lights, write_heading, write_note, write_table


def wide(long: pd.DataFrame, index: str, columns: str, order: list,
         values: str = "progress_shown") -> pd.DataFrame:
    """Long rows (index, columns, values) → one row per index value (sorted), one column per
    area, KR or dimension in `order`; a row of `long` nobody reported stays empty (shown as no
    data), a cell with no row at all (a KR not assigned there) is ABSENT. Filled by position:
    a pivot costs three times as much, and the books make some sixty a period."""
    at, keys = pd.factorize(long[index], sort=True)
    where = pd.Index(order).get_indexer(long[columns])
    grid = np.full((len(keys), len(order)), ABSENT, dtype=object)
    taken = where >= 0
    grid[at[taken], where[taken]] = long[values].astype(object).to_numpy()[taken]
    out = pd.DataFrame(grid, columns=[str(c) for c in order], dtype=object)
    out.insert(0, index, keys)
    return out


def dimension_cols(rollup: PeriodRollup, width: float = 12) -> list[Col]:
    """One column per dimension, keyed by its id as `wide` names it."""
    return [Col(str(d.dimension_id), d.name_th, d.name_en, "percent", width)
            for d in rollup.reference.dimensions.itertuples()]


def legend(rollup: PeriodRollup) -> str:
    expected = rollup.expected
    return (f"สี: {STATUS_TH['on_track']} ≥ {percent_text(expected)} · {STATUS_TH['at_risk']} ≥ "
            f"{percent_text(expected * rollup.thresholds.at_risk)} · "
            f"{STATUS_TH['off_track']} ต่ำกว่านั้น · "
            f"{STATUS_TH['no_data']} (colours: {STATUS_EN['on_track']}, {STATUS_EN['at_risk']}, "
            f"{STATUS_EN['off_track']}, {STATUS_EN['no_data']}) · ค่าในตาราง = ความก้าวหน้า "
            f"(ไม่เกิน 100%) / cells show progress, capped at 100% · {ABSENT} ไม่ได้รับผิดชอบ "
            "/ not assigned")


def matrix_sheet(book, styles: Styles, rollup: PeriodRollup, name: str, title: str,
                 frame: pd.DataFrame, index_cols: list[Col], value_cols: list[Col]) -> None:
    sheet = book.add_worksheet(name)
    write_heading(sheet, styles, title, subtitle(rollup))
    write_note(sheet, styles, 2, legend(rollup), [*index_cols, *value_cols])
    top = 3
    last = write_table(sheet, styles, top, frame, [*index_cols, *value_cols],
                       freeze=len(index_cols))
    if not frame.empty:
        progress_lights(sheet, styles, (top + 2, len(index_cols), last,
                                        len(index_cols) + len(value_cols) - 1),
                        rollup.expected, rollup.thresholds.at_risk)
    print_setup(sheet, (top, top + 1), footer(rollup))
