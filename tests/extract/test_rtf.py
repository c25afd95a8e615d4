"""RTF extractor: body, headers, footers, footnotes, annotations, properties, hostile input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext, Extraction
from leaktrace.extract.rtf import RtfExtractor
from tests.extract.test_zip import expect_only_item_errors

DOC = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}}"
    rb"{\info{\title Merger plan}{\author Alice Auditor}{\keywords falcon}}"
    b"\n"
    rb"{\header \pard Header CONFIDENTIAL\par}{\footer \pard Footer words\par}"
    rb"\pard Body with caf\'e9 and \u8364? euro\par "
    rb"Cell A\tab Cell B{\footnote \pard Footnote text\par}\par "
    rb"{\*\annotation \pard Reviewer remark\par}"
    rb'{\field{\*\fldinst{HYPERLINK "http://intranet.example/"}}{\fldrslt{link text}}}\par '
    rb"Smile \u-10179\u-8694?\par"
    b"}"
)


def extract(data: bytes) -> Extraction:
    item = Item(Lineage.root("d.rtf"), data, mediatypes.RTF)
    return RtfExtractor().extract(item, ExtractContext(Budget(Limits())))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (DOC, mediatypes.RTF),
        (b"\xef\xbb\xbf" + DOC, mediatypes.RTF),
        (b"\r\n  " + DOC, mediatypes.RTF),
        (b"{\\rtf", mediatypes.RTF),
        (b"{\\rt", None),
        (b"x{\\rtf1}", None),
        (b"", None),
    ],
    ids=["rtf", "bom", "whitespace", "magic-only", "short", "prefixed", "empty"],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert RtfExtractor().sniff(data[:8192], data) == expected


def test_text_holds_body_side_groups_and_properties() -> None:
    assert extract(DOC).text == "\n".join(
        [
            "Body with café and € euro",
            "Cell A\tCell B",
            "link text",
            "Smile \U0001f60a",
            "Header CONFIDENTIAL",
            "Footer words",
            "Footnote text",
            "Reviewer remark",
            "Title: Merger plan",
            "Author: Alice Auditor",
            "Keywords: falcon",
        ]
    )


def test_metadata() -> None:
    assert extract(DOC).metadata == {
        "title": "Merger plan",
        "author": "Alice Auditor",
        "keywords": "falcon",
    }


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (rb"{\rtf1 \uc \u99999999999 x\bin y}", "y"),  # malformed words do not stop the text
        (rb"{\rtf1{\fonttbl{\f0\fcharset78 Osaka;}}\f0 \'82\'a0 plain}", "plain"),
        (b"{\\rtf1 unclosed group {{{ text", "text"),
        (b"{\\rtf1}", ""),
        ("{\\rtf1 Gr\u00fc\u00dfe raw utf8}".encode(), "Gr\u00fc\u00dfe raw utf8"),
    ],
    ids=["bad-words", "charset-without-codec", "unbalanced", "empty", "raw-utf8"],
)
def test_malformed_input_still_gives_text(data: bytes, text: str) -> None:
    assert (extract(data).text or "").endswith(text)


@pytest.mark.parametrize(
    "data",
    [
        b"{\\rtf1 " + b"{\\field{\\*\\fldinst{" * 20_000 + b"}",  # the hyperlink regex trap
        b"{\\rtf1{\\fonttbl" + b"\\f1" * 200_000 + b"}} body}",  # the font-table regex trap
        b"{\\rtf1 " + b"{\\footnote " * 20_000 + b"x}",  # many nested side groups
    ],
    ids=["hyperlink-backtracking", "font-table-backtracking", "nested-footnotes"],
)
def test_pathological_input_finishes_quickly(data: bytes) -> None:
    started = time.monotonic()
    extract(data)
    assert time.monotonic() - started < 10


def test_time_limit_is_enforced() -> None:
    context = ExtractContext(Budget(Limits(max_seconds=0.000_001)))
    time.sleep(0.001)
    with pytest.raises(ItemError, match="longer than"):
        RtfExtractor().extract(Item(Lineage.root("d"), DOC, mediatypes.RTF), context)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=512))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    RtfExtractor().sniff(data, data)
    expect_only_item_errors(RtfExtractor(), b"{\\rtf1 " + data, mediatypes.RTF)


RTF_ALPHABET = st.sampled_from(
    ["{", "}", "\\", "\\u", "\\uc", "\\'", "\\bin", "\\par", "\\*", "\\footnote", "\\info",
     "\\title", "\\fonttbl", "\\fcharset", "\\field{", "-", "1", "99999", "e9", " ", "a", "\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RTF_ALPHABET, max_size=60))
def test_rtf_token_soup_only_raises_item_errors(tokens: list[str]) -> None:
    expect_only_item_errors(RtfExtractor(), ("{\\rtf1 " + "".join(tokens)).encode(), mediatypes.RTF)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(DOC) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_rtf_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(DOC)
    for position, value in changes:
        data[position] = value
    expect_only_item_errors(RtfExtractor(), bytes(data), mediatypes.RTF)
