"""What every public page keeps to: no drafts, a 404 for unknown pages, GET and HEAD, plurals."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import strip_tags

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text
from tests.support.pages import main_html


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
@pytest.mark.parametrize(
    "url", ["/articles/nope/", "/entities/nope/", "/articles/../etc/passwd", "/nothing-here"]
)
def test_unknown_pages_are_404(client, url):
    """Unknown slugs are a 404 page, not an error."""
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tags/nope/", "/entities/nope/?page=2"])
def test_unknown_tag_or_entity_is_404(client, url):
    """Unknown tags and entities are a 404 page."""
    assert client.get(url).status_code == 404


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
