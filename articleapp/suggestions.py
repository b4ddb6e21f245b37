"""Run the entity gazetteer over an article's paragraphs."""

from articleapp.gazetteer import Matcher
from articleapp.models import Entity, EntityAlias


def build_matcher(entities=None):
    """Return a Matcher over the names and aliases of ``entities`` (default: all), keyed by id."""
    entities = Entity.objects.all() if entities is None else entities
    forms = [(name, pk) for pk, name in entities.values_list("pk", "name")]
    forms += EntityAlias.objects.filter(entity__in=entities).values_list("name", "entity_id")
    return Matcher(forms)


def find_mentions(paragraphs, matcher):
    """Yield ``(paragraph, mention)`` for every gazetteer mention in ``paragraphs``."""
    for paragraph in paragraphs:
        for mention in matcher.find(paragraph.text):
            yield paragraph, mention
