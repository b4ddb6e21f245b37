"""The hostile data set: every XSS payload of the corpus in every text field.

The payloads are packed, in corpus order, into groups whose payloads joined by spaces fit the
shortest field (``PACK_LENGTH``); each group is an article (title, kicker, byline, source name,
language: the joined payloads) with one paragraph per payload, and an entity (name,
description, alias: the joined payloads). Each payload also gets a published annotation over it
in its paragraph (comment: the payload), naming the group's entity and carrying the tags of the
whole group, by a user whose user and first names are the payload; each tag (a payload) is on
the group's entity too. ``tests/test_xss.py`` renders it, ``tests/test_xss_exports.py`` and
``tests/test_exports_golden.py`` export it. ``hostile`` (a fixture, registered in
``tests/conftest.py``) builds it once for a module; ``viewer_client`` signs its superuser in.
"""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import Tag, TaggedItem

from articleapp import invalidation
from articleapp.models import Annotation, Article, Entity, EntityAlias, Paragraph
from tests.support import xss
from tests.support.factories import built_once
from tests.support.xss import PAYLOADS

# The shortest field a group of payloads goes into: an alias is "alias " and at most 200.
PACK_LENGTH = 190
GROUPS = xss.packed(PAYLOADS, PACK_LENGTH)


def joined(group):
    return xss.joined(PAYLOADS, group)


def tag_name(index):
    return f"{index} {PAYLOADS[index]}"[: Tag._meta.get_field("name").max_length]


def username(index):
    return f"{index}{PAYLOADS[index]}"[: get_user_model()._meta.get_field("username").max_length]


def paragraph_text(index):
    return unicodedata.normalize("NFC", f"Absatz {index}: {PAYLOADS[index]}")


def quote(index):
    """The words an annotation marks: its payload, as the paragraph (in NFC) holds it."""
    return paragraph_text(index).split(": ", 1)[1]


def full_name(index):
    return get_user_model()(first_name=PAYLOADS[index][:150]).get_full_name()


def group_tags(index):
    group = next(group for group in GROUPS if index in group)
    return sorted((tag_name(other) for other in group), key=str.casefold)


def build_hostile_data():
    User = get_user_model()
    authors = User.objects.bulk_create(
        [
            User(username=username(index), first_name=payload[:150], is_active=True)
            for index, payload in enumerate(PAYLOADS)
        ]
    )
    viewer = User.objects.create_superuser(
        username='"><img src=x onerror=alert(1)>', password="a-long-test-passphrase"
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                slug=f"xss-{number}",
                title=joined(group),
                kicker=joined(group),
                byline=joined(group),
                source_name=joined(group),
                source_url=f"https://example.org/quelle/{number}",  # unique: a constraint
                language=joined(group)[: Article._meta.get_field("language").max_length],
            )
            for number, group in enumerate(GROUPS)
        ]
    )
    paragraphs = Paragraph.objects.bulk_create(
        [
            Paragraph(article=article, position=position, text=paragraph_text(index))
            for article, group in zip(articles, GROUPS, strict=True)
            for position, index in enumerate(group, start=1)
        ]
    )
    entities = Entity.objects.bulk_create(
        [
            Entity(
                slug=f"xss-{number}",
                name=joined(group),
                description=joined(group),
                kind=Entity.Kind.OTHER,
            )
            for number, group in enumerate(GROUPS)
        ]
    )
    EntityAlias.objects.bulk_create(
        [
            EntityAlias(entity=entity, name=f"alias {joined(group)}")
            for entity, group in zip(entities, GROUPS, strict=True)
        ]
    )
    group_of = {index: number for number, group in enumerate(GROUPS) for index in group}
    annotations = []
    for index, paragraph in enumerate(paragraphs):
        start = paragraph.text.index(":") + 2
        annotation = Annotation(
            paragraph=paragraph,
            start=start,
            end=len(paragraph.text),
            entity=entities[group_of[index]],
            comment=PAYLOADS[index],
            status=Annotation.Status.PUBLISHED,
            author=authors[index],
        )
        annotation.anchor_in(paragraph.text)
        # bulk_create skips save(), which pins a published annotation to its quote.
        annotation.published_quote = annotation.quote
        annotations.append(annotation)
    annotations = Annotation.objects.bulk_create(annotations)
    tags = Tag.objects.bulk_create(
        [Tag(name=tag_name(index), slug=f"xss-{index}") for index in range(len(PAYLOADS))]
    )
    entity_type = ContentType.objects.get_for_model(Entity)
    annotation_type = ContentType.objects.get_for_model(Annotation)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[index], content_type=content_type, object_id=obj.pk)
            for number, group in enumerate(GROUPS)
            for index in group
            for content_type, obj in [(entity_type, entities[number])]
            + [(annotation_type, annotations[other]) for other in group]
        ]
    )
    # Written without model signals: the stamps and ArticleEntity rows are settled here.
    invalidation.touch_articles(Article.objects.filter(pk__in=[a.pk for a in articles]))
    return {
        "viewer": viewer,
        "articles": articles,
        "entities": entities,
        "annotations": annotations,
    }


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """The hostile data set, built once for the module and rolled back after it."""
    with built_once(django_db_blocker):
        data = build_hostile_data()
        if connection.vendor == "postgresql":
            # Statistics as autovacuum would gather them: without, the planner takes the
            # fresh tables for empty and repeats the search subquery for every annotation.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield data


@pytest.fixture
def viewer_client(client, hostile):
    client.force_login(hostile["viewer"])
    return client
