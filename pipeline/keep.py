"""Inbox files → durable, byte-identical copies in the archive or the quarantine.

A copy is made under a temporary name, fsynced, checked against the file's sha256 and only
then renamed into place; the inbox file is released (removed) only after the warehouse
transaction that records it has committed.
"""

import os
import re
import shutil
from pathlib import Path

from pipeline.atomic import atomic_path
from pipeline.discover import sha256_of
from pipeline.file_names import NAME_BYTES, fitted
from pipeline.values import Arrival


class CopyMismatch(Exception):
    """The kept copy does not have the bytes of the inbox file: the disk is not to be trusted."""


class Changed(Exception):
    """The inbox file is not the one read: a clerk saved over it, or took it away, during the
    run. It is left for the next run, which reads what is there then."""


_PREFIX = 12  # hex digits of the sha256 a kept copy's name starts with
_COPY = re.compile(rf"[0-9a-f]{{{_PREFIX}}}-")  # kept_path's names: what else is there is not ours


def kept_path(arrival: Arrival, root: Path) -> Path:
    prefix = f"{arrival.sha256[:_PREFIX]}-"
    return root / (arrival.folder or "_no-folder") / (
        prefix + fitted(arrival.name, NAME_BYTES - len(prefix)))


def keep(arrival: Arrival, root: Path) -> Path:
    dest = kept_path(arrival, root)
    if dest.exists() and sha256_of(dest) == arrival.sha256:
        return dest
    with atomic_path(dest) as tmp:
        try:
            shutil.copyfile(arrival.path, tmp)
        except FileNotFoundError as err:
            raise Changed(arrival.path) from err
        received = arrival.received_at.timestamp()
        os.utime(tmp, (received, received))  # the time of receipt goes with it
        if sha256_of(tmp) != arrival.sha256:
            if not unchanged(arrival):
                raise Changed(arrival.path)
            raise CopyMismatch(f"copy of {arrival.path} to {dest} does not match its sha256")
    return dest


def forget_unstored(roots: list[Path], outputs: Path, stored: set[str]) -> None:
    """Removes the copies no submission names (`stored`: their paths relative to `outputs`):
    a killed run kept them and never stored them. The file may be judged otherwise tonight (a
    copy in the archive and another in the quarantine), or its clerk saved over it since (no
    run stores those bytes); a file still waiting is kept again."""
    for root in roots:
        for path in root.rglob("*"):
            if (_COPY.match(path.name) and path.is_file()
                    and str(path.relative_to(outputs)) not in stored):
                path.unlink()


def unchanged(arrival: Arrival) -> bool:
    """Whether the inbox file still has the bytes it had when it was found."""
    try:
        return sha256_of(arrival.path) == arrival.sha256
    except FileNotFoundError:
        return False


def release(arrival: Arrival) -> None:
    """Removes the inbox file, unless it changed since it was found: the new bytes were never
    kept, and wait for the next run."""
    if unchanged(arrival):
        arrival.path.unlink(missing_ok=True)
