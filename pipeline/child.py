"""A function called in a process forked from the run, its result or its exception handed back.

Forked (pipeline.workers.forked), the child inherits what the run holds instead of receiving
it pickled, and the memory neither changes is held once. What the child allocates goes back to
the system whole when it ends: the ingest runs apart so that the year's cells it reads and
judges leave no fragmented heap behind in the run, from which the roll-ups' writers are forked.

A child exits as soon as the run that started it is gone: a run killed mid-way must not leave
processes behind that go on renaming files into place while the next run works."""

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

from pipeline.workers import exit_reason, exit_with_parent, forked


class ChildDied(RuntimeError):
    """A child process ended without a result: killed, or out of memory."""


def apart(function: Callable, *args):
    """`function(*args)` in a child, waited for; unlike a writer, it may start processes of its
    own (the readers)."""
    child = Child(function, *args, daemon=False)
    try:
        return child.result()
    finally:
        child.stop()


class Child:
    def __init__(self, function: Callable, *args, daemon: bool = True):
        self.connection, end = multiprocessing.Pipe(duplex=False)
        self.process = forked(_call, function, args, end, daemon=daemon)
        end.close()
        self.outcome: tuple | None = None  # (done, value, where), once received

    def receive(self) -> None:
        try:
            self.outcome = self.connection.recv()
        except EOFError:
            self.process.join()
            reason = exit_reason(self.process.exitcode)
            self.outcome = (False, ChildDied(
                f"a process forked from the run ended without a result ({reason})"), "")

    def result(self):
        """The child's result; its exception raised here, with its traceback as a note."""
        if self.outcome is None:
            self.receive()
        done, value, where = self.outcome
        if not done:
            if where:
                value.add_note(f"in a process forked from the run:\n{where}")
            raise value
        return value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _call(function: Callable, args: tuple, connection: Connection) -> None:
    exit_with_parent()
    try:
        outcome = (True, function(*args), "")
    except BaseException as err:  # sent to the run, which raises it
        outcome = (False, err, traceback.format_exc())
    try:
        connection.send(outcome)
    except Exception as err:  # what cannot be pickled is said in words instead
        connection.send((False, ChildDied(f"a child's outcome could not be sent back: {err!r}"),
                         outcome[2]))

