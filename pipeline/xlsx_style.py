"""What every workbook the pipeline writes shares: the Thai government font, safe string handling."""

FONT = "TH Sarabun New"


def workbook_options() -> dict:
    """Text is always written as text: never turned into a formula or a link."""
    return {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
