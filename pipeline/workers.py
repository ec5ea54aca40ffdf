"""Calls one function on many items in a few worker processes, each call under a time limit.

A parser running in native code (calamine is Rust) cannot be interrupted from a thread; a
process can be killed. A call that overruns its time, or whose worker dies, fails for that
item alone: the worker is replaced and the other items still run.
"""

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

TIMEOUT = "timeout"
_READY = "ready"


@dataclass(frozen=True)
class Outcome:
    value: object = None
    failure: str = ""  # "" when the call returned, else TIMEOUT, an exception type or a signal


def call_all(function: Callable, items: Sequence, seconds: float, workers: int = 2,
             preload: Sequence[str] = (), done: Callable[[], None] = lambda: None
             ) -> list[Outcome]:
    """`function(item)` for each item, in item order. `function` must be picklable (a module
    function or a functools.partial of one); `preload` names modules workers import once;
    `done` is called as each item finishes."""
    if not items:
        return []
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.workers", *preload])
    outcomes: list[Outcome] = [Outcome()] * len(items)
    todo = deque(enumerate(items))
    pool = [_Worker(context, function) for _ in range(min(workers, len(items)))]
    try:
        while todo or any(worker.busy for worker in pool):
            for worker in pool:
                if worker.ready and not worker.busy and todo:
                    task = todo.popleft()
                    if not worker.give(*task, seconds):
                        todo.appendleft(task)
            _wait(pool)
            for worker in list(pool):
                finished = worker.poll()
                if finished is not None:
                    outcomes[finished[0]] = finished[1]
                    done()
                if worker.spent:
                    worker.stop()
                    pool.remove(worker)
                    if todo:
                        pool.append(_Worker(context, function))
    finally:
        for worker in pool:
            worker.stop()
    return outcomes


def _wait(pool: list["_Worker"]) -> None:
    deadlines = [worker.deadline for worker in pool if worker.busy]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    wait([w.connection for w in pool] + [w.process.sentinel for w in pool], timeout)


class _Worker:
    def __init__(self, context, function: Callable):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(function, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = self.spent = False
        self.index: int | None = None
        self.deadline = 0.0

    @property
    def busy(self) -> bool:
        return self.index is not None

    def give(self, index: int, item: object, seconds: float) -> bool:
        """Whether the worker took the item: one that died idle did not."""
        try:
            self.connection.send(item)
        except OSError:
            self.spent = True
            return False
        self.index, self.deadline = index, time.monotonic() + seconds
        return True

    def poll(self) -> tuple[int, Outcome] | None:
        """(index, outcome) of the item this worker returned, failed or overran, if any."""
        try:
            while self.connection.poll():
                message = self.connection.recv()
                if message == _READY:
                    self.ready = True
                elif self.busy:
                    return self._finish(Outcome(*message))
        except (EOFError, OSError):
            pass  # the worker died; its exit code says how
        if not self.process.is_alive():
            self.process.join()
            if not self.ready:
                raise RuntimeError("a reader process could not start (exit code "
                                   f"{self.process.exitcode})")
            self.spent = True
            return self._finish(Outcome(failure=_death(self.process.exitcode)))
        if self.busy and time.monotonic() >= self.deadline:
            self.spent = True
            return self._finish(Outcome(failure=TIMEOUT))
        return None

    def _finish(self, outcome: Outcome) -> tuple[int, Outcome] | None:
        index, self.index = self.index, None
        return None if index is None else (index, outcome)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return signal.Signals(-exitcode).name
    return f"exit code {exitcode}"


def _serve(function: Callable, connection: Connection) -> None:
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
