import pytest
from django.utils import translation

from articleapp.models import Annotation
from articleapp.notes import Notes
from articleapp.overview import (
    entity_filters,
    kinds_present,
    mentioned_entities,
    reading_minutes,
    who_is_mentioned,
)
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import parse_html, visible_text
from tests.support.reading import elements, planned


def test_reading_minutes_rounds_up():
    """200 words are one minute, 201 words two; no text takes no time."""
    assert reading_minutes(["wort " * 200]) == 1
    assert reading_minutes(["wort " * 150, "wort " * 51]) == 2
    assert reading_minutes([""]) == 0


@pytest.mark.django_db
def test_mentioned_entities_count_per_paragraph_in_order_of_appearance():
    """Entities come in order of first mention, with counts per paragraph; drafts are left out."""
    article = make_article(paragraphs=["Nvidia und Mistral.", "Mistral, Mistral."])
    first, second = article.paragraphs.order_by("position")
    mistral = make_entity("Mistral", kind="organisation")
    nvidia = make_entity("Nvidia", kind="organisation")
    annotate_quote(first, "Nvidia", entity=nvidia)
    annotate_quote(first, "Mistral", entity=mistral)
    annotate_quote(second, "Mistral,", entity=mistral)
    annotate_quote(second, "Mistral.", entity=mistral, status=Annotation.Status.DRAFT)
    for paragraph in (first, second):
        paragraph.published_annotations = list(
            Annotation.objects.published().filter(paragraph=paragraph).order_by("start")
        )
    mentions = mentioned_entities([first, second])
    assert [mention.entity for mention in mentions] == [nvidia, mistral]
    assert mentions[1].count == 2
    assert mentions[1].per_paragraph == {1: 1, 2: 1}
    kinds, has_comments = kinds_present([first, second])
    assert [value for value, _ in kinds] == ["organisation"] and not has_comments


@pytest.mark.django_db
def test_who_is_mentioned_links_each_entity_with_kind_and_count():
    """One item an entity, in order of first mention: link, kind and how often, in German."""
    article = make_article(paragraphs=["Nvidia und Mistral, Mistral."])
    nvidia = make_entity("Nvidia", kind="organisation")
    mistral = make_entity("Mistral <AI>", kind="product")
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Nvidia", entity=nvidia)
    annotate_quote(paragraph, "Mistral", entity=mistral)
    annotate_quote(paragraph, "Mistral", occurrence=2, entity=mistral)
    paragraphs, _ = planned(article)
    with translation.override("de"):
        html = str(who_is_mentioned(mentioned_entities(paragraphs), Notes(article.language)))
    assert [item["class"] for item in elements(html, "li")] == ["kind-organisation", "kind-product"]
    assert [link["href"] for link in elements(html, "a")] == [
        nvidia.get_absolute_url(),
        mistral.get_absolute_url(),
    ]
    assert visible_text(html).split("\n")[:2] == [
        "Nvidia Organisation 1 Erwähnung",
        "Mistral <AI> Produkt 2 Erwähnungen",
    ]


@pytest.mark.django_db
def test_entity_filters_are_a_pressed_button_per_entity():
    """Each entity gets a pressed filter button naming it, its kind and slug, escaped."""
    article = make_article(paragraphs=["Paris und Nizza."])
    paris = make_entity('Paris "<b>"', kind="place")
    annotate_quote(article.paragraphs.get(), "Paris", entity=paris)
    paragraphs, _ = planned(article)
    html = str(entity_filters(mentioned_entities(paragraphs), Notes(article.language)))
    assert parse_html(html).balanced
    (button,) = elements(html, "button", "filter-button")
    assert button["data-filter-entity"] == paris.slug and button["data-kind"] == "place"
    assert button["aria-pressed"] == "true" and button["lang"] == "de"
    assert visible_text(html) == 'Paris "<b>"'
