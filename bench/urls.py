"""The product's URLs plus the benchmark's yardsticks, under the same middleware.

- ``bench/hello/``: a fixed text, the cheapest page the server and middleware can give;
- ``bench/reading-queries/<slug>/``: the reading page's database work (its version stamp,
  ``load_reading`` and the related articles: six queries) answered with a fixed text, no
  template: the bound on how fast any rendering of that page could be.
"""

from django.http import HttpResponse
from django.urls import path

from articleapp import related
from articleapp.pagecache import stamp_from_database
from articleapp.views import load_reading
from project.urls import urlpatterns as product_urlpatterns


def hello(request):
    """Answer a fixed text: the cheapest page the same server and middleware can give."""
    return HttpResponse(b"Hello, World!", content_type="text/plain; charset=utf-8")


def reading_queries(request, slug):
    """Run the reading page's queries, render nothing, answer a fixed text."""
    stamp_from_database(slug)
    article, paragraphs = load_reading(slug)
    related.related_articles([article.pk])
    count = sum(len(paragraph.published_annotations) for paragraph in paragraphs)
    return HttpResponse(f"{article.pk}: {count}", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("bench/reading-queries/<slug:slug>/", reading_queries, name="bench-reading-queries"),
    *product_urlpatterns,
]
