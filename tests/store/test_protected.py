"""Protected documents in the store: metadata and fingerprints in, summaries and arrays out."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from leaktrace.core.errors import StoreError
from leaktrace.store import ProtectedSummary, Store
from leaktrace.store.db import alembic_config
from leaktrace.store.models import ProtectedDocument
from leaktrace.store.protected import pack_hashes, unique_hashes, unpack_hashes

T0 = datetime(2025, 6, 1, 12, 0, 0, 250000, tzinfo=UTC)
# Values past 2**63 on purpose: they must survive as unsigned on every backend.
HASHES = np.array([2**64 - 1, 7, 2**63 + 5, 7, 123456789], dtype=np.uint64)
SHA_A = "a" * 64
SHA_B = "b" * 64


def add(store: Store, **changes: Any) -> int:
    values: dict[str, Any] = {
        "name": "budget-2025.docx",
        "label": "finance",
        "kind": "document",
        "size": 5_000_000_000,  # beyond 32 bits on purpose
        "word_count": 1234,
        "sha256": SHA_A,
        "hashes": HASHES,
        "source": "/srv/share/budget-2025.docx",
        "added_at": T0,
    }
    values.update(changes)
    return store.add_protected(**values)


def test_migration_0002_makes_the_table() -> None:
    revision = ScriptDirectory.from_config(alembic_config()).get_revision("0002")
    assert revision is not None and revision.down_revision == "0001"


def test_add_and_read_back_the_metadata(store: Store) -> None:
    document_id = add(store)
    summary = store.protected_document(document_id)
    assert summary == ProtectedSummary(
        id=document_id,
        name="budget-2025.docx",
        label="finance",
        kind="document",
        size=5_000_000_000,
        word_count=1234,
        sha256=SHA_A,
        fingerprint_count=4,
        source="/srv/share/budget-2025.docx",
        added_at=T0,
    )
    assert summary.added_at.tzinfo is not None
    assert summary.to_dict()["added_at"] == T0.isoformat()


def test_fingerprints_are_stored_sorted_unique_and_compressed(store: Store) -> None:
    add(store)
    with Session(store.engine) as session:
        blob = session.scalars(select(ProtectedDocument.fingerprints)).one()
    raw = np.frombuffer(zlib.decompress(blob), dtype="<u8")
    assert raw.tolist() == sorted({int(h) for h in HASHES})


def test_no_column_can_hold_the_text(store: Store) -> None:
    columns = {c["name"] for c in inspect(store.engine).get_columns("protected_documents")}
    assert columns == {
        "id",
        "name",
        "label",
        "kind",
        "size",
        "word_count",
        "sha256",
        "fingerprint_count",
        "fingerprints",
        "source",
        "added_at",
    }


def test_iterate_fingerprints_by_kind_in_id_order(store: Store) -> None:
    first = add(store)
    binary = add(store, name="drawing.dwg", sha256=SHA_B, word_count=0, hashes=[])
    public = add(store, name="LICENSE", kind="public", label=None, hashes=HASHES[:2])
    documents = list(store.iter_protected_fingerprints("document"))
    assert [summary.id for summary, _ in documents] == [first, binary]
    assert documents[0][1].dtype == np.uint64
    assert documents[0][1].tolist() == sorted({int(h) for h in HASHES})
    assert documents[1][1].size == 0
    documents[0][1][0] = 0  # the arrays handed out are the caller's own
    (only,) = store.iter_protected_fingerprints("public")
    assert only[0].id == public
    assert only[1].tolist() == [7, 2**64 - 1]


def test_iteration_streams_many_documents(store: Store) -> None:
    ids = [
        add(store, sha256=f"{n:064x}", hashes=np.array([n, n + 1], dtype=np.uint64))
        for n in range(450)
    ]
    seen = [
        (summary.id, hashes.tolist())
        for summary, hashes in store.iter_protected_fingerprints("document")
    ]
    assert [document_id for document_id, _ in seen] == ids
    assert seen[449][1] == [449, 450]


def test_list_filters_by_kind(store: Store) -> None:
    document = add(store)
    public = add(store, kind="public", name="LICENSE")
    assert [s.id for s in store.protected_documents()] == [document, public]
    assert [s.id for s in store.protected_documents("document")] == [document]
    assert [s.id for s in store.protected_documents("public")] == [public]


def test_the_same_content_is_unique_per_kind(store: Store) -> None:
    document = add(store)
    assert store.protected_by_sha256(SHA_A, "document") is not None
    assert store.protected_by_sha256(SHA_A, "public") is None
    with pytest.raises(StoreError, match="already registered"):
        add(store, name="copy.docx")
    public = add(store, kind="public")  # the same bytes may also be declared public
    assert public != document
    assert len(store.protected_documents()) == 2


def test_lookup_by_sha256(store: Store) -> None:
    document_id = add(store)
    found = store.protected_by_sha256(SHA_A, "document")
    assert found is not None
    assert found.id == document_id
    assert store.protected_by_sha256(SHA_B, "document") is None


def test_remove(store: Store) -> None:
    document_id = add(store)
    assert store.remove_protected(document_id) is True
    assert store.remove_protected(document_id) is False
    assert store.protected_document(document_id) is None
    assert store.protected_documents() == []


def test_empty_registry(store: Store) -> None:
    assert store.protected_documents() == []
    assert list(store.iter_protected_fingerprints("document")) == []
    assert store.protected_document(1) is None


def test_an_unknown_kind_is_a_programming_error(store: Store) -> None:
    with pytest.raises(ValueError, match="kind"):
        add(store, kind="secret")
    with pytest.raises(ValueError, match="kind"):
        store.protected_documents("secret")


def test_hashes_must_be_uint64() -> None:
    with pytest.raises(ValueError, match="uint64"):
        unique_hashes(np.array([1.5, 2.5]))
    assert unique_hashes([]).dtype == np.uint64


def test_pack_round_trip() -> None:
    unique = unique_hashes(HASHES)
    assert unpack_hashes(pack_hashes(unique)).tolist() == unique.tolist()
