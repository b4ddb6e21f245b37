"""The product's URLs plus the benchmark's hello-world view, under the same middleware."""

from django.http import HttpResponse
from django.urls import path

from project.urls import urlpatterns as product_urlpatterns


def hello(request):
    """Answer a fixed text: the cheapest page the same server and middleware can give."""
    return HttpResponse(b"Hello, World!", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello, name="bench-hello"), *product_urlpatterns]
