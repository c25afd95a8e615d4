import hashlib
import hmac
import math

import numpy as np
import pytest

from leaktrace.trace.code import FingerprintCode, cutoff

KEY = bytes(range(32))
SCALE = 2**32


def scaled(code: FingerprintCode) -> list[int]:
    return [int(k) for k in (code.biases * SCALE).astype(np.int64)]


# Pinned outputs: a change here means every issued document's codewords changed.


def test_pinned_half_bias_codewords() -> None:
    code = FingerprintCode.generate(8, 1, KEY)
    assert scaled(code) == [SCALE // 2] * 8
    assert code.codeword(0).tolist() == [1, 0, 0, 1, 1, 0, 1, 1]
    assert code.codeword(5).tolist() == [0, 0, 0, 1, 0, 1, 0, 1]


def test_pinned_arcsine_code() -> None:
    code = FingerprintCode.generate(8, 3, KEY)
    assert scaled(code) == [
        862800587,
        3824778846,
        4171062771,
        1216223658,
        2477649924,
        3230743824,
        74558666,
        3513199160,
    ]
    assert code.codeword(0).tolist() == [1, 1, 1, 1, 1, 1, 0, 1]
    assert code.codeword(5).tolist() == [0, 1, 1, 0, 1, 1, 0, 1]


def test_pinned_digests_of_a_longer_code() -> None:
    code = FingerprintCode.generate(1000, 4, KEY)
    biases = (code.biases * SCALE).astype("<u8").tobytes()
    assert hashlib.sha256(biases).hexdigest() == (
        "e1f84b491523edefdd7713e611229e66150814f238c628bfc4d10217d0d233b7"
    )
    assert hashlib.sha256(code.codewords(4).tobytes()).hexdigest() == (
        "f3fd032614b2614f6e73f4e132306bdcc371756803fb55ab21af11e5e0433736"
    )


def test_codeword_follows_the_documented_construction() -> None:
    """Rebuilt with the standard library alone: nothing depends on numpy's generators."""
    code = FingerprintCode.generate(300, 3, KEY)
    label = b"leaktrace.trace/codeword/" + (7).to_bytes(8, "big")
    stream = hashlib.shake_256(hmac.new(KEY, label, hashlib.sha256).digest()).digest(4 * 300)
    words = [int.from_bytes(stream[4 * i : 4 * i + 4], "little") for i in range(300)]
    expected = [int(word < k) for word, k in zip(words, scaled(code), strict=True)]
    assert code.codeword(7).tolist() == expected


# Determinism and independence.


def test_same_key_same_code() -> None:
    first, second = FingerprintCode.generate(500, 3, KEY), FingerprintCode.generate(500, 3, KEY)
    assert np.array_equal(first.biases, second.biases)
    assert np.array_equal(first.codewords(10), second.codewords(10))
    assert all(np.array_equal(first.codewords(10)[j], first.codeword(j)) for j in range(10))


def test_a_longer_code_extends_a_shorter_one() -> None:
    short, long = FingerprintCode.generate(100, 4, KEY), FingerprintCode.generate(700, 4, KEY)
    assert np.array_equal(long.biases[:100], short.biases)
    assert np.array_equal(long.codeword(3)[:100], short.codeword(3))


@pytest.mark.parametrize("collusion", [1, 3])
def test_different_keys_and_recipients_differ(collusion: int) -> None:
    first = FingerprintCode.generate(256, collusion, KEY)
    other = FingerprintCode.generate(256, collusion, bytes(31) + b"\x01")
    assert not np.array_equal(first.codeword(0), other.codeword(0))
    assert not np.array_equal(first.codeword(0), first.codeword(1))
    if collusion > 2:
        assert not np.array_equal(first.biases, other.biases)


def test_a_fresh_key_when_none_is_given() -> None:
    first, second = FingerprintCode.generate(64, 3), FingerprintCode.generate(64, 3)
    assert len(first.key) == 32
    assert first.key != second.key
    assert not np.array_equal(first.biases, second.biases)


# Biases.


def test_cutoff_choice() -> None:
    assert cutoff(1) == cutoff(2) == 0.5
    assert cutoff(3) == pytest.approx(1 / 90)
    assert cutoff(10) == pytest.approx(1 / 300)
    with pytest.raises(ValueError, match="collusion"):
        cutoff(0)


@pytest.mark.parametrize("collusion", [1, 2, 3, 4, 8])
def test_biases_lie_in_the_cutoff_range_on_the_2_pow_32_grid(collusion: int) -> None:
    code = FingerprintCode.generate(5000, collusion, KEY)
    t = code.cutoff
    assert code.length == 5000
    assert np.all((code.biases >= t) & (code.biases <= 1 - t))
    assert np.array_equal(code.biases * SCALE, np.floor(code.biases * SCALE))
    if collusion <= 2:
        assert np.all(code.biases == 0.5)


def test_biases_follow_the_truncated_arcsine_law() -> None:
    code = FingerprintCode.generate(20000, 3, KEY)
    t = code.cutoff
    low = math.asin(math.sqrt(t))

    def arcsine_cdf(p: float) -> float:
        return (math.asin(math.sqrt(p)) - low) / (math.pi / 2 - 2 * low)

    for p in (0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98):
        share = float(np.mean(code.biases <= p))
        assert share == pytest.approx(arcsine_cdf(p), abs=0.015), p
    assert code.biases.min() < 0.02  # both tails are really used
    assert code.biases.max() > 0.98


def test_bits_are_ones_with_the_slot_bias() -> None:
    code = FingerprintCode.generate(40, 4, KEY)
    frequency = code.codewords(4000).mean(axis=0)
    spread = np.sqrt(code.biases * (1 - code.biases) / 4000)
    assert np.all(np.abs(frequency - code.biases) <= 5 * spread + 1e-12)


def test_biases_are_read_only() -> None:
    code = FingerprintCode.generate(10, 3, KEY)
    with pytest.raises(ValueError):
        code.biases[0] = 0.5


# Misuse.


@pytest.mark.parametrize(
    ("length", "collusion", "key", "message"),
    [
        (0, 2, KEY, "at least one slot"),
        (10, 0, KEY, "collusion"),
        (10, 2, b"short", "32 bytes"),
    ],
)
def test_generate_rejects_bad_arguments(
    length: int, collusion: int, key: bytes, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        FingerprintCode.generate(length, collusion, key)


@pytest.mark.parametrize(
    "biases",
    [np.array([]), np.array([0.0, 0.5]), np.array([0.5, 1.0]), np.array([0.3]), np.ones((2, 2))],
)
def test_construction_rejects_biases_that_codewords_cannot_follow_exactly(
    biases: np.ndarray,
) -> None:
    with pytest.raises(ValueError, match="biases"):
        FingerprintCode(KEY, 3, biases)


def test_codeword_rejects_bad_recipients() -> None:
    code = FingerprintCode.generate(10, 2, KEY)
    with pytest.raises(ValueError, match="index"):
        code.codeword(-1)
    with pytest.raises(TypeError, match="int"):
        code.codeword(True)
    with pytest.raises(TypeError, match="int"):
        code.codeword(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        code.codewords(-1)
    assert code.codewords(0).shape == (0, 10)
    assert code.codeword(np.int64(3)).tolist() == code.codeword(3).tolist()  # type: ignore[arg-type]
