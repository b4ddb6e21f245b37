import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articleapp import search
from articleapp.invalidation import deferred_touches
from articleapp.models import Annotation, Paragraph
from articleapp.snippets import ELLIPSIS
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import parse_html, visible_text

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
    """An alias finds its entity, which says it is also called so."""
    [hit] = search.search(search.clean_query("MSFT")).entities
    assert visible_text(hit.name) == "Microsoft"
    assert [str(alias) for alias in hit.also_called] == ["<mark>MSFT</mark>"]


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


def count_queries(client, query, **filters):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articleapp:search"), {"q": query, **filters})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_search_query_count_is_constant(client):
    """Few and many matches in few and many articles take the same number of queries: seven
    (five to search, two for the facets), nine with an entity and a tag filter."""
    nvidia = make_entity("Nvidia", slug="nvidia")
    small_article = make_article(paragraphs=["Mistral und Nvidia."] * 3)
    annotate_quote(small_article.paragraphs.first(), "Nvidia", entity=nvidia, comment="Nvidia")
    filters = {"entity": "nvidia", "tag": "chips"}
    small = count_queries(client, "Nvidia")
    small_filtered = count_queries(client, "Nvidia", **filters)
    entity = make_entity("Nvidia Corp")
    for _ in range(10):
        article = make_article(paragraphs=["Nvidia baut Chips."] * 8)
        with deferred_touches():
            for paragraph in article.paragraphs.all():
                annotate_quote(paragraph, "Nvidia", entity=entity, comment="Nvidia Kommentar")
                annotate_quote(paragraph, "Chips", entity=nvidia, tags=["Chips"])
    assert count_queries(client, "Nvidia") == small == 7
    assert count_queries(client, "Nvidia", **filters) == small_filtered == 9


def section(content, heading_id):
    """The HTML of the results section labelled by ``heading_id``."""
    start = content.index(f'<section aria-labelledby="{heading_id}">')
    return content[start : content.index("</section>", start)]


@pytest.mark.django_db
def test_an_entity_hit_names_the_entity_once(client):
    """Found by its name and its alias, an entity is named once with its kind, no alias list."""
    make_entity(
        "Mistral AI",
        slug="mistral-ai",
        aliases=["Mistral"],
        description="**Französisches** KI-Unternehmen ([IBM](https://www.ibm.com/mistral))",
        is_public=True,
    )
    content = client.get(reverse("articleapp:search"), {"q": "Mistral"}).content.decode()
    hits = section(content, "results-entities")
    shown = " ".join(visible_text(hits).split())
    assert shown.count("Mistral") == 1, shown
    assert "Mistral AI Organisation" in shown and "·" not in shown
    assert "Französisches KI-Unternehmen (IBM)" in shown
    assert "**" not in hits and "https://" not in hits


@pytest.mark.django_db
def test_comment_snippets_show_the_rendered_markdown(client):
    """A comment's snippet is its text as readers see it: no ``**``, no ``[text](url)``."""
    article = make_article(paragraphs=["Mistral arbeitet mit Nvidia."])
    annotate_quote(
        article.paragraphs.get(),
        "Nvidia",
        comment="Mit **Nvidia** baut Mistral Rechenzentren ([Quelle](https://example.org/chips)).",
    )
    content = client.get(reverse("articleapp:search"), {"q": "Nvidia"}).content.decode()
    hits = section(content, "results-articles")
    assert "<mark>Nvidia</mark> baut Mistral Rechenzentren (Quelle)." in hits
    for syntax in ["**", "](", "https://example.org"]:
        assert syntax not in hits


@pytest.mark.django_db
def test_a_word_only_in_a_link_target_is_no_match(client):
    """A word readers cannot see (in a link's URL) finds no comment, on every database."""
    article = make_article(paragraphs=["Mistral arbeitet mit Nvidia."])
    annotate_quote(
        article.paragraphs.get(),
        "Nvidia",
        comment="Siehe [Quelle](https://example.org/wolkenkratzer).",
    )
    assert search.search(search.clean_query("wolkenkratzer")).annotations == []


LONG_PARAGRAPH = (
    "Der französische KI-Hersteller Mistral hat eine Initiative ins Leben gerufen, die durch "
    "diverse Projekte den Fortschritt durch künstliche Intelligenz bürgerfreundlicher machen soll. "
    "Gleichzeitig übt das Unternehmen Kritik an großen Tech-Konzernen, die ihre Modelle "
    "verschlossen halten und von fernen Rechenzentren aus betreiben. Es sei klar, dass künstliche "
    "Intelligenz nicht nur auf Unternehmen, sondern auch auf Regierungen und Gesellschaften "
    "erhebliche und dauerhafte Auswirkungen haben wird, schreibt das Unternehmen weiter."
)


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["Gleichzeitig", "Regierungen"])
def test_snippets_are_cut_between_words(word):
    """Paragraph and comment snippets start and end between words, with ellipses where cut."""
    article = make_article(paragraphs=[LONG_PARAGRAPH])
    annotate_quote(article.paragraphs.get(), "Mistral", comment=f"**Zitat:** {LONG_PARAGRAPH}")
    results = search.search(search.clean_query(word))
    comment_text = f"Zitat: {LONG_PARAGRAPH}"
    for hit, text in [
        (results.paragraphs[0], LONG_PARAGRAPH),
        (results.annotations[0], comment_text),
    ]:
        html = str(hit.snippet)
        assert parse_html(html).balanced and f"<mark>{word}</mark>" in html
        shown = visible_text(html)
        fragments = shown.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS).split(f" {ELLIPSIS} ")
        for fragment in fragments:
            begin = text.index(fragment)
            end = begin + len(fragment)
            assert begin == 0 or text[begin - 1].isspace(), fragment
            assert end == len(text) or text[end].isspace(), fragment
        assert shown.startswith(ELLIPSIS) == (not text.startswith(fragments[0])), shown
        assert shown.endswith(ELLIPSIS) == (not text.endswith(fragments[-1])), shown


@pytest.fixture
def tagged(db):
    article = make_article(paragraphs=["Mistral baut Rechenzentren in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Mistral", tags=["Rechenzentren", "Cloud"])
    annotate_quote(
        paragraph, "Paris", status=Annotation.Status.DRAFT, tags=["Rechenzentren geheim"]
    )
    # Marked public by an editor: an entity with no published mention is otherwise hidden.
    make_entity("Nvidia", tags=["Rechenzentrum-Partner"], is_public=True)
    return article


def test_public_tags_are_searched(client, tagged):
    """A query matching public tags lists them, linked to their pages; a draft's tag is not."""
    names = [
        visible_text(hit.name) for hit in search.search(search.clean_query("rechenzentr")).tags
    ]
    assert names == ["Rechenzentren", "Rechenzentrum-Partner"]
    content = client.get(reverse("articleapp:search"), {"q": "Rechenzentren"}).content.decode()
    hits = section(content, "results-tags")
    assert (
        '<a class="tag" href="/tags/rechenzentren/" lang="de"><mark>Rechenzentren</mark></a>'
        in hits
    )
    assert "geheim" not in content
    assert client.get("/tags/rechenzentren/").status_code == 200


@pytest.mark.django_db
def test_the_page_says_when_matching_is_exact_word(client):
    """On a database without stemming, the page says other forms of a word are not found."""
    client.cookies["django_language"] = "en"
    content = client.get(reverse("articleapp:search"), {"q": "Mistral"}).content.decode()
    notice = "This search matches words exactly as typed"
    assert (notice in content) == (connection.vendor != "postgresql")
    client.cookies["django_language"] = "de"
    content = client.get(reverse("articleapp:search"), {"q": "Mistral"}).content.decode()
    assert ("genau so, wie sie eingegeben werden" in content) == (connection.vendor != "postgresql")


@on_postgresql
def test_comment_snippets_mark_the_forms_postgresql_matched(db):
    """A plural query marks the singular in the rendered comment, the word itself not its stem."""
    article = make_article(paragraphs=["Mistral arbeitet mit Nvidia."])
    annotate_quote(
        article.paragraphs.get(),
        "Nvidia",
        comment="Die **Partnerschaft** ([Quelle](https://example.org/p)) begann 2025.",
    )
    [hit] = search.search(search.clean_query("Partnerschaften")).annotations
    assert str(hit.snippet) == "Die <mark>Partnerschaft</mark> (Quelle) begann 2025."


@pytest.mark.django_db
def test_search_page_has_one_search_box_other_pages_the_header_one(client, corpus):
    """The search page's own form replaces the header's; other pages keep the header's box."""

    def search_boxes(response):
        elements = parse_html(response.content.decode()).elements
        return [
            attrs for tag, attrs in elements if tag == "input" and attrs.get("type") == "search"
        ]

    on_search = search_boxes(client.get(reverse("articleapp:search"), {"q": "Nvidia"}))
    assert [(box["id"], box["value"]) for box in on_search] == [("search-q", "Nvidia")]
    on_list = search_boxes(client.get(reverse("articleapp:article-list")))
    assert [box["id"] for box in on_list] == ["site-search-q"]
    assert on_list[0]["placeholder"] == "Text, Kommentare, Namen, Schlagwörter"
