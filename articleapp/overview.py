"""What the head of a reading page says about an article: reading time and who is mentioned.

Computed from paragraphs whose published annotations are already loaded, so it costs no query.
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.text import capfirst

from articleapp.models import Entity

WORDS_PER_MINUTE = 200
WORD = re.compile(r"\w+")


def reading_minutes(texts, words_per_minute=WORDS_PER_MINUTE):
    """Return the whole minutes needed to read ``texts``, at least one for any text."""
    words = sum(len(WORD.findall(text)) for text in texts)
    return math.ceil(words / words_per_minute) if words else 0


@dataclass
class Mention:
    """An entity mentioned in an article: how often, and how often in which paragraph."""

    entity: object
    count: int = 0
    per_paragraph: dict = field(default_factory=dict)


def mentioned_entities(paragraphs):
    """Return a Mention per entity annotated in ``paragraphs``, in order of first appearance.

    Each paragraph must carry its published annotations (with entities) as
    ``published_annotations``.
    """
    mentions = {}
    for paragraph in paragraphs:
        for annotation in paragraph.published_annotations:
            if annotation.entity_id is None:
                continue
            mention = mentions.setdefault(annotation.entity_id, Mention(annotation.entity))
            mention.count += 1
            position = paragraph.position
            mention.per_paragraph[position] = mention.per_paragraph.get(position, 0) + 1
    return list(mentions.values())


def kinds_present(paragraphs):
    """Return the highlight kinds used in ``paragraphs`` in the order of ``Entity.Kind``."""
    used = {
        annotation.entity.kind if annotation.entity_id else "comment"
        for paragraph in paragraphs
        for annotation in paragraph.published_annotations
    }
    kinds = [(value, capfirst(label)) for value, label in Entity.Kind.choices if value in used]
    return kinds, "comment" in used
