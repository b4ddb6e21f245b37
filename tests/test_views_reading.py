"""The reading page (``views.article_detail``): highlights beside cards, text as stored, the
head, the dispersion plot, no inline code, a constant query count."""

import datetime

import pytest
from django.urls import reverse

from articleapp.models import Annotation
from project import stylesheets
from tests.support.factories import make_annotation, make_article, make_entity, make_user
from tests.support.html import parse_html, visible_text
from tests.support.pages import count_queries
from tests.support.sizes import build_article


def paragraph_html(content, position):
    """Return the inner HTML of the paragraph text of row ``position`` in a reading page."""
    marker = f'<p class="paragraph-text" id="p-{position}">'
    start = content.index(marker) + len(marker)
    return content[start : content.index("</p>", start)]


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
def test_reading_page_query_count_is_constant(client):
    """7 and 70 paragraphs with many overlapping annotations take the same number of queries."""
    small = build_article(7, 6)
    large = build_article(70, 6)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )
    assert count_queries(client, large.get_absolute_url()) <= 6


@pytest.mark.django_db
def test_reading_page_header_tells_what_to_expect(client, seeded):
    """Kicker, reading time, annotation count and who is mentioned, linked to entity pages."""
    content = client.get(seeded.get_absolute_url()).content.decode()
    published = Annotation.objects.published().filter(paragraph__article=seeded).count()
    assert f"{published} Anmerkungen" in content
    assert "Minuten Lesezeit" in content
    assert "Wer erwähnt wird" in content
    assert 'href="/entities/microsoft/"' in content
    assert "4 Erwähnungen" in content


@pytest.mark.django_db
def test_reading_page_has_a_dispersion_plot_linking_paragraphs(client, seeded):
    """The SVG plot has a title and links each filled cell to its paragraph."""
    content = client.get(seeded.get_absolute_url()).content.decode()
    start = content.index('<svg class="dispersion"')
    svg = content[start : content.index("</svg>", start) + len("</svg>")]
    parsed = parse_html(svg)
    assert parsed.balanced
    links = {attrs["href"] for tag, attrs in parsed.elements if tag == "a"}
    positions = set(seeded.paragraphs.values_list("position", flat=True))
    assert links == {f"#p-{position}" for position in positions}
    assert "<title" in svg and "<desc" in svg


@pytest.mark.django_db
def test_reading_page_has_no_inline_scripts_or_styles(client, seeded):
    """Nothing the strict Content-Security-Policy would block: no inline script, no style
    attribute, no <style> but the stylesheet the policy allows by its hash; the one inline
    script element is schema.org data, which browsers do not run."""
    content = client.get(seeded.get_absolute_url()).content.decode()
    site_css, _ = stylesheets.stylesheet("articleapp/css/site.css")
    assert " style=" not in content
    assert content.count("<style") == 1 and f"<style>{site_css}</style>" in content
    data = content.count('<script type="application/ld+json">')
    assert data == 1
    assert content.count("<script") == content.count('<script src="') + data
    for handler in ["onclick=", "onload=", "onmouseover=", "javascript:"]:
        assert handler not in content


@pytest.mark.django_db
def test_cards_link_tags_to_tag_pages(client, seeded):
    """A tag on a card links to its tag page."""
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert 'href="/tags/big-tech/"' in content


@pytest.mark.django_db
def test_reading_page_head_names_source_date_and_reading_time(client, seeded):
    """The head shows byline, the source linked to its URL, the date, reading time and count,
    with plurals right in German and English."""
    seeded.published_on = datetime.date(2025, 7, 3)
    seeded.save()
    page = client.get(seeded.get_absolute_url()).content.decode()
    assert f'href="{seeded.source_url}"' in page and seeded.source_name in page
    assert '<time datetime="2025-07-03">' in page
    assert "3 Minuten Lesezeit" in page
    client.cookies["django_language"] = "en"
    page = client.get(seeded.get_absolute_url()).content.decode()
    assert "3-minute read" in page and "July 3, 2025" in page


@pytest.mark.django_db
def test_staff_who_may_annotate_get_a_link_to_the_annotate_page(client, seeded):
    """An editor sees "Annotate this article"; anonymous readers, whose page is shared, do not."""
    annotate = reverse("admin:articleapp_article_annotate", args=[seeded.pk])
    assert annotate not in client.get(seeded.get_absolute_url()).content.decode()
    client.force_login(make_user(is_staff=True, permissions=["articleapp.change_annotation"]))
    assert annotate in client.get(seeded.get_absolute_url()).content.decode()
    client.logout()
    assert annotate not in client.get(seeded.get_absolute_url()).content.decode()
