"""Conditional GET and a page cache for the reading page, both keyed by a version stamp.

The stamp is the article's ``updated_at``. Every save or delete of something the reading page
shows (the article, its paragraphs, their annotations, the annotations' tags, the entities they
name, tag names) moves it forward through ``touch_articles``. So:

- the ETag comes from the stamp, and a matching ``If-None-Match`` is answered 304 by
  ``django.views.decorators.http.condition`` before the view runs: no page query, no template;
- a rendered page is cached together with the stamp it was rendered at, and served only while
  that is still the article's stamp.

The stamp itself is cached too, so a cached page costs one cache round trip and no query. A
touch deletes the cached stamps of the articles it moves (at once and again after commit). With
Redis that is exact for every process; with the per-process local-memory cache, other processes
keep an old stamp for at most ``PAGE_STAMP_SECONDS``.

The stamps move through model signals, against the house rule of explicit calls, because
invalidation must not depend on every writer (admin, importer, commands, code not written yet)
remembering a call. Writes that send no signals (``QuerySet.update()``, ``bulk_create``,
``bulk_update``, raw SQL) must call ``touch_articles`` themselves.
"""

import functools
import hashlib
import logging
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.functional import empty
from django.views.decorators.http import condition
from redis.exceptions import RedisError
from taggit.models import Tag

from articleapp.models import Annotation, Article, Entity, Paragraph

logger = logging.getLogger(__name__)

CACHE_ERRORS = (OSError, RedisError)
# The viewer part of the ETag of the page every reader without an account shares.
ANYONE = "anon"
# What a release digest reads: every file that shapes a rendered page.
RELEASE_SUFFIXES = {".html", ".py", ".mo", ".css", ".js", ".svg"}


def stamp_key(slug):
    return f"reading-stamp:{slug}"


@functools.cache
def release():
    """Return a digest of what renders a page: templates, translations, static files, app code.

    Part of every page key, so that after a deploy no reader is served a page that the previous
    release rendered (its markup, wording and static file names) while the stamp stays the same.
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


def page_key(request, slug):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"reading-page:{release()}:{slug}:{translation.get_language()}:{path}"


def touch_articles(articles):
    """Move the version stamp of ``articles`` (an Article queryset) to now."""
    slugs = list(articles.values_list("slug", flat=True))
    if not slugs:
        return
    articles.update(updated_at=timezone.now())
    forget_article_stamps(slugs, articles.db)


def forget_stamps(keys):
    try:
        cache.delete_many(keys)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable; stamps expire on their own.", exc_info=True)


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


def article_stamp(slug):
    """Return the article's stamp ``"<pk>-<updated_at>"``, or None for an unknown slug."""
    row = Article.objects.filter(slug=slug).values_list("pk", "updated_at").first()
    return None if row is None else f"{row[0]}-{row[1].timestamp():.6f}"


def reading_page_etag(request, slug):
    """Return the reading page's ETag, or None for an unknown slug (the view then answers 404).

    The stamp comes from the cache together with the cached page, in one round trip; from the
    database when the cache has none. The ETag adds the language and the viewer: anonymous
    readers share one page, a signed-in user (who may see editor links) gets one of their own.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    cached = {}
    if seconds:
        request.reading_page_key = page_key(request, slug)
        cached = cache_get_many([stamp_key(slug), request.reading_page_key])
    stamp = cached.get(stamp_key(slug))
    if stamp is None:
        stamp = article_stamp(slug)
        if stamp is None:
            return None
        if seconds:
            cache_set(stamp_key(slug), stamp, settings.PAGE_STAMP_SECONDS)
    page = cached.get(getattr(request, "reading_page_key", None))
    request.reading_page_stamp = stamp
    request.reading_page = page if page is not None and page[0] == stamp else None
    return reading_etag(stamp, f"u{request.user.pk}" if request.user.is_authenticated else ANYONE)


def reading_etag(stamp, viewer):
    return f"{stamp}-{translation.get_language()}-{viewer}"


@functools.cache
def reading_page_prefix():
    """Return the path every reading page begins with (``/articles/``); others skip resolve."""
    path = reverse("articleapp:article-detail", kwargs={"slug": "slug"})
    return path[: path.rindex("slug")]


def cached_page_for_anyone(request):
    """Return the current cached reading page for a reader without a session, or None.

    Called by ``CachedReadingPageMiddleware`` before sessions, CSRF, authentication and the
    rest: a request without a session cookie is anonymous, and the cached page holds nothing
    per reader, so those have nothing to add. One cache round trip, no query, no template.
    Anything else (no page cached, a stale one, a session cookie) returns None and goes on to
    the view, which answers as ``cached_reading_page`` says.
    """
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or not request.path.startswith(reading_page_prefix())
    ):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != "articleapp:article-detail":
        return None
    slug = match.kwargs["slug"]
    key = page_key(request, slug)
    cached = cache_get_many([stamp_key(slug), key])
    stamp, page = cached.get(stamp_key(slug)), cached.get(key)
    if stamp is None or page is None or page[0] != stamp:
        return None
    etag = quote_etag(reading_etag(stamp, ANYONE))
    response = get_conditional_response(request, etag=etag)
    if response is None:
        _, content, content_type = page
        response = HttpResponse(content, content_type=content_type)
    response.headers["ETag"] = etag
    return response


def is_shareable(request, response):
    """Tell whether a response may be served to other anonymous readers as it is."""
    if response.status_code != 200 or request.user.is_authenticated or response.cookies:
        return False
    # A page that carries a per-reader secret (a CSRF token, a CSP nonce) is never shared.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    nonce = getattr(request, "csp_nonce", None)
    return getattr(nonce, "_wrapped", empty) is empty


def cached_reading_page(view):
    """Decorate ``article_detail``: 304 on a matching ETag, else serve or fill the page cache."""

    @condition(etag_func=reading_page_etag)
    @wraps(view)
    def wrapper(request, slug):
        seconds = settings.PAGE_CACHE_SECONDS
        stamp = getattr(request, "reading_page_stamp", None)
        if not seconds or stamp is None or request.user.is_authenticated:
            return view(request, slug)
        if request.reading_page is not None:
            _, content, content_type = request.reading_page
            return HttpResponse(content, content_type=content_type)
        response = view(request, slug)
        if is_shareable(request, response):
            page = (stamp, response.content, response["Content-Type"])
            cache_set(request.reading_page_key, page, seconds)
        return response

    return wrapper


def forget_article_stamps(slugs, using):
    """Delete cached stamps now, and again after commit: a reader in between may re-cache one."""
    keys = [stamp_key(slug) for slug in slugs]
    forget_stamps(keys)
    transaction.on_commit(lambda: forget_stamps(keys), using=using)


def article_saving(sender, instance, using, **kwargs):
    # The article's own save moves updated_at; its cached stamp, under the old slug too, goes.
    slugs = {instance.slug}
    if instance.pk is not None:
        stored = Article.objects.using(using).filter(pk=instance.pk)
        slugs.update(stored.values_list("slug", flat=True))
    forget_article_stamps(slugs, using)


def article_deleted(sender, instance, using, **kwargs):
    forget_article_stamps({instance.slug}, using)


def paragraph_changed(sender, instance, using, **kwargs):
    touch_articles(Article.objects.using(using).filter(pk=instance.article_id))


def annotation_changed(sender, instance, using, **kwargs):
    touch_articles(Article.objects.using(using).filter(paragraphs=instance.paragraph_id))


def annotation_tags_changed(sender, instance, action, using, **kwargs):
    if isinstance(instance, Annotation) and action.startswith("post_"):
        annotation_changed(sender, instance, using)


def entity_changed(sender, instance, using, **kwargs):
    touch_articles(Article.objects.using(using).filter(paragraphs__annotations__entity=instance.pk))


def tag_changed(sender, instance, using, **kwargs):
    touch_articles(Article.objects.using(using).filter(paragraphs__annotations__tags=instance.pk))


def connect_signals():
    """Connect the stamp updates; called once from ``ArticleAppConfig.ready``."""
    for model, receiver in [
        (Paragraph, paragraph_changed),
        (Annotation, annotation_changed),
        (Entity, entity_changed),
        (Tag, tag_changed),
    ]:
        name = model.__name__
        post_save.connect(receiver, sender=model, dispatch_uid=f"caching-{name}-save")
        # A tag's or entity's links are gone after its delete, so those touch before it.
        deleted = pre_delete if model in (Tag, Entity) else post_delete
        deleted.connect(receiver, sender=model, dispatch_uid=f"caching-{name}-delete")
    pre_save.connect(article_saving, sender=Article, dispatch_uid="caching-Article-save")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="caching-Article-delete")
    m2m_changed.connect(
        annotation_tags_changed,
        sender=Annotation.tags.through,
        dispatch_uid="caching-annotation-tags",
    )
