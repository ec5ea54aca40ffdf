"""Processes that write workbooks: openpyxl and xlsxwriter are pure Python, so threads would
take turns; two processes write two shares of the workbooks at once on the machine's two cores.

A writer is a child forked from this process once what it writes from is in memory
(pipeline.child): it inherits the frames instead of receiving them pickled, has nothing to
import, and exits as soon as the run is gone. A writer holds no lock of the run: filelock lets
go of its descriptors in a forked child."""

from collections.abc import Callable, Sequence
from multiprocessing.connection import wait

from pipeline.child import Child

PROCESSES = 2
_RUNNING: set["_Writer"] = set()  # started, not yet stopped


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


class _Writer(Child):
    def __init__(self, function: Callable, share):
        super().__init__(function, share)
        _RUNNING.add(self)

    @property
    def writing(self) -> bool:
        return self.outcome is None

    def stop(self) -> None:
        super().stop()
        _RUNNING.discard(self)
