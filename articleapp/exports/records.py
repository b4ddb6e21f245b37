"""The rows every export reads and the flat record the tabular exports write.

``iter_annotations`` is how every format reads the database: plain value tuples (``ExportRow``,
not model instances) from one chunked, server-side iterator over the queryset in export order,
each chunk's tags loaded by one more query, so memory stays flat however many annotations there
are and the work per row is a tuple, not a model with related objects and a tag manager.
``record`` turns a row into the documented dict; ``parse`` reads a record back (the JSON and
JSON Lines import) and says what is wrong with it, and where.
"""

import itertools
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from taggit.models import TaggedItem

from articleapp.exports.sql import InValues, UTCTimestamp
from articleapp.models import (
    WIKIDATA_ID_PATTERN,
    Annotation,
    Entity,
    Paragraph,
    validate_wikidata_id,
)

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
    "visible_to_readers",
    "author",
    "created",
    "updated",
)

CHUNK_SIZE = 2000
# Timestamps an import may set: a day inside Python's years 1-9999 on either side, so that the
# database (SQLite stores UTC text) and every time zone the site shows them in can hold them.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
# Output chunks hold this many annotations: one write to the client each, not one per row.
BATCH_SIZE = 500

# JSON as every JSON format writes it: compact, non-ASCII kept. One encoder, not one per call.
dumps = json.JSONEncoder(ensure_ascii=False).encode


class ExportRow(NamedTuple):
    """One annotation as the exports read it: its own columns and those of its relations.

    The entity and author columns are None when the annotation has none; ``created`` and
    ``updated`` are ISO 8601 text in UTC (``UTCTimestamp``); ``tags`` are the tag names sorted
    case-insensitively. The author columns assume Django's ``AbstractUser``
    (``first_name``, ``last_name``), as ``get_full_name`` does.
    """

    pk: int
    paragraph_id: int
    article_slug: str
    language: str
    position: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    comment: str
    status: str
    visible_to_readers: bool  # whether readers see it: Annotation.objects.published()
    created: str
    updated: str
    entity_id: int | None
    entity_name: str | None
    entity_slug: str | None
    entity_kind: str | None
    wikidata_id: str | None
    author_id: int | None
    username: str | None
    first_name: str | None
    last_name: str | None
    tags: Sequence[str]

    @property
    def anchor(self):
        """The paragraph's fragment on the reading page, as ``Paragraph.anchor``."""
        return f"p-{self.position}"

    def author_name(self):
        """The author's full name or, without one, user name (``get_full_name() or …``)."""
        return f"{self.first_name} {self.last_name}".strip() or self.username


# The query columns of ``ExportRow`` in its order, all but ``tags``.
COLUMNS = (
    "pk",
    "paragraph_id",
    "paragraph__article__slug",
    "paragraph__article__language",
    "paragraph__position",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "comment",
    "status",
    "is_visible_to_readers",
    UTCTimestamp("created_at"),
    UTCTimestamp("updated_at"),
    "entity_id",
    "entity__name",
    "entity__slug",
    "entity__kind",
    "entity__wikidata_id",
    "author_id",
    f"author__{get_user_model().USERNAME_FIELD}",
    "author__first_name",
    "author__last_name",
)
NO_TAGS = ()


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
    # False: published, but its words changed since (hidden from readers until confirmed);
    # None where the file does not say (W3C, exports older than the field).
    visible_to_readers: bool | None = None


def row_values(annotations):
    """The queryset's rows as value tuples in ``COLUMNS`` order, in the stable export order."""
    return annotations.for_export().with_reader_visibility().values_list(*COLUMNS)


def iter_annotations(annotations, context=None):
    """Yield an ``ExportRow`` per annotation, reading ``CHUNK_SIZE`` rows at a time.

    Two kinds of query: one server-side cursor over the rows, and one for each chunk's tags.
    ``context.progress(count)`` (if given) is called after every chunk and at the end.
    """
    progress = getattr(context, "progress", None)
    values = row_values(annotations).iterator(chunk_size=CHUNK_SIZE)
    count = 0
    while chunk := list(itertools.islice(values, CHUNK_SIZE)):
        yield from with_tags(chunk)
        count += len(chunk)
        if progress is not None and len(chunk) == CHUNK_SIZE:
            progress(count)
    if progress is not None:
        progress(count)


def annotation_rows(annotations, start=0, stop=None):
    """Return the ``ExportRow``s from ``start`` to ``stop`` in export order, in two queries."""
    return list(with_tags(list(row_values(annotations)[start:stop])))


def row_of(annotation):
    """Return the ``ExportRow`` of one saved annotation."""
    return annotation_rows(Annotation.objects.filter(pk=annotation.pk))[0]


def with_tags(chunk):
    """Yield an ``ExportRow`` for each value tuple of ``chunk``, with its tags (one query)."""
    tags = tags_by_annotation([values[0] for values in chunk]) if chunk else {}
    make = ExportRow._make
    for values in chunk:
        yield make((*values, tags.get(values[0], NO_TAGS)))


def tags_by_annotation(pks):
    """Return ``{annotation pk: [tag name, …]}`` for the given annotations, sorted as shown."""
    wanted = (Annotation._meta.app_label, Annotation._meta.model_name)
    # The content type is compared here, not in SQL: given it as a condition, PostgreSQL chose to
    # read every annotation tag through the content-type index for each chunk (20-50 ms for 40k
    # tags) instead of looking up the chunk's ids; other models' tags on these ids are few.
    items = (
        TaggedItem.objects.filter(InValues(F("object_id"), pks))
        .order_by("tag__name", "pk")
        .values_list("object_id", "content_type__app_label", "content_type__model", "tag__name")
    )
    names = defaultdict(list)
    for object_id, app_label, model, name in items:
        if (app_label, model) == wanted:
            names[object_id].append(name)
    # Case-insensitive, and stable: names equal but for case keep the database's order.
    return {pk: sorted(tags, key=str.casefold) for pk, tags in names.items()}


def joined(pieces, size=BATCH_SIZE):
    """Yield the strings of ``pieces`` joined ``size`` at a time: fewer, larger chunks."""
    pieces = iter(pieces)
    while batch := list(itertools.islice(pieces, size)):
        yield "".join(batch)


def record(row):
    """Return an ``ExportRow`` as a dict with the keys of ``FIELDS``."""
    return {
        "id": row.pk,
        "article": row.article_slug,
        "paragraph": row.position,
        "start": row.start,
        "end": row.end,
        "quote": row.quote,
        "entity": row.entity_name or "",
        "entity_slug": row.entity_slug or "",
        "entity_kind": row.entity_kind or "",
        "wikidata_id": row.wikidata_id or "",
        "tags": list(row.tags),
        "comment": row.comment,
        "status": row.status,
        "visible_to_readers": bool(row.visible_to_readers),
        "author": row.username or "",
        "created": row.created,
        "updated": row.updated,
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
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:
        in_utc = None
    if in_utc is None or not EARLIEST <= in_utc <= LATEST:
        raise RecordError(
            f"{field} {value!r} is outside the dates the site can store and show "
            f"({EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d})"
        )
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
        visible_to_readers=parse_visibility(data),
    )


def parse_visibility(data):
    """``visible_to_readers`` of a record: true, false, or None where an older export lacks it."""
    value = data.get("visible_to_readers")
    if value is not None and not isinstance(value, bool):
        raise RecordError(f"visible_to_readers must be true or false, not {type_name(value)}")
    return value


class ParagraphRow(NamedTuple):
    """A paragraph as the text-based exports read it."""

    pk: int
    article_slug: str
    text: str


def iter_articles(annotations, context=None):
    """Yield ``(article slug, [(ParagraphRow, [ExportRow, …]), …])`` per article with annotations.

    Every paragraph of such an article is included, annotated or not (text-based formats need
    the whole text). Paragraphs and annotations are read by two chunked iterators in the same
    order and merged, so memory holds one article at a time.
    """
    paragraphs = (
        Paragraph.objects.filter(article__in=annotations.values("paragraph__article"))
        .order_by("article__slug", "position")
        .values_list("pk", "article__slug", "text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    rows = iter_annotations(annotations, context)
    pending = next(rows, None)
    article, group = None, []
    for paragraph in map(ParagraphRow._make, paragraphs):
        if article is not None and paragraph.article_slug != article:
            yield article, group
            group = []
        article = paragraph.article_slug
        attached = []
        while pending is not None and pending.paragraph_id == paragraph.pk:
            attached.append(pending)
            pending = next(rows, None)
        group.append((paragraph, attached))
    if article is not None:
        yield article, group
