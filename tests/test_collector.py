"""The cycle collector around workbooks: none while a book is built, its garbage collected as
soon as it is saved."""

import gc
import weakref

import xlsxwriter

from pipeline.collector import out_of_sight, paused
from pipeline.rollup_xlsx import write_rollups
from pipeline.settings import Settings
from tests.rollup_books import build_rollups


class _Cycle:
    """Only the collector frees it."""

    def __init__(self):
        self.itself = self


def test_nothing_is_collected_while_paused_and_what_was_left_is_collected_as_it_ends():
    with paused():
        cycle = _Cycle()
        alive = weakref.ref(cycle)
        del cycle
        assert gc.isenabled() is False and alive() is not None
    assert alive() is None


def test_no_written_rollup_book_stays_in_memory(demo_workspace, registry, reference, tmp_path):
    """A writer writes eight books in a row: each one's cells must go as it is saved, not pile
    up in the collector's oldest generation."""
    built = build_rollups(Settings(workspace=demo_workspace), registry, reference)
    gc.collect()
    write_rollups(built["2569-Q1"], tmp_path)
    assert [o for o in gc.get_objects() if isinstance(o, xlsxwriter.Workbook)] == []


def test_objects_kept_out_of_sight_stay_so_until_the_outermost_block_ends():
    """A worker forked (workers.forked) while the ingest holds a year's files out of sight
    ended the ingest's block with its own: every later collection walked them again."""
    with out_of_sight():
        held = gc.get_freeze_count()
        with out_of_sight():
            pass
        assert gc.get_freeze_count() >= held > 0
    assert gc.get_freeze_count() == 0
