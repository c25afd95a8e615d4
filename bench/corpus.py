"""A generated mixed corpus for benchmarks: the kinds of files an outbox or a share holds."""

from __future__ import annotations

import functools
import io
import random
from pathlib import Path

from PIL import Image

from leaktrace.demo import corpus
from leaktrace.demo.builders import docx_bytes, email_bytes, pdf_bytes, tar_gz_bytes, zip_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORDS = " ".join([corpus.BRIEFING, corpus.HR_NOTE, corpus.NEWSLETTER]).split()


def prose(rng: random.Random, words: int) -> str:
    lines = []
    for start in range(0, words, 12):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(min(12, words - start))))
    return "\n".join(lines) + "\n"


def photo(rng: random.Random) -> bytes:
    image = Image.effect_noise((320, 240), 40).convert("RGB")
    exif = Image.Exif()
    exif[0x010E] = prose(rng, 8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=85)
    return buffer.getvalue()


def build(root: Path, scale: int = 1, seed: int = 2026) -> tuple[int, int]:
    """Write the corpus under ``root``; return (files, bytes). ``scale`` multiplies file counts."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    writers = {
        "txt": lambda: prose(rng, 20_000).encode(),
        "zip": lambda: zip_bytes({f"d/{i}.txt": prose(rng, 5_000).encode() for i in range(6)}),
        "tar.gz": lambda: tar_gz_bytes(
            {f"d/{i}.txt": prose(rng, 5_000).encode() for i in range(6)}
        ),
        "docx": lambda: docx_bytes(prose(rng, 15_000), "Report"),
        "pdf": lambda: pdf_bytes(prose(rng, 700)),
        "eml": lambda: email_bytes(
            "a@example.org",
            "b@example.org",
            "report",
            prose(rng, 500),
            [("r.docx", docx_bytes(prose(rng, 8_000)), DOCX)],
        ),
        "html": lambda: (  # noqa: PLW0108 - a fresh page per call
            "<html><body>"
            + "".join(f"<p>{line}</p>" for line in prose(rng, 10_000).splitlines())
            + "</body></html>"
        ).encode(),
        "jpg": functools.partial(photo, rng),
    }
    files = total = 0
    for kind, write in writers.items():
        for index in range(10 * scale):
            data = write()
            (root / f"{kind}-{index:04}.{kind}").write_bytes(data)
            files += 1
            total += len(data)
    return files, total
