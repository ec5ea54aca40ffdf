"""The pipeline's workbook keeps what xlsxwriter prepares of each formula, stores a column of
cells at once and writes formatted cells straight to the XML (pipeline/xlsx_workbook.py): what
it writes must be what xlsxwriter itself writes."""

import zipfile
from datetime import datetime

import pytest
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


# A column as the roll-ups write it, and the values that take xlsxwriter's own way: text too
# long for a cell, a blank, a date, a column running off the sheet.
LONG = "ก" * 40_000  # cut to Excel's 32,767
COLUMN = ["ตามแผน", 0.5, None, datetime(2026, 12, 6, 9, 30), LONG, 1e300, -0.0, "", "=A1",
          "a < b & c", 7.0, 2 / 3]


def _columns(book, write) -> None:
    book.set_properties({"created": datetime(2026, 12, 6)})
    sheet = book.add_worksheet("คอลัมน์")
    bold, share = book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"})
    formats = [bold, share, None, book.add_format({"num_format": "d mmm yyyy"})] * 3
    sheet.set_row(20, None, bold)  # a cell without a format of its own takes its row's
    sheet.set_column(3, 3, 12, share)  # or its column's
    write(sheet, 0, 0, COLUMN, formats[:len(COLUMN)])
    write(sheet, 15, 3, COLUMN, [None] * len(COLUMN))
    write(sheet, 1_048_570, 1, COLUMN, formats[:len(COLUMN)])  # runs past the last row
    write(sheet, 0, 16_384, ["beyond the last column"], [bold])
    # a blank without a format is no cell: at the column's ends it does not widen the sheet
    write(book.add_worksheet("ปลาย"), 0, 0, [None, 1.0, None], [None, share, None])


def _one_by_one(sheet, first, col, values, formats) -> None:
    for row, value, cell_format in zip(range(first, first + len(values)), values, formats,
                                       strict=True):
        if isinstance(value, str):
            sheet.write_string(row, col, value, cell_format)
        elif isinstance(value, float):
            sheet.write_number(row, col, value, cell_format)
        elif value is None:
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_datetime(row, col, value, cell_format)


def test_a_column_is_written_as_xlsxwriter_writes_it_cell_by_cell(tmp_path):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    book = Workbook(ours)
    _columns(book, lambda sheet, *column: sheet.write_cells(*column))
    book.close()
    stock = xlsxwriter.Workbook(str(theirs), workbook_options())
    _columns(stock, _one_by_one)
    stock.close()
    assert _parts(ours) == _parts(theirs)
    sheet = _parts(ours)["xl/worksheets/sheet1.xml"].decode()
    assert '<c r="A2" s="1"><v>0.5</v></c>' in sheet  # a formatted number, as Excel reads it
    assert '<c r="A1" s="2" t="s"><v>0</v></c>' in sheet  # and the first shared string
    assert '<c r="D21" s="2"><v>1E+300</v></c>' in sheet  # its row's format
    assert 'r="D18"' not in sheet  # a blank without a format of its own is not written
    assert 'r="B1048576"' in sheet and "1048577" not in sheet


def test_a_number_excel_cannot_hold_is_refused_as_xlsxwriter_refuses_it(tmp_path):
    sheet = Workbook(tmp_path / "nan.xlsx").add_worksheet()
    with pytest.raises(TypeError, match="NAN/INF not supported"):
        sheet.write_cells(0, 0, [1.0, float("nan")], [None, None])
