"""Gzip for responses that hold no secret (``project/compression.py``), and reading pages kept
gzipped in the page cache (``articleapp/pagecache.py``)."""

import gzip

import pytest
from django.core.cache import cache
from django.test import Client

from articleapp import pagecache
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def article(db):
    """An article with a published Mistral annotation, long enough to be worth compressing."""
    article = make_article(paragraphs=["Mistral AI stellt ein offenes Modell vor. " * 20])
    entity = make_entity(name="Mistral AI", slug="mistral-ai")
    annotate_quote(article.paragraphs.get(), "Mistral AI", entity=entity, comment="Erste Notiz")
    return article


def vary(response):
    return {token.strip().lower() for token in response.get("Vary", "").split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/entities/", "/search/?q=Mistral", "/keine-seite/"])
def test_public_pages_are_gzipped_for_clients_that_accept_it(article, path):
    """A public page goes out gzipped to a client that accepts gzip, the same words as plain."""
    plain = Client().get(path)
    compressed = Client().get(path, **GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    assert "accept-encoding" in vary(compressed) and "accept-encoding" in vary(plain)
    assert not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_nothing_is_compressed_for_a_signed_in_user(article):
    """A request with a session may show an editor's page: never compressed."""
    client = Client()
    client.force_login(make_user(is_staff=True))
    for path in ["/", article.get_absolute_url(), "/admin/"]:
        response = client.get(path, **GZIP)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), path


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_never_compressed(db):
    """The sign-in page holds a CSRF token (and so sets its cookie): sent uncompressed."""
    response = Client().get("/admin/login/", **GZIP)
    assert b"csrfmiddlewaretoken" in response.content
    assert "csrftoken" in response.cookies
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_padding_is_left_out_so_a_page_compresses_to_the_same_bytes(article):
    """No secret, no random padding: two requests for a page get identical bytes."""
    first = Client().get("/entities/", **GZIP)
    second = Client().get("/entities/", **GZIP)
    assert first.content == second.content


@pytest.mark.django_db
def test_cached_reading_page_is_stored_gzipped_and_served_either_way(article, page_cache):
    """The page cache keeps the compressed page; gzip clients get it as it is, others plain."""
    rendered = Client().get(article.get_absolute_url())
    entry = cache.get(pagecache.page_key(article.slug))
    assert entry is not None and gzip.decompress(entry[1]) == rendered.content
    compressed = Client().get(article.get_absolute_url(), **GZIP)
    plain = Client().get(article.get_absolute_url())
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed.content == entry[1]
    assert plain.content == rendered.content and not plain.has_header("Content-Encoding")
    assert "accept-encoding" in vary(compressed) and "accept-encoding" in vary(plain)
    assert "cookie" in vary(compressed)


@pytest.mark.django_db
def test_gzipped_reading_page_has_a_weak_etag_that_still_answers_304(article, page_cache):
    """Rendered or cached, the gzipped page's ETag is the weak form of the plain one's, and
    either form in If-None-Match gets a 304."""
    plain = Client().get(article.get_absolute_url())
    rendered = Client().get(article.get_absolute_url(), **GZIP)
    cached = Client().get(article.get_absolute_url(), **GZIP)
    assert rendered["ETag"] == cached["ETag"] == "W/" + plain["ETag"]
    for etag in (plain["ETag"], cached["ETag"]):
        response = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag, **GZIP)
        assert response.status_code == 304


@pytest.mark.django_db
def test_cached_page_for_a_visitor_with_a_stale_session_is_decoded_when_needed(
    article, page_cache
):
    """A session cookie that signs nobody in still gets the shared page, plain if it asks so."""
    Client().get(article.get_absolute_url())
    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    plain = client.get(article.get_absolute_url())
    compressed = client.get(article.get_absolute_url(), **GZIP)
    assert plain.status_code == 200 and b"Erste Notiz" in plain.content
    assert gzip.decompress(compressed.content) == plain.content
