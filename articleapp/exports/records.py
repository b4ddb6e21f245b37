"""The flat record of an annotation: what the tabular exports write and an import reads back.

``record`` turns an ``ExportRow`` into the documented dict (``FIELDS``), which CSV, JSON and
JSON Lines write. ``AnnotationData`` is one annotation read back from an export (JSON, JSON Lines
or W3C; ``articleapp.exports.parsing``), with ``RecordError`` naming what is wrong with a record,
and the checks both readers share: timestamps the site can store, and type names for messages.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

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

# Timestamps an import may set: a day inside Python's years 1-9999 on either side, so that the
# database (SQLite stores UTC text) and every time zone the site shows them in can hold them.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)

# JSON as every JSON format writes it: compact, non-ASCII kept. One encoder, not one per call.
dumps = json.JSONEncoder(ensure_ascii=False).encode


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
