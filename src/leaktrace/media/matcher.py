"""Finding registered media in a scanned image or video.

Two kinds of evidence, each strict enough on its own:

- **global**: a PDQ hash of the scanned image (in any of its eight orientations) within
  ``MATCH_DISTANCE`` bits of a registered frame, both hashes of sufficient quality; when the
  luminance hashes are all far, the same on the peak channel. Catches resizing,
  recompression, colour, hue, brightness and contrast changes, grayscale, flips and quarter
  turns, in microseconds per registered photo.
- **local**: ORB descriptors of the scanned image vote, through the LSH tables, for the frames
  sharing them; the best-voted frames are verified with RANSAC (``features.align``). Catches
  crops, small rotations, borders, captions, overlays and screenshots of the photo inside a
  larger picture, which move a global hash far away.

A video is matched frame by frame on PDQ: a clip needs ``min_frames`` of its sampled frames
to match frames of one registered video (a still needs one, like any image).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from leaktrace.media import features
from leaktrace.media.decode import RGB
from leaktrace.media.index import MediaIndex
from leaktrace.media.pdq import (
    MATCH_DISTANCE,
    MIN_QUALITY,
    ORIENTATIONS,
    Pdq,
    Words,
    distances,
    pdq_dihedral,
    peak,
)
from leaktrace.media.regions import cut, photo_regions

GLOBAL = "pdq"
LOCAL = "features"
_INSIDE = "inside a larger picture (a screenshot, page or collage)"


@dataclass(frozen=True)
class Params:
    max_distance: int = MATCH_DISTANCE
    min_quality: int = MIN_QUALITY
    candidates: int = 8
    """Best-voted frames that may fail geometric verification before the search stops."""
    max_verified: int = 24
    """Best-voted frames verified at most, matching or not."""
    min_votes: float = 1.0
    """Weighted votes (see ``MediaIndex.vote``) a frame needs to be verified at all."""
    hint_distance: int = 64
    """Frames this near in PDQ (twice the match distance; unrelated photos sit near 128) are
    verified with features whatever their votes: a tiny or darkened copy whose hash drifted
    just past ``max_distance``, and whose few corners vote weakly."""
    hints: int = 4
    min_frames: int = 2
    """Matching sampled frames a video needs (a clip of 1 s has two)."""
    feature_frames: int = 8
    """Sampled frames of a scanned video whose ORB features are looked up too."""


@dataclass(frozen=True)
class MediaMatch:
    """One registered photo or video found in a scanned item."""

    media: int
    """Position in ``MediaIndex.media``."""
    method: str
    similarity: float
    transformations: tuple[str, ...]
    distance: int | None = None
    inliers: int | None = None
    times_ms: tuple[int, ...] = field(default=())
    """Times (in the registered video) of the frames that matched."""


class Matcher:
    def __init__(self, index: MediaIndex, params: Params | None = None) -> None:
        self.index = index
        self.params = params or Params()

    # -- images -------------------------------------------------------------------------------

    def match_image(self, pixels: RGB) -> list[MediaMatch]:
        """Registered media this image shows, best evidence per media, in index order.

        ORB descriptors are not mirror-invariant: when neither hash nor features found
        anything, the mirrored image's features are looked up too (a flipped crop). Then every
        photo-like region of the image is looked up on its own (``regions``: a photo in a
        screenshot, a page or a collage; an image that is one photo has none).
        """
        matched, hints = self._global(pixels)
        found = {m.media: m for m in matched}
        for match in self._local(pixels, skip=set(found), hints=hints):
            found.setdefault(match.media, match)
        if not found:
            mirrored = np.ascontiguousarray(pixels[:, ::-1])
            for match in self._local(mirrored, skip=set()):
                story = ("flipped horizontally", *match.transformations)
                found.setdefault(match.media, replace(match, transformations=story))
        for region in photo_regions(pixels):
            part = cut(pixels, region)
            matched, hints = self._global(part)
            for match in [*matched, *self._local(part, skip=set(found), hints=hints)]:
                story = (_INSIDE, *match.transformations)
                found.setdefault(match.media, replace(match, transformations=story))
        return [found[key] for key in sorted(found)]

    def _global(self, pixels: RGB) -> tuple[list[MediaMatch], list[int]]:
        """Frames whose luminance hash is near, or else whose peak-channel hash is (a hue
        rotation moves the first and not the second); and the frames nearly as near, for
        ``_local`` to verify first (``Params.hint_distance``)."""
        if self.index.pdq.shape[0] == 0:
            return [], []
        index = self.index
        found, hints = self._near(pdq_dihedral(pixels), index.pdq_table, index.frame_quality, "")
        if not found:
            hue = "hue changed (its brightest channel matches)"
            query = pdq_dihedral(peak(pixels))
            found, more = self._near(query, index.peak_table, index.peak_quality, hue)
            hints += [frame for frame in more if frame not in hints]
        return found, hints[: self.params.hints]

    def _near(
        self, query: Pdq, table: Words, quality: npt.ArrayLike, recoloured: str
    ) -> tuple[list[MediaMatch], list[int]]:
        if query.quality < self.params.min_quality:
            return [], []
        by_orientation = distances(query.words, table)  # (8, frames)
        best = by_orientation.min(axis=0)
        trusted = np.asarray(quality) >= self.params.min_quality
        near = np.flatnonzero((best <= self.params.hint_distance) & trusted)
        hints = near[np.argsort(best[near], kind="stable")][: self.params.hints].tolist()
        good = (best <= self.params.max_distance) & trusted
        matches: dict[int, MediaMatch] = {}
        for frame in np.flatnonzero(good)[np.argsort(best[good], kind="stable")]:
            media = int(self.index.frame_media[frame])
            if media in matches:
                continue
            distance = int(best[frame])
            orientation = int(np.argmin(by_orientation[:, frame]))
            matches[media] = MediaMatch(
                media,
                GLOBAL,
                round(max(0.0, 1 - distance / 128), 4),
                _global_story(orientation, recoloured),
                distance=distance,
                times_ms=self._times(media, [int(frame)]),
            )
        return list(matches.values()), hints

    def _local(self, pixels: RGB, skip: set[int], hints: Sequence[int] = ()) -> list[MediaMatch]:
        if self.index.descriptors.shape[0] == 0:
            return []
        query = features.extract(pixels, features.QUERY_FEATURES)
        if len(query) < features.MIN_INLIERS:
            return []
        votes = self.index.vote(query.descriptors)
        # Verified in order of votes until ``candidates`` frames failed: a photo registered
        # with its own crops has them all among the best voted, and they all match.
        voted = np.argsort(-votes, kind="stable")[: self.params.max_verified].tolist()
        matches: dict[int, MediaMatch] = {}
        failed = 0
        for frame in [*hints, *(f for f in voted if f not in hints)]:
            hinted = frame in hints
            if not hinted and (
                votes[frame] < self.params.min_votes or failed >= self.params.candidates
            ):
                break
            media = int(self.index.frame_media[frame])
            if media in skip or media in matches:
                continue
            alignment = features.align(query, self.index.frame_features(int(frame)))
            failed += alignment is None and not hinted
            if alignment is not None:
                matches[media] = MediaMatch(
                    media,
                    LOCAL,
                    round(alignment.similarity, 4),
                    _local_story(alignment),
                    inliers=alignment.inliers,
                    times_ms=self._times(media, [int(frame)]),
                )
        return list(matches.values())

    # -- videos -------------------------------------------------------------------------------

    def match_frames(self, frames: list[RGB]) -> list[MediaMatch]:
        """Registered media that sampled frames of a scanned video show: PDQ on every sampled
        frame, ORB features on ``feature_frames`` of them spread over the clip (a pan or a
        zoom moves a frame's global hash more than its features)."""
        hits: dict[int, list[tuple[int, MediaMatch]]] = {}
        chosen = (
            set(
                np.linspace(0, len(frames) - 1, min(len(frames), self.params.feature_frames))
                .round()
                .astype(int)
                .tolist()
            )
            if frames
            else set()
        )
        for number, pixels in enumerate(frames):
            matched, hints = self._global(pixels)
            found = {m.media: m for m in matched}
            if number in chosen:
                for match in self._local(pixels, skip=set(found), hints=hints):
                    found.setdefault(match.media, match)
            for media, match in found.items():
                hits.setdefault(media, []).append((number, match))
        needed = min(self.params.min_frames, len(frames))
        return [
            _clip_match(media, found)
            for media, found in sorted(hits.items())
            if len({number for number, _ in found}) >= needed
        ]

    def _times(self, media: int, frames: list[int]) -> tuple[int, ...]:
        if self.index.media[media].kind != "video":
            return ()
        return tuple(int(self.index.frame_time[f]) for f in frames)


def _global_story(orientation: int, recoloured: str) -> tuple[str, ...]:
    story = [ORIENTATIONS[orientation]] if orientation else []
    story.append(recoloured or "resized, recompressed or recoloured")
    return tuple(story)


def _local_story(alignment: features.Alignment) -> tuple[str, ...]:
    story = []
    angle = abs(alignment.rotation)
    if 1.5 <= angle <= 178.5:
        story.append(f"rotated {angle:.0f}°")
    if alignment.covered < 0.9:
        story.append(f"cropped to {alignment.covered:.0%} of the original")
    if alignment.share < 0.4:
        story.append(f"inside a larger picture ({alignment.share:.0%} of it)")
    elif alignment.share < 0.95:
        story.append("with borders, captions or overlays around it")
    return tuple(story) or ("resized, recompressed or overlaid",)


def _clip_match(media: int, found: list[tuple[int, MediaMatch]]) -> MediaMatch:
    best = max((match for _, match in found), key=lambda m: m.similarity)
    matched = len({number for number, _ in found})
    times = tuple(sorted({t for _, match in found for t in match.times_ms}))
    story = (f"{matched} sampled frames match", "re-encoded, resized or cut")
    return replace(best, transformations=story, times_ms=times)
