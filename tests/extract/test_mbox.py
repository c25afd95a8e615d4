"""Mbox extractor: messages split on ``From `` separator lines, each opened as mail."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.limits import Limits
from leaktrace.extract.mbox import MboxExtractor, looks_like_mbox, message_spans
from tests.extract.test_mail import media, open_item, problems, scan, seen


def mbox_message(number: int, body: str) -> str:
    return (
        f"From sender{number}@example.org Mon Jan  {number} 10:00:00 2024\n"
        f"From: Sender {number} <sender{number}@example.org>\n"
        "To: archive@example.org\n"
        f"Subject: Message {number}\n"
        f"Message-ID: <{number}@example.org>\n"
        "\n"
        f"{body}\n"
        "\n"
    )


def sample_mbox() -> bytes:
    bodies = ["First body.", "Second body.\nFrom here on, a line that starts with From.", "Third."]
    return "".join(mbox_message(n, body) for n, body in enumerate(bodies, start=1)).encode()


def test_three_messages_with_lineage() -> None:
    report = scan("inbox.mbox", sample_mbox())
    found = seen(report)
    assert sorted(found) == [
        "inbox.mbox",
        "inbox.mbox!message-1.eml",
        "inbox.mbox!message-2.eml",
        "inbox.mbox!message-3.eml",
    ]
    assert media(report)["inbox.mbox"] == mediatypes.MBOX
    assert media(report)["inbox.mbox!message-2.eml"] == mediatypes.EMAIL
    assert "Subject: Message 2" in found["inbox.mbox!message-2.eml"]
    # "From here on" is not after a blank line, so it does not split message 2
    assert "From here on, a line that starts with From." in found["inbox.mbox!message-2.eml"]
    assert "Third." in found["inbox.mbox!message-3.eml"]
    assert problems(report) == []


def test_children_are_the_messages_without_separators() -> None:
    _, children, _ = open_item(MboxExtractor(), sample_mbox(), mediatypes.MBOX)
    assert [c.name for c in children] == ["message-1.eml", "message-2.eml", "message-3.eml"]
    assert children[0].data == (
        b"From: Sender 1 <sender1@example.org>\nTo: archive@example.org\nSubject: Message 1\n"
        b"Message-ID: <1@example.org>\n\nFirst body.\n"
    )


def test_crlf_mailbox() -> None:
    data = sample_mbox().replace(b"\n", b"\r\n")
    _, children, _ = open_item(MboxExtractor(), data, mediatypes.MBOX)
    assert len(children) == 3
    assert children[2].data.endswith(b"Third.\r\n")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (sample_mbox()[:300], True),
        (b"From alice@example.org Mon\nReceived: from x\nSubject: s\n\n", True),
        (b"From here to there we walked.\nIt was far.\n", False),
        (b"From: a@example.org\nTo: b@example.org\n\n", False),
        (b"From x\n", False),
        (b"", False),
    ],
)
def test_sniffing(head: bytes, expected: bool) -> None:
    assert looks_like_mbox(head) is expected
    assert (MboxExtractor().sniff(head, head) == mediatypes.MBOX) is expected


def test_mbox_wins_over_mail_and_text() -> None:
    from tests.extract.test_mail import mail_registry

    assert mail_registry().identify(sample_mbox()) == mediatypes.MBOX


def test_budget_counts_messages() -> None:
    report = scan("inbox.mbox", sample_mbox(), Limits(max_total_bytes=200))
    assert ("inbox.mbox", "limit", "total") in problems(report)


def test_empty_and_separator_only() -> None:
    assert message_spans(b"") == []
    _, children, _ = open_item(MboxExtractor(), b"From x\n", mediatypes.MBOX)
    assert [(c.name, c.data) for c in children] == [("message-1.eml", b"")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        _, children, _ = open_item(MboxExtractor(), b"From x\n" + data, mediatypes.MBOX)
    except ItemError:
        return
    assert sum(len(c.data) for c in children) <= len(data)
