"""Protected media: registered photos and videos found again in any scanned image or video.

Per item whose bytes are an image or a video (a file, or a member of a docx, pptx, PDF, HTML
page, mail or archive):

- its SHA-256 against every registered file (``media/exact-copy``);
- an image's pixels against the media index (``media/image``): PDQ in eight orientations, then
  ORB features verified geometrically (see ``leaktrace.media.matcher``); the finding names the
  registered ``document``, a ``similarity`` and the ``transformations`` it looks like;
- a video's sampled frames against every registered frame (``media/video``);
- the image's metadata: a GPS position inside a restricted zone (``media/restricted-zone``), a
  camera serial number of a registered device (``media/registered-camera``: the policy's
  cameras, and the cameras registered photos were taken with).

An image or video whose pixels cannot be decoded is reported (``media/undecodable``) and the
scan goes on. Options (policy ``[detectors.media]``): ``index`` (the media index folder; the
CLI sets it to the data folder's), ``zones``, ``cameras`` (see ``leaktrace.media.places``),
``min_side`` (images smaller than this many pixels, icons, are not compared; 32).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaktrace.core.errors import ItemError
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import WHOLE_SHA256, Item
from leaktrace.core.plugin import Detector
from leaktrace.media.places import cameras, normal_serial, zones

if TYPE_CHECKING:
    from leaktrace.media.index import IndexedMedia, MediaIndex
    from leaktrace.media.matcher import Matcher, MediaMatch

_RULES = (
    ("exact-copy", "An exact copy of a registered photo or video", Severity.HIGH),
    ("image", "A registered photo, resized, recompressed, cropped or edited", Severity.HIGH),
    ("video", "Frames of a registered video", Severity.HIGH),
    ("restricted-zone", "A photo taken inside a restricted zone", Severity.HIGH),
    ("registered-camera", "A photo taken with a registered camera", Severity.MEDIUM),
    ("undecodable", "An image or video whose pixels could not be compared", Severity.LOW),
)


class MediaDetector(Detector):
    name = "media"
    rules = tuple(Rule("media", rule, text, severity) for rule, text, severity in _RULES)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        folder = self.options.get("index")
        self.index: MediaIndex | None = None
        if folder and Path(folder, "media.json").exists():  # OpenCV loads only when needed
            from leaktrace.media.index import MediaIndex

            self.index = MediaIndex.open(Path(folder))
        self.zones = zones(self.options.get("zones"))
        self.cameras = cameras(self.options.get("cameras"))
        self.min_side = int(self.options.get("min_side", 32))
        self._by_sha256: dict[str, int] = {}
        if self.index is not None:
            self._by_sha256 = {m.sha256: n for n, m in enumerate(self.index.media)}
            for entry in self.index.media:
                if entry.camera_serial and normal_serial(entry.camera_serial):
                    name = f"camera of registered {entry.kind} {entry.name!r}"
                    self.cameras.setdefault(normal_serial(entry.camera_serial), name)
        self._matcher: Matcher | None = None

    def detect(self, item: Item) -> Iterator[Finding]:
        yield from self._places(item)
        if self.index is None or len(self.index) == 0:
            return
        from leaktrace.media.decode import media_kind

        kind = media_kind(item.data[:64])
        if kind is None:
            return
        whole = item.metadata.get(WHOLE_SHA256) or item.sha256
        exact = self._by_sha256.get(whole)
        if exact is not None:  # the registered file itself: nothing to learn from its pixels
            yield self._exact(item, self.index.media[exact])
            return
        try:
            matches = self._image(item) if kind == "image" else self._video(item)
        except ItemError as error:
            yield self.finding(
                item,
                "undecodable",
                f"{kind} not compared with registered media: {error}",
                key=f"undecodable:{error.rule}",
            )
            return
        for match in matches:
            yield self._match(item, kind, match)

    # -- pixels -------------------------------------------------------------------------------

    def _image(self, item: Item) -> list[MediaMatch]:
        from leaktrace.media.decode import decode_image

        pixels = decode_image(item.data)
        if min(pixels.shape[:2]) < self.min_side:
            return []
        return self._matcher_for().match_image(pixels)

    def _video(self, item: Item) -> list[MediaMatch]:
        from leaktrace.media.video import SCAN, read_video

        video = read_video(item.data, SCAN)
        return self._matcher_for().match_frames(video.frames)

    def _matcher_for(self) -> Matcher:
        from leaktrace.media.matcher import Matcher  # here: OpenCV loads only when needed

        assert self.index is not None
        if self._matcher is None:
            self._matcher = Matcher(self.index)
        return self._matcher

    def _exact(self, item: Item, media: IndexedMedia) -> Finding:
        return self.finding(
            item,
            "exact-copy",
            f"exact copy of protected {media.kind} {media.name!r}",
            evidence=f"sha256 {media.sha256[:12]}…",
            key=f"exact:{media.id}",
            details={**_about(media), "similarity": 1.0, "transformations": []},
        )

    def _match(self, item: Item, kind: str, match: MediaMatch) -> Finding:
        assert self.index is not None
        media = self.index.media[match.media]
        rule = "video" if kind == "video" else "image"
        what = f"{media.kind} {media.name!r}"
        story = ", ".join(match.transformations)
        details: dict[str, Any] = {
            **_about(media),
            "similarity": match.similarity,
            "method": match.method,
            "transformations": list(match.transformations),
        }
        if match.distance is not None:
            details["pdq_distance"] = match.distance
        if match.inliers is not None:
            details["matched_features"] = match.inliers
        if match.times_ms:
            details["times"] = [round(t / 1000, 2) for t in match.times_ms]
        return self.finding(
            item,
            rule,
            f"protected {what} ({match.similarity:.0%} similar; {story})",
            key=f"{rule}:{media.id}",
            details=details,
        )

    # -- metadata -----------------------------------------------------------------------------

    def _places(self, item: Item) -> Iterator[Finding]:
        metadata = item.metadata
        position = _position(metadata)
        if position is not None:
            for zone in self.zones:
                if zone.contains(*position):
                    yield self.finding(
                        item,
                        "restricted-zone",
                        f"photo taken inside restricted zone {zone.name!r}",
                        evidence=f"GPS {position[0]:.5f}, {position[1]:.5f}",
                        key=f"zone:{zone.name}",
                        details={
                            "zone": zone.name,
                            "latitude": position[0],
                            "longitude": position[1],
                        },
                    )
        serial = metadata.get("camera_serial")
        camera = self.cameras.get(normal_serial(serial)) if serial else None
        if serial and camera is not None:
            yield self.finding(
                item,
                "registered-camera",
                f"photo taken with registered camera {camera!r}",
                evidence=f"serial …{serial[-4:]}",
                key=f"camera:{normal_serial(serial)}",
                details={
                    "camera": camera,
                    "camera_make": metadata.get("camera_make"),
                    "camera_model": metadata.get("camera_model"),
                },
            )


def _about(media: IndexedMedia) -> dict[str, Any]:
    return {"document": media.name, "media_id": media.id, "kind": media.kind, "label": media.label}


def _position(metadata: Mapping[str, str]) -> tuple[float, float] | None:
    try:
        return float(metadata["gps_lat"]), float(metadata["gps_lon"])
    except (KeyError, ValueError):
        return None
