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
(``version`` and ``auto_now`` timestamps), the digest, and the fields only editors ever see
(``EDITOR_ONLY``: the gazetteer's rules for an entity, how a suggestion came about, who wrote
an annotation), which editors change on their own. Any other field a page does not show
changes only with data readers do see, so it moves no stamp readers could not know of. A page
that comes to show data beyond these rows (another model, entity aliases) must add it to
``content_digests``, and a case to the edits in ``tests/support/reader_edits.py``, with which
``tests/test_invalidation.py`` checks that the stamp moves exactly when the rendered page changes.

The digest is computed in the writer's transaction, after taking the article's row lock, so two
writers to one article are serialised and each sees the other's committed rows. Writers that save
many rows (the importer, the seed, suggestions, annotation imports) wrap their work in
``deferred_touches()``, which settles each article once at the end instead of once per row.

A reading page also lists related articles (``articleapp.related``): the others sharing the
most entities with it. So the stamp is two digests in one: ``content_digest``, of the article's
own rows as above, and the related articles' cards (``related.CARD_FIELDS``) with how many
entities each shares. When an article comes to mention an entity or ceases to, or its card
changes (``card_digest``), the pages that may list it are those of the articles mentioning the
same entities: their related part is recomputed from ``ArticleEntity`` (no paragraph is read)
and their stamps move where it changed. Those articles are not locked: their digest is replaced
only if it is still the one read (``refresh_related``), and read again otherwise, so a writer
settling one of them at the same time never has its newer stamp overwritten.

The stamps move through model signals, against the house rule of explicit calls, because
invalidation must not depend on every writer (admin, importer, commands, code not written yet)
remembering a call. Writes that send no signals (``QuerySet.update()``, ``bulk_create``,
``bulk_update``, raw SQL) must call ``touch_articles`` themselves.
"""

import contextlib
import contextvars
import hashlib
import itertools
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

from articleapp import related
from articleapp.models import Annotation, Article, ArticleEntity, Entity, Paragraph
from articleapp.pagecache import forget_stamps
from articleapp.tagging import attach_tags

DIGEST_FIELDS = {"reader_digest", "content_digest", "card_digest"}
# Rows read at a time when digesting an article's content.
CHUNK = 2000
# Fields that change on every save whatever changed, and the digests: nothing readers see.
BOOKKEEPING = {"version", *DIGEST_FIELDS}
# Fields no public page shows and editors change on their own: an entity's gazetteer rules, a
# suggestion's provenance, an annotation's author. Counting them would move the ETag and the
# feed's <updated> while the page stays the same, telling anyone polling HEAD that editors are
# at work (tests/support/reader_edits.py edits each and checks the page stays byte-identical).
EDITOR_ONLY = {
    "Entity": {"is_ambiguous", "ambiguity_note", "not_before", "not_after"},
    "Annotation": {"is_suggestion", "confidence", "reason", "matched_form", "author"},
}
# The articles touched inside ``deferred_touches``: {database alias: {article pk, …}}.
_pending = contextvars.ContextVar("pending_touches", default=None)


def row(obj):
    """Return the object's fields as text for the digest, bookkeeping and what only editors see
    left out."""
    left_out = BOOKKEEPING | EDITOR_ONLY.get(obj._meta.object_name, set())
    return [
        field.value_to_string(obj)
        for field in obj._meta.concrete_fields
        if field.name not in left_out and not getattr(field, "auto_now", False)
    ]


def digest(parts):
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def content_digests(articles, using=DEFAULT_DB_ALIAS):
    """Return ``{pk: digest}`` of the articles' own content, and ``{pk: {entity pk: mentions}}``.

    ``articles`` are Article instances. Three queries whatever their number (paragraphs,
    published annotations with their entities, their tags; the last two per ``CHUNK`` rows),
    read in chunks into one running digest per article, so memory stays flat for any size.
    """
    hashers = {article.pk: hashlib.sha256() for article in articles}
    mentions = {article.pk: {} for article in articles}

    def add(pk, part):
        hashers[pk].update(json.dumps(part, ensure_ascii=False).encode() + b"\n")

    for article in articles:
        add(article.pk, ["article", row(article)])
    paragraphs = Paragraph.objects.using(using).filter(article__in=list(hashers))
    article_of = {}
    for paragraph in paragraphs.order_by("article", "position").iterator(chunk_size=CHUNK):
        article_of[paragraph.pk] = paragraph.article_id
        add(paragraph.article_id, ["paragraph", row(paragraph)])
    annotations = (
        Annotation.objects.using(using)
        .published()
        .filter(paragraph__article__in=list(hashers))
        .select_related("entity")
        .order_by("paragraph__article", "paragraph__position", "start", "-end", "pk")
        .iterator(chunk_size=CHUNK)
    )
    while chunk := list(itertools.islice(annotations, CHUNK)):
        for annotation in attach_tags(chunk):
            article_id = article_of[annotation.paragraph_id]
            entity = row(annotation.entity) if annotation.entity_id else None
            tags = [(tag.name, tag.slug) for tag in annotation.tags.all()]
            add(article_id, ["annotation", row(annotation), entity, tags])
            if annotation.entity_id:
                counts = mentions[article_id]
                counts[annotation.entity_id] = counts.get(annotation.entity_id, 0) + 1
    return {pk: hasher.hexdigest()[:32] for pk, hasher in hashers.items()}, mentions


def reader_digest(content_digest, related_part):
    """The stamp's digest: the article's own content and the related articles it lists."""
    return digest([content_digest, related_part])


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


def settle(pks, using, moves_updated_at=True):
    """Store the new digests of each article in ``pks`` whose content changed; forget its stamp.

    Then keep ``ArticleEntity`` and move the stamps of the articles whose related articles this
    changed (see the module's docstring). ``updated_at`` moves with the reader digest, unless
    ``moves_updated_at`` is false (digests filled in at a deploy).
    """
    now = timezone.now()
    with transaction.atomic(using=using):
        articles = list(
            Article.objects.using(using).select_for_update().filter(pk__in=pks).order_by("pk")
        )
        contents, mentions = content_digests(articles, using)
        began_or_ceased = related.store_mentions(mentions, using)
        cards = {article.pk: digest(related.card(article)) for article in articles}
        parts = related.related_parts(contents, using)
        moved = []
        for article in articles:
            new = {
                "content_digest": contents[article.pk],
                "card_digest": cards[article.pk],
                "reader_digest": reader_digest(contents[article.pk], parts[article.pk]),
            }
            if all(getattr(article, name) == value for name, value in new.items()):
                continue
            if new["reader_digest"] != article.reader_digest:
                moved.append(article.slug)
                if moves_updated_at:
                    new["updated_at"] = now
            Article.objects.using(using).filter(pk=article.pk).update(**new)
        # Pages that may list an article whose entities or card changed: those of the articles
        # sharing an entity it began or ceased to mention, or (card) any entity it mentions.
        entities = set().union(*began_or_ceased.values())
        for article in articles:
            if cards[article.pk] != article.card_digest:
                entities |= set(mentions[article.pk])
        others = related.sharing(entities, using) - set(contents) if entities else set()
        moved += refresh_related(others, using, now)
    forget_stamps(moved, using)


def refresh_related(pks, using, now):
    """Recompute the related part of the stamps of ``pks`` from their stored content digest.

    Returns the slugs whose stamp moved. The rows are not locked: each is replaced only while it
    holds the digests read, else read again (in PostgreSQL's READ COMMITTED each statement sees
    what committed before it), so this never overwrites the stamp of a writer that settled one
    of them meanwhile, and then sees its ``ArticleEntity`` rows.
    """
    moved = []
    pending = set(pks)
    while pending:
        rows = Article.objects.using(using).filter(pk__in=pending)
        stored = list(rows.values_list("pk", "slug", "content_digest", "reader_digest"))
        parts = related.related_parts(pending, using)
        pending = set()
        for pk, slug, content, reader in stored:
            new = reader_digest(content, parts[pk])
            if new == reader:
                continue
            unchanged = Article.objects.using(using).filter(
                pk=pk, content_digest=content, reader_digest=reader
            )
            if unchanged.update(reader_digest=new, updated_at=now):
                moved.append(slug)
            else:
                pending.add(pk)
    return moved


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
    """After ``migrate``: give articles without digests theirs, without moving ``updated_at``.

    Articles stored before the digests (or before ``content_digest`` and ``ArticleEntity``)
    existed get them at the deploy that adds them, so that the first draft saved afterwards
    does not move their stamp.
    """
    # Not before the migration that adds the digests' parts (a migrate to an earlier state).
    if ArticleEntity._meta.db_table not in connections[using].introspection.table_names():
        return
    missing = Article.objects.using(using).filter(content_digest="")
    pks = set(missing.values_list("pk", flat=True))
    if pks:
        settle(pks, using, moves_updated_at=False)


def article_saving(sender, instance, using, **kwargs):
    # Under its old slug the article is gone (404): that slug's cached stamp goes too.
    if instance.pk is not None:
        stored = Article.objects.using(using).filter(pk=instance.pk).exclude(slug=instance.slug)
        forget_stamps(list(stored.values_list("slug", flat=True)), using)


def article_saved(sender, instance, using, **kwargs):
    touch({instance.pk}, using)


def article_deleting(sender, instance, using, **kwargs):
    # The pages that may list it as related, found while its ArticleEntity rows are there.
    entities = ArticleEntity.objects.using(using).filter(article=instance).values("entity")
    instance.related_to_refresh = related.sharing(entities, using) - {instance.pk}


def article_deleted(sender, instance, using, **kwargs):
    moved = refresh_related(getattr(instance, "related_to_refresh", ()), using, timezone.now())
    forget_stamps([instance.slug, *moved], using)


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
        (pre_delete, Article, article_deleting),
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
