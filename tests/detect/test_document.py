import hashlib
import random
from pathlib import Path

import pytest

from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.demo import corpus
from leaktrace.demo.builders import docx_bytes, email_bytes, pdf_bytes, zip_bytes
from leaktrace.protect.fingerprint import Params, fingerprint
from leaktrace.protect.index import IndexedDocument, build_index

REPORT = corpus.BRIEFING
DRAWING = bytes(random.Random(5).randrange(256) for _ in range(4096))
FILLER = " ".join(
    random.Random(9).choice(corpus.NEWSLETTER.split()) for _ in range(400)
)  # unrelated prose


@pytest.fixture
def index_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    documents = [
        IndexedDocument(
            1,
            "kestrel-briefing.docx",
            "board",
            hashlib.sha256(b"x").hexdigest(),
            len(REPORT.split()),
            fingerprint(REPORT).unique_hashes(),
        ),
        IndexedDocument(
            2,
            "salary-notes.txt",
            None,
            hashlib.sha256(b"y").hexdigest(),
            len(corpus.HR_NOTE.split()),
            fingerprint(corpus.HR_NOTE).unique_hashes(),
        ),
        IndexedDocument(
            3,
            "bracket.dwg",
            None,
            hashlib.sha256(DRAWING).hexdigest(),
            0,
            fingerprint("").unique_hashes(),
        ),
    ]
    build_index(folder, documents, [], Params())
    return folder


def scan(registry: Registry, folder: Path, name: str, data: bytes) -> list:  # type: ignore[type-arg]
    policy = Policy().with_detector_defaults("document", {"index": str(folder)})
    return [
        f
        for f in Scanner(registry, policy).scan_bytes(name, data).findings
        if f.detector == "document"
    ]


def excerpt(words: int, start: int = 20) -> str:
    return " ".join(REPORT.split()[start : start + words])


def test_a_reformatted_excerpt_inside_other_text_is_found(
    registry: Registry, index_folder: Path
) -> None:
    quoted = excerpt(60).upper().replace(" ", "\n", 7)
    text = f"{FILLER}\n\n“{quoted}”\n\n{FILLER}\n"
    [finding] = scan(registry, index_folder, "blog-draft.md", text.encode())
    assert finding.rule == "excerpt"
    details = finding.details
    assert details["document"] == "kestrel-briefing.docx"
    assert details["document_id"] == 1
    assert details["label"] == "board"
    assert 50 <= details["matched_words"] <= 62  # a neighbouring filler word may coincide
    assert 0.1 < details["coverage"] < 0.5
    first_line = text[: text.index("“")].count("\n") + 1
    [[start, end]] = details["lines"]
    assert first_line <= start <= end <= first_line + 8
    assert finding.line == start
    assert "Kestrel" not in finding.message and "Kestrel" not in str(finding.evidence)


def test_an_edited_excerpt_is_still_found(registry: Registry, index_folder: Path) -> None:
    words = excerpt(80).split()
    for position in range(4, len(words), 10):  # one word in ten replaced
        words[position] = "changed"
    findings = scan(registry, index_folder, "mail.txt", " ".join(words).encode())
    assert [f.details["document_id"] for f in findings] == [1]


def test_the_whole_document_through_containers(registry: Registry, index_folder: Path) -> None:
    mail = email_bytes(
        "a@example.org",
        "b@example.org",
        "fwd",
        "see attached",
        [("board.zip", zip_bytes({"pack/briefing.docx": docx_bytes(REPORT)}), "application/zip")],
    )
    [finding] = scan(registry, index_folder, "out/msg.eml", mail)
    assert finding.path == "out/msg.eml!board.zip!pack/briefing.docx"
    assert finding.details["coverage"] > 0.95
    [pdf] = scan(registry, index_folder, "notes.pdf", pdf_bytes(corpus.HR_NOTE))
    assert pdf.details["document"] == "salary-notes.txt"


def test_exact_copies_of_binary_files(registry: Registry, index_folder: Path) -> None:
    [finding] = scan(registry, index_folder, "cad/part.bin", DRAWING)
    assert (finding.rule, finding.details["document"]) == ("exact-copy", "bracket.dwg")
    assert scan(registry, index_folder, "cad/other.bin", DRAWING[:-1]) == []


@pytest.mark.parametrize("words", [8, 12])
def test_short_or_unrelated_text_raises_nothing(
    registry: Registry, index_folder: Path, words: int
) -> None:
    assert scan(registry, index_folder, "a.txt", FILLER.encode()) == []
    assert scan(registry, index_folder, "b.txt", excerpt(words).encode()) == []


def test_no_registry_no_document_findings(registry: Registry, tmp_path: Path) -> None:
    assert scan(registry, tmp_path / "never-built", "a.txt", REPORT.encode()) == []
    empty = tmp_path / "empty"
    build_index(empty, [], [], Params())
    assert scan(registry, empty, "a.txt", REPORT.encode()) == []


def test_a_repeated_common_phrase_is_not_an_excerpt(registry: Registry, tmp_path: Path) -> None:
    registered = (
        "Quarterly plan. Output changes depending on the state of the pump controller alone."
    )
    folder = tmp_path / "index"
    build_index(
        folder,
        [
            IndexedDocument(
                1, "plan.txt", None, "0" * 64, 13, fingerprint(registered).unique_hashes()
            )
        ],
        [],
        Params(),
    )
    scanned = (
        "Tabs change color depending on the state of the editor.\n"
        "Icons also change depending on the state of the network.\n"
    ) * 3
    assert scan(registry, folder, "notes.txt", scanned.encode()) == []


def test_scattered_short_shared_runs_are_not_an_excerpt(
    registry: Registry, index_folder: Path
) -> None:
    """Three 10-word runs of the report, each alone among unrelated paragraphs (an author line
    here, a stock sentence there) share prints, but never densely enough in one place."""
    filler = FILLER.split()
    pieces = []
    for n, start in enumerate((20, 90, 160)):
        pieces += [excerpt(10, start), " ".join(filler[n * 100 : n * 100 + 100])]
    assert scan(registry, index_folder, "scattered.txt", "\n\n".join(pieces).encode()) == []


@pytest.mark.parametrize("start", range(0, 60, 7))
def test_one_shared_run_of_18_words_is_always_found(
    registry: Registry, index_folder: Path, start: int
) -> None:
    text = f"{FILLER[:300]}\n{excerpt(18, start)}\n{FILLER[-300:]}"
    [finding] = scan(registry, index_folder, "quote.txt", text.encode())
    assert finding.details["document"] == "kestrel-briefing.docx"
    assert finding.details["lines"] == [[2, 2]]


def test_an_exact_copy_larger_than_the_size_limit_is_still_recognized(
    registry: Registry, index_folder: Path, tmp_path: Path
) -> None:
    """Only the first bytes of a huge file are inspected, but the whole file is hashed."""
    from leaktrace.core.limits import Limits
    from leaktrace.core.sources import Source

    copy = tmp_path / "video.bin"
    copy.write_bytes(DRAWING)
    policy = Policy(limits=Limits(max_file_bytes=1000)).with_detector_defaults(
        "document", {"index": str(index_folder)}
    )
    report = Scanner(registry, policy).scan_source(Source(str(copy), copy))
    rules = sorted((f.detector, f.rule) for f in report.findings)
    assert rules == [("document", "exact-copy"), ("limit", "file-size")]
    truncated = tmp_path / "other.bin"
    truncated.write_bytes(DRAWING[:-1])
    report = Scanner(registry, policy).scan_source(Source(str(truncated), truncated))
    assert [f.detector for f in report.findings] == ["limit"]
