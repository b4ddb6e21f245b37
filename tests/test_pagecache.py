"""The reading page's cache (``articleapp/pagecache.py``, ``articleapp/middleware.py``): ETags
and 304s, pages served before the middleware stack, what is stored and for whom."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve

from articleapp import pagecache
from articleapp.models import Annotation
from tests.support import urls as test_urls
from tests.support.caches import REDIS, redis_keys
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.pages import get_counting_queries


@pytest.fixture
def article(db):
    """An article whose one paragraph has a published, tagged Microsoft annotation."""
    article = make_article(paragraphs=["Microsoft investiert in Mistral, sagt Nvidia."])
    entity = make_entity(name="Microsoft", slug="microsoft", wikidata_id="Q2283")
    annotate_quote(
        article.paragraphs.get(), "Microsoft", entity=entity, comment="Erste Notiz", tags=["Cloud"]
    )
    return article


def get_page(client, article, **headers):
    return get_counting_queries(client, article.get_absolute_url(), **headers)


@pytest.mark.django_db
def test_matching_etag_is_answered_304_without_rendering(client, article, page_cache):
    """A GET with the current ETag gets 304 from the cached stamp: no query, no template."""
    etag = get_page(client, article)["ETag"]
    response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response.templates == []
    assert response["ETag"] == etag
    assert response.query_count == 0


@pytest.mark.django_db
def test_304_path_renders_no_template_even_with_the_page_cache_off(client, article):
    """With the page cache off, a matching ETag still skips the view and its templates."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        etag = get_page(client, article)["ETag"]
        response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 304
    assert response.templates == []
    assert response.query_count == 1


@pytest.mark.django_db
def test_stale_etag_gets_the_full_page(client, article, page_cache):
    """After an edit, the old ETag no longer matches and the new page is sent."""
    etag = get_page(client, article)["ETag"]
    Annotation.objects.get().tags.add("Neu")
    response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Neu" in response.content.decode()


@pytest.mark.django_db
def test_second_view_comes_from_the_cache(client, article, page_cache):
    """The second anonymous view is the same page, served from the cache without a query."""
    first = get_page(client, article)
    second = get_page(client, article)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.query_count == 0 < first.query_count
    assert second.templates == []


@pytest.mark.django_db
def test_a_forgotten_stamp_costs_one_query_not_a_render(client, article, page_cache):
    """When the cached stamp has expired, the stamp is read again (one query) and the stored
    page, still current, is served without rendering."""
    first = get_page(client, article)
    cache.delete(pagecache.stamp_key(article.slug))
    second = get_page(client, article)
    assert second.status_code == 200 and second.content == first.content
    assert second.templates == [] and second.query_count == 1
    assert get_page(client, article).query_count == 0  # the stamp is cached again


@pytest.mark.django_db
def test_signed_in_pages_are_neither_cached_nor_shared(client, article, page_cache):
    """A staff member's page (with the edit link) is never served to anonymous readers."""
    staff = make_user(is_staff=True)
    client.force_login(staff)
    staff_page = get_page(client, article)
    assert 'href="/admin/"' in staff_page.content.decode()
    assert get_page(client, article).templates  # rendered again, not from the cache
    client.logout()
    anonymous_page = get_page(client, article)
    assert 'href="/admin/"' not in anonymous_page.content.decode()
    assert anonymous_page["ETag"] != staff_page["ETag"]


@pytest.mark.django_db
def test_unknown_article_is_404_with_the_cache_on(client, page_cache):
    """An unknown slug is still a 404 page, twice (nothing was stored for it)."""
    assert client.get("/articles/gibt-es-nicht/").status_code == 404
    assert client.get("/articles/gibt-es-nicht/").status_code == 404


@pytest.mark.django_db
def test_redis_outage_degrades_to_rendering(client, article):
    """With Redis unreachable, the page is rendered instead of failing."""
    unreachable = {
        "default": {
            **REDIS["default"],
            "LOCATION": "redis://127.0.0.1:1/13",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=unreachable):
        response = get_page(client, article)
    assert response.status_code == 200
    assert "Erste Notiz" in response.content.decode()


@pytest.mark.django_db
def test_reading_page_holds_nothing_per_reader(article, page_cache):
    """No CSRF token or cookie and no CSP nonce on the page, so one cached copy serves every
    reader as it is (the cache relies on it for the nonce, which it cannot see)."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered = get_page(first, article)
    served = get_page(second, article)
    assert rendered.templates and served.query_count == 0  # rendered once, then from the cache
    assert served.content == rendered.content
    assert b"csrfmiddlewaretoken" not in served.content
    assert b"nonce" not in served.content
    assert "nonce" not in rendered["Content-Security-Policy"]
    assert not rendered.cookies and not served.cookies


@pytest.mark.django_db
def test_the_page_is_the_same_for_every_allowed_host(article, page_cache):
    """The page's absolute URLs come from RANDNOTIZ_BASE_URL, not the Host, so the copy cached
    for one host is right for another."""
    with override_settings(ALLOWED_HOSTS=["randnotiz.example", "www.randnotiz.example"]):
        first = get_page(Client(), article, host="randnotiz.example")
        with override_settings(PAGE_CACHE_SECONDS=0):
            other = get_page(Client(), article, host="www.randnotiz.example")
    assert first.status_code == other.status_code == 200
    assert first.content == other.content
    assert b"randnotiz.example" not in first.content


@pytest.mark.django_db
def test_language_switch_from_a_cached_page_needs_no_token(article, page_cache):
    """The switcher's POST works without a token and sets only the language cookie."""
    client = Client(enforce_csrf_checks=True)
    get_page(client, article)
    response = client.post("/i18n/setlang/", {"language": "en", "next": article.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert set(response.cookies) == {settings.LANGUAGE_COOKIE_NAME}
    assert get_page(client, article)["Content-Language"] == "en"


@pytest.mark.django_db
def test_cached_page_is_served_before_sessions_csrf_and_authentication(article, page_cache):
    """A reader without a session gets the cached page from CachedReadingPageMiddleware: the
    middleware below it does not run, the headers of the middleware above it are there."""
    get_page(Client(), article)  # renders and fills the cache
    never = [
        mock.patch.object(AuthenticationMiddleware, "process_request", side_effect=AssertionError),
        mock.patch.object(CsrfViewMiddleware, "process_view", side_effect=AssertionError),
        mock.patch.object(SessionMiddleware, "process_request", side_effect=AssertionError),
    ]
    with never[0], never[1], never[2]:
        served = get_page(Client(), article)
        not_modified = get_page(Client(), article, if_none_match=served["ETag"])
    assert served.status_code == 200 and served.query_count == 0
    assert "Erste Notiz" in served.content.decode()
    assert served["Content-Language"] == "de" and "Cookie" in served["Vary"]
    assert (
        served["X-Frame-Options"] == "DENY"
        and "default-src 'none'" in served["Content-Security-Policy"]
    )
    assert not_modified.status_code == 304 and not_modified.query_count == 0
    assert not_modified["ETag"] == served["ETag"]


@pytest.mark.django_db
def test_a_reader_with_a_session_goes_through_the_whole_stack(article, page_cache):
    """A session cookie may belong to an editor: such a request never takes the shortcut."""
    get_page(Client(), article)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    with (
        mock.patch.object(
            AuthenticationMiddleware, "process_request", side_effect=AssertionError("ran")
        ),
        pytest.raises(AssertionError, match="ran"),
    ):
        client.get(article.get_absolute_url())


# Finding 3 of issue 11: a query string is neither rendered nor stored.


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "head"])
def test_query_strings_neither_render_nor_store_a_page(article, page_cache, method):
    """``?x=1``, ``?x=2``, … are sent to the bare URL (301): no render, no new cache entry."""
    url = article.get_absolute_url()
    client = Client()
    client.get(url)
    stored = redis_keys("*reading-page*") if page_cache == "redis" else None
    for query in ["x=1", "x=2", "utm_source=feed&x=3", "next=https://evil.example/"]:
        response = get_counting_queries(client, f"{url}?{query}", method=method)
        assert response.status_code == 301
        assert response["Location"] == url
        assert response.templates == [] and response.query_count == 0
    if stored is not None:
        assert redis_keys("*reading-page*") == stored


@pytest.mark.django_db
def test_query_strings_are_redirected_for_signed_in_readers_too(client, article, page_cache):
    """The reading page has one URL for everyone: a signed-in reader's query goes too."""
    client.force_login(make_user(is_staff=True))
    response = client.get(f"{article.get_absolute_url()}?x=1")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


# Finding 4 of issue 11: a cached page is answered only for an allowed host.


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "head"])
def test_cached_page_is_refused_to_a_host_not_allowed(article, page_cache, method):
    """A cached page (and its 304) is answered 400 for a Host outside ALLOWED_HOSTS."""
    url = article.get_absolute_url()
    etag = Client().get(url)["ETag"]
    assert get_counting_queries(Client(), url).query_count == 0  # cached
    for headers in ({}, {"if_none_match": etag}):
        response = getattr(Client(), method)(url, headers={"host": "evil.example", **headers})
        assert response.status_code == 400
        assert b"Erste Notiz" not in response.content


# The middleware knows the reading view by the decorator's marker, and stores what is shareable.


def test_the_resolved_reading_view_carries_the_marker():
    """The function the URL resolves to (after ``require_safe``) carries the marker."""
    assert getattr(resolve("/articles/some-slug/").func, pagecache.MARKER) is True
    assert not hasattr(resolve("/entities/").func, pagecache.MARKER)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.support.urls")
def test_the_middleware_follows_the_marker_not_the_url(article, page_cache):
    """The marked view at another path is served from the cache; an unmarked copy of it at
    the reading page's own path is rendered every time."""
    slug = article.slug
    for url, cached in [(f"/lesen/{slug}/", True), (f"/articles/{slug}/", False)]:
        Client().get(url)
        second = get_counting_queries(Client(), url)
        assert second.status_code == 200
        assert (second.templates == []) is cached, url


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.support.urls")
@pytest.mark.parametrize("name", ["csrf-token", "set-cookie", "private", "vary-accept-language"])
def test_a_response_that_is_not_for_everyone_is_not_stored(article, page_cache, name):
    """A page that sets a cookie (a CSRF token too), is private, or varies on another header is
    rendered for every reader; a plain one is stored (the control)."""
    for view in (name, "plain"):
        test_urls.calls.clear()
        for _ in range(3):
            assert Client().get(f"/test/{view}/{article.slug}/").status_code == 200
        assert len(test_urls.calls) == (1 if view == "plain" else 3), view


@pytest.mark.parametrize(
    ("headers", "shareable"),
    [
        ({}, True),
        ({"Vary": "Cookie"}, True),
        ({"Vary": "Cookie, Accept-Encoding"}, False),
        ({"Cache-Control": "max-age=60, public"}, True),
        ({"Cache-Control": "private"}, False),
        ({"Cache-Control": "no-store"}, False),
        ({"Cache-Control": "No-Cache"}, False),
    ],
)
def test_shareability_is_read_from_the_response_headers(headers, shareable):
    """Vary and Cache-Control decide, by their public meaning."""
    response = HttpResponse("page", headers=headers)
    assert pagecache.is_shareable(RequestFactory().get("/"), response) is shareable


def test_a_response_with_a_cookie_or_another_status_is_not_shareable():
    """A Set-Cookie, a redirect or an error is never shared."""
    request = RequestFactory().get("/")
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("csrftoken", "x")
    assert not pagecache.is_shareable(request, with_cookie)
    assert not pagecache.is_shareable(request, HttpResponse("gone", status=404))
    assert not pagecache.is_shareable(request, HttpResponse(status=301))


def test_a_new_release_renders_its_own_pages(tmp_path, settings):
    """Pages cached by the previous release are not served after a deploy (key changes)."""
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<p>old</p>")
    settings.BASE_DIR = tmp_path
    pagecache.release.cache_clear()
    try:
        before = pagecache.release()
        template.write_text("<p>new</p>")
        pagecache.release.cache_clear()
        assert pagecache.release() != before
    finally:
        pagecache.release.cache_clear()


@pytest.mark.django_db
def test_a_new_release_is_not_answered_304(client, article, page_cache, tmp_path, settings):
    """The ETag carries the release: after a deploy an old ETag gets the new page, not 304."""
    etag = get_page(client, article)["ETag"]
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("<p>next release</p>")
    settings.BASE_DIR = tmp_path
    pagecache.release.cache_clear()
    try:
        response = get_page(client, article, if_none_match=etag)
    finally:
        pagecache.release.cache_clear()
    assert response.status_code == 200
    assert response["ETag"] != etag
