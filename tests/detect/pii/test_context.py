"""Context words move a match's confidence."""

from __future__ import annotations

from leaktrace.detect.pii.context import LOWER, RAISE, Context

CONTEXT = Context(("card", "visa"))


def adjust(text: str, value: str, base: float = 0.5) -> tuple[float, list[str]]:
    start = text.index(value)
    return CONTEXT.adjust(text, start, start + len(value), base)


def test_raising_words_before_or_after() -> None:
    assert adjust("Visa card 1234", "1234") == (0.5 + RAISE, ["+card", "+visa"])
    assert adjust("1234 (card)", "1234")[0] == 0.5 + RAISE


def test_lowering_words() -> None:
    confidence, signals = adjust("Invoice no. 1234", "1234")
    assert confidence == 0.5 - LOWER
    assert signals == ["-invoice no"]


def test_words_count_whole() -> None:
    assert adjust("discarded 1234", "1234") == (0.5, [])
    assert adjust("reordering 1234", "1234") == (0.5, [])


def test_far_words_do_not_count() -> None:
    assert adjust("card" + " " * 200 + "1234", "1234") == (0.5, [])


def test_confidence_stays_between_zero_and_one() -> None:
    assert adjust("visa card 1234", "1234", base=0.95)[0] == 1.0
    assert adjust("sha commit 1234", "1234", base=0.1)[0] == 0.0


def test_only_the_match_line_counts() -> None:
    # The word "invoice" ends the line before: it describes something else.
    assert adjust("see the invoice\n1234 is mine", "1234") == (0.5, [])
    assert adjust("Visa\n1234", "1234") == (0.5, [])


def test_a_table_column_header_is_context() -> None:
    table = "id;amount;card_number\npay_1;641;1234\n"
    assert adjust(table, "1234") == (0.5 + RAISE, ["+card"])
    plain = "id;amount;ref\npay_1;641;1234\n"
    assert adjust(plain, "1234") == (0.5, [])


def test_rows_that_do_not_fit_the_header_get_no_header() -> None:
    ragged = "id,card\nalpha,beta,1234\n"
    assert adjust(ragged, "1234") == (0.5, [])
    numeric_header = "2024,2025\n7,1234\n"  # a first line of numbers names no columns
    assert adjust(numeric_header, "1234") == (0.5, [])


def test_a_number_in_a_url_is_an_identifier_first() -> None:
    fuzz = "Fixes https://oss-fuzz.com/testcase-detail/5390364397928448 in the parser"
    assert adjust(fuzz, "5390364397928448", base=0.75) == (0.75 - LOWER, ["-url"])
    assert adjust("see www.example.org/1234 today", "1234")[1] == ["-example", "-url"]
    query = "https://shop.test/pay?card=5390364397928448"
    assert adjust(query, "5390364397928448", base=0.75)[0] == 0.75 + RAISE - LOWER
    assert adjust("https://host/ and then 1234 alone", "1234") == (0.5, [])
    assert adjust("https://host/a\n1234 on its own line", "1234") == (0.5, [])
