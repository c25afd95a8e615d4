"""Real English prose gathered from this machine, cut into documents of 300 to 3,000 words.

    python bench/textsource.py          # prints where the text came from and how much

Used by ``documents_quality.py`` and ``documents_speed.py``. Sources, in a fixed order:

- ``doc``: ``/usr/share/doc`` (gzipped changelogs, NEWS and READMEs; plain README, copyright,
  .txt and .md files), ``licenses``: ``/usr/share/common-licenses``;
- ``python``: .rst, .txt and .md files under ``/root/.pyenv`` and ``/usr/lib/python3*``
  (READMEs, NEWS, documentation; test data left out);
- ``rust``: the books of Rust's documentation (HTML, only the ``<main>`` part of each page);
- ``man``: English manual pages (``/usr/share/man/man[1-8]``, troff requests and escapes
  stripped), except the Google Cloud CLI's (16,631 ``gcloud*`` pages generated from templates).

Whole files are de-duplicated by content hash and by their normalized first 2 KB (the same
README under nine Pythons counts once); then a paragraph is kept only if it shares no run of 8
consecutive normalized words with any paragraph kept before it, so licence texts, generated
manual pages and boilerplate shared by many files appear once, and two documents never share
a passage: a match to any document other than the source is a false match, not reuse.
Paragraphs that are not prose (under 5 tokens, under 60% of plain words, or a table of a few
repeated words) are dropped, and
at most 300,000 characters are kept from any one file. The result is
cached in the temporary folder; the split into documents is seeded.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import pickle
import random
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from leaktrace.extract.html import html_to_text

CACHE = Path(tempfile.gettempdir()) / "leaktrace-bench-textsource-v5.pickle"
RUST_BOOKS = (
    "book",
    "reference",
    "nomicon",
    "rust-by-example",
    "unstable-book",
    "error_codes",
    "rustc",
    "cargo",
    "edition-guide",
    "embedded-book",
    "clippy",
    "rustdoc",
    "style-guide",
)
_WORD = re.compile(r"[^\W_]+")
_TROFF_ESCAPE = re.compile(r"\\(f[BIRPC1-4]|f\[[^]]*\]|\(..|\[[^]]*\]|s[-+]?\d|[&/,|^~0:%])")
_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.DOTALL | re.IGNORECASE)
_PLAIN = re.compile(
    r"[(\"'\u201c\u2018]?[^\W\d_]+(?:['\u2019-][^\W\d_]+)?[)\"'\u201d\u2019]?[.,;:!?)]?"
)
_MIN_WORDS, _MAX_WORDS = 300, 3000
_RUN = 8  # no two kept paragraphs share this many consecutive normalized words
_MOST_PER_FILE = 300_000  # characters of paragraphs kept from one file: no file dominates


@dataclass(frozen=True)
class Document:
    source: str
    """Which source family the text came from (doc, licenses, python, rust, man)."""
    text: str
    files: frozenset[int] = frozenset()
    """Which source files (numbered in collection order) its paragraphs came from."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile):
        return ""
    if b"\0" in data[:4096]:
        return ""
    return data.decode("utf-8", "replace")


def _files(root: Path, patterns: Iterable[str]) -> Iterator[Path]:
    seen: set[Path] = set()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and not path.is_symlink() and path not in seen:
                seen.add(path)
                yield path


def _doc_texts() -> Iterator[tuple[str, str]]:
    root = Path("/usr/share/doc")
    patterns = ("**/*.gz", "**/README*", "**/copyright", "**/*.txt", "**/*.md", "**/NEWS*")
    for path in _files(root, patterns):
        if {".html", ".pdf", ".ps", ".json", ".log"} & set(path.suffixes) or "test" in path.name:
            continue
        yield "doc", _read(path)
    for path in _files(Path("/usr/share/common-licenses"), ("*",)):
        yield "licenses", _read(path)


def _python_texts() -> Iterator[tuple[str, str]]:
    roots = [Path("/root/.pyenv"), *sorted(Path("/usr/lib").glob("python3*"))]
    for root in roots:
        for path in _files(root, ("**/*.rst", "**/*.txt", "**/*.md")):
            parts = set(path.parts)
            if parts & {"test", "tests", "testing", "idle_test"} or "LICENSE" in path.name:
                continue
            yield "python", _read(path)


def _rust_texts() -> Iterator[tuple[str, str]]:
    html = Path("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html")
    for book in RUST_BOOKS:
        for path in _files(html / book, ("**/*.html",)):
            if path.name in ("print.html", "toc.html", "404.html"):
                continue
            page = _read(path)
            main = _MAIN.search(page)
            if main:
                text = html_to_text(main.group(1))
                yield "rust", "\n\n".join(line for line in text.splitlines() if line.strip())


def troff_to_text(source: str) -> str:
    """Crude: requests (lines starting with '.' or "'") end a paragraph; escapes are dropped."""
    lines: list[str] = []
    for line in source.splitlines():
        if line.startswith((".", "'")):
            if lines and lines[-1]:
                lines.append("")
            continue
        plain = line.replace("\\-", "-").replace("\\e", "\\").replace('\\"', "")
        lines.append(_TROFF_ESCAPE.sub("", plain))
    return "\n".join(lines)


def _man_texts() -> Iterator[tuple[str, str]]:
    root = Path("/usr/share/man")
    for section in range(1, 9):
        for path in _files(root / f"man{section}", ("*.gz",)):
            if path.name.startswith("gcloud"):  # 16,000 pages generated from one template
                continue
            yield "man", troff_to_text(_read(path))


def _key(text: str) -> bytes:
    return hashlib.blake2b(" ".join(_WORD.findall(text.lower())).encode(), digest_size=16).digest()


def _is_prose(paragraph: str) -> bool:
    """At least 5 tokens, 60% of them plain words (letters, maybe one trailing punctuation),
    and not a table repeating a few words ("Sans Bold Sans Condensed ...")."""
    tokens = paragraph.split()
    plain = sum(bool(_PLAIN.fullmatch(token)) for token in tokens)
    varied = len({t.lower() for t in tokens}) >= 0.4 * len(tokens) or len(tokens) < 20
    return len(tokens) >= 5 and plain >= 0.6 * len(tokens) and varied


def _runs(paragraph: str) -> set[bytes]:
    """Hashes of every run of ``_RUN`` consecutive normalized words (or of the whole, if short)."""
    words = _WORD.findall(paragraph.lower())
    starts = range(max(1, len(words) - _RUN + 1))
    runs = (" ".join(words[i : i + _RUN]).encode() for i in starts)
    return {hashlib.blake2b(run, digest_size=8).digest() for run in runs}


def collect() -> list[tuple[str, list[str]]]:
    """(source, paragraphs) of every distinct file; no two paragraphs share a run of words."""
    files: set[bytes] = set()
    seen: set[bytes] = set()
    found: list[tuple[str, list[str]]] = []
    sources = (_doc_texts(), _python_texts(), _rust_texts(), _man_texts())
    for source, text in (pair for generator in sources for pair in generator):
        whole, head = hashlib.sha256(text.encode()).digest(), _key(text[:2048])
        if not text.strip() or whole in files or head in files:
            continue
        files.update((whole, head))
        kept, size = [], 0
        for raw in re.split(r"\n[ \t]*\n", text):
            paragraph = raw.strip("\n")
            if size >= _MOST_PER_FILE or not _is_prose(paragraph):
                continue
            runs = _runs(paragraph)
            if runs.isdisjoint(seen):
                seen.update(runs)
                kept.append(paragraph)
                size += len(paragraph)
        if kept:
            found.append((source, kept))
    return found


def _cached_collect() -> list[tuple[str, list[str]]]:
    if CACHE.exists():
        with CACHE.open("rb") as handle:
            return pickle.load(handle)  # our own cache file
    found = collect()
    with CACHE.open("wb") as handle:
        pickle.dump(found, handle)
    return found


def documents(seed: int = 1) -> list[Document]:
    """Every source's paragraphs, in file order, cut into documents of 300-3,000 words (longer
    when a file ends soon after), between files unless one file is longer than that."""
    rng = random.Random(seed)
    result: list[Document] = []
    by_source: dict[str, list[tuple[int, str]]] = {}
    for number, (source, paragraphs) in enumerate(_cached_collect()):
        by_source.setdefault(source, []).extend((number, p) for p in paragraphs)
    for source, paragraphs in by_source.items():
        target, current, files, count = rng.randint(_MIN_WORDS, _MAX_WORDS), [], set(), 0
        pieces = [(n, piece) for n, p in paragraphs for piece in _pieces(p)]
        for (number, paragraph), following in itertools.zip_longest(pieces, pieces[1:]):
            current.append(paragraph)
            files.add(number)
            count += len(paragraph.split())
            file_ends = following is None or following[0] != number
            # Cut between files, so that a file's pieces share a document; inside one only
            # when the file alone is longer than a document.
            if count >= target and (file_ends or count >= _MAX_WORDS):
                result.append(Document(source, "\n\n".join(current), frozenset(files)))
                target, current, files, count = rng.randint(_MIN_WORDS, _MAX_WORDS), [], set(), 0
    return result


def split(
    docs: list[Document], registered: int, seed: int
) -> tuple[list[Document], list[Document]]:
    """``registered`` documents and the "unrelated" rest, with no source file on both sides: the
    pieces of one changelog or one manual go to one side, so that unrelated text is unrelated
    to what is registered, not another page of the same file. Groups of documents that share
    files are drawn at random until ``registered`` documents are taken."""
    groups: dict[int, list[Document]] = {}
    owner: dict[int, int] = {}  # file -> group it belongs to
    for number, document in enumerate(docs):
        joined = {owner[f] for f in document.files if f in owner}
        group = min(joined, default=number)
        members = groups.setdefault(group, [])
        for other in joined - {group}:
            members.extend(groups.pop(other))
        members.append(document)
        for member in members:
            owner.update(dict.fromkeys(member.files, group))
    shuffled = list(groups.values())
    random.Random(seed).shuffle(shuffled)
    chosen: list[Document] = []
    unrelated: list[Document] = []
    for members in shuffled:
        if len(chosen) < registered:
            chosen.extend(members[: registered - len(chosen)])  # the rest of a cut group: dropped
        else:
            unrelated.extend(members)
    return chosen, unrelated


def _pieces(paragraph: str, most: int = 300) -> Iterator[str]:
    """A paragraph, cut at line ends into pieces of about ``most`` words at most."""
    lines, count = [], 0
    for line in paragraph.splitlines():
        lines.append(line)
        count += len(line.split())
        if count >= most:
            yield "\n".join(lines)
            lines, count = [], 0
    if lines:
        yield "\n".join(lines)


def summary(docs: list[Document]) -> str:
    """A Markdown table: documents, words and MB per source."""
    rows = ["| source | documents | words | MB |", "|---|---:|---:|---:|"]
    for source in sorted({d.source for d in docs}):
        part = [d for d in docs if d.source == source]
        size = sum(len(d.text.encode()) for d in part) / 1e6
        rows.append(f"| {source} | {len(part)} | {sum(d.words for d in part)} | {size:.1f} |")
    size = sum(len(d.text.encode()) for d in docs) / 1e6
    rows.append(f"| all | {len(docs)} | {sum(d.words for d in docs)} | {size:.1f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    if "--refresh" in sys.argv:
        CACHE.unlink(missing_ok=True)
    print(summary(documents()))
