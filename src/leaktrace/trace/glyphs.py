"""The characters the invisible layer writes: zero-width marks and look-alike letters.

Every mark has two *positive* forms, one per bit, so that a copy whose marks were stripped (or
the unmarked original) reads as unread, never as a 0 or a 1.
"""

from __future__ import annotations

ZERO_WIDTH = ("\u200b", "\u200c")
"""Bit 0: zero-width space; bit 1: zero-width non-joiner. Written just before a word."""

# Latin letter -> (Cyrillic look-alike for bit 0, Greek look-alike for bit 1). Both render as
# the Latin letter in common fonts, and neither has a compatibility decomposition, so NFKC
# (which a PDF or a search index may apply) keeps them. Each folds to its Latin letter in
# ``protect.normalize`` too, so marks never change a document's fingerprints ("I" is left
# out: its look-alikes fold to "l" there).
HOMOGLYPHS: dict[str, tuple[str, str]] = {
    "o": ("\u043e", "\u03bf"),
    "A": ("\u0410", "\u0391"),
    "B": ("\u0412", "\u0392"),
    "E": ("\u0415", "\u0395"),
    "H": ("\u041d", "\u0397"),
    "K": ("\u041a", "\u039a"),
    "M": ("\u041c", "\u039c"),
    "O": ("\u041e", "\u039f"),
    "P": ("\u0420", "\u03a1"),
    "T": ("\u0422", "\u03a4"),
    "X": ("\u0425", "\u03a7"),
    "Y": ("\u04ae", "\u03a5"),
}

LOOKALIKE_BITS: dict[str, int] = {
    glyph: bit for pair in HOMOGLYPHS.values() for bit, glyph in enumerate(pair)
}
"""Every look-alike the layer writes, and the bit it stands for."""

LOOKALIKE_LATIN: dict[str, str] = {
    glyph: latin for latin, pair in HOMOGLYPHS.items() for glyph in pair
}
"""Every look-alike the layer writes, and the Latin letter it stands in for."""
