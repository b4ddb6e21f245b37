"""Annotation exports: one module per format, each a generator over a streamed queryset.

The export page, the command and any admin action share these: ``FORMATS[name]`` gives a
``Format`` whose ``stream(annotations)`` yields text chunks and whose ``response()`` wraps them in
a ``StreamingHttpResponse``.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils import timezone

from articleapp.exports import csv, json


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    stream: Callable[[Iterable], Iterator[str]]

    def filename(self):
        return f"randnotiz-annotations-{timezone.now():%Y%m%d-%H%M%S}.{self.extension}"

    def response(self, annotations):
        response = StreamingHttpResponse(self.stream(annotations), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


FORMATS = {
    "csv": Format("csv", "csv", "text/csv; charset=utf-8", csv.stream),
    "json": Format("json", "json", "application/json; charset=utf-8", json.stream),
}
