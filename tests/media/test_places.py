"""Restricted zones and registered cameras, as the policy states them."""

from __future__ import annotations

from typing import Any

import pytest

from leaktrace.core.errors import PolicyError
from leaktrace.media.places import cameras, normal_serial, zones

SITE = {
    "name": "Building 7",
    "polygon": [[52.0, 13.0], [52.0, 13.01], [52.01, 13.01], [52.01, 13.0]],
}


@pytest.mark.parametrize(
    ("latitude", "longitude", "inside"),
    [
        (52.005, 13.005, True),
        (52.0099, 13.0001, True),
        (52.02, 13.005, False),
        (51.99, 13.005, False),
        (52.005, 12.99, False),
        (-52.005, 13.005, False),
    ],
)
def test_a_zone_contains_what_is_inside_it(latitude: float, longitude: float, inside: bool) -> None:
    (zone,) = zones([SITE])
    assert zone.contains(latitude, longitude) is inside


def test_a_concave_zone() -> None:
    l_shape = {"name": "L", "polygon": [[0, 0], [0, 2], [1, 2], [1, 1], [2, 1], [2, 0]]}
    (zone,) = zones([l_shape])
    assert zone.contains(0.5, 1.5) and zone.contains(1.5, 0.5)
    assert not zone.contains(1.5, 1.5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("zone", "array of tables"),
        ([{"polygon": [[0, 0], [0, 1], [1, 1]]}], "needs a name"),
        ([{"name": "a", "polygon": [[0, 0], [0, 1]]}], "at least 3"),
        ([{"name": "a", "polygon": [[0, 0], [0, 1], [1]]}], "latitude, longitude"),
        ([{"name": "a", "polygon": [[0, 0], [0, 1], [95, 1]]}], "not a position"),
        ([{"name": "a", "polygon": [[0, 0], [0, 1], ["x", 1]]}], "numbers"),
    ],
)
def test_bad_zones_are_refused_when_the_policy_loads(raw: Any, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        zones(raw)


def test_cameras_are_serials_or_tables() -> None:
    found = cameras(["0042 17", {"serial": "ab-9", "name": "Lab camera"}, {"serial": 1234}])
    assert found == {"4217": "0042 17", "AB-9": "Lab camera", "1234": "1234"}
    assert normal_serial(" 004217 ") == "4217"
    assert cameras(None) == {} and zones(None) == ()
    with pytest.raises(PolicyError):
        cameras([{"name": "no serial"}])
    with pytest.raises(PolicyError):
        cameras("SN1")
