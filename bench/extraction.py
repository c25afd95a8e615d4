"""Extraction throughput on a generated mixed corpus: MB/s and files/s, one core and all cores.

    python bench/extraction.py [--scale N]

Beside LeakTrace's own numbers it times two floors in the same run: reading the bytes (the I/O
ceiling) and decompressing the archives with the standard library alone (what any scanner must
at least pay). Results go to stdout as a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import build

from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.runner import ScanPlan, run
from leaktrace.core.sources import find_sources


def time_leaktrace(root: Path, jobs: int, detectors: bool = True) -> tuple[float, int, int]:
    registry = Registry.from_entry_points()
    policy = (
        Policy() if detectors else Policy(detectors=dict.fromkeys(registry.detector_classes, False))
    )
    sources = list(find_sources([str(root)]))
    start = time.perf_counter()
    items = findings = 0
    for report in run(ScanPlan(registry, policy, jobs), sources):
        items += report.items
        findings += len(report.findings)
    return time.perf_counter() - start, items, findings


def time_read(root: Path) -> float:
    start = time.perf_counter()
    for path in sorted(root.iterdir()):
        path.read_bytes()
    return time.perf_counter() - start


def time_stdlib_unpack(root: Path) -> float:
    start = time.perf_counter()
    for path in sorted(root.iterdir()):
        data = path.read_bytes()
        if path.suffix in (".zip", ".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    archive.read(name)
        elif path.name.endswith(".tar.gz"):
            with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as archive:
                for member in archive.getmembers():
                    handle = archive.extractfile(member)
                    if handle is not None:
                        handle.read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=3, help="10 x scale files of each of 8 kinds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files, size = build(root, args.scale)
        megabytes = size / 1e6
        time_leaktrace(root, 1)  # warm the page cache and imports
        rows = [("read bytes only (I/O floor)", time_read(root), None)]
        rows.append(("stdlib unzip/untar only", time_stdlib_unpack(root), None))
        for jobs in (1, 2):
            seconds, items, _ = time_leaktrace(root, jobs, detectors=False)
            rows.append((f"leaktrace extraction only, {jobs} job(s)", seconds, items))
        for jobs in (1, 2):
            seconds, items, _ = time_leaktrace(root, jobs)
            rows.append((f"leaktrace scan (extraction + detectors), {jobs} job(s)", seconds, items))
        print(
            f"corpus: {files} files, {megabytes:.1f} MB, 8 kinds (txt, zip, tar.gz, docx, pdf, "
            f"eml with docx, html, jpg with EXIF)\n"
        )
        print("| run | seconds | MB/s | files/s | items |")
        print("|---|---:|---:|---:|---:|")
        for name, seconds, items in rows:
            print(
                f"| {name} | {seconds:.2f} | {megabytes / seconds:.1f} | "
                f"{files / seconds:.0f} | {items if items is not None else ''} |"
            )


if __name__ == "__main__":
    main()
