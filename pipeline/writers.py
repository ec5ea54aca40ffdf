"""Processes that write workbooks: openpyxl and xlsxwriter are pure Python, so threads would
take turns; two processes write two shares of the workbooks at once on the machine's two cores.

A writer is forked from this process once what it writes from is in memory
(pipeline.workers.forked): it inherits the frames instead of receiving them pickled, has
nothing to import, and the memory neither process changes is held once (copy-on-write). A
writer holds no lock of the run: filelock lets go of its descriptors in a forked child.

A run killed mid-way must not leave writers behind that go on renaming files into place while
the next run works: a writer exits as soon as the run that started it is gone."""

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait

from pipeline.workers import exit_reason, forked

PROCESSES = 2
_RUNNING: set["_Writer"] = set()  # started, not yet stopped


class WriterDied(RuntimeError):
    """A writer process ended without a result: killed, or out of memory."""


def deal(items: Sequence, weight: Callable[[object], float]) -> list[list]:
    """The items in a share for each writer, of about equal weight: the heaviest first, each
    to the lightest share so far. Empty shares are left out."""
    shares: list[list] = [[] for _ in range(PROCESSES)]
    loads = [0.0] * PROCESSES
    for item in sorted(items, key=lambda i: -weight(i)):
        lightest = loads.index(min(loads))
        shares[lightest].append(item)
        loads[lightest] += weight(item)
    return [share for share in shares if share]


def start(function: Callable, shares: Sequence) -> Callable[[], list]:
    """`function(share)` for each share, each in a writer forked as soon as fewer than
    PROCESSES are writing (those of an earlier call among them), while this process goes on;
    calling what it returns waits for them all and gives their results in share order. A
    writer's exception is raised there, with the writer's traceback as a note, once the other
    writers are stopped."""
    writers = []
    for share in shares:
        _wait_for_a_free_core()
        writers.append(_Writer(function, share))

    def results() -> list:
        try:
            return [writer.result() for writer in writers]
        finally:
            for writer in writers:
                writer.stop()

    return results


def _wait_for_a_free_core() -> None:
    """Until fewer than PROCESSES writers are writing; the outcome of one that is done is
    kept for whoever waits for its results."""
    while len(writing := [writer for writer in _RUNNING if writer.writing]) >= PROCESSES:
        for connection in wait([writer.connection for writer in writing]):
            next(w for w in writing if w.connection is connection).receive()


def stop_all() -> None:
    """Stops every writer still running: a run that fails must not leave its writers renaming
    books into place once it has let go of the workspace."""
    for writer in list(_RUNNING):
        writer.stop()


class _Writer:
    def __init__(self, function: Callable, share):
        self.connection, child = multiprocessing.Pipe(duplex=False)
        self.process = forked(_write, function, share, child)
        child.close()
        self.outcome: tuple | None = None  # (done, value, where), once received
        _RUNNING.add(self)

    @property
    def writing(self) -> bool:
        return self.outcome is None

    def receive(self) -> None:
        try:
            self.outcome = self.connection.recv()
        except EOFError:
            self.process.join()
            reason = exit_reason(self.process.exitcode)
            self.outcome = (False, WriterDied(
                f"a writer process ended without a result ({reason})"), "")

    def result(self):
        if self.outcome is None:
            self.receive()
        done, value, where = self.outcome
        if not done:
            if where:
                value.add_note(f"in a writer process:\n{where}")
            raise value
        return value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        _RUNNING.discard(self)


def _write(function: Callable, share, connection: Connection) -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()
    try:
        outcome = (True, function(share), "")
    except BaseException as err:  # sent to the run, which raises it
        outcome = (False, err, traceback.format_exc())
    try:
        connection.send(outcome)
    except Exception as err:  # what cannot be pickled is said in words instead
        connection.send((False, WriterDied(f"a writer's outcome could not be sent back: {err!r}"),
                         outcome[2]))


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
