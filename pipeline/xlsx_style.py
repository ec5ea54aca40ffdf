"""What every workbook the pipeline writes shares: the Thai government font, safe strings,
Thai-first headers, traffic-light colours, number formats by unit and the print setup."""

from dataclasses import dataclass

from schemas.template_layout import STATUS_LABELS

FONT = "TH Sarabun New"
MISSING = "ไม่มีข้อมูล"
# The labels clerks pick in the template, and "no data" for a KR nobody reported.
STATUS_TH = {code: th for code, (th, _) in STATUS_LABELS.items()} | {"no_data": MISSING}
STATUS_EN = {code: en for code, (_, en) in STATUS_LABELS.items()} | {"no_data": "no data"}
STATUS_FILL = {"on_track": "#C6EFCE", "at_risk": "#FFEB9C", "off_track": "#FFC7CE",
               "no_data": "#EDEDED"}
PERCENT = "0.0%"  # one decimal: 49.6 % in amber under "on track ≥ 50 %" read "50 %"
# A date cell shown as a Thai reader writes it, 17 เม.ย. 2569: Thai locale (041E), Buddhist
# calendar (07), Western digits (1), the code Thai Excel users give it; LibreOffice renders it
# so (tests/test_rollups.py). The cell stays a date that sorts and filters as one.
THAI_DATE = "[$-107041E]d mmm yyyy"


def workbook_options() -> dict:
    """Text is always written as text: never turned into a formula, a number or a link. The
    workbook's parts are assembled in memory rather than in a temporary file each."""
    return {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "in_memory": True}


def measure_format(kr_type: str, unit_en: str, decimals: int) -> str:
    """How a KR's figures show: its own decimals, a % sign for a percentage KR (its values are
    percentage points), and a milestone's share of districts done as a percentage."""
    if kr_type == "milestone":
        return PERCENT
    places = "." + "0" * decimals if decimals else ""
    if unit_en == "percent":
        return f'0{places}"%"'
    return f"#,##0{places}"


@dataclass(frozen=True)
class Col:
    """A table column: the frame column, Thai and English headers, how it shows, its width.
    Kind `measure` takes each row's number format from the frame's `num_format` column;
    `points` is a difference of two shares (0.2), written in percentage points (20)."""

    key: str
    th: str
    en: str
    # text, bold, indented, int, short, number, percent, points, date, measure, status
    kind: str = "text"
    width: float = 12


class Styles:
    """The formats of one workbook, made once (a number format per distinct format string)."""

    def __init__(self, book):
        self.book = book
        self.base = {"font_name": FONT, "font_size": 14, "valign": "vcenter"}
        self.title = self.make(bold=True, font_size=20, font_color="#1F4E78")
        self.subtitle = self.make(font_color="#595959")
        self.section = self.make(bold=True, font_size=16, font_color="#1F4E78")
        self.header_th = self.make(bold=True, bg_color="#1F4E78", font_color="#FFFFFF", border=1,
                                   text_wrap=True, align="center", valign="vcenter")
        self.header_en = self.make(italic=True, bg_color="#DDEBF7", font_size=12, border=1,
                                   text_wrap=True, align="center", valign="vcenter")
        self.cell = {
            "text": self.make(border=1, text_wrap=True),
            "bold": self.make(border=1, text_wrap=True, bold=True),
            "int": self.make(border=1, num_format="#,##0"),
            # a dimension or a rank: right-aligned, it ran into the text beside it ("1KR-1-01")
            "short": self.make(border=1, align="center", num_format="#,##0"),
            "number": self.make(border=1, num_format="#,##0.##"),
            "percent": self.make(border=1, num_format=PERCENT),
            # "+20%" beside a score of 43% read as a relative change
            "points": self.make(border=1, num_format='+0.0" จุด";-0.0" จุด";0.0" จุด"'),
            "status": self.make(border=1, align="center"),
            "date": self.make(border=1, align="left", num_format=THAI_DATE),
            "indented": self.make(border=1, text_wrap=True, indent=2),
        }
        self.missing = self.make(border=1, italic=True, font_color="#808080", align="center",
                                 bg_color=STATUS_FILL["no_data"])
        self.absent = self.make(border=1, align="center", font_color="#808080")
        self.fills = {code: book.add_format({"bg_color": colour})
                      for code, colour in STATUS_FILL.items()}
        self.labels = {code: self.make(border=1, bold=True, bg_color=colour)
                       for code, colour in STATUS_FILL.items()}
        self.figure = self.make(border=1, bold=True, font_size=18, align="center",
                                num_format="#,##0")
        self.figure_percent = self.make(border=1, bold=True, font_size=18, align="center",
                                        num_format=PERCENT)
        self.text = self.make(text_wrap=True)
        self.note = self.make(text_wrap=True, font_color="#595959", valign="top")
        self._numbers: dict[str, object] = {}

    def make(self, **extra):
        return self.book.add_format({**self.base, **extra})

    def number(self, num_format: str):
        if num_format not in self._numbers:
            self._numbers[num_format] = self.make(border=1, num_format=num_format)
        return self._numbers[num_format]


def print_setup(sheet, header_rows: tuple[int, int], footer: str,
                pages_tall: int = 0) -> None:
    """A4 landscape, fit to the page width, header rows repeated; the footer names the period
    and the data's as-of time on the left and the page on the right."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, pages_tall)
    sheet.repeat_rows(*header_rows)
    sheet.set_footer(f"&L&\"{FONT},Regular\"&11{footer}&R&\"{FONT},Regular\"&11หน้า &P / &N")
