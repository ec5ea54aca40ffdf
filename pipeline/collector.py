"""Keeping Python's cycle collector from walking large object graphs again and again.

A collection of the oldest generation walks every object alive; building a workbook (millions
of cells held as small objects until the book is saved) or judging a year of files triggers
hundreds of collections that find nothing to free.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection at all while a workbook is built and saved: xlsxwriter and openpyxl hold
    a book's cells until it is written (about 7 to 10 % of the time went to walking them).
    When the block ends, the young generations are collected: a book unreachable by then
    (cycles of objects) goes at once. One still referenced would be moved to the oldest
    generation instead, to stay until a full collection: a writer's books piled up there, 15
    to 30 MB of them by its eighth."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(1)


_frozen = 0  # out_of_sight blocks open


@contextmanager
def out_of_sight() -> Iterator[None]:
    """The objects alive now are left out of the collector's walks (gc.freeze) until the block
    ends; what is made meanwhile is collected as usual. Blocks nest (a worker forked while a
    year's verdicts are held): the objects stay out of sight until the outermost one ends."""
    global _frozen
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if not _frozen:
            gc.unfreeze()
