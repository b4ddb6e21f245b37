"""Move an article's reading stamp when, and only when, what readers see of it changes.

The stamp (``articleapp.pagecache``) is ``Article.reader_digest``: a SHA-256 digest of what the
reading page is made of, read through the same rule as the page, ``Annotation.objects
.published()``: the article's fields, its paragraphs, its published annotations with their
entities and tags. ``touch_articles`` recomputes the digest of the articles a write may have
changed and stores it, with a new ``updated_at``, only if it differs; only then are the cached
stamps dropped. So a write decides nothing itself: whatever it changed, a draft, an orphan, an
entity only drafts name, the digest stays the same unless readers would see a difference, and
nobody polling ``HEAD`` for the ETag learns of unpublished work. That holds for writes not yet
written too: a new writer calls ``touch_articles`` on every article it may have changed, and
calling it too often costs queries, never a leak or a stale page.

Every concrete field counts, except the bookkeeping that moves on every save by itself
(``version`` and ``auto_now`` timestamps) and the digest. A field a page does not show moves the
stamp of a page whose public data changed anyway, which readers may know. A page that comes to
show data beyond these rows (another model, entity aliases) must add it to ``reader_digests``,
and a case to ``tests/test_invalidation.py``, which checks that the stamp moves exactly when the
rendered page changes.

The digest is computed in the writer's transaction, after taking the article's row lock, so two
writers to one article are serialised and each sees the other's committed rows. Writers that save
many rows (the importer, the seed, suggestions, annotation imports) wrap their work in
``deferred_touches()``, which settles each article once at the end instead of once per row.

The stamps move through model signals, against the house rule of explicit calls, because
invalidation must not depend on every writer (admin, importer, commands, code not written yet)
remembering a call. Writes that send no signals (``QuerySet.update()``, ``bulk_create``,
``bulk_update``, raw SQL) must call ``touch_articles`` themselves.
"""

import contextlib
import contextvars
import hashlib
import json

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone
from taggit.models import Tag

from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.pagecache import forget_stamps
from articleapp.tagging import attach_tags

DIGEST_FIELD = "reader_digest"
# Fields that change on every save whatever changed: they say nothing readers see.
BOOKKEEPING = {"version", DIGEST_FIELD}
# The articles touched inside ``deferred_touches``: {database alias: {article pk, …}}.
_pending = contextvars.ContextVar("pending_touches", default=None)


def row(obj):
    """Return the object's fields as text, bookkeeping left out, for the digest."""
    return [
        field.value_to_string(obj)
        for field in obj._meta.concrete_fields
        if field.name not in BOOKKEEPING and not getattr(field, "auto_now", False)
    ]


def reader_digests(articles, using=DEFAULT_DB_ALIAS):
    """Return ``{pk: digest}`` of what readers see of ``articles`` (Article instances).

    Three queries whatever the number of articles: paragraphs, published annotations with
    their entities, their tags.
    """
    content = {article.pk: [row(article), [], []] for article in articles}
    paragraphs = Paragraph.objects.using(using).filter(article__in=list(content))
    article_of = {}
    for paragraph in paragraphs.order_by("article", "position"):
        article_of[paragraph.pk] = paragraph.article_id
        content[paragraph.article_id][1].append(row(paragraph))
    annotations = attach_tags(
        Annotation.objects.using(using)
        .published()
        .filter(paragraph__article__in=list(content))
        .select_related("entity")
        .order_by("paragraph", "start", "-end", "pk")
    )
    for annotation in annotations:
        entity = row(annotation.entity) if annotation.entity_id else None
        tags = [(tag.name, tag.slug) for tag in annotation.tags.all()]
        content[article_of[annotation.paragraph_id]][2].append([row(annotation), entity, tags])
    return {
        pk: hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]
        for pk, parts in content.items()
    }


def touch_articles(articles):
    """Recompute what readers see of ``articles`` (an Article queryset); move changed stamps."""
    pks = set(articles.values_list("pk", flat=True))
    if pks:
        touch(pks, articles.db)


def touch(pks, using):
    pending = _pending.get()
    if pending is None:
        settle(pks, using)
    else:
        pending.setdefault(using, set()).update(pks)


def settle(pks, using):
    """Store the new digest of each article in ``pks`` whose digest changed; forget its stamp."""
    with transaction.atomic(using=using):
        articles = list(
            Article.objects.using(using).select_for_update().filter(pk__in=pks).order_by("pk")
        )
        digests = reader_digests(articles, using)
        moved = [article for article in articles if digests[article.pk] != article.reader_digest]
        now = timezone.now()
        for article in moved:
            Article.objects.using(using).filter(pk=article.pk).update(
                reader_digest=digests[article.pk], updated_at=now
            )
    forget_stamps([article.slug for article in moved], using)


@contextlib.contextmanager
def deferred_touches():
    """Collect the touches made inside and settle each article once, at the end.

    For writers that save many rows of one article. Use it inside the writer's transaction,
    so that the stamps move before it commits; if the block raises, nothing is settled (its
    transaction rolls back). Usable as a decorator; nested uses settle at the outermost end.
    """
    if _pending.get() is not None:
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for using, pks in pending.items():
        settle(pks, using)


def fill_missing_digests(using=DEFAULT_DB_ALIAS, **kwargs):
    """After ``migrate``: give articles without a digest theirs, without moving ``updated_at``.

    Articles stored before digests existed get them at the deploy that adds them, so that the
    first draft saved afterwards does not move their stamp.
    """
    if Article._meta.db_table not in connections[using].introspection.table_names():
        return
    with transaction.atomic(using=using):
        articles = list(Article.objects.using(using).filter(reader_digest="").select_for_update())
        for pk, digest in reader_digests(articles, using).items():
            Article.objects.using(using).filter(pk=pk).update(reader_digest=digest)


def article_saving(sender, instance, using, **kwargs):
    # Under its old slug the article is gone (404): that slug's cached stamp goes too.
    if instance.pk is not None:
        stored = Article.objects.using(using).filter(pk=instance.pk).exclude(slug=instance.slug)
        forget_stamps(list(stored.values_list("slug", flat=True)), using)


def article_saved(sender, instance, using, **kwargs):
    touch({instance.pk}, using)


def article_deleted(sender, instance, using, **kwargs):
    forget_stamps([instance.slug], using)


def deleted_with_its_article(origin):
    """Tell whether a delete began at an article (or articles): then its rows go with it."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Article)


def paragraph_changed(sender, instance, using, origin=None, **kwargs):
    if origin is None or not deleted_with_its_article(origin):
        touch({instance.article_id}, using)


def annotation_changed(sender, instance, using, origin=None, **kwargs):
    if origin is None or not deleted_with_its_article(origin):
        touch_articles(Article.objects.using(using).filter(paragraphs=instance.paragraph_id))


def annotation_tags_changed(sender, instance, action, using, **kwargs):
    if isinstance(instance, Annotation) and action.startswith("post_"):
        annotation_changed(sender, instance, using)


def articles_naming(instance, using):
    """The articles whose annotations carry ``instance``, an Entity or a Tag."""
    link = "entity" if isinstance(instance, Entity) else "tags"
    return Article.objects.using(using).filter(**{f"paragraphs__annotations__{link}": instance.pk})


def entity_or_tag_saved(sender, instance, using, **kwargs):
    touch_articles(articles_naming(instance, using))


def entity_or_tag_deleting(sender, instance, using, **kwargs):
    # Its links are gone after the delete, so the articles are found before it.
    instance.articles_to_touch = set(articles_naming(instance, using).values_list("pk", flat=True))


def entity_or_tag_deleted(sender, instance, using, **kwargs):
    pks = getattr(instance, "articles_to_touch", None)
    if pks:
        touch(pks, using)


def connect_signals(app_config):
    """Connect the stamp updates; called once from ``ArticleAppConfig.ready``."""
    receivers = [
        (pre_save, Article, article_saving),
        (post_save, Article, article_saved),
        (post_delete, Article, article_deleted),
        (post_save, Paragraph, paragraph_changed),
        (post_delete, Paragraph, paragraph_changed),
        (post_save, Annotation, annotation_changed),
        (post_delete, Annotation, annotation_changed),
        (m2m_changed, Annotation.tags.through, annotation_tags_changed),
    ]
    for model in (Entity, Tag):
        receivers += [
            (post_save, model, entity_or_tag_saved),
            (pre_delete, model, entity_or_tag_deleting),
            (post_delete, model, entity_or_tag_deleted),
        ]
    for signal, sender, receiver in receivers:
        uid = f"invalidation-{sender.__name__}-{receiver.__name__}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    post_migrate.connect(
        fill_missing_digests, sender=app_config, dispatch_uid="invalidation-fill-digests"
    )
