"""A submission file → the problem that refuses it before any parser unpacks it, or None.

Zip-based workbooks (.xlsx, .xlsm, .ods) are judged by their zip directory alone, so a zip bomb
is refused before it is unpacked; OLE2 files (.xls, and encrypted .xlsx) by their directory and
the first records of the workbook stream. Nothing is decrypted.
"""

import math
import struct
import zipfile
from pathlib import Path

import olefile

from pipeline.problems import Problem, problem
from pipeline.settings import Limits

ZIP_MAGIC = b"PK"
OLE_MAGIC = olefile.MAGIC
_ENCRYPTED_STREAMS = {"encryptedpackage", "encryptioninfo"}  # OOXML inside an OLE2 container
_BIFF_STREAMS = ("workbook", "book")  # BIFF8, BIFF5
_BOF = {0x0809, 0x0009, 0x0209, 0x0409}
_FILEPASS, _EOF, _BOUNDSHEET = 0x002F, 0x000A, 0x0085
_HEAD = 4096  # FILEPASS follows the BOF record within the first few records


def refusal(path: Path, size: int, limits: Limits) -> Problem | None:
    if size > limits.max_file_bytes:
        shown, limit = sizes_apart(size, limits.max_file_bytes)
        return problem("file-too-large", value=shown, expected=limit)
    with open(path, "rb") as handle:
        magic = handle.read(len(OLE_MAGIC))
    if magic.startswith(ZIP_MAGIC):
        return _zip_refusal(path, limits)
    if magic == OLE_MAGIC:
        return _ole_refusal(path)
    return None


def _zip_refusal(path: Path, limits: Limits) -> Problem | None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_zip_entries:
                return problem("archive-too-large", value=f"{len(entries):,} entries",
                               expected=f"{limits.max_zip_entries:,} entries")
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > limits.max_unpacked_bytes:
                shown, limit = sizes_apart(unpacked, limits.max_unpacked_bytes)
                return problem("archive-too-large", value=shown, expected=limit)
            if _ods_encrypted(archive):
                return problem("file-encrypted")
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        return problem("not-a-spreadsheet", value=type(err).__name__)
    return None


def _ods_encrypted(archive: zipfile.ZipFile) -> bool:
    """An OpenDocument file saved with a password lists encryption data in its manifest."""
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def _ole_refusal(path: Path) -> Problem | None:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            names = {"/".join(entry).casefold(): entry for entry in ole.listdir()}
            if _ENCRYPTED_STREAMS & set(names):
                return problem("file-encrypted")
            stream = next((names[n] for n in _BIFF_STREAMS if n in names), None)
            if stream and _has_filepass(ole.openstream(stream).read(_HEAD)):
                return problem("file-encrypted")
    except (OSError, ValueError, KeyError, struct.error):
        return None  # a damaged container: the reader says what it makes of it
    return None


def _has_filepass(head: bytes) -> bool:
    """Whether the workbook globals of a BIFF stream declare encryption (a FILEPASS record)."""
    if len(head) < 4 or struct.unpack_from("<H", head)[0] not in _BOF:
        return False
    position = 0
    while position + 4 <= len(head):
        kind, length = struct.unpack_from("<HH", head, position)
        if kind == _FILEPASS:
            return True
        if kind in (_EOF, _BOUNDSHEET):
            return False
        position += 4 + length
    return False


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """A size over a limit and the limit, readable; when both round to the same tenth, the
    size to the tenth above and the limit to the one below: a file just over it read "20 MB,
    more than the 20 MB accepted"."""
    shown, allowed = readable_size(size), readable_size(limit)
    if shown == allowed:
        return readable_size(size, math.ceil), readable_size(limit, math.floor)
    return shown, allowed


def readable_size(size: int, towards=None) -> str:
    """2_400_000 → '2.3 MB'; 21,000,000 is 20 MB, not 21,000,000 bytes, to a clerk.
    `towards`: math.ceil or math.floor to take the tenth above or below (sizes_apart), else
    the nearest."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            shown = size / scale if towards is None else towards(size * 10 / scale) / 10
            return f"{shown:,.1f} {unit}".replace(".0 ", " ")
    return f"{size:,} bytes"
