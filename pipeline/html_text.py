"""Small pieces of the dashboard's HTML: Thai-first bilingual text, percentages, status
badges. Everything that takes text escapes it: names and labels are data."""

from html import escape

import pandas as pd

from pipeline.score import percent_text
from schemas.template_layout import STATUS_LABELS

STATUS = {**STATUS_LABELS, "no_data": ("ไม่มีข้อมูล", "no data")}


def bi(th: str, en: str, inline: bool = False) -> str:
    """Thai, then its English (under it, or beside it when `inline`)."""
    css = "en in" if inline else "en"
    return (f'<span class="th">{escape(str(th))}</span>'
            f'<span class="{css}" lang="en">{escape(str(en))}</span>')


def num(value) -> float | None:
    return None if pd.isna(value) else float(value)


def pct(value: float | None) -> str:
    """Shown within 0–100 %, as DESIGN says progress is shown."""
    return "–" if value is None else percent_text(min(max(value, 0.0), 1.0))


def badge(status: str) -> str:
    th, en = STATUS[status]
    return f'<span class="badge {status}">{bi(th, en, inline=True)}</span>'
