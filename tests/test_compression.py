"""Brotli and gzip for responses that hold no secret (``project/compression.py``), and reading
pages kept compressed in the page cache (``articleapp/pagecache.py``)."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from articleapp import pagecache
from project.compression import accepted_coding
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}
GZIP_ONLY = {"HTTP_ACCEPT_ENCODING": "gzip"}
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture
def article(db):
    """An article with a published Mistral annotation, long enough to be worth compressing."""
    article = make_article(paragraphs=["Mistral AI stellt ein offenes Modell vor. " * 20])
    entity = make_entity(name="Mistral AI", slug="mistral-ai")
    annotate_quote(article.paragraphs.get(), "Mistral AI", entity=entity, comment="Erste Notiz")
    return article


def vary(response):
    return {token.strip().lower() for token in response.get("Vary", "").split(",")}


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("GZIP;Q=1.000", "gzip"),
        ("deflate", None),
        ("*", None),
        ("gzip;q=2", None),
        ("gzip;q=..", None),
        ("", None),
    ],
)
def test_accepted_coding_reads_names_and_weights(header, coding):
    """Brotli before gzip, a weight of 0 refuses, anything unreadable gets the plain content."""
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)
    assert accepted_coding(request) == coding


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/entities/", "/search/?q=Mistral", "/keine-seite/"])
@pytest.mark.parametrize(("headers", "coding"), [(BROWSER, "br"), (GZIP_ONLY, "gzip")])
def test_public_pages_are_compressed_for_clients_that_accept_it(article, path, headers, coding):
    """A public page goes out compressed to a client that accepts it, the same bytes as plain."""
    plain = Client().get(path)
    compressed = Client().get(path, **headers)
    assert compressed["Content-Encoding"] == coding
    assert DECODE[coding](compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    assert "accept-encoding" in vary(compressed) and "accept-encoding" in vary(plain)
    assert not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_nothing_is_compressed_for_a_signed_in_user(article):
    """A request with a session may show an editor's page: never compressed."""
    client = Client()
    client.force_login(make_user(is_staff=True))
    for path in ["/", article.get_absolute_url(), "/admin/"]:
        response = client.get(path, **BROWSER)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), path


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_never_compressed(db):
    """The sign-in page holds a CSRF token (and so sets its cookie): sent uncompressed."""
    response = Client().get("/admin/login/", **BROWSER)
    assert b"csrfmiddlewaretoken" in response.content
    assert "csrftoken" in response.cookies
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_no_padding_so_a_page_compresses_to_the_same_bytes(article):
    """No secret, no random padding: two requests for a page get identical bytes."""
    for headers in (BROWSER, GZIP_ONLY):
        assert Client().get("/entities/", **headers).content == (
            Client().get("/entities/", **headers).content
        )


@pytest.mark.django_db
def test_cached_reading_page_is_stored_compressed_and_served_in_any_coding(article, page_cache):
    """The page cache keeps the page in Brotli: Brotli clients get those bytes, gzip clients
    gzip, the others the plain page, each saying Vary: Accept-Encoding and Cookie."""
    rendered = Client().get(article.get_absolute_url())
    entry = cache.get(pagecache.page_key(article.slug))
    assert entry is not None and brotli.decompress(entry[1]) == rendered.content
    served = {
        "br": Client().get(article.get_absolute_url(), **BROWSER),
        "gzip": Client().get(article.get_absolute_url(), **GZIP_ONLY),
        None: Client().get(article.get_absolute_url()),
    }
    assert served["br"]["Content-Encoding"] == "br" and served["br"].content == entry[1]
    assert gzip.decompress(served["gzip"].content) == rendered.content
    assert served["gzip"]["Content-Encoding"] == "gzip"
    assert served[None].content == rendered.content
    assert not served[None].has_header("Content-Encoding")
    for response in served.values():
        assert {"accept-encoding", "cookie"} <= vary(response)
        assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.django_db
def test_compressed_reading_page_has_a_weak_etag_that_still_answers_304(article, page_cache):
    """Rendered or cached, the compressed page's ETag is the weak form of the plain one's, and
    either form in If-None-Match gets a 304."""
    plain = Client().get(article.get_absolute_url())
    rendered = Client().get(article.get_absolute_url(), **BROWSER)
    cached = Client().get(article.get_absolute_url(), **BROWSER)
    assert rendered["ETag"] == cached["ETag"] == "W/" + plain["ETag"]
    for etag in (plain["ETag"], cached["ETag"]):
        response = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag, **BROWSER)
        assert response.status_code == 304


@pytest.mark.django_db
def test_cached_page_for_a_visitor_with_a_stale_session_is_decoded_when_needed(article, page_cache):
    """A session cookie that signs nobody in still gets the shared page, plain if it asks so."""
    Client().get(article.get_absolute_url())
    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    plain = client.get(article.get_absolute_url())
    compressed = client.get(article.get_absolute_url(), **BROWSER)
    assert plain.status_code == 200 and b"Erste Notiz" in plain.content
    assert brotli.decompress(compressed.content) == plain.content
