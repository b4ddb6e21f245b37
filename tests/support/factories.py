"""Small factory functions for tests: sensible defaults, every field overridable."""

import contextlib
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from articleapp.invalidation import deferred_touches
from articleapp.models import Annotation, Article, Entity, EntityAlias, Paragraph

sequence = itertools.count(1)


def make_article(paragraphs=("Erster Absatz.",), **fields):
    number = next(sequence)
    fields = {
        "slug": f"artikel-{number}",
        "title": f"Artikel {number}",
        "kicker": "Künstliche Intelligenz",
        "byline": "nen",
        **fields,
    }
    # Settled once at the end, as the importer does, not once per paragraph.
    with transaction.atomic(), deferred_touches():
        article = Article.objects.create(**fields)
        for position, text in enumerate(paragraphs, start=1):
            Paragraph.objects.create(article=article, position=position, text=text)
    return article


def make_entity(name=None, aliases=(), tags=(), **fields):
    number = next(sequence)
    name = name or f"Entität {number}"
    fields = {"slug": f"entitaet-{number}", "kind": Entity.Kind.ORGANISATION, **fields}
    entity = Entity.objects.create(name=name, **fields)
    for alias in aliases:
        EntityAlias.objects.create(entity=entity, name=alias)
    if tags:
        entity.tags.set(tags)
    return entity


def make_annotation(paragraph, start, end, tags=(), status=Annotation.Status.PUBLISHED, **fields):
    annotation = Annotation(paragraph=paragraph, start=start, end=end, status=status, **fields)
    annotation.anchor_in(paragraph.text)
    annotation.save()
    if tags:
        annotation.tags.set(tags)
    return annotation


def annotate_quote(paragraph, quote, occurrence=1, **fields):
    """Annotate the ``occurrence``-th appearance of ``quote`` in the paragraph."""
    start = -1
    for _ in range(occurrence):
        start = paragraph.text.index(quote, start + 1)
    return make_annotation(paragraph, start, start + len(quote), **fields)


def make_user(username=None, permissions=(), **fields):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(sequence)}", password="a-long-test-passphrase", **fields
    )
    for codename in permissions:
        app_label, _, name = codename.partition(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user


def make_annotated_article(paragraph_count, per_paragraph, entity=None):
    """An article of 40-word paragraphs, each with ``per_paragraph`` overlapping annotations.

    Every second annotation names ``entity``; each has two tags and a comment. For tests that
    show a page costs the same queries however much it holds.
    """
    text = " ".join(f"Wort{n}" for n in range(40))
    article = make_article(paragraphs=[text] * paragraph_count)
    # Each save would recompute the whole article's digest (articleapp.invalidation): once.
    with transaction.atomic(), deferred_touches():
        for paragraph in article.paragraphs.all():
            for n in range(per_paragraph):
                make_annotation(
                    paragraph,
                    n * 6,
                    n * 6 + 12,
                    entity=entity if n % 2 == 0 else None,
                    tags=["a", "b"],
                    comment="Kommentar",
                )
    return article


@contextlib.contextmanager
def built_once(django_db_blocker):
    """Build data once for a module, as ``setUpTestData`` does, and roll it back after.

    Use in a module-scoped fixture: what the ``with`` block creates lives in a transaction
    around the module's tests; each test runs in a savepoint inside it, so what a test writes
    is undone after that test, and everything is gone, without deleting, after the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
