"""Small synthetic photographs and videos for the media tests, made in code (nothing shipped).

A scene is a smooth gradient with a few dozen random shapes, lines and a little noise: enough
corners for ORB and enough low-frequency structure for PDQ, like a photo, in a few ms.
"""

from __future__ import annotations

import io

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def scene(seed: int, width: int = 480, height: int = 360) -> np.ndarray:
    generator = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            127 + 100 * np.sin(x / width * generator.uniform(1, 4) + generator.uniform(0, 6)),
            127 + 100 * np.cos(y / height * generator.uniform(1, 4) + generator.uniform(0, 6)),
            127 + 80 * np.sin((x + y) / (width + height) * generator.uniform(1, 5)),
        ],
        axis=2,
    )
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(45):
        x0, y0 = int(generator.integers(0, width)), int(generator.integers(0, height))
        size = int(generator.integers(8, 70))
        colour = tuple(int(c) for c in generator.integers(0, 256, 3))
        shape = int(generator.integers(0, 3))
        box = (x0, y0, x0 + size, y0 + int(size * generator.uniform(0.5, 1.5)))
        if shape == 0:
            draw.ellipse(box, fill=colour)
        elif shape == 1:
            draw.rectangle(box, fill=colour, outline=(0, 0, 0))
        else:
            draw.line((x0, y0, box[2], box[3]), fill=colour, width=int(generator.integers(2, 6)))
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    noisy = np.asarray(image).astype(np.int16) + generator.integers(-6, 7, (height, width, 3))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def encoded(pixels: np.ndarray, kind: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, kind, **options)
    return buffer.getvalue()


def clip_frames(seed: int, count: int, width: int = 320, height: int = 240) -> list[np.ndarray]:
    """A slow pan across a larger scene, and a cut to another scene half-way (a real video
    changes shots)."""
    wide = [scene(seed, width * 2, height), scene(seed + 1000, width * 2, height)]
    frames = []
    for number in range(count):
        source = wide[0] if number < count // 2 else wide[1]
        left = (number * 4) % width
        frames.append(np.ascontiguousarray(source[:, left : left + width]))
    return frames


def video(frames: list[np.ndarray], fps: int = 10, codec: str = "mpeg4", fmt: str = "mp4") -> bytes:
    """Frames encoded as a real video file (mpeg4 in MP4, or libvpx in WebM)."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=fmt) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        for pixels in frames:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()
