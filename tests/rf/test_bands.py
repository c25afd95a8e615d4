"""The band table names what an emitter probably is, most specific band first."""

from __future__ import annotations

import pytest

from leaktrace.rf.bands import BANDS, probable_services


@pytest.mark.parametrize(
    ("hz", "expected_first"),
    [
        (433.92e6, "ISM 433 MHz (Region 1)"),
        (2.441e9, "Bluetooth / BLE"),
        (1.95e9, "cellular uplink band 1 (2100 MHz: Europe, Asia, Africa)"),
        (897.4e6, "cellular uplink band 8 / GSM-900 (Europe, Asia, Africa)"),
        (1.89e9, "DECT cordless (Europe)"),
        (98.5e6, "FM broadcast band (cheap FM room bugs hide here)"),
        (5.5e9, "Wi-Fi 5 GHz (802.11a/n/ac/ax)"),
    ],
)
def test_known_frequencies(hz: float, expected_first: str) -> None:
    names = probable_services(hz - 10e3, hz + 10e3)
    assert names[0] == expected_first


def test_overlapping_bands_are_all_named() -> None:
    names = probable_services(2.437e9 - 10e6, 2.437e9 + 10e6)
    assert "Wi-Fi 2.4 GHz (802.11b/g/n/ax)" in names
    assert "Bluetooth / BLE" in names
    assert "ISM 2.4 GHz" in names


def test_nothing_for_an_unlisted_frequency() -> None:
    assert probable_services(60e9, 60.1e9) == ()


def test_every_band_is_well_formed() -> None:
    for band in BANDS:
        assert 0 < band.low_hz < band.high_hz
        assert band.kind in {"cellular", "wifi", "bluetooth", "ism", "covert", "cordless"}
