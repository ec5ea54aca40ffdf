"""Names made from a clerk's file name fit in the 255 bytes a file name may have."""

from pipeline.file_names import fitted


def test_a_name_that_fits_is_left_as_it_is():
    assert fitted("รายงาน.xlsx", 23) == "รายงาน.xlsx"  # 6 Thai characters, 3 bytes each


def test_a_long_name_is_cut_at_a_whole_character_and_keeps_its_extension():
    # 19 bytes leave 14 for the stem: 4 whole Thai characters (12 bytes), not 4 and a half
    assert fitted("รายงาน.xlsx", 19) == "รายง.xlsx"


def test_an_extension_longer_than_half_the_room_is_cut_with_the_rest():
    assert fitted("report.backup-of-the-final-version", 12) == "report.backu"
