"""Shared material for the marking tests: a briefing, leak simulations, a fixed key."""

from __future__ import annotations

import itertools
import re
import textwrap
import unicodedata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from leaktrace.trace.glyphs import LOOKALIKE_LATIN

KEY = bytes(range(16))
BRIEFING = (Path(__file__).parent / "data" / "briefing.txt").read_text(encoding="utf-8")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-"})
# A sentence ends before a capital (which a copy may precede with a zero-width mark or write
# as a look-alike) or at a blank line.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\u200b\u200c]?[^\W\da-z_])|\n\s*\n")


def random_bits(size: int, seed: int) -> npt.NDArray[np.uint8]:
    return np.random.default_rng(seed).integers(0, 2, size).astype(np.uint8)


def strip_invisible(text: str) -> str:
    """What a retyping, or a normalizing copy and paste, does to invisible marks."""
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return "".join(LOOKALIKE_LATIN.get(char, char) for char in text)


def retype(text: str, width: int = 57) -> str:
    """A retyped copy: no invisible marks, straight quotes, other spacing and line breaks."""
    plain = strip_invisible(text).translate(_QUOTES)
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", plain)]
    return "\n\n".join(textwrap.fill(part, width) for part in paragraphs if part)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence (or heading) of a text starts and ends."""
    cuts = [0] + [match.end() for match in SENTENCE_END.finditer(text)] + [len(text)]
    return list(itertools.pairwise(cuts))
