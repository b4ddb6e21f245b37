"""Load what ships in ``articleapp/data/``: the seed article, the gazetteer and its annotations.

Idempotent: running it again updates the same rows and adds none. The article's source (name, URL,
publication date) comes from the JSON file beside its text; every fact the shipped descriptions and
comments add to the article links to a source listed in ``data/SOURCES.md``.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from articleapp import importer, invalidation
from articleapp.files import read_bytes
from articleapp.models import Annotation, Entity, EntityAlias
from articleapp.suggestions import build_matcher, find_mentions

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_ARTICLE = DATA_DIR / "articles" / "000_ce85d0f0d3bb6fa2.txt"
SEED_ARTICLE_SOURCE = SEED_ARTICLE.with_suffix(".json")
SOURCE_FIELDS = ("source_name", "source_url", "published_on")
SEED_SLUG = "ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech"


class SeedError(Exception):
    """The bundled data is inconsistent; the message names the entry."""


@dataclass
class SeedReport:
    articles: int = 0
    entities: int = 0
    annotations_created: int = 0
    annotations_total: int = 0


def load_json(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_article_source(path):
    """Return the article's source fields from the JSON file at ``path``, checked and typed."""
    try:
        source = json.loads(read_bytes(path, SeedError))
    except ValueError as error:
        raise SeedError(f"{path}: is not valid JSON ({error})") from None
    if not isinstance(source, dict) or set(source) != set(SOURCE_FIELDS):
        raise SeedError(f"{path}: expected an object with exactly {', '.join(SOURCE_FIELDS)}")
    for field in ("source_name", "source_url"):
        if not isinstance(source[field], str):
            raise SeedError(f"{path}: {field} must be a string (empty when unknown)")
    published_on = source["published_on"]
    if published_on is not None:
        try:
            published_on = datetime.date.fromisoformat(published_on)
        except (TypeError, ValueError):
            raise SeedError(
                f"{path}: published_on must be a date like 2025-07-03, or null"
            ) from None
    return {**source, "published_on": published_on}


def save_article_source(article, source, path):
    """Set the article's source fields; save only when they change."""
    if all(getattr(article, field) == value for field, value in source.items()):
        return
    for field, value in source.items():
        setattr(article, field, value)
    try:
        article.full_clean(exclude=["slug"])
    except ValidationError as error:
        faults = "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
        raise SeedError(f"{path}: {faults}") from None
    article.save(update_fields=[*SOURCE_FIELDS, "updated_at"])


def save_entity(entry):
    entity, _ = Entity.objects.update_or_create(
        slug=entry["slug"],
        defaults={
            "name": entry["name"],
            "kind": entry["kind"],
            "description": entry.get("description", ""),
            "wikidata_id": entry.get("wikidata_id", ""),
            "is_ambiguous": entry.get("is_ambiguous", False),
            "ambiguity_note": entry.get("ambiguity_note", ""),
            "not_before": ", ".join(entry.get("not_before", [])),
            "not_after": ", ".join(entry.get("not_after", [])),
        },
    )
    entity.full_clean()
    aliases = set(entry.get("aliases", []))
    entity.aliases.exclude(name__in=aliases).delete()
    for alias in sorted(aliases - set(entity.aliases.values_list("name", flat=True))):
        EntityAlias.objects.create(entity=entity, name=alias)
    entity.tags.set(entry.get("tags", []))
    return entity


def save_annotation(paragraph, start, end, entity, comment="", tags=()):
    """Create or update the published annotation of ``entity`` (or of none) at a span."""
    annotation, created = Annotation.objects.get_or_create(
        paragraph=paragraph,
        start=start,
        end=end,
        entity=entity,
        defaults={
            "status": Annotation.Status.PUBLISHED,
            "quote": paragraph.text[start:end],
        },
    )
    before = (annotation.comment, annotation.quote, annotation.prefix, annotation.suffix)
    annotation.comment = comment or annotation.comment
    annotation.anchor_in(paragraph.text)
    if created or before != (
        annotation.comment,
        annotation.quote,
        annotation.prefix,
        annotation.suffix,
    ):
        annotation.save()
    if tags:
        annotation.tags.add(*tags)
    return created


def locate(paragraph, quote):
    """Return the offsets of the one occurrence of ``quote`` in the paragraph."""
    start = paragraph.text.find(quote)
    if start < 0 or paragraph.text.find(quote, start + 1) >= 0:
        raise SeedError(f"¶{paragraph.position}: „{quote}“ must occur exactly once")
    return start, start + len(quote)


@transaction.atomic
@invalidation.deferred_touches()
def seed():
    """Load the seed article, the gazetteer, mention annotations and editor comments."""
    report = SeedReport()
    source = load_article_source(SEED_ARTICLE_SOURCE)
    article, _ = importer.import_file(SEED_ARTICLE, slug=SEED_SLUG)
    save_article_source(article, source, SEED_ARTICLE_SOURCE)
    report.articles = 1
    entities = [save_entity(entry) for entry in load_json("entities.json")]
    report.entities = len(entities)
    paragraphs = {paragraph.position: paragraph for paragraph in article.paragraphs.all()}
    by_pk = {entity.pk: entity for entity in entities}
    matcher = build_matcher(Entity.objects.filter(pk__in=by_pk))
    for paragraph, mention in find_mentions(paragraphs.values(), matcher):
        report.annotations_created += save_annotation(
            paragraph, mention.start, mention.end, by_pk[mention.key]
        )
    by_slug = {entity.slug: entity for entity in entities}
    for entry in load_json("comments.json"):
        paragraph = paragraphs.get(entry["paragraph"])
        if paragraph is None or entry["article"] != article.slug:
            raise SeedError(
                f"comment on {entry['article']} ¶{entry['paragraph']}: no such paragraph"
            )
        start, end = locate(paragraph, entry["quote"])
        entity = by_slug[entry["entity"]] if entry.get("entity") else None
        report.annotations_created += save_annotation(
            paragraph, start, end, entity, comment=entry["comment"], tags=entry.get("tags", ())
        )
    report.annotations_total = Annotation.objects.filter(paragraph__article=article).count()
    return report
