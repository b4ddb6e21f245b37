"""The entity index and entity pages (``views.entity_list``, ``views.entity_detail``)."""

import datetime

import pytest
from django.urls import reverse

from articleapp.invalidation import deferred_touches
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text
from tests.support.pages import count_queries, main_html
from tests.support.sizes import build_entity


@pytest.mark.django_db
def test_entity_timeline_is_newest_first_and_counts_articles(client):
    """The entity page lists its articles newest first, each dated with its mention count,
    the heading counting mentions and articles; drafts add nothing."""
    entity = make_entity("Mistral", slug="mistral")
    for title, day, count in [("Mai", 5, 2), ("März", 3, 1), ("Juni", 6, 1)]:
        article = make_article(
            paragraphs=["Mistral und Mistral."],
            title=title,
            published_on=datetime.date(2025, day, 1),
        )
        for occurrence in range(1, count + 1):
            annotate_quote(article.paragraphs.get(), "Mistral", occurrence, entity=entity)
    draft = make_article(paragraphs=["Mistral."], title="Entwurf")
    annotate_quote(draft.paragraphs.get(), "Mistral", entity=entity, status="draft")
    response = client.get(entity.get_absolute_url())
    titles = [item["article"].title for item in response.context["timeline"]]
    assert titles == ["Juni", "Mai", "März"]
    text = " ".join(visible_text(main_html(response.content.decode())).split())
    assert "4 Erwähnungen in 3 Artikeln" in text
    assert "1. Mai 2025 2 Erwähnungen Mai" in text
    assert "Entwurf" not in text


@pytest.mark.django_db
def test_entity_page_lists_published_mentions(client, seeded):
    """The Microsoft page links each mention to its paragraph and card."""
    response = client.get(reverse("articleapp:entity-detail", kwargs={"slug": "microsoft"}))
    content = response.content.decode()
    assert response.status_code == 200
    mentions = Annotation.objects.filter(entity__slug="microsoft")
    assert mentions.count() == 4
    for mention in mentions:
        assert mention.get_absolute_url() in content
    assert "Q2283" in content


@pytest.mark.django_db
def test_entity_index_groups_by_kind_with_counts(client, seeded):
    """The index lists entities under their kind with the number of published mentions."""
    content = client.get(reverse("articleapp:entity-list")).content.decode()
    assert content.index("Organisation") < content.index("Microsoft")
    assert "Ort" in content and "Ereignis" in content
    assert "4 Erwähnungen" in content


@pytest.mark.django_db
def test_entity_page_shows_mentions_in_context_and_co_occurrence(client, seeded):
    """Microsoft's page shows each mention with words around it and who shares its paragraphs."""
    content = client.get("/entities/microsoft/").content.decode()
    assert "Partnerschaft mit <mark>Microsoft</mark>" in content
    assert "In denselben Absätzen erwähnt" in content
    assert 'href="/entities/mistral-ai/"' in content
    assert "2 gemeinsame Absätze" in content
    assert 'href="/tags/cloud/"' in content


@pytest.mark.django_db
def test_entity_page_paginates_by_article(client):
    """25 articles make two pages of 20 and 5 articles, each showing its first five mentions;
    one past the end shows the last page; a malformed one is a 400."""
    entity = make_entity("Mistral AI", slug="mistral-ai")
    for _ in range(25):
        article = make_article(paragraphs=["Mistral baut Modelle."] * 7)
        with deferred_touches():
            for paragraph in article.paragraphs.all():
                annotate_quote(paragraph, "Mistral", entity=entity)
    first = client.get(entity.get_absolute_url()).content.decode()
    assert first.count('class="kwic"') == 20 * 5 and "?page=2" in first
    assert "175 Erwähnungen in 25 Artikeln" in first
    assert first.count("5 von 7 Erwähnungen gezeigt") == 20
    second = client.get(entity.get_absolute_url(), {"page": 2}).content.decode()
    assert second.count('class="kwic"') == 5 * 5
    assert client.get(entity.get_absolute_url(), {"page": "999"}).context["page"].number == 2
    for page in ["0", "abc", "-1", "²", "9" * 30]:
        assert client.get(entity.get_absolute_url(), {"page": page}).status_code == 400


@pytest.mark.django_db
def test_entity_page_query_count_is_constant(client):
    """An entity with 10 mentions and one with 120 take the same number of queries, at most 6."""
    small = count_queries(client, build_entity(10).get_absolute_url())
    large = count_queries(client, build_entity(120).get_absolute_url())
    assert small == large <= 6


@pytest.mark.django_db
def test_entity_index_query_count_is_constant(client):
    """5 and 60 entities take the same number of queries, at most 6."""
    for _ in range(5):
        build_entity(2)
    small = count_queries(client, "/entities/")
    for _ in range(28):
        build_entity(2)
    assert count_queries(client, "/entities/") == small <= 6


@pytest.mark.django_db
def test_entity_an_editor_made_public_is_shown_without_mentions(client):
    """is_public shows an entity before any published mention, with no count of one."""
    make_entity("Offene KI", slug="offene-ki", is_public=True)
    make_entity("Unveröffentlicht", slug="unveroeffentlicht")
    listing = client.get("/entities/").content.decode()
    assert "Offene KI" in listing and "Unveröffentlicht" not in listing
    assert client.get("/entities/offene-ki/").status_code == 200
    assert client.get("/entities/unveroeffentlicht/").status_code == 404
