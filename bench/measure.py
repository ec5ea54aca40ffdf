"""Wall time, CPU time and memory of this process and every process it started, from /proc.

CPU of the tree = this process (self + children it reaped) + each live descendant's own time
and the time of the children *it* reaped (a process that starts its own reaps them), less the
memory sampler's own. Memory is sampled every 0.25 s as the sum of each process's PSS (shared
pages counted once), falling back to RSS where smaps_rollup is missing; its peak is what the
tree needed at once. A sample costs the kernel about 4 ms a process (smaps_rollup walks its
pages): taken ten times a second, it took a tenth of a core from the runs it measured.
"""

import os
import resource
import threading
import time
from contextlib import contextmanager, suppress
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
    """Every process started below root, from the children each of their threads started."""
    found, todo = [], [os.getpid() if root is None else root]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _children(pid: int) -> list[int]:
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    children = []
    for thread in threads:
        with suppress(OSError):
            children += map(int, Path(f"/proc/{pid}/task/{thread}/children").read_text().split())
    return children


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
    def __init__(self, every: float = 0.25):
        super().__init__(daemon=True)
        self.every, self.peak, self.cpu = every, tree_memory(), 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, tree_memory())
        self.cpu = time.thread_time()  # the sampler's own, not the measured work's

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
        cpu = tree_cpu() - cpu
        sample.peak_mb = sampler.stop() / 2**20
        sample.cpu = cpu - sampler.cpu
