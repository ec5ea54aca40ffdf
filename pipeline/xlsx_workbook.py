"""The workbook every writer of the pipeline opens: xlsxwriter's, with the pipeline's options
(xlsx_style.workbook_options), whose sheets do three of xlsxwriter's innermost loops for less.

- xlsxwriter prepares a formula through some 150 regular expressions (the prefixes of Excel's
  newer functions) each time it writes one, and a period's roll-ups write the same few dozen
  conditional-format rules over a thousand times. What it prepares depends on the formula and
  on whether the newer functions are expanded, nothing else, so it is kept.
- A column of cells is stored with one check of where it lies, not one a cell (write_cells).
- A formatted number or shared string is written to the sheet's XML at once: xlsxwriter builds
  a list of attributes for each cell and escapes each of them, one by raising an exception.

A period's books write about 240,000 cells: these took a third of their CPU. What is written is
byte for byte what xlsxwriter writes (tests/test_xlsx_workbook.py)."""

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

from pipeline.xlsx_style import workbook_options


class _Sheet(Worksheet):
    def _prepare_formula(self, formula, expand_future_functions=False):
        return _prepared(formula, bool(expand_future_functions or self.use_future_functions))

    def write_cells(self, first: int, col: int, values: Sequence, formats: Sequence[Format]
                    ) -> None:
        """values[i] with formats[i] at row first + i, as write_string, write_number,
        write_datetime or (None) write_blank would store it. Text and finite numbers, all but
        a few, are stored here: of what those methods check, a cell's place is checked once
        for the column, and the text's length and the number's finiteness in line."""
        last = first + len(values) - 1
        # a blank without a format is not a cell: at an end, it must not widen the sheet
        if (self.constant_memory or not values
                or (values[0] is None and formats[0] is None)
                or (values[-1] is None and formats[-1] is None)
                or self._check_dimensions(first, col) or self._check_dimensions(last, col)):
            for row, value, cell_format in zip(range(first, last + 1), values, formats,
                                               strict=True):
                self._write_any(row, col, value, cell_format)
            return
        table, shared, longest = self.table, self.str_table._get_shared_string_index, \
            self.xls_strmax // 2
        for row, value, cell_format in zip(range(first, last + 1), values, formats,
                                           strict=True):
            typed = type(value)
            if typed is str and len(value) <= longest:
                table[row][col] = CellStringTuple(shared(value), cell_format)
            elif typed is float and math.isfinite(value):
                table[row][col] = CellNumberTuple(value, cell_format)
            else:
                self._write_any(row, col, value, cell_format)

    def _write_any(self, row: int, col: int, value, cell_format: Format) -> None:
        """Text always through write_string: text from a submission stays text."""
        typed = type(value)
        if typed is str:
            self._write_string(row, col, value, cell_format)
        elif typed is float:
            self._write_number(row, col, value, cell_format)
        elif value is None:
            self._write_blank(row, col, None, cell_format)
        else:
            self._write_datetime(row, col, value, cell_format)

    def _write_cell(self, row, col, cell):
        kind, cell_format = cell.__class__, cell.format
        if cell_format is not None and not self.constant_memory:
            if kind is CellNumberTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"'
                              f' s="{cell_format._get_xf_index()}"><v>{cell.number:.16G}</v></c>')
                return
            if kind is CellStringTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"'
                              f' s="{cell_format._get_xf_index()}" t="s"><v>{cell.string}</v></c>')
                return
        super()._write_cell(row, col, cell)


_EXPANDING, _PLAIN = Worksheet(), Worksheet()
_EXPANDING.use_future_functions = True


@lru_cache(maxsize=4096)
def _prepared(formula: str, expand: bool) -> str:
    return Worksheet._prepare_formula(_EXPANDING if expand else _PLAIN, formula)


class Workbook(xlsxwriter.Workbook):
    worksheet_class = _Sheet

    def __init__(self, path: Path):
        super().__init__(str(path), workbook_options())
