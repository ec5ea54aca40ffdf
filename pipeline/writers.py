"""Processes that write workbooks: openpyxl and xlsxwriter are pure Python, so threads would
take turns; two processes write two workbooks at a time on the machine's two cores.

A run killed mid-way must not leave writers behind that go on renaming files into place while
the next run works: a writer exits as soon as the run that started it is gone."""

import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing.connection import wait

PROCESSES = 2


def writer_pool() -> Executor:
    """Started when there is more than one workbook to write; the processes import what they
    write with once, at their first task."""
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(PROCESSES, mp_context=context, initializer=_die_with_the_run)


def _die_with_the_run() -> None:
    """The sentinel is the other end of the pipe the writer was started through: it closes
    when the run that started the writer exits, however it exits."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
