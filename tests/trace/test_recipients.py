from pathlib import Path

import pytest

from leaktrace.core.errors import UsageError
from leaktrace.trace.recipients import parse_recipients, read_recipients


def test_ids_and_details_in_file_order() -> None:
    rows = parse_recipients("name,id,unit\nAda Byron,ada,R&D\nAlan T,alan,\n")
    assert [r.id for r in rows] == ["ada", "alan"]
    assert dict(rows[0].details) == {"name": "Ada Byron", "unit": "R&D"}
    assert dict(rows[1].details) == {"name": "Alan T", "unit": ""}


def test_semicolons_quotes_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes('\ufeffid;name\n"r-1";"Smith; J."\nr-2;Lee\n'.encode())
    assert [(r.id, r.details["name"]) for r in read_recipients(path)] == [
        ("r-1", "Smith; J."),
        ("r-2", "Lee"),
    ]


def test_a_single_id_column() -> None:
    assert [r.id for r in parse_recipients("id\n7\n8\n")] == ["7", "8"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,unit\nAda,R&D\n", "no 'id' column"),
        ("id,name\nada,A\nada,B\n", "line 3: id 'ada' repeats line 2"),
        ("id,name\nada,A\n,\nbob,B\n", "line 3: empty row"),
        ("id,name\n,Nobody\n", "line 2: empty id"),
        ("id,name\n../etc,x\n", "cannot name a folder"),
        ("id,name\n..,x\n", "cannot name a folder"),
        ("id\n", "no recipients"),
        ("", "no 'id' column"),
    ],
)
def test_bad_recipient_lists_are_refused_with_a_line(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_recipients(text, "r.csv")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read recipients"):
        read_recipients(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"id\n\xff\xfe\x00")
    with pytest.raises(UsageError, match="not UTF-8"):
        read_recipients(tmp_path / "bin.csv")
