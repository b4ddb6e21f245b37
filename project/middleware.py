"""Project-wide middleware: headers Django does not send, and the database-unavailable page."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)


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


class DatabaseUnavailableMiddleware:
    """Answer 503 with ``Retry-After`` when a view cannot reach the database.

    The page is a static template rendered without a request, so no context processor (user,
    messages) runs and nothing touches the database again. The connection that failed is
    discarded at the end of the request; ``CONN_HEALTH_CHECKS`` makes the next request
    reconnect, so the site recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()


def database_unavailable_response():
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
