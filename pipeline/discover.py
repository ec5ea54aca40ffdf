"""inbox/<district_code>/* → Arrival records, oldest first, each with its sha256.

Every file under the inbox is an arrival, wherever it was dropped: one outside a district
folder is rejected by validation, never left behind.
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from pipeline.values import Arrival

_IGNORED_PREFIXES = (".", "~$")  # hidden files, Excel and LibreOffice lock files


def discover(inbox: Path) -> list[Arrival]:
    if not inbox.is_dir():
        return []
    arrivals = []
    for path in sorted(inbox.rglob("*")):
        if not path.is_file() or path.name.startswith(_IGNORED_PREFIXES):
            continue
        parts = path.relative_to(inbox).parts
        stat = path.stat()
        arrivals.append(Arrival(
            path=path,
            folder=parts[0] if len(parts) > 1 else "",
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
