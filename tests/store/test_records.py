"""Record sets in the store: hashes round-trip on every backend, values never go in."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.core.errors import StoreError
from leaktrace.protect.records import find_records, read_csv
from leaktrace.store import Store

CSV = b"name,email,phone\nAda Lovelace,ada@analytical.example,+44 20 7946 0001\n" + b"".join(
    f"Person {n},p{n}@corp.example,+1 555 0{n:03d}\n".encode() for n in range(300)
)


def test_tables_round_trip_and_still_match(store: Store) -> None:
    table = read_csv(CSV, ["name", "email", "phone"], name="staff").table
    set_id = store.add_record_set(table, source="/data/staff.csv")
    [summary] = store.record_sets()
    assert (summary.id, summary.name, summary.record_count, summary.value_count) == (
        set_id,
        "staff",
        301,
        903,
    )
    assert summary.columns == ("name", "email", "phone")
    [loaded] = store.record_tables()
    assert loaded.salt == table.salt
    for name in ("hashes", "records", "column_ids", "starts"):
        assert np.array_equal(getattr(loaded, name), getattr(table, name)), name
    [match] = find_records(loaded, "call Ada Lovelace on +44 (20) 7946-0001")
    assert match.record == 1


def test_values_are_not_stored(store: Store) -> None:
    table = read_csv(CSV, ["name", "email"], name="staff").table
    store.add_record_set(table, source="staff.csv")
    with store.engine.connect() as connection:
        dump = repr(connection.exec_driver_sql("SELECT * FROM record_sets").fetchall())
    assert "Lovelace" not in dump and "analytical" not in dump


def test_names_are_unique_and_removal_works(store: Store) -> None:
    table = read_csv(CSV, ["name", "email"], name="staff").table
    set_id = store.add_record_set(table, source="a.csv")
    with pytest.raises(StoreError, match="'staff' already exists"):
        store.add_record_set(table, source="b.csv")
    assert store.remove_record_set(set_id)
    assert not store.remove_record_set(set_id)
    assert store.record_sets() == []
