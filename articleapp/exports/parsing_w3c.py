"""Read a W3C Web Annotation document back into ``AnnotationData``: what ``w3c`` writes.

A file, a single ``AnnotationCollection`` (its embedded first page), an ``AnnotationPage`` or
one ``Annotation``. Each annotation's ``id`` and target ``source`` must be Randnotiz URLs (any
host) of the same article; its selector the paragraph's ``FragmentSelector`` refined by a
``TextQuoteSelector`` and a ``TextPositionSelector``; its bodies as ``w3c`` writes them, by
purpose. What is wrong is a ``RecordError`` naming the place in the document.
"""

import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from articleapp import params
from articleapp.exports.records import (
    AnnotationData,
    EntityData,
    RecordError,
    parse_timestamp,
    type_name,
)
from articleapp.exports.w3c import WIKIDATA_ENTITY
from articleapp.models import WIKIDATA_ID_PATTERN, Entity


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(data):
    return {item for item in as_list(data.get("type")) if isinstance(item, str)}


def iri_of(value, field):
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        raise RecordError(f"{field} must be an IRI or an object with an id")
    return value


def resolve_iri(iri, field, view_name):
    """Return the URL kwargs of a Randnotiz URL, whatever its host, or raise RecordError."""
    try:
        match = resolve(urlsplit(iri).path)
    except Resolver404:
        match = None
    if match is None or match.view_name != f"articleapp:{view_name}":
        raise RecordError(f"{field} {iri!r} is not a Randnotiz {view_name.replace('-', ' ')} URL")
    return match.kwargs


def selector_parts(selector):
    """Return (paragraph position, quote selector, position selector) from the target."""
    if not isinstance(selector, dict) or "FragmentSelector" not in types_of(selector):
        raise RecordError("target.selector must be a FragmentSelector")
    value = selector.get("value")
    number = value.removeprefix("p-") if isinstance(value, str) and value[:2] == "p-" else None
    try:
        paragraph = params.whole_number(number, maximum=params.MAX_POSITIVE_INTEGER)
    except params.InvalidParameter:
        raise RecordError(
            f"target.selector.value {value!r} is not a paragraph fragment like p-3"
        ) from None
    quote = position = None
    for refinement in as_list(selector.get("refinedBy")):
        if not isinstance(refinement, dict):
            continue
        kinds = types_of(refinement)
        if "TextQuoteSelector" in kinds:
            quote = refinement
        if "TextPositionSelector" in kinds:
            position = refinement
    if quote is None or position is None:
        raise RecordError(
            "target.selector.refinedBy must hold a TextQuoteSelector and a TextPositionSelector"
        )
    return paragraph, quote, position


def whole_number(data, field, place):
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{place}.{field} must be a whole number, not {type_name(value)}")
    return value


def parse_entity(body):
    source = iri_of(body.get("source"), "the identifying body's source")
    label = body["source"].get("label", "") if isinstance(body.get("source"), dict) else ""
    if not isinstance(label, str):
        raise RecordError("the identifying body's source label must be a string")
    if source.startswith(WIKIDATA_ENTITY):
        wikidata_id = source.removeprefix(WIKIDATA_ENTITY)
        if not re.match(WIKIDATA_ID_PATTERN, wikidata_id):
            raise RecordError(f"{source!r} is not a Wikidata entity IRI")
        return "", label, wikidata_id
    slug = resolve_iri(source, "the identifying body's source", "entity-detail")["slug"]
    return slug, label, ""


def parse_annotation(data, status):
    """Return an ``AnnotationData`` from one W3C annotation, or raise RecordError."""
    if not isinstance(data, dict):
        raise RecordError(f"expected an annotation object, found {type_name(data)}")
    if "Annotation" not in types_of(data):
        raise RecordError("type must be Annotation")
    annotation_id = iri_of(data.get("id"), "id")
    location = resolve_iri(annotation_id, "id", "annotation-detail")
    target = data.get("target")
    if isinstance(target, list) and len(target) == 1:
        target = target[0]
    if not isinstance(target, dict):
        raise RecordError("target must be one SpecificResource object")
    source = iri_of(target.get("source"), "target.source")
    article = resolve_iri(source, "target.source", "article-detail")
    if article["slug"] != location["slug"]:
        raise RecordError(
            f"id belongs to article {location['slug']!r} but target.source to {article['slug']!r}"
        )
    paragraph, quote, position = selector_parts(target.get("selector"))
    exact = quote.get("exact")
    if not isinstance(exact, str):
        raise RecordError("TextQuoteSelector.exact must be a string")
    entity_parts, kind, tags, comment = None, "", [], ""
    for number, body in enumerate(as_list(data.get("body")), start=1):
        if not isinstance(body, dict):
            raise RecordError(f"body {number} must be an object")
        purposes = set(as_list(body.get("purpose")))
        if "identifying" in purposes:
            entity_parts = parse_entity(body)
            continue
        value = body.get("value")
        if not isinstance(value, str):
            raise RecordError(f"body {number} ({', '.join(sorted(purposes))}) needs a string value")
        if "classifying" in purposes:
            kind = value
        elif "tagging" in purposes:
            tags.append(value)
        elif "commenting" in purposes:
            comment = value
    entity = None
    if entity_parts:
        slug, name, wikidata_id = entity_parts
        if kind not in Entity.Kind.values:
            raise RecordError(
                f"the classifying body {kind!r} is not one of {', '.join(Entity.Kind.values)}"
            )
        entity = EntityData(slug=slug, name=name, kind=kind, wikidata_id=wikidata_id)
    author = ""
    creator_data = data.get("creator")
    if isinstance(creator_data, dict) and isinstance(creator_data.get("nickname"), str):
        author = creator_data["nickname"]
    return AnnotationData(
        pk=location["pk"],
        article=location["slug"],
        paragraph=paragraph,
        start=whole_number(position, "start", "TextPositionSelector"),
        end=whole_number(position, "end", "TextPositionSelector"),
        quote=exact,
        entity=entity,
        tags=tuple(tags),
        comment=comment,
        status=status,
        author=author,
        created=parse_timestamp(data.get("created"), "created"),
        updated=parse_timestamp(data.get("modified"), "modified"),
    )


def iter_annotation_objects(document):
    """Yield (place, annotation object) from an export file, collection, page or annotation."""
    nodes = document if isinstance(document, list) else [document]
    for node_number, node in enumerate(nodes, start=1):
        place = f"item {node_number}" if isinstance(document, list) else "the document"
        if not isinstance(node, dict):
            raise RecordError(f"{place}: expected an object, found {type_name(node)}")
        kinds = types_of(node)
        if "Annotation" in kinds:
            yield place, node
        elif "AnnotationPage" in kinds:
            yield from page_items(node, place)
        elif "AnnotationCollection" in kinds:
            if isinstance(node.get("first"), dict):
                yield from page_items(node["first"], f"{place}, first page")
        else:
            raise RecordError(
                f"{place}: type must be AnnotationCollection, AnnotationPage or Annotation"
            )


def page_items(page, place):
    items = page.get("items")
    if not isinstance(items, list):
        raise RecordError(f"{place}: an AnnotationPage needs a list of items")
    for number, item in enumerate(items, start=1):
        yield f"{place}, annotation {number}", item


def parse_document(document, status):
    """Yield (place, AnnotationData) for every annotation of a W3C JSON-LD document."""
    for place, node in iter_annotation_objects(document):
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            place = f"{place} ({node['id']})"
        try:
            yield place, parse_annotation(node, status)
        except RecordError as error:
            raise RecordError(f"{place}: {error}") from None
