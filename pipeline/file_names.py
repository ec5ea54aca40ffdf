"""File names the pipeline makes from a clerk's: the kept copy, the receipt, the feedback
workbook, a temporary name. Each adds to the clerk's name, which may already be as long as a
file name can be: 255 bytes, 85 Thai characters in UTF-8."""

from pathlib import PurePath

NAME_BYTES = 255  # ext4, XFS, Btrfs, NTFS (in UTF-16 units) and most others


def fitted(name: str, room: int) -> str:
    """The name cut to `room` bytes of UTF-8 at a whole character, its extension kept: the
    full name stays in the warehouse (submissions.original_name)."""
    if len(name.encode()) <= room:
        return name
    suffix = PurePath(name).suffix
    if len(suffix.encode()) * 2 > room:
        suffix = ""
    stem = name[:len(name) - len(suffix)].encode()[:room - len(suffix.encode())]
    return stem.decode(errors="ignore") + suffix
