import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articleapp import search
from articleapp.models import Annotation, Paragraph
from tests.support.factories import annotate_quote, make_article, make_entity

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def test_clean_query_normalises_and_bounds():
    """Control characters go, whitespace collapses, long queries and many words are cut."""
    query = search.clean_query("  Mistral\x00\t AI  ")
    assert query.text == "Mistral AI" and query.terms == ["Mistral", "AI"]
    assert not query.was_shortened
    long = search.clean_query("a" * 1000)
    assert len(long.text) == search.MAX_QUERY_LENGTH and long.was_shortened
    many = search.clean_query(" ".join(f"w{n}" for n in range(50)))
    assert len(many.terms) == search.MAX_TERMS and many.was_shortened


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["", "   ", "!!! ??? ...", "„“–"])
def test_queries_without_words_are_not_searchable(raw):
    """Empty and punctuation-only queries have no terms and run no database query."""
    query = search.clean_query(raw)
    assert not query.is_searchable
    with CaptureQueriesContext(connection) as queries:
        assert search.search(query).count == 0
    assert len(queries) == 0


@pytest.fixture
def corpus(db):
    article = make_article(
        paragraphs=[
            "Mistral kritisiert große Tech-Konzerne aus den USA.",
            "Die Partnerschaft mit Microsoft sorgte für Kritik.",
            "Ein Absatz über das Wetter in Paris.",
        ]
    )
    first, second, third = article.paragraphs.order_by("position")
    microsoft = make_entity("Microsoft", aliases=["MSFT"], slug="microsoft")
    annotate_quote(second, "Microsoft", entity=microsoft, comment="Investor bei Mistral.")
    annotate_quote(
        third, "Wetter", comment="Geheimer Entwurf über Wetter", status=Annotation.Status.DRAFT
    )
    return article


def test_finds_paragraphs_comments_and_entities(corpus):
    """One word finds the paragraph, the comment mentioning it and the entity named so."""
    results = search.search(search.clean_query("Microsoft"))
    assert [hit.url for hit in results.paragraphs] == [
        corpus.paragraphs.get(position=2).get_absolute_url()
    ]
    assert [hit.url for hit in results.entities] == ["/entities/microsoft/"]
    assert "<mark>Microsoft</mark>" in str(results.paragraphs[0].snippet)
    comment_hits = search.search(search.clean_query("Investor")).annotations
    assert len(comment_hits) == 1 and comment_hits[0].url.endswith(
        f"#a-{Annotation.objects.published().get().pk}"
    )


def test_aliases_find_their_entity(corpus):
    """An alias finds its entity."""
    assert [hit.title for hit in search.search(search.clean_query("MSFT")).entities] == [
        "Microsoft"
    ]


def test_drafts_are_not_searched(corpus):
    """A draft annotation's comment is never a search result."""
    assert search.search(search.clean_query("Geheimer")).annotations == []


def test_every_word_must_match(corpus):
    """Two words find only what contains both."""
    results = search.search(search.clean_query("Mistral Wetter"))
    assert results.paragraphs == []


@on_postgresql
def test_german_stemming_on_postgresql(corpus):
    """On PostgreSQL the german configuration finds inflected forms of a word."""
    results = search.search(search.clean_query("Partnerschaften sorgten"))
    assert len(results.paragraphs) == 1
    assert "<mark>Partnerschaft</mark>" in str(results.paragraphs[0].snippet)


@on_postgresql
def test_full_text_search_uses_the_gin_index(corpus):
    """The paragraph query can be answered from the GIN index on the stored search_vector."""
    from django.contrib.postgres.search import SearchQuery

    with connection.cursor() as cursor:
        # Only a bitmap scan stays allowed, and only the GIN index can feed one for this filter.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
    plan = (
        Paragraph.objects.order_by()
        .annotate(document=search.StoredSearchVector())
        .filter(document=SearchQuery("Kritik", config="german", search_type="websearch"))
        .explain()
    )
    assert "paragraph_search_vector_idx" in plan


@on_postgresql
def test_stored_search_vector_follows_edited_text(corpus):
    """The stored tsvector is regenerated on every write: the new words are found, the old not."""
    paragraph = Paragraph.objects.filter(text__contains="Kritik").first()
    paragraph.text = "Die Wolkenkratzer von Frankfurt glänzten."
    paragraph.save()
    assert search.search(search.clean_query("Wolkenkratzer")).paragraphs
    assert paragraph.get_absolute_url() not in {
        hit.url for hit in search.search(search.clean_query("Kritik")).paragraphs
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "",
        "x" * 1000,
        "!!!",
        "'; DROP TABLE articleapp_paragraph; --",
        '" OR 1=1 --',
        "Microsoft & | ! ( ) :*",
        "中文 搜索",
        "Привет мир",
        "\x01\x02",
        "<script>alert(1)</script>",
    ],
)
def test_search_page_answers_any_query(client, raw, corpus):
    """Empty, long, punctuation, SQL-looking, non-Latin, control and markup queries give a
    clean page."""
    response = client.get(reverse("articleapp:search"), {"q": raw})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.django_db
def test_search_refuses_nul_and_overlong_queries(client, corpus):
    """NUL (which PostgreSQL cannot compare) and more than 1,000 characters are a 400."""
    for raw in ["\x00\x01", "x" * 1001]:
        assert client.get(reverse("articleapp:search"), {"q": raw}).status_code == 400


@pytest.mark.django_db
def test_search_page_shows_snippets_with_links(client, corpus):
    """Results link to the paragraph permalink and mark the match."""
    content = client.get(reverse("articleapp:search"), {"q": "Microsoft"}).content.decode()
    assert corpus.paragraphs.get(position=2).get_absolute_url() in content
    assert "<mark>Microsoft</mark>" in content


def count_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articleapp:search"), {"q": query})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_search_query_count_is_constant(client):
    """Few and many matches take the same number of queries, at most six."""
    small_article = make_article(paragraphs=["Mistral und Nvidia."] * 3)
    annotate_quote(
        small_article.paragraphs.first(), "Nvidia", entity=make_entity("Nvidia"), comment="Nvidia"
    )
    small = count_queries(client, "Nvidia")
    article = make_article(paragraphs=["Nvidia baut Chips."] * 80)
    entity = make_entity("Nvidia Corp")
    for paragraph in article.paragraphs.all():
        annotate_quote(paragraph, "Nvidia", entity=entity, comment="Nvidia Kommentar")
    assert count_queries(client, "Nvidia") == small
    assert small <= 6
