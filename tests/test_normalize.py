"""What clerks type, made comparable: Thai text cleaned, numbers and dropdown words read.

Escapes name the invisible characters: U+00A0 no-break space, U+200B zero-width space,
U+FEFF byte-order mark, U+0E4D nikhahit, U+0E32 sara aa, U+0E33 sara am.
"""

import math
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.normalize import choice_parser, clean_text, parse_number
from schemas.template_layout import CONFIDENCE_LABELS, MILESTONE_LABELS, STATUS_LABELS

# ---------------------------------------------------------------- clean_text


@pytest.mark.parametrize(("typed", "clean"), [
    pytest.param("ถนน\u00a0สุขุมวิท", "ถนน สุขุมวิท", id="no-break-space"),
    pytest.param("ทาง\u200bเท้า", "ทางเท้า", id="zero-width-space"),
    pytest.param("\ufeffKR-1-01", "KR-1-01", id="byte-order-mark"),
    pytest.param("ท\u0e4d\u0e32งาน", "ท\u0e33งาน", id="sara-am-typed-as-two-marks"),
    pytest.param("  ซ่อม   ไฟ \n ส่องสว่าง\t", "ซ่อม ไฟ ส่องสว่าง", id="whitespace-collapsed"),
    pytest.param("Cafe\u0301", "Caf\u00e9", id="nfc"),
    pytest.param(None, "", id="none"),
    pytest.param(math.nan, "", id="nan"),
    pytest.param(12, "12", id="number"),
])
def test_clean_text_removes_what_the_eye_cannot_see(typed, clean):
    assert clean_text(typed) == clean


def test_clean_text_makes_two_spellings_of_the_same_thai_word_equal():
    assert clean_text("ดำเนินการแล้ว") == clean_text("ด\u0e4d\u0e32เนินการ\u200bแล้ว\u00a0")


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(("typed", "number"), [
    pytest.param("๘๕", 85.0, id="thai-digits"),
    pytest.param("๑,๒๕๐.๕", 1250.5, id="thai-digits-with-separator"),
    pytest.param("1,250", 1250.0, id="thousands-separator"),
    pytest.param("1,234,567.5", 1234567.5, id="thousands-separators-and-decimals"),
    pytest.param("-1,250", -1250.0, id="negative-with-separator"),
    pytest.param("85%", 85.0, id="percent-sign"),
    pytest.param("85 %", 85.0, id="percent-sign-after-space"),
    pytest.param("ร้อยละ 85", 85.0, id="thai-word-for-percent"),
    pytest.param("12.5", 12.5, id="decimal"),
    pytest.param(" 12.5\u00a0", 12.5, id="surrounding-spaces"),
    pytest.param("-3", -3.0, id="negative"),
    pytest.param(7, 7.0, id="int-cell"),
    pytest.param(7.25, 7.25, id="float-cell"),
    pytest.param("2,700 ต้น", 2700.0, id="unit-after"),
    pytest.param("๓.๕ กม.", 3.5, id="thai-digits-and-abbreviated-unit"),
    pytest.param("1.5 ล้าน", 1_500_000.0, id="million"),
    pytest.param("2 พันต้น", 2000.0, id="thousand-then-unit"),
    pytest.param("3 แสนบาท", 300_000.0, id="hundred-thousand-then-unit"),
    pytest.param("1.2 หมื่นต้น", 12_000.0, id="ten-thousand-then-unit"),
    pytest.param("๑.๒ พันล้านบาท", 1_200_000_000.0, id="thousand-million"),
    pytest.param("1.1 พัน", 1100.0, id="size-in-decimal-not-float"),
    pytest.param("12 พันธุ์", 12.0, id="a-unit-that-begins-like-a-size"),
])
def test_parse_number_reads_numbers_as_clerks_type_them(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", [
    pytest.param("abc", id="letters"),
    pytest.param("สิบห้า", id="thai-words"),
    pytest.param("", id="empty"),
    pytest.param("-", id="dash"),
    pytest.param("1.2.3", id="two-points"),
    pytest.param(None, id="none"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param("nan", id="text-nan"),
    pytest.param("inf", id="text-inf"),
    pytest.param("-Infinity", id="text-infinity"),
    pytest.param("5 จาก 10", id="two-numbers"),
    pytest.param("ไม่มี", id="none-in-thai"),
    pytest.param("1,5", id="decimal-comma"),
    pytest.param("1.234,5", id="decimal-comma-after-thousands-point"),
    pytest.param("12,50", id="comma-not-before-three-digits"),
])
def test_parse_number_gives_none_for_what_is_not_a_number(typed):
    assert parse_number(typed) is None


# calamine reads <v>inf</v> in a crafted .xlsx as float('inf'): not a number a clerk typed.
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_parse_number_gives_none_for_a_float_cell_that_is_not_finite(value):
    assert parse_number(value) is None


# ---------------------------------------------------------------- choice_parser


@pytest.mark.parametrize(("typed", "code"), [
    pytest.param("เป็นไปตามแผน", "on_track", id="thai-label"),
    pytest.param("มีความเสี่ยง", "at_risk", id="thai-label-at-risk"),
    pytest.param("ล่าช้ากว่าแผน", "off_track", id="thai-label-off-track"),
    pytest.param(" เป็นไปตามแผน\u00a0", "on_track", id="thai-label-with-spaces"),
    pytest.param("On Track", "on_track", id="english-title-case"),
    pytest.param("  OFF   track ", "off_track", id="english-upper-and-spaces"),
    pytest.param("at_risk", "at_risk", id="canonical-code"),
    pytest.param("AT_RISK", "at_risk", id="canonical-code-upper"),
])
def test_choice_parser_reads_a_status_however_it_was_typed(typed, code):
    assert choice_parser(STATUS_LABELS)(typed) == code


@pytest.mark.parametrize(("typed", "code"), [
    ("สูง", "high"), ("ปานกลาง", "medium"), ("ต่ำ", "low"), ("Medium", "medium"), ("LOW", "low"),
])
def test_choice_parser_reads_a_confidence_however_it_was_typed(typed, code):
    assert choice_parser(CONFIDENCE_LABELS)(typed) == code


@pytest.mark.parametrize(("typed", "done"), [
    ("ดำเนินการแล้ว", 1.0), ("ยังไม่ดำเนินการ", 0.0), ("Done", 1.0), ("not done", 0.0),
])
def test_choice_parser_reads_a_milestone_as_one_or_zero(typed, done):
    assert choice_parser(MILESTONE_LABELS)(typed) == done


@pytest.mark.parametrize("typed", [
    pytest.param("ดี", id="other-thai-word"),
    pytest.param("track", id="part-of-an-english-label"),
    pytest.param("ตาม", id="part-of-a-thai-label"),
    pytest.param("on-track", id="english-with-hyphen"),
    pytest.param("สูง", id="confidence-label-as-status"),
    pytest.param("", id="empty"),
    pytest.param(None, id="none"),
])
def test_choice_parser_gives_none_for_an_unknown_word(typed):
    assert choice_parser(STATUS_LABELS)(typed) is None


# ---------------------------------------------------------------- properties

_TRICKY = st.sampled_from(["\u00a0", "\u200b", "\ufeff", "\u0e4d", "\u0e32", "\u0e33", " ",
                           "\t", "\n", "e\u0301", "\u0e14", "\u0e48"])
_TEXT = st.lists(st.one_of(_TRICKY, st.characters()), max_size=40).map("".join)


@given(_TEXT)
@example("\u0e4d\u0e4d\u0e32\u0e32")
@example("\u0e4d\u200b\u0e32")
@example("\u0e4d \u0e32")
def test_cleaning_twice_changes_nothing(text):
    once = clean_text(text)
    assert clean_text(once) == once


@given(_TEXT)
def test_clean_text_leaves_no_invisible_space_and_is_nfc(text):
    cleaned = clean_text(text)
    assert not set(cleaned) & {"\u00a0", "\u200b", "\ufeff"}
    assert "\u0e4d\u0e32" not in cleaned
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)


_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.integers(min_value=0, max_value=4), st.booleans())
@example(1250.5, 1, True)
@example(-0.25, 2, False)
def test_a_number_formatted_with_separators_and_thai_digits_reads_back(value, decimals, thai):
    typed = f"{value:,.{decimals}f}"
    if thai:
        typed = typed.translate(_THAI_DIGITS)
    assert parse_number(typed) == float(f"{value:.{decimals}f}")
