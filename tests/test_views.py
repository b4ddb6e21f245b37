import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articleapp.models import Annotation
from tests.factories import annotate_quote, make_annotation, make_article, make_entity
from tests.html import parse_html, visible_text


def paragraph_html(content, position):
    """Return the inner HTML of the paragraph text of row ``position`` in a reading page."""
    marker = f'id="p-{position}"'
    section = content[content.index(marker) :]
    start = section.index('<p class="paragraph-text">') + len('<p class="paragraph-text">')
    return section[start : section.index("</p>", start)]


@pytest.mark.django_db
def test_article_list(client, seeded):
    """The home page lists the seeded article with a link to it."""
    response = client.get("/")
    assert response.status_code == 200
    assert seeded.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_reading_page_shows_highlights_beside_cards(client, seeded):
    """Mistral, Nvidia, Microsoft and Viva Tech are highlighted and each has a card."""
    response = client.get(seeded.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Künstliche Intelligenz" in content and "(nen)" in content
    for name in ["Mistral AI", "Nvidia", "Microsoft", "VivaTech"]:
        annotation = Annotation.objects.filter(entity__name=name).first()
        assert f'id="h-{annotation.pk}"' in content
        assert f'href="#a-{annotation.pk}"' in content
        assert f'id="a-{annotation.pk}"' in content
        assert f'href="#h-{annotation.pk}"' in content


@pytest.mark.django_db
def test_reading_page_text_equals_paragraph_text(client, seeded):
    """Each paragraph's visible text equals its stored text exactly."""
    content = client.get(seeded.get_absolute_url()).content.decode()
    for paragraph in seeded.paragraphs.all():
        html = paragraph_html(content, paragraph.position)
        assert visible_text(html) == paragraph.text
        assert parse_html(html).balanced


@pytest.mark.django_db
def test_reading_page_escapes_text_and_fields(client):
    """Markup in paragraphs, entity names, tags and comments is shown as text, never run."""
    article = make_article(paragraphs=['<script>alert(1)</script> & "Zitat"'], title="<b>Titel</b>")
    entity = make_entity(name="<img src=x onerror=alert(2)>")
    make_annotation(
        article.paragraphs.get(), 0, 8, entity=entity, comment="<i>k</i>", tags=["<svg>"]
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "<b>Titel" not in content and "<i>k</i>" not in content and "<svg>" not in content
    assert "&lt;script&gt;" in content


@pytest.mark.django_db
def test_drafts_never_appear_on_public_pages(client):
    """A draft's quote and comment appear on no public page, not even in counts."""
    article = make_article(paragraphs=["Mistral baut geheime Rechenzentren."])
    entity = make_entity(name="Mistral AI", slug="mistral-ai")
    annotate_quote(
        article.paragraphs.get(),
        "geheime",
        status=Annotation.Status.DRAFT,
        comment="VERTRAULICHER ENTWURF",
        entity=entity,
    )
    for url in ["/", article.get_absolute_url(), entity.get_absolute_url()]:
        content = client.get(url).content.decode()
        assert "VERTRAULICHER ENTWURF" not in content
        assert "hl-depth" not in content
        assert "1 annotation" not in content and "1 Anmerkung" not in content


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
@pytest.mark.parametrize(
    "url", ["/articles/nope/", "/entities/nope/", "/articles/../etc/passwd", "/nothing-here"]
)
def test_unknown_pages_are_404(client, url):
    """Unknown slugs are a 404 page, not an error."""
    assert client.get(url).status_code == 404


def build_article(paragraph_count, annotations_per_paragraph):
    text = " ".join(f"Wort{n}" for n in range(40))
    article = make_article(paragraphs=[text] * paragraph_count)
    entity = make_entity(tags=["Tag"])
    for paragraph in article.paragraphs.all():
        for n in range(annotations_per_paragraph):
            make_annotation(
                paragraph,
                n * 6,
                n * 6 + 12,
                entity=entity if n % 2 else None,
                tags=["a", "b"],
                comment="Kommentar",
            )
    return article


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_reading_page_query_count_is_constant(client):
    """7 and 70 paragraphs with many overlapping annotations take the same number of queries."""
    small = build_article(7, 6)
    large = build_article(70, 6)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )
    assert count_queries(client, large.get_absolute_url()) <= 6
