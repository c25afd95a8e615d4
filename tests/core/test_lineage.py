from hypothesis import given
from hypothesis import strategies as st

from leaktrace.core.lineage import Lineage

member = st.text(min_size=0, max_size=20)


@given(st.lists(member, min_size=1, max_size=8))
def test_lineage_round_trips_through_its_text(parts: list[str]) -> None:
    lineage = Lineage(tuple(parts))
    assert Lineage.parse(str(lineage)) == lineage


@given(st.lists(member, min_size=1, max_size=8), member)
def test_child_adds_exactly_one_level(parts: list[str], name: str) -> None:
    lineage = Lineage(tuple(parts))
    assert lineage.child(name).depth == lineage.depth + 1
    assert lineage.child(name).parts[:-1] == lineage.parts


def test_members_join_with_bang() -> None:
    path = Lineage.root("outbox/msg1.eml").child("lecture.docx").child("word/media/image1.png")
    assert str(path) == "outbox/msg1.eml!lecture.docx!word/media/image1.png"
    assert path.name == "image1.png"
    assert path.top == "outbox/msg1.eml"


def test_bang_inside_a_member_name_is_escaped() -> None:
    path = Lineage.root("a.zip").child("wow!.txt")
    assert str(path) == "a.zip!wow\\!.txt"
    assert Lineage.parse(str(path)).parts == ("a.zip", "wow!.txt")
