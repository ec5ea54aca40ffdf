"""What an honest clerk of a district reports for a KR in a period: plausible, deterministic.

Each (district, KR) has its own pace, fixed by a hash, so cumulative figures grow from one
period to the next and some districts run behind. A few clerks call every KR on track.
"""

import pandas as pd

from pipeline import score
from pipeline.demo.clerk import Entry
from pipeline.demo.sample_registry import stable_unit
from pipeline.periods import Period
from pipeline.settings import Thresholds
from schemas.template_layout import CONFIDENCE_LABELS, MILESTONE_LABELS, STATUS_LABELS

OPTIMISTS = ("1014", "1033")  # their clerks say "on track" whatever the numbers say
NOTES_BEHIND = (
    "รอการอนุมัติงบประมาณ คาดว่าจะดำเนินการได้ในไตรมาสถัดไป",
    "ผู้รับจ้างส่งมอบงานล่าช้ากว่าสัญญา อยู่ระหว่างเร่งรัด",
    "ฝนตกหนักต่อเนื่อง ต้องเลื่อนการดำเนินงานภาคสนาม",
    "อยู่ระหว่างประสานหน่วยงานที่เกี่ยวข้องเพื่อขอใช้พื้นที่",
    "บุคลากรไม่เพียงพอ ได้ขอรับการสนับสนุนจากสำนักที่เกี่ยวข้องแล้ว",
)
NOTES_ON_TRACK = ("ดำเนินการตามแผน", "", "", "ดำเนินการแล้วเสร็จบางส่วน", "")


def pace(district_code: str, kr_code: str) -> float:
    """How fast this district moves on this KR: 1.0 is exactly on plan."""
    return 0.5 + 0.75 * stable_unit("pace", district_code, kr_code)


def honest_entry(kr, district_code: str, period: Period) -> Entry:
    """`kr` is a row of Registry.assigned(): kr_code, kr_type, direction, baseline, target …"""
    share = period.elapsed_share
    reached = pace(district_code, kr.kr_code) * share
    if kr.kr_type == "milestone":
        done = stable_unit("done", district_code, kr.kr_code) < share * 1.3
        entry, value = Entry(actual=MILESTONE_LABELS[1.0 if done else 0.0][0]), float(done)
    elif kr.kr_type == "ratio":
        denominator = 40 + round(400 * stable_unit("den", district_code, kr.kr_code, period.code))
        numerator = min(round(denominator * _level(kr, reached) / 100), denominator)
        entry, value = Entry(numerator=numerator, denominator=denominator), (
            100 * numerator / denominator)
    else:
        value = round(_level(kr, reached), int(kr.decimals))
        entry = Entry(actual=value)
    status = _status(value, kr, share)
    if district_code in OPTIMISTS:
        status = "on_track"
    pick = stable_unit("note", district_code, kr.kr_code, period.code)
    notes = NOTES_ON_TRACK if status == "on_track" else NOTES_BEHIND
    return Entry(
        actual=entry.actual, numerator=entry.numerator, denominator=entry.denominator,
        status=STATUS_LABELS[status][0],
        confidence=CONFIDENCE_LABELS[_confidence(status)][0],
        note=notes[int(pick * len(notes))] or None,
    )


def _level(kr, reached: float) -> float:
    if kr.direction == "maintain" or kr.target == kr.baseline:
        value = kr.target * (0.97 + 0.03 * min(reached, 1.0))
    else:
        value = kr.baseline + (kr.target - kr.baseline) * reached
    if kr.kr_type in ("ratio", "percent"):
        return min(max(value, 0.0), 100.0)
    return max(value, 0.0)


def _status(value: float, kr, share: float) -> str:
    """The status a careful clerk works out from the figure they report."""
    progress = score.progress(*(pd.Series([v]) for v in (value, kr.baseline, kr.target)),
                              pd.Series([kr.direction]), share, pd.Series([kr.cumulative]))
    return score.status(progress, share, Thresholds()).iloc[0]


def _confidence(status: str) -> str:
    return {"on_track": "high", "at_risk": "medium", "off_track": "low"}[status]
