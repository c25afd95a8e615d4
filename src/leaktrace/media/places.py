"""Where and with what a photo was taken: restricted zones (GPS polygons) and registered cameras.

Both come from the policy (``[detectors.media]``), checked when it loads::

    [[detectors.media.zones]]
    name = "Building 7"
    polygon = [[52.5201, 13.4049], [52.5203, 13.4061], [52.5194, 13.4063], [52.5192, 13.4050]]

    [[detectors.media.cameras]]
    serial = "0423517"
    name = "Lab camera 2"

A zone is a polygon of ``[latitude, longitude]`` corners (at least three; a zone must not
cross the antimeridian), tested by ray casting on the degrees, which is exact enough for the
size of a site.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leaktrace.core.errors import PolicyError


@dataclass(frozen=True)
class Zone:
    name: str
    corners: tuple[tuple[float, float], ...]

    def contains(self, latitude: float, longitude: float) -> bool:
        inside = False
        corners = self.corners
        for (lat_a, lon_a), (lat_b, lon_b) in zip(corners, corners[1:] + corners[:1], strict=True):
            if (lon_a > longitude) != (lon_b > longitude):
                crossing = lat_a + (longitude - lon_a) * (lat_b - lat_a) / (lon_b - lon_a)
                if latitude < crossing:
                    inside = not inside
        return inside


def zones(raw: Any) -> tuple[Zone, ...]:
    """The policy's ``zones``, validated (a ``PolicyError`` names what is wrong)."""
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise PolicyError("[detectors.media] zones must be an array of tables")
    return tuple(_zone(entry, number) for number, entry in enumerate(raw, 1))


def _zone(entry: Any, number: int) -> Zone:
    where = f"[detectors.media] zone {number}"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
        raise PolicyError(f"{where} needs a name and a polygon")
    polygon = entry.get("polygon")
    if not isinstance(polygon, Sequence) or len(polygon) < 3:
        raise PolicyError(f"{where} ({entry['name']}): polygon needs at least 3 corners")
    corners = []
    for corner in polygon:
        if not isinstance(corner, Sequence) or len(corner) != 2:
            raise PolicyError(f"{where}: each corner is [latitude, longitude]")
        try:
            latitude, longitude = float(corner[0]), float(corner[1])
        except (TypeError, ValueError):
            raise PolicyError(f"{where}: corners must be numbers") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise PolicyError(f"{where}: corner {corner} is not a position on Earth")
        corners.append((latitude, longitude))
    return Zone(entry["name"], tuple(corners))


def cameras(raw: Any) -> dict[str, str]:
    """The policy's ``cameras`` as ``{normalized serial: name}``; entries are serial strings
    or tables with ``serial`` and ``name``."""
    if raw is None:
        return {}
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise PolicyError("[detectors.media] cameras must be an array")
    found: dict[str, str] = {}
    for entry in raw:
        if isinstance(entry, str):
            serial, name = entry, entry
        elif isinstance(entry, Mapping) and isinstance(entry.get("serial"), str | int):
            serial, name = str(entry["serial"]), str(entry.get("name") or entry["serial"])
        else:
            raise PolicyError("[detectors.media] each camera is a serial or {serial, name}")
        if normal_serial(serial):
            found[normal_serial(serial)] = name
    return found


def normal_serial(serial: str) -> str:
    """Serials compare without case, spaces or leading zeros (EXIF writers differ)."""
    return "".join(serial.split()).upper().lstrip("0")
