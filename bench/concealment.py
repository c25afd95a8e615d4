"""Concealment: detection per hiding technique, and false alarms on real files from this machine.

    python bench/concealment.py [--clean 6000] [--max-mb 20] [--jobs 2] [--seed 1]
        [--overhead 1500]

Two corpora, scanned with every registered plugin:

- a generated concealment corpus (``leaktrace.demo.carriers``): every technique the carvers and
  the concealment detector know, each in several carriers, each hiding a text marked
  CONFIDENTIAL. A sample is detected when its technique's rule fires; it is *seen through* when
  the ``marking`` detector also reports the hidden text on a path below the carrier;
- a clean corpus of real files under /usr/share, /usr/lib and /root/.pyenv: at most
  ``--clean`` files of at most ``--max-mb`` MB, drawn per extension (so that rare types are
  there, not only thousands of .py files) in a seeded order. Every ``concealment`` finding on
  it is counted as a false alarm, and listed.

Then ``--overhead`` clean files are scanned on one core with and without the carvers (time
spent by the three carvers). Prints Markdown tables (for docs/concealment.md) and the false
alarms one per line.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from leaktrace.core.finding import Finding
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.runner import ScanPlan, run
from leaktrace.core.sources import Source, find_sources
from leaktrace.demo import carriers
from leaktrace.demo.carriers import Sample

ROOTS = ("/usr/share", "/usr/lib", "/root/.pyenv")
SKIPPED_DIRS = ("/usr/lib/python3/dist-packages/leaktrace",)


def clean_files(limit: int, max_bytes: int, seed: int) -> list[Path]:
    """Up to ``limit`` regular files, spread over extensions, in a reproducible order."""
    by_extension: dict[str, list[Path]] = collections.defaultdict(list)
    for root in ROOTS:
        for folder, _dirs, names in os.walk(root):
            if folder.startswith(SKIPPED_DIRS):
                continue
            for name in names:
                path = Path(folder, name)
                try:
                    if not path.is_file() or path.is_symlink():
                        continue
                    if not 0 < path.stat().st_size <= max_bytes:
                        continue
                except OSError:
                    continue
                by_extension[path.suffix.lower() or "(none)"].append(path)
    rng = random.Random(seed)
    pools = []
    for extension in sorted(by_extension):
        paths = sorted(by_extension[extension])
        rng.shuffle(paths)
        pools.append(paths)
    chosen: list[Path] = []
    while len(chosen) < limit and any(pools):
        for pool in pools:  # round robin: one of each extension per turn
            if pool and len(chosen) < limit:
                chosen.append(pool.pop())
    return sorted(chosen)


def scan_folder(folder: Path, jobs: int) -> Iterator[tuple[str, list[Finding]]]:
    plan = ScanPlan(Registry.from_entry_points(), Policy(), jobs=jobs)
    for report in run(plan, find_sources([str(folder)])):
        yield report.path, report.findings


def scan_paths(paths: list[Path], jobs: int) -> Iterator[tuple[str, list[Finding]]]:
    plan = ScanPlan(Registry.from_entry_points(), Policy(), jobs=jobs)
    sources = [Source(display=str(p), path=p) for p in paths]
    for report in run(plan, sources):
        yield report.path, report.findings


def encrypted_office(rng: random.Random) -> Sample:
    """An OOXML document encrypted by Office: an OLE file with an EncryptedPackage stream."""
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from tests.extract.cfb_writer import write_compound_file

    data = write_compound_file(
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + rng.randbytes(200),
            "EncryptedPackage": rng.randbytes(6000),
        }
    )
    return Sample("encrypted container", "encrypted", "budget.xlsx", data, hidden=False)


def concealment_corpus(folder: Path, seed: int, rounds: int = 3) -> dict[str, Sample]:
    """Every technique of ``carriers.samples``, ``rounds`` times with different seeds."""
    corpus: dict[str, Sample] = {}
    for round_number in range(rounds):
        rng = random.Random(seed * 100 + round_number)
        made = [*carriers.samples(rng), encrypted_office(rng)]
        for index, sample in enumerate(made):
            path = folder / f"{round_number}-{index:03d}" / sample.name
            path.parent.mkdir(parents=True)
            path.write_bytes(sample.data)
            corpus[str(path)] = sample
    return corpus


def detection(folder: Path, jobs: int, seed: int) -> None:
    samples = concealment_corpus(folder, seed)
    totals: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    for path, findings in scan_folder(folder, jobs):
        sample = samples[path]
        rules = {f.rule for f in findings if f.detector == "concealment"}
        hit = sample.rule in rules
        seen = not sample.hidden or any(
            f.detector == "marking" and f.path.startswith(path + "!") for f in findings
        )
        row = totals[sample.technique]
        row[0] += 1
        row[1] += hit
        row[2] += hit and seen
        if not (hit and seen):
            misses.append(f"{sample.technique} {sample.name}: rules {sorted(rules)}")
    print("| technique | rule | samples | detected | detected and seen through |")
    print("|---|---|---:|---:|---:|")
    rule_of = {s.technique: s.rule for s in samples.values()}
    for technique, (count, hit, seen) in sorted(totals.items()):
        print(f"| {technique} | `{rule_of[technique]}` | {count} | {hit} | {seen} |")
    for miss in misses:
        print(f"MISS {miss}")


def false_alarms(limit: int, max_bytes: int, jobs: int, seed: int) -> None:
    paths = clean_files(limit, max_bytes, seed)
    size = sum(p.stat().st_size for p in paths)
    started = time.perf_counter()
    flagged: dict[str, list[Finding]] = {}
    for path, findings in scan_paths(paths, jobs):
        alarms = [f for f in findings if f.detector == "concealment"]
        if alarms:
            flagged[path] = alarms
    elapsed = time.perf_counter() - started
    by_rule = collections.Counter(f.rule for alarms in flagged.values() for f in alarms)
    kinds = collections.Counter(p.suffix.lower() or "(none)" for p in paths)
    print(
        f"clean corpus: {len(paths)} files, {size / 1e6:.0f} MB, {len(kinds)} extensions, "
        f"scanned in {elapsed:.0f} s with {jobs} jobs"
    )
    share = 100 * len(flagged) / max(1, len(paths))
    print(f"files with a concealment finding: {len(flagged)} ({share:.2f}%)")
    print("| rule | findings |")
    print("|---|---:|")
    for rule, count in sorted(by_rule.items()):
        print(f"| `{rule}` | {count} |")
    for alarms in (flagged[path] for path in sorted(flagged)):
        for finding in alarms:
            print(f"FALSE {finding.rule} {finding.path}: {finding.message}")
    digest = hashlib.sha256("\n".join(map(str, paths)).encode()).hexdigest()[:12]
    print(f"(corpus list digest {digest})")


def overhead(limit: int, max_bytes: int, seed: int) -> None:
    """Seconds to scan part of the clean corpus on one core, with and without the carvers."""
    paths = clean_files(limit, max_bytes, seed)
    size = sum(p.stat().st_size for p in paths)
    full = Registry.from_entry_points()
    bare = Registry(full.extractors, full.detector_classes.values())
    timings = {}
    for label, registry in (("without carvers", bare), ("with carvers", full)):
        scanner = Scanner(registry, Policy())
        started = time.perf_counter()
        for path in paths:
            scanner.scan_source(Source(display=str(path), path=path))
        timings[label] = time.perf_counter() - started
    print(f"one core, {len(paths)} clean files, {size / 1e6:.0f} MB:")
    for label, seconds in timings.items():
        print(f"- {label}: {seconds:.1f} s ({size / 1e6 / seconds:.1f} MB/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=int, default=6000)
    parser.add_argument("--max-mb", type=float, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-clean", action="store_true")
    parser.add_argument("--overhead", type=int, default=1500, help="files timed on one core")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        detection(Path(folder), args.jobs, args.seed)
    sys.stdout.flush()
    if not args.skip_clean:
        false_alarms(args.clean, int(args.max_mb * 1e6), args.jobs, args.seed)
    if args.overhead:
        overhead(args.overhead, int(args.max_mb * 1e6), args.seed)


if __name__ == "__main__":
    main()
