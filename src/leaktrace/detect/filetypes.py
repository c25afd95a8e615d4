"""What a file claims to be (its name's extension) and what it is (its bytes), as families.

A family is a coarse kind that a user would name: ``image``, ``pdf``, ``zip`` (any zip-based
package), ``docx``, ``text`` (any text: plain, HTML, mail, source code), ``exe``, ``media``,
``font``... A claim and a content agree when the content's family is one the extension allows;
every raster image format is one family (a PNG saved as ``.jpg`` is common and harmless).

The registry's identification decides first; for bytes it leaves as ``application/octet-stream``
a compact table of magic numbers names the kinds LeakTrace has no extractor for (executables,
audio and video, fonts, legacy Office, RAR, SQLite).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from leaktrace.core import mediatypes


@dataclass(frozen=True, slots=True)
class Kind:
    """A content kind: its family and a label for messages ("PE executable")."""

    family: str
    label: str


# -- content: media type → kind ------------------------------------------------------------------

_MEDIA_KINDS: dict[str, Kind] = {
    mediatypes.JPEG: Kind("image", "JPEG image"),
    mediatypes.PNG: Kind("image", "PNG image"),
    mediatypes.GIF: Kind("image", "GIF image"),
    mediatypes.TIFF: Kind("image", "TIFF image"),
    mediatypes.WEBP: Kind("image", "WebP image"),
    mediatypes.BMP: Kind("image", "BMP image"),
    mediatypes.PDF: Kind("pdf", "PDF document"),
    mediatypes.ZIP: Kind("zip", "zip archive"),
    mediatypes.DOCX: Kind("docx", "Word document (docx)"),
    mediatypes.XLSX: Kind("xlsx", "Excel workbook (xlsx)"),
    mediatypes.PPTX: Kind("pptx", "PowerPoint presentation (pptx)"),
    mediatypes.ODT: Kind("odt", "OpenDocument text"),
    mediatypes.ODS: Kind("ods", "OpenDocument spreadsheet"),
    mediatypes.ODP: Kind("odp", "OpenDocument presentation"),
    mediatypes.SEVEN_ZIP: Kind("7z", "7z archive"),
    mediatypes.TAR: Kind("tar", "tar archive"),
    mediatypes.AR: Kind("ar", "ar archive (Debian package or static library)"),
    mediatypes.GZIP: Kind("gzip", "gzip stream"),
    mediatypes.BZIP2: Kind("bzip2", "bzip2 stream"),
    mediatypes.XZ: Kind("xz", "xz stream"),
    mediatypes.TEXT: Kind("text", "text"),
    mediatypes.HTML: Kind("text", "HTML"),
    mediatypes.EMAIL: Kind("text", "e-mail message"),
    mediatypes.MBOX: Kind("text", "mailbox"),
    mediatypes.RTF: Kind("rtf", "RTF document"),
    mediatypes.OUTLOOK_MSG: Kind("outlook", "Outlook message"),
}
_ZIP_PACKAGES = frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"})


def kind_of(media_type: str, data: bytes) -> Kind | None:
    """The kind of content, or ``None`` when neither the registry nor a magic number knows it."""
    known = _MEDIA_KINDS.get(media_type)
    if known is not None:
        return known
    return magic_kind(data[:4096])


def magic_kind(head: bytes) -> Kind | None:
    """Kinds the registry has no extractor for, from their magic numbers."""
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    if head[:2] == b"MZ" and len(head) >= 64:
        start = struct.unpack_from("<I", head, 0x3C)[0]
        if head[start : start + 4] == b"PE\x00\x00":
            return Kind("exe", "PE executable")
        return Kind("exe", "DOS executable")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"avif", b"avis"):
            return Kind("image", "HEIF/AVIF image")
        return Kind("media", "MP4/QuickTime media")
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI ", b"RMID"):
        return Kind("media", "RIFF audio/video")
    if head[:4] == b"\x00\x01\x00\x00" and len(head) >= 12:
        tables = struct.unpack_from(">H", head, 4)[0]
        if 4 <= tables <= 64:  # a TrueType font's table directory
            return Kind("font", "TrueType font")
    return None


_PREFIXES: tuple[tuple[bytes, Kind], ...] = (
    (b"\x7fELF", Kind("exe", "ELF executable")),
    (b"\xcf\xfa\xed\xfe", Kind("exe", "Mach-O executable")),
    (b"\xce\xfa\xed\xfe", Kind("exe", "Mach-O executable")),
    (b"\xfe\xed\xfa\xcf", Kind("exe", "Mach-O executable")),
    (b"\xfe\xed\xfa\xce", Kind("exe", "Mach-O executable")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Kind("ole", "OLE compound file (legacy Office)")),
    (b"Rar!\x1a\x07", Kind("rar", "RAR archive")),
    (b"SQLite format 3\x00", Kind("sqlite", "SQLite database")),
    (b"ID3", Kind("media", "MP3 audio")),
    (b"fLaC", Kind("media", "FLAC audio")),
    (b"OggS", Kind("media", "Ogg media")),
    (b"\x1aE\xdf\xa3", Kind("media", "Matroska/WebM video")),
    (b"OTTO", Kind("font", "OpenType font")),
    (b"ttcf", Kind("font", "TrueType collection")),
    (b"wOFF", Kind("font", "WOFF font")),
    (b"wOF2", Kind("font", "WOFF2 font")),
)


# -- claims: extension → families ----------------------------------------------------------------


def _claims(families: frozenset[str], *extensions: str) -> dict[str, frozenset[str]]:
    return dict.fromkeys(extensions, families)


_TEXT = frozenset({"text"})
_CLAIMS: dict[str, frozenset[str]] = {
    **_claims(frozenset({"image"}), "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib"),
    **_claims(frozenset({"image"}), "tif", "tiff", "webp", "heic", "avif"),
    **_claims(frozenset({"pdf"}), "pdf"),
    **_claims(_ZIP_PACKAGES, "zip", "jar", "war", "ear", "apk", "whl", "egg", "epub", "xpi"),
    **_claims(_ZIP_PACKAGES, "nupkg", "ipa", "aar", "kmz", "cbz", "pyz", "vsix"),
    # An encrypted OOXML document is an OLE file (its package is the EncryptedPackage stream).
    **_claims(frozenset({"docx", "ole"}), "docx", "docm", "dotx", "dotm"),
    **_claims(frozenset({"xlsx", "ole"}), "xlsx", "xlsm", "xltx", "xltm"),
    **_claims(frozenset({"pptx", "ole"}), "pptx", "pptm", "potx", "ppsx"),
    **_claims(frozenset({"odt"}), "odt", "ott"),
    **_claims(frozenset({"ods"}), "ods", "ots"),
    **_claims(frozenset({"odp"}), "odp", "otp"),
    **_claims(frozenset({"7z"}), "7z"),
    **_claims(frozenset({"tar"}), "tar"),
    **_claims(frozenset({"ar"}), "deb", "udeb", "ipk", "a"),
    **_claims(frozenset({"gzip"}), "gz", "tgz", "svgz"),
    **_claims(frozenset({"bzip2"}), "bz2", "tbz2", "tbz"),
    **_claims(frozenset({"xz"}), "xz", "txz"),
    **_claims(frozenset({"rar"}), "rar"),
    **_claims(_TEXT, "txt", "text", "md", "rst", "csv", "tsv", "log", "json", "xml", "yaml"),
    **_claims(_TEXT, "yml", "ini", "cfg", "conf", "toml", "html", "htm", "xhtml", "svg", "eml"),
    **_claims(_TEXT, "mbox", "py", "js", "css", "sh", "c", "h", "java", "sql"),
    **_claims(frozenset({"rtf"}), "rtf"),
    **_claims(frozenset({"outlook", "ole", "text"}), "msg"),  # also Tcl/gettext catalogs
    **_claims(frozenset({"ole", "rtf", "text"}), "doc", "dot", "xls"),
    **_claims(frozenset({"ole"}), "ppt", "pps", "msi"),
    **_claims(frozenset({"exe"}), "exe", "dll", "sys", "scr", "ocx"),  # a .so may be a script
    **_claims(frozenset({"media"}), "mp3", "wav", "flac", "ogg", "oga", "opus", "m4a", "aac"),
    **_claims(frozenset({"media"}), "mp4", "m4v", "mov", "mkv", "webm", "avi", "ogv"),
    **_claims(frozenset({"font"}), "ttf", "otf", "ttc", "woff", "woff2"),
}
# How a message names a claim, in order of preference when an extension allows several.
_DESCRIPTIONS = (
    ("docx", "a Word document"),
    ("xlsx", "an Excel workbook"),
    ("pptx", "a PowerPoint presentation"),
    ("outlook", "an Outlook message"),
    ("image", "an image"),
    ("pdf", "a PDF document"),
    ("zip", "a zip archive"),
    ("exe", "an executable"),
    ("media", "audio or video"),
    ("font", "a font"),
    ("ole", "a legacy Office file"),
    ("text", "text"),
)


def extension(name: str) -> str | None:
    """The lower-case extension of a member's base name (``None`` without one)."""
    base = name.rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    return suffix.lower() if dot and stem and suffix else None


def claimed_families(name: str) -> frozenset[str] | None:
    """The families a name's extension allows, or ``None`` when the extension says nothing."""
    suffix = extension(name)
    return _CLAIMS.get(suffix) if suffix else None


def claim_label(name: str) -> str:
    """How a message names the claim: ``.jpg (an image)``."""
    suffix = extension(name) or ""
    families = _CLAIMS.get(suffix, frozenset())
    described = [text for family, text in _DESCRIPTIONS if family in families]
    return f".{suffix} ({described[0]})" if described else f".{suffix}"
