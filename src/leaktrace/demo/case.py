"""Builds the demo case on disk: `documents/` (what the organization owns) and `outbox/`."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from leaktrace.demo import corpus
from leaktrace.demo.builders import (
    docx_bytes,
    email_bytes,
    nested_zip,
    pdf_bytes,
    tar_gz_bytes,
    zip_bytes,
)


def photo_with_caption(caption: str) -> bytes:
    """A small JPEG whose EXIF description carries ``caption`` (as phones and editors do)."""
    image = Image.new("RGB", (64, 48), (90, 120, 160))
    exif = Image.Exif()
    exif[0x010E] = caption  # ImageDescription
    exif[0x010F] = "Harbor Lane phone"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=80)
    return buffer.getvalue()


def build_case(root: Path) -> dict[str, Path]:
    """Write the case under ``root``; return the folders it made."""
    documents = root / "documents"
    outbox = root / "outbox"
    documents.mkdir(parents=True, exist_ok=True)
    outbox.mkdir(parents=True, exist_ok=True)
    briefing_docx = docx_bytes(corpus.BRIEFING, corpus.BRIEFING_TITLE, "Programme office")

    (documents / "kestrel-briefing.docx").write_bytes(briefing_docx)
    (documents / "salary-review-notes.txt").write_text(corpus.HR_NOTE, encoding="utf-8")
    (documents / "newsletter.txt").write_text(corpus.NEWSLETTER, encoding="utf-8")

    # A board pack forwarded to a private address, the briefing attached as a Word file.
    (outbox / "msg1.eml").write_bytes(
        email_bytes(
            "alex.morgan@harborlane.example",
            "sam.k@private-mail.example",
            "fwd: board pack",
            corpus.FORWARD_NOTE,
            [
                (
                    "kestrel-briefing.docx",
                    briefing_docx,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            ],
        )
    )
    # Deployment notes with live credentials, zipped with a key and uploaded.
    (outbox / "upload.zip").write_bytes(
        zip_bytes(
            {
                "telemetry/deploy-notes.yaml": corpus.DEPLOY_NOTES.encode(),
                "telemetry/id_ed25519": corpus.DEPLOY_KEY.encode(),
            }
        )
    )
    # The HR note printed to PDF and tucked into a tarball named like a photo album.
    (outbox / "holiday-photos.tar.gz").write_bytes(
        tar_gz_bytes(
            {
                "album/notes.pdf": pdf_bytes(corpus.HR_NOTE),
                "album/beach.jpg": photo_with_caption("Whiteboard, room 4.12 - internal use only"),
            }
        )
    )
    # A file whose name lies about what it is.
    (outbox / "readme.txt").write_bytes(zip_bytes({"board/briefing.docx": briefing_docx}))
    # Something that cannot be fully inspected: nested deeper than the limit allows.
    (outbox / "matryoshka.zip").write_bytes(nested_zip(b"deep inside\n", 16))
    # A paragraph of the briefing, retyped into a personal blog draft.
    (outbox / "blog-draft.md").write_text(corpus.BLOG_DRAFT, encoding="utf-8")
    # Harmless mail that must stay quiet.
    (outbox / "newsletter.eml").write_bytes(
        email_bytes(
            "comms@harborlane.example",
            "all-staff@harborlane.example",
            "Community newsletter",
            corpus.NEWSLETTER,
        )
    )
    return {"documents": documents, "outbox": outbox}
