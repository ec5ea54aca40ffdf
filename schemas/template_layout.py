"""The layout of a district template: shared by the writer (templates) and the reader (read).

Each column carries a machine key written in a hidden row above the headers, so the reader
finds columns by key even when a clerk reorders them, and by their Thai or English header
otherwise.
"""

from dataclasses import dataclass

TEMPLATE_VERSION = "1"
DATA_SHEET = "รายงานผล"
INSTRUCTIONS_SHEET = "คำชี้แจง"
META_SHEET = "_meta"
KEY_ROW = 3  # 1-based Excel rows
HEADER_TH_ROW = 4
HEADER_EN_ROW = 5
FIRST_DATA_ROW = 6
AS_OF_CELL = "L2"  # the date the clerk's figures stand at, right of its label
AS_OF_LABEL = "ข้อมูล ณ วันที่ / data as of"
INPUT_COLOUR = "FFF9DB"  # the cells a clerk types in: "fill only the yellow cells"
LOCKED_COLOUR = "E7E6E6"  # the template's own text and the cells a KR does not use


@dataclass(frozen=True)
class Column:
    key: str
    header_th: str
    header_en: str
    width: float
    is_input: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("kr_code", "รหัสตัวชี้วัด", "KR code", 10),
    Column("kr_name_th", "ตัวชี้วัดผลหลัก (KR)", "Key result (Thai)", 48),
    Column("kr_name_en", "ชื่อภาษาอังกฤษ", "Key result (English)", 30),
    Column("unit", "หน่วยนับ", "Unit", 10),
    Column("kr_type", "ประเภทการรายงาน", "How to report", 16),
    Column("baseline", "ค่าฐาน", "Baseline", 10),
    Column("target", "ค่าเป้าหมายทั้งปี", "Annual target", 11),
    Column("actual", "ผลการดำเนินงาน", "Actual", 13, is_input=True),
    Column("numerator", "ตัวตั้ง", "Numerator", 10, is_input=True),
    Column("denominator", "ตัวหาร", "Denominator", 10, is_input=True),
    Column("status", "สถานะ", "Status", 15, is_input=True),
    Column("confidence", "ความเชื่อมั่น", "Confidence", 12, is_input=True),
    Column("note", "หมายเหตุ / คำอธิบาย", "Note", 40, is_input=True),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
INPUT_KEYS = tuple(column.key for column in COLUMNS if column.is_input)

# Canonical value → the label a clerk picks from the dropdown (Thai) and English words accepted.
STATUS_LABELS = {
    "on_track": ("เป็นไปตามแผน", "on track"),
    "at_risk": ("มีความเสี่ยง", "at risk"),
    "off_track": ("ล่าช้ากว่าแผน", "off track"),
}
CONFIDENCE_LABELS = {
    "high": ("สูง", "high"),
    "medium": ("ปานกลาง", "medium"),
    "low": ("ต่ำ", "low"),
}
MILESTONE_LABELS = {
    1.0: ("ดำเนินการแล้ว", "done"),
    0.0: ("ยังไม่ดำเนินการ", "not done"),
}
# What clerks type for a choice instead of picking it from the list, read as that choice
# with a notice (normalized-choice): short forms and the words of their own reports.
TYPED_WORDS = {
    "on_track": ("ตามแผน", "เป็นไปตามเป้าหมาย", "ตามเป้าหมาย"),
    "at_risk": ("เสี่ยง",),
    "off_track": ("ล่าช้า", "ช้ากว่าแผน", "ล่าช้ากว่ากำหนด", "ไม่เป็นไปตามแผน"),
    "high": ("มาก",),
    "medium": ("กลาง",),
    "low": ("น้อย",),
    1.0: ("เสร็จ", "เสร็จแล้ว", "ดำเนินการเสร็จแล้ว"),
    0.0: ("ยังไม่เสร็จ", "ยังไม่ได้ดำเนินการ"),
}
KR_TYPE_LABELS = {
    "count": ("จำนวน", "count"),
    "ratio": ("สัดส่วน (ตัวตั้ง/ตัวหาร)", "ratio"),
    "percent": ("ร้อยละ", "percent"),
    "milestone": ("ขั้นความสำเร็จ", "milestone"),
}
NOTE_REQUIRED_STATUSES = ("at_risk", "off_track")
# Ranges the template's validations offer and the checks enforce.
PERCENT_RANGE = (0, 100)
NOTE_MAX_LENGTH = 1000
