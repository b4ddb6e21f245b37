"""The home page's article list (``views.article_list``): order, what each entry says, pages."""

import datetime

import pytest

from articleapp.invalidation import deferred_touches
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text
from tests.support.pages import count_queries, main_html
from tests.support.sizes import build_article


@pytest.mark.django_db
def test_article_list(client, seeded):
    """The home page lists the seeded article with a link to it."""
    response = client.get("/")
    assert response.status_code == 200
    assert seeded.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_article_list_is_newest_first_with_date_source_kicker_and_counts(client):
    """Dated articles newest first, undated last; each with its date, source, kicker, count of
    published annotations and the entities it mentions most (drafts count for nothing)."""
    mistral, nvidia = make_entity("Mistral", slug="mistral"), make_entity("Nvidia", slug="nvidia")
    paris, eu = make_entity("Paris", slug="paris"), make_entity("EU", slug="eu")
    old = make_article(title="Alt", published_on=datetime.date(2024, 3, 1))
    make_article(title="Ohne Datum")
    new = make_article(
        paragraphs=["Mistral, Mistral, Nvidia, EU und Paris in Paris."],
        title="Neu",
        kicker="Rechenzentren",
        source_name="heise online",
        published_on=datetime.date(2025, 5, 1),
    )
    paragraph = new.paragraphs.get()
    with deferred_touches():
        for quote, entity, occurrence in [
            ("Mistral", mistral, 1),
            ("Mistral", mistral, 2),
            ("Paris", paris, 1),
            ("Paris", paris, 2),
            ("Nvidia", nvidia, 1),
        ]:
            annotate_quote(paragraph, quote, occurrence, entity=entity)
        annotate_quote(paragraph, "EU", entity=eu, status=Annotation.Status.DRAFT)
    response = client.get("/")
    assert [article.title for article in response.context["page"]] == ["Neu", "Alt", "Ohne Datum"]
    text = " ".join(visible_text(main_html(response.content.decode())).split())
    assert (
        "Rechenzentren Neu 1. Mai 2025 heise online 5 Anmerkungen "
        "Erwähnt am häufigsten: Mistral, Paris, Nvidia Künstliche Intelligenz Alt 1. März 2024 "
        "0 Anmerkungen"
    ) in text
    assert "EU" not in text
    assert old.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_article_list_pages_by_twenty(client):
    """21 articles make two pages; the second's canonical link names it; a bad page is a 400."""
    for number in range(21):
        make_article(published_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number))
    first = client.get("/")
    assert len(first.context["page"]) == 20 and 'href="?page=2"' in first.content.decode()
    second = client.get("/", {"page": 2})
    assert [article.published_on for article in second.context["page"]] == [
        datetime.date(2025, 1, 1)
    ]
    assert '?page=2">' in second.content.decode()
    assert '<ol class="article-list" start="21">' in second.content.decode()
    assert client.get("/", {"page": "zwei"}).status_code == 400


@pytest.mark.django_db
def test_article_list_query_count_is_constant(client):
    """2 and 30 articles take the same number of queries, at most 6."""
    for _ in range(2):
        build_article(3, 2)
    small = count_queries(client, "/")
    for _ in range(28):
        build_article(3, 2)
    assert count_queries(client, "/") == small <= 6
