"""inbox/<district_code>/* → Arrival records, oldest first, each with its sha256.

Every file under the inbox is an arrival, wherever it was dropped: one outside a district
folder is rejected by validation, never left behind.
"""

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pipeline.values import Arrival

_IGNORED_PREFIXES = (".", "~$")  # hidden files, Excel and LibreOffice lock files
# what Windows Explorer writes into a folder it shows (thumbnails, the folder's settings)
_SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})
_NO_NIGHT = datetime.min.replace(tzinfo=UTC)


def discover(inbox: Path) -> list[Arrival]:
    arrivals = []
    for path in _files(inbox):
        try:
            arrivals.append(arrival_for(path, inbox_folder(path, inbox)))
        except FileNotFoundError:  # taken away or renamed since it was listed: a save's
            continue  # temporary file, say; the next run finds what is there then
    return sorted(arrivals, key=receipt_order)


def inbox_folder(path: Path, inbox: Path) -> str:
    """The folder under the inbox a file came in ("" at its top), whatever lies between;
    ValueError for a file outside the inbox."""
    parts = path.relative_to(inbox).parts
    return parts[0] if len(parts) > 1 else ""


def receipt_order(arrival: Arrival) -> tuple:
    """The order a night's files are judged and stored in: the one stored last is current.
    A file a run found before tonight's (left for a later run) comes first. `check`'s files
    have no folder, and no night."""
    return (arrival.first_seen or _NO_NIGHT, arrival.saved_at or arrival.received_at,
            arrival.folder or "", arrival.name)


def waiting(inbox: Path) -> bool:
    """Whether any file waits in the inbox (known or not), without reading one."""
    return next(_files(inbox), None) is not None


def _files(inbox: Path) -> Iterator[Path]:
    if not inbox.is_dir():
        return
    for path in inbox.rglob("*"):  # in any order: discover sorts by time of receipt
        if (path.is_file() and not path.name.startswith(_IGNORED_PREFIXES)
                and path.name.lower() not in _SYSTEM_FILES):
            yield path


def arrival_for(path: Path, folder: str | None) -> Arrival:
    """The file as it arrived: received when it was last written (until a run knows better:
    pipeline.runner._received)."""
    stat = path.stat()
    saved = datetime.fromtimestamp(stat.st_mtime, UTC).replace(microsecond=0)
    return Arrival(path=path, folder=folder, name=path.name, sha256=sha256_of(path),
                   size=stat.st_size, received_at=saved, saved_at=saved)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
