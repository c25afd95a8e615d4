"""Credentials and personal data, quality: precision, recall and MB/s of LeakTrace beside
detect-secrets and CredSweeper, on one labelled corpus, in one run.

    python bench/secrets_quality.py [--mb 15] [--seed 1]
        [--tools leaktrace detect-secrets credsweeper] [--corpus DIR] [--json results.json]
        [--plot docs/images/secrets_quality.png] [--show-errors N]

The corpus is written by ``secretcorpus.py`` into a temporary folder (or reused with
``--corpus``). Each tool scans the same folder in its own process, one core each, timed by wall
clock (start to exit, so start-up and model loading count):

- LeakTrace: ``leaktrace scan --no-store --format jsonl --jobs 1 --fail-on never --policy P``,
  the policy turning off every detector but ``secret``, ``pii`` and ``marking`` (the whole CLI:
  identification, extraction, carvers, detectors);
- detect-secrets: ``detect-secrets -C DIR -c 1 scan --all-files`` (all plugins, default filters);
- CredSweeper: ``credsweeper --path DIR --jobs 1 --ml_threads_limit 1 --save-json OUT --hashed``
  (default rules and ML threshold).

A finding is the (file, line) a tool reports. On a line that carries a positive label of the
category being scored it is a true positive (kind-agnostic: the tools' rule names differ), on any
other line a false positive; a line counts once however many rules fire on it. Secrets are the
head-to-head; the peers do not look for personal data, so PII is scored for LeakTrace alone
(its ``pii`` detector's findings; ``secret`` findings score as secrets). A finding on a line
labelled with a positive of the *other* category is neither (a peer flagging a card number is
not scored either way). Results: Markdown tables on stdout and a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from secretcorpus import TREE, Label, generate, load_labels

TOOLS = ("leaktrace", "detect-secrets", "credsweeper")
POLICY = """\
[detectors]
document = false
mark = false
concealment = false
records = false
"""


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    category: str  # secret | pii | other (LeakTrace's marking findings)
    rule: str


@dataclass
class Run:
    tool: str
    seconds: float
    hits: list[Hit]
    cores: int = 1
    note: str = ""
    unmapped: int = 0  # findings without a line in a file (e.g. inside a decoded blob)


# --- Running the tools ------------------------------------------------------------------------


def _timed(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr[-2000:]}")
    return seconds, done


def run_leaktrace(tree: Path, work: Path) -> Run:
    policy = work / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    out = work / "leaktrace.jsonl"
    seconds, _ = _timed(
        [
            "leaktrace",
            "scan",
            "--no-store",
            "--format",
            "jsonl",
            "--jobs",
            "1",
            "--fail-on",
            "never",
            "--policy",
            str(policy),
            "-o",
            str(out),
            str(tree),
        ]
    )
    hits, unmapped = [], 0
    for line in out.read_text(encoding="utf-8").splitlines():
        finding = json.loads(line)
        path, _, member = finding["path"].partition("!")
        category = {"secret": "secret", "pii": "pii"}.get(finding["detector"], "other")
        if member or finding.get("line") is None:
            unmapped += 1
            hits.append(
                Hit(_relative(path, tree), 0, category, f"{finding['detector']}/{finding['rule']}")
            )
            continue
        hits.append(
            Hit(
                _relative(path, tree),
                finding["line"],
                category,
                f"{finding['detector']}/{finding['rule']}",
            )
        )
    return Run("leaktrace", seconds, hits, unmapped=unmapped)


def run_detect_secrets(tree: Path, work: Path) -> Run:
    seconds, done = _timed(["detect-secrets", "-C", str(tree), "-c", "1", "scan", "--all-files"])
    results = json.loads(done.stdout)["results"]
    hits = [
        Hit(_relative(file, tree), secret["line_number"], "secret", secret["type"])
        for file, secrets in results.items()
        for secret in secrets
    ]
    return Run("detect-secrets", seconds, hits)


def run_credsweeper(tree: Path, work: Path) -> Run:
    out = work / "credsweeper.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    seconds, _ = _timed(
        [
            "credsweeper",
            "--path",
            str(tree),
            "--jobs",
            "1",
            "--ml_threads_limit",
            "1",
            "--save-json",
            str(out),
            "--hashed",
            "--no-stdout",
            "--log",
            "error",
        ],
        env=env,
    )
    hits = []
    for candidate in json.loads(out.read_text(encoding="utf-8")):
        for data in candidate["line_data_list"]:
            hits.append(
                Hit(_relative(data["path"], tree), data["line_num"], "secret", candidate["rule"])
            )
    return Run("credsweeper", seconds, hits)


RUNNERS = {
    "leaktrace": run_leaktrace,
    "detect-secrets": run_detect_secrets,
    "credsweeper": run_credsweeper,
}


def _relative(path: str, tree: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix().removeprefix("./")
    try:
        return p.relative_to(tree).as_posix()
    except ValueError:
        return p.resolve().relative_to(tree.resolve()).as_posix()


# --- Scoring ----------------------------------------------------------------------------------


@dataclass
class Score:
    positives: int = 0
    found: set[int] = field(default_factory=set)  # indexes of positive labels found
    false_lines: set[tuple[str, int]] = field(default_factory=set)
    false_by_kind: Counter[str] = field(default_factory=Counter)
    found_by_kind: Counter[str] = field(default_factory=Counter)
    other_category: int = 0

    @property
    def tp(self) -> int:
        return len(self.found)

    @property
    def fp(self) -> int:
        return len(self.false_lines)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.positives if self.positives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def line_index(labels: list[Label]) -> dict[tuple[str, int], int]:
    index: dict[tuple[str, int], int] = {}
    for i, label in enumerate(labels):
        for line in range(label.line, label.end_line + 1):
            index[(label.file, line)] = i
    return index


def score(
    hits: Iterable[Hit], labels: list[Label], index: dict[tuple[str, int], int], category: str
) -> Score:
    result = Score(positives=sum(1 for x in labels if x.positive and x.category == category))
    for hit in hits:
        if hit.category != category:
            continue
        i = index.get((hit.file, hit.line))
        label = labels[i] if i is not None else None
        if label is not None and label.positive:
            if label.category == category:
                if i not in result.found:
                    result.found.add(i)
                    result.found_by_kind[label.kind] += 1
            else:
                result.other_category += 1
            continue
        if (hit.file, hit.line) not in result.false_lines:
            result.false_lines.add((hit.file, hit.line))
            result.false_by_kind[label.kind if label is not None else "(unlabelled line)"] += 1
    return result


# --- Reporting --------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[Any]]) -> str:
    aligns = ["---" if i == 0 else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report(
    runs: list[Run], labels: list[Label], corpus_bytes: int, summary: dict[str, Any]
) -> dict[str, Any]:
    index = line_index(labels)
    mb = corpus_bytes / 1e6
    out: dict[str, Any] = {"corpus": summary, "tools": {}}
    scores: dict[tuple[str, str], Score] = {}
    for run in runs:
        for category in ("secret", "pii"):
            if category == "pii" and run.tool != "leaktrace":
                continue
            scores[(run.tool, category)] = score(run.hits, labels, index, category)

    print(
        f"\nCorpus: {summary['files']} files, {mb:.1f} MB, "
        f"{sum(1 for x in labels if x.positive and x.category == 'secret')} secret and "
        f"{sum(1 for x in labels if x.positive and x.category == 'pii')} personal-data positives, "
        f"{sum(1 for x in labels if not x.positive)} decoy lines.\n"
    )
    rows = []
    for run in runs:
        s = scores[(run.tool, "secret")]
        rows.append(
            [
                run.tool,
                s.positives,
                s.tp,
                s.fp,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                f"{run.seconds:.1f}",
                f"{mb / run.seconds:.2f}",
                run.cores,
            ]
        )
        out["tools"][run.tool] = {
            "seconds": run.seconds,
            "mb_per_s": mb / run.seconds,
            "cores": run.cores,
            "findings": len(run.hits),
            "unmapped_findings": run.unmapped,
            "findings_by_rule": dict(Counter(h.rule for h in run.hits).most_common()),
        }
    print("**Secrets, head to head** (line-level, kind-agnostic)\n")
    print(
        table(
            [
                "tool",
                "positives",
                "TP",
                "FP",
                "precision",
                "recall",
                "F1",
                "seconds",
                "MB/s",
                "cores",
            ],
            rows,
        )
    )

    if ("leaktrace", "pii") in scores:
        s = scores[("leaktrace", "pii")]
        print("\n**Personal data, LeakTrace alone** (`pii` detector)\n")
        print(
            table(
                ["tool", "positives", "TP", "FP", "precision", "recall", "F1"],
                [
                    [
                        "leaktrace",
                        s.positives,
                        s.tp,
                        s.fp,
                        f"{s.precision:.3f}",
                        f"{s.recall:.3f}",
                        f"{s.f1:.3f}",
                    ]
                ],
            )
        )

    for category in ("secret", "pii"):
        tools = [r.tool for r in runs if (r.tool, category) in scores]
        if not tools:
            continue
        kinds = sorted({x.kind for x in labels if x.category == category and x.positive})
        totals = Counter(x.kind for x in labels if x.category == category and x.positive)
        print(f"\n**Recall per kind, {category}** (found / planted)\n")
        print(
            table(
                ["kind", "planted", *tools],
                [
                    [
                        k,
                        totals[k],
                        *(
                            f"{scores[(t, category)].found_by_kind[k] / totals[k]:.2f}"
                            for t in tools
                        ),
                    ]
                    for k in kinds
                ],
            )
        )
    decoys = Counter(x.kind for x in labels if not x.positive)
    tools_and_cats = [(r.tool, c) for r in runs for c in ("secret", "pii") if (r.tool, c) in scores]
    all_kinds = sorted(
        set(decoys) | {k for key in tools_and_cats for k in scores[key].false_by_kind}
    )
    print(
        "\n**False positives by the line's label** (decoy kind, or an unlabelled line; lines flagged)\n"  # noqa: E501
    )
    print(
        table(
            ["decoy kind", "lines", *(f"{t} ({c})" for t, c in tools_and_cats)],
            [
                [
                    k,
                    decoys.get(k, "-"),
                    *(scores[key].false_by_kind.get(k, 0) for key in tools_and_cats),
                ]
                for k in all_kinds
            ],
        )
    )

    for (tool, category), s in scores.items():
        out["tools"][tool][category] = {
            "positives": s.positives,
            "tp": s.tp,
            "fp": s.fp,
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "other_category_hits": s.other_category,
            "found_by_kind": dict(s.found_by_kind),
            "false_by_kind": dict(s.false_by_kind),
        }
    return out


def misses(
    run: Run, labels: list[Label], category: str, limit: int = 0
) -> tuple[list[Label], list[Hit]]:
    """LeakTrace's false negatives (labels) and false positives (hits) in ``category``."""
    index = line_index(labels)
    s = score(run.hits, labels, index, category)
    missed = [
        x
        for i, x in enumerate(labels)
        if x.positive and x.category == category and i not in s.found
    ]
    false = [h for h in run.hits if h.category == category and (h.file, h.line) in s.false_lines]
    return missed, false


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tools = list(result["tools"])
    precision = [result["tools"][t]["secret"]["precision"] for t in tools]
    recall = [result["tools"][t]["secret"]["recall"] for t in tools]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    x = range(len(tools))
    ax.bar([i - 0.2 for i in x], precision, 0.4, label="precision")
    ax.bar([i + 0.2 for i in x], recall, 0.4, label="recall")
    ax.axhline(0.95, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xticks(list(x), tools)
    ax.set_ylim(0, 1.05)
    ax.set_title("Secrets: precision and recall on the labelled corpus")
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument(
        "--corpus", type=Path, help="reuse a corpus folder written by secretcorpus.py"
    )
    parser.add_argument(
        "--json", type=Path, default=Path(tempfile.gettempdir()) / "leaktrace-secrets-quality.json"
    )
    parser.add_argument("--plot", type=Path)
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print up to N of LeakTrace's misses and false positives per category",
    )
    args = parser.parse_args()

    # A neutral folder name: CredSweeper's model reads the path, and the same files under a folder
    # named "...secrets..." gave it 7% more candidates.
    work = Path(tempfile.mkdtemp(prefix="ltq-"))
    try:
        if args.corpus:
            corpus = args.corpus
            summary = {"files": sum(1 for p in (corpus / TREE).rglob("*") if p.is_file())}
        else:
            corpus = work / "corpus"
            summary = generate(corpus, args.mb, args.seed)
        tree = corpus / TREE
        corpus_bytes = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        labels = load_labels(corpus)
        runs = []
        for tool in args.tools:
            if tool != "leaktrace" and shutil.which(tool) is None:
                print(f"{tool}: not installed, skipped", file=sys.stderr)
                continue
            print(f"running {tool} ...", file=sys.stderr)
            runs.append(RUNNERS[tool](tree, work))
        result = report(runs, labels, corpus_bytes, summary)
        if args.show_errors:
            lt = next((r for r in runs if r.tool == "leaktrace"), None)
            if lt is not None:
                show_errors(lt, labels, tree, args.show_errors)
        args.json.write_text(json.dumps(result, indent=1, default=dict), encoding="utf-8")
        print(f"\nresults: {args.json}", file=sys.stderr)
        if args.plot and "secret" in next(iter(result["tools"].values()), {}):
            plot(result, args.plot)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def show_errors(run: Run, labels: list[Label], tree: Path, limit: int) -> None:
    """LeakTrace's misses and false alarms with the line's text (synthetic values only)."""
    cache: dict[str, list[str]] = {}

    def text(file: str, line: int) -> str:
        if file not in cache:
            cache[file] = (tree / file).read_text(encoding="utf-8", errors="replace").splitlines()
        lines = cache[file]
        return lines[line - 1][:240] if 0 < line <= len(lines) else "?"

    for category in ("secret", "pii"):
        missed, false = misses(run, labels, category)
        by_kind: dict[str, list[Label]] = defaultdict(list)
        for x in missed:
            by_kind[x.kind].append(x)
        print(f"\n### LeakTrace {category}: {len(missed)} missed")
        for kind, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
            print(f"- {kind}: {len(items)}")
            for x in items[:limit]:
                print(f"    {x.file}:{x.line}: {text(x.file, x.line)}")
        by_rule: dict[str, list[Hit]] = defaultdict(list)
        for h in false:
            by_rule[h.rule].append(h)
        print(f"\n### LeakTrace {category}: {len(false)} false findings")
        for rule, items in sorted(by_rule.items(), key=lambda kv: -len(kv[1])):
            print(f"- {rule}: {len(items)}")
            for h in items[:limit]:
                print(
                    f"    {h.file}:{h.line}: {text(h.file, h.line) if h.line else '(inside a decoded member)'}"  # noqa: E501
                )


if __name__ == "__main__":
    main()
