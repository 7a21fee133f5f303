"""The bulk parser's fast text of an epoch-millisecond time is exactly Django's stored form of that instant."""

from hypothesis import given
from hypothesis import strategies as st

from yiwang.sensing.parsing import MS, NAIVE_EPOCH, ms_text

YEAR_3000_MS = 32503680000000


@given(st.lists(st.integers(min_value=0, max_value=YEAR_3000_MS), min_size=1, max_size=50))
def test_fast_text_equals_isoformat_for_any_millisecond(raws):
    minutes: dict[int, str] = {}  # shared across the list, as within one batch
    for raw in raws + [raw + 1 for raw in raws] + [raw - raw % 60_000 for raw in raws]:
        assert ms_text(raw, minutes) == (NAIVE_EPOCH + raw * MS).isoformat(" ")


def test_whole_seconds_have_no_fraction_and_others_six_digits():
    minutes: dict[int, str] = {}
    base = 1782864000000  # 2026-07-01 00:00:00 UTC
    assert ms_text(base, minutes) == "2026-07-01 00:00:00"
    assert ms_text(base + 59_999, minutes) == "2026-07-01 00:00:59.999000"
    assert ms_text(base - 1, minutes) == "2026-06-30 23:59:59.999000"
    assert ms_text(base + 61_007, minutes) == "2026-07-01 00:01:01.007000"
