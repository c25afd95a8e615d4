"""Exact data match: hashing a table, then finding its records in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core.errors import UsageError
from leaktrace.protect.records import find_records, normalized, read_csv, words

CSV = (
    b"id;Full Name;Email;IBAN;City\n"
    b"1;Ada Lovelace;ada.lovelace@analytical.example;GB33BUKB20201555555555;London\n"
    b"2;Alan Turing;alan@bletchley.example;DE89370400440532013000;London\n"
    b"3;Grace Hopper;grace.hopper@navy.example;FR1420041010050500013M02606;Arlington\n"
)
COLUMNS = ["full name", "email", "iban", "city"]


def table(min_columns: int | None = None, data: bytes = CSV):  # type: ignore[no-untyped-def]
    return read_csv(data, COLUMNS, name="customers", min_columns=min_columns).table


def test_values_are_normalized_word_by_word() -> None:
    assert normalized("Ada.Lovelace@Analytical.example") == "ada lovelace analytical example"
    assert normalized("+44 (20) 7946-0000") == normalized("44 2079460000") == "442079460000"
    assert normalized("FR14 2004 1010 0505") == "fr14200410100505"
    assert normalized("M") is None  # too short to identify anyone
    assert normalized("one two three four five six seven eight nine") is None
    assert words("STRASSE Straße") == ["strasse", "strasse"]


def test_table_keeps_hashes_not_values() -> None:
    hashed = table()
    assert (hashed.record_count, hashed.value_count, hashed.min_columns) == (3, 12, 2)
    assert hashed.columns == ("Full Name", "Email", "IBAN", "City")
    blob = hashed.hashes.tobytes() + hashed.starts.tobytes()
    assert b"lovelace" not in blob.lower()


def test_record_found_when_two_of_its_columns_appear_together() -> None:
    text = "Refund for Grace Hopper,\naccount FR14 2004 1010 0505 0001 3M02 606. Thanks!"
    [match] = find_records(table(), text)
    assert match.record == 3
    assert match.columns == ("Full Name", "IBAN")
    assert text[match.offset :].startswith("Grace")


def test_one_column_alone_is_not_enough() -> None:
    assert find_records(table(), "Grace Hopper gave a talk in Zurich.") == []


def test_shared_values_alone_do_not_identify_a_record() -> None:
    # "London" belongs to two records: with a name it counts, two shared values would not.
    assert [m.record for m in find_records(table(), "Alan Turing, London")] == [2]
    shared = read_csv(
        b"name,city\nJo Bloggs,London\nJo Bloggs,London\n",
        ["name", "city"],
        name="t",
    ).table
    assert find_records(shared, "Jo Bloggs from London") == []


def test_values_far_apart_do_not_count() -> None:
    filler = " word" * 200
    text = f"Ada Lovelace {filler} GB33 BUKB 2020 1555 5555 55"
    assert find_records(table(), text, window=64) == []
    assert [m.record for m in find_records(table(), text, window=500)] == [1]


def test_min_columns_one_finds_single_values() -> None:
    assert [m.record for m in find_records(table(1), "mail alan@bletchley.example")] == [2]


def test_whole_leaked_table_finds_every_record() -> None:
    leaked = CSV.decode().replace(";", ",").upper()
    assert [m.record for m in find_records(table(), leaked)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("data", "columns", "message"),
    [
        (b"", ["email"], "empty"),
        (CSV, ["phone"], "no column 'phone' (the header has: id, Full Name, Email, IBAN, City)"),
        (CSV, [], "--columns"),
        (CSV, ["email", "EMAIL"], "named twice"),
        (b"email\nx\n\n", ["email"], "no usable values"),
    ],
)
def test_bad_tables_are_clear_errors(data: bytes, columns: list[str], message: str) -> None:
    with pytest.raises(UsageError) as error:
        read_csv(data, columns, name="t")
    assert message in str(error.value)


def test_min_columns_out_of_range() -> None:
    with pytest.raises(UsageError, match="between 1 and 4"):
        table(5)


def test_ragged_rows_and_other_encodings_are_read() -> None:
    data = "name,email\nJosé Núñez,jose@correo.example\nshort\n".encode("utf-16")
    read = read_csv(data, ["name", "email"], name="t")
    assert (read.rows, read.short_rows, read.table.record_count) == (2, 1, 2)
    assert [m.record for m in find_records(read.table, "josé núñez <jose@correo.example>")] == [1]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_safe(text: str) -> None:
    for match in find_records(table(1), text):
        assert 1 <= match.record <= 3
