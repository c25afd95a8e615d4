import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.protect.fingerprint import Params, fingerprint, winnow
from leaktrace.protect.normalize import normalize

ORIGINAL = (
    "The Kestrel sensor head passed its thermal qualification in August. Two of the five "
    "vibration runs showed a resonance near 412 Hz that the mechanical team traced to the "
    "mounting bracket; a stiffer bracket is on order from the Sheffield supplier."
)


def prints(text: str) -> set[int]:
    return set(fingerprint(text).hashes.tolist())


@pytest.mark.parametrize(
    "variant",
    [
        ORIGINAL.upper(),
        ORIGINAL.replace(" ", "\n"),
        ORIGINAL.replace(" ", "   \t "),
        ORIGINAL.replace("qualification", "quali-\nfication").replace(
            "mechanical", "mech-\n  anical"
        ),
        ORIGINAL.replace(".", " .").replace(";", ",").replace(",", " - "),
        "“" + ORIGINAL.replace("a", "\u0430").replace("e", "\u0435") + "”",  # Cyrillic look-alikes
        ORIGINAL.replace("the", "t\u200bhe").replace("bracket", "brac\u00adket"),  # invisible
        ORIGINAL.replace("412", "\uff14\uff11\uff12").replace("fi", "\ufb01"),  # NFKC forms
        ORIGINAL.replace("e", "é").replace("a", "à"),  # diacritics
    ],
    ids=[
        "case",
        "wrapping",
        "spacing",
        "hyphenation",
        "punctuation",
        "look-alikes",
        "invisible",
        "compatibility",
        "diacritics",
    ],
)
def test_reformatting_keeps_every_fingerprint(variant: str) -> None:
    assert prints(variant) == prints(ORIGINAL)


def test_different_words_make_different_prints() -> None:
    other = "Our open day welcomed more than three hundred visitors to the robotics club tour."
    assert not prints(ORIGINAL) & prints(other)
    every_third_changed = " ".join(
        f"x{i}" if i % 3 == 0 else word for i, word in enumerate(ORIGINAL.split())
    )
    assert not prints(ORIGINAL) & prints(every_third_changed)
    assert fingerprint("").hashes.size == 0
    assert fingerprint("too few words").hashes.size == 0


def test_line_numbers_refer_to_the_original_text() -> None:
    text = "alpha beta gam-\nma delta\n\nepsilon “zeta” eta\n"
    result = fingerprint(text, Params(shingle=1, window=1))
    assert result.word_count == 7
    assert result.word_lines(np.arange(result.word_count)).tolist() == [1, 1, 1, 2, 4, 4, 4]


def test_hashes_are_stable_across_processes_and_releases() -> None:
    # The index on disk depends on these values: changing them needs a new index format.
    assert fingerprint("one two three four five six seven").hashes.tolist() == [
        15325395589561494271
    ]
    assert fingerprint(
        "The Kestrel sensor head passed its thermal qualification in August"
    ).hashes.tolist() == [2668161899148360395, 1130350651008052567]
    assert normalize("Ab-\ncd").codes.tolist() == [ord("a"), ord("b"), ord("c"), ord("d")]


def test_winnowing_selects_one_minimum_per_window() -> None:
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**63, 500, dtype=np.uint64)
    chosen = set(winnow(hashes, 4).tolist())
    for start in range(0, 497):
        window = hashes[start : start + 4]
        assert start + int(np.argmin(window)) in chosen


words = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(words, min_size=12, max_size=40),
    st.lists(words, max_size=30),
    st.lists(words, max_size=30),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=6),
)
def test_the_winnowing_guarantee(
    shared: list[str], before: list[str], after: list[str], shingle: int, window: int
) -> None:
    """Any shared run of at least shingle + window - 1 words shares a fingerprint."""
    params = Params(shingle=shingle, window=window)
    if len(shared) < params.guarantee:
        return
    document = fingerprint(" ".join([*before, *shared, *after]), params)
    excerpt = fingerprint("\n".join(shared), params)
    assert set(document.hashes.tolist()) & set(excerpt.hashes.tolist())


@given(st.text(max_size=300))
def test_any_text_fingerprints_without_error(text: str) -> None:
    result = fingerprint(text)
    assert result.hashes.size == result.positions.size
    lines = result.word_lines(np.arange(result.word_count))
    if result.positions.size:
        assert int(result.positions.max()) < result.word_count
        assert int(lines.max()) <= text.count("\n") + 1


def test_fingerprint_density_is_about_two_per_window() -> None:
    rng = random.Random(3)
    text = " ".join(f"w{rng.randrange(10**6)}" for _ in range(20_000))
    result = fingerprint(text)
    density = result.hashes.size / result.word_count
    assert 2 / (Params().window + 1) * 0.8 < density < 2 / (Params().window + 1) * 1.2


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_text_folds_as_the_unicode_path_does(text: str) -> None:
    """ASCII takes a byte-translate shortcut; it must agree with the code point table."""
    fast = normalize(text)
    slow = normalize(text + "\u00e9")  # one non-ASCII letter: the general path
    assert fast.codes.tolist() == slow.codes[:-1].tolist()
    assert fast.line_ends.tolist() == slow.line_ends.tolist()


@pytest.mark.parametrize("hyphen", ["-", "\u00ad", "\u2010", "\u2011"])
def test_words_hyphenated_across_lines_join_with_any_hyphen(hyphen: str) -> None:
    broken = fingerprint(f"the infor{hyphen} \r\n  mation was shared\nwith the press")
    whole = fingerprint("the information was shared\nwith the press")
    assert broken.hashes.tolist() == whole.hashes.tolist()
    assert broken.word_lines(np.arange(broken.word_count)).tolist() == [1, 1, 2, 2, 3, 3, 3]
