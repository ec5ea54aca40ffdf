"""Write a file under a temporary name and rename it into place: no half-written file is seen."""

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from pipeline.file_names import NAME_BYTES, fitted

THREADS = 4


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yields a temporary path beside `path`; on success it is fsynced and renamed to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ending = f".tmp-{os.getpid()}"
    tmp = path.with_name(f".{fitted(path.name, NAME_BYTES - 1 - len(ending))}{ending}")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def sweep(root: Path) -> None:
    """Removes the temporary files a killed writer left; only under the workspace lock."""
    for leftover in root.rglob(".*.tmp-*"):
        leftover.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def each_in_threads(function: Callable, items: list) -> Iterator:
    """`function(item)` for each item, in order, by a few threads: writing a file durably is
    mostly waiting for the disk to say it has it (fsync), and threads wait side by side."""
    with ThreadPoolExecutor(THREADS) as pool:
        yield from pool.map(function, items)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
