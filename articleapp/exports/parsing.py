"""Read an export file back into ``AnnotationData``: JSON, JSON Lines or W3C JSON-LD.

``parse_file(path, w3c_status)`` reads a regular file (``articleapp.files``, at most
``settings.IMPORT_MAX_BYTES``), decodes UTF-8, tells JSON Lines from JSON and a W3C document
(``articleapp.exports.parsing_w3c``) from an array of records, and returns every annotation
with its place in the file, or raises ``AnnotationImportError``: one line naming the first
problem and where it is. What no database column can hold is refused here, before any query:
numbers larger than their column, text with NUL (PostgreSQL cannot store it; SQLite would),
JSON nested deeper than Python's parser goes. Whether the annotations fit the database (their
articles, paragraphs, quotes) is ``articleapp.exports.reader``'s job.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

from articleapp import params
from articleapp.exports import parsing_w3c
from articleapp.exports.records import (
    AnnotationData,
    EntityData,
    RecordError,
    parse_timestamp,
    type_name,
)
from articleapp.files import read_bytes
from articleapp.models import WIKIDATA_ID_PATTERN, Annotation, Entity, validate_wikidata_id

# The largest value of each number's column (AnnotationData attribute, name in the file).
NUMBER_LIMITS = (
    ("pk", "id", params.MAX_ID),
    ("paragraph", "paragraph", params.MAX_POSITIVE_INTEGER),
    ("start", "start", params.MAX_POSITIVE_INTEGER),
    ("end", "end", params.MAX_POSITIVE_INTEGER),
)


class AnnotationImportError(Exception):
    """The file cannot be imported; the message names the first problem and its place."""


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


def parse_record(data):
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


def read_document(path):
    """Return ``(kind, items)``: kind is "json" or "w3c"; items are ``(place, data)`` pairs."""
    path = Path(path)
    raw = read_bytes(path, AnnotationImportError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AnnotationImportError(
            f"{path}: is not UTF-8 text (invalid byte at position {error.start})"
        ) from None
    if not text.strip():
        raise AnnotationImportError(f"{path}: is empty")
    try:
        document = load_json(path, text)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise AnnotationImportError(
                f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
        return "json", list(json_lines(path, text))
    refuse_nul(path, document, "the document")
    if is_w3c(document):
        return "w3c", document
    if isinstance(document, list):
        return "json", [(f"item {number}", item) for number, item in enumerate(document, 1)]
    if isinstance(document, dict):
        # JSON Lines of a single annotation is one JSON object: its only line.
        return "json", [("line 1", document)]
    raise AnnotationImportError(
        f"{path}: expected a JSON array of annotations or a W3C AnnotationCollection"
    )


def load_json(path, text, place=""):
    """``json.loads``, with the two ways it fails other than a syntax error made one line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise AnnotationImportError(f"{path}: {place}JSON nested too deeply to read") from None
    except ValueError as error:
        # A number of thousands of digits: Python refuses to convert it (int_max_str_digits).
        reason = str(error).split(";")[0]
        raise AnnotationImportError(
            f"{path}: {place}a number too long to read ({reason})"
        ) from None


def refuse_nul(path, document, place):
    """Raise AnnotationImportError if a key or string anywhere in ``document`` holds NUL."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, str) and "\0" in node:
            raise AnnotationImportError(
                f"{path}: {place} holds a NUL character (\\u0000) in {node[:40]!r}; "
                "no text stored here may contain one"
            )


def json_lines(path, text):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = load_json(path, line, f"line {number}: ")
        except json.JSONDecodeError as error:
            raise AnnotationImportError(
                f"{path}: line {number}: invalid JSON at column {error.colno}: {error.msg}"
            ) from None
        refuse_nul(path, data, f"line {number}")
        yield f"line {number}", data


def is_w3c(document):
    first = document[0] if isinstance(document, list) and document else document
    return isinstance(first, dict) and ("@context" in first or "type" in first)


def parse_file(path, w3c_status):
    """Return ``[(place, AnnotationData), …]`` for the file, or raise AnnotationImportError."""
    kind, document = read_document(path)
    try:
        if kind == "w3c":
            parsed = list(parsing_w3c.parse_document(document, w3c_status))
        else:
            parsed = []
            for place, data in document:
                try:
                    item = parse_record(data)
                except RecordError as error:
                    has_id = isinstance(data, dict) and "id" in data
                    identifier = f" (id {data['id']})" if has_id else ""
                    raise RecordError(f"{place}{identifier}: {error}") from None
                parsed.append((f"{place} (id {item.pk})", item))
        for place, item in parsed:
            check_numbers(place, item)
        return parsed
    except RecordError as error:
        raise AnnotationImportError(f"{path}: {error}") from None


def check_numbers(place, item):
    """Raise RecordError for a number too large for its database column."""
    for attribute, name, maximum in NUMBER_LIMITS:
        value = getattr(item, attribute)
        if value > maximum:
            raise RecordError(f"{place}: {name} {value} is too large (at most {maximum})")
