"""An OLE2 compound file (old .xls, password-protected .xlsx) → its stream names and the first
bytes of a stream: just what the encryption check needs, nothing decrypted or parsed further.

Every read is bounded by the file's own size, so a damaged file raises ValueError, never loops.
"""

import struct

MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_LAST_SECTOR = 0xFFFFFFFA  # higher numbers mark the end of a chain, free or FAT sectors
_ENTRY = 128


class CompoundFile:
    def __init__(self, data: bytes):
        if len(data) < 512 or data[:8] != MAGIC:
            raise ValueError("not an OLE2 compound file")
        self._data = data
        self._shift = _u16(data, 30)
        self._mini_shift = _u16(data, 32)
        if not 7 <= self._shift <= 16 or not 1 <= self._mini_shift < self._shift:
            raise ValueError("bad sector size")
        self._max_sectors = len(data) >> self._shift
        self._cutoff = _u32(data, 56)
        self._fat = self._read_fat()
        directory = self._chain(_u32(data, 48), self._fat, self._sector)
        self._streams: dict[str, tuple[int, int]] = {}
        self._mini_start = 0
        for offset in range(0, len(directory) - _ENTRY + 1, _ENTRY):
            entry = directory[offset:offset + _ENTRY]
            name_length = min(_u16(entry, 64), 64)
            name = entry[:name_length].decode("utf-16-le", "replace").rstrip("\0")
            if entry[66] == 5:  # the root entry: where the mini stream starts
                self._mini_start = _u32(entry, 116)
            elif entry[66] == 2:
                self._streams.setdefault(name, (_u32(entry, 116), _u32(entry, 120)))

    @property
    def stream_names(self) -> set[str]:
        return set(self._streams)

    def head(self, name: str, limit: int) -> bytes:
        """The first `limit` bytes (at most) of a stream."""
        start, size = self._streams[name]
        if size >= self._cutoff:
            data = self._chain(start, self._fat, self._sector, limit)
        else:
            mini_fat = _table(self._chain(_u32(self._data, 60), self._fat, self._sector))
            store = self._chain(self._mini_start, self._fat, self._sector)
            data = self._chain(start, mini_fat, lambda n: _slice(store, n, self._mini_shift), limit)
        return data[:min(size, limit)]

    def _read_fat(self) -> list[int]:
        difat = list(struct.unpack_from("<109I", self._data, 76))
        next_sector, seen = _u32(self._data, 68), 0
        while next_sector < _LAST_SECTOR and seen <= self._max_sectors:
            block = self._sector(next_sector)
            difat += _table(block[:-4])
            next_sector, seen = _u32(block, len(block) - 4), seen + 1
        fat_count = _u32(self._data, 44)
        sectors = [n for n in difat if n < _LAST_SECTOR][:fat_count]
        return _table(b"".join(self._sector(n) for n in sectors))

    def _sector(self, number: int) -> bytes:
        return _slice(self._data, number + 1, self._shift)

    def _chain(self, start: int, table: list[int], read, limit: int | None = None) -> bytes:
        parts, number, total = [], start, 0
        while number < _LAST_SECTOR and (limit is None or total < limit):
            if number >= len(table) or len(parts) > len(table):
                raise ValueError("broken sector chain")
            parts.append(read(number))
            total += len(parts[-1])
            number = table[number]
        return b"".join(parts)


def _slice(data: bytes, number: int, shift: int) -> bytes:
    begin = number << shift
    if begin >= len(data):
        raise ValueError("sector past the end of the file")
    return data[begin:begin + (1 << shift)]


def _table(block: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(block) // 4}I", block[:len(block) // 4 * 4]))


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]
