"""Conditional GET and a page cache for the reading page, both keyed by a version stamp.

The stamp is the article's ``updated_at``. Every save or delete of something the reading page
shows (the article, its paragraphs, their annotations, the annotations' tags, the entities they
name, tag names) moves it forward through ``touch_articles``. So:

- the ETag comes from one indexed query, and a matching ``If-None-Match`` is answered 304 by
  ``django.views.decorators.http.condition`` before the view runs: no page query, no template;
- a rendered page is cached under a key that contains the stamp, so an editor's save makes a new
  key rather than having to find and delete old ones. That stays correct with several processes
  even on the per-process local-memory cache; stale entries simply expire.

The stamps move through model signals, against the house rule of explicit calls, because
invalidation must not depend on every writer (admin, importer, commands, code not written yet)
remembering a call. Writes that send no signals (``QuerySet.update()``, ``bulk_create``,
``bulk_update``, raw SQL) must call ``touch_articles`` themselves.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import empty
from django.views.decorators.http import condition
from redis.exceptions import RedisError
from taggit.models import Tag

from articleapp.models import Annotation, Article, Entity, Paragraph

logger = logging.getLogger(__name__)

KEY_PREFIX = "reading-page"


def touch_articles(articles):
    """Move the version stamp of ``articles`` (an Article queryset) to now."""
    articles.update(updated_at=timezone.now())


def reading_page_etag(request, slug):
    """Return the reading page's ETag, or None for an unknown slug (the view then answers 404).

    It names the article's version, the language and the viewer: anonymous readers share one
    page, a signed-in user (who may see editor links) gets one of their own.
    """
    stamp = Article.objects.filter(slug=slug).values_list("pk", "updated_at").first()
    if stamp is None:
        return None
    pk, updated_at = stamp
    viewer = f"u{request.user.pk}" if request.user.is_authenticated else "anon"
    etag = f"{pk}-{updated_at.timestamp():.6f}-{translation.get_language()}-{viewer}"
    request.reading_page_etag = etag
    return etag


def cache_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{KEY_PREFIX}:{request.reading_page_etag}:{path}"


def is_shareable(request, response):
    """Tell whether a response may be served to other anonymous readers as it is."""
    if response.status_code != 200 or request.user.is_authenticated or response.cookies:
        return False
    # A page that carries a per-request secret (a CSRF token, a CSP nonce) is never shared.
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
        etag = getattr(request, "reading_page_etag", None)
        if not seconds or etag is None or request.user.is_authenticated:
            return view(request, slug)
        key = cache_key(request)
        try:
            cached = cache.get(key)
        except (OSError, RedisError):
            logger.warning("Page cache unavailable; rendering without it.", exc_info=True)
            return view(request, slug)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, slug)
        if is_shareable(request, response):
            try:
                cache.set(key, (response.content, response["Content-Type"]), seconds)
            except (OSError, RedisError):
                logger.warning("Page cache unavailable; page not stored.", exc_info=True)
        return response

    return wrapper


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
    m2m_changed.connect(
        annotation_tags_changed,
        sender=Annotation.tags.through,
        dispatch_uid="caching-annotation-tags",
    )
