"""The invisible layer: a zero-width mark before a word, a look-alike letter inside it.

About one or two slots per word, so a pasted excerpt of a sentence names its recipient; all
of them are lost when the text is retyped or normalized. Both bits are written marks, so the
unmarked original and a stripped copy read as unread. Reading is vectorized in ``read.py``.
"""

from __future__ import annotations

from leaktrace.trace.glyphs import HOMOGLYPHS
from leaktrace.trace.tokens import Words

ZERO_WIDTH_ID = "invisible.zero_width"
LOOKALIKE_ID = "invisible.lookalike"


def zero_width_point(words: Words, anchor: int) -> int | None:
    """Where a zero-width mark goes for the word at ``anchor``: just before it.

    None for the second word of a contraction read as two ("don't" -> do, not): it has no
    place of its own.
    """
    start = int(words.starts[anchor])
    if anchor and int(words.starts[anchor - 1]) == start:
        return None
    return start


def lookalike_point(words: Words, anchor: int) -> int | None:
    """The first letter of the word at ``anchor`` that has look-alikes, if any."""
    start, end = int(words.starts[anchor]), int(words.ends[anchor])
    if anchor and int(words.starts[anchor - 1]) == start:
        return None
    for offset in range(start, end):
        if words.text[offset] in HOMOGLYPHS:
            return offset
    return None
