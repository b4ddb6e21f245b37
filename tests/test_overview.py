import pytest

from articleapp.models import Annotation
from articleapp.overview import kinds_present, mentioned_entities, reading_minutes
from tests.support.factories import annotate_quote, make_article, make_entity


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
