"""Wall time, CPU time and memory of this process and every process it started, from /proc.

CPU of the tree = this process (self + children it reaped) + each live descendant's own time
and the time of the children *it* reaped (a process that starts its own reaps them). Memory is
sampled every 0.1 s as the sum of each process's PSS (shared pages counted once), falling back
to RSS where smaps_rollup is missing; its peak is what the tree needed at once.
"""

import os
import resource
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()  # fields from 3 (state) on


def descendants(root: int | None = None) -> list[int]:
    root = os.getpid() if root is None else root
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu() -> float:
    """CPU seconds (user + system) used so far by this process tree."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    for pid in descendants():
        fields = _stat(pid)
        if fields:
            total += sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
    return total


def _memory(pid: int) -> int:
    """PSS of one process in bytes (RSS where PSS cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    fields = _stat(pid)
    return int(fields[21]) * PAGE if fields else 0


def tree_memory() -> int:
    return sum(_memory(pid) for pid in [os.getpid(), *descendants()])


@dataclass
class Sample:
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def utilisation(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


class _PeakMemory(threading.Thread):
    def __init__(self, every: float = 0.1):
        super().__init__(daemon=True)
        self.every, self.peak = every, tree_memory()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, tree_memory())

    def stop(self) -> int:
        self.done.set()
        self.join()
        return max(self.peak, tree_memory())


@contextmanager
def measured():
    """Yields a Sample filled in when the block ends: wall, CPU of the tree, peak memory."""
    sample = Sample()
    sampler = _PeakMemory()
    sampler.start()
    cpu, start = tree_cpu(), time.perf_counter()
    try:
        yield sample
    finally:
        sample.wall = time.perf_counter() - start
        sample.cpu = tree_cpu() - cpu
        sample.peak_mb = sampler.stop() / 2**20
