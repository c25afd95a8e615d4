"""What a wording variant is: ways to write the same thing, and where a reader finds them.

A variant is data (see ``variants.py`` for the curated list). Each has an id an author can
veto, one or more families of forms (pairs, or up to ``positions.MAX_FORMS`` forms; folded:
lower case, straight apostrophes), and conditions on the text around a form that keep a swap
safe ("about" only before a number). Forms are found in the *original* document only; a
position exists where the original already uses one form of a family, and a copy either keeps
it or writes another one (``positions``: a family of k forms carries k - 1 slots).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["at", "before", "after"]
"""Where a reader looks for the forms, relative to the slot's anchor word: at its start, just
after the word before it (a comma before "and"), or just after it ("%" after "10")."""

Register = Literal["", "contracted", "british", "american"]
Style = Literal["safe", "bold"]
STYLES: tuple[Style, ...] = ("safe", "bold")
"""How far a copy's wording may move from the original's style. "safe" (the default): swaps
an editor would accept anywhere. "bold" (asked for): also swaps that change the style visibly
and may mix two styles in one copy (dates written "1 February" and "February 1st"; "do not"
contracted in a text that never contracts)."""

SENTENCE_START = (
    r"(?:\A\s*|[.!?:][\"'\u201d\u2019)\]]*\s+|\n[ \t]*\n\s*|\n\s*(?:[-*\u2022]|\d+[.)])\s+)"
)
"""A ``before`` condition: the form opens a sentence, a paragraph or a list item (a line break
alone is not enough: hard-wrapped text breaks lines anywhere)."""


@dataclass(frozen=True)
class Variant:
    """Families of interchangeable forms with the same meaning (mostly pairs)."""

    id: str
    pairs: tuple[tuple[str, ...], ...]
    """Each a family of two or more forms; any of them may be the original (see ``sources``)."""
    mode: Mode = "at"
    sources: Literal["ab", "a", "b"] = "ab"
    """Which side of a pair may stand in the original (the swap is only safe in one direction
    when the other form has several meanings: "in order to" -> "to", never back). Families of
    more than two forms use "ab": any form may be the original."""
    before: str = ""
    """Regex the text before the form must end with (case-sensitive; use ``(?i:...)``)."""
    not_before: str = ""
    after: str = ""
    """Regex the text after the form must start with."""
    not_after: str = ""
    requires: Register = ""
    """The document must already show this register: contractions, or British spelling."""
    style: Style = "safe"
    """Only in copies made in the bold style (see ``STYLES``)."""
    written_only: tuple[str, ...] = ()
    """Forms a copy may write but that are never taken from an original (a dash joining two
    sentences: in an original, a dash may open an aside)."""
    lookbehind: int = 100
    """How many characters before the form ``before`` and ``not_before`` may look at (a
    condition on a whole sentence needs more than the default)."""
    groups: tuple[str, ...] = ()
    """Other groups whose veto removes the variant too (a sentence join that also contracts
    is vetoed by "contraction" as well as "punct")."""
    exact_case: bool = False
    """Match the forms in the case the table writes them ("US" the country, not "us"); the
    forms of other variants are folded (lower case)."""
    note: str = ""
    example: str = ""
    """A sentence where a form (put at ``{}``) may be swapped: documentation and a test."""

    def forms(self) -> dict[str, tuple[str, ...]]:
        """Every form the original may have -> (that form, then the ones a copy may write
        instead, in the family's order)."""
        found: dict[str, tuple[str, ...]] = {}
        for family in self.pairs:
            for index, form in enumerate(family):
                if form in self.written_only:
                    continue
                if len(family) > 2 or "ab"[index] in self.sources:
                    others = tuple(other for other in family if other != form)
                    found.setdefault(form, (form, *others))
        return found


def form_regex(form: str) -> str:
    """A regex for a folded form: any whitespace between its words, a word boundary after it.

    The empty form (no comma) matches only where whitespace follows, so a reader tells
    "x, and" from "x and" but reads neither in "x; and".
    """
    if not form:
        return r"(?=\s)"
    body = r"\s+".join(re.escape(part) for part in form.split(" "))
    return body + (r"(?!\w)" if form[-1].isalnum() else "")


@functools.cache
def search_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Finds any of ``forms``, longest first ("e.g.," before "e.g.").

    No lookbehind: a pattern that starts with a literal lets ``re`` skip ahead fast; callers
    check what stands before a match.
    """
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(form_regex(form) for form in ordered))


@functools.cache
def reading_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Matches any folded form of a position, longest first: ``lastgroup`` is "f" and the
    form's index."""
    ordered = sorted(enumerate(forms), key=lambda item: len(item[1]), reverse=True)
    return re.compile("|".join(f"(?P<f{index}>{form_regex(form)})" for index, form in ordered))


@functools.cache
def condition(regex: str, at_end: bool) -> re.Pattern[str] | None:
    if not regex:
        return None
    return re.compile(f"(?:{regex})\\Z" if at_end else regex)
