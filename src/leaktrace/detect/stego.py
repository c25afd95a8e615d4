"""Steganalysis of bytes hidden in the least significant bits (LSBs) of lossless images.

Four statistics, computed from counts gathered in two passes over bands of rows (value counts,
then everything else), so the memory used is a few bands' worth whatever the image size:

- ``chi_square``: Westfeld and Pfitzmann's attack. LSB replacement evens out the counts of each
  pair of values (2k, 2k+1); the p-value of a chi-square test of that evenness is near 1 when a
  payload fills the image, near 0 otherwise (and blind to partial payloads spread at random).
- ``sample_pairs``: Sample Pairs Analysis (Dumitrescu, Wu and Wang), in Ker's structural form.
  In natural images, neighbouring pairs (u, v) with an odd difference v - u = 2m+1 start on an
  even u as often as on an odd u; LSB flipping breaks that in a way that is quadratic in the
  flipping probability, which is solved for.
- ``rs``: RS analysis (Fridrich, Goljan and Du). Groups of four samples get smoother or rougher
  when their LSBs are flipped; replacement moves the counts for flipping and for shifted
  flipping apart by amounts that again give a quadratic in the rate.
- ``matching``: LSB matching (+-1 embedding) leaves the three above blind. It adds independent
  +-1 noise, which smooths the 2-D histogram of neighbouring samples. Ker's calibrated adjacency
  HCF-COM measures that smoothing (the centre of mass of the histogram's Fourier magnitude)
  against the same measure on a 2x2-averaged copy, where the embedding noise is mostly averaged
  away. In colour images it is measured on the colour differences R-G and B-G: natural chroma
  is smooth (demosaicing, JPEG history), embedding noise in each channel is not.

SPA and RS leave out clipped values and the flat colours of drawings, which break their cover
models. The score is the largest of three pieces of evidence, each divided by a limit that clean
photographs rarely reach: the smaller of the SPA and RS rates (each fails on some clean images,
rarely both), the matching statistic, and how much more even the (2k, 2k+1) pairs are than the
(2k+1, 2k+2) ones (a flat, noisy histogram makes both even). ``DEFAULT_THRESHOLD`` applies to
it. ``bench/stego_roc.py`` measures false alarms and detection on real photographs;
``docs/concealment.md`` has the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from PIL import Image

from leaktrace.core.errors import ItemError

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_PIXELS",
    "StegoEstimate",
    "analyze",
    "analyze_image",
    "image_samples",
]

DEFAULT_THRESHOLD = 1.0
"""On ``score``: an image is flagged when a statistic reaches its clean-photograph limit."""

MIN_PIXELS = 64 * 64
"""``analyze_image`` refuses smaller images: the estimators' spread is too wide there."""

# Limits on clean photographs (bench/stego_roc.py), each scaled to 1.0 in the score.
RATE_LIMIT = 0.1  # on the smaller of the SPA and RS rates
MATCHING_LIMIT_GREY = 0.235
MATCHING_LIMIT_COLOUR = 0.14
CHI_LIMIT = 12.0  # on -log10(1 - p), less the same for the shifted pairs
# The bench's median matching statistic at LSB-matching rates 0.4, 0.6, 0.8 and 1.0: a
# flagged image's rate is read off this curve (roughly: photographs differ widely).
_MATCHING_RATES = (0.4, 0.6, 0.8, 1.0)
_MATCHING_MEDIANS_GREY = (0.099, 0.131, 0.177, 0.214)
_MATCHING_MEDIANS_COLOUR = (0.009, 0.130, 0.229, 0.260)

_BAND_SAMPLES = 1 << 20  # samples per band of rows: bounds the temporaries
_SPIKE = 8  # an LSB pair this many times as common as both neighbours is a flat colour
_SPA_CLASSES = 16  # differences up to 31
_MIN_PAIRS = 1024  # usable neighbour pairs SPA needs (RS: a quarter as many groups)
_CHI_FLOOR = 1e-16  # 1 - p below this is rounding noise

Samples = npt.NDArray[np.uint8]
Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class StegoEstimate:
    """What the statistics say about one image; rates are bits per pixel-channel, 0..1."""

    chi_square: float
    """Westfeld-Pfitzmann p-value: near 1 when LSB replacement fills the image."""
    sample_pairs: float
    """Embedding rate by Sample Pairs Analysis (LSB replacement)."""
    rs: float
    """Embedding rate by RS analysis (LSB replacement)."""
    matching: float
    """Calibrated adjacency HCF-COM deficit (LSB matching); about 0 on clean images."""
    rate: float
    """Combined rate estimate: SPA and RS averaged, or a rough matching-based estimate."""
    score: float
    """The strongest evidence, as a multiple of its limit on clean photographs."""
    reason: str
    """Where the score comes from: "replacement", "matching" or "chi-square"."""
    payload_bytes: int
    """``rate`` times the samples, in bytes."""
    channels: int
    pixels: int


@dataclass
class _Tally:
    """Additive counts over the bands of one image (pairs as 65536 bins: 256 * u + v)."""

    usable: npt.NDArray[np.bool_]  # per plane and value: kept by SPA and RS
    pairs: Counts = field(init=False)  # neighbours, both directions, per plane
    rs: Counts = field(init=False)  # [mask +1/-1, image/LSB-flipped, regular/singular]
    chroma: Counts = field(init=False)  # neighbours per colour-difference plane
    reduced: Counts = field(init=False)  # neighbours per 2x2-averaged matching plane

    @property
    def colours(self) -> int:
        return len(self.usable)

    def __post_init__(self) -> None:
        matching_planes = 2 if self.colours >= 3 else 1
        self.pairs = np.zeros((self.colours, 65536), np.int64)
        self.rs = np.zeros((2, 2, 2), np.int64)
        self.chroma = np.zeros((matching_planes, 65536), np.int64)
        self.reduced = np.zeros((matching_planes, 65536), np.int64)


def analyze(channels: npt.NDArray[np.uint8]) -> StegoEstimate:
    """Estimate LSB embedding in (H, W) or (H, W, C) uint8 samples, C at most 4.

    With two or four channels the last is alpha and is ignored. Images too small or too flat
    for a statistic give it a neutral value (0), never an error.
    """
    planes = _planes(channels)
    colours, height, width = planes.shape
    histograms = np.zeros((colours, 256), np.int64)
    for start, stop in _bands(height, width):
        histograms += _histograms(np.ascontiguousarray(planes[:, start:stop]))
    tally = _Tally(_usable_values(histograms))
    for start, stop in _bands(height, width):
        # one row more than the band, so vertical pairs across band edges are counted
        _count_band(np.ascontiguousarray(planes[:, start : stop + 1]), stop - start, tally)
    return _estimate(tally, histograms, height * width)


def _planes(channels: npt.NDArray[np.uint8]) -> Samples:
    """The colour planes as a (C, H, W) view, alpha dropped."""
    if not isinstance(channels, np.ndarray):
        raise TypeError(f"expected a numpy array, got {type(channels).__name__}")
    if channels.dtype != np.uint8:
        raise TypeError(f"expected uint8 samples, got {channels.dtype}")
    if channels.ndim == 2:
        return channels[np.newaxis]
    if channels.ndim != 3 or not 1 <= channels.shape[2] <= 4:
        raise ValueError(f"expected shape (H, W) or (H, W, C<=4), got {channels.shape}")
    colours = channels.shape[2] - 1 if channels.shape[2] in (2, 4) else channels.shape[2]
    return np.moveaxis(channels[:, :, :colours], 2, 0)


def _bands(height: int, width: int) -> Iterator[tuple[int, int]]:
    """Row ranges of about ``_BAND_SAMPLES`` samples per plane, starting on even rows."""
    step = max(2, (_BAND_SAMPLES // max(width, 1)) & ~1)
    for start in range(0, height, step):
        yield start, min(start + step, height)


def _histograms(band: Samples) -> Counts:
    """Per-plane value counts of a contiguous (C, rows, W) band."""
    out = np.zeros((len(band), 256), np.int64)
    for colour, plane in enumerate(band):
        flat = plane.reshape(-1)
        # counting byte pairs as 16-bit words is faster than counting bytes
        square = _bincount(flat[: flat.size & ~1].view(np.uint16)).reshape(256, 256)
        out[colour] = square.sum(axis=0) + square.sum(axis=1)
        if flat.size & 1:
            out[colour, flat[-1]] += 1
    return out


def _flat_colours(histograms: Counts) -> npt.NDArray[np.bool_]:
    """Per plane, the LSB pairs {2k, 2k+1} far more common than both neighbouring pairs: the
    few flat colours of a drawing or screenshot, or a clipped sky."""
    totals = histograms.reshape(len(histograms), 128, 2).sum(axis=2)
    padded = np.pad(totals, ((0, 0), (1, 1)))
    flat: npt.NDArray[np.bool_] = totals > _SPIKE * np.maximum(padded[:, :-2], padded[:, 2:])
    return flat


def _usable_values(histograms: Counts) -> npt.NDArray[np.bool_]:
    """Per plane, the values SPA and RS may use: not clipped, not a flat colour.

    Clipped values ({0, 1} and {254, 255}) and flat colours break the estimators' cover
    models. The choice depends only on the pair totals h[2k] + h[2k+1], which LSB flips do not
    change, so it is the same before and after embedding.
    """
    keep = ~_flat_colours(histograms)
    keep[:, [0, 127]] = False
    return np.repeat(keep, 2, axis=1)


def _count_band(band: Samples, rows: int, tally: _Tally) -> None:
    """Add one band (C, rows [+1], W) to the tally; row ``rows``, if any, is the next band's."""
    for colour, plane in enumerate(band):
        tally.pairs[colour] += _neighbours(plane, rows)
        tally.rs += _rs_counts(plane[:rows], tally.usable[colour])
    if tally.colours < 3:  # the plane's own pairs are the matching detector's
        tally.reduced[0] += _neighbours(_reduce(band[0, :rows]), rows // 2)
        return
    for index, chroma in enumerate(_chroma(band)):
        tally.chroma[index] += _neighbours(chroma, rows)
        tally.reduced[index] += _neighbours(_reduce(chroma[:rows]), rows // 2)


def _neighbours(plane: Samples, rows: int) -> Counts:
    """Horizontal pairs in the first ``rows`` rows plus all vertical pairs."""
    return _pairs(plane[:rows, :-1], plane[:rows, 1:]) + _pairs(plane[:-1], plane[1:])


def _pairs(first: Samples, second: Samples) -> Counts:
    """Co-occurrence counts of (first, second), as 65536 bins (256 * first + second)."""
    index = first.astype(np.uint16)
    index <<= 8
    index |= second
    return _bincount(index.ravel())


def _bincount(words: npt.NDArray[np.uint16]) -> Counts:
    """Counts of 16-bit values, in slices: numpy widens its input to 64 bits first."""
    counts = np.zeros(65536, np.int64)
    for start in range(0, words.size, _BAND_SAMPLES):
        counts += np.bincount(words[start : start + _BAND_SAMPLES], minlength=65536)
    return counts


def _reduce(plane: Samples) -> Samples:
    """2x2 block average, rounded down: the matching detector's calibration image."""
    height, width = plane.shape[0] & ~1, plane.shape[1] & ~1
    block = plane[:height, :width].astype(np.uint16)
    total = block[0::2, 0::2] + block[1::2, 0::2]
    total += block[0::2, 1::2]
    total += block[1::2, 1::2]
    return (total >> 2).astype(np.uint8)


def _chroma(band: Samples) -> list[Samples]:
    """Colour differences R-G and B-G, offset by 128 and clipped to a byte."""
    green = band[1].astype(np.int16)
    return [np.clip(band[c] - green + 128, 0, 255).astype(np.uint8) for c in (0, 2)]


def _estimate(tally: _Tally, histograms: Counts, pixels: int) -> StegoEstimate:
    chi = _chi_square(histograms)
    spa = _sample_pairs(tally.pairs, tally.usable)
    rs = _rs_rate(tally.rs)
    matching = _matching(tally.chroma if tally.colours >= 3 else tally.pairs, tally.reduced)
    parts = {
        # SPA fails on some drawings, RS on some textures, rarely both: the smaller one counts
        "replacement": min(spa, rs) / RATE_LIMIT,
        "matching": matching
        / (MATCHING_LIMIT_COLOUR if tally.colours >= 3 else MATCHING_LIMIT_GREY),
        # how much more even the (2k, 2k+1) pairs are than the (2k+1, 2k+2) ones: a flat, noisy
        # histogram makes both even, which is no evidence
        "chi-square": (_surprise(chi) - _surprise(_chi_square(histograms, 1))) / CHI_LIMIT,
    }
    reason = max(parts, key=lambda name: parts[name])
    score = max(parts[reason], 0.0)
    rate = (spa + rs) / 2
    if reason == "matching" and score >= DEFAULT_THRESHOLD:
        rate = max(rate, _matching_rate(matching, tally.colours))
    return StegoEstimate(
        chi_square=chi,
        sample_pairs=spa,
        rs=rs,
        matching=matching,
        rate=rate,
        score=score,
        reason=reason,
        payload_bytes=int(rate * pixels * tally.colours / 8),
        channels=tally.colours,
        pixels=pixels,
    )


def _surprise(p_value: float) -> float:
    """-log10(1 - p): 2 at p = 0.99, 6 at p = 0.999999."""
    return -math.log10(max(1.0 - p_value, _CHI_FLOOR))


def _matching_rate(matching: float, colours: int) -> float:
    """Rough rate for an image flagged by the matching detector."""
    medians = _MATCHING_MEDIANS_COLOUR if colours >= 3 else _MATCHING_MEDIANS_GREY
    return float(np.interp(matching, medians, _MATCHING_RATES))


# --- chi-square attack ------------------------------------------------------------------------


def _chi_square(histograms: Counts, offset: int = 0) -> float:
    """P-value of "each (2k, 2k+1) pair of counts is even", pooled over colour planes.

    With ``offset`` 1, of the (2k+1, 2k+2) pairs instead, which LSB replacement leaves alone.
    """
    pairs = histograms[:, offset : 256 - offset].reshape(len(histograms), -1, 2)
    pairs = pairs.astype(np.float64)
    expected = pairs.sum(axis=2) / 2
    used = expected >= 5  # the test's usual validity condition
    freedom = int(np.maximum(used.sum(axis=1) - 1, 0).sum())
    if freedom == 0:
        return 0.0
    deviation = np.where(used, pairs[:, :, 0] - expected, 0.0)
    statistic = float((deviation**2 / np.where(used, expected, 1.0)).sum())
    return _chi2_survival(statistic, freedom)


def _chi2_survival(statistic: float, freedom: int) -> float:
    """P(X >= statistic) for X ~ chi-square(freedom), by the Wilson-Hilferty approximation."""
    spread = 2 / (9 * freedom)
    z = ((statistic / freedom) ** (1 / 3) - (1 - spread)) / math.sqrt(spread)
    return 0.5 * math.erfc(z / math.sqrt(2))


# --- sample pairs analysis --------------------------------------------------------------------

# v - u + 255 for every bin (u, v) of a co-occurrence matrix
_DIFFERENCE = (np.arange(256)[np.newaxis, :] - np.arange(256)[:, np.newaxis] + 255).astype(np.intp)


def _sample_pairs(pairs: Counts, usable: npt.NDArray[np.bool_]) -> float:
    """Embedding rate from the parity structure of neighbouring pairs (usable values only)."""
    kept = usable[:, :, np.newaxis] & usable[:, np.newaxis, :]
    matrix = np.where(kept, pairs.reshape(-1, 256, 256), 0).sum(axis=0)
    if matrix.sum() < _MIN_PAIRS:
        return 0.0
    matrix += matrix.T  # both orders: the cover model is about |v - u| only
    # even[255 + d], odd[255 + d]: pairs (u, u + d) with u even, odd; zero-padded to d = 257
    even = np.bincount(_DIFFERENCE[0::2].ravel(), matrix[0::2].ravel(), minlength=513)
    odd = np.bincount(_DIFFERENCE[1::2].ravel(), matrix[1::2].ravel(), minlength=513)
    m = np.arange(_SPA_CLASSES)
    # cover model: even[255 + 2m+1] == odd[255 + 2m+1] for small m >= 0 (large differences are
    # edges, where drawings break it). With each LSB flipped with probability q, both sides
    # are linear in the stego counts over (1 - 2q)^2; summed: (1-q)^2 a - q(1-q) b + q^2 c = 0
    a = float((even[256 + 2 * m] - odd[256 + 2 * m]).sum())
    top = 255 + 2 * _SPA_CLASSES  # b sums (d = 2m pairs) - (d = 2m+2 pairs): it telescopes
    b = float(even[255] + odd[255] - even[top] - odd[top])
    c = float((odd[254 + 2 * m] - even[258 + 2 * m]).sum())
    q = _small_root(a + b + c, -(2 * a + b), a)
    return _clip(2 * q)


def _small_root(a: float, b: float, c: float) -> float:
    """The root of a x^2 + b x + c nearest zero (the vertex when both are complex)."""
    scale = max(abs(a), abs(b), abs(c))
    if scale == 0:
        return 0.0
    if abs(a) < 1e-12 * scale:
        return -c / b if b else 0.0
    discriminant = b * b - 4 * a * c
    if discriminant < 0:
        return -b / (2 * a)
    root = math.sqrt(discriminant)
    return min((-b + root) / (2 * a), (-b - root) / (2 * a), key=abs)


def _clip(rate: float) -> float:
    return min(max(float(rate), 0.0), 1.0) if math.isfinite(rate) else 0.0


# --- RS analysis ------------------------------------------------------------------------------


def _rs_counts(plane: Samples, usable: npt.NDArray[np.bool_]) -> Counts:
    """Regular and singular counts of 1x4 groups: masks +1/-1, on the plane and its LSB-flip.

    Groups with a sample that is not ``usable`` are left out, as in SPA."""
    out = np.zeros((2, 2, 2), np.int64)
    width = plane.shape[1] & ~3
    if width == 0 or plane.shape[0] == 0:
        return out
    samples = np.ascontiguousarray(plane[:, :width]).reshape(-1, 4)
    unusable = np.take((~usable).view(np.uint8), samples)  # a 0/1 byte per sample
    kept = unusable.view(np.uint32).ravel() == 0  # no unusable byte among the four
    groups = np.ascontiguousarray(samples.T, dtype=np.int16)  # (4, groups): rows contiguous
    for flipped, pixels in enumerate((groups, groups ^ 1)):
        x0, x1, x2, x3 = pixels
        base = _roughness(x0, x1, x2, x3)
        for sign, shift in enumerate((_flip, _flip_shifted)):
            changed = _roughness(x0, shift(x1), shift(x2), x3)
            out[sign, flipped, 0] = np.count_nonzero((changed > base) & kept)
            out[sign, flipped, 1] = np.count_nonzero((changed < base) & kept)
    return out


Wide = npt.NDArray[np.int16]


def _roughness(x0: Wide, x1: Wide, x2: Wide, x3: Wide) -> Wide:
    total: Wide = np.abs(x1 - x0) + np.abs(x2 - x1) + np.abs(x3 - x2)
    return total


def _flip(x: Wide) -> Wide:
    return x ^ 1  # 0<->1, 2<->3, ...


def _flip_shifted(x: Wide) -> Wide:
    return ((x + 1) ^ 1) - 1  # -1<->0, 1<->2, ...


def _rs_rate(counts: Counts) -> float:
    """Embedding rate from the R/S counts (Fridrich, Goljan and Du's quadratic)."""
    groups = int(counts[0, 0].sum())  # regular or singular under mask +1: the informative ones
    if groups < _MIN_PAIRS // 4:
        return 0.0
    d = (counts[:, :, 0] - counts[:, :, 1]) / groups  # R - S, [mask sign, flipped]
    d0, d1, dn0, dn1 = (float(v) for v in (d[0, 0], d[0, 1], d[1, 0], d[1, 1]))
    roots = np.roots([2 * (d1 + d0), dn0 - dn1 - d1 - 3 * d0, d0 - dn0])
    if len(roots) == 0:
        return 0.0
    if np.iscomplexobj(roots) and roots[0].imag != 0:
        # near full embedding noise makes the roots complex, far from 0, and p(x) near 1
        return _clip(float((roots[0] / (roots[0] - 0.5)).real))
    # rates 0..1 are roots x <= 0 (p = x / (x - 1/2)); a small positive x is a clean image's
    # noise, a root past 1/2 (p > 1) a spurious one: the smallest other root is the answer
    plausible = sorted((float(x.real) for x in roots if x.real <= 0.5), key=abs)
    if not plausible:
        return 1.0
    x = plausible[0]
    return _clip(x / (x - 0.5)) if x != 0.5 else 1.0


# --- LSB matching: calibrated adjacency HCF centre of mass -------------------------------------

_FREQUENCY = np.abs(np.fft.fftfreq(256, 1 / 256))
# |k| + |l| over the half-plane rfft2 returns (the other half mirrors it)
_WEIGHTS = _FREQUENCY[:, np.newaxis] + np.arange(129)[np.newaxis, :]


def _centre_of_mass(pairs: Counts) -> float:
    magnitude = np.abs(np.fft.rfft2(pairs.reshape(256, 256).astype(np.float64)))
    total = float(magnitude.sum())
    return float((magnitude * _WEIGHTS).sum()) / total if total else 0.0


def _matching(full_pairs: Counts, reduced_pairs: Counts) -> float:
    """1 - COM(image) / COM(2x2-averaged image), averaged over the matching planes."""
    deficits = []
    for full, reduced in zip(full_pairs, reduced_pairs, strict=True):
        com_full, com_reduced = _centre_of_mass(full), _centre_of_mass(reduced)
        if com_full > 0 and com_reduced > 0 and reduced.sum() >= 64:
            deficits.append(1.0 - com_full / com_reduced)
    return float(np.mean(deficits)) if deficits else 0.0


# --- PIL boundary -----------------------------------------------------------------------------

_LOSSY_FORMATS = frozenset({"JPEG", "MPO"})
_MODES = {"L": 1, "LA": 1, "RGB": 3, "RGBA": 3, "RGBX": 3}


def image_samples(image: Image.Image) -> Samples | None:
    """The uint8 samples of a decoded image, alpha dropped, or None where LSB analysis does not
    apply: lossy formats (JPEG: its stego lives in DCT coefficients, out of scope), palette
    and bilevel images (a palette index's LSB is not an intensity's: the cover models fail),
    16- and 32-bit, CMYK and other colour spaces, and images under ``MIN_PIXELS`` or 8 pixels
    on a side. Raises ``ItemError`` when the pixels cannot be decoded.
    """
    if image.format in _LOSSY_FORMATS or image.mode not in _MODES:
        return None
    width, height = image.size
    if min(width, height) < 8 or width * height < MIN_PIXELS:
        return None
    try:
        samples = np.asarray(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ItemError(f"image pixels cannot be decoded: {error}") from error
    if samples.ndim == 3:
        samples = samples[:, :, : _MODES[image.mode]]
    return samples if samples.dtype == np.uint8 else None


def analyze_image(image: Image.Image) -> StegoEstimate | None:
    """``analyze`` on a decoded lossless image; None where ``image_samples`` says it does not
    apply. The caller passes PNG, BMP, TIFF, lossless WebP and the like, never JPEG."""
    samples = image_samples(image)
    return None if samples is None else analyze(samples)
