"""Which service a frequency probably belongs to.

Edges are the published band plans (3GPP uplink bands, the ITU-R regional ISM allocations, the
IEEE 802.11 and Bluetooth channel ranges) and, for covert transmitters, the ranges where
commercial audio and video bugs are commonly found. A frequency can fall into several bands (2.4
GHz is Wi-Fi, Bluetooth and ISM at once); the narrowest, most specific band comes first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Band:
    low_hz: float
    high_hz: float
    name: str
    kind: str  # cellular, wifi, bluetooth, ism, covert, broadcast, cordless

    @property
    def width_hz(self) -> float:
        return self.high_hz - self.low_hz


def _mhz(low: float, high: float, name: str, kind: str) -> Band:
    return Band(low * 1e6, high * 1e6, name, kind)


BANDS: tuple[Band, ...] = (
    # Cellular uplinks (phone to base station: what a phone in the room transmits).
    _mhz(663, 698, "cellular uplink band 71 (600 MHz, Americas)", "cellular"),
    _mhz(699, 716, "cellular uplink band 12/17 (700 MHz, Americas)", "cellular"),
    _mhz(
        703,
        748,
        "cellular uplink band 28 (700 APT: Europe, Asia-Pacific, Latin America)",
        "cellular",
    ),
    _mhz(777, 787, "cellular uplink band 13 (700 MHz, Americas)", "cellular"),
    _mhz(788, 798, "cellular uplink band 14 (FirstNet, Americas)", "cellular"),
    _mhz(814, 849, "cellular uplink band 26/5 (850 MHz, Americas, Asia)", "cellular"),
    _mhz(832, 862, "cellular uplink band 20 (800 MHz, Europe)", "cellular"),
    _mhz(880, 915, "cellular uplink band 8 / GSM-900 (Europe, Asia, Africa)", "cellular"),
    _mhz(1710, 1785, "cellular uplink band 3 / DCS-1800 (Europe, Asia, Africa)", "cellular"),
    _mhz(1710, 1780, "cellular uplink band 4/66 (AWS, Americas)", "cellular"),
    _mhz(1850, 1915, "cellular uplink band 2/25 / PCS-1900 (Americas)", "cellular"),
    _mhz(1920, 1980, "cellular uplink band 1 (2100 MHz: Europe, Asia, Africa)", "cellular"),
    _mhz(2305, 2315, "cellular uplink band 30 (WCS, Americas)", "cellular"),
    _mhz(2500, 2570, "cellular uplink band 7 (2600 MHz: Europe, Asia, Latin America)", "cellular"),
    _mhz(2496, 2690, "cellular band 41 TDD (2.5 GHz: Americas, Asia)", "cellular"),
    _mhz(3300, 4200, "cellular 5G n77/n78 TDD (3.3-4.2 GHz)", "cellular"),
    # Wi-Fi, Bluetooth, cordless phones.
    _mhz(2400, 2483.5, "Wi-Fi 2.4 GHz (802.11b/g/n/ax)", "wifi"),
    _mhz(2402, 2480, "Bluetooth / BLE", "bluetooth"),
    _mhz(5150, 5895, "Wi-Fi 5 GHz (802.11a/n/ac/ax)", "wifi"),
    _mhz(5925, 7125, "Wi-Fi 6 GHz (802.11ax/be)", "wifi"),
    _mhz(1880, 1900, "DECT cordless (Europe)", "cordless"),
    _mhz(1920, 1930, "DECT 6.0 cordless (Americas)", "cordless"),
    # ISM and short-range devices.
    _mhz(13.553, 13.567, "ISM 13.56 MHz (NFC/RFID)", "ism"),
    _mhz(26.957, 27.283, "ISM 27 MHz", "ism"),
    _mhz(40.66, 40.70, "ISM 40 MHz", "ism"),
    _mhz(433.05, 434.79, "ISM 433 MHz (Region 1)", "ism"),
    _mhz(863, 870, "SRD 868 MHz (Europe)", "ism"),
    _mhz(902, 928, "ISM 915 MHz (Region 2)", "ism"),
    _mhz(2400, 2500, "ISM 2.4 GHz", "ism"),
    _mhz(5725, 5875, "ISM 5.8 GHz", "ism"),
    # Where covert transmitters (room bugs, body wires, video senders) are commonly found.
    _mhz(88, 108, "FM broadcast band (cheap FM room bugs hide here)", "covert"),
    _mhz(108, 174, "VHF bug range (108-174 MHz)", "covert"),
    _mhz(300, 470, "UHF bug range (300-470 MHz)", "covert"),
    _mhz(398, 470, "UHF body-wire / audio bug range (398-470 MHz)", "covert"),
    _mhz(900, 1300, "video sender / bug range (0.9-1.3 GHz)", "covert"),
    _mhz(1200, 1400, "1.2 GHz video sender range", "covert"),
    _mhz(5650, 5950, "5.8 GHz video sender range", "covert"),
)


def probable_services(low_hz: float, high_hz: float) -> tuple[str, ...]:
    """Names of the bands that contain the emitter's centre, narrowest first."""
    centre = (low_hz + high_hz) / 2
    matching = sorted(
        (band for band in BANDS if band.low_hz <= centre <= band.high_hz),
        key=lambda band: band.width_hz,
    )
    return tuple(dict.fromkeys(band.name for band in matching))
