"""A URLconf for tests of the page cache: the reading view at another path, an unmarked copy of
it at its own, and marked views whose responses must not be shared."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from articleapp import views
from articleapp.pagecache import cached_reading_page
from project.urls import urlpatterns as project_urlpatterns

# How often each test view below ran, by name.
calls = []


def counted(name):
    def view(request, slug):
        calls.append(name)
        response = HttpResponse(f"{name} {slug}")
        if name == "csrf-token":
            get_token(request)
        elif name == "set-cookie":
            response.set_cookie("seen", "1")
        return response

    return view


unshared = {
    "csrf-token": counted("csrf-token"),
    "set-cookie": counted("set-cookie"),
    "private": cache_control(private=True)(counted("private")),
    "vary-accept-language": vary_on_headers("Accept-Language")(counted("vary-accept-language")),
    "plain": counted("plain"),
}

urlpatterns = [
    path("lesen/<slug:slug>/", views.article_detail, name="marked-elsewhere"),
    path("articles/<slug:slug>/", require_safe(views.article_detail.__wrapped__.__wrapped__)),
    *[
        path(f"test/{name}/<slug:slug>/", cached_reading_page(view), name=f"test-{name}")
        for name, view in unshared.items()
    ],
    *project_urlpatterns,
]
