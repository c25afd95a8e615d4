"""What is kept of a registered photo or video: hashes and features, never pixels.

A :class:`MediaPrint` holds two PDQ hashes per sampled frame (one frame for a photo: of its
luminance and of its peak channel, see ``pdq.py``) and the ORB
features of the frames that have them (a photo's one frame; see ``video.py`` for videos),
packed for the store as a compressed ``.npz`` (never pickled).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.media import features
from leaktrace.media.decode import RGB, decode_image
from leaktrace.media.pdq import Pdq, Words, pdq_words, peak

_WIRE = {
    "pdq": "<u8",
    "quality": "u1",
    "peak": "<u8",
    "peak_quality": "u1",
    "times_ms": "<i8",
    "points": "<f4",
    "descriptors": "u1",
    "feature_frames": "<i4",
    "sizes": "<i4",
}


@dataclass(frozen=True)
class MediaPrint:
    """Hashes of one registered image or video.

    ``pdq`` is ``(frames, 4)`` words with ``quality`` and ``times_ms`` per frame (0 for a
    photo); ``peak`` and ``peak_quality`` the same for the peak channel (quality 0 in prints
    stored before it was kept: never matched). ``points``/``descriptors`` are the ORB
    features, each row belonging to frame ``feature_frames[i]``; ``sizes`` is the working
    width and height of each frame.
    """

    pdq: Words
    quality: npt.NDArray[np.uint8]
    peak: Words
    peak_quality: npt.NDArray[np.uint8]
    times_ms: npt.NDArray[np.int64]
    points: features.Points
    descriptors: features.Descriptors
    feature_frames: npt.NDArray[np.int32]
    sizes: npt.NDArray[np.int32]

    @property
    def frame_count(self) -> int:
        return int(self.pdq.shape[0])

    @property
    def feature_count(self) -> int:
        return int(self.points.shape[0])

    def features_of(self, frame: int) -> features.Features:
        chosen = self.feature_frames == frame
        width, height = (int(v) for v in self.sizes[frame])
        return features.Features(self.points[chosen], self.descriptors[chosen], width, height)


def image_print(pixels: RGB) -> MediaPrint:
    """The print of one decoded image (a photo, or a still frame)."""
    return frames_print([pixels], [0])


def print_image_bytes(data: bytes) -> MediaPrint:
    return image_print(decode_image(data))


def frames_print(
    frames: list[RGB], times_ms: list[int], keep: int = features.REGISTERED_FEATURES
) -> MediaPrint:
    """The print of sampled frames: each one's PDQ hashes (luminance and peak channel) and at
    most ``keep`` ORB features."""
    hashes = [pdq_words(frame) for frame in frames]
    peaks = [pdq_words(peak(frame)) for frame in frames]
    found = [(index, features.extract(frame, keep)) for index, frame in enumerate(frames)]
    points = [f.points for _, f in found] or [np.zeros((0, 2), np.float32)]
    descriptors = [f.descriptors for _, f in found] or [np.zeros((0, 32), np.uint8)]
    owners = [np.full(len(f), index, np.int32) for index, f in found] or [np.zeros(0, np.int32)]
    return MediaPrint(
        pdq=_words(hashes),
        quality=np.array([h.quality for h in hashes], dtype=np.uint8),
        peak=_words(peaks),
        peak_quality=np.array([h.quality for h in peaks], dtype=np.uint8),
        times_ms=np.array(times_ms, dtype=np.int64),
        points=np.concatenate(points).astype(np.float32),
        descriptors=np.concatenate(descriptors).astype(np.uint8),
        feature_frames=np.concatenate(owners).astype(np.int32),
        sizes=np.array([[f.shape[1], f.shape[0]] for f in frames], dtype=np.int32).reshape(-1, 2),
    )


def _words(hashes: list[Pdq]) -> Words:
    return np.concatenate([h.words for h in hashes]) if hashes else np.zeros((0, 4), np.uint64)


def pack(media: MediaPrint) -> bytes:
    buffer = io.BytesIO()
    arrays = {name: getattr(media, name).astype(wire) for name, wire in _WIRE.items()}
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def unpack(blob: bytes) -> MediaPrint:
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        values = {
            name: arrays[name].astype(np.dtype(wire).newbyteorder("="))
            for name, wire in _WIRE.items()
            if name in arrays
        }
    if "peak" not in values:  # stored before peak hashes were kept
        values["peak"] = np.zeros_like(values["pdq"])
        values["peak_quality"] = np.zeros_like(values["quality"])
    return MediaPrint(**values)
