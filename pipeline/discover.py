"""inbox/<district_code>/* → Arrival records, oldest first, each with its sha256."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from pipeline.values import Arrival

_IGNORED_PREFIXES = (".", "~$")  # hidden files, Excel and LibreOffice lock files


def discover(inbox: Path) -> list[Arrival]:
    if not inbox.is_dir():
        return []
    arrivals = []
    for path in sorted(inbox.glob("*/*")):
        if not path.is_file() or path.name.startswith(_IGNORED_PREFIXES):
            continue
        stat = path.stat()
        arrivals.append(Arrival(
            path=path,
            folder=path.parent.name,
            name=path.name,
            sha256=sha256_of(path),
            size=stat.st_size,
            received_at=datetime.fromtimestamp(stat.st_mtime, UTC).replace(microsecond=0),
        ))
    return sorted(arrivals, key=lambda a: (a.received_at, a.folder, a.name))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
