"""Constant-false-alarm-rate thresholds along frequency, for cells of known averaging.

A cell is the mean of ``dof`` independent periodogram values of one frequency bin, so under
noise alone it is Gamma(dof, noise/dof). Its neighbours (past a few guard cells, where the
window's leakage makes bins correlated) estimate the local noise:

* cell averaging (CA): the mean of the reference cells. The ratio cell / mean is then
  F(2·dof, 2·dof·n) distributed, with ``n`` the number of *effectively independent* reference
  cells (fewer than their count, because adjacent windowed bins are correlated; the correlation
  is computed from the window). The threshold factor is the F quantile: exact, not tuned.
* ordered statistic (OS): the k-th smallest reference cell, robust when another emitter sits in
  the reference window. Its factor is solved numerically from the order statistic's density;
  reference cells are taken every other bin so that they are close to independent.

Both return a threshold per cell; ``cell > threshold`` is a detection at the given false-alarm
probability per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special  # scipy.stats would cost a second of start-up for a few quantiles

from leaktrace.rf import DEFAULT_PFA

CfarKind = Literal["ca", "os"]


@dataclass(frozen=True, slots=True)
class CfarConfig:
    """Which CFAR, at what false-alarm probability per cell, with how many neighbours."""

    kind: CfarKind = "ca"
    pfa: float = DEFAULT_PFA
    reference: int = 24  # reference cells on each side
    guard: int = 3  # cells on each side skipped: the window's main lobe spreads a signal
    os_rank: float = 0.75  # OS: which order statistic, as a fraction of the reference cells


def bin_power_correlation(window: np.ndarray, max_lag: int) -> np.ndarray:
    """Correlation of periodogram power between bins ``0..max_lag`` apart, for white noise."""
    energy = window.astype(np.float64) ** 2
    n = np.arange(window.size)
    lags = np.arange(max_lag + 1)
    coherence = np.abs(np.exp(-2j * np.pi * np.outer(lags, n) / window.size) @ energy)
    return np.asarray((coherence / energy.sum()) ** 2)


def effective_cells(positions: np.ndarray, correlation: np.ndarray) -> float:
    """How many independent cells a sum over ``positions`` is worth (variance-equivalent)."""
    lags = np.abs(positions[:, None] - positions[None, :])
    rho = np.where(lags < correlation.size, correlation[np.minimum(lags, correlation.size - 1)], 0)
    return float(positions.size**2 / rho.sum())


@lru_cache(maxsize=256)
def ca_factor(pfa: float, cell_dof: int, reference_dof: float) -> float:
    """CA-CFAR threshold factor: P(cell > factor x reference mean) = pfa under noise.

    ``cell_dof``: periodograms averaged in the cell; ``reference_dof``: independent periodogram
    values behind the reference mean (effective cells x periodograms averaged in each). The
    ratio is F(2 cell_dof, 2 reference_dof); its upper quantile comes from the incomplete beta
    function (d1 X / (d1 X + d2) is Beta(d1/2, d2/2) when X is F(d1, d2)).
    """
    d1, d2 = 2.0 * cell_dof, 2.0 * reference_dof
    b = float(special.betainccinv(d1 / 2, d2 / 2, pfa))
    return d2 * b / (d1 * (1.0 - b))


@lru_cache(maxsize=256)
def os_factor(pfa: float, cell_dof: int, reference_dof: int, cells: int, rank: int) -> float:
    """OS-CFAR threshold factor for the ``rank``-th smallest of ``cells`` reference cells,
    each the mean of ``reference_dof`` periodograms, the cell under test of ``cell_dof``."""
    from scipy import integrate, optimize  # only the OS-CFAR needs them

    log_beta = float(special.betaln(rank, cells - rank + 1))

    def false_alarm(log_factor: float) -> float:
        factor = float(np.exp(log_factor))

        # Over u, the rank-th order statistic's cdf value: Beta(rank, cells - rank + 1).
        def integrand(u: float) -> float:
            if u <= 0.0 or u >= 1.0:
                return 0.0
            level = gamma_ppf(u, reference_dof)
            survive = float(special.gammaincc(cell_dof, factor * level * cell_dof))
            density = np.exp((rank - 1) * np.log(u) + (cells - rank) * np.log1p(-u) - log_beta)
            return float(density * survive)

        value, _ = integrate.quad(integrand, 0.0, 1.0, limit=200, epsabs=0.0, epsrel=1e-8)
        return float(np.log(max(value, 1e-300)) - np.log(pfa))

    upper = float(np.log(floor_factor(pfa, cell_dof))) + 8.0
    return float(np.exp(optimize.brentq(false_alarm, -2.0, upper, xtol=1e-6)))


@lru_cache(maxsize=64)
def floor_factor(pfa: float, dof: int) -> float:
    """Threshold factor over a known noise level: the Gamma(dof) upper quantile (mean 1)."""
    return float(special.gammainccinv(dof, pfa)) / dof


def gamma_ppf(quantile: float, dof: int) -> float:
    """The ``quantile`` of a mean of ``dof`` unit exponentials: Gamma(dof), mean 1."""
    return float(special.gammaincinv(dof, quantile)) / dof


@lru_cache(maxsize=64)
def noise_limit(dof: int) -> float:
    """Over the noise mean, the level noise cells stay below 99.9 % of the time."""
    return gamma_ppf(0.999, dof)


@lru_cache(maxsize=64)
def truncated_mean(dof: int) -> float:
    """Mean of Gamma(dof) cells below ``noise_limit``, over the untruncated mean."""
    return float(special.gammainc(dof + 1, noise_limit(dof) * dof)) / 0.999


def quantile_to_mean(quantile: float, dof: int) -> float:
    """Noise mean over the given quantile of Gamma(dof)-distributed cells."""
    return 1.0 / gamma_ppf(quantile, dof)


class Cfar:
    """Thresholds for rows of cells along frequency, with edges handled by shifting the window."""

    def __init__(self, config: CfarConfig, bins: int, window: np.ndarray | None) -> None:
        if config.kind not in ("ca", "os"):
            raise ValueError(f"unknown CFAR {config.kind!r}")
        self.config = config
        self.bins = bins
        span = 2 * (config.guard + config.reference) + 1
        if bins < span + 2:
            raise ValueError(f"{bins} bins are too few for a CFAR window of {span}")
        max_lag = span + 1
        if window is None:
            # Unknown window (rtl_power): assume adjacent bins as correlated as Hann's.
            window = np.hanning(256)
        self._correlation = bin_power_correlation(window, max_lag)
        n = config.reference
        split = np.concatenate([np.arange(n), np.arange(n) + n + 2 * config.guard + 1])
        solid = np.arange(2 * n)
        self.ca_cells = min(
            effective_cells(split, self._correlation), effective_cells(solid, self._correlation)
        )
        stride = 2
        self._os_offsets = np.concatenate(
            [
                -config.guard - 1 - stride * np.arange(n // stride)[::-1],
                config.guard + 1 + stride * np.arange(n // stride),
            ]
        )
        self.os_cells = self._os_offsets.size
        self.os_rank = max(1, min(self.os_cells, round(config.os_rank * self.os_cells)))

    def factor(self, cell_dof: int, reference_dof: int, pfa: float) -> float:
        """The threshold factor over ``noise()`` of reference rows averaging ``reference_dof``."""
        if self.config.kind == "ca":
            return ca_factor(pfa, cell_dof, reference_dof * self.ca_cells)
        return os_factor(pfa, cell_dof, reference_dof, self.os_cells, self.os_rank)

    def noise(self, rows: np.ndarray) -> np.ndarray:
        """The local noise estimate for every cell of ``rows`` (shape rows x bins)."""
        if self.config.kind == "ca":
            return self._cell_average(rows)
        return self._ordered_statistic(rows)

    def _cell_average(self, rows: np.ndarray) -> np.ndarray:
        n, guard, bins = self.config.reference, self.config.guard, self.bins
        total = np.zeros((rows.shape[0], bins + 1), dtype=np.float64)
        np.cumsum(rows, axis=1, out=total[:, 1:])
        cell = np.arange(bins)
        # The guard region and a window of 2n reference cells around it, shifted inward at edges.
        g_lo = np.clip(cell - guard, 0, bins)
        g_hi = np.clip(cell + guard + 1, 0, bins)
        lo = cell - guard - n
        hi = cell + guard + n + 1
        shift = np.where(lo < 0, -lo, 0) - np.where(hi > bins, hi - bins, 0)
        lo, hi = lo + shift, hi + shift
        window = total[:, hi] - total[:, lo] - (total[:, g_hi] - total[:, g_lo])
        inside = (hi - lo) - (g_hi - g_lo)
        return np.asarray(window / inside, dtype=np.float32)

    def _ordered_statistic(self, rows: np.ndarray) -> np.ndarray:
        reach = int(np.abs(self._os_offsets).max())
        # Reflect at the edges so every cell has a full reference set.
        padded = np.pad(rows, ((0, 0), (reach, reach)), mode="reflect")
        windows = sliding_window_view(padded, 2 * reach + 1, axis=1)
        picked = windows[..., self._os_offsets + reach]
        kth = np.partition(picked, self.os_rank - 1, axis=-1)[..., self.os_rank - 1]
        return np.asarray(kth, dtype=np.float32)


def theoretical_pd(snr: np.ndarray, samples: int, pfa: float) -> np.ndarray:
    """Ideal energy detector, known noise, Gaussian signal: Pd over ``samples`` complex samples.

    The statistic is Gamma(samples) under noise and Gamma(samples) scaled by (1 + snr) with the
    signal present, so Pd = Q(samples, threshold / (1 + snr)) with the threshold from ``pfa``.
    """
    threshold = special.gammainccinv(samples, pfa)
    return np.asarray(special.gammaincc(samples, threshold / (1.0 + np.asarray(snr))))
