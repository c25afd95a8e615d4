"""Videos: a registered video is found from a re-encoded, resized, cut clip and from a still."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from leaktrace.core.errors import LimitReached
from leaktrace.media import transforms
from leaktrace.media.decode import MediaError, fit
from leaktrace.media.index import IndexedMedia, MediaIndex
from leaktrace.media.matcher import Matcher
from leaktrace.media.prints import image_print
from leaktrace.media.video import REGISTER, SCAN, Sampling, read_video, video_print
from tests.media.scenes import clip_frames, scene, video

FPS = 10


@cache
def original() -> list[np.ndarray]:
    return clip_frames(21, 60)  # 6 s


@cache
def matcher() -> Matcher:
    registered = read_video(video(original(), FPS), REGISTER)
    entries = [
        (IndexedMedia(1, "site-tour.mp4", None, "video", "a" * 64), video_print(registered)),
        (IndexedMedia(2, "photo.jpg", None, "image", "b" * 64), image_print(fit(scene(22)))),
    ]
    return Matcher(MediaIndex.from_prints(entries))


def test_frames_are_sampled_every_half_second() -> None:
    read = read_video(video(original(), FPS), REGISTER)
    assert read.times_ms == list(range(0, 6000, 500))
    assert (read.width, read.height) == (320, 240)
    assert read.duration_ms is not None and 5500 <= read.duration_ms <= 6500


def test_a_long_video_is_sampled_within_the_cap() -> None:
    read = read_video(video(original(), FPS), Sampling(interval=0.1, max_samples=5))
    assert len(read.frames) == 5
    assert read.times_ms[1] - read.times_ms[0] >= 1000  # stretched to fit 6 s in 5 samples


def test_a_cut_resized_reencoded_clip_is_found() -> None:
    clip = [transforms.resize(frame, 0.6) for frame in original()[17:42]]  # 1.7 s to 4.2 s
    data = video(clip, FPS, codec="libvpx", fmt="webm")
    matches = matcher().match_frames(read_video(data, SCAN).frames)
    assert [m.media for m in matches] == [0]
    assert any(1500 <= t <= 4500 for t in matches[0].times_ms)  # where the clip was cut
    assert matches[0].transformations[0].endswith("sampled frames match")


def test_a_still_frame_of_the_video_is_found() -> None:
    still = transforms.jpeg(original()[30], 60)
    matches = matcher().match_image(fit(still))
    assert [m.media for m in matches] == [0]
    assert matches[0].times_ms == (3000,)


def test_an_unrelated_video_is_not_found() -> None:
    other = read_video(video(clip_frames(77, 30), FPS), SCAN)
    assert matcher().match_frames(other.frames) == []


@pytest.mark.parametrize(
    "data",
    [b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, b"\x1a\x45\xdf\xa3webm" + b"\xff" * 300],
)
def test_a_corrupt_video_is_a_media_error(data: bytes) -> None:
    with pytest.raises(MediaError):
        read_video(data)


def test_a_truncated_video_keeps_what_decodes() -> None:
    data = video(original(), FPS)
    try:
        read = read_video(data[: len(data) * 2 // 3])
    except MediaError:
        return  # the container index was at the end: nothing to decode, a named error
    assert 1 <= len(read.frames) <= 12


def test_huge_frames_are_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a 320x240 video is then a bomb
    with pytest.raises(LimitReached):
        read_video(video(original()[:5], FPS))
