"""Problem: one finding about a submission, located at its sheet and cell, in Thai and English."""

from dataclasses import dataclass

from schemas.rules import RULES, SEVERITY_ORDER


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    sheet: str
    cell: str
    value: str
    expected: str
    message_th: str
    message_en: str

    @property
    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER[self.severity], self.sheet, _cell_order(self.cell), self.code)


def problem(code: str, sheet: str = "", cell: str = "", value: object = "",
            expected: object = "") -> Problem:
    """A Problem of a catalogued rule, its messages filled in."""
    rule = RULES[code]
    fields = {"value": _text(value), "expected": _text(expected)}
    return Problem(
        code=code,
        severity=rule.severity,
        sheet=sheet,
        cell=cell,
        value=fields["value"],
        expected=fields["expected"],
        message_th=rule.message_th.format(**fields),
        message_en=rule.message_en.format(**fields),
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_order(cell: str) -> tuple[int, str]:
    digits = "".join(ch for ch in cell if ch.isdigit())
    letters = "".join(ch for ch in cell if ch.isalpha())
    return (int(digits) if digits else 0, letters.rjust(3))
