"""The strict parser of URL values: ASCII digits within the column's range, text without NUL."""

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from articleapp import params


@pytest.mark.parametrize("value", ["0", "7", "0042", "9223372036854775807"])
def test_whole_numbers_are_read(value):
    """Digits 0-9 within the range give their number; leading zeros are fine."""
    assert params.whole_number(value) == int(value)


@pytest.mark.parametrize(
    "value",
    ["", "²", "٣", "①", "-1", "+1", " 1", "1 ", "1_000", "1.0", "1e3", "0x10", "\0", "1\n",
     "9223372036854775808", "9" * 5000, None, 3],
)  # fmt: skip
def test_anything_else_is_a_bad_request(value):
    """Unicode digits, signs, spaces, underscores and numbers past bigint are refused as 400s."""
    with pytest.raises(params.InvalidParameter) as error:
        params.whole_number(value, name="page")
    assert isinstance(error.value, BadRequest) and isinstance(error.value, ValueError)
    assert "page" in str(error.value)


def test_bounds_are_checked():
    """A number outside ``[minimum, maximum]`` is refused."""
    assert params.whole_number("5", minimum=5, maximum=5) == 5
    for value in ["4", "6"]:
        with pytest.raises(params.InvalidParameter):
            params.whole_number(value, minimum=5, maximum=5)


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_refused(value):
    """For any text: an int in range exactly when it is ASCII digits, never another error."""
    try:
        number = params.whole_number(value, maximum=params.MAX_POSITIVE_INTEGER)
    except params.InvalidParameter:
        assert not (value.isascii() and value.isdigit()) or int(value) > 2**31 - 1
    else:
        assert value.isascii() and value.isdigit() and number == int(value)


def test_text_refuses_nul_and_length():
    """Text with NUL or longer than allowed is a 400; other text passes unchanged."""
    assert params.text("Grüße ²\u202e", max_length=9) == "Grüße ²\u202e"
    for value in ["a\0b", "x" * 10]:
        with pytest.raises(params.InvalidParameter):
            params.text(value, max_length=9)


def test_query_helpers():
    """Absent or empty values give the default; present ones are read strictly."""
    query = QueryDict("page=3&empty=&iris=1&q=Paris&bad=%C2%B2&off=0")
    assert params.query_number(query, "page") == 3
    assert params.query_number(query, "empty", default=7) == 7
    assert params.query_number(query, "missing") is None
    assert params.query_flag(query, "iris") is True
    assert params.query_flag(query, "off") is False
    assert params.query_flag(query, "missing") is False
    assert params.query_text(query, "q") == "Paris"
    assert params.query_text(query, "missing", "–") == "–"
    for read in (params.query_number, params.query_flag):
        with pytest.raises(params.InvalidParameter):
            read(query, "bad")
