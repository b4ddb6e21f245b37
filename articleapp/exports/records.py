"""The flat record every tabular export writes: one per annotation, in a documented order.

``iter_annotations`` is how every format reads the database: a chunked iterator over the
queryset, so memory stays flat however many annotations there are. ``parse`` reads a record back
(the JSON and JSON Lines import) and says what is wrong with it, and where.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError

from articleapp.models import (
    WIKIDATA_ID_PATTERN,
    Annotation,
    Entity,
    Paragraph,
    validate_wikidata_id,
)
from articleapp.tagging import attach_tags

FIELDS = (
    "id",
    "article",
    "paragraph",
    "start",
    "end",
    "quote",
    "entity",
    "entity_slug",
    "entity_kind",
    "wikidata_id",
    "tags",
    "comment",
    "status",
    "author",
    "created",
    "updated",
)

CHUNK_SIZE = 2000


class RecordError(ValueError):
    """A record read back from an export is not valid; the message names the field."""


@dataclass(frozen=True)
class EntityData:
    """An entity as an export describes it; the import finds or creates it."""

    slug: str
    name: str
    kind: str
    wikidata_id: str


@dataclass(frozen=True)
class AnnotationData:
    """One annotation read back from an export (JSON, JSON Lines or W3C), not yet saved."""

    pk: int
    article: str
    paragraph: int
    start: int
    end: int
    quote: str
    entity: EntityData | None
    tags: tuple
    comment: str
    status: str
    author: str
    created: datetime
    updated: datetime


def iter_annotations(annotations, context=None):
    """Iterate the queryset in chunks, with what the records need, never all rows at once.

    ``context.progress(count)`` (if given) is called after every chunk and at the end.
    """
    rows = chunked_with_tags(annotations.for_export().iterator(chunk_size=CHUNK_SIZE))
    progress = getattr(context, "progress", None)
    if progress is None:
        yield from rows
        return
    count = 0
    for count, annotation in enumerate(rows, start=1):
        yield annotation
        if count % CHUNK_SIZE == 0:
            progress(count)
    progress(count)


def chunked_with_tags(annotations):
    """Yield the annotations with their tags loaded, one query per ``CHUNK_SIZE`` of them."""
    annotations = iter(annotations)
    while chunk := list(itertools.islice(annotations, CHUNK_SIZE)):
        yield from attach_tags(chunk)


def utc_timestamp(moment):
    """Return an aware datetime as ISO 8601 in UTC with a ``Z``, e.g. ``2025-05-01T09:30:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sorted_tags(annotation):
    return sorted((tag.name for tag in annotation.tags.all()), key=str.casefold)


def record(annotation):
    """Return the annotation as a dict with the keys of ``FIELDS``."""
    entity = annotation.entity
    return {
        "id": annotation.pk,
        "article": annotation.paragraph.article.slug,
        "paragraph": annotation.paragraph.position,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "entity": entity.name if entity else "",
        "entity_slug": entity.slug if entity else "",
        "entity_kind": entity.kind if entity else "",
        "wikidata_id": entity.wikidata_id if entity else "",
        "tags": sorted_tags(annotation),
        "comment": annotation.comment,
        "status": annotation.status,
        "author": annotation.author.get_username() if annotation.author else "",
        "created": utc_timestamp(annotation.created_at),
        "updated": utc_timestamp(annotation.updated_at),
    }


def parse_timestamp(value, field):
    if not isinstance(value, str):
        raise RecordError(f"{field} must be a date-time string, not {type_name(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{field} {value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise RecordError(f"{field} {value!r} has no time zone")
    return moment


def type_name(value):
    return {
        type(None): "null",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def require(data, field, kind):
    if field not in data:
        raise RecordError(f"{field} is missing")
    value = data[field]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise RecordError(f"{field} must be a whole number, not {type_name(value)}")
    if kind is str and not isinstance(value, str):
        raise RecordError(f"{field} must be a string, not {type_name(value)}")
    if kind is list and not (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        raise RecordError(f"{field} must be a list of strings")
    return value


def parse(data):
    """Return an ``AnnotationData`` from a JSON record, or raise RecordError saying why not."""
    if not isinstance(data, dict):
        raise RecordError(f"expected an object, found {type_name(data)}")
    values = {field: require(data, field, int) for field in ("id", "paragraph", "start", "end")}
    for field in ("article", "quote", "entity", "entity_slug", "entity_kind", "wikidata_id"):
        values[field] = require(data, field, str)
    for field in ("comment", "status", "author"):
        values[field] = require(data, field, str)
    tags = require(data, "tags", list)
    if values["status"] not in Annotation.Status.values:
        raise RecordError(
            f"status {values['status']!r} is not one of {', '.join(Annotation.Status.values)}"
        )
    entity = None
    if values["entity_slug"] or values["entity"]:
        if not values["entity_slug"] or not values["entity"]:
            raise RecordError("entity and entity_slug must both be given or both be empty")
        if values["entity_kind"] not in Entity.Kind.values:
            raise RecordError(
                f"entity_kind {values['entity_kind']!r} is not one of "
                f"{', '.join(Entity.Kind.values)}"
            )
        if values["wikidata_id"]:
            try:
                validate_wikidata_id(values["wikidata_id"])
            except ValidationError:
                raise RecordError(
                    f"wikidata_id {values['wikidata_id']!r} does not match {WIKIDATA_ID_PATTERN}"
                ) from None
        entity = EntityData(
            slug=values["entity_slug"],
            name=values["entity"],
            kind=values["entity_kind"],
            wikidata_id=values["wikidata_id"],
        )
    return AnnotationData(
        pk=values["id"],
        article=values["article"],
        paragraph=values["paragraph"],
        start=values["start"],
        end=values["end"],
        quote=values["quote"],
        entity=entity,
        tags=tuple(tags),
        comment=values["comment"],
        status=values["status"],
        author=values["author"],
        created=parse_timestamp(data.get("created"), "created"),
        updated=parse_timestamp(data.get("updated"), "updated"),
    )


def iter_articles(annotations, context=None):
    """Yield ``(article, [(paragraph, [annotation, …]), …])`` for each article with annotations.

    Every paragraph of such an article is included, annotated or not (text-based formats need
    the whole text). Paragraphs and annotations are read by two chunked iterators in the same
    order and merged, so memory holds one article at a time.
    """
    paragraphs = (
        Paragraph.objects.filter(article__in=annotations.values("paragraph__article"))
        .select_related("article")
        .order_by("article__slug", "position")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    rows = iter_annotations(annotations, context)
    pending = next(rows, None)
    article, group = None, []
    for paragraph in paragraphs:
        if article is not None and paragraph.article_id != article.pk:
            yield article, group
            group = []
        article = paragraph.article
        attached = []
        while pending is not None and pending.paragraph_id == paragraph.pk:
            attached.append(pending)
            pending = next(rows, None)
        group.append((paragraph, attached))
    if article is not None:
        yield article, group
