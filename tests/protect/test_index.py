from pathlib import Path

import numpy as np
import pytest

from leaktrace.core.errors import StoreError
from leaktrace.protect.fingerprint import Params
from leaktrace.protect.index import DocumentIndex, IndexedDocument, build_index

RNG = np.random.default_rng(11)


def document(number: int, hashes: np.ndarray) -> IndexedDocument:
    return IndexedDocument(number, f"doc{number}", None, f"{number:064x}", 100, np.unique(hashes))


def random_hashes(count: int) -> np.ndarray:
    return RNG.integers(0, 2**64 - 1, count, dtype=np.uint64)


def test_lookup_matches_a_plain_dictionary(tmp_path: Path) -> None:
    documents = [document(i, random_hashes(RNG.integers(1, 300))) for i in range(300)]
    build_index(tmp_path, documents, [], Params())
    index = DocumentIndex(tmp_path)
    expected: dict[int, list[int]] = {}
    for number, doc in enumerate(documents):
        for value in doc.hashes.tolist():
            expected.setdefault(value, []).append(number)
    queries = np.concatenate([documents[3].hashes, documents[250].hashes, random_hashes(5000)])
    query_index, numbers = index.lookup(queries)
    got = sorted(zip(query_index.tolist(), numbers.tolist(), strict=True))
    want = sorted((i, n) for i, q in enumerate(queries.tolist()) for n in expected.get(q, []))
    assert got == want
    assert index.find(np.array([0], dtype=np.uint64)).tolist() == [-1]


def test_boilerplate_and_public_text_are_never_indexed(tmp_path: Path) -> None:
    template, public, own = random_hashes(20), random_hashes(20), random_hashes(40)
    documents = [document(i, np.concatenate([template, own + np.uint64(i)])) for i in range(12)]
    build_index(tmp_path, documents, [public], Params(), max_document_frequency=10)
    index = DocumentIndex(tmp_path)
    assert (index.find(template) == -1).all()
    assert index.documents[0].fingerprints == 40
    build_index(tmp_path, [document(1, np.concatenate([public, own]))], [public], Params())
    index = DocumentIndex(tmp_path)
    assert (index.find(public) == -1).all()
    assert (index.find(np.unique(own)) >= 0).all()


def test_rebuilding_replaces_the_version_atomically(tmp_path: Path) -> None:
    build_index(tmp_path, [document(1, random_hashes(10))], [], Params())
    first = (tmp_path / "CURRENT").read_text()
    build_index(tmp_path, [document(2, random_hashes(10))], [], Params(shingle=4))
    assert (tmp_path / "CURRENT").read_text() != first
    assert not (tmp_path / first).exists()
    index = DocumentIndex(tmp_path)
    assert [d.id for d in index.documents] == [2]
    assert index.params == Params(shingle=4)


def test_empty_and_missing_indexes(tmp_path: Path) -> None:
    assert DocumentIndex.open(tmp_path / "none") is None
    build_index(tmp_path, [], [], Params())
    index = DocumentIndex(tmp_path)
    assert len(index) == 0
    assert index.lookup(random_hashes(10))[0].size == 0


def test_a_damaged_index_is_a_clear_error(tmp_path: Path) -> None:
    build_index(tmp_path, [document(1, random_hashes(10))], [], Params())
    version = tmp_path / (tmp_path / "CURRENT").read_text()
    (version / "hashes.npy").write_bytes(b"garbage")
    with pytest.raises(StoreError, match="cannot read document index"):
        DocumentIndex(tmp_path)
