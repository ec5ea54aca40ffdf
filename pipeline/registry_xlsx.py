"""Registry frames → a registry workbook, laid out as the strategy office maintains it."""

from pathlib import Path

import pandas as pd

from pipeline.atomic import atomic_path
from pipeline.xlsx_style import FONT
from pipeline.xlsx_workbook import Workbook
from schemas.registry import SHEETS

_WIDTHS = {"name_th": 60, "name_en": 50}


def write_registry(path: Path, about: dict[str, str], frames: dict[str, pd.DataFrame]) -> None:
    """`frames` has one frame per registry sheet but `about`; columns as in schemas.registry."""
    with atomic_path(path) as tmp:
        book = Workbook(tmp)
        book.set_properties({"title": "ทะเบียน OKR / OKR registry",
                             "comments": about.get("note", "")})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "font_name": FONT,
                                  "font_size": 14})
        body = book.add_format({"font_name": FONT, "font_size": 14})
        sheets = {"about": pd.DataFrame(list(about.items()), columns=["key", "value"]), **frames}
        for name, columns in SHEETS.items():
            sheet = book.add_worksheet(name)
            frame = sheets[name]
            for col, column in enumerate(columns):
                sheet.write_string(0, col, column, header)
                sheet.set_column(col, col, _WIDTHS.get(column, 16), body)
                for row, value in enumerate(frame[column].tolist(), start=1):
                    _write(sheet, row, col, value)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, len(frame), len(columns) - 1)
        book.close()


def _write(sheet, row: int, col: int, value) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, "" if value is None else str(value))
