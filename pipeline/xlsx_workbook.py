"""The workbook every writer of the pipeline opens: xlsxwriter's, with the pipeline's options
(xlsx_style.workbook_options), whose sheets prepare each distinct formula once.

xlsxwriter prepares a formula through some 150 regular expressions (the prefixes of Excel's
newer functions) each time it writes one, and a period's roll-ups write the same few dozen
conditional-format rules over a thousand times: a tenth of their CPU. What it prepares depends
on the formula and on whether the newer functions are expanded, nothing else, so it is kept."""

from functools import lru_cache
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.xlsx_style import workbook_options


class _Sheet(Worksheet):
    def _prepare_formula(self, formula, expand_future_functions=False):
        return _prepared(formula, bool(expand_future_functions or self.use_future_functions))


_EXPANDING, _PLAIN = Worksheet(), Worksheet()
_EXPANDING.use_future_functions = True


@lru_cache(maxsize=4096)
def _prepared(formula: str, expand: bool) -> str:
    return Worksheet._prepare_formula(_EXPANDING if expand else _PLAIN, formula)


class Workbook(xlsxwriter.Workbook):
    worksheet_class = _Sheet

    def __init__(self, path: Path):
        super().__init__(str(path), workbook_options())
