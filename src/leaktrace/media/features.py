"""Local features: ORB keypoints with 256-bit binary descriptors, and geometric verification.

What survives crops, small rotations, borders, captions and screenshots is local: corners of
the scene keep their descriptors whatever happens around them. ORB is rotation-invariant and
found at eight scales; keypoints are spread over a grid so that a crop keeps its share of them.
A match is only ever declared after RANSAC finds one similarity transform (rotation, uniform
scale, translation) that carries enough keypoint pairs onto each other: unrelated images can
share descriptors by chance, but not a dozen that agree on one geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from leaktrace.media.decode import RGB

# The runner already keeps every core busy with one worker each: OpenCV's own threads would
# only compete with them.
cv2.setNumThreads(1)

Points = npt.NDArray[np.float32]
Descriptors = npt.NDArray[np.uint8]

REGISTERED_FEATURES = 384
"""Keypoints kept per registered image (32 bytes of descriptor + 4 of position each)."""
QUERY_FEATURES = 1200
"""Keypoints looked at in a scanned image (more: the registered one may be a small part)."""
_GRID = 4
_FAST_THRESHOLDS = (10, 4)
_MIN_SIDE = 480
_CANDIDATES_PER_KEPT = 3
_RATIO = 0.8
_RANSAC_PIXELS = 6.0
MIN_INLIERS = 12
_MIN_SCALE, _MAX_SCALE = 0.08, 12.0


@dataclass(frozen=True)
class Features:
    """Keypoint positions (x, y in the working frame) and their descriptors, same order."""

    points: Points
    descriptors: Descriptors
    width: int
    height: int

    def __len__(self) -> int:
        return int(self.points.shape[0])


@dataclass(frozen=True)
class Alignment:
    """A verified geometric match of a scanned image onto a registered one."""

    inliers: int
    scale: float
    """Registered size over scanned size (> 1: the scanned copy is smaller)."""
    rotation: float
    """Degrees, counter-clockwise, from the scanned image to the registered one."""
    covered: float
    """Fraction of the registered frame that the scanned image shows."""
    share: float
    """Fraction of the scanned image that the registered frame fills."""
    similarity: float
    """Inliers over the registered keypoints inside the shown part."""


def gray(pixels: RGB) -> npt.NDArray[np.uint8]:
    if pixels.ndim == 2:
        return pixels
    converted: npt.NDArray[np.uint8] = np.asarray(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY))
    return converted


def extract(pixels: RGB, keep: int = REGISTERED_FEATURES) -> Features:
    """ORB features of an image (as decoded), at most ``keep``, spread over a grid."""
    image, factor = _prepared(pixels)
    height, width = pixels.shape[:2]
    keypoints: Sequence[cv2.KeyPoint] = ()
    descriptors = None
    for threshold in _FAST_THRESHOLDS:  # smooth photos (clouds, skin) need a lower one
        orb = cv2.ORB.create(
            nfeatures=keep * _CANDIDATES_PER_KEPT, fastThreshold=threshold, edgeThreshold=15
        )
        keypoints, descriptors = orb.detectAndCompute(image, None)
        if len(keypoints) >= keep // 2:
            break
    if descriptors is None or not keypoints:
        return Features(np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8), width, height)
    points = np.array([k.pt for k in keypoints], dtype=np.float32) / factor
    responses = np.array([k.response for k in keypoints], dtype=np.float32)
    chosen = _spread(points, responses, width, height, keep)
    kept = np.asarray(descriptors, dtype=np.uint8)[chosen]
    return Features(points[chosen], kept, width, height)


def _prepared(pixels: RGB) -> tuple[npt.NDArray[np.uint8], float]:
    """Gray, and scaled up when small (ORB's coarse levels need room): the image and the
    factor applied."""
    image = gray(pixels)
    side = max(image.shape[:2])
    if side >= _MIN_SIDE:
        return image, 1.0
    factor = _MIN_SIDE / side
    size = (round(image.shape[1] * factor), round(image.shape[0] * factor))
    scaled = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_LINEAR), dtype=np.uint8)
    return scaled, factor


def _spread(
    points: Points, responses: npt.NDArray[np.float32], width: int, height: int, keep: int
) -> npt.NDArray[np.intp]:
    """The strongest keypoints of every grid cell in turn, so no region is left without any."""
    column = np.minimum((points[:, 0] * _GRID / max(width, 1)).astype(np.intp), _GRID - 1)
    row = np.minimum((points[:, 1] * _GRID / max(height, 1)).astype(np.intp), _GRID - 1)
    cell = row * _GRID + column
    order = np.lexsort((-responses, cell))  # by cell, strongest first within a cell
    sorted_cells = cell[order]
    starts = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank = np.arange(order.size) - starts  # 0 for the strongest in its cell, 1 next, ...
    by_rank = np.lexsort((-responses[order], rank))
    return np.sort(order[by_rank[:keep]])


def align(query: Features, registered: Features) -> Alignment | None:
    """The similarity transform carrying ``query`` onto ``registered``, if one is verified."""
    if len(query) < MIN_INLIERS or len(registered) < MIN_INLIERS:
        return None
    pairs = _ratio_pairs(query.descriptors, registered.descriptors)
    if pairs.shape[0] < MIN_INLIERS:
        return None
    source = query.points[pairs[:, 0]]
    target = registered.points[pairs[:, 1]]
    matrix, mask = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=_RANSAC_PIXELS,
        maxIters=2000,
        confidence=0.995,
        refineIters=10,
    )
    if matrix is None or mask is None:
        return None
    inliers = int(mask.sum())
    scale = math.hypot(matrix[0, 0], matrix[1, 0])
    if inliers < MIN_INLIERS or not _MIN_SCALE <= scale <= _MAX_SCALE:
        return None
    if _distinct(target[mask.ravel() == 1]) < MIN_INLIERS:
        return None  # many pairs onto one spot is a repeated texture, not a scene
    return _describe(np.asarray(matrix, dtype=np.float64), inliers, query, registered)


def _ratio_pairs(query: Descriptors, registered: Descriptors) -> npt.NDArray[np.intp]:
    """``(query index, registered index)`` pairs that pass Lowe's ratio test, one per
    registered keypoint (the closest): several query keypoints on one registered corner (the
    same spot at two pyramid levels, a repeated pattern) count as one piece of evidence."""
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    found = matcher.knnMatch(query, registered, k=2)
    best: dict[int, tuple[float, int]] = {}
    for pair in found:
        if len(pair) == 2 and pair[0].distance < _RATIO * pair[1].distance:
            first = pair[0]
            if first.trainIdx not in best or first.distance < best[first.trainIdx][0]:
                best[first.trainIdx] = (first.distance, first.queryIdx)
    pairs = [(query_index, train) for train, (_, query_index) in sorted(best.items())]
    return np.array(pairs, dtype=np.intp).reshape(-1, 2)


def _distinct(points: Points) -> int:
    return int(np.unique(np.round(points / 4.0), axis=0).shape[0])


def _describe(
    matrix: npt.NDArray[np.float64], inliers: int, query: Features, registered: Features
) -> Alignment:
    scale = math.hypot(matrix[0, 0], matrix[1, 0])
    rotation = math.degrees(math.atan2(matrix[1, 0], matrix[0, 0]))
    corners = np.array(
        [[0, 0], [query.width, 0], [query.width, query.height], [0, query.height]], dtype=np.float32
    )
    shown = cv2.transform(corners[None], matrix)[0]
    frame = np.array(
        [
            [0, 0],
            [registered.width, 0],
            [registered.width, registered.height],
            [0, registered.height],
        ],
        dtype=np.float32,
    )
    overlap, _ = cv2.intersectConvexConvex(shown, frame)
    area = float(registered.width * registered.height) or 1.0
    covered = min(1.0, float(overlap) / area)
    share = min(1.0, float(overlap) / (scale * scale * max(query.width * query.height, 1)))
    count = int(_inside_convex(registered.points, shown).sum())
    similarity = min(1.0, inliers / max(count, 1))
    return Alignment(inliers, scale, rotation, covered, share, similarity)


def _inside_convex(points: Points, polygon: Points) -> npt.NDArray[np.bool_]:
    """Which points lie inside a convex polygon (either winding), by edge cross products."""
    edges = np.roll(polygon, -1, axis=0) - polygon
    relative = points[:, None, :] - polygon[None, :, :]
    cross = edges[None, :, 0] * relative[:, :, 1] - edges[None, :, 1] * relative[:, :, 0]
    inside: npt.NDArray[np.bool_] = np.all(cross >= 0, axis=1) | np.all(cross <= 0, axis=1)
    return inside
