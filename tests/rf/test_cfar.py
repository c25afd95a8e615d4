"""CFAR thresholds: the false-alarm rate they promise is the one they deliver on noise."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from leaktrace.rf.cfar import (
    Cfar,
    CfarConfig,
    bin_power_correlation,
    ca_factor,
    floor_factor,
    os_factor,
    theoretical_pd,
)
from leaktrace.rf.spectrum import Periodogram

PFA = 1e-3


def _noise_frames(frames: int, seed: int) -> np.ndarray:
    """Periodogram frames of complex white Gaussian noise, through the real periodogram."""
    rng = np.random.default_rng(seed)
    periodogram = Periodogram(1024, is_complex=True)
    samples = (rng.standard_normal(frames * 1024) + 1j * rng.standard_normal(frames * 1024)) / 2
    return periodogram.frames(samples.astype(np.complex64))


def _observed_rate(kind: str, cell_dof: int, seed: int) -> tuple[float, int]:
    periodogram = Periodogram(1024, is_complex=True)
    cfar = Cfar(CfarConfig(kind=kind), 1024, periodogram.window)  # type: ignore[arg-type]
    frames = _noise_frames(400 * cell_dof, seed)
    rows = frames.reshape(-1, cell_dof, 1024).mean(axis=1)
    noise = cfar.noise(rows)
    alarms = rows > cfar.factor(cell_dof, cell_dof, PFA) * noise
    return float(alarms.mean()), alarms.size


@pytest.mark.parametrize("kind", ["ca", "os"])
@pytest.mark.parametrize("cell_dof", [1, 8])
def test_false_alarm_rate_matches_the_target(kind: str, cell_dof: int) -> None:
    rate, cells = _observed_rate(kind, cell_dof, seed=cell_dof)
    # Binomial bounds at 5 sigma, widened by 1.5 for the correlation between adjacent bins.
    sigma = np.sqrt(PFA * (1 - PFA) / cells)
    assert abs(rate - PFA) < 5 * 1.5 * sigma, (rate, PFA)


def test_a_level_zero_cell_against_a_level_one_reference() -> None:
    """Frames tested against the 16-frame mean of their neighbours keep the promised rate."""
    periodogram = Periodogram(1024, is_complex=True)
    cfar = Cfar(CfarConfig(), 1024, periodogram.window)
    frames = _noise_frames(16 * 300, seed=7).reshape(-1, 16, 1024)
    reference = cfar.noise(frames.mean(axis=1))
    alarms = frames > (cfar.factor(1, 16, PFA) * reference)[:, None, :]
    sigma = np.sqrt(PFA / alarms.size)
    assert abs(alarms.mean() - PFA) < 7.5 * sigma


def test_effective_reference_cells_are_fewer_than_counted() -> None:
    correlation = bin_power_correlation(np.hanning(1024), 4)
    assert correlation[0] == pytest.approx(1.0)
    assert correlation[1] == pytest.approx(4 / 9, abs=0.01)  # Hann: adjacent bins, |2/3|^2
    cfar = Cfar(CfarConfig(reference=24), 1024, np.hanning(1024))
    assert 20 < cfar.ca_cells < 48


def test_factors_shrink_towards_the_known_noise_threshold() -> None:
    # Many reference cells: CA approaches the known-noise (floor) threshold from above.
    assert ca_factor(1e-6, 1, 10.0) > ca_factor(1e-6, 1, 1000.0) > floor_factor(1e-6, 1)
    assert ca_factor(1e-6, 1, 1e6) == pytest.approx(floor_factor(1e-6, 1), rel=1e-3)


def test_os_factor_matches_the_closed_form_for_exponential_cells() -> None:
    # Exponential cells: Pfa = prod_{i<k} (n - i) / (n - i + T), T = factor (Rohling).
    n, k = 24, 18
    factor = os_factor(1e-4, 1, 1, n, k)
    closed = np.prod([(n - i) / (n - i + factor) for i in range(k)])
    assert closed == pytest.approx(1e-4, rel=1e-3)


def test_theoretical_pd_is_the_gamma_tail() -> None:
    snr = np.array([0.0, 0.1, 1.0])
    pd = theoretical_pd(snr, 100, 1e-3)
    assert pd[0] == pytest.approx(1e-3, rel=1e-6)
    threshold = stats.gamma.isf(1e-3, 100)
    assert pd[1] == pytest.approx(stats.gamma.sf(threshold / 1.1, 100))
    assert pd[2] > 0.999
