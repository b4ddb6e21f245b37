"""Brotli or gzip for responses that hold no secret; every other response goes out as it is.

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
(see SECURITY.md). The admin, its sign-in page and the staff exports (which stream) are sent
uncompressed. Static files never reach this middleware: whitenoise serves the Brotli and gzip
files made at ``collectstatic``. Without a secret there is nothing for padding to protect, so
there is none, and a page compresses to the same bytes every time.

Brotli when the client accepts it, else gzip: Brotli at quality 5 costs what gzip at level 6
does and makes HTML a third smaller (the reading page of a 100-paragraph article with 1,000
notes: 77 kB against 114 kB; the seed article's 16 against 18 kB). Every compressible response
says ``Vary: Accept-Encoding``; a compressed one's ETag is the weak form of the plain one's, as
with Django's middleware.

A response may arrive here compressed already, with its ``Content-Encoding``: the page cache
stores reading pages so (``articleapp.pagecache``), because compressing a cached page on every
hit cost eight times the hit itself (1.2 against 0.14 ms of CPU for the seed page, in process
with local memory; 1.5 against 0.28 ms with Redis). Such a response goes out as it is to
clients that accept its encoding, and is decoded (and encoded again, if they take another) for
the others.
"""

import gzip
import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers

# Below this many bytes the encoding's header and the work are not worth it (Django's figure).
MIN_LENGTH = 200
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Content codings we send, in the order we prefer them.
CODINGS = {
    "br": (lambda content: brotli.compress(content, quality=BROTLI_QUALITY), brotli.decompress),
    "gzip": (lambda content: gzip.compress(content, GZIP_LEVEL, mtime=0), gzip.decompress),
}
# One coding of Accept-Encoding with its weight (RFC 9110 12.4.2): "br", "gzip;q=0.8", "*;q=0".
ACCEPTED = re.compile(
    r"\s*([A-Za-z0-9*-]+)\s*(?:;\s*q\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?\s*",
    re.IGNORECASE,
)


def holds_no_secret(request, response):
    """Tell whether ``response`` is for nobody in particular (see the module docstring)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not response.cookies


def accepted_coding(request):
    """Return the coding of ``CODINGS`` we prefer that the client accepts by name, or None
    (a wildcard, or a header we cannot read, gets the content as it is)."""
    accepted = set()
    for item in request.headers.get("Accept-Encoding", "").split(","):
        match = ACCEPTED.fullmatch(item)
        if match and float(match[2] or 1) > 0:
            accepted.add(match[1].lower())
    return next((coding for coding in CODINGS if coding in accepted), None)


def compress(content, coding):
    return CODINGS[coding][0](content)


def encode(response, content, coding):
    """Give ``response`` the ``content`` encoded with ``coding`` (None: plain)."""
    response.content = content
    response.headers["Content-Length"] = str(len(content))
    if coding is None:
        del response.headers["Content-Encoding"]
        return
    response.headers["Content-Encoding"] = coding
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag


class PublicCompressionMiddleware:
    """Compress responses that hold no secret with the best coding the client accepts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming:
            return response
        stored = response.get("Content-Encoding")
        if stored in CODINGS:
            return self.recode(request, response, stored)
        if stored or len(response.content) < MIN_LENGTH or not holds_no_secret(request, response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = accepted_coding(request)
        if coding is not None:
            compressed = compress(response.content, coding)
            if len(compressed) < len(response.content):
                encode(response, compressed, coding)
        return response

    @staticmethod
    def recode(request, response, stored):
        """Send content stored compressed as it is, or in the coding the client takes."""
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = accepted_coding(request)
        if coding == stored:
            encode(response, response.content, stored)
            return response
        plain = CODINGS[stored][1](response.content)
        encode(response, plain if coding is None else compress(plain, coding), coding)
        return response
