"""What every workbook the pipeline writes shares: the Thai government font, safe strings,
Thai-first headers, traffic-light colours and the print setup."""

from dataclasses import dataclass

from schemas.template_layout import STATUS_LABELS

FONT = "TH Sarabun New"
MISSING = "ไม่มีข้อมูล"
# The labels clerks pick in the template, and "no data" for a KR nobody reported.
STATUS_TH = {code: th for code, (th, _) in STATUS_LABELS.items()} | {"no_data": MISSING}
STATUS_EN = {code: en for code, (_, en) in STATUS_LABELS.items()} | {"no_data": "no data"}
STATUS_FILL = {"on_track": "#C6EFCE", "at_risk": "#FFEB9C", "off_track": "#FFC7CE",
               "no_data": "#EDEDED"}


def workbook_options() -> dict:
    """Text is always written as text: never turned into a formula, a number or a link."""
    return {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@dataclass(frozen=True)
class Col:
    """A table column: the frame column, Thai and English headers, how it shows, its width."""

    key: str
    th: str
    en: str
    kind: str = "text"  # text, int, number, percent, status
    width: float = 12


class Styles:
    """The formats of one workbook, made once."""

    def __init__(self, book):
        base = {"font_name": FONT, "font_size": 14, "valign": "top"}

        def make(**extra):
            return book.add_format({**base, **extra})

        self.title = make(bold=True, font_size=18)
        self.subtitle = make(font_color="#595959")
        self.header_th = make(bold=True, bg_color="#1F4E78", font_color="#FFFFFF", border=1,
                              text_wrap=True, align="center", valign="vcenter")
        self.header_en = make(italic=True, bg_color="#DDEBF7", font_size=12, border=1,
                              text_wrap=True, align="center")
        self.cell = {
            "text": make(border=1, text_wrap=True),
            "int": make(border=1, num_format="#,##0"),
            "number": make(border=1, num_format="#,##0.##"),
            "percent": make(border=1, num_format="0%"),
            "status": make(border=1, align="center"),
        }
        self.missing = make(border=1, italic=True, font_color="#808080", align="center")
        self.fills = {code: book.add_format({"bg_color": colour})
                      for code, colour in STATUS_FILL.items()}
        self.text = make(text_wrap=True)


def print_setup(sheet, header_rows: tuple[int, int], footer: str) -> None:
    """A4 landscape, fit to the page width, header rows repeated, period and page in the footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(*header_rows)
    sheet.set_footer(f"&L{footer}&Rหน้า &P / &N")
