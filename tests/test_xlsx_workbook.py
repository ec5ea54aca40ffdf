"""The pipeline's workbook keeps what xlsxwriter prepares of each formula
(pipeline/xlsx_workbook.py): what it writes must be what xlsxwriter itself writes."""

import zipfile
from datetime import datetime

import xlsxwriter

from pipeline.xlsx_style import workbook_options
from pipeline.xlsx_workbook import Workbook

# A newer function is prefixed in a conditional format always, in a cell only when the
# workbook expands them: the same text must come out differently in the two.
NEWER = "=STDEV.S(A1:A3)>1"
FORMULAS = (NEWER, "=AND(ISNUMBER(A1),A1>=0.416666)", "=XLOOKUP(A1,B1:B3,C1:C3)")


def _fill(book) -> None:
    book.set_properties({"created": datetime(2026, 12, 6)})
    for name in ("หนึ่ง", "สอง"):
        sheet = book.add_worksheet(name)
        for row, formula in enumerate(FORMULAS):
            sheet.write_formula(row, 0, formula)
            sheet.conditional_format(row, 1, row, 3, {"type": "formula", "criteria": formula})
        sheet.conditional_format(5, 1, 9, 1, {"type": "cell", "criteria": "==",
                                              "value": '"ตามแผน"'})


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def test_formulas_are_written_as_xlsxwriter_writes_them(tmp_path):
    for expand in (False, True):
        ours, theirs = tmp_path / f"ours-{expand}.xlsx", tmp_path / f"theirs-{expand}.xlsx"
        book = Workbook(ours)
        book.use_future_functions = expand
        stock = xlsxwriter.Workbook(str(theirs), workbook_options() | {
            "use_future_functions": expand})
        for each in (book, stock):
            _fill(each)
            each.close()
        assert _parts(ours) == _parts(theirs)
        sheet = _parts(ours)["xl/worksheets/sheet2.xml"].decode()
        assert "<formula>_xlfn.STDEV.S(A1:A3)&gt;1</formula>" in sheet
        assert ("<f>_xlfn.STDEV.S(A1:A3)&gt;1</f>" in sheet) == expand
