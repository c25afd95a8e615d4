"""Power spectra are scaled to dBFS and the noise floor is found under emitters."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.rf.spectrum import NoiseFloor, Periodogram


def test_a_tone_lands_in_its_bin_with_its_power() -> None:
    rate, nfft = 1.024e6, 1024
    periodogram = Periodogram(nfft, is_complex=True)
    n = np.arange(64 * nfft)
    tone = (0.5 * np.exp(2j * np.pi * 100e3 * n / rate)).astype(np.complex64)
    frames = periodogram.frames(tone)
    offsets = periodogram.offsets_hz(rate)
    assert offsets[int(np.argmax(frames[0]))] == pytest.approx(100e3)
    assert frames.sum(axis=1).mean() == pytest.approx(0.25, rel=1e-3)  # 0.5 amplitude: -6 dBFS


def test_real_samples_give_half_the_band_around_the_tuning() -> None:
    rate, nfft = 1.024e6, 1024
    periodogram = Periodogram(nfft, is_complex=False)
    n = np.arange(16 * nfft)
    tone = (0.5 * np.cos(2 * np.pi * 300e3 * n / rate)).astype(np.float32)
    frames = periodogram.frames(tone)
    assert frames.shape == (16, 513)
    offsets = periodogram.offsets_hz(rate)
    # Bin frequencies run from -rate/4 to +rate/4 around the band's middle (rate/4).
    assert offsets[int(np.argmax(frames[0]))] + rate / 4 == pytest.approx(300e3)
    assert frames.sum(axis=1).mean() == pytest.approx(0.125, rel=0.01)


def test_noise_bins_average_the_noise_power_per_bin() -> None:
    rng = np.random.default_rng(3)
    periodogram = Periodogram(512, is_complex=True)
    power = 1e-3
    samples = (rng.standard_normal(512 * 2000) + 1j * rng.standard_normal(512 * 2000)) * np.sqrt(
        power / 2
    )
    frames = periodogram.frames(samples.astype(np.complex64))
    assert frames.mean() == pytest.approx(power / 512, rel=0.02)


def test_floor_is_found_under_a_third_of_the_band_occupied() -> None:
    rng = np.random.default_rng(4)
    rows = rng.gamma(16, 1 / 16, (50, 1024)).astype(np.float32)
    rows[:, 200:540] += 30.0  # a wide emitter
    floor = NoiseFloor(None).update(rows, 16)
    assert floor.shape == (50, 1)
    assert np.median(floor) == pytest.approx(1.0, rel=0.05)


def test_floor_follows_a_gain_step_up_at_once() -> None:
    rng = np.random.default_rng(5)
    rows = rng.gamma(16, 1 / 16, (40, 1024)).astype(np.float32)
    rows[20:] *= 10
    floor = NoiseFloor(None).update(rows, 16)[:, 0]
    assert floor[19] == pytest.approx(1.0, rel=0.05)
    assert floor[20] == pytest.approx(10.0, rel=0.05)


def test_floor_per_block_of_bins() -> None:
    rng = np.random.default_rng(6)
    rows = rng.gamma(16, 1 / 16, (10, 200)).astype(np.float32)
    rows[:, 100:] *= 4  # a second hop with four times the gain
    blocks = np.repeat([0, 1], 100)
    floor = NoiseFloor(blocks).update(rows, 16)
    assert floor.shape == (10, 200)
    assert np.median(floor[:, :100]) == pytest.approx(1.0, rel=0.05)
    assert np.median(floor[:, 100:]) == pytest.approx(4.0, rel=0.05)


def test_fft_size_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        Periodogram(1000, is_complex=True)
