"""The demo's roll-ups written as the nightly run writes them once it passes the earlier
periods of the fiscal year: each period's PeriodRollup built from the warehouse."""

import subprocess
import unicodedata
from pathlib import Path

from pipeline import rollup
from pipeline.periods import parse_period
from pipeline.rollup_xlsx import write_rollups
from pipeline.settings import Thresholds
from pipeline.store import connect


def build_rollups(settings, registry, reference) -> dict[str, rollup.PeriodRollup]:
    con = connect(settings.warehouse_path, read_only=True)
    try:
        return {code: rollup.build(con, registry, reference, parse_period(code), Thresholds())
                for code in rollup.periods_sent(con, set(registry.periods["period"]))}
    finally:
        con.close()


def write_with_history(built: dict[str, rollup.PeriodRollup], period: str,
                       out_dir: Path) -> list[Path]:
    codes = list(built)
    earlier = [built[c].city_figures() for c in codes[:codes.index(period)]]
    return write_rollups(built[period], out_dir, earlier)


def squeeze(text: str) -> str:
    """Text without whitespace and without Thai vowel and tone marks above and below the
    letters: pdftotext spaces Thai words apart and may move a mark after the next letter."""
    return "".join(ch for ch in "".join(text.split()) if unicodedata.category(ch) != "Mn")


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, squeezed."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [squeeze(page) for page in text.split("\f") if page.strip()]
