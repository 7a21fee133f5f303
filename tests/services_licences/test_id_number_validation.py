from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.services.licences.idnumber import InvalidIdNumber, is_valid_id_number, validate_id_number

from .conftest import id_number


def test_published_sample_with_x_check_character_is_valid():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    region=st.sampled_from(["110105", "310115", "440305", "510107", "650102"]),
)
def test_numbers_with_computed_check_character_are_valid(birth, seq, region):
    number = id_number(region=region, birth=birth.strftime("%Y%m%d"), seq=seq)
    assert validate_id_number(number) == number


@given(seq=st.integers(min_value=0, max_value=999), wrong=st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(seq, wrong):
    number = id_number(seq=seq)
    if wrong == number[-1]:
        return
    with pytest.raises(InvalidIdNumber) as raised:
        validate_id_number(number[:-1] + wrong)
    assert raised.value.code == "check_digit"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519850312001", "length"),
        ("1101051985031200123", "length"),
        ("", "length"),
        ("11010519850312A01X", "characters"),
        ("990105198503120013", "region"),
        ("110000198503120013", "region"),
    ],
)
def test_malformed_numbers_are_refused_with_their_reason(number, code):
    with pytest.raises(InvalidIdNumber) as raised:
        validate_id_number(number)
    assert raised.value.code == code


@pytest.mark.parametrize("birth", ["19850230", "19851301", "18991231", "20991231"])
def test_impossible_or_out_of_range_birth_dates_are_refused(birth):
    number = id_number(birth=birth, seq=1)  # the check character is right: only the date is wrong
    with pytest.raises(InvalidIdNumber) as raised:
        validate_id_number(number)
    assert raised.value.code == "birth_date"
    assert not is_valid_id_number(number)
