"""A collusion-resistant fingerprinting code: the symmetric Tardos code, derived from a key.

Every recipient of an issued document gets a codeword of L bits, one per marked slot of their
copy. Slot i has a secret bias p_i; every recipient's bit in slot i is 1 with probability p_i,
independently of everything else. Biases follow the arcsine density 1/(pi*sqrt(p(1-p))) cut
off to [t, 1 - t] (Tardos 2003; the symbol-symmetric accusation of Skoric et al. 2008 is in
``accuse.py``). The cutoff depends on the coalition size C the code is designed for; see
``cutoff``.

Everything comes from the 32-byte key, so the store keeps only the key and recipient indices:
a purpose label and HMAC-SHA256 give a subkey, and SHAKE-256 of the subkey is the stream of
random bits (a standard extendable-output function, so the bits never depend on numpy's
random generators). Biases are drawn with nothing but IEEE addition, multiplication and
division, which are correctly rounded everywhere, and are rounded to multiples of 2**-32; a
codeword bit is 1 exactly when a 32-bit word of its stream is below p_i * 2**32. So codewords
are bit-for-bit the same on every machine and numpy version, and ``biases`` is *exactly* the
probability of a 1, which the accusation's bound relies on. A longer code with the same key
starts with the shorter one.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DEFAULT_FALSE_ACCUSATION = 1e-6
"""Default bound on the probability that any innocent recipient is accused."""

KEY_BYTES = 32
_SCALE = 2**32  # biases are multiples of 1/_SCALE: a bit is 1 when a uint32 word < p * _SCALE
_WORD_BITS = 64


def cutoff(collusion: int) -> float:
    """The bias cutoff t for a code designed against coalitions of ``collusion`` recipients.

    C <= 2: t = 1/2, every bias is exactly 1/2. A single leaker then gives away one full bit
    per read slot (an arcsine code gives about 0.56), so an excerpt names them with the fewest
    marks; and two colluders cannot hide either: where their bits agree they must copy them, so
    one of the two agrees with the leak on at least 3/4 of the slots while an innocent agrees
    on 1/2. Nuida et al. (2009) found the same: 1/2 is the optimal bias distribution for C <= 2.
    From three colluders on, equal biases fail (a minority vote leaves each colluder at exactly
    1/2 agreement), and the biases must spread out.

    C >= 3: t = 1/(30 C). Tardos' proof used 1/(300 C), made for worst-case analytic bounds
    on long codes. Here every accusation computes its own bound from the actual biases, so the
    cutoff is only a matter of power: tiny biases give a few slots huge scores (up to
    sqrt(1/t)), which thickens the tail an innocent's score can reach and costs marks on short
    excerpts, while too large a cutoff lets a coalition's minority vote blunt the scores.
    ``bench/trace_capacity.py --sweep-cutoff`` (coalitions of 3, 4 and 6; docs/tracing.md)
    found 1/(30 C) the largest cutoff that costs nothing against the minority vote, the
    hardest mix; larger cutoffs help against the others but lose 30% there at C = 6.
    """
    if collusion < 1:
        raise ValueError(f"collusion must be at least 1, not {collusion}")
    if collusion <= 2:
        return 0.5
    return 1.0 / (30 * collusion)


@dataclass(frozen=True, eq=False)
class FingerprintCode:
    """A symmetric Tardos code: the key it comes from, its design coalition and its biases."""

    key: bytes
    """32-byte secret, random per issued document."""
    collusion: int
    """The coalition size C the code is designed for (at least 1)."""
    biases: npt.NDArray[np.float64]
    """Per-slot probability of a 1, shape (L,), exact multiples of 2**-32; ``generate`` draws
    them in [t, 1 - t]."""

    def __post_init__(self) -> None:
        if not isinstance(self.key, bytes) or len(self.key) != KEY_BYTES:
            raise ValueError(f"the key must be {KEY_BYTES} bytes")
        cutoff(self.collusion)  # validates it
        biases = np.array(self.biases, dtype=np.float64)  # a private, read-only copy
        if biases.ndim != 1 or biases.size == 0:
            raise ValueError("biases must be a non-empty one-dimensional array")
        # exact multiples of 2**-32 strictly inside (0, 1): then a bit is 1 with exactly p_i
        scaled = biases * _SCALE
        if not np.all((scaled >= 1) & (scaled <= _SCALE - 1) & (scaled == np.floor(scaled))):
            raise ValueError("biases must be multiples of 2**-32 strictly between 0 and 1")
        biases.setflags(write=False)
        object.__setattr__(self, "biases", biases)

    @classmethod
    def generate(cls, length: int, collusion: int, key: bytes | None = None) -> FingerprintCode:
        """A code of ``length`` slots against ``collusion`` colluders; a fresh key when None."""
        if length < 1:
            raise ValueError(f"a code needs at least one slot, not {length}")
        key = secrets.token_bytes(KEY_BYTES) if key is None else key
        if len(key) != KEY_BYTES:
            raise ValueError(f"the key must be {KEY_BYTES} bytes, not {len(key)}")
        limit = cutoff(collusion)
        biases = np.full(length, 0.5) if limit == 0.5 else _arcsine_biases(key, length, limit)
        return cls(key=key, collusion=collusion, biases=biases)

    @property
    def length(self) -> int:
        """L, the number of slots."""
        return int(self.biases.size)

    @property
    def cutoff(self) -> float:
        """The t with every bias in [t, 1 - t]."""
        return cutoff(self.collusion)

    def codeword(self, recipient: int) -> npt.NDArray[np.uint8]:
        """Recipient ``recipient``'s bits (0/1, shape (L,)), always the same for this key."""
        if isinstance(recipient, bool) or not isinstance(recipient, int | np.integer):
            raise TypeError(f"a recipient is an int index, not {type(recipient).__name__}")
        if not 0 <= recipient < 2**63:
            raise ValueError(f"a recipient index must be in [0, 2**63), not {recipient}")
        label = b"codeword/" + int(recipient).to_bytes(8, "big")
        words = np.frombuffer(_stream(self.key, label, 4 * self.length), dtype="<u4")
        thresholds = (self.biases * _SCALE).astype(np.uint64)
        return (words < thresholds).astype(np.uint8)

    def codewords(self, recipients: int) -> npt.NDArray[np.uint8]:
        """The codewords of recipients 0 .. ``recipients`` - 1, shape (recipients, L)."""
        if recipients < 0:
            raise ValueError(f"the number of recipients cannot be negative ({recipients})")
        rows = np.empty((recipients, self.length), dtype=np.uint8)
        for recipient in range(recipients):
            rows[recipient] = self.codeword(recipient)
        return rows


def _stream(key: bytes, label: bytes, size: int) -> bytes:
    """``size`` pseudorandom bytes for one purpose: SHAKE-256 of HMAC-SHA256(key, label)."""
    subkey = hmac.new(key, b"leaktrace.trace/" + label, hashlib.sha256).digest()
    return hashlib.shake_256(subkey).digest(size)


def _arcsine_biases(key: bytes, length: int, limit: float) -> npt.NDArray[np.float64]:
    """``length`` arcsine biases in [limit, 1 - limit], multiples of 2**-32.

    A point (x, y) uniform in the unit disc has a uniform direction, so x**2 / (x**2 + y**2)
    is arcsine-distributed; points outside the disc or with a bias outside the cutoff are
    skipped (rejection sampling, i.e. the truncated law). Only +, * and / are used, so the
    values are the same on every machine. The stream is consumed in order, so a longer code
    extends a shorter one.
    """
    pairs = 2 * length + 64
    while True:
        raw = np.frombuffer(_stream(key, b"biases", 16 * pairs), dtype="<u8").astype(np.uint64)
        uniform = (raw >> np.uint64(_WORD_BITS - 53)).astype(np.float64) * 2.0**-53
        x = 2.0 * uniform[0::2] - 1.0
        y = 2.0 * uniform[1::2] - 1.0
        radius = x * x + y * y
        inside = (radius <= 1.0) & (radius > 0.0)
        bias = np.divide(x * x, radius, out=np.zeros_like(radius), where=inside)
        accepted = bias[inside & (bias >= limit) & (bias <= 1.0 - limit)]
        if accepted.size >= length:
            break
        pairs *= 2
    low = math.ceil(limit * _SCALE)
    scaled: npt.NDArray[np.float64] = np.clip(
        np.floor(accepted[:length] * _SCALE), low, _SCALE - low
    )
    return scaled / _SCALE
