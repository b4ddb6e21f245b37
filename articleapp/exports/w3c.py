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
``articleapp.exports.parsing_w3c`` reads such a file (or a single collection, page or
annotation) back; the annotation container (``articleapp.exports.container``) serves the same
annotations, collection and pages.
"""

from articleapp.exports.contract import Format
from articleapp.exports.records import dumps
from articleapp.exports.rows import iter_annotations, row_of
from articleapp.models import Annotation

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


def write(annotations, context):
    """Yield the collection, then each page with its annotations, one annotation at a time."""
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
    yield from annotation_pieces(annotations, context, total, pages, url_for_page)
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


FORMAT = Format("w3c", "W3C Web Annotation (JSON-LD)", "jsonld", CONTENT_TYPE, write)
