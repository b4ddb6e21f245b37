"""Gzip for responses that hold no secret; every other response goes out as it is.

BREACH-style attacks read a secret out of compressed responses sent over TLS: the attacker
makes the victim's browser request a page that reflects a guess (a search query) beside the
secret (a CSRF token, a draft) and watches the compressed length shrink when the guess is
right. Django's ``GZipMiddleware`` pads each response with random bytes in the gzip header
("Heal the Breach"), which makes the attack slower, not impossible. Randnotiz compresses only
what has no secret to read:

- the request carries no session cookie, so nobody is signed in and the page holds nothing of
  anyone's (no draft, no editor's link, nothing from the admin); and
- the response sets no cookie: a page that carries a CSRF token always sets the CSRF cookie
  (Django renews it whenever a token is used), so no form with a token is ever compressed.

Public pages (article list, reading pages, entities, tags, search, embeds, feeds, the
annotation container) meet both: they carry no CSRF token, since the language switcher has none
(see SECURITY.md). The admin, its sign-in page and the staff exports are sent uncompressed.
Static files never reach this middleware: whitenoise serves the gzip and Brotli files made at
``collectstatic``. Without a secret the random padding protects nothing, so it is left out.

A response may also arrive here already gzipped, with ``Content-Encoding: gzip``: the page cache
stores reading pages compressed (``articleapp.pagecache``), because compressing a cached page
on every hit cost eight times the hit itself (1.2 against 0.14 ms of CPU for the seed page, in
process with local memory; 1.5 against 0.28 ms with Redis). Such a response is sent as it is to
clients that accept gzip and decompressed for the others.
"""

import gzip

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Below this many bytes the gzip header and a round trip's worth of work are not worth it;
# Django's own threshold.
MIN_LENGTH = 200


def holds_no_secret(request, response):
    """Tell whether ``response`` is for nobody in particular (see the module docstring)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not response.cookies


def compress(content):
    """Return ``content`` gzipped as this middleware sends it: level 6, no padding, no time."""
    return compress_string(content)


def accepts_gzip(request):
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


class PublicGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware`` (``Vary: Accept-Encoding``, weak ETags, only when shorter),
    for responses that hold no secret, without the padding they do not need."""

    max_random_bytes = 0

    def process_response(self, request, response):
        if response.get("Content-Encoding") == "gzip" and not response.streaming:
            return self.negotiate(request, response)
        if not holds_no_secret(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def negotiate(request, response):
        """Send gzipped content as it is to a client that accepts gzip, else decompressed."""
        patch_vary_headers(response, ("Accept-Encoding",))
        if not accepts_gzip(request):
            response.content = gzip.decompress(response.content)
            del response.headers["Content-Encoding"]
            response.headers["Content-Length"] = str(len(response.content))
            return response
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        return response
