"""The wording layer: find where an original uses a variant form, write and read the other.

Wording survives retyping, re-wrapping and format conversion, at a few slots per hundred words.
Which form stands for bit 0 is drawn per slot from the plan's key, so the unmarked original
reads as a pattern of key noise that matches no recipient's codeword.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from leaktrace.trace.tokens import Rules, Words, fold
from leaktrace.trace.variant import Variant, condition, reading_pattern, search_pattern
from leaktrace.trace.variants import BRITISH_MARKERS, MONTHS, VARIANTS, WEEKDAYS

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SPACE_RUN = re.compile(r"\s+")
_CONTRACTION = re.compile(
    r"\b\w+n't\b|\b(?:i|you|we|they|it|that|there|he|she|let)'(?:s|re|ll|ve|m|d)\b"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_OPENING = re.compile(r"([.!?]\s+)([a-z])")
_PUNCT_SPACE = re.compile(r"[.,;:!?](\s+)")
_PROPER = {name.lower(): name for name in MONTHS + WEEKDAYS} | {
    f"q{number}": f"Q{number}" for number in range(1, 5)
}
_DASH = " - "
"""A spaced hyphen opening a form is written as a spaced em dash ("X \u2014 this means")."""


@dataclass(frozen=True)
class Found:
    """A place where the original uses one form of a variant."""

    variant: Variant
    start: int
    end: int
    forms: tuple[str, ...]
    """(the form the original has, then the ones a copy may write instead), folded."""


def registers(folded: str, tokens: Sequence[str]) -> frozenset[str]:
    """The registers a text shows: "contracted" and "british" or "american".

    Contracted: at least two contractions and one per thousand words (a licence that quotes
    one "don't" in an appendix is not written in a contracting register).
    """
    shown = {"british" if not BRITISH_MARKERS.isdisjoint(tokens) else "american"}
    contractions = sum(1 for _ in _CONTRACTION.finditer(folded))
    if contractions >= max(2, len(tokens) / 1000):
        shown.add("contracted")
    return frozenset(shown)


def active(veto: Iterable[str], shown: frozenset[str], style: str = "safe") -> tuple[Variant, ...]:
    """The variants that may mark a text: not vetoed (by id or group), of the style asked for
    and in a register the text shows. The bold style also contracts a text that does not."""
    vetoed = set(veto)
    if style == "bold":
        shown = shown | {"contracted"}
    return tuple(
        variant
        for variant in VARIANTS
        if not vetoed.intersection([*_groups(variant.id), *variant.groups])
        and (variant.style == "safe" or style == "bold")
        and (not variant.requires or variant.requires in shown)
    )


def _groups(ident: str) -> list[str]:
    """An id and every dotted group it belongs to: "a.b.c" -> a, a.b, a.b.c; plus "wording"."""
    parts = ident.split(".")
    return ["wording"] + [".".join(parts[: count + 1]) for count in range(len(parts))]


def find(words: Words, variants: Iterable[Variant]) -> Iterator[Found]:
    """Every form of ``variants`` in the text whose conditions hold, in no particular order."""
    text, folded = words.text, words.folded
    for variant in variants:
        index = {_key(form): pair for form, pair in variant.forms().items()}
        present = tuple(form for form in index if _may_occur(form, variant, words.vocabulary))
        if not present:
            continue
        haystack = text if variant.exact_case else folded
        for match in search_pattern(present).finditer(haystack):
            start, end = match.span()
            if _BLANK_LINE.search(haystack, start, end):
                continue  # a form never spans two paragraphs
            if _bounded(folded, start, variant.mode) and _conditions_hold(
                variant, text, start, end
            ):
                family = index[_key(match.group())]
                yield Found(variant, start, end, tuple(fold(form) for form in family))


def _may_occur(form: str, variant: Variant, vocabulary: frozenset[str]) -> bool:
    """Whether a form's first word is in the text at all (forms without words: maybe)."""
    first = _WORD.search(fold(form))
    return first is None or first.group() in vocabulary


def _bounded(folded: str, start: int, mode: str) -> bool:
    """A form "at" a word starts a word (not the end of a compound: "non-real-time"); one
    "before" or "after" a word follows a word."""
    previous = folded[start - 1] if start else " "
    word_before = previous.isalnum() or previous == "_"
    return not (word_before or previous in "'-") if mode == "at" else word_before


def _key(form: str) -> str:
    return _SPACE_RUN.sub(" ", form)


def _conditions_hold(variant: Variant, text: str, start: int, end: int) -> bool:
    """Whether the text around a form meets the variant's conditions; the cheap anchored
    ``after`` checks first (a form without words matches at every space)."""
    checks = (
        (condition(variant.after, False), False, True),
        (condition(variant.not_after, False), False, False),
        (condition(variant.before, True), True, True),
        (condition(variant.not_before, True), True, False),
    )
    for pattern, before, wanted in checks:
        if pattern is None:
            continue
        if before:
            hit = pattern.search(text, max(0, start - variant.lookbehind), start)
        else:
            hit = pattern.match(text, end)
        if (hit is not None) != wanted:
            return False
    return True


@functools.cache
def canonical_rules() -> dict[tuple[str, ...], tuple[str, ...]]:
    """How every pair's forms read as the same words: the one with more words becomes the other.

    What a rule writes is itself read canonically ("one day" -> "a day" -> "per day" makes
    "one day" read as "per day"; "having said that" -> "that said" reads as "said" once "that"
    may go), so no output is rewritten again. A form that holds a rule's run but does not
    start with it ("that said") gets a rule of its own, so that it still starts a word a
    slot can be anchored at.
    """
    rules: dict[tuple[str, ...], tuple[str, ...]] = {}
    for variant in VARIANTS:
        for family in variant.pairs:
            for rule in family_rules(family):
                rules.setdefault(*rule)
    for variant in VARIANTS:
        for family in variant.pairs:
            for run in map(form_words, family):
                if len(run) > 1 and run not in rules and rewritten(run, rules) != run:
                    rules[run] = run
    for _ in range(len(rules)):
        settled = {key: rewritten(value, rules) for key, value in rules.items()}
        if settled == rules:
            break
        rules = settled
    return rules


def rewritten(run: tuple[str, ...], rules: Rules) -> tuple[str, ...]:
    """A run of words read by ``rules``, longest rule first, left to right (as ``words`` does)."""
    sizes = sorted({len(key) for key in rules}, reverse=True)
    out: list[str] = []
    index = 0
    while index < len(run):
        for size in sizes:
            output = rules.get(run[index : index + size]) if index + size <= len(run) else None
            if output is not None and not (size == len(run) and output == run):
                out += output
                index += size
                break
        else:
            out.append(run[index])
            index += 1
    return tuple(out)


def pair_rule(first: str, second: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The rewriting that makes ``second`` read as ``first`` (or the reverse), if they differ."""
    rules = family_rules((first, second))
    return rules[0] if rules else None


def family_rules(family: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The rewritings that make every form of a family read as its canonical form: the one
    with the fewest words (the first of those). A pair's longer form reads as its shorter one;
    of two as long, the second as the first."""
    runs = [form_words(form) for form in family]
    canonical = min(runs, key=len)
    return [(run, canonical) for run in dict.fromkeys(runs) if run != canonical]


def form_words(form: str) -> tuple[str, ...]:
    """The words of a form, as a rule key."""
    return tuple(_WORD.findall(fold(form)))


def reading_point(words: Words, anchor: int, mode: str) -> int:
    """Where a reader looks for a slot's forms (see ``Mode``)."""
    if mode == "before":
        return int(words.ends[anchor - 1])
    if mode == "after":
        return int(words.ends[anchor])
    return int(words.starts[anchor])


def read(words: Words, anchor: int, mode: str, forms: tuple[str, ...]) -> tuple[int, int]:
    """Which form a text has at a position (its index in ``forms``, or -1 for none), and where
    the form it has ends."""
    match = reading_pattern(forms).match(words.folded, reading_point(words, anchor, mode))
    if match is None or match.lastgroup is None:
        return -1, -1
    return int(match.lastgroup[1:]), match.end()


def rewrite(span: str, form: str, apostrophe: str) -> str:
    """``form`` (folded) written in the case of the text it replaces, with its apostrophe.

    All capitals stay all capitals; a span that starts with a capital gives a form that starts
    with a letter a capital ("Towards" -> "Toward", "In order to" -> "To"); month and day
    names are always capitalized ("1 February" -> "February 1st"), and so are "I" and "Q3",
    whose capital says nothing of the words after them ("in Q3" -> "in the third quarter"). A
    form that ends a sentence and opens the next ("; this" -> ". this") capitalizes the word
    after its stop and keeps the span's line break after its punctuation; one that opens with
    a spaced hyphen is written with a spaced em dash."""
    target = form.replace("'", apostrophe)
    if target.startswith(_DASH):
        target = " \u2014 " + target[len(_DASH) :]
    letters = [char for char in span if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return _spaced(span, target.upper())
    first = span.split(" ", 1)[0].lower()
    proper = first == "i" or first[:2] in ("i'", "i\u2019") or first in _PROPER
    if letters and letters[0].isupper() and target[:1].isalpha() and not proper:
        target = target[0].upper() + target[1:]
    target = " ".join(map(_proper, target.split(" ")))
    target = _SENTENCE_OPENING.sub(lambda match: match.group(1) + match.group(2).upper(), target)
    return _spaced(span, target)


def _proper(word: str) -> str:
    """A word as it is always written: "I", "I'm", "February"."""
    if word == "i" or word[:2] in ("i'", "i\u2019"):
        return "I" + word[1:]
    return _PROPER.get(word, word)


def _spaced(span: str, target: str) -> str:
    """``target`` with the whitespace the span has after its leading punctuation, when both
    begin with punctuation and a space: a line break stays ("X.\nThis" -> "X;\nthis"), and so
    does a sentence spacing before a new sentence ("X;  this" -> "X.  This"), but a semicolon
    or comma is followed by one space ("X.  This" -> "X; this")."""
    old, new = _PUNCT_SPACE.match(span), _PUNCT_SPACE.match(target)
    if old is None or new is None or not ("\n" in old.group(1) or target[0] in ".!?"):
        return target
    return target[: new.start(1)] + old.group(1) + target[new.end(1) :]


def apostrophe_of(text: str) -> str:
    """The apostrophe a text mostly uses (typographic or straight)."""
    return "\u2019" if text.count("\u2019") > text.count("'") else "'"


def matches(span: str, form: str) -> bool:
    """Whether an original's span still has the form a plan recorded for it."""
    return _key(fold(span)) == form
