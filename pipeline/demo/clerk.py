"""A district clerk at work: opens their template, types into its cells, saves it as Excel would.

Typing goes through openpyxl, so the saved file is a real workbook edited by another tool
than the one that wrote the template. The demo and the tests use the same clerk; the tests
add the mistakes.
"""

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from schemas import template_layout as layout


@dataclass(frozen=True)
class Entry:
    """What a clerk types for one KR: `actual` may be a number, text, or a milestone label."""

    actual: object = None
    numerator: object = None
    denominator: object = None
    status: str | None = None
    confidence: str | None = None
    note: str | None = None


class ClerkWorkbook:
    def __init__(self, template: Path):
        self.book = load_workbook(template)
        self.sheet = self.book[layout.DATA_SHEET]
        keys = [c.value for c in self.sheet[layout.KEY_ROW]]
        self.columns = {key: index + 1 for index, key in enumerate(keys) if key}
        self.rows = self._index_rows()

    def _index_rows(self) -> dict[str, int]:
        code_column = self.columns["kr_code"]
        return {
            self.sheet.cell(row, code_column).value: row
            for row in range(layout.FIRST_DATA_ROW, self.sheet.max_row + 1)
            if self.sheet.cell(row, code_column).value
        }

    @property
    def kr_codes(self) -> list[str]:
        return list(self.rows)

    def type(self, kr_code: str, key: str, value: object) -> "ClerkWorkbook":
        """Types `value` into the KR's cell of column `key`, as it is: mistakes included."""
        self.sheet.cell(self.rows[kr_code], self.columns[key]).value = value
        return self

    def fill(self, kr_code: str, entry: Entry) -> "ClerkWorkbook":
        for key in ("actual", "numerator", "denominator", "status", "confidence", "note"):
            value = getattr(entry, key)
            if value is not None:
                self.type(kr_code, key, value)
        return self

    def date_figures(self, value: object) -> "ClerkWorkbook":
        """Types the date the figures stand at ("ข้อมูล ณ วันที่"), in whatever form."""
        meta = {row[0].value: row[1].value for row in self.book[layout.META_SHEET].iter_rows()}
        self.sheet[meta.get("as_of_cell") or layout.AS_OF_CELL] = value
        return self

    def value(self, kr_code: str, key: str) -> object:
        return self.sheet.cell(self.rows[kr_code], self.columns[key]).value

    def set_metadata(self, key: str, value: str) -> "ClerkWorkbook":
        """Edits the hidden metadata by hand, as a clerk reusing another district's file might."""
        meta = self.book[layout.META_SHEET]
        for row in meta.iter_rows(min_col=1, max_col=2):
            if row[0].value == key:
                row[1].value = value
        return self

    def delete_row(self, kr_code: str) -> "ClerkWorkbook":
        self.sheet.delete_rows(self.rows[kr_code])
        self.rows = self._index_rows()
        return self

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.book.save(path)
        return path
