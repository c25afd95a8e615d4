"""Credentials and personal data, speed: MB/s of the ``secret``, ``pii`` and ``marking``
detectors on one core, over real text and over the labelled corpus, with the ratio to the peers.

    python bench/secrets_speed.py [--mb 200] [--repeat 2] [--corpus DIR]
        [--quality-json /tmp/leaktrace-secrets-quality.json] [--json OUT]

Real text: the ``.py``, ``.md``, ``.rst`` and ``.txt`` files of this interpreter's
``site-packages`` (and the standard library after it, when more is needed), in sorted path
order, one Item per file, until ``--mb`` megabytes (of UTF-8). Dense text: the files of a
``secretcorpus.py`` folder (``--corpus``; planted credentials and personal data on about one line
in ten). The Items are built in memory first, so the timings are the detectors alone: each
detector's ``detect`` over every Item, then all three one after another, as a worker does. Each
pass is run ``--repeat`` times (the machine is shared; the best is reported, all are kept in the
JSON). The peers' MB/s come from a ``secrets_quality.py`` result (their whole command, one core);
LeakTrace's own whole-CLI MB/s from the same file is shown beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import Detector
from leaktrace.core.registry import Registry

DETECTORS = ("secret", "pii", "marking")
SUFFIXES = {".py", ".md", ".rst", ".txt"}


def real_text(megabytes: float) -> Iterator[tuple[str, str]]:
    """(path, text) of real files until ``megabytes`` of UTF-8 text."""
    wanted, total = int(megabytes * 1e6), 0
    roots = [Path(sysconfig.get_paths()["purelib"]), Path(sysconfig.get_paths()["stdlib"])]
    seen: set[Path] = set()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file() or path in seen:
                continue
            seen.add(path)
            try:
                text = path.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            yield str(path), text
            total += len(text.encode("utf-8"))
            if total >= wanted:
                return


def items_of(files: Iterator[tuple[str, str]]) -> list[Item]:
    return [
        Item(Lineage.root(path), b"", "text/plain", text)  # bytes unused by these detectors
        for path, text in files
    ]


def detectors() -> dict[str, Detector]:
    classes = Registry.from_entry_points().detector_classes
    return {name: classes[name]() for name in DETECTORS if name in classes}


def timed(chosen: list[Detector], items: list[Item]) -> tuple[float, int]:
    findings = 0
    start = time.perf_counter()
    for item in items:
        for detector in chosen:
            for _ in detector.detect(item):
                findings += 1
    return time.perf_counter() - start, findings


def measure(
    name: str, items: list[Item], found: dict[str, Detector], repeat: int
) -> dict[str, Any]:
    megabytes = sum(len((item.text or "").encode("utf-8")) for item in items) / 1e6
    result: dict[str, Any] = {"text": name, "items": len(items), "mb": megabytes, "runs": {}}
    passes = [(n, [d]) for n, d in found.items()] + [("all", list(found.values()))]
    for label, chosen in passes:
        runs = []
        findings = 0
        for _ in range(repeat):
            seconds, findings = timed(chosen, items)
            runs.append(megabytes / seconds)
        result["runs"][label] = {"mb_per_s": runs, "best": max(runs), "findings": findings}
    return result


def table(headers: list[str], rows: list[list[Any]]) -> str:
    aligns = ["---" if i == 0 else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--corpus", type=Path, help="a secretcorpus.py folder (its tree/ is read)")
    parser.add_argument(
        "--quality-json",
        type=Path,
        default=Path(tempfile.gettempdir()) / "leaktrace-secrets-quality.json",
    )
    parser.add_argument(
        "--json", type=Path, default=Path(tempfile.gettempdir()) / "leaktrace-secrets-speed.json"
    )
    args = parser.parse_args()

    found = detectors()
    missing = [n for n in DETECTORS if n not in found]
    if missing:
        print(f"not registered, left out: {', '.join(missing)}", file=sys.stderr)
    texts = [("real text (site-packages, stdlib)", items_of(real_text(args.mb)))]
    if args.corpus:
        tree = args.corpus / "tree"
        files = (
            (str(p), p.read_text("utf-8", "replace"))
            for p in sorted(tree.rglob("*"))
            if p.is_file()
        )
        texts.append(("labelled corpus (dense)", items_of(files)))
    for detector in found.values():  # warm up: compile the Hyperscan databases, load data
        list(detector.detect(Item(Lineage.root("warm.txt"), b"", "text/plain", "x = 1\n")))

    results = [measure(name, items, found, args.repeat) for name, items in texts]
    labels = [*found, "all"]
    print(
        table(
            ["text", "items", "MB", *(f"{n} MB/s" for n in labels), "findings (all)"],
            [
                [
                    r["text"],
                    r["items"],
                    f"{r['mb']:.1f}",
                    *(f"{r['runs'][n]['best']:.1f}" for n in labels),
                    r["runs"]["all"]["findings"],
                ]
                for r in results
            ],
        )
    )
    out: dict[str, Any] = {"detectors": list(found), "texts": results}
    if args.quality_json.exists():
        quality = json.loads(args.quality_json.read_text(encoding="utf-8"))["tools"]
        best = {r["text"]: r["runs"]["all"]["best"] for r in results}
        rows = []
        for tool, data in quality.items():
            rows.append(
                [
                    tool,
                    f"{data['mb_per_s']:.2f}",
                    *(f"{b / data['mb_per_s']:.0f}x" for b in best.values()),
                ]
            )
        print(
            "\nRatio: LeakTrace's detectors (all three, one core) to each tool's whole command "
            f"on the quality corpus ({args.quality_json})\n"
        )
        print(
            table(
                ["tool (whole command, 1 core)", "MB/s", *(f"detectors on {t}" for t in best)], rows
            )
        )
        out["quality_tools"] = {t: d["mb_per_s"] for t, d in quality.items()}
    args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"\nresults: {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
