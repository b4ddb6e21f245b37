"""The one contract every export format keeps, and what the formats share to keep it.

A format is a ``Format``: name, label, file extension and media type; ``drops``, the kinds of
annotation it leaves out, declared with the reason (``Drop``) instead of buried in its code;
and ``write(annotations, context)``, a generator of the file's pieces, text (or, for a zip,
bytes), over the annotations that remain. Everyone who exports (the staff views, the command,
the benchmark) calls ``stream(annotations, context)``, which drops what the format declares,
writes, and joins the pieces with ``batched``: an iterator of bytes, the same for every format.

``ExportContext`` carries what a format needs beyond the rows: the absolute base URL for links,
the export's own URL (the W3C collection's id), whether editors' user names may be shown (staff
exports: yes; the public container: no), the CoNLL document line (``docstart``) and an optional
progress callback.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone

from articleapp.models import Annotation
from articleapp.urlpieces import SLUG_PLACEHOLDER, url_pieces

# An annotation's id in its URL while it is reversed (``urlpieces.url_pieces``): one reverse()
# per export instead of one per row (and an f-string, four times quicker than format).
PK_PLACEHOLDER = 918273645546372819
# ``batched`` hands out chunks of at least this many characters (or bytes): one write to the
# client for hundreds of annotations, not one per row, and memory bounded whatever the size.
CHUNK_LENGTH = 64 * 1024
# CoNLL's document line: "-DOCSTART- O" (token and tag, as every other line), or with
# ``docstart="conll2003"`` the four columns of the CoNLL-2003 files that spaCy splits on.
DOCSTART_LINES = {"": "-DOCSTART- O", "conll2003": "-DOCSTART- -X- O O"}


@dataclass(frozen=True)
class ExportContext:
    """Absolute links for an export: ``base_url`` is scheme and host, e.g. https://example.org."""

    base_url: str
    collection_url: str = ""
    include_authors: bool = False
    docstart: str = ""
    progress: Callable[[int], None] | None = None

    def __post_init__(self):
        if self.docstart not in DOCSTART_LINES:
            raise ValueError(f"docstart {self.docstart!r} is not one of {sorted(DOCSTART_LINES)}")

    def absolute(self, path):
        return f"{self.base_url.rstrip('/')}{path}"

    @cached_property
    def urls(self):
        """The pieces of absolute article, entity and annotation URLs, made on first use."""
        base = self.base_url.rstrip("/")

        def absolute_pieces(view_name, **placeholders):
            first, *rest = url_pieces(view_name, **placeholders)
            return [base + first, *rest]

        return {
            "article": absolute_pieces("articleapp:article-detail", slug=SLUG_PLACEHOLDER),
            "entity": absolute_pieces("articleapp:entity-detail", slug=SLUG_PLACEHOLDER),
            "annotation": absolute_pieces(
                "articleapp:annotation-detail", slug=SLUG_PLACEHOLDER, pk=PK_PLACEHOLDER
            ),
        }

    def article_url(self, slug):
        before, after = self.urls["article"]
        return f"{before}{slug}{after}"

    def entity_url(self, slug):
        before, after = self.urls["entity"]
        return f"{before}{slug}{after}"

    def annotation_url(self, article_slug, pk):
        before, between, after = self.urls["annotation"]
        return f"{before}{article_slug}{between}{pk}{after}"


@dataclass(frozen=True)
class Drop:
    """Annotations a format leaves out: ``condition`` selects them, ``reason`` says why."""

    name: str
    reason: str
    condition: Q


ORPHANED = Drop(
    "orphaned",
    "an orphan's offsets no longer point at its words, and the format writes the text",
    Q(anchor_status=Annotation.AnchorStatus.ORPHANED),
)
WITHOUT_ENTITY = Drop(
    "without entity",
    "an IOB tag names an entity kind; an annotation without an entity has none",
    Q(entity__isnull=True),
)


def batched(pieces, length=None):
    """Yield ``pieces`` (all text or all bytes) as UTF-8 bytes, joined into chunks.

    Each chunk holds at least ``length`` (default ``CHUNK_LENGTH``) characters or bytes, the
    last one fewer; no pieces give no chunks. A piece is never split, so every chunk of text is
    whole UTF-8.
    """
    length = length or CHUNK_LENGTH
    batch, size = [], 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= length:
            yield joined(batch)
            batch, size = [], 0
    if batch:
        yield joined(batch)


def joined(batch):
    return b"".join(batch) if isinstance(batch[0], bytes) else "".join(batch).encode()


@dataclass(frozen=True)
class Format:
    """An export format: what it is called and served as, what it drops, and its writer."""

    name: str
    label: str
    extension: str
    content_type: str
    write: Callable[..., Iterable[str] | Iterable[bytes]]
    drops: tuple[Drop, ...] = ()

    def kept(self, annotations):
        """The annotations this format writes: all but those its ``drops`` select."""
        for drop in self.drops:
            annotations = annotations.exclude(drop.condition)
        return annotations

    def stream(self, annotations, context) -> Iterator[bytes]:
        """Yield the export of ``annotations`` as bytes, in chunks."""
        return batched(self.write(self.kept(annotations), context))

    def filename(self, moment=None):
        """The download's name, stamped with ``moment`` (default now) in the site's time zone."""
        local = timezone.localtime(moment, timezone.get_default_timezone())
        return f"randnotiz-annotations-{local:%Y%m%d-%H%M%S}.{self.extension}"

    def response(self, annotations, context):
        response = StreamingHttpResponse(
            self.stream(annotations, context), content_type=self.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
