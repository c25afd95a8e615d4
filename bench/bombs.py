"""Decompression bombs: peak memory and time of `leaktrace scan` on a 42.zip-style recursive
bomb and a flat bomb that expands to 4 GiB.

    python bench/bombs.py [--folder /tmp/leaktrace-bombs]

Both are generated here, not downloaded. The deflate stream of the zeros is compressed once
and reused for every member, so building them takes seconds; the zips are written record by
record (local headers, central directory, end record; ZIP64 where sizes need it).

- ``recursive.zip``: like 42.zip, zips of 16 zips of 16 zips of 16 files of 4 GiB of zeros:
  0.8 MB that would expand to 16**3 * 4 GiB = 16 TiB. (42.zip has two more levels; here a
  fourth level would not compress, the inner zips being larger than deflate's 32 KiB window.)
- ``flat.zip``: one member of 4 GiB of zeros (about 4 MB compressed).

Each file is scanned by ``leaktrace scan --no-store --format jsonl`` in a child process; its
peak RSS comes from ``getrusage(RUSAGE_CHILDREN)`` and its findings are summarized.
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

GIB = 1 << 30
_CHUNK = 1 << 20


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of ``size`` zero bytes, and their CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(_CHUNK)
    parts, crc = [], 0
    for _ in range(size // _CHUNK):
        parts.append(compressor.compress(zeros))
        crc = zlib.crc32(zeros, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def zip_of(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, stored bytes, crc, uncompressed size, method) members, ZIP64 sizes."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size, method in members:
        offset, raw = len(out), name.encode()
        extra = struct.pack("<HHQQ", 1, 16, size, len(data))
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
            len(raw), len(extra),
        )  # fmt: skip
        out += raw + extra + data
        extra = struct.pack("<HHQQQ", 1, 24, size, len(data), offset)
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0, crc, 0xFFFFFFFF,
            0xFFFFFFFF, len(raw), len(extra), 0, 0, 0, 0, 0xFFFFFFFF,
        )  # fmt: skip
        central += raw + extra
    start = len(out)
    out += central
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out + end)


def recursive_bomb(leaf: tuple[bytes, int], levels: int = 3, fan: int = 16) -> bytes:
    data, crc = leaf
    layer = zip_of([(f"{n}.bin", data, crc, 4 * GIB, 8) for n in range(fan)])
    for level in range(levels - 1):
        stored = zlib.compress(layer, 9)[2:-4]  # raw deflate of the inner zip
        inner = (zlib.crc32(layer), len(layer))
        layer = zip_of([(f"{level}-{n}.zip", stored, *inner, 8) for n in range(fan)])
    return layer


_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stdout.write(done.stdout)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def scan(path: Path) -> tuple[float, float, Counter[str]]:
    """Seconds, peak RSS (MB) of the scan's largest process, and the findings per rule.

    The scan runs under a fresh interpreter, so the peak is that scan's alone."""
    start = time.perf_counter()
    command = ["leaktrace", "scan", "--no-store", "--format", "jsonl", str(path)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    *lines, peak = done.stdout.splitlines()
    rules = Counter(f"{f['detector']}/{f['rule']}" for f in map(json.loads, lines))
    return seconds, int(peak) / 1024, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/leaktrace-bombs"))
    folder = parser.parse_args().folder
    folder.mkdir(parents=True, exist_ok=True)
    leaf = deflated_zeros(4 * GIB)
    bombs = {
        "recursive.zip": recursive_bomb(leaf),
        "flat.zip": zip_of([("zeros.bin", leaf[0], leaf[1], 4 * GIB, 8)]),
    }
    print("| bomb | size | expands to | seconds | peak RSS | findings |")
    print("|---|---:|---:|---:|---:|---|")
    for name, data in bombs.items():
        path = folder / name
        path.write_bytes(data)
        seconds, peak, rules = scan(path)
        expands = "16 TiB" if name.startswith("recursive") else "4 GiB"
        found = ", ".join(f"{rule}: {n}" for rule, n in sorted(rules.items()))
        size = f"{len(data) / 1e6:.1f} MB"
        print(f"| {name} | {size} | {expands} | {seconds:.1f} | {peak:.0f} MB | {found} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
