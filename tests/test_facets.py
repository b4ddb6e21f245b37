"""Search results grouped by article, narrowed by an entity or a tag (``articleapp/facets.py``)."""

import datetime

import pytest
from django.urls import reverse

from articleapp import facets
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text


@pytest.fixture
def newsroom(db):
    """Three articles on chips: Nvidia's (tagged "Hardware" on its note), Mistral's, whose
    entity carries the tag "Europa", and one whose Nvidia mention is only a draft."""
    nvidia = make_entity("Nvidia", slug="nvidia")
    mistral = make_entity("Mistral", slug="mistral", tags=["Europa"])
    articles = {
        "nvidia": make_article(
            paragraphs=["Nvidia baut Chips.", "Chips sind knapp."],
            title="Nvidias Chips",
            published_on=datetime.date(2025, 5, 1),
        ),
        "mistral": make_article(
            paragraphs=["Mistral kauft Chips."],
            title="Mistrals Chips",
            published_on=datetime.date(2025, 6, 1),
        ),
        "draft": make_article(paragraphs=["Nvidia verkauft Chips."], title="Entwurfschips"),
    }
    annotate_quote(
        articles["nvidia"].paragraphs.get(position=1), "Nvidia", entity=nvidia, tags=["Hardware"]
    )
    annotate_quote(articles["mistral"].paragraphs.get(), "Mistral", entity=mistral)
    annotate_quote(articles["draft"].paragraphs.get(), "Nvidia", entity=nvidia, status="draft")
    return articles


def search(client, **query):
    response = client.get(reverse("articleapp:search"), query)
    assert response.status_code == 200
    return response


def titles(response):
    return [group.article.title for group in response.context["results"].groups]


def shown(response):
    return " ".join(visible_text(response.content.decode()).split())


@pytest.mark.django_db
def test_results_are_grouped_by_article(client, newsroom):
    """Both matching paragraphs of one article stand under its title, once."""
    response = search(client, q="Chips")
    assert sorted(titles(response)) == ["Entwurfschips", "Mistrals Chips", "Nvidias Chips"]
    [group] = [g for g in response.context["results"].groups if g.article.title == "Nvidias Chips"]
    assert [hit.position for hit in group.paragraphs] == [1, 2]
    assert "In 3 Artikeln" in shown(response)
    assert shown(response).count("Nvidias Chips") == 1


@pytest.mark.django_db
def test_entity_filter_keeps_articles_with_a_published_mention(client, newsroom):
    """``?entity=nvidia`` keeps Nvidia's article, not the one with a draft mention; the page
    names the filter with a link that removes it."""
    response = search(client, q="Chips", entity="nvidia")
    assert titles(response) == ["Nvidias Chips"]
    assert "Nur Artikel, die erwähnen: Nvidia" in shown(response)
    assert 'href="/search/?q=Chips"' in response.content.decode()


@pytest.mark.django_db
def test_tag_filter_keeps_articles_whose_notes_or_entities_carry_it(client, newsroom):
    """A note's tag and an entity's tag both narrow; combined with an entity, both must hold."""
    assert titles(search(client, q="Chips", tag="hardware")) == ["Nvidias Chips"]
    assert titles(search(client, q="Chips", tag="europa")) == ["Mistrals Chips"]
    assert titles(search(client, q="Chips", tag="europa", entity="nvidia")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parameter", "value"),
    [("entity", "gibt-es-nicht"), ("entity", "ohne slug!"), ("tag", "unbekannt")],
)
def test_unknown_filter_is_ignored_and_said(client, newsroom, parameter, value):
    """A filter naming nothing readers may see is ignored, and the page says which."""
    response = search(client, q="Chips", **{parameter: value})
    assert len(titles(response)) == 3
    assert f"„{value}“ ist nicht bekannt; dieser Filter wurde nicht angewandt." in shown(response)


@pytest.mark.django_db
def test_an_entity_only_drafts_name_is_unknown_here(client, newsroom):
    """An entity readers cannot see yet is not revealed by the filter: it is "not known"."""
    make_entity("Geheim AG", slug="geheim-ag")
    response = search(client, q="Chips", entity="geheim-ag")
    assert "Geheim AG" not in response.content.decode()
    assert len(titles(response)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a\x00b", "x" * 201])
def test_malformed_filter_is_a_400(client, newsroom, value):
    """NUL (refused before any view) or a value longer than a slug can be: 400, not 500."""
    for parameter in ("entity", "tag"):
        response = client.get(reverse("articleapp:search"), {"q": "Chips", parameter: value})
        assert response.status_code == 400


@pytest.mark.django_db
def test_facets_offer_the_found_articles_entities_and_tags(client, newsroom):
    """The entities and tags of the found articles are links that add their filter and keep
    the query and the other filter."""
    response = search(client, q="Chips")
    entity_facets = response.context["entity_facets"]
    assert [(facet.name, facet.count) for facet in entity_facets] == [("Mistral", 1), ("Nvidia", 1)]
    assert entity_facets[1].url == "/search/?q=Chips&entity=nvidia"
    [tag] = response.context["tag_facets"]
    assert (tag.name, tag.url) == ("Hardware", "/search/?q=Chips&tag=hardware")
    narrowed = search(client, q="Chips", tag="hardware")
    [facet] = narrowed.context["entity_facets"]
    assert facet.url == "/search/?q=Chips&tag=hardware&entity=nvidia"
    assert narrowed.context["tag_facets"] == []


@pytest.mark.django_db
def test_the_search_form_keeps_the_filters(client, newsroom):
    """Searching again from a narrowed page stays narrowed."""
    content = search(client, q="Chips", entity="nvidia").content.decode()
    assert '<input type="hidden" name="entity" value="nvidia">' in content


@pytest.mark.django_db
def test_a_filter_without_a_word_points_to_its_page(client, newsroom):
    """A filter kept while the word was cleared asks for a word and links the page that lists
    everything the filter names."""
    response = search(client, entity="nvidia", tag="hardware")
    text = shown(response)
    assert "Geben Sie ein Wort ein, nach dem gesucht werden soll." in text
    assert "Alle Erwähnungen von „Nvidia“ stehen auf der Seite der Entität." in text
    assert "Alles mit dem Schlagwort „Hardware“ steht auf der Seite des Schlagworts." in text
    html = response.content.decode()
    assert f'href="{reverse("articleapp:entity-detail", args=["nvidia"])}"' in html
    assert f'href="{reverse("articleapp:tag-detail", args=["hardware"])}"' in html


def test_search_url_leaves_out_empty_filters():
    """``search_url`` writes the query and the filters given, nothing empty."""
    assert (
        facets.search_url("KI Chips", entity="nvidia", tag="")
        == "/search/?q=KI+Chips&entity=nvidia"
    )
