"""Data of two sizes for the tests that show a public page's query count does not grow."""

from articleapp.invalidation import deferred_touches
from tests.support.factories import (
    annotate_quote,
    make_annotated_article,
    make_article,
    make_entity,
)


def build_article(paragraph_count, annotations_per_paragraph):
    entity = make_entity(tags=["Tag"])
    return make_annotated_article(paragraph_count, annotations_per_paragraph, entity)


def build_entity(mention_count):
    entity = make_entity("Nvidia", tags=["Chips", "Big Tech"], aliases=["NV"])
    neighbour = make_entity("Mistral")
    article = make_article(paragraphs=["Nvidia und Mistral bauen Chips."] * mention_count)
    with deferred_touches():  # the article's reader digest settled once, not per annotation
        for paragraph in article.paragraphs.all():
            annotate_quote(paragraph, "Nvidia", entity=entity, tags=["Chips"])
            annotate_quote(paragraph, "Mistral", entity=neighbour)
    return entity
