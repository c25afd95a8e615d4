"""The registry of extractors, carvers and detectors, an object handed to the pipeline.

Built-in plugins are registered exactly as third-party ones are: as entry points of the
``leaktrace.extractors``, ``leaktrace.carvers`` and ``leaktrace.detectors`` groups (see
``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from typing import Any

from leaktrace.core.errors import PluginError
from leaktrace.core.mediatypes import OCTET_STREAM
from leaktrace.core.plugin import Carver, Detector, Extractor

EXTRACTOR_GROUP = "leaktrace.extractors"
CARVER_GROUP = "leaktrace.carvers"
DETECTOR_GROUP = "leaktrace.detectors"
SNIFF_BYTES = 8192


class Registry:
    """Extractors by media type, carvers, detector classes by name, and content identification."""

    def __init__(
        self,
        extractors: Iterable[Extractor] = (),
        detectors: Iterable[type[Detector]] = (),
        carvers: Iterable[Carver] = (),
    ) -> None:
        self._extractors: list[Extractor] = []
        self._by_type: dict[str, Extractor] = {}
        self._carvers: list[Carver] = []
        self._detectors: dict[str, type[Detector]] = {}
        for extractor in extractors:
            self.add_extractor(extractor)
        for carver in carvers:
            self.add_carver(carver)
        for detector in detectors:
            self.add_detector(detector)

    @classmethod
    def from_entry_points(cls) -> Registry:
        registry = cls()
        for entry in entry_points(group=EXTRACTOR_GROUP):
            registry.add_extractor(_load(entry)())
        for entry in entry_points(group=CARVER_GROUP):
            registry.add_carver(_load(entry)())
        for entry in entry_points(group=DETECTOR_GROUP):
            registry.add_detector(_load(entry))
        return registry

    def add_extractor(self, extractor: Extractor) -> None:
        self._extractors.append(extractor)
        self._extractors.sort(key=lambda e: (-e.sniff_priority, e.name))
        for media_type in extractor.media_types:
            self._by_type[media_type] = extractor

    def add_carver(self, carver: Carver) -> None:
        for existing in self._carvers:
            if existing.name == carver.name:
                if type(existing) is type(carver):
                    return
                raise PluginError(f"two carvers are named {carver.name!r}")
        self._carvers.append(carver)
        self._carvers.sort(key=lambda c: c.name)  # a stable order: scans are reproducible

    def add_detector(self, detector: type[Detector]) -> None:
        if detector.name in self._detectors and self._detectors[detector.name] is not detector:
            raise PluginError(f"two detectors are named {detector.name!r}")
        self._detectors[detector.name] = detector

    @property
    def extractors(self) -> list[Extractor]:
        return list(self._extractors)

    @property
    def carvers(self) -> list[Carver]:
        return list(self._carvers)

    @property
    def detector_classes(self) -> Mapping[str, type[Detector]]:
        return dict(self._detectors)

    def extractor_for(self, media_type: str) -> Extractor | None:
        return self._by_type.get(media_type)

    def identify(self, data: bytes) -> str:
        """The media type of ``data``, decided from its bytes alone."""
        head = data[:SNIFF_BYTES]
        for extractor in self._extractors:
            try:
                media_type = extractor.sniff(head, data)
            except Exception:
                media_type = None
            if media_type:
                return media_type
        return OCTET_STREAM

    def create_detectors(
        self, enabled: Mapping[str, bool], options: Mapping[str, Mapping[str, Any]]
    ) -> list[Detector]:
        """Instantiate every detector the policy leaves on, in a stable order."""
        return [
            cls(options.get(name, {}))
            for name, cls in sorted(self._detectors.items())
            if enabled.get(name, True)
        ]


def _load(entry: Any) -> Any:
    try:
        return entry.load()
    except Exception as error:
        raise PluginError(f"cannot load plugin {entry.name!r} ({entry.value}): {error}") from error
