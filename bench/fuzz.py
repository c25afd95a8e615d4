"""Mutation fuzzing of the whole pipeline: many executions, peak memory, slowest input.

    python bench/fuzz.py [--executions 20000] [--seed 1]

Seeds: one file of every format the pipeline reads and every concealment carrier
(``tests/core/fuzzing.py``); each execution scans one mutated copy with every extractor,
carver and detector. Prints failures (must be none), untranslated extractor exceptions by type,
the slowest input and the peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.core.fuzzing import FuzzResult, check, inputs

from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scanner = Scanner(Registry.from_entry_points(), Policy())
    result = FuzzResult()
    start = time.perf_counter()
    for name, data in inputs(args.executions, args.seed):
        check(scanner, name, data, result)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| executions | failures | seconds | slowest input | peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {result.executions} | {len(result.failures)} | {seconds:.0f} | "
        f"{result.slowest:.2f} s | {peak:.0f} MB |"
    )
    for failure in result.failures[:20]:
        print("failure:", failure)
    for kind, count in sorted(result.untranslated.items(), key=lambda kv: -kv[1]):
        print(f"untranslated: {count}: {kind}")


if __name__ == "__main__":
    main()
