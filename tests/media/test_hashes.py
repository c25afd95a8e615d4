"""PDQ words, the stored print's packing, and the on-disk index."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from leaktrace.core.errors import StoreError
from leaktrace.media import features
from leaktrace.media.decode import fit
from leaktrace.media.index import IndexedMedia, MediaIndex, build_index, key_bits, lsh_keys
from leaktrace.media.pdq import (
    ORIENTATIONS,
    distances,
    pdq_dihedral,
    pdq_words,
    peak,
    to_hex,
    word_major,
)
from leaktrace.media.prints import image_print, pack, unpack
from tests.media.scenes import scene


def test_pdq_orientations_name_what_was_done() -> None:
    pixels = fit(scene(5))
    registered = pdq_words(pixels)
    variants = {
        5: pixels[:, ::-1],
        4: pixels[::-1],
        1: np.rot90(pixels, -1),  # turned clockwise: undone by the counter-clockwise variant
        3: np.rot90(pixels, 1),
        2: np.rot90(pixels, 2),
    }
    for expected, query in variants.items():
        query_words = pdq_dihedral(np.ascontiguousarray(query)).words
        found = distances(query_words, word_major(registered.words))[:, 0]
        assert int(np.argmin(found)) == expected, ORIENTATIONS[expected]
        assert found.min() <= 16 < np.sort(found)[1]


def test_unrelated_photos_are_far_apart_in_pdq() -> None:
    hashes = np.concatenate([pdq_words(fit(scene(seed))).words for seed in range(6)])
    table = distances(hashes, word_major(hashes))
    assert (np.diag(table) == 0).all()
    assert table[~np.eye(6, dtype=bool)].min() > 60
    assert len(to_hex(hashes[0])) == 64


def test_a_print_survives_packing() -> None:
    printed = image_print(fit(scene(6)))
    again = unpack(pack(printed))
    for name in dataclasses.fields(printed):
        assert np.array_equal(getattr(printed, name.name), getattr(again, name.name)), name
    assert 100 <= printed.feature_count <= features.REGISTERED_FEATURES
    assert again.features_of(0).width == 480


def test_a_print_stored_before_peak_hashes_reads_as_unmatchable_peaks() -> None:
    printed = image_print(fit(scene(6)))
    with np.load(io.BytesIO(pack(printed))) as arrays:
        older = {name: arrays[name] for name in arrays.files if not name.startswith("peak")}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **older)
    again = unpack(buffer.getvalue())
    assert np.array_equal(again.pdq, printed.pdq)
    assert again.peak.shape == (1, 4) and (again.peak_quality == 0).all()


def test_the_peak_channel_hash_ignores_a_hue_rotation() -> None:
    pixels = fit(scene(4))
    hsv = cv2.cvtColor(pixels, cv2.COLOR_RGB2HSV)
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + 45) % 180  # 90 degrees
    turned = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    luminance = distances(pdq_words(turned).words, word_major(pdq_words(pixels).words))
    brightest = pdq_words(peak(pixels)).words
    assert distances(pdq_words(peak(turned)).words, word_major(brightest))[0, 0] <= 8
    assert luminance[0, 0] > 31


def test_features_are_spread_over_the_frame() -> None:
    found = features.extract(fit(scene(7)))
    columns = np.minimum((found.points[:, 0] * 4 / found.width).astype(int), 3)
    rows = np.minimum((found.points[:, 1] * 4 / found.height).astype(int), 3)
    cells = np.bincount(rows * 4 + columns, minlength=16)
    assert (cells > 0).sum() >= 14  # a flat patch may have no corner at all
    assert cells.max() <= len(found) / 10  # no region takes the lion's share


def test_the_index_is_written_and_reopened(tmp_path: Path) -> None:
    entries = [
        (IndexedMedia(n, f"p{n}", "lab", "image", f"{n:064x}", "SN1"), image_print(fit(scene(n))))
        for n in range(3)
    ]
    build_index(tmp_path / "index", entries)
    index = MediaIndex.open(tmp_path / "index")
    assert index is not None and len(index) == 3
    assert index.media[1] == entries[1][0]
    assert index.pdq.shape == (3, 4)
    query = features.extract(fit(scene(1)), features.QUERY_FEATURES)
    votes = index.vote(query.descriptors)
    assert int(np.argmax(votes)) == 1
    assert index.frame_features(2).descriptors.shape[1] == 32
    assert index.peak.shape == (3, 4) and (np.asarray(index.peak_quality) > 0).all()
    for name in ("peak", "peak_quality"):  # an index built before peak hashes were kept
        (tmp_path / "index" / f"{name}.npy").unlink()
    older = MediaIndex.open(tmp_path / "index")
    assert older is not None and (older.peak_quality == 0).all() and older.peak.shape == (3, 4)
    build_index(tmp_path / "index", entries[:1])  # replaced whole
    reopened = MediaIndex.open(tmp_path / "index")
    assert reopened is not None and len(reopened) == 1


def test_an_index_of_nothing_and_no_index(tmp_path: Path) -> None:
    assert MediaIndex.open(tmp_path / "none") is None
    build_index(tmp_path / "empty", [])
    empty = MediaIndex.open(tmp_path / "empty")
    assert empty is not None and len(empty) == 0
    assert empty.vote(np.zeros((5, 32), np.uint8)).size == 0


def test_an_index_of_another_format_is_refused(tmp_path: Path) -> None:
    build_index(tmp_path / "index", [])
    meta = tmp_path / "index" / "media.json"
    meta.write_text(json.dumps({"format": 99, "media": []}))
    with pytest.raises(StoreError, match="reindex"):
        MediaIndex.open(tmp_path / "index")


def test_lsh_keys_take_the_chosen_bits() -> None:
    positions = key_bits()
    descriptor = np.zeros((1, 32), np.uint8)
    assert (lsh_keys(descriptor, positions) == 0).all()
    bits = np.zeros(256, np.uint8)
    bits[positions[0][3]] = 1
    keys = lsh_keys(np.packbits(bits)[None, :], positions)
    assert int(keys[0, 0]) == 1 << 3
