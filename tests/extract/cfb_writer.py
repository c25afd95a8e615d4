"""A minimal Compound File Binary (OLE2, MS-CFB version 3) writer, for generating test files.

Streams shorter than 4096 bytes go to the mini stream (64-byte mini sectors, with their own
mini FAT), longer ones to ordinary 512-byte sectors. Each storage's children form a balanced
binary search tree of all-black nodes, ordered as MS-CFB orders names (length, then upper case).
No DIFAT sectors: enough for files up to about 7 MB, plenty for tests.

A tree is a ``dict``: a ``bytes`` value is a stream, a ``dict`` value is a storage.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1

Tree = dict[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = END
    size: int = 0


def _flatten(tree: Tree) -> list[_Entry]:
    entries = [_Entry("Root Entry", ROOT)]
    pending: list[tuple[int, Tree]] = [(0, tree)]
    while pending:
        parent, members = pending.pop()
        for name, value in members.items():
            entries[parent].children.append(len(entries))
            if isinstance(value, bytes):
                entries.append(_Entry(name, STREAM, value))
            else:
                entries.append(_Entry(name, STORAGE))
                pending.append((len(entries) - 1, value))
    return entries


def _sort_key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _link_tree(entries: list[_Entry], ids: list[int]) -> int:
    """Make a balanced tree of ``ids`` (sorted by name); return its root's id."""
    if not ids:
        return NOSTREAM
    middle = len(ids) // 2
    root = ids[middle]
    entries[root].left = _link_tree(entries, ids[:middle])
    entries[root].right = _link_tree(entries, ids[middle + 1 :])
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for index in range(count):
        fat[first + index] = first + index + 1 if index + 1 < count else END


def _directory_entry(entry: _Entry) -> bytes:
    encoded = (entry.name + "\x00").encode("utf-16-le")
    if len(encoded) > 64:
        raise ValueError(f"name too long for a compound file: {entry.name!r}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        entry.kind,
        BLACK,
        entry.left,
        entry.right,
        entry.child,
        b"\x00" * 16,
        0,
        0,
        0,
        entry.start,
        entry.size,
    )


# An unused directory slot: no name, no type, no siblings or child.
_UNUSED_ENTRY = b"\x00" * 68 + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 48


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\x00" * (-len(data) % unit)


def write_compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file holding ``tree``."""
    entries = _flatten(tree)
    for entry in entries:
        ordered = sorted(entry.children, key=lambda i: _sort_key(entries[i]))
        entry.child = _link_tree(entries, ordered)

    # Mini stream: small streams packed in 64-byte mini sectors.
    mini_stream = b""
    mini_fat: list[int] = []
    big_streams: list[_Entry] = []
    for entry in entries:
        if entry.kind != STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size >= MINI_CUTOFF:
            big_streams.append(entry)
        elif entry.size:
            count = -(-entry.size // MINI_SECTOR)
            entry.start = len(mini_fat)
            mini_fat.extend([0] * count)
            _chain(mini_fat, entry.start, count)
            mini_stream += _pad(entry.data, MINI_SECTOR)

    # Ordinary sectors: big streams, the mini stream, the mini FAT, the directory, the FAT.
    body = b""
    fat: list[int] = []

    def allocate(data: bytes) -> int:
        nonlocal body
        if not data:
            return END
        count = -(-len(data) // SECTOR)
        first = len(fat)
        fat.extend([0] * count)
        _chain(fat, first, count)
        body += _pad(data, SECTOR)
        return first

    for entry in big_streams:
        entry.start = allocate(entry.data)
    entries[0].start = allocate(mini_stream)
    entries[0].size = len(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_bytes += struct.pack("<I", FREE) * (-len(mini_fat) % (SECTOR // 4))
    mini_fat_start = allocate(mini_fat_bytes) if mini_fat else END
    directory = b"".join(_directory_entry(entry) for entry in entries)
    while len(directory) % SECTOR:
        directory += _UNUSED_ENTRY
    directory_start = allocate(directory)

    fat_sectors = 1
    while len(fat) + fat_sectors > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("too large for this writer (needs DIFAT sectors)")
    fat_start = len(fat)
    fat.extend([FATSECT] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    body += struct.pack(f"<{len(fat)}I", *fat)

    difat = list(range(fat_start, fat_start + fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        fat_sectors,
        directory_start,
        0,
        MINI_CUTOFF,
        mini_fat_start,
        -(-len(mini_fat_bytes) // SECTOR) if mini_fat else 0,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    return header + body
