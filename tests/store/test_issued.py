"""Issued documents in the store: keys, plans and code words round-trip; copies are found."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.core.errors import StoreError
from leaktrace.store import Store
from leaktrace.store.issued import NewRecipient, pack_code, unpack_code

SLOTS = 21  # not a multiple of 8: packing must keep the exact length


def recipients(count: int, seed: int = 1) -> list[NewRecipient]:
    rng = np.random.default_rng(seed)
    return [
        NewRecipient(
            recipient=f"r{n}",
            details={"name": f"Recipient {n}", "unit": "ops"},
            code=rng.integers(0, 2, SLOTS, dtype=np.uint8),
            copy_sha256=f"{n:064x}",
        )
        for n in range(count)
    ]


def issue(store: Store, people: list[NewRecipient], name: str = "briefing.docx") -> int:
    return store.add_issued(
        name=name,
        label="board",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        sha256="a" * 64,
        collusion=2,
        key=bytes(range(32)),
        plan='{"slots": []}',
        slot_count=SLOTS,
        recipients=people,
    )


def test_an_issued_document_round_trips(store: Store) -> None:
    people = recipients(5)
    number = issue(store, people)
    issued = store.issued_document(number)
    assert issued is not None
    assert (issued.summary.name, issued.summary.recipients, issued.summary.slot_count) == (
        "briefing.docx",
        5,
        SLOTS,
    )
    assert issued.key == bytes(range(32)) and issued.plan == '{"slots": []}'
    assert [r.recipient for r in issued.recipients] == ["r0", "r1", "r2", "r3", "r4"]
    assert [r.number for r in issued.recipients] == [0, 1, 2, 3, 4]
    assert dict(issued.recipients[3].details) == {"name": "Recipient 3", "unit": "ops"}
    assert np.array_equal(issued.codewords(), np.stack([p.code for p in people]))
    assert store.issued_document(number + 1) is None


def test_listing_and_removal(store: Store) -> None:
    first, second = issue(store, recipients(2)), issue(store, recipients(3), "plan.md")
    assert [s.id for s in store.issued_documents()] == [first, second]
    assert [s.recipients for s in store.issued_documents()] == [2, 3]
    assert [d.summary.name for d in store.iter_issued()] == ["briefing.docx", "plan.md"]
    assert store.remove_issued(first) and not store.remove_issued(first)
    assert [s.id for s in store.issued_documents()] == [second]


def test_a_copy_is_found_by_its_hash(store: Store) -> None:
    issue(store, recipients(4))
    found = store.issued_copy(f"{2:064x}")
    assert found is not None
    document, recipient = found
    assert (document.summary.name, recipient.recipient, recipient.number) == (
        "briefing.docx",
        "r2",
        2,
    )
    assert store.issued_copy("f" * 64) is None


def test_a_recipient_named_twice_is_refused(store: Store) -> None:
    people = recipients(2)
    with pytest.raises(StoreError, match="names a recipient twice"):
        issue(store, [people[0], people[0]])
    assert store.issued_documents() == []


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 1000])
def test_code_words_pack_to_the_exact_length(length: int) -> None:
    bits = np.random.default_rng(length).integers(0, 2, length, dtype=np.uint8)
    assert np.array_equal(unpack_code(pack_code(bits, length), length), bits)


def test_a_code_word_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="5 bits"):
        pack_code([0, 1, 1], 5)
    with pytest.raises(ValueError, match="5 bits"):
        pack_code([0, 1, 2, 0, 1], 5)
