import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaktrace.core.errors import LimitReached, PolicyError
from leaktrace.core.limits import Budget, Limits


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_read_returns_everything_under_the_limits() -> None:
    budget = Budget(Limits())
    assert budget.read(io.BytesIO(b"x" * 5000)) == b"x" * 5000
    assert budget.bytes_expanded == 5000


def test_member_larger_than_item_limit_is_refused() -> None:
    budget = Budget(Limits(max_item_bytes=1000))
    with pytest.raises(LimitReached) as caught:
        budget.read(io.BytesIO(b"x" * 1001))
    assert caught.value.rule == "size"


def test_ratio_limit_catches_bombs_but_not_small_files() -> None:
    limits = Limits(max_ratio=10, ratio_floor_bytes=100)
    Budget(limits).read(io.BytesIO(b"\0" * 90), compressed_size=1)  # below the floor: fine
    with pytest.raises(LimitReached) as caught:
        Budget(limits).read(io.BytesIO(b"\0" * 5000), compressed_size=10)
    assert caught.value.rule == "ratio"


def test_total_limit_spans_members() -> None:
    budget = Budget(Limits(max_total_bytes=1500))
    budget.read(io.BytesIO(b"a" * 1000))
    with pytest.raises(LimitReached) as caught:
        budget.read(io.BytesIO(b"b" * 1000))
    assert caught.value.rule == "total"


def test_time_limit_uses_the_clock() -> None:
    clock = FakeClock()
    budget = Budget(Limits(max_seconds=5), clock=clock)
    budget.check_time()
    clock.now = 6
    with pytest.raises(LimitReached) as caught:
        budget.check_time()
    assert caught.value.rule == "time"


def test_depth_and_member_limits() -> None:
    budget = Budget(Limits(max_depth=2, max_members=3))
    budget.check_depth(2)
    budget.check_members(3)
    with pytest.raises(LimitReached):
        budget.check_depth(3)
    with pytest.raises(LimitReached):
        budget.check_members(4)


@given(st.integers(min_value=1, max_value=4096), st.integers(min_value=1, max_value=4096))
def test_budget_never_lets_a_member_exceed_the_item_limit(size: int, limit: int) -> None:
    budget = Budget(Limits(max_item_bytes=limit))
    try:
        data = budget.read(io.BytesIO(b"z" * size))
    except LimitReached:
        assert size > limit
    else:
        assert len(data) == size <= limit
        assert budget.bytes_expanded == size


def test_limits_from_policy_mapping() -> None:
    limits = Limits.from_mapping({"max_depth": 3, "max_seconds": 2})
    assert limits.max_depth == 3
    assert limits.max_seconds == 2.0
    with pytest.raises(PolicyError, match="unknown limit"):
        Limits.from_mapping({"max_dpeth": 3})
    with pytest.raises(PolicyError, match="positive"):
        Limits.from_mapping({"max_depth": -1})
    with pytest.raises(PolicyError, match="positive"):
        Limits.from_mapping({"max_depth": True})
