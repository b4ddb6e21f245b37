"""How every export reads the database: plain value tuples, streamed, tags in bulk.

``iter_annotations`` yields ``ExportRow``s (value tuples, not model instances) from one
chunked, server-side iterator over the queryset in export order, each chunk's tags loaded by
one more query, so memory stays flat however many annotations there are and the work per row
is a tuple, not a model with related objects and a tag manager. ``iter_articles`` gives the
text-based formats each article's paragraphs with their annotations, one article at a time.
"""

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import F
from taggit.models import TaggedItem

from articleapp.exports.sql import InValues, UTCTimestamp
from articleapp.models import Annotation, Paragraph

CHUNK_SIZE = 2000


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
