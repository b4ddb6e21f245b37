"""The product's URLs plus the benchmark's yardsticks, under the same middleware.

- ``bench/hello/``: a fixed text, the cheapest page the server and middleware can give;
- ``bench/reading-data/<slug>/``: what the reading page reads before it writes any HTML (the
  article with its version stamp, one query, then ``reading.reading_of``: the process's
  ``Reading`` at that digest, or five queries more) answered with a fixed text: the bound on
  how fast any rendering of that page could be.
"""

from django.http import Http404, HttpResponse
from django.urls import path

from articleapp.pagecache import article_and_stamp
from articleapp.reading import reading_of
from project.urls import urlpatterns as product_urlpatterns


def hello(request):
    """Answer a fixed text: the cheapest page the same server and middleware can give."""
    return HttpResponse(b"Hello, World!", content_type="text/plain; charset=utf-8")


def reading_data(request, slug):
    """Read what the reading page reads, render nothing, answer a fixed text."""
    article, _ = article_and_stamp(slug)
    if article is None:
        raise Http404
    page = reading_of(article)
    return HttpResponse(
        f"{article.pk}: {page.annotation_count}", content_type="text/plain; charset=utf-8"
    )


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("bench/reading-data/<slug:slug>/", reading_data, name="bench-reading-data"),
    *product_urlpatterns,
]
