"""The media type names extractors agree on (IANA names where one exists)."""

from __future__ import annotations

TEXT = "text/plain"
HTML = "text/html"
EMAIL = "message/rfc822"
MBOX = "application/mbox"
OUTLOOK_MSG = "application/vnd.ms-outlook"
ZIP = "application/zip"
TAR = "application/x-tar"
GZIP = "application/gzip"
BZIP2 = "application/x-bzip2"
XZ = "application/x-xz"
SEVEN_ZIP = "application/x-7z-compressed"
PDF = "application/pdf"
RTF = "application/rtf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
TIFF = "image/tiff"
WEBP = "image/webp"
BMP = "image/bmp"
OCTET_STREAM = "application/octet-stream"

OFFICE_PACKAGES = frozenset({DOCX, XLSX, PPTX, ODT, ODS, ODP})
"""Office documents that are zip packages of XML parts."""
ZIP_PACKAGES = OFFICE_PACKAGES | {ZIP}
