"""Registering photos and videos into the store (SQLite and PostgreSQL) and the index."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from leaktrace.core.errors import StoreError
from leaktrace.media.index import MediaIndex
from leaktrace.media.prints import unpack
from leaktrace.media.registry import ADDED, DUPLICATE, ERROR, rebuild_media_index, register_media
from leaktrace.store import Store
from leaktrace.store.media import MediaStore, NewMedia
from tests.media.scenes import clip_frames, encoded, scene, video


def exif_jpeg(pixels: np.ndarray, serial: str) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA431] = serial  # BodySerialNumber
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "photo": encoded(scene(31), quality=92),
        "png": encoded(scene(32), "PNG"),
        "camera": exif_jpeg(scene(33), "CAM-0042"),
        "video": video(clip_frames(34, 20)),
        "broken": encoded(scene(35))[:300],
        "empty": b"",
    }
    paths = {}
    for name, data in made.items():
        paths[name] = tmp_path / f"{name}.bin"
        paths[name].write_bytes(data)
    return paths


def test_register_list_index_remove(store: Store, files: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "media-index"
    order = ["photo", "png", "camera", "video", "broken", "empty"]
    results = register_media(
        store, [files[n] for n in order], label="lab", name=None, index_folder=folder
    )
    assert [r.status for r in results] == [ADDED] * 4 + [ERROR] * 2
    assert "cannot be decoded" in results[4].message and "empty" in results[5].message
    assert results[3].kind == "video" and results[3].frames == 4

    media = MediaStore(store)
    listed = media.list()
    assert [m.name for m in listed] == ["photo.bin", "png.bin", "camera.bin", "video.bin"]
    photo, png, camera, clip = listed
    assert (photo.kind, photo.media_type, photo.width, photo.height) == (
        "image",
        "image/jpeg",
        480,
        360,
    )
    assert png.media_type == "image/png" and photo.label == "lab"
    assert camera.camera_serial == "CAM-0042"
    assert clip.media_type == "video/mp4" and clip.frame_count == 4 and clip.duration_ms
    assert len(photo.pdq) == 64 and photo.feature_count > 100
    assert media.get(photo.id) == photo and media.by_sha256(photo.sha256) == photo

    index = MediaIndex.open(folder)
    assert index is not None
    assert [m.id for m in index.media] == [m.id for m in listed]
    assert index.media[2].camera_serial == "CAM-0042"
    prints = [unpack(blob) for _, blob in media.iter_prints()]
    assert prints[3].frame_count == 4 and prints[0].frame_count == 1

    again = register_media(store, [files["photo"]], label=None, name="x", index_folder=folder)
    assert again[0].status == DUPLICATE and again[0].media_id == photo.id

    assert media.remove(png.id) and not media.remove(png.id)
    rebuild_media_index(store, folder)
    reopened = MediaIndex.open(folder)
    assert reopened is not None and [m.name for m in reopened.media] == [
        "photo.bin",
        "camera.bin",
        "video.bin",
    ]


def test_the_same_content_twice_is_refused_by_the_store(store: Store) -> None:
    media = MediaStore(store)
    new = NewMedia(
        name="a",
        label=None,
        kind="image",
        media_type="image/png",
        size=1,
        sha256="c" * 64,
        width=1,
        height=1,
        duration_ms=None,
        frame_count=1,
        feature_count=0,
        pdq="0" * 64,
        camera_serial=None,
        source="/a",
    )
    media.add(new, b"x")
    with pytest.raises(StoreError, match="already registered"):
        media.add(new, b"x")
    with pytest.raises(ValueError, match="kind"):
        NewMedia(**{**new.__dict__, "kind": "audio"})
