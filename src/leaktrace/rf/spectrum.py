"""Power spectra over time (short-time Fourier transform) and a tracked noise floor.

Frames do not overlap and use a Hann window, so under noise alone each bin of each frame is an
independent exponential (Gamma(1)) value: averaging ``k`` frames gives Gamma(k), which is what
the CFAR thresholds in ``cfar.py`` assume. Power is scaled so that a bin's values summed over all
bins give the mean power of the samples (full scale = 1.0 = 0 dBFS).
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from leaktrace.rf.cfar import noise_limit, quantile_to_mean, truncated_mean


class Periodogram:
    """Windowed FFT frames of ``nfft`` samples: complex data gives ``nfft`` bins, lowest
    frequency first; real data gives the ``nfft // 2 + 1`` bins from 0 to half the rate."""

    def __init__(self, nfft: int, is_complex: bool) -> None:
        if nfft < 64 or nfft & (nfft - 1):
            raise ValueError("the FFT size must be a power of two, at least 64")
        self.nfft = nfft
        self.is_complex = is_complex
        # Periodic Hann: the window the FFT's bins are orthogonal under.
        self.window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(nfft) / nfft)).astype(np.float32)
        energy = float(np.sum(self.window.astype(np.float64) ** 2))
        # Complex data: alternating signs move 0 Hz to the middle bin, so no fftshift is needed.
        signs = np.where(np.arange(nfft) % 2, -1.0, 1.0).astype(np.float32)
        self._taper = self.window * signs if is_complex else self.window
        # Real data: the negative frequencies fold onto the positive ones, so double them.
        self._scale = np.float32((1.0 if is_complex else 2.0) / (nfft * energy))

    @property
    def bins(self) -> int:
        return self.nfft if self.is_complex else self.nfft // 2 + 1

    def frames(self, samples: np.ndarray) -> np.ndarray:
        """Power of each whole frame in ``samples`` (frames x bins, float32)."""
        count = samples.size // self.nfft
        blocks = samples[: count * self.nfft].reshape(count, self.nfft) * self._taper
        if self.is_complex:
            spectrum = scipy.fft.fft(blocks, axis=1, overwrite_x=True)
        else:
            spectrum = scipy.fft.rfft(blocks, axis=1, overwrite_x=True)
        power = np.abs(spectrum)
        np.square(power, out=power)
        power *= self._scale
        return np.asarray(power, dtype=np.float32)

    def offsets_hz(self, sample_rate: float) -> np.ndarray:
        """Each bin's frequency relative to the middle of the recorded band."""
        if self.is_complex:
            return np.asarray(np.fft.fftshift(np.fft.fftfreq(self.nfft, 1.0 / sample_rate)))
        return np.asarray(np.fft.rfftfreq(self.nfft, 1.0 / sample_rate) - sample_rate / 4.0)


class NoiseFloor:
    """The noise level of each row, tracked over time.

    Per row (and per block of bins that share a gain, such as rtl_power's hops) a low quantile of
    the cells is converted to the noise mean; it stays right while less than about two thirds of
    the band is occupied. Over rows it is smoothed (exponentially, in decibels) but never allowed
    below the current row's estimate, so a rising floor (gain change) is followed at once and a
    falling one with a short lag: errors go towards fewer detections, not false ones.
    """

    def __init__(self, block_of_bin: np.ndarray | None, quantile: float = 0.3) -> None:
        self.quantile = quantile
        self.block_of_bin = block_of_bin
        self.blocks = 1 if block_of_bin is None else int(block_of_bin.max()) + 1
        self.smoothing = 0.1
        self._state: np.ndarray | None = None

    def update(self, rows: np.ndarray, dof: int) -> np.ndarray:
        """The floor for each of ``rows`` (rows x bins, cells the mean of ``dof`` frames), as an
        array that broadcasts against ``rows``."""
        estimates = np.log(self._estimate(rows, dof))
        tracked = np.empty_like(estimates)
        state = self._state
        for index, estimate in enumerate(estimates):
            state = estimate if state is None else state + self.smoothing * (estimate - state)
            state = np.maximum(state, estimate)
            tracked[index] = state
        self._state = state
        floor = np.asarray(np.exp(tracked), dtype=np.float32)
        if self.block_of_bin is None:
            return floor
        return np.asarray(floor[:, self.block_of_bin])

    def _estimate(self, rows: np.ndarray, dof: int) -> np.ndarray:
        if self.block_of_bin is None:
            return _row_noise(rows, dof, self.quantile)[:, None]
        columns = [
            _row_noise(rows[:, self.block_of_bin == block], dof, self.quantile)
            for block in range(self.blocks)
        ]
        return np.stack(columns, axis=1)


def _row_noise(rows: np.ndarray, dof: int, quantile: float) -> np.ndarray:
    """Each row's noise mean: a first guess from a low quantile, then the mean of the cells
    that noise could have made (below its 99.9 % point), so occupied bins drop out."""
    kth = min(rows.shape[1] - 1, int(quantile * rows.shape[1]))
    guess = np.partition(rows, kth, axis=1)[:, kth].astype(np.float64)
    guess = np.maximum(guess * quantile_to_mean(quantile, dof), np.finfo(np.float32).tiny)
    limit = (guess * noise_limit(dof))[:, None]
    quiet = rows < limit
    total = np.where(quiet, rows, 0).sum(axis=1, dtype=np.float64)
    count = np.maximum(quiet.sum(axis=1), 1)
    # The mean of cells below the limit is a little under the noise mean; undo that.
    return np.asarray(total / count / truncated_mean(dof))
