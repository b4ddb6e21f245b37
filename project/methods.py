"""Which HTTP methods a view answers, declared on the view so that a refusal comes first.

``allow_methods("GET", "HEAD", "OPTIONS")`` is Django's ``require_http_methods`` with a mark on
the view (``allowed_methods``) that ``project.middleware.MethodNotAllowedMiddleware`` reads
before ``CsrfViewMiddleware`` judges the request. So a client that sends PUT, PATCH, DELETE or
POST to a URL that only reads gets 405 with ``Allow``, as HTTP and the Web Annotation Protocol
say, instead of a 403 about a CSRF token it could never have had. Nothing is exempted from
CSRF: every method a view does answer is checked as before (see SECURITY.md).
"""

from django.views.decorators.http import require_http_methods

ALLOWED_METHODS = "allowed_methods"
REFUSAL_HEADERS = "refusal_headers"


def allow_methods(*methods, headers=None):
    """Decorate a view that answers only ``methods``; any other is a 405 before CSRF.

    ``headers`` are sent with that 405 too: the Web Annotation container's ``Link`` types,
    which the protocol asks for on all its responses.
    """

    def decorator(view):
        guarded = require_http_methods(list(methods))(view)
        setattr(guarded, ALLOWED_METHODS, tuple(methods))
        setattr(guarded, REFUSAL_HEADERS, dict(headers or {}))
        return guarded

    return decorator


# For views that only read: Django's ``require_safe``, refused before CSRF.
read_only = allow_methods("GET", "HEAD")


def allowed_methods(view):
    """Return the methods ``view`` was declared to answer, or None if it declared none."""
    return getattr(view, ALLOWED_METHODS, None)


def refusal_headers(view):
    """Return the headers ``view`` declared for its 405, or an empty dict."""
    return getattr(view, REFUSAL_HEADERS, {})
