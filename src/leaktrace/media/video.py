"""Videos: frames sampled at a steady interval with PyAV (FFmpeg), each hashed like a photo.

A registered video keeps the PDQ hash of a frame every ``interval`` seconds (so any clip cut
from it holds frames within half an interval of a registered one) and a smaller set of ORB
features of each (a pan or a zoom moves a frame's global hash before its features). Decoding
is bounded by counts, not by the clock, so that a scan stays reproducible: at most
``max_decoded`` frames are decoded and ``max_samples`` kept; a frame size above Pillow's bomb
limit is refused before decoding.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

from leaktrace.core.errors import LimitReached, error_reason
from leaktrace.media.decode import RGB, WORKING_SIDE, MediaError, fit
from leaktrace.media.prints import MediaPrint, frames_print


@dataclass(frozen=True)
class Sampling:
    interval: float = 0.5
    """Seconds between sampled frames (stretched for long videos to stay within the caps)."""
    max_samples: int = 600
    max_decoded: int = 100_000
    features_per_frame: int = 160
    """ORB keypoints kept per sampled frame (a photo keeps more: see ``features.py``)."""


REGISTER = Sampling()
SCAN = Sampling(interval=0.5, max_samples=240, max_decoded=30_000)


@dataclass(frozen=True)
class Video:
    frames: list[RGB]
    times_ms: list[int]
    duration_ms: int | None
    width: int
    height: int


def read_video(data: bytes, sampling: Sampling = SCAN) -> Video:
    """Sampled frames of a video. :class:`MediaError` when it cannot be decoded at all."""
    import av

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except Exception as error:  # PyAV raises FFmpeg errors, ValueError, OSError...
        raise MediaError(f"video cannot be opened: {error_reason(error)}") from None
    try:
        return _read(container, sampling)
    finally:
        container.close()


def _read(container: object, sampling: Sampling) -> Video:
    streams = [s for s in container.streams if s.type == "video"]  # type: ignore[attr-defined]
    if not streams:
        raise MediaError("no video stream")
    stream = streams[0]
    width, height = int(stream.codec_context.width or 0), int(stream.codec_context.height or 0)
    if width * height > (Image.MAX_IMAGE_PIXELS or 1 << 62):
        raise LimitReached("pixels", f"video frames of {width}x{height} pixels not decoded")
    duration = _duration_ms(container, stream)
    interval = sampling.interval
    if duration is not None:  # a long video: fewer frames per second, never more than the cap
        interval = max(interval, duration / 1000 / sampling.max_samples)
    stream.thread_type = "AUTO"
    frames: list[RGB] = []
    times: list[int] = []
    for time_ms, frame in _sampled(container, stream, interval, sampling):
        frames.append(frame)
        times.append(time_ms)
    if not frames:
        raise MediaError("video has no decodable frame")
    return Video(frames, times, duration, width, height)


def _duration_ms(container: object, stream: object) -> int | None:
    if getattr(stream, "duration", None) and getattr(stream, "time_base", None):
        return int(float(stream.duration * stream.time_base) * 1000)  # type: ignore[attr-defined]
    total = getattr(container, "duration", None)
    return int(total / 1000) if total else None  # microseconds


def _sampled(
    container: object, stream: object, interval: float, sampling: Sampling
) -> Iterator[tuple[int, RGB]]:
    """``(time in ms, RGB frame)`` every ``interval`` seconds of presentation time."""
    next_time = 0.0
    decoded = 0
    kept = 0
    try:
        for frame in container.decode(stream):  # type: ignore[attr-defined]
            decoded += 1
            if decoded > sampling.max_decoded or kept >= sampling.max_samples:
                return
            seconds = float(frame.time) if frame.time is not None else decoded / 25.0
            if seconds + 1e-6 < next_time:
                continue
            next_time = seconds + interval
            kept += 1
            yield round(seconds * 1000), _rgb(frame)
    except LimitReached:
        raise
    except Exception as error:  # a corrupt packet part-way: keep what was decoded
        if kept == 0:
            raise MediaError(f"video cannot be decoded: {error_reason(error)}") from None


def _rgb(frame: object) -> RGB:
    width, height = frame.width, frame.height  # type: ignore[attr-defined]
    scale = min(1.0, WORKING_SIDE / max(width, height, 1))
    size = (max(2, round(width * scale)), max(2, round(height * scale)))
    rgb = frame.reformat(width=size[0], height=size[1], format="rgb24")  # type: ignore[attr-defined]
    return fit(np.ascontiguousarray(rgb.to_ndarray()))


def video_print(video: Video, sampling: Sampling = REGISTER) -> MediaPrint:
    """The print of a read video: every sampled frame's PDQ hash and ORB features."""
    return frames_print(video.frames, video.times_ms, keep=sampling.features_per_frame)
