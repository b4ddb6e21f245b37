"""URLs of one pattern reversed once and filled in per object (``articleapp/urlpieces.py``)."""

import pytest
from django.urls import reverse

from articleapp.urlpieces import SlugUrls, url_pieces


@pytest.mark.parametrize("slug", ["kuenstliche-intelligenz", "künstliche-intelligenz", "a b"])
def test_slug_urls_are_those_reverse_gives(slug):
    """Filling in a slug gives what ``reverse`` gives, quoted slugs included."""
    urls = SlugUrls("articleapp:tag-detail")
    assert urls(slug) == reverse("articleapp:tag-detail", kwargs={"slug": slug})


def test_url_pieces_surround_each_placeholder():
    """The pieces joined with the values in order give the reversed URL."""
    before, between, after = url_pieces("articleapp:annotation-detail", slug="ab-c", pk=4711)
    assert f"{before}ab-c{between}4711{after}" == reverse(
        "articleapp:annotation-detail", kwargs={"slug": "ab-c", "pk": 4711}
    )


def test_a_placeholder_not_once_in_its_url_is_refused():
    """A placeholder the URL holds twice (or not at all) cannot be cut out safely."""
    with pytest.raises(ValueError, match="not once"):
        url_pieces("articleapp:annotation-detail", slug="1", pk=1)
