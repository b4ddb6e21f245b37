"""Project-wide middleware: headers Django does not send, NUL refused, refused methods answered
before CSRF with a page, and pages for database failures."""

import logging
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control

from project.methods import allowed_methods, refusal_headers

logger = logging.getLogger(__name__)


def header_tokens(value):
    """Return the lower-case names in a comma-separated header (``max-age=0`` → ``max-age``)."""
    return {token.split("=")[0].strip().lower() for token in value.split(",") if token.strip()}


class SecurityHeadersMiddleware:
    """Add ``Permissions-Policy`` and ``Cross-Origin-Resource-Policy`` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class PrivateForSessionsMiddleware:
    """Mark every answer to a request with a session cookie ``Cache-Control: private``.

    Pages rendered for staff carry their "Annotate" link and a per-user ETag, and ``Vary:
    Cookie`` alone keeps them out of a shared cache only if that cache honours it; ``private``
    keeps them out of every shared cache (a CDN, a company proxy) whatever it does with Vary.
    The cookie decides, not the user: asking who is signed in would read the session from the
    database, which may be the very thing that is down (the 503 page must still go out). An
    answer that already says ``private`` or ``no-store`` (the admin's, the exports') keeps its
    own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kept_private = {"private", "no-store"} & header_tokens(response.get("Cache-Control", ""))
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not kept_private:
            patch_cache_control(response, private=True)
        return response


class RejectNulMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character.

    No URL of ours means anything with NUL in it, and PostgreSQL refuses NUL in text with an
    error where SQLite just finds nothing: refused here, before the page cache, the admin or a
    view builds a query from it, the answer is the same 400 on both databases and for every
    URL, ours or a library's. ``articleapp.params`` refuses it again in values that reach a
    view another way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\0" in request.path or "\0" in unquote(request.META.get("QUERY_STRING", "")):
            raise BadRequest("NUL character in the URL")
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """Refuse a method a view does not answer before CSRF does, and give the 405 a page.

    A view declared with ``project.methods.allow_methods`` (or ``read_only``) is answered 405
    with ``Allow`` here, in ``process_view``, which runs before ``CsrfViewMiddleware``'s: a
    Web Annotation client's PUT or a crawler's POST to a page that only reads learns that the
    method is not allowed, not that a CSRF token is missing. CSRF is not switched off anywhere;
    it still checks every method a view answers.

    Any empty 405 (this one, ``require_http_methods`` in views not declared so) gets
    ``405.html`` in the site's layout, keeping the headers of the answer it replaces: ``Allow``
    and those the view declared for its refusals. The layout asks who is signed in, which
    needs the database: without it the answer is the 503 page instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = allowed_methods(view_func)
        if allowed is not None and request.method not in allowed:
            response = HttpResponseNotAllowed(allowed)
            for name, value in refusal_headers(view_func).items():
                response[name] = value
            return response
        return None

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response
        try:
            page = render(request, "405.html", status=405)
        except DatabaseError:
            logger.error("Database unavailable on %s %s", request.method, request.path)
            return database_unavailable_response()
        for name, value in response.items():
            if name.lower() not in ("content-type", "content-length"):
                page[name] = value
        return page


class DatabaseErrorMiddleware:
    """Turn database failures that escape a view into clear answers instead of a 500.

    Unreachable database: 503 with ``Retry-After``. The page is a static template rendered
    without a request, so no context processor (user, messages) runs and nothing touches the
    database again. The connection that failed is discarded at the end of the request;
    ``CONN_HEALTH_CHECKS`` makes the next request reconnect, so the site recovers by itself.

    A constraint violated by a concurrent write (two editors creating the same annotation at the
    same moment, both passing the form's uniqueness check before either commits): 409. The
    view's transaction has been rolled back, so nothing was half-written; forms should catch
    this themselves with a friendlier message, this is the backstop.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, IntegrityError):
            logger.warning(
                "Conflicting write on %s %s: %s", request.method, request.path, exception
            )
            return conflict_response()
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error(
                "Database unavailable on %s %s: %s", request.method, request.path, exception
            )
            return database_unavailable_response()
        return None


def database_unavailable_response():
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def conflict_response():
    response = HttpResponse(loader.get_template("409.html").render(), status=409)
    response["Cache-Control"] = "no-store"
    return response
