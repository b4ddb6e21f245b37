"""The reading page's cache: stamps, keys, the lookup before the middleware stack, the decorator.

The **stamp** of an article is ``"<pk>-<reader_digest>"``: ``Article.reader_digest`` is a digest
of what readers see of it, and ``articleapp.invalidation`` moves it when, and only when, that
changes (a draft saved moves nothing a reader could notice, an ETag included). The stamp is
cached under ``reading-stamp:<slug>`` for ``PAGE_STAMP_SECONDS``; a write that moves it deletes
that key at once and again after its commit. With Redis that is exact for every process; with
the per-process local-memory cache, other processes keep an old stamp for at most
``PAGE_STAMP_SECONDS``.

- The **ETag** is the stamp with the release, the language and the viewer: a matching
  ``If-None-Match`` is answered 304 by ``condition`` before the view runs (no page query, no
  template). With the release in it, a deploy that changes the markup is not answered 304.
- A rendered page is stored compressed (Brotli) under a **key** of release, slug and language,
  with the stamp it was rendered at, and served only while that is still the article's stamp.
  ``project.compression`` sends it as it is to clients that accept Brotli and decodes it for
  the others (compressing on every hit instead cost eight times the hit). The key
  is the bare URL's: the reading page takes no query parameters, and ``cached_reading_page``
  answers any query string with a redirect to the bare URL, so ``?x=1``, ``?x=2``, … cost
  neither a render nor a cache entry. The page must not depend on the ``Host`` either: its
  absolute URLs (canonical link, schema.org, Open Graph) come from ``RANDNOTIZ_BASE_URL``
  through ``articleapp.canonical``, never from the request (``tests/test_pagecache.py`` checks).
- ``CachedReadingPageMiddleware`` answers readers without a session cookie from the cache
  before sessions, CSRF and authentication, one cache round trip and no query. It first
  validates the ``Host`` (``request.get_host()``): a host outside ``ALLOWED_HOSTS`` is a 400
  there, as everywhere else. It recognises the reading view by the ``reading_page_cache``
  marker this module's decorator sets on the view function, not by a URL name.
- What is stored is decided by what the response carries, after every middleware below the
  cache's has seen it: a 200 that sets no cookie (a CSRF token, a session, a message), is not
  ``private``/``no-store``/``no-cache``, varies on nothing but ``Cookie``, for a reader who is
  not signed in. The page uses no CSP nonce either (its scripts are files): a test checks.

A cache that fails (Redis down) degrades to rendering: lookups find nothing and writes are
dropped, with a warning in the log.
"""

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import condition
from redis.exceptions import RedisError

from articleapp.models import Article
from project.compression import compress
from project.middleware import header_tokens

logger = logging.getLogger(__name__)

CACHE_ERRORS = (OSError, RedisError)
# The viewer part of the ETag of the page every reader without an account shares.
ANYONE = "anon"
# What a release digest reads: every file that shapes a rendered page.
RELEASE_SUFFIXES = {".html", ".py", ".mo", ".css", ".js", ".svg"}
# The attribute ``cached_reading_page`` sets on the view function, for the middleware.
MARKER = "reading_page_cache"
# Longer paths are never a reading page (slugs have at most 200 characters), so they are not
# resolved or remembered by ``marked_slug``: its memory stays bounded whatever is requested.
MAX_PATH = 512
MAX_SLUG = Article._meta.get_field("slug").max_length
# The content coding pages are stored in (see project.compression).
CODING = "br"


@functools.cache
def release():
    """Return a digest of what renders a page: templates, translations, static files, app code.

    Part of every page key and ETag, so that after a deploy no reader is served a page that the
    previous release rendered (its markup, wording and static file names) while the stamp stays
    the same.
    """
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "static", Path(__file__).parent]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def stamp_key(slug):
    return f"reading-stamp:{slug}"


def page_key(slug):
    return f"reading-page:{release()}:{slug}:{translation.get_language()}"


def article_and_stamp(slug):
    """Return the article and its stamp ``"<pk>-<reader_digest>"``, or (None, None) for an
    unknown slug: one query, whose article the view then renders without reading it again."""
    article = Article.objects.filter(slug=slug).order_by().first()
    return (None, None) if article is None else (article, f"{article.pk}-{article.reader_digest}")


def cache_get_many(keys):
    try:
        return cache.get_many(keys)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable; rendering without it.", exc_info=True)
        return {}


def cache_set(key, value, seconds):
    try:
        cache.set(key, value, seconds)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable; nothing stored.", exc_info=True)


def cache_delete_many(keys):
    try:
        cache.delete_many(keys)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable; stamps expire on their own.", exc_info=True)


def forget_stamps(slugs, using):
    """Delete cached stamps now, and again after commit: a reader in between may re-cache one."""
    keys = [stamp_key(slug) for slug in slugs]
    if not keys:
        return
    cache_delete_many(keys)
    transaction.on_commit(lambda: cache_delete_many(keys), using=using)


@dataclass
class ReadingPage:
    """What the page cache knows of one request for a reading page: ``request.reading_page``.

    ``stamp`` is the article's stamp (None until found); ``page`` is the stored
    ``(stamp, compressed content, content_type)`` under ``key``, if any; ``served`` tells that the
    answer came from it (so it is not stored again); ``article`` is the article when the stamp
    was read from the database (see ``reading_article``).
    """

    slug: str
    key: str
    stamp: str | None = None
    page: tuple | None = None
    served: bool = False
    article: Article | None = None

    @classmethod
    def look_up(cls, request, slug):
        """Read the stamp and the stored page in one cache round trip; attach to ``request``."""
        reading = cls(slug, page_key(slug))
        found = cache_get_many([stamp_key(slug), reading.key])
        reading.stamp, reading.page = found.get(stamp_key(slug)), found.get(reading.key)
        request.reading_page = reading
        return reading

    def find_stamp(self):
        """Fill ``stamp`` from the database when the cache had none; False for an unknown slug."""
        if self.stamp is None:
            self.article, self.stamp = article_and_stamp(self.slug)
            if self.stamp is None:
                return False
            if settings.PAGE_CACHE_SECONDS:
                cache_set(stamp_key(self.slug), self.stamp, settings.PAGE_STAMP_SECONDS)
        return True

    def etag(self, viewer):
        return f"{self.stamp}-{release()}-{translation.get_language()}-{viewer}"

    def is_fresh(self):
        """Tell whether the stored page was rendered at the article's current stamp."""
        return self.stamp is not None and self.page is not None and self.page[0] == self.stamp

    def page_response(self):
        _, content, content_type = self.page
        self.served = True
        response = HttpResponse(content, content_type=content_type)
        response.headers["Content-Encoding"] = CODING
        return response

    def cached_response(self, request):
        """Answer an anonymous reader from a fresh stored page: 304 or 200; else None."""
        if not self.is_fresh():
            return None
        etag = quote_etag(self.etag(ANYONE))
        response = get_conditional_response(request, etag=etag) or self.page_response()
        response.headers["ETag"] = etag
        return response

    def store(self, request, response):
        """Keep ``response`` for other readers if it is theirs as it is (see ``is_shareable``)."""
        if self.stamp is not None and not self.served and is_shareable(request, response):
            page = (self.stamp, compress(response.content, CODING), response["Content-Type"])
            cache_set(self.key, page, settings.PAGE_CACHE_SECONDS)


def is_shareable(request, response):
    """Tell whether ``response`` may be served to other readers as it is, by what it carries."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if header_tokens(response.get("Cache-Control", "")) & {"private", "no-store", "no-cache"}:
        return False
    return header_tokens(response.get("Vary", "")) <= {"cookie"}


@functools.lru_cache(maxsize=1024)
def marked_slug(urlconf, path):
    """Return the slug if ``path`` resolves to a view marked by ``cached_reading_page``.

    Memoised per path, so that the other pages pay a dictionary lookup, not a ``resolve()``.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if getattr(match.func, MARKER, False) else None


def reading_request(request):
    """Return the slug when the cache may answer ``request`` before the middleware stack.

    That is a GET or HEAD of a marked view's bare URL, without a session cookie (which may
    belong to an editor), with the page cache on. The host is validated first: a Host outside
    ``ALLOWED_HOSTS`` raises ``DisallowedHost``, which Django answers 400.
    """
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method not in ("GET", "HEAD")
        or request.META.get("QUERY_STRING")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or len(request.path_info) > MAX_PATH
    ):
        return None
    slug = marked_slug(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
    if slug is not None:
        request.get_host()
    return slug


def reading_etag(request, slug):
    """Return the reading page's ETag, or None for an unknown slug (the view then answers 404).

    The stamp comes from the middleware's lookup, else from the cache, else the database. The
    viewer part: anonymous readers share one page, a signed-in user (who may see editor links)
    gets one of their own.
    """
    reading = getattr(request, "reading_page", None)
    if reading is None or reading.slug != slug:
        if settings.PAGE_CACHE_SECONDS:
            reading = ReadingPage.look_up(request, slug)
        else:
            reading = request.reading_page = ReadingPage(slug, page_key(slug))
    if not reading.find_stamp():
        return None
    return reading.etag(f"u{request.user.pk}" if request.user.is_authenticated else ANYONE)


def reading_article(request, slug):
    """Return the article of ``slug`` if this request's stamp lookup read it, else None.

    With the page cache off, or a stamp the cache had forgotten, the lookup reads the whole
    article row; the view renders it instead of reading it again.
    """
    reading = getattr(request, "reading_page", None)
    if reading is None or reading.slug != slug:
        return None
    return reading.article


def cached_reading_page(view):
    """Decorate the reading view: the bare URL only, 304 on a matching ETag, the stored page
    for anonymous readers whose stamp the cache had forgotten, and the marker."""

    def serve(request, slug):
        reading = request.reading_page
        if reading.is_fresh() and not request.user.is_authenticated:
            return reading.page_response()
        return view(request, slug)

    conditional = condition(etag_func=reading_etag)(serve)

    @functools.wraps(view)
    def wrapper(request, slug):
        if len(slug) > MAX_SLUG:
            raise Http404  # no article has it: no cache key is built from input of any length
        if request.META.get("QUERY_STRING"):
            return HttpResponsePermanentRedirect(request.path)
        return conditional(request, slug)

    setattr(wrapper, MARKER, True)
    return wrapper
