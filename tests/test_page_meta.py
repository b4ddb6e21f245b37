"""Titles and meta descriptions of every public page type, each drawn from its own source:
the article's lead, the entity's description (or its facts), the tag's and the search's own
words, the embedded paragraph; search engines show them, Lighthouse's SEO audit asks for them."""

import html
import re

import pytest
from django.urls import reverse

from articleapp.markdown import render_text
from tests.support.factories import annotate_quote, make_article, make_entity

pytestmark = pytest.mark.django_db

LEAD = (
    "Mistral AI und Nvidia bauen in Frankreich Rechenzentren für Europas Industrie. Arthur "
    "Mensch stellt das Vorhaben auf der VivaTech in Paris vor, die Regierung begrüßt es, und "
    "die Konkurrenz aus den Vereinigten Staaten beobachtet jeden Schritt sehr genau."
)
DESCRIPTION = "Französischer **KI-Hersteller**, gegründet 2023 in Paris."


@pytest.fixture
def world(settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article(paragraphs=[LEAD, "Der zweite Absatz."], title="Rechenzentren")
    paragraph = article.paragraphs.get(position=1)
    described = make_entity(name="Mistral AI", slug="mistral-ai", description=DESCRIPTION)
    bare = make_entity(name="Arthur Mensch", slug="arthur-mensch", kind="person")
    annotate_quote(paragraph, "Mistral AI", entity=described, tags=["Rechenzentren"])
    annotate_quote(paragraph, "Arthur Mensch", entity=bare)
    annotate_quote(paragraph, "Paris", comment="Hauptstadt", tags=["Rechenzentren"])
    return {"article": article, "described": described, "bare": bare}


def head(client, path, status=200):
    """The page's title and its meta descriptions (all of them, to see there is one)."""
    response = client.get(path)
    assert response.status_code == status, path
    page = response.content.decode().split("</head>")[0]
    [title] = re.findall(r"<title>(.*?)</title>", page, re.S)
    descriptions = re.findall(r'<meta name="description" content="([^"]*)">', page)
    return html.unescape(title), [html.unescape(text) for text in descriptions]


def truncated(text):
    """What ``truncatechars:200`` leaves of ``text``."""
    return text if len(text) <= 200 else text[:199] + "…"


def test_article_list_names_the_site_and_what_it_does(client, world):
    """The home page's title is the site's name and purpose; the description says more."""
    title, [description] = head(client, reverse("articleapp:article-list"))
    assert title == "Randnotiz — Nachrichtenartikel mit Anmerkungen lesen"
    assert "Anmerkungen" in description and len(description) > 50


def test_reading_page_is_described_by_its_lead(client, world):
    """The reading page's description is its first paragraph, cut at 200 characters."""
    title, [description] = head(client, world["article"].get_absolute_url())
    assert title == "Rechenzentren · Randnotiz"
    assert description == truncated(LEAD) and description.endswith("…")


def test_entity_page_is_described_by_the_entity_description(client, world):
    """An entity with a description is described by it, as plain text; the title adds its kind."""
    title, [description] = head(client, world["described"].get_absolute_url())
    assert title == "Mistral AI (Organisation) · Randnotiz"
    assert description == truncated(render_text(DESCRIPTION))
    assert "**" not in description


def test_entity_page_without_description_is_described_by_its_facts(client, world):
    """Without a description, the entity's name, kind and number of mentions describe it."""
    title, [description] = head(client, world["bare"].get_absolute_url())
    assert title == "Arthur Mensch (Person) · Randnotiz"
    assert description == (
        "Arthur Mensch (Person): 1 Erwähnung in den Artikeln von Randnotiz, im Kontext."
    )


def test_tag_page_says_what_carries_the_tag(client, world):
    """A tag page is described by its name and how many annotations carry it."""
    path = reverse("articleapp:tag-detail", kwargs={"slug": "rechenzentren"})
    title, [description] = head(client, path)
    assert title == "Schlagwort „Rechenzentren“ · Randnotiz"
    assert description == (
        "Entitäten und Anmerkungen mit dem Schlagwort „Rechenzentren“ in Randnotiz: "
        "2 Anmerkungen, jede im Kontext."
    )


def test_entity_index_and_search_have_their_own_descriptions(client, world):
    """The entity index, search results and the empty search each say what they are."""
    _, [index] = head(client, reverse("articleapp:entity-list"))
    title, [results] = head(client, reverse("articleapp:search") + "?q=Mistral")
    _, [empty] = head(client, reverse("articleapp:search"))
    assert "Organisationen" in index or "organisations" in index.lower()
    assert title == "Suche: Mistral · Randnotiz"
    assert results == (
        "Suchergebnisse für „Mistral“ in den Absätzen, Kommentaren, Namen und Schlagwörtern "
        "von Randnotiz."
    )
    assert empty == "Die Absätze, Kommentare, Namen und Schlagwörter von Randnotiz durchsuchen."


def test_not_found_page_says_so(client, world):
    """The 404 page's description says that nothing is at this address."""
    title, [description] = head(client, "/articles/keine-solche-seite/", status=404)
    assert title == "Nicht gefunden · Randnotiz"
    assert description == "Unter dieser Adresse gibt es keine Seite."


def test_embed_is_described_by_its_paragraph(client, world):
    """An embedded paragraph is described by its own text."""
    path = world["article"].get_absolute_url() + "paragraphs/1/embed/"
    title, [description] = head(client, path)
    assert title == "Rechenzentren, Absatz 1 · Randnotiz"
    assert description == truncated(LEAD)


def test_english_interface_describes_pages_in_english(client, world, settings):
    """The descriptions follow the interface language; the article's words stay as written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _, [facts] = head(client, world["bare"].get_absolute_url())
    _, [lead] = head(client, world["article"].get_absolute_url())
    assert (
        facts == "Arthur Mensch (Person): 1 mention in the articles of Randnotiz, in its context."
    )
    assert lead == truncated(LEAD)
