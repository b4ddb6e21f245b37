"""The reading page's stamp (its ETag and page cache key) moves when what readers see changes,
and only then, whichever way the write is made (``articleapp/invalidation.py``)."""

import pytest
from django.test import override_settings

from tests.support.factories import annotate_quote, make_article
from tests.support.reader_edits import (
    HIDDEN_EDITS,
    VISIBLE_EDITS,
    assert_shows,
    get_page,
    make_reader_article,
)


@pytest.fixture
def article(db):
    return make_reader_article()


@pytest.mark.django_db
@pytest.mark.parametrize("edit", VISIBLE_EDITS)
def test_an_edit_readers_see_moves_the_stamp(client, article, page_cache, edit):
    """Each kind of edit the page shows is on the next view, not the cached page."""
    before = get_page(client, article)
    assert get_page(client, article).query_count == 0  # the page is cached now
    expected = edit(article)
    after = get_page(client, article)
    assert after["ETag"] != before["ETag"]
    assert_shows(after, expected)
    assert get_page(client, article, if_none_match=before["ETag"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("edit", HIDDEN_EDITS)
def test_an_edit_readers_cannot_see_keeps_the_stamp(client, article, page_cache, edit):
    """Drafts, orphans and what only they use change behind the page: a reader polling HEAD
    with the ETag gets 304 and the same ETag, and the page is the same."""
    before = get_page(client, article)
    hidden = edit(article)
    polled = get_page(client, article, method="head", if_none_match=before["ETag"])
    assert polled.status_code == 304
    assert polled["ETag"] == before["ETag"]
    after = get_page(client, article)
    assert after["ETag"] == before["ETag"]
    assert after.content == before.content
    assert hidden not in after.content.decode()


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize("edit", HIDDEN_EDITS + VISIBLE_EDITS)
def test_the_stamp_moves_exactly_when_the_rendered_page_changes(client, article, edit):
    """With the page cache off, every page is rendered: the ETag changes if and only if the
    bytes a reader gets change."""
    before = get_page(client, article)
    edit(article)
    after = get_page(client, article)
    assert (after["ETag"] != before["ETag"]) == (after.content != before.content)


@pytest.mark.django_db
def test_an_edit_of_another_article_keeps_this_page_cached(client, article, page_cache):
    """Editing an unrelated article leaves this article's stamp and cached page alone."""
    etag = get_page(client, article)["ETag"]
    other = make_article(paragraphs=["Anderer Text."])
    annotate_quote(other.paragraphs.get(), "Anderer")
    response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 304
