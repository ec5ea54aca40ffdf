"""Cell values as calamine returns them → plain text and A1 addresses, and a column's values
keyed so that equal values of different types stay apart."""

from collections.abc import Callable
from datetime import date, datetime, time

_SELF_KEYED = {str, float, type(None)}  # no two of these types hold equal values


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_position(cell: str) -> tuple[int, int]:
    """An A1 address → 0-based row and column: "L2" → (1, 11)."""
    letters = "".join(ch for ch in cell if ch.isalpha()).upper()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int("".join(ch for ch in cell if ch.isdigit())) - 1, col - 1


def address(row0: int, col0: int) -> str:
    """0-based row and column → an A1 address."""
    return f"{column_letter(col0)}{row0 + 1}"


def figure_text(value: float) -> str:
    """A figure as Excel shows it (15 significant digits), thousands grouped: 12,345,678 and
    12,345,680 stay apart, where 6 digits show both as 1.23457e+07."""
    return f"{value:,.15g}"


def stored_text(value: float) -> str:
    """A stored figure: one typed has no more than four decimals; a ratio's percentage, made
    from its parts, shows as 97.1154, not 97.1153846153846."""
    return figure_text(round(value, 4))


def cell_text(value: object) -> str:
    """How the cell reads as text: 12.0 → '12', a date → ISO, blanks → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _distinct_keys(values: list) -> list:
    """A key for each value, equal to another's only for the same value of the same type (1.0
    is not True, nor 1): the values themselves when they are only text, floats and blanks, so
    that no tuple is made a cell."""
    if set(map(type, values)) <= _SELF_KEYED:
        return values
    return list(zip(map(type, values), values, strict=True))


def each_distinct(values: list, read: Callable[[object], object]) -> list:
    """`read` of every value, called once for each distinct one (of its type: 1.0 is not
    True, nor 1), its result shared by the values equal to it."""
    keys = _distinct_keys(values)
    seen = dict(zip(keys, values, strict=True))
    for key, value in seen.items():
        seen[key] = read(value)
    return list(map(seen.__getitem__, keys))


def one_of_each(values: list) -> list:
    """The values with each distinct one held by a single object: a column's repeated words
    (status, confidence, the same note) are then pickled and kept once, not once a row."""
    return each_distinct(values, lambda value: value)
