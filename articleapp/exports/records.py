"""The flat record every tabular export writes: one per annotation, in a documented order."""

FIELDS = (
    "id",
    "article",
    "paragraph",
    "start",
    "end",
    "quote",
    "entity",
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


def iter_annotations(annotations):
    """Iterate the queryset in chunks, with what the records need, never all rows at once."""
    return annotations.for_export().prefetch_related("tags").iterator(chunk_size=CHUNK_SIZE)


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
        "entity_kind": entity.kind if entity else "",
        "wikidata_id": entity.wikidata_id if entity else "",
        "tags": sorted(tag.name for tag in annotation.tags.all()),
        "comment": annotation.comment,
        "status": annotation.status,
        "author": annotation.author.get_username() if annotation.author else "",
        "created": annotation.created_at.isoformat().replace("+00:00", "Z"),
        "updated": annotation.updated_at.isoformat().replace("+00:00", "Z"),
    }
