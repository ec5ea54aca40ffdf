"""A frame → a bilingual table on a worksheet: Thai header, English beneath, typed cells,
missing values shown as missing (never as zero), traffic lights on status columns."""

import math

import pandas as pd

from pipeline.xlsx_style import MISSING, STATUS_TH, Col, Styles


def write_heading(sheet, styles: Styles, title: str, subtitle: str) -> None:
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, subtitle, styles.subtitle)


def write_table(sheet, styles: Styles, top: int, frame: pd.DataFrame, cols: list[Col],
                freeze: bool = True, left: int = 0) -> int:
    """Writes the table with its headers at row `top`; returns the last row written."""
    for i, col in enumerate(cols):
        sheet.write_string(top, left + i, col.th, styles.header_th)
        sheet.write_string(top + 1, left + i, col.en, styles.header_en)
        sheet.set_column(left + i, left + i, col.width)
    sheet.set_row(top, 36)
    first = top + 2
    for r, record in enumerate(frame[[c.key for c in cols]].itertuples(index=False)):
        for i, (col, value) in enumerate(zip(cols, record, strict=True)):
            _write_cell(sheet, styles, first + r, left + i, col, value)
    last = max(first + len(frame) - 1, first)
    for i, col in enumerate(cols):
        if col.kind == "status":
            _traffic_lights(sheet, styles, first, left + i, last)
    if freeze:
        sheet.freeze_panes(first, left + 1)
        sheet.autofilter(top + 1, left, last, left + len(cols) - 1)
    return last


def _write_cell(sheet, styles: Styles, row: int, col_index: int, col: Col, value) -> None:
    if _missing(value):
        sheet.write_string(row, col_index, MISSING if col.kind != "text" else "",
                           styles.missing if col.kind != "text" else styles.cell["text"])
    elif col.kind == "status":
        sheet.write_string(row, col_index, STATUS_TH.get(value, str(value)), styles.cell["status"])
    elif col.kind == "text":
        sheet.write_string(row, col_index, str(value), styles.cell["text"])
    else:
        sheet.write_number(row, col_index, float(value), styles.cell[col.kind])


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _traffic_lights(sheet, styles: Styles, first: int, col: int, last: int) -> None:
    for code, label in STATUS_TH.items():
        sheet.conditional_format(first, col, last, col, {
            "type": "cell", "criteria": "==", "value": f'"{label}"',
            "format": styles.fills[code]})
