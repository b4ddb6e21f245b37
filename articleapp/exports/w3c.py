"""W3C Web Annotation Data Model export (JSON-LD), shared with the annotation container.

Each annotation: ``@context`` anno.jsonld, ``id`` its absolute URL under the article's container
(``/articles/<slug>/annotations/<id>``), ``type`` Annotation, one ``motivation``, ``created`` and
``modified`` in UTC, ``creator``, ``generator``, and bodies by purpose:

- the entity: a ``SpecificResource`` with ``purpose: identifying`` whose ``source`` is the
  Wikidata entity IRI (``http://www.wikidata.org/entity/Q…``), or the entity's page when it has
  no Wikidata ID, with the entity's name as ``label``;
- the entity kind: a ``TextualBody`` with ``purpose: classifying`` (``organisation``, ``person``…);
- each tag: a ``TextualBody`` with ``purpose: tagging``;
- the comment: a ``TextualBody`` with ``purpose: commenting`` and ``format: text/markdown``.

The target is a ``SpecificResource`` whose ``source`` is the article's reading page and whose
selector is a ``FragmentSelector`` for the paragraph (``p-3``) refined by a ``TextQuoteSelector``
(``exact``, ``prefix``, ``suffix``) and a ``TextPositionSelector`` (``start``, ``end`` in Unicode
code points of the paragraph text).

The export file is a JSON-LD array: the ``AnnotationCollection`` first, then its
``AnnotationPage``s of ``PAGE_SIZE`` annotations each, streamed one annotation at a time.
``parse_document`` reads such a file (or a single collection, page or annotation) back.
"""

import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from articleapp import params
from articleapp.exports.records import (
    AnnotationData,
    EntityData,
    RecordError,
    dumps,
    iter_annotations,
    joined,
    parse_timestamp,
    row_of,
    type_name,
)
from articleapp.models import WIKIDATA_ID_PATTERN, Annotation, Entity

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = f'application/ld+json; profile="{CONTEXT}"'
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
# RFC 3236 is the fragment syntax of (X)HTML documents, as the Data Model's table lists it.
HTML_FRAGMENT = "http://tools.ietf.org/rfc/rfc3236"
PAGE_SIZE = 1000
KIND_LANGUAGE = "en"
SOFTWARE_NAME = "Randnotiz"


def creator(row, context):
    """The editor's user name for staff exports; the publication itself for public views."""
    if context.include_authors and row.author_id is not None:
        return {"type": "Person", "name": row.author_name(), "nickname": row.username}
    return {"type": "Organization", "name": SOFTWARE_NAME}


def entity_body(row, context):
    if row.wikidata_id:
        source = f"{WIKIDATA_ENTITY}{row.wikidata_id}"
    else:
        source = context.entity_url(row.entity_slug)
    return {
        "type": "SpecificResource",
        "purpose": "identifying",
        "source": {"id": source, "label": row.entity_name},
    }


def textual_body(purpose, value, language, media_type="text/plain"):
    return {
        "type": "TextualBody",
        "purpose": purpose,
        "value": value,
        "format": media_type,
        "language": language,
    }


def motivation(row):
    if row.entity_id:
        return "identifying"
    if row.tags:
        return "tagging"
    if row.comment:
        return "commenting"
    return "highlighting"


def generator(context):
    """This software as the annotations' ``generator``; the same for every annotation."""
    home = context.absolute("/")
    return {
        "id": home,
        "type": "Software",
        "name": SOFTWARE_NAME,
        "nickname": SOFTWARE_NAME.lower(),
        "homepage": home,
    }


def annotation_data(row, context, software=None):
    """Return one annotation as a W3C Web Annotation (a dict ready for JSON).

    ``row`` is an ``ExportRow`` (an ``Annotation`` is read as one); a stream passes the
    ``generator(context)`` it built once as ``software``.
    """
    if isinstance(row, Annotation):
        row = row_of(row)
    language = row.language
    bodies = []
    if row.entity_id:
        bodies.append(entity_body(row, context))
        bodies.append(textual_body("classifying", row.entity_kind, KIND_LANGUAGE))
    bodies.extend(textual_body("tagging", tag, language) for tag in row.tags)
    if row.comment:
        bodies.append(textual_body("commenting", row.comment, language, "text/markdown"))
    data = {
        "@context": CONTEXT,
        "id": context.annotation_url(row.article_slug, row.pk),
        "type": "Annotation",
        "motivation": motivation(row),
        "created": row.created,
        "modified": row.updated,
        "creator": creator(row, context),
        "generator": software or generator(context),
    }
    if bodies:
        data["body"] = bodies
    data["target"] = {
        "type": "SpecificResource",
        "source": {
            "id": context.article_url(row.article_slug),
            "type": "Text",
            "format": "text/html",
            "language": language,
        },
        "selector": {
            "type": "FragmentSelector",
            "conformsTo": HTML_FRAGMENT,
            "value": row.anchor,
            "refinedBy": [
                {
                    "type": "TextQuoteSelector",
                    "exact": row.quote,
                    "prefix": row.prefix,
                    "suffix": row.suffix,
                },
                {"type": "TextPositionSelector", "start": row.start, "end": row.end},
            ],
        },
    }
    return data


def page_url(collection_url, index):
    return f"{collection_url}#page-{index}"


def page_count(total, page_size=None):
    return max(1, -(-total // (page_size or PAGE_SIZE)))


def collection_data(collection_url, total, label, first, last, **extra):
    """The AnnotationCollection head: ``first``/``last`` are page IRIs or an embedded page."""
    data = {
        "@context": CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        **extra,
    }
    if total:
        data["first"], data["last"] = first, last
    return data


def page_head(page_id, collection_url, total, index, pages, page_size, url_for_page):
    data = {
        "@context": CONTEXT,
        "id": page_id,
        "type": "AnnotationPage",
        "partOf": {"id": collection_url, "total": total},
        "startIndex": index * page_size,
    }
    if index > 0:
        data["prev"] = url_for_page(index - 1)
    if index + 1 < pages:
        data["next"] = url_for_page(index + 1)
    return data


def stream(annotations, context):
    """Yield the collection, then each page with its annotations, in chunks of annotations."""
    total = annotations.count()
    pages = page_count(total)
    collection_url = context.collection_url

    def url_for_page(index):
        return page_url(collection_url, index)

    head = collection_data(
        collection_url,
        total,
        "Randnotiz annotations",
        url_for_page(0),
        url_for_page(pages - 1),
    )
    yield "[\n" + dumps(head)
    yield from joined(annotation_pieces(annotations, context, total, pages, url_for_page))
    yield ("\n]}" if total else "") + "\n]\n"


def annotation_pieces(annotations, context, total, pages, url_for_page):
    """Yield each annotation's JSON, opening a new page before every ``PAGE_SIZE``-th."""
    software = generator(context)
    for index, row in enumerate(iter_annotations(annotations, context)):
        position = index % PAGE_SIZE
        if position == 0:
            page = index // PAGE_SIZE
            head = page_head(
                url_for_page(page),
                context.collection_url,
                total,
                page,
                pages,
                PAGE_SIZE,
                url_for_page,
            )
            prefix = "" if page == 0 else "\n]}"
            # An open page: its items follow as they are read, and "]}" closes it.
            yield prefix + ",\n" + dumps(head)[:-1] + ', "items": [\n'
        yield ("" if position == 0 else ",\n") + dumps(annotation_data(row, context, software))


# Reading an export back -------------------------------------------------------------------


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
