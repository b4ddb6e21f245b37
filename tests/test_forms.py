import pytest
from django.http import QueryDict

from articleapp.forms import posted_version


@pytest.mark.parametrize(
    ("posted", "expected"),
    [("version=3", 3), ("", 7), ("version=", 7), ("version=-1", 7), ("version=²", 7)],
)
def test_posted_version_falls_back_on_anything_but_a_number(posted, expected):
    """A missing, negative or non-ASCII digit version is the default, never an exception."""
    assert posted_version(QueryDict(posted), "version", 7) == expected


def test_posted_version_refuses_absurdly_long_numbers():
    """A version with more digits than any real one is the default."""
    assert posted_version(QueryDict("version=" + "9" * 40), "version", 7) == 7
