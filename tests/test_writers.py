"""Writer processes (pipeline/writers.py): forked from the run, given nothing pickled, holding
nothing of the run's, and never outliving it, no more than its readers (pipeline/workers.py)."""

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import writers
from pipeline.child import ChildDied
from pipeline.runner import workspace_lock
from pipeline.settings import Settings
from tests.running import ROOT


def test_books_are_dealt_heaviest_first_each_to_the_lightest_share():
    weights = {"group-01": 3, "dimension-1": 2, "dimension-2": 2, "committee": 2}
    assert writers.deal(list(weights), weights.get) == [
        ["group-01", "committee"], ["dimension-1", "dimension-2"]]
    assert writers.deal(["committee"], weights.get) == [["committee"]]  # no empty share


def test_each_share_is_written_by_a_process_of_its_own_from_what_the_run_holds():
    unpicklable = threading.Lock()  # inherited, never pickled: a pool would refuse it

    def write(share: list[str]) -> tuple[int, list[str], bool]:
        return os.getpid(), [name.upper() for name in share], not unpicklable.locked()

    results = writers.start(write, [["a", "b"], ["c"]])()
    assert [names for _, names, _ in results] == [["A", "B"], ["C"]]
    assert all(free for _, _, free in results)
    pids = {pid for pid, _, _ in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_two_writers_write_at_once_and_a_third_starts_as_one_is_done():
    """The next period's books start as soon as a writer of this period's is free."""
    def timed(share: list[float]) -> tuple[float, float]:
        started = time.monotonic()
        time.sleep(share[0])
        return started, time.monotonic()

    this_period = writers.start(timed, [[0.3], [1.5]])
    next_period = writers.start(timed, [[0.0]])  # waits for a writer to be free
    (short, long), (third,) = this_period(), next_period()
    assert short[1] <= third[0] < long[1]


def test_a_run_without_standard_output_forks_its_writers_all_the_same(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)  # a nightly job started with its output closed
    assert writers.start(sorted, [["b", "a"]])() == [["a", "b"]]


def _fails(share: list[str]) -> None:
    if share == ["bad"]:
        raise ValueError("book bad has no sheet")
    time.sleep(30)  # the other writer: stopped, not waited for


def test_a_writer_s_exception_is_raised_in_the_run_with_the_writer_s_traceback():
    started = time.monotonic()
    with pytest.raises(ValueError, match="book bad has no sheet") as raised:
        writers.start(_fails, [["bad"], ["good"]])()
    assert "in a process forked from the run" in raised.value.__notes__[0]
    assert "_fails" in raised.value.__notes__[0]
    assert time.monotonic() - started < 20


def test_a_writer_that_is_killed_is_reported_as_such():
    def killed(share: list[str]) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ChildDied, match=r"ended without a result \(SIGKILL\)"):
        writers.start(killed, [["a"]])()


def test_a_result_that_cannot_be_sent_back_is_said_in_words():
    def unsendable(share: list[str]) -> object:
        return lambda: share

    with pytest.raises(ChildDied, match="could not be sent back"):
        writers.start(unsendable, [["a"]])()


def test_a_failed_run_stops_the_writers_it_started():
    writers.start(_fails, [["good"]])  # never waited for, as when the run fails meanwhile
    running = multiprocessing.active_children()
    assert running
    writers.stop_all()
    assert not [child for child in running if child.is_alive()]


def test_a_writer_holds_no_lock_of_the_run(tmp_path, sample_registry_path):
    """Were it to keep the workspace lock's descriptor, a writer outliving a killed run would
    keep the next run out."""
    shutil.copyfile(sample_registry_path, tmp_path / "registry.xlsx")  # what makes a workspace
    settings = Settings(workspace=tmp_path)

    def open_on_lock(share: list[str]) -> list[str]:
        fds = Path("/proc/self/fd")
        return [fd.name for fd in fds.iterdir() if fd.exists()
                and fd.resolve() == settings.lock_path.resolve()]

    with workspace_lock(settings):
        assert open_on_lock([]), "this process holds it"
        assert writers.start(open_on_lock, [["a"]])() == [[]]


_RUN_THEN_DIE = """
import multiprocessing, os, signal, time
from pipeline import writers
from pipeline.child import ChildDied

def write(share):
    time.sleep(60)

writers.start(write, [["a"], ["b"]])
print(*[child.pid for child in multiprocessing.active_children()], flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


# Readers (pipeline/workers.py) hold both ends of their pipe: they waited forever.
_READING_THEN_DIE = """
import multiprocessing, os, signal, threading, time
from pipeline import workers

def read(item):
    time.sleep(60)

threading.Thread(target=workers.call_all, args=(read, ["a", "b"], 120), daemon=True).start()
while len(multiprocessing.active_children()) < 2:
    time.sleep(0.05)
time.sleep(0.5)  # each has an item: both are reading
print(*[child.pid for child in multiprocessing.active_children()], flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("script", [_RUN_THEN_DIE, _READING_THEN_DIE], ids=["writers", "readers"])
def test_children_exit_as_soon_as_the_run_that_started_them_is_killed(script):
    run = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                           stdout=subprocess.PIPE, text=True)
    children = [int(pid) for pid in run.stdout.readline().split()]  # they hold the pipe open
    assert run.wait(timeout=60) == -signal.SIGKILL
    run.stdout.close()
    assert len(children) == 2
    deadline = time.monotonic() + 10
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # not to outlive the test either
        os.kill(pid, signal.SIGKILL)
    assert not left


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
