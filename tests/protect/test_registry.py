"""Registering protected documents from real files: text, docx, PDF, binary, and bad input."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from leaktrace.core.errors import UsageError
from leaktrace.core.item import Item
from leaktrace.core.limits import Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.demo.builders import docx_bytes, pdf_bytes
from leaktrace.protect import registry as registry_module
from leaktrace.protect.fingerprint import fingerprint
from leaktrace.protect.registry import Registration, TextCollector, rebuild_index, register
from leaktrace.store import Store

MINUTES = (
    "The board agreed to acquire the northern plant before the end of the third quarter. "
    "Negotiations with the current owner remain confidential until the public announcement, "
    "and no member of staff outside the steering group may be told of the price or the date."
)
BUDGET = (
    "Research spending rises by twelve percent next year while travel is cut by a third. "
    "The savings pay for two new laboratories and the retraining of the field engineers."
)
LICENCE = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files, to deal in the software without restriction."
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'home' / 'leaktrace.db'}") as opened:
        yield opened


class Registrar:
    """``register`` with this test's store, index folder and the installed plugins."""

    def __init__(self, store: Store, folder: Path, registry: Registry) -> None:
        self.store = store
        self.index = folder / "index"
        self.registry = registry

    def __call__(self, *paths: Path | str, **options: object) -> list[Registration]:
        return register(
            self.store,
            [str(path) for path in paths],
            index_folder=self.index,
            registry=self.registry,
            **options,  # type: ignore[arg-type]
        )

    def one(self, path: Path | str, **options: object) -> Registration:
        (result,) = self(path, **options)
        return result

    def indexed(self) -> list[dict[str, object]]:
        current = (self.index / "CURRENT").read_text().strip()
        meta = json.loads((self.index / current / "meta.json").read_text())
        documents: list[dict[str, object]] = meta["documents"]
        return documents


@pytest.fixture
def add(store: Store, tmp_path: Path, registry: Registry) -> Registrar:
    return Registrar(store, tmp_path, registry)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def stored_hashes(store: Store, document_id: int) -> np.ndarray:
    for summary, hashes in store.iter_protected_fingerprints("document"):
        if summary.id == document_id:
            return hashes
    raise AssertionError(f"document {document_id} not stored")


# -- what is registered -------------------------------------------------------------------------


def test_a_text_file(add: Registrar, store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "minutes.txt", MINUTES)
    result = add.one(path, label="board")
    assert result.status == "added"
    assert result.name == "minutes.txt"
    assert result.warnings == ()
    expected = fingerprint(MINUTES)
    assert result.word_count == expected.word_count
    assert result.document_id is not None
    summary = store.protected_document(result.document_id)
    assert summary is not None
    assert summary.label == "board"
    assert summary.kind == "document"
    assert summary.size == len(MINUTES.encode())
    assert summary.sha256 == hashlib.sha256(MINUTES.encode()).hexdigest()
    assert summary.source == os.path.abspath(path)
    assert stored_hashes(store, result.document_id).tolist() == expected.unique_hashes().tolist()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.docx", docx_bytes(MINUTES, title="Board minutes")),
        ("minutes.pdf", pdf_bytes(MINUTES)),
    ],
)
def test_documents_are_fingerprinted_from_their_extracted_text(
    add: Registrar, store: Store, tmp_path: Path, name: str, data: bytes
) -> None:
    result = add.one(write(tmp_path, name, data))
    assert result.status == "added"
    assert result.document_id is not None
    # The same words as the plain text: a docx registered is found in its PDF print.
    text_prints = set(fingerprint(MINUTES).unique_hashes().tolist())
    stored = set(stored_hashes(store, result.document_id).tolist())
    assert len(stored & text_prints) >= 0.8 * len(text_prints)


def test_package_markup_is_not_registered(add: Registrar, tmp_path: Path) -> None:
    # [Content_Types].xml and _rels/.rels are scanned as members, but they are template markup.
    result = add.one(write(tmp_path, "minutes.docx", docx_bytes(MINUTES)))
    assert result.word_count == fingerprint(MINUTES).word_count


def test_text_of_every_member_is_joined_in_lineage_order(
    add: Registrar, store: Store, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/minutes.docx", docx_bytes(MINUTES))
        archive.writestr("b/budget.txt", BUDGET)
    result = add.one(write(tmp_path, "pack.zip", buffer.getvalue()))
    assert result.status == "added"
    assert result.document_id is not None
    both = fingerprint(MINUTES + "\n" + BUDGET)
    assert result.word_count == both.word_count
    stored = set(stored_hashes(store, result.document_id).tolist())
    assert set(fingerprint(BUDGET).unique_hashes().tolist()) <= stored


def test_a_binary_file_is_registered_for_exact_copies(
    add: Registrar, store: Store, tmp_path: Path
) -> None:
    drawing = bytes(range(256)) * 40  # no extractor knows it: no text at all
    result = add.one(write(tmp_path, "turbine.dwg", drawing))
    assert result.status == "added"
    assert result.word_count == 0
    assert any("exact copies" in warning for warning in result.warnings)
    assert result.document_id is not None
    summary = store.protected_document(result.document_id)
    assert summary is not None
    assert summary.fingerprint_count == 0
    assert summary.sha256 == hashlib.sha256(drawing).hexdigest()
    assert [d["sha256"] for d in add.indexed()] == [summary.sha256]


def test_a_very_short_text_is_registered_with_a_note(add: Registrar, tmp_path: Path) -> None:
    result = add.one(write(tmp_path, "code.txt", "Operation Nightjar"))
    assert result.status == "added"
    assert result.word_count == 2
    assert any("fewer than" in warning for warning in result.warnings)


def test_a_folder_is_walked_and_name_defaults_to_the_file_name(
    add: Registrar, tmp_path: Path
) -> None:
    folder = tmp_path / "share"
    write(folder, "b/budget.txt", BUDGET)
    write(folder, "a/minutes.docx", docx_bytes(MINUTES))
    results = add(folder)
    assert [(r.status, r.name) for r in results] == [
        ("added", "minutes.docx"),
        ("added", "budget.txt"),
    ]
    assert [d["name"] for d in add.indexed()] == ["minutes.docx", "budget.txt"]


def test_name_and_label(add: Registrar, store: Store, tmp_path: Path) -> None:
    result = add.one(write(tmp_path, "x.txt", MINUTES), name="Board minutes", label="board")
    assert result.name == "Board minutes"
    (summary,) = store.protected_documents()
    assert (summary.name, summary.label) == ("Board minutes", "board")


def test_name_needs_exactly_one_file(add: Registrar, tmp_path: Path) -> None:
    first = write(tmp_path, "a.txt", MINUTES)
    second = write(tmp_path, "b.txt", BUDGET)
    with pytest.raises(UsageError, match="--name"):
        add(first, second, name="Both")
    with pytest.raises(UsageError, match="--name"):
        add(tmp_path, name="Folder")


def test_public_text_is_kept_apart_and_out_of_the_documents(
    add: Registrar, store: Store, tmp_path: Path
) -> None:
    document = add.one(write(tmp_path, "minutes.txt", MINUTES + " " + LICENCE))
    public = add.one(write(tmp_path, "LICENSE", LICENCE), public=True)
    assert (document.status, public.status) == ("added", "added")
    assert [s.id for s in store.protected_documents("public")] == [public.document_id]
    assert [s.id for s in store.protected_documents("document")] == [document.document_id]
    (indexed,) = add.indexed()
    # The licence's fingerprints are left out of the document's indexed ones.
    assert indexed["id"] == document.document_id
    summary = store.protected_document(document.document_id or 0)
    assert summary is not None
    assert isinstance(indexed["fingerprints"], int)
    assert indexed["fingerprints"] < summary.fingerprint_count


# -- duplicates ---------------------------------------------------------------------------------


def test_the_same_content_twice_is_a_duplicate(
    add: Registrar, store: Store, tmp_path: Path
) -> None:
    first = add.one(write(tmp_path, "minutes.txt", MINUTES))
    copy = add.one(write(tmp_path, "copy of minutes.txt", MINUTES))
    assert copy.status == "duplicate"
    assert copy.document_id == first.document_id
    assert f"#{first.document_id}" in copy.message
    assert len(store.protected_documents()) == 1


def test_the_same_file_twice_in_one_call(add: Registrar, store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "minutes.txt", MINUTES)
    assert [r.status for r in add(path, path)] == ["added", "duplicate"]


def test_a_document_may_also_be_declared_public(add: Registrar, tmp_path: Path) -> None:
    path = write(tmp_path, "LICENSE", LICENCE)
    assert add.one(path).status == "added"
    assert add.one(path, public=True).status == "added"
    assert add.one(path, public=True).status == "duplicate"


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n  ", "no text to register"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "no text to register: corrupt"),
        ("empty.docx", docx_bytes(""), "no text to register"),
    ],
)
def test_files_without_text_are_errors(
    add: Registrar, store: Store, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    result = add.one(write(tmp_path, name, data))
    assert result.status == "error"
    assert result.path == str(tmp_path / name)
    assert message in result.message
    assert store.protected_documents() == []
    assert not add.index.exists()  # nothing added: no index written


def test_a_missing_file_is_an_error_and_the_rest_is_registered(
    add: Registrar, tmp_path: Path
) -> None:
    good = write(tmp_path, "minutes.txt", MINUTES)
    missing = tmp_path / "gone.txt"
    results = add(missing, good)
    assert [(r.path, r.status) for r in results] == [
        (str(missing), "error"),
        (str(good), "added"),
    ]
    assert "no such file" in results[0].message


def test_a_read_error_is_an_error_naming_the_reason(
    add: Registrar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, limit: int) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(registry_module, "_read", refuse)
    result = add.one(write(tmp_path, "secret.txt", MINUTES))
    assert (result.status, result.message) == ("error", "cannot read: permission denied")


def test_a_large_file_is_hashed_whole_and_read_up_to_the_limit(tmp_path: Path) -> None:
    data = MINUTES.encode() * 1000
    content = registry_module._read(write(tmp_path, "big.txt", data), limit=1000)
    assert content.size == len(data)
    assert content.sha256 == hashlib.sha256(data).hexdigest()
    assert content.data == data[:1000]


def test_text_past_the_size_limit_is_noted(
    add: Registrar, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = Policy(limits=Limits(max_file_bytes=len(MINUTES) // 2))
    monkeypatch.setattr(registry_module, "Policy", lambda: small)
    result = add.one(write(tmp_path, "minutes.txt", MINUTES))
    assert result.status == "added"
    assert result.warnings[0].startswith(f"larger than {len(MINUTES) // 2} bytes")
    assert 0 < result.word_count < fingerprint(MINUTES).word_count
    (summary,) = store.protected_documents()
    assert summary.size == len(MINUTES)  # the whole file is hashed all the same


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_an_error(add: Registrar, tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", MINUTES)
    path.chmod(0)
    try:
        result = add.one(path)
    finally:
        path.chmod(0o600)
    assert result.status == "error"
    assert "cannot read" in result.message


def test_a_fifo_is_reported_not_read(add: Registrar, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = add.one(fifo)
    assert result.status == "error"
    assert "not a regular file" in result.message


def test_standard_input_and_no_paths_are_usage_errors(add: Registrar) -> None:
    with pytest.raises(UsageError, match="standard input"):
        add("-")
    with pytest.raises(UsageError, match="at least one"):
        add()


def test_an_empty_folder_registers_nothing(add: Registrar, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert add(tmp_path / "empty") == []


# -- the index ----------------------------------------------------------------------------------


def test_rebuild_after_removal_forgets_the_document(
    add: Registrar, store: Store, tmp_path: Path
) -> None:
    first = add.one(write(tmp_path, "minutes.txt", MINUTES))
    second = add.one(write(tmp_path, "budget.txt", BUDGET))
    assert [d["id"] for d in add.indexed()] == [first.document_id, second.document_id]
    assert store.remove_protected(first.document_id or 0)
    rebuild_index(store, add.index)
    assert [d["id"] for d in add.indexed()] == [second.document_id]


def test_rebuild_of_an_empty_store_writes_an_empty_index(store: Store, tmp_path: Path) -> None:
    rebuild_index(store, tmp_path / "deep" / "index")
    assert (tmp_path / "deep" / "index" / "CURRENT").is_file()


def test_the_collector_keeps_texts_until_taken() -> None:
    collector = TextCollector()
    for text in ("one", None, "two"):
        assert list(collector.detect(Item(Lineage.root("x"), b"", text=text))) == []
    assert collector.take() == ["one", "two"]
    assert collector.take() == []
