"""What the head of a reading page says about an article: reading time and who is mentioned.

Computed from paragraphs whose published annotations are already loaded, so it costs no query.
The lists of entities (who is mentioned, the filter buttons) are written here with
``format_html``, from what ``notes.Notes`` built of each entity once for the page: a template
loop cost a URL reversal and a kind translation per entity, each time it was listed.
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import ngettext

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


def who_is_mentioned(mentions, notes):
    """Return the items of "who is mentioned": each entity's link, kind and mention count.

    ``notes`` is the page's ``notes.Notes``, which holds each entity's parts.
    """
    return format_html_join(
        "",
        '<li class="kind-{}">{} <span class="count">{}</span></li>\n',
        (
            (
                parts.kind,
                parts.link,
                ngettext("%(counter)s mention", "%(counter)s mentions", mention.count)
                % {"counter": mention.count},
            )
            for mention, parts in ((mention, notes.entity(mention.entity)) for mention in mentions)
        ),
    )


def entity_filters(mentions, notes):
    """Return a filter button per entity mentioned (names in the article's language).

    ``notes`` is the page's ``notes.Notes``, which holds each entity's parts.
    """
    return format_html_join(
        "",
        '<button type="button" class="filter-button kind-{0}" data-filter-entity="{1}" '
        'data-kind="{0}" aria-pressed="true" lang="{2}">{3}</button>',
        (
            (parts.kind, parts.slug, notes.language, parts.name)
            for parts in (notes.entity(mention.entity) for mention in mentions)
        ),
    )
