"""What a reading page is made of, kept per process under the article's reader digest
(``articleapp/reading.py``): reused while the digest stands, never past a change readers see."""

from datetime import timedelta

import pytest
from django.test import override_settings

from articleapp.models import Annotation, Article
from articleapp.reading import Reading, Store, load, reading_of, readings
from tests.support.factories import (
    annotate_quote,
    make_annotated_article,
    make_article,
    make_entity,
)
from tests.support.pages import get_counting_queries, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def no_page_cache():
    """Every request renders the page: the page cache is off."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        yield


@pytest.fixture
def article():
    """A paragraph naming Paris, with a comment on it and a tag."""
    article = make_article(["Paris liegt an der Seine."])
    annotate_quote(
        article.paragraphs.get(),
        "Paris",
        entity=make_entity("Paris"),
        comment="Erst.",
        tags=["Ort"],
    )
    return Article.objects.get(pk=article.pk)


def test_a_second_render_at_the_same_digest_reads_only_the_article(client, article):
    """The first render reads article, paragraphs, annotations, tags, related articles and the
    article's digest again; the next, unchanged article costs one query, and both pages are the
    same."""
    first = get_counting_queries(client, article.get_absolute_url())
    second = get_counting_queries(client, article.get_absolute_url())
    assert (first.query_count, second.query_count) == (6, 1)
    assert text(first) == text(second)


def test_a_change_readers_see_is_on_the_next_render(client, article):
    """An edited comment moves the digest: the next render reads the rows again and shows it."""
    client.get(article.get_absolute_url())
    annotation = Annotation.objects.get()
    annotation.comment = "Zweitens."
    annotation.save()
    response = get_counting_queries(client, article.get_absolute_url())
    assert response.query_count == 6
    assert "Zweitens." in text(response) and "Erst." not in text(response)


def test_rows_read_across_a_write_are_shown_and_not_kept(article):
    """When the article's digest or update time read after the rows differ from those read
    before them, a write committed in between: the rows are given, never kept."""
    before = Article.objects.get(pk=article.pk)
    annotation = Annotation.objects.get()
    annotation.comment = "Zweitens."
    annotation.save()
    paragraphs, _, unchanged = load(before)
    assert not unchanged
    assert paragraphs[0].published_annotations[0].comment == "Zweitens."
    reading_of(before)
    assert not readings.entries


def test_load_says_whether_the_article_changed_meanwhile(article):
    """Rows read from an article nobody wrote are consistent with it; with an update time
    other than the stored one (a write in between), they are not."""
    paragraphs, related_articles, unchanged = load(article)
    assert related_articles == []
    assert unchanged and [len(paragraph.published_annotations) for paragraph in paragraphs] == [1]
    article.updated_at -= timedelta(seconds=1)
    assert not load(article)[2]


def test_the_reading_is_kept_per_database_article_and_digest(article):
    """``reading_of`` keeps what it read under the article's database, pk and digest, and
    gives that same Reading back without a query."""
    reading = reading_of(article)
    assert list(readings.entries) == [("default", article.pk, article.reader_digest)]
    assert reading_of(article) is reading
    assert reading.annotation_count == 1 and reading.has_comments is False
    assert [mention.entity.name for mention in reading.mentions] == ["Paris"]


def test_reading_page_queries_stay_constant_when_kept(client):
    """Kept or not, a page of 7 and of 30 paragraphs takes the same queries."""
    entity = make_entity(tags=["x"])
    small, large = make_annotated_article(7, 10, entity), make_annotated_article(30, 10, entity)
    counts = [
        get_counting_queries(client, article.get_absolute_url()).query_count
        for article in (small, large, small, large)
    ]
    assert counts == [6, 6, 1, 1]


def weighing(weight):
    """A Reading of ``weight`` paragraphs and no annotations."""
    return Reading(
        paragraphs=[None] * weight,
        margins=[],
        mentions=[],
        kinds=[],
        has_comments=False,
        reading_minutes=0,
        related=[],
        annotation_count=0,
    )


def test_the_store_drops_the_least_recently_used_past_its_budget():
    """Over budget, the Reading used longest ago goes first; one over budget is never kept."""
    store = Store(budget=10)
    store.put("a", weighing(4))
    store.put("b", weighing(4))
    assert store.get("a") is not None
    store.put("c", weighing(4))
    assert list(store.entries) == ["a", "c"] and store.weight == 8
    store.put("huge", weighing(11))
    assert "huge" not in store.entries
    store.clear()
    assert (store.entries, store.weight) == ({}, 0)
