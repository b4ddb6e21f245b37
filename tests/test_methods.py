"""Methods a view does not answer are refused with 405 and Allow before CSRF, for every public
URL, and CSRF still guards the methods a view does answer.

Django's test client skips CSRF unless asked, which is how the 403s these tests catch went
unseen: every client here enforces it.
"""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from project.methods import allow_methods, allowed_methods
from tests.support.url_patterns import url_templates

pytestmark = pytest.mark.django_db

UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
# Public URLs that accept a write: the language switcher (a cookie, no stored data; see
# SECURITY.md for why it needs no token).
WRITERS = {"set_language"}
CSRF_SECRET = "d" * 32


def public_templates():
    return [template for template in url_templates() if not template.prefix.startswith("/admin/")]


def some_url(template):
    """A URL of ``template`` that resolves: the view refuses the method before looking it up."""
    values = {}
    for parameter in template.parameters:
        values[parameter.name] = next(v for v in ["1", "x"] if parameter.accepts(v))
    return template.fill(values)


def test_every_public_url_declares_its_methods():
    """Each view outside the admin says which methods it answers, or is a known writer."""
    undeclared = [
        str(template)
        for template in public_templates()
        if allowed_methods(template.callback) is None and template.name not in WRITERS
    ]
    assert undeclared == []
    assert len(public_templates()) >= 12


@pytest.mark.parametrize("method", UNSAFE)
def test_refused_methods_are_405_with_allow_before_csrf(method):
    """PUT, PATCH, DELETE and POST without a CSRF token to a URL that does not take them: 405
    with Allow (a Web Annotation client must see that), never CSRF's 403."""
    client = Client(enforce_csrf_checks=True)
    checked = 0
    for template in public_templates():
        allowed = allowed_methods(template.callback)
        if allowed is None or method in allowed:
            continue
        url = some_url(template)
        response = client.generic(method, url, b'{"type": "Annotation"}', "application/json")
        assert response.status_code == 405, url
        assert response["Allow"] == ", ".join(allowed), url
        checked += 1
    assert checked >= 12


def echo(request):
    return HttpResponse(request.method)


# The project's URLs too: the 405 page links to them.
urlpatterns = [path("echo/", allow_methods("GET", "POST")(echo)), path("", include("project.urls"))]


@pytest.mark.urls(__name__)
def test_csrf_still_guards_the_methods_a_view_answers():
    """A view that takes POST gets CSRF's 403 without a token and the POST with one; a method
    it does not take is a 405 either way."""
    client = Client(enforce_csrf_checks=True)
    assert client.post("/echo/").status_code == 403
    client.cookies["csrftoken"] = CSRF_SECRET
    accepted = client.post("/echo/", {"csrfmiddlewaretoken": CSRF_SECRET})
    assert (accepted.status_code, accepted.content) == (200, b"POST")
    refused = client.put("/echo/")
    assert (refused.status_code, refused["Allow"]) == (405, "GET, POST")


def test_the_mark_survives_other_decorators():
    """Decorators that wrap with functools.wraps keep the declared methods visible."""
    from django.views.decorators.cache import never_cache

    view = never_cache(allow_methods("GET", "HEAD")(echo))
    assert allowed_methods(view) == ("GET", "HEAD")
    assert allowed_methods(echo) is None
