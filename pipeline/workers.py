"""Calls one function on many items in a few worker processes, each call under a time limit.

A parser running in native code (calamine is Rust) cannot be interrupted from a thread; a
process can be killed. A call that overruns its time, or whose worker dies, fails for that
item alone: the worker is replaced and the other items still run. Each worker holds a few items
at a time, so it starts the next as soon as it has sent a result, without waiting for this
process to be scheduled; the items queued behind a failed one go to another worker.

Workers are forked from this process as it stands (`forked`): they inherit its modules and
data instead of importing and unpickling them, and what neither process changes is held once.
"""

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from pipeline.collector import out_of_sight

TIMEOUT = "timeout"
_READY = "ready"
_IN_FLIGHT = 3  # items a worker holds: the one it reads and the next ones, already sent


@dataclass(frozen=True)
class Outcome:
    value: object = None
    failure: str = ""  # "" when the call returned, else TIMEOUT, an exception type or a signal


def forked(target: Callable, *args, daemon: bool = True) -> multiprocessing.Process:
    """A process forked from this one, started on `target(*args)`; nothing is pickled. Only one
    that is not a daemon may start processes of its own.
    The objects alive now are kept out of its cycle collections, which would touch every one
    of them and so copy their pages; what this process has buffered for its output is written
    first, or the child would write it again."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None in a process started without one
            stream.flush()
    with out_of_sight():
        process = multiprocessing.get_context("fork").Process(target=target, args=args,
                                                              daemon=daemon)
        process.start()
    return process


def call_all(function: Callable, items: Sequence, seconds: float, workers: int = 2,
             done: Callable[[], None] = lambda: None, in_flight: int = _IN_FLIGHT
             ) -> list[Outcome]:
    """`function(item)` for each item, in item order. Items and results are pickled;
    `done` is called as each item finishes. A worker holds `in_flight` items at most: one,
    for a few long items, or the first worker ready could take them all."""
    if not items:
        return []
    outcomes: list[Outcome] = [Outcome()] * len(items)
    todo = deque(enumerate(items))
    pool = [_Worker(function, seconds) for _ in range(min(workers, len(items)))]
    try:
        while todo or any(worker.busy for worker in pool):
            _hand_out(pool, todo, in_flight)
            _wait(pool)
            for worker in list(pool):
                for index, outcome in worker.poll():
                    outcomes[index] = outcome
                    done()
                if worker.spent:
                    worker.stop()
                    pool.remove(worker)
                    todo.extendleft(reversed(worker.held))  # queued behind the failed item
                    if todo:
                        pool.append(_Worker(function, seconds))
    finally:
        for worker in pool:
            worker.stop()
    return outcomes


def _hand_out(pool: list["_Worker"], todo: deque, in_flight: int) -> None:
    """Items to the ready workers in turn, until each holds `in_flight` or none is left."""
    taking = [worker for worker in pool if worker.ready and not worker.spent]
    while todo and taking:
        for worker in list(taking):
            if todo and len(worker.held) < in_flight and worker.give(*todo[0]):
                todo.popleft()
            else:
                taking.remove(worker)  # full, or dead: poll says how, and with which item


def _wait(pool: list["_Worker"]) -> None:
    deadlines = [worker.deadline for worker in pool if worker.busy]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    wait([w.connection for w in pool] + [w.process.sentinel for w in pool], timeout)


class _Worker:
    def __init__(self, function: Callable, seconds: float):
        self.connection, child = multiprocessing.Pipe()
        self.process = forked(_serve, function, child)
        child.close()
        self.seconds = seconds
        self.ready = self.spent = False
        self.held: deque[tuple[int, object]] = deque()  # (index, item) sent, not yet returned
        self.deadline = 0.0  # of the first item held: the one being read

    @property
    def busy(self) -> bool:
        return bool(self.held)

    def give(self, index: int, item: object) -> bool:
        """Whether the worker took the item: one that died did not."""
        try:
            self.connection.send(item)
        except OSError:
            return False
        if not self.held:
            self.deadline = time.monotonic() + self.seconds
        self.held.append((index, item))
        return True

    def poll(self) -> list[tuple[int, Outcome]]:
        """(index, outcome) of each item returned, failed or overrun since the last poll. A
        failure spends the worker; the items it still holds were never started."""
        finished = self._returned()
        if not self.process.is_alive():
            self.process.join()
            if not self.ready:
                raise RuntimeError("a worker process could not start (exit code "
                                   f"{self.process.exitcode})")
            finished += self._returned()  # sent just before it died
            self.spent = True
            if self.held:
                finished.append(self._finish(Outcome(failure=exit_reason(self.process.exitcode))))
        elif self.held and time.monotonic() >= self.deadline:
            self.spent = True
            finished.append(self._finish(Outcome(failure=TIMEOUT)))
        return finished

    def _returned(self) -> list[tuple[int, Outcome]]:
        finished = []
        try:
            while self.connection.poll():
                message = self.connection.recv()
                if message == _READY:
                    self.ready = True
                elif self.held:
                    finished.append(self._finish(Outcome(*message)))
                    self.deadline = time.monotonic() + self.seconds  # the next one has begun
        except (EOFError, OSError):
            pass  # the worker died; its exit code says how
        return finished

    def _finish(self, outcome: Outcome) -> tuple[int, Outcome]:
        index, _ = self.held.popleft()
        return index, outcome

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return signal.Signals(-exitcode).name
    return f"exit code {exitcode}"


def exit_with_parent() -> None:
    """In a forked process: exit at once when the process that forked it is gone. It holds
    both ends of its pipe (the run's, inherited), so a read would never end: a run killed
    alone (kill PID, the out-of-memory killer) left its readers waiting, each 100 MB."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)


def _serve(function: Callable, connection: Connection) -> None:
    exit_with_parent()
    connection.send(_READY)
    while True:
        item = connection.recv()
        try:
            result = (function(item), "")
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as err:  # a Rust panic arrives as a BaseException
            result = (None, type(err).__name__)
        connection.send(result)
