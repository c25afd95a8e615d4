"""Mutation fuzzing of the whole pipeline: seed files of every format, mutated, scanned.

A mutated file must give a clear outcome: findings, possibly `error`/`limit` ones. What counts
as a failure: an exception out of ``Scanner.scan_bytes``, a detector or carver that raises (the
pipeline reports it as "detector X failed" / "carver X failed"), or an input that takes longer
than the per-file time limit. Extractors may fail on corrupt input, but only by their own
translated errors; an untranslated exception type is counted and listed as well.
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from leaktrace.core.pipeline import Scanner
from leaktrace.demo import carriers, corpus
from leaktrace.demo.builders import docx_bytes, email_bytes, pdf_bytes, tar_gz_bytes, zip_bytes

_INTERESTING = (b"\x00", b"\xff", b"\x7f", b"\x80", b"\xff\xff\xff\xff", b"\x00\x00\x00\x80")


def seeds(rng: random.Random) -> list[tuple[str, bytes]]:
    """One file of every format the pipeline reads, plus every concealment carrier."""
    text = corpus.BRIEFING
    files = [
        ("briefing.txt", text.encode()),
        ("briefing.utf16.txt", text.encode("utf-16")),
        (
            "page.html",
            f"<html><body><p>{text}</p><img src='data:text/plain,hi'></body></html>".encode(),
        ),
        ("note.rtf", b"{\\rtf1\\ansi " + text.encode() + b"}"),
        ("briefing.docx", docx_bytes(text, title="Kestrel")),
        ("briefing.pdf", pdf_bytes(text)),
        (
            "mail.eml",
            email_bytes(
                "a@x.test", "b@y.test", "hi", text, [("b.pdf", pdf_bytes(text), "application/pdf")]
            ),
        ),
        ("bundle.zip", zip_bytes({"a.txt": text.encode(), "b.docx": docx_bytes(text)})),
        ("notes.gz", gzip.compress(text.encode())),
        ("bundle.tar.gz", tar_gz_bytes({"a.txt": text.encode()})),
    ]
    files += [(s.name, s.data) for s in carriers.samples(rng)]
    return files


def mutate(data: bytes, rng: random.Random, donors: list[bytes]) -> bytes:
    """One to four random edits: flips, interesting values, inserts, deletes, copies,
    truncation, or a splice of another seed."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out += rng.randbytes(16)
        at = rng.randrange(len(out))
        span = rng.randint(1, max(1, min(64, len(out) - at)))
        match rng.randrange(7):
            case 0:
                out[at] ^= 1 << rng.randrange(8)
            case 1:
                value = rng.choice(_INTERESTING)
                out[at : at + len(value)] = value
            case 2:
                out[at:at] = rng.randbytes(span)
            case 3:
                del out[at : at + span]
            case 4:
                out[at:at] = out[at : at + span] * rng.randint(2, 8)
            case 5:
                del out[at:]
            case _:
                donor = rng.choice(donors)
                start = rng.randrange(len(donor)) if donor else 0
                out[at:] = donor[start:]
    return bytes(out)


@dataclass
class FuzzResult:
    executions: int = 0
    failures: list[str] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    slowest: float = 0.0


def inputs(executions: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """The mutated inputs, reproducibly (name, bytes)."""
    rng = random.Random(seed)
    corpus_files = seeds(rng)
    donors = [data for _, data in corpus_files]
    for number in range(executions):
        name, data = corpus_files[number % len(corpus_files)]
        yield f"{number}-{name}", mutate(data, rng, donors)


def check(scanner: Scanner, name: str, data: bytes, result: FuzzResult) -> None:
    """Scan one input and record what went wrong, if anything."""
    start = time.perf_counter()
    try:
        report = scanner.scan_bytes(name, data)
    except Exception as error:  # the failure the fuzzing looks for
        result.failures.append(f"{name}: scan raised {type(error).__name__}: {error}")
        return
    finally:
        result.executions += 1
        result.slowest = max(result.slowest, time.perf_counter() - start)
    for finding in report.findings:
        if finding.rule == "corrupt" and (
            " detector " in f" {finding.message}" or "carver" in finding.message
        ):
            result.failures.append(f"{name}: {finding.message}")
        elif finding.rule == "corrupt" and "failed on" in finding.message:
            kind = finding.message.split(": ")[1] if ": " in finding.message else "?"
            result.untranslated[kind] = result.untranslated.get(kind, 0) + 1
        elif finding.detector == "limit" and finding.rule == "time":
            result.failures.append(f"{name}: hit the time limit")
