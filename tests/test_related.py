"""Which entities articles mention, related articles, and the reading stamps that list them
(``articleapp/related.py``, its part of ``articleapp/invalidation.py``)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from articleapp import invalidation, related
from articleapp.models import Annotation, Article, ArticleEntity
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text
from tests.support.pages import get_counting_queries

TEXT = "Mistral, Nvidia und Microsoft bauen mit der EU und Paris."
NAMES = ["Mistral", "Nvidia", "Microsoft", "EU", "Paris"]


@pytest.fixture
def entities(db):
    return {name: make_entity(name=name, slug=name.lower()) for name in NAMES}


def mentioning(entities, names, status=Annotation.Status.PUBLISHED, **fields):
    """An article of ``TEXT`` whose annotations (``status``) name the entities ``names``."""
    article = make_article(paragraphs=[TEXT], **fields)
    paragraph = article.paragraphs.get()
    with invalidation.deferred_touches():
        for name in names:
            annotate_quote(paragraph, name, entity=entities[name], status=status)
    return article


def mentions(article):
    return dict(
        ArticleEntity.objects.filter(article=article).values_list("entity__name", "mentions")
    )


def related_slugs(article):
    return [other.slug for other in related.related_articles([article.pk])[article.pk]]


@pytest.mark.django_db
def test_article_entities_follow_what_readers_see(entities):
    """Published mentions count, per entity; drafts, orphans and changed words do not."""
    article = mentioning(entities, ["Mistral", "Nvidia"])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Mistral", entity=entities["Nvidia"])
    annotate_quote(paragraph, "Microsoft", entity=entities["Microsoft"], status="draft")
    annotate_quote(paragraph, "EU", entity=entities["EU"], anchor_status="orphaned")
    annotate_quote(paragraph, "Paris", entity=entities["Paris"], anchor_status="changed")
    assert mentions(article) == {"Mistral": 1, "Nvidia": 2}
    Annotation.objects.filter(entity=entities["Mistral"]).delete()
    assert mentions(article) == {"Nvidia": 2}


@pytest.mark.django_db
def test_store_mentions_reports_entities_begun_or_ceased_not_counts(entities):
    """A changed count is stored but not reported; a new or vanished entity is."""
    article = make_article()
    mistral, nvidia = entities["Mistral"].pk, entities["Nvidia"].pk
    assert related.store_mentions({article.pk: {mistral: 1}}, "default") == {article.pk: {mistral}}
    assert related.store_mentions({article.pk: {mistral: 3}}, "default") == {}
    assert mentions(article) == {"Mistral": 3}
    changed = related.store_mentions({article.pk: {nvidia: 1}}, "default")
    assert changed == {article.pk: {mistral, nvidia}}
    assert mentions(article) == {"Nvidia": 1}


@pytest.mark.django_db
def test_related_articles_share_most_entities_then_newest(entities):
    """Ranked by shared entities, then newest (undated last); never itself; at most five."""
    article = mentioning(entities, NAMES, slug="selbst")
    mentioning(entities, ["Mistral"], slug="eins-alt", published_on=datetime.date(2024, 1, 1))
    mentioning(entities, ["Paris"], slug="eins-neu", published_on=datetime.date(2025, 1, 1))
    mentioning(entities, ["EU"], slug="eins-ohne-datum")
    mentioning(entities, ["Mistral", "Nvidia", "EU"], slug="drei")
    mentioning(entities, ["Mistral", "Nvidia"], slug="zwei")
    mentioning(entities, ["Nvidia"], slug="eins-entwurf", status="draft")
    make_article(slug="keins")
    assert related_slugs(article) == ["drei", "zwei", "eins-neu", "eins-alt", "eins-ohne-datum"]
    [first, *_] = related.related_articles([article.pk])[article.pk]
    assert first.shared == 3


@pytest.mark.django_db
def test_related_articles_of_many_articles_take_one_query(entities, django_assert_num_queries):
    """The related articles of 12 articles are ranked in one query."""
    articles = [mentioning(entities, NAMES[: 1 + n % 5]) for n in range(12)]
    with django_assert_num_queries(1):
        found = related.related_articles([article.pk for article in articles])
    assert all(len(items) == 5 for items in found.values())
    assert articles[0] not in found[articles[0].pk]


@pytest.mark.django_db
def test_reading_page_lists_related_articles(client, entities):
    """The reading page's "Related articles" names each with its date, source and count."""
    article = mentioning(entities, ["Mistral", "Nvidia"])
    mentioning(
        entities,
        ["Mistral", "Nvidia"],
        title="Nvidia liefert an Mistral",
        source_name="heise online",
        published_on=datetime.date(2025, 5, 1),
    )
    content = " ".join(
        visible_text(client.get(article.get_absolute_url()).content.decode()).split()
    )
    assert "Verwandte Artikel Nvidia liefert an Mistral" in content
    assert "1. Mai 2025 · heise online · 2 gemeinsame Entitäten" in content
    lonely = make_article()
    assert "Verwandte Artikel" not in client.get(lonely.get_absolute_url()).content.decode()


# The pages that list an article move when what they show of it changes.


@pytest.fixture
def pair(entities, page_cache):
    """Two articles sharing Mistral, B's page cached by an anonymous reader."""
    a = mentioning(entities, ["Mistral"], title="Artikel A")
    b = mentioning(entities, ["Mistral"], title="Artikel B")
    reader = Client()
    page = get_counting_queries(reader, b.get_absolute_url())
    assert "Artikel A" in page.content.decode()
    assert get_counting_queries(reader, b.get_absolute_url()).query_count == 0
    return a, b, reader, page["ETag"]


def page_of(reader, article, etag=None):
    headers = {"if_none_match": etag} if etag else {}
    return get_counting_queries(reader, article.get_absolute_url(), **headers)


@pytest.mark.django_db
def test_renamed_related_article_shows_on_the_cached_page(pair):
    """A's new title is on B's next view."""
    a, b, reader, _ = pair
    a.title = "Artikel A, neu betitelt"
    a.save()
    assert "Artikel A, neu betitelt" in page_of(reader, b).content.decode()


@pytest.mark.django_db
def test_article_that_comes_to_share_an_entity_enters_the_list(pair, entities):
    """C's first published Mistral mention puts C on B's page; unpublishing takes it off."""
    a, b, reader, _ = pair
    c = mentioning(entities, ["Nvidia"], title="Artikel C")
    annotation = annotate_quote(c.paragraphs.get(), "Mistral", entity=entities["Mistral"])
    assert "Artikel C" in page_of(reader, b).content.decode()
    annotation.status = Annotation.Status.DRAFT
    annotation.save()
    assert "Artikel C" not in page_of(reader, b).content.decode()


@pytest.mark.django_db
def test_deleted_related_article_leaves_the_list(pair):
    """A deleted article is off B's next view."""
    a, b, reader, _ = pair
    a.delete()
    assert "Artikel A" not in page_of(reader, b).content.decode()


@pytest.mark.django_db
def test_an_edit_other_pages_do_not_show_keeps_their_stamp(pair, entities):
    """A's text edited, or a second mention of an entity A already names: B's page keeps its
    ETag, and a reader polling it gets 304."""
    a, b, reader, etag = pair
    paragraph = a.paragraphs.get()
    paragraph.text = paragraph.text.replace("bauen", "planen")
    paragraph.save()
    annotate_quote(paragraph, "Mistral", entity=entities["Nvidia"])
    annotate_quote(paragraph, "Paris", entity=entities["Mistral"])
    assert page_of(reader, b, etag).status_code == 304


@pytest.mark.django_db(transaction=True)
def test_refresh_related_does_not_overwrite_a_concurrent_settle(entities):
    """While another transaction settles B (holding its row), a refresh of B's related part
    waits, sees B's digests have moved, and recomputes from B's new content digest."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: PostgreSQL (DATABASE_URL=postgres://...)")
    b = mentioning(entities, ["Mistral"])
    mentioning(entities, ["Mistral"])
    Article.objects.filter(pk=b.pk).update(reader_digest="0" * 32)  # stale: to be refreshed
    locked, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            Article.objects.select_for_update().filter(pk=b.pk).update(
                content_digest="f" * 32, reader_digest="e" * 32
            )
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    locked.wait(10)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    with transaction.atomic():
        # Reads the committed (old) digests, then its UPDATE waits for the writer.
        invalidation.refresh_related({b.pk}, "default", datetime.datetime.now(datetime.UTC))
    thread.join()
    part = related.related_parts([b.pk], "default")[b.pk]
    stored = Article.objects.get(pk=b.pk)
    assert stored.content_digest == "f" * 32
    assert stored.reader_digest == invalidation.reader_digest("f" * 32, part)
