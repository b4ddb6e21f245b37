"""Annotation exports: one module per format, each a generator over a streamed queryset.

The export page, the command and the annotation container share these: ``FORMATS[name]`` gives a
``Format`` whose ``stream(annotations, context)`` yields text (or, for brat, bytes) chunks and
whose ``response()`` wraps them in a ``StreamingHttpResponse``. ``ExportContext`` carries what a
format needs beyond the rows: the absolute base URL for links, whether editors' user names may be
shown (staff exports: yes; the public container: no) and an optional progress callback.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articleapp.exports import brat, conll, csv, json, jsonl, w3c
from articleapp.urlpieces import SLUG_PLACEHOLDER, url_pieces

# An annotation's id in its URL while it is reversed (``urlpieces.url_pieces``): one reverse()
# per export instead of one per row (and an f-string, four times quicker than format).
PK_PLACEHOLDER = 918273645546372819


@dataclass(frozen=True)
class ExportContext:
    """Absolute links for an export: ``base_url`` is scheme and host, e.g. https://example.org."""

    base_url: str
    collection_url: str = ""
    include_authors: bool = False
    progress: Callable[[int], None] | None = None

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
class Format:
    name: str
    label: str
    extension: str
    content_type: str
    stream: Callable[[Iterable, ExportContext], Iterator]

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


FORMATS = {
    format.name: format
    for format in (
        Format("csv", "CSV", "csv", "text/csv; charset=utf-8", csv.stream),
        Format("csv-excel", _("CSV for Excel"), "csv", "text/csv; charset=utf-8", csv.stream_excel),
        Format("json", "JSON", "json", "application/json; charset=utf-8", json.stream),
        Format("jsonl", "JSON Lines", "jsonl", "application/jsonl; charset=utf-8", jsonl.stream),
        Format("w3c", "W3C Web Annotation (JSON-LD)", "jsonld", w3c.CONTENT_TYPE, w3c.stream),
        Format("conll", "CoNLL-2003 IOB", "conll", "text/plain; charset=utf-8", conll.stream),
        Format("brat", "brat standoff (zip)", "zip", "application/zip", brat.stream),
    )
}
