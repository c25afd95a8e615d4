"""Concealment: content that lies about what it is, or hides other content.

This detector owns every ``concealment/*`` rule. It reports two of them itself:

- ``type-mismatch``: a name's extension disagrees with the content (a PDF named ``cat.jpg``, an
  executable named ``.pdf``, a zip named ``.txt``), decided by bytes (see ``filetypes.py``);
- ``encrypted`` for an encrypted Office document, which no extractor opens: an OLE file holding
  an ``EncryptedPackage`` stream (OOXML with a password), or a Word, Excel or PowerPoint
  97-2003 file whose own header says it is encrypted.

The others come as notices from the extractors and carvers that see the hiding:
``trailing-data``, ``embedded-file`` and ``polyglot`` (``extract/carve/``), ``encoded-payload``
(``extract/carve/encoded.py``), ``encrypted`` (zip, 7z, PDF, OpenDocument extractors). They are
declared here so that the policy knows them and so that their severities have one home
(:func:`severity_of`). ``stego`` is the pixel analysis of lossless images (``detect/stego.py``).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import olefile

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.detect import stego
from leaktrace.detect.filetypes import claim_label, claimed_families, extension, kind_of

NAME = "concealment"
RULES: tuple[Rule, ...] = (
    Rule(NAME, "type-mismatch", "A file's extension disagrees with its content", Severity.MEDIUM),
    Rule(
        NAME,
        "trailing-data",
        "Data after the logical end of a file, or before a zip appended to another file",
        Severity.MEDIUM,
    ),
    Rule(NAME, "embedded-file", "A file hidden inside another file", Severity.MEDIUM),
    Rule(NAME, "polyglot", "A file that is valid as two formats at once", Severity.HIGH),
    Rule(
        NAME,
        "encoded-payload",
        "A long base64, hex or quoted-printable blob in text that decodes to a file or to text",
        Severity.MEDIUM,
    ),
    Rule(
        NAME,
        "encrypted",
        "An encrypted container: its content cannot be inspected",
        Severity.MEDIUM,
    ),
    Rule(NAME, "stego", "Data hidden in an image's pixels (steganography)", Severity.MEDIUM),
)
_SEVERITIES = {rule.id: rule.severity for rule in RULES}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Legacy binary Office encryption ([MS-DOC] FibBase, [MS-XLS] FilePass, [MS-PPT] CurrentUserAtom)
_WORD_IDENT = 0xA5EC
_WORD_ENCRYPTED = 0x0100  # FibBase flags: fEncrypted
_WORD_OBFUSCATED = 0x8000  # fObfuscated: XOR obfuscation rather than RC4
_XLS_FILEPASS = 0x002F
_XLS_RECORDS = 64  # FilePass follows the globals' BOF at once; a few records of slack
_PPT_ENCRYPTED_TOKEN = 0xF3D1C4DF  # CurrentUserAtom.headerToken (0xE391C05F when in the clear)


def severity_of(rule_id: str) -> Severity:
    """The default severity of a concealment rule, for the notices of extractors and carvers."""
    return _SEVERITIES[rule_id]


class ConcealmentDetector(Detector):
    """Type mismatches, encrypted Office documents and pixel steganography; the home of every
    concealment rule."""

    name = NAME
    rules = RULES

    def detect(self, item: Item) -> Iterator[Finding]:
        yield from self._type_mismatch(item)
        yield from self._encrypted_office(item)
        yield from self.stego(item)

    def _type_mismatch(self, item: Item) -> Iterator[Finding]:
        name = item.lineage.name
        claimed = claimed_families(name)
        if claimed is None or not item.data:
            return
        kind = kind_of(item.media_type, item.data)
        if kind is None or kind.family in claimed:
            return
        if item.media_type == mediatypes.PDF and not item.data.startswith(b"%PDF-"):
            return  # text quoting a PDF header, or a polyglot (reported as such)
        yield self.finding(
            item,
            "type-mismatch",
            f"named as {claim_label(name)} but the content is {kind.label}",
            key=f"{extension(name)}:{kind.family}",
            details={"claimed": extension(name), "real": kind.label},
        )

    def _encrypted_office(self, item: Item) -> Iterator[Finding]:
        if not item.data.startswith(_OLE_MAGIC) or item.media_type == mediatypes.OUTLOOK_MSG:
            return
        try:
            ole = olefile.OleFileIO(io.BytesIO(item.data))
            try:
                found = _ole_encryption(ole)
            finally:
                ole.close()
        except Exception:  # not a readable compound file: nothing to say about encryption
            return
        if found is not None:
            key, what = found
            yield self.finding(item, "encrypted", f"{what}; not inspected", key=key)

    def stego(self, item: Item) -> Iterator[Finding]:
        """Steganography in a lossless image's pixels (``detect/stego.py``)."""
        if item.media_type not in _LOSSLESS_IMAGES:
            return
        estimate = _pixel_estimate(item.data)
        if estimate is None or estimate.score < stego.DEFAULT_THRESHOLD:
            return
        yield self.finding(
            item,
            "stego",
            f"pixels look like they hide data ({estimate.reason}): about "
            f"{estimate.rate:.2f} bits per pixel channel, {estimate.payload_bytes} bytes",
            key="stego",
            details={
                "method": estimate.reason,
                "score": round(estimate.score, 2),
                "rate": round(estimate.rate, 3),
                "payload_bytes": estimate.payload_bytes,
                "chi_square": round(estimate.chi_square, 4),
                "sample_pairs": round(estimate.sample_pairs, 3),
                "rs": round(estimate.rs, 3),
                "matching": round(estimate.matching, 3),
            },
        )


_LOSSLESS_IMAGES = frozenset({mediatypes.PNG, mediatypes.BMP, mediatypes.TIFF})


def _pixel_estimate(data: bytes) -> stego.StegoEstimate | None:
    """Decode and analyse an image's pixels; None when it cannot be (the image extractor
    reports undecodable images and pixel bombs)."""
    from leaktrace.extract.image import open_image  # here: only images pay for Pillow

    try:
        with open_image(data) as image:
            return stego.analyze_image(image)
    except (OSError, ValueError, SyntaxError, ItemError, Warning):
        return None


def _ole_encryption(ole: olefile.OleFileIO) -> tuple[str, str] | None:
    """(finding key, what is encrypted) for an encrypted Office compound file: an OOXML
    package wrapped in an ``EncryptedPackage``, or a Word, Excel or PowerPoint 97-2003 file
    whose own flags say it is encrypted (RC4 or XOR obfuscation)."""
    if ole.exists("EncryptedPackage"):
        return "ole-encrypted-package", "Office document is encrypted (OLE EncryptedPackage)"
    if ole.exists("WordDocument"):
        head = ole.openstream("WordDocument").read(12)
        if len(head) == 12:
            ident, flags = struct.unpack_from("<H", head)[0], struct.unpack_from("<H", head, 10)[0]
            if ident == _WORD_IDENT and flags & _WORD_ENCRYPTED:
                how = "XOR obfuscation" if flags & _WORD_OBFUSCATED else "RC4"
                return "doc-encrypted", f"Word 97-2003 document is encrypted ({how})"
    for name in ("Workbook", "Book"):
        if ole.exists(name) and _has_filepass(ole.openstream(name).read(1 << 16)):
            return "xls-filepass", "Excel 97-2003 workbook is encrypted (FilePass record)"
    if ole.exists("Current User"):
        atom = ole.openstream("Current User").read(16)
        if len(atom) == 16 and struct.unpack_from("<I", atom, 12)[0] == _PPT_ENCRYPTED_TOKEN:
            return "ppt-encrypted", "PowerPoint 97-2003 presentation is encrypted"
    return None


def _has_filepass(stream: bytes) -> bool:
    """Whether a BIFF stream's first records hold a FilePass (type, then length, 16 bits each)."""
    offset = 0
    for _ in range(_XLS_RECORDS):
        if offset + 4 > len(stream):
            return False
        kind, length = struct.unpack_from("<HH", stream, offset)
        if kind == _XLS_FILEPASS:
            return True
        offset += 4 + length
    return False
