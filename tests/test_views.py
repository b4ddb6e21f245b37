import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags
from taggit.models import Tag

from articleapp.invalidation import deferred_touches
from articleapp.models import Annotation
from project import stylesheets
from tests.support.factories import (
    annotate_quote,
    make_annotated_article,
    make_annotation,
    make_article,
    make_entity,
    make_user,
)
from tests.support.html import parse_html, visible_text
from tests.support.pages import count_queries


def paragraph_html(content, position):
    """Return the inner HTML of the paragraph text of row ``position`` in a reading page."""
    marker = f'<p class="paragraph-text" id="p-{position}">'
    start = content.index(marker) + len(marker)
    return content[start : content.index("</p>", start)]


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
    urls = [
        "/",
        article.get_absolute_url(),
        entity.get_absolute_url(),
        "/entities/",
        "/search/?q=VERTRAULICHER",
        "/search/?q=geheime",
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert "VERTRAULICHER ENTWURF" not in content
        assert 'class="hl ' not in content  # no highlight (the stylesheet names the class)
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
    entity = make_entity(tags=["Tag"])
    return make_annotated_article(paragraph_count, annotations_per_paragraph, entity)


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
def test_tag_page_lists_entities_and_annotations(client, seeded):
    """The tag page shows the entities and the published annotations carrying the tag."""
    content = client.get("/tags/big-tech/").content.decode()
    assert 'href="/entities/microsoft/"' in content and 'href="/entities/big-tech/"' in content
    annotation = Annotation.objects.published().filter(tags__slug="big-tech").first()
    assert annotation.get_absolute_url() in content


@pytest.mark.django_db
def test_tag_with_umlaut_has_a_working_page(client):
    """Unicode tag slugs (taggit keeps umlauts) have a page and links that resolve."""
    article = make_article(paragraphs=["Künstliche Intelligenz für Bürger."])
    annotate_quote(article.paragraphs.get(), "Bürger", tags=["Bürgerrechte"])
    content = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/tags/b%C3%BCrgerrechte/"' in content or 'href="/tags/bürgerrechte/"' in content
    assert client.get("/tags/bürgerrechte/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tags/nope/", "/entities/nope/?page=2"])
def test_unknown_tag_or_entity_is_404(client, url):
    """Unknown tags and entities are a 404 page."""
    assert client.get(url).status_code == 404


def build_entity(mention_count):
    entity = make_entity("Nvidia", tags=["Chips", "Big Tech"], aliases=["NV"])
    neighbour = make_entity("Mistral")
    article = make_article(paragraphs=["Nvidia und Mistral bauen Chips."] * mention_count)
    with deferred_touches():  # the article's reader digest settled once, not per annotation
        for paragraph in article.paragraphs.all():
            annotate_quote(paragraph, "Nvidia", entity=entity, tags=["Chips"])
            annotate_quote(paragraph, "Mistral", entity=neighbour)
    return entity


@pytest.mark.django_db
def test_entity_page_query_count_is_constant(client):
    """An entity with 10 mentions and one with 120 take the same number of queries, at most 6."""
    small = count_queries(client, build_entity(10).get_absolute_url())
    large = count_queries(client, build_entity(120).get_absolute_url())
    assert small == large <= 6


@pytest.mark.django_db
def test_tag_page_query_count_is_constant(client):
    """A tag on 10 and on 120 annotations takes the same number of queries, at most 6."""
    build_entity(10)
    small = count_queries(client, "/tags/chips/")
    build_entity(110)
    assert count_queries(client, "/tags/chips/") == small <= 6


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
def test_article_list_query_count_is_constant(client):
    """2 and 30 articles take the same number of queries, at most 6."""
    for _ in range(2):
        build_article(3, 2)
    small = count_queries(client, "/")
    for _ in range(28):
        build_article(3, 2)
    assert count_queries(client, "/") == small <= 6


@pytest.mark.django_db
def test_reading_pages_answer_get_and_head_only(seeded):
    """Each public page answers GET and HEAD; anything sent to it is refused with 405, also
    without a CSRF token (it was a 403: CSRF answered before the method check)."""
    client = Client(enforce_csrf_checks=True)
    tag = Annotation.objects.published().filter(tags__isnull=False).first().tags.first()
    urls = [
        "/",
        seeded.get_absolute_url(),
        "/entities/",
        "/entities/microsoft/",
        f"/tags/{tag.slug}/",
        "/search/?q=Microsoft",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        for method in [client.post, client.put, client.patch, client.delete]:
            response = method(url)
            assert response.status_code == 405, url
            assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_tag_only_on_hidden_annotations_has_no_page(client):
    """A tag on nothing readers may see is a 404; on a public entity or a published annotation,
    a page. An entity not yet public does not make its tags public."""
    article = make_article(paragraphs=["Mistral baut geheime Rechenzentren in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "geheime", status=Annotation.Status.DRAFT, tags=["Nur Entwurf"])
    orphan = annotate_quote(paragraph, "Paris", tags=["Nur verwaist"])
    orphan.anchor_status = Annotation.AnchorStatus.ORPHANED
    orphan.save()
    annotate_quote(paragraph, "Mistral", tags=["Öffentlich", "Nur Entwurf 2"])
    annotate_quote(
        paragraph, "Rechenzentren", status=Annotation.Status.DRAFT, tags=["Nur Entwurf 2"]
    )
    make_entity(tags=["Auf einer Entität"], is_public=True)
    make_entity(tags=["Auf einer verborgenen Entität"])
    for name in ["Nur Entwurf", "Nur verwaist", "Auf einer verborgenen Entität"]:
        response = client.get(f"/tags/{Tag.objects.get(name=name).slug}/")
        assert response.status_code == 404, name
        assert name not in response.content.decode()
    for name in ["Öffentlich", "Nur Entwurf 2", "Auf einer Entität"]:
        assert client.get(f"/tags/{Tag.objects.get(name=name).slug}/").status_code == 200, name


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


def main_html(content):
    """The page's ``<main>``: what the view shows, without the site's header and footer."""
    return content[content.index("<main") : content.index("</main>")]


def comment_excerpts(content):
    """The inner HTML of every comment excerpt on a page."""
    parts = content.split('<div class="comment-excerpt"')[1:]
    return [part[part.index(">") + 1 : part.index("</div>")] for part in parts]


RAW_MARKDOWN = ["**", "__", "](", "[Quelle", "https://"]


@pytest.mark.django_db
def test_entity_page_renders_the_description_and_comments_as_markdown(client):
    """The description and each mention's comment show as formatted text with links."""
    entity = make_entity(
        "Mistral AI",
        slug="mistral-ai",
        description="**Französisches** KI-Unternehmen ([IBM](https://www.ibm.com/mistral)).",
    )
    article = make_article(paragraphs=["Mistral baut Modelle.", "Mistral baut Chips."])
    first, second = article.paragraphs.order_by("position")
    annotate_quote(
        first,
        "Mistral",
        entity=entity,
        comment="Gegründet __2023__ ([Quelle](https://example.org/q)).",
    )
    annotate_quote(second, "Mistral", entity=entity)
    content = client.get(entity.get_absolute_url()).content.decode()
    assert (
        '<strong>Französisches</strong> KI-Unternehmen (<a href="https://www.ibm.com/mistral"'
        in content
    )
    [excerpt] = comment_excerpts(content)
    assert 'Gegründet <strong>2023</strong> (<a href="https://example.org/q"' in excerpt
    shown = visible_text(main_html(content))
    for syntax in RAW_MARKDOWN:
        assert syntax not in shown, syntax


@pytest.mark.django_db
def test_tag_page_excerpts_comments_safely(client):
    """A long Markdown comment is rendered, then cut after 40 words with its markup balanced."""
    words = " ".join(f"Wort{n}" for n in range(37))
    comment = f"{words} **fett** [Quelle eins zwei drei](https://example.org/q) _danach_ Ende."
    article = make_article(paragraphs=["Mistral baut Modelle."])
    annotate_quote(article.paragraphs.get(), "Mistral", comment=comment, tags=["Lang"])
    annotate_quote(
        article.paragraphs.get(), "Modelle", comment="Kurz mit **Nachdruck**.", tags=["Lang"]
    )
    content = client.get("/tags/lang/").content.decode()
    long, short = comment_excerpts(content)
    assert parse_html(long).balanced and parse_html(short).balanced
    # Cut inside the link: the link is closed after the ellipsis, then the paragraph.
    assert long.startswith("<p>Wort0 Wort1 ") and long.endswith("…</a></p>")
    assert '<strong>fett</strong> <a href="https://example.org/q" rel="noopener' in long
    assert len(visible_text(long).split()) <= 41  # at most 40 words and the ellipsis
    assert short.strip() == "<p>Kurz mit <strong>Nachdruck</strong>.</p>"
    shown = visible_text(main_html(content))
    for syntax in RAW_MARKDOWN:
        assert syntax not in shown, syntax


@pytest.fixture
def counted(db):
    """Ones and twos of everything a page counts: paragraphs, annotations, mentions, results.

    Article A: one paragraph, one annotation (Mistral, tag "Einzeln"). Article B: two
    paragraphs, three annotations (Nvidia twice with tag "Doppelt", Microsoft beside the first).
    """
    mistral = make_entity("Mistral", slug="mistral", tags=["Einzeln"])
    nvidia = make_entity("Nvidia", slug="nvidia", tags=["Doppelt"])
    microsoft = make_entity("Microsoft", slug="microsoft")
    single = make_article(paragraphs=["Mistral baut Chips in Paris."], title="Einzeln")
    annotate_quote(single.paragraphs.get(), "Mistral", entity=mistral, tags=["Einzeln"])
    double = make_article(
        paragraphs=["Nvidia und Microsoft.", "Nvidia baut Chips."], title="Doppelt"
    )
    first, second = double.paragraphs.order_by("position")
    annotate_quote(first, "Nvidia", entity=nvidia, tags=["Doppelt"])
    annotate_quote(first, "Microsoft", entity=microsoft)
    annotate_quote(second, "Nvidia", entity=nvidia, tags=["Doppelt"])


PLURALS = {
    "de": {
        "/": ["1 Anmerkung", "3 Anmerkungen"],
        "/entities/": ["Mistral 1 Erwähnung", "Nvidia 2 Erwähnungen", "Organisation"],
        "/entities/microsoft/": ["1 Erwähnung in 1 Artikel", "Nvidia 1 gemeinsamer Absatz"],
        "/entities/nvidia/": ["2 Erwähnungen in 1 Artikel", "Microsoft 1 gemeinsamer Absatz"],
        "/tags/einzeln/": ["Mistral Organisation 1 Erwähnung", "1 Anmerkung"],
        "/tags/doppelt/": ["Nvidia Organisation 2 Erwähnungen", "2 Anmerkungen"],
        "/search/?q=Paris": ["1 Treffer für „Paris“"],
        "/search/?q=Chips": ["2 Treffer für „Chips“"],
    },
    "en": {
        "/": ["1 annotation", "3 annotations"],
        "/entities/": ["Mistral 1 mention", "Nvidia 2 mentions", "Organisation"],
        "/entities/microsoft/": ["1 mention in 1 article", "Nvidia 1 shared paragraph"],
        "/entities/nvidia/": ["2 mentions in 1 article", "Microsoft 1 shared paragraph"],
        "/tags/einzeln/": ["Mistral Organisation 1 mention", "1 annotation"],
        "/tags/doppelt/": ["Nvidia Organisation 2 mentions", "2 annotations"],
        "/search/?q=Paris": ["1 result for “Paris”"],
        "/search/?q=Chips": ["2 results for “Chips”"],
    },
}
# A count of one followed by a plural noun, in either language.
WRONG_SINGULAR = re.compile(
    r"\b1 (Absätze|Anmerkungen|Erwähnungen|gemeinsame Absätze|Artikeln|paragraphs|annotations"
    r"|mentions|shared paragraphs|results|articles)\b"
)


@pytest.mark.parametrize("language", ["de", "en"])
def test_counts_take_the_right_plural_in_both_languages(client, counted, language):
    """One is singular and two plural on every listing page, German and English alike."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url, expected in PLURALS[language].items():
        shown = " ".join(visible_text(main_html(client.get(url).content.decode())).split())
        for text in expected:
            assert text in shown, (language, url, text, shown)
        assert not WRONG_SINGULAR.search(shown), (language, url, shown)
        # Kind names stand alone here, so they start with a capital.
        assert "organisation" not in shown, (language, url)


@pytest.mark.django_db
def test_entity_for_a_draft_is_not_public_until_published(client):
    """An entity created for a draft is absent from the list, search and its tag's page and
    its own page is a 404; publishing the draft makes it public."""
    article = make_article(paragraphs=["Quendolin Systems baut Chips."])
    entity = make_entity("Quendolin Systems", slug="quendolin", tags=["Geheimtipp"])
    draft = annotate_quote(
        article.paragraphs.get(), "Quendolin Systems", entity=entity, status="draft"
    )

    def visible():
        listed = "Quendolin" in client.get("/entities/").content.decode()
        page = client.get("/entities/quendolin/").status_code
        found = client.get("/search/", {"q": "Quendolin"}).context["results"].entities
        tag_page = client.get("/tags/geheimtipp/").status_code
        return listed, page, [strip_tags(hit.name) for hit in found], tag_page

    assert visible() == (False, 404, [], 404)
    draft.status = Annotation.Status.PUBLISHED
    draft.save()
    assert visible() == (True, 200, ["Quendolin Systems"], 200)


@pytest.mark.django_db
def test_entity_an_editor_made_public_is_shown_without_mentions(client):
    """is_public shows an entity before any published mention, with no count of one."""
    make_entity("Offene KI", slug="offene-ki", is_public=True)
    make_entity("Unveröffentlicht", slug="unveroeffentlicht")
    listing = client.get("/entities/").content.decode()
    assert "Offene KI" in listing and "Unveröffentlicht" not in listing
    assert client.get("/entities/offene-ki/").status_code == 200
    assert client.get("/entities/unveroeffentlicht/").status_code == 404
