import os
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articleapp import importer
from articleapp.models import Annotation, Entity
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "project.cache.RedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": "randnotiz-test",
    }
}


def redis_is_running():
    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    """The page cache on local memory, then on the real Redis (database 13, never 0)."""
    if request.param == "redis" and not redis_is_running():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI must start it")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    with override_settings(CACHES=LOCMEM if request.param == "locmem" else REDIS):
        cache.clear()
        yield request.param
        cache.clear()


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
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url(), headers=headers)
    response.query_count = len(queries)
    return response


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


def edit_article_title(article):
    article.title = "Geänderter Titel"
    article.save()
    return "Geänderter Titel"


def edit_paragraph_text(article):
    paragraph = article.paragraphs.get()
    paragraph.text = paragraph.text.replace("sagt Nvidia", "meldet Nvidia")
    paragraph.save()
    return "meldet Nvidia"


def edit_annotation_comment(article):
    annotation = Annotation.objects.get()
    annotation.comment = "Zweite Notiz"
    annotation.save()
    return "Zweite Notiz"


def add_annotation(article):
    annotate_quote(article.paragraphs.get(), "Nvidia", comment="Neue Anmerkung")
    return "Neue Anmerkung"


def delete_annotation(article):
    Annotation.objects.get().delete()
    return "!Erste Notiz"


def unpublish_annotation(article):
    annotation = Annotation.objects.get()
    annotation.status = Annotation.Status.DRAFT
    annotation.save()
    return "!Erste Notiz"


def set_annotation_tags(article):
    Annotation.objects.get().tags.set(["Rechenzentren"])
    return "Rechenzentren"


def rename_entity(article):
    entity = Entity.objects.get()
    entity.name = "Microsoft Corporation"
    entity.save()
    return "Microsoft Corporation"


def rename_tag(article):
    tag = Tag.objects.get(name="Cloud")
    tag.name = "Wolke"
    tag.save()
    return "Wolke"


def delete_tag(article):
    Tag.objects.get(name="Cloud").delete()
    return "!Cloud"


def reimport_with_edit(article):
    parsed = importer.ParsedArticle(
        kicker=article.kicker,
        title=article.title,
        byline=article.byline,
        paragraphs=("Microsoft investiert in Mistral, sagt Nvidia. Das meldet die dpa.",),
    )
    importer.save(parsed, slug=article.slug)
    return "Das meldet die dpa."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit",
    [
        edit_article_title,
        edit_paragraph_text,
        edit_annotation_comment,
        add_annotation,
        delete_annotation,
        unpublish_annotation,
        set_annotation_tags,
        rename_entity,
        rename_tag,
        delete_tag,
        reimport_with_edit,
    ],
)
def test_an_editors_save_invalidates_the_cached_page(client, article, page_cache, edit):
    """Each kind of edit the page shows is visible on the next view, not the cached page."""
    before = get_page(client, article)
    assert get_page(client, article).query_count == 0  # the page is cached now
    expected = edit(article)
    after = get_page(client, article)
    content = after.content.decode()
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    if expected.startswith("!"):
        assert expected[1:] in before.content.decode()
        assert expected[1:] not in content
    else:
        assert expected not in before.content.decode()
        assert expected in content


@pytest.mark.django_db
def test_edit_of_another_article_keeps_this_page_cached(client, article, page_cache):
    """Editing an unrelated article leaves this article's stamp and cached page alone."""
    etag = get_page(client, article)["ETag"]
    other = make_article(paragraphs=["Anderer Text."])
    annotate_quote(other.paragraphs.get(), "Anderer")
    response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 304


@pytest.mark.django_db
def test_signed_in_pages_are_neither_cached_nor_shared(client, article, page_cache):
    """A staff member's page (with the edit link) is never served to anonymous readers."""
    staff = make_user(is_staff=True)
    client.force_login(staff)
    staff_page = get_page(client, article)
    assert 'href="/admin/"' in staff_page.content.decode()
    client.logout()
    anonymous_page = get_page(client, article)
    assert 'href="/admin/"' not in anonymous_page.content.decode()
    assert anonymous_page["ETag"] != staff_page["ETag"]


@pytest.mark.django_db
def test_unknown_article_is_404_with_the_cache_on(client, page_cache):
    """An unknown slug is still a 404 page and is not cached."""
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
    """No CSRF token or cookie on the page, so one cached copy serves every reader as it is."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered = get_page(first, article)
    served = get_page(second, article)
    assert served.query_count == 0  # from the cache
    assert served.content == rendered.content
    assert b"csrfmiddlewaretoken" not in served.content
    assert not rendered.cookies and not served.cookies


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
    never = mock.patch.object(
        AuthenticationMiddleware, "process_request", side_effect=AssertionError("ran")
    )
    with never, mock.patch.object(CsrfViewMiddleware, "process_view", side_effect=AssertionError):
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


def test_a_new_release_renders_its_own_pages(tmp_path, settings):
    """Pages cached by the previous release are not served after a deploy (key changes)."""
    from articleapp import caching

    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<p>old</p>")
    settings.BASE_DIR = tmp_path
    caching.release.cache_clear()
    try:
        before = caching.release()
        template.write_text("<p>new</p>")
        caching.release.cache_clear()
        assert caching.release() != before
    finally:
        caching.release.cache_clear()
