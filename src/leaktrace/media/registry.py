"""Registering photos and videos: a file's frames become hashes in the store, then the index.

    file ─► SHA-256, kind from the bytes ─► decode (bounded) ─► MediaPrint ─► store ─► index

One file's problem is that file's :class:`MediaRegistration` (status ``error``), never an
exception that stops the others.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leaktrace.core.errors import ItemError, os_error_reason
from leaktrace.media.decode import decode_image, media_kind, media_type_of
from leaktrace.media.index import IndexedMedia, build_index
from leaktrace.media.pdq import to_hex
from leaktrace.media.prints import MediaPrint, image_print, pack, unpack
from leaktrace.media.video import REGISTER, read_video, video_print
from leaktrace.store import Store
from leaktrace.store.media import MediaStore, NewMedia

ADDED, DUPLICATE, ERROR = "added", "duplicate", "error"
MAX_MEDIA_BYTES = 4 << 30
_HEAD = 4096


@dataclass(frozen=True)
class MediaRegistration:
    """What became of one photo or video: ``added``, ``duplicate`` or ``error``."""

    path: str
    status: str
    media_id: int | None = None
    message: str = ""
    name: str | None = None
    kind: str | None = None
    frames: int = 0
    features: int = 0


def sniff_file(path: Path) -> str | None:
    """``"image"`` or ``"video"`` when the file's first bytes say so, else ``None``."""
    try:
        with open(path, "rb") as handle:
            return media_kind(handle.read(_HEAD))
    except OSError:
        return None


def register_media(
    store: Store,
    paths: Sequence[Path],
    *,
    label: str | None,
    name: str | None,
    index_folder: Path,
) -> list[MediaRegistration]:
    """Register every photo or video file in ``paths``, then rebuild the index."""
    media = MediaStore(store)
    results = [_register(media, path, label, name) for path in paths]
    if any(result.status == ADDED for result in results):
        rebuild_media_index(store, index_folder)
    return results


def rebuild_media_index(store: Store, index_folder: Path) -> None:
    """Write a new media index from every registered photo and video in the store."""
    build_index(index_folder, _entries(MediaStore(store)))


def _entries(media: MediaStore) -> Iterator[tuple[IndexedMedia, MediaPrint]]:
    for summary, blob in media.iter_prints():
        entry = IndexedMedia(
            summary.id,
            summary.name,
            summary.label,
            summary.kind,
            summary.sha256,
            summary.camera_serial,
        )
        yield entry, unpack(blob)


def _register(
    media: MediaStore, path: Path, label: str | None, name: str | None
) -> MediaRegistration:
    shown = str(path)
    try:
        data = _read(path)
    except (OSError, ItemError) as error:
        reason = os_error_reason(error) if isinstance(error, OSError) else str(error)
        return MediaRegistration(shown, ERROR, message=f"cannot read: {reason}")
    sha256 = hashlib.sha256(data).hexdigest()
    existing = media.by_sha256(sha256)
    if existing is not None:
        message = f"same content as #{existing.id} {existing.name}"
        return MediaRegistration(shown, DUPLICATE, existing.id, message, existing.name)
    kind = media_kind(data[:_HEAD])
    if kind is None:
        return MediaRegistration(shown, ERROR, message="not an image or video format")
    try:
        new, printed = _hash(data, kind, shown, label, name or os.path.basename(shown), sha256)
    except ItemError as error:  # corrupt, or a decompression bomb
        return MediaRegistration(shown, ERROR, message=str(error))
    media_id = media.add(new, pack(printed))
    return MediaRegistration(
        shown,
        ADDED,
        media_id,
        name=new.name,
        kind=kind,
        frames=printed.frame_count,
        features=printed.feature_count,
    )


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise ItemError("empty file")
    if size > MAX_MEDIA_BYTES:
        raise ItemError(f"larger than {MAX_MEDIA_BYTES} bytes")
    return path.read_bytes()


def _hash(
    data: bytes, kind: str, source: str, label: str | None, name: str, sha256: str
) -> tuple[NewMedia, MediaPrint]:
    duration = None
    if kind == "image":
        pixels = decode_image(data)
        printed = image_print(pixels)
        width, height = _original_size(data, pixels.shape[1], pixels.shape[0])
        media_type, serial = _image_facts(data)
    else:
        video = read_video(data, REGISTER)
        printed = video_print(video, REGISTER)
        width, height, duration = video.width, video.height, video.duration_ms
        media_type, serial = media_type_of(data) or "video", None
    new = NewMedia(
        name=name,
        label=label,
        kind=kind,
        media_type=media_type,
        size=len(data),
        sha256=sha256,
        width=width,
        height=height,
        duration_ms=duration,
        frame_count=printed.frame_count,
        feature_count=printed.feature_count,
        pdq=to_hex(printed.pdq[0]),
        camera_serial=serial,
        source=os.path.abspath(source),
    )
    return new, printed


def _original_size(data: bytes, width: int, height: int) -> tuple[int, int]:
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width, image.height
    except Exception:  # decoded already, so this does not happen; keep the working size
        return width, height


def _image_facts(data: bytes) -> tuple[str, str | None]:
    """The image's media type and its camera's serial number (EXIF), read as a scan would."""
    from leaktrace.core.item import Item
    from leaktrace.core.limits import Budget, Limits
    from leaktrace.core.lineage import Lineage
    from leaktrace.core.plugin import ExtractContext
    from leaktrace.extract.image import ImageMetadataExtractor

    media_type = media_type_of(data) or "image/heif"
    try:
        extraction = ImageMetadataExtractor().extract(
            Item(Lineage.root("registered"), data, media_type),
            ExtractContext(Budget(Limits())),
        )
    except ItemError:
        return media_type, None
    return media_type, extraction.metadata.get("camera_serial")
