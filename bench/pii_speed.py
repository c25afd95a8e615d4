"""Speed of the `pii` detector on ordinary text and code (no planted personal data).

    python bench/pii_speed.py [ROOT] [MEGABYTES]

Reads the .py, .md, .txt and .rst files under ROOT (default: this Python's site-packages) up to
MEGABYTES (default 50), one item per file, and times ``PiiDetector.detect`` over all of them in
CPU time of this process (one core; other work on the machine does not count). Prints MB/s
and what was reported, by rule: in such text most findings are real addresses (package
authors' e-mail) and the documentation of the libraries' own test data.
"""

from __future__ import annotations

import collections
import sys
import sysconfig
import time
from pathlib import Path

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.detect.pii import PiiDetector


def load(root: Path, limit: int) -> list[Item]:
    items: list[Item] = []
    total = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".py", ".md", ".txt", ".rst"} or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        data = text.encode()
        items.append(Item(Lineage.root(str(path)), data, "text/plain", text))
        total += len(data)
        if total >= limit:
            break
    return items


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else sysconfig.get_paths()["purelib"])
    megabytes = float(sys.argv[2]) if len(sys.argv) > 2 else 50.0
    items = load(root, int(megabytes * 1e6))
    size = sum(len(item.data) for item in items)
    detector = PiiDetector()
    list(detector.detect(items[0]))  # compile the database outside the timing
    rules: collections.Counter[str] = collections.Counter()
    started = time.process_time()
    for item in items:
        for finding in detector.detect(item):
            rules[finding.rule] += 1
    elapsed = time.process_time() - started
    rate = size / 1e6 / elapsed
    print(f"{len(items)} files, {size / 1e6:.1f} MB in {elapsed:.2f} s: {rate:.0f} MB/s")
    for rule, count in rules.most_common():
        print(f"  {rule}: {count}")


if __name__ == "__main__":
    main()
