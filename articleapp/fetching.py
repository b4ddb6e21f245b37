"""Fetch a web page for an import: bounded in time, size and redirects; every failure one line.

- Only ``http`` and ``https`` URLs, without a user name or password in them.
- ``settings.IMPORT_URL_TIMEOUT`` seconds for the whole fetch, checked after every read from
  the network, each of which waits at most as long: a server that trickles a byte a second is
  cut off all the same, after at most twice the timeout.
- At most ``settings.IMPORT_MAX_BYTES``, the limit of imported files: a ``Content-Length`` above
  it is refused before the body is read, and a body that grows past it is cut off.
- At most ``MAX_REDIRECTS`` redirects, of which at most ``MAX_HOST_CHANGES`` lead to another
  host: ``http`` to ``https`` on the same host, or ``example.org`` to ``www.example.org``, is
  usual; a chain through several hosts is a tracker or a loop.
- No addresses of this machine or its private network (loopback, private, link-local,
  reserved): an editor's URL must not reach services that only the server can see. The check
  is made on the address actually connected to, so a name that resolves differently the second
  time does not get past it, and no proxy is used, so that the address is the server's own.
  ``settings.IMPORT_URL_ALLOW_PRIVATE`` lifts it (tests fetch from a server on 127.0.0.1).
- Only HTML comes back (``text/html`` or ``application/xhtml+xml``); the charset the server
  declares is returned for ``extraction.decode``.
"""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext, ngettext

from articleapp.parsed import ArticleImportError

MAX_REDIRECTS = 5
MAX_HOST_CHANGES = 2
CHUNK_BYTES = 64 * 1024
# What may stand in a path or query as it is: RFC 3986's reserved and unreserved characters,
# and the percent sign of an escape already made.
URL_SAFE = "/:@!$&'()*+,;=-._~%"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
HEADERS = {
    "User-Agent": "Randnotiz-article-import/1",
    "Accept": "text/html,application/xhtml+xml;q=0.9",
    "Accept-Encoding": "identity",
}


class _Refused(ArticleImportError):
    """The connection went to an address that is not fetched; the message names it."""


@dataclass(frozen=True)
class Page:
    url: str  # where the page was found, after redirects
    data: bytes
    charset: str  # as the server declared it; empty when it did not


def check_url(url):
    """Raise ArticleImportError unless ``url`` is an http(s) URL this importer may fetch."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        raise ArticleImportError(gettext("%(url)s: is not a valid URL") % {"url": url}) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArticleImportError(
            gettext("%(url)s: is not a web address (expected http:// or https://)") % {"url": url}
        )
    if parts.username is not None or parts.password is not None:
        raise ArticleImportError(
            gettext("%(url)s: a URL with a user name or password is not fetched") % {"url": url}
        )
    if any(character.isspace() for character in url):
        raise ArticleImportError(gettext("%(url)r: a URL has no spaces") % {"url": url})


def ascii_url(url):
    """``url`` as it goes on the wire: an IDNA host, percent-encoded path and query.

    Editors paste addresses as browsers show them (``https://zeitung.example/Bürger``), which
    HTTP cannot send as they are; existing percent escapes are kept. The fragment is not sent.
    """
    parts = urlsplit(url)
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise ArticleImportError(gettext("%(url)s: is not a valid URL") % {"url": url}) from None
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = quote(parts.path, safe=URL_SAFE)
    query = quote(parts.query, safe=URL_SAFE + "?")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def fetch(url):
    """Return the HTML page at ``url``, or raise ArticleImportError saying why not."""
    check_url(url)
    address = ascii_url(url)
    timeout = settings.IMPORT_URL_TIMEOUT
    deadline = time.monotonic() + timeout
    redirects = _Redirects(url)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _HTTPHandler(), _HTTPSHandler(), redirects
    )
    request = urllib.request.Request(address, headers=HEADERS)
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = Message()
            content_type["content-type"] = response.headers.get("Content-Type", "")
            media_type = content_type.get_content_type()
            if response.headers.get("Content-Type") and media_type not in HTML_TYPES:
                raise ArticleImportError(
                    gettext("%(url)s: is not an HTML page (it is %(type)s)")
                    % {"url": url, "type": media_type}
                )
            data = _read(response, url, deadline)
            return Page(response.url, data, content_type.get_param("charset") or "")
    except _Refused as error:
        raise ArticleImportError(f"{url}: {error}") from None
    except urllib.error.HTTPError as error:
        error.close()
        raise ArticleImportError(
            gettext("%(url)s: the server answered %(code)d %(reason)s")
            % {"url": url, "code": error.code, "reason": error.reason}
        ) from None
    except urllib.error.URLError as error:
        raise ArticleImportError(f"{url}: {_reason(error.reason, timeout)}") from None
    except TimeoutError:
        raise ArticleImportError(f"{url}: {_reason(TimeoutError(), timeout)}") from None
    except (OSError, http.client.HTTPException) as error:
        raise ArticleImportError(f"{url}: {_reason(error, timeout)}") from None


def _read(response, url, deadline):
    limit = settings.IMPORT_MAX_BYTES
    too_large = gettext(
        "%(url)s: the page is larger than the import limit of %(limit)s bytes (set "
        "IMPORT_MAX_BYTES to allow more)"
    ) % {"url": url, "limit": f"{limit:,}"}
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise ArticleImportError(too_large)
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        # read1: one read from the network at most, so that the deadline is checked between
        # them (read() waits until it has the whole chunk, however slowly it comes).
        chunk = response.read1(min(CHUNK_BYTES, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise ArticleImportError(too_large)


def _reason(reason, timeout):
    """One line for why a connection failed."""
    if isinstance(reason, TimeoutError):
        return ngettext(
            "no answer within %(seconds)d second", "no answer within %(seconds)d seconds", timeout
        ) % {"seconds": timeout}
    if isinstance(reason, socket.gaierror):
        return gettext("the host name cannot be resolved")
    if isinstance(reason, ConnectionRefusedError):
        return gettext("the server refused the connection")
    if isinstance(reason, OSError) and reason.strerror:
        return gettext("cannot connect (%(reason)s)") % {"reason": reason.strerror}
    return gettext("cannot fetch the page (%(reason)s)") % {"reason": reason}


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) URLs only, counting them and the changes of host."""

    # urllib's own limits, above ours, so that ours speak first.
    max_redirections = max_repeats = MAX_REDIRECTS + 1

    def __init__(self, url):
        super().__init__()
        self.url = url
        self.hosts = [urlsplit(url).hostname]
        self.count = 0

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if location:
            self.check(urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def check(self, newurl):
        """Refuse the redirect to ``newurl`` if it is one too many, or not to the web."""
        self.count += 1
        if self.count > MAX_REDIRECTS:
            raise ArticleImportError(
                gettext("%(url)s: more than %(count)d redirects")
                % {"url": self.url, "count": MAX_REDIRECTS}
            )
        try:
            check_url(newurl)
        except ArticleImportError as error:
            raise ArticleImportError(
                gettext("%(url)s: redirects to %(error)s") % {"url": self.url, "error": error}
            ) from None
        host = urlsplit(newurl).hostname
        if host != self.hosts[-1]:
            self.hosts.append(host)
            if len(self.hosts) - 1 > MAX_HOST_CHANGES:
                chain = " → ".join(self.hosts)
                raise ArticleImportError(
                    gettext(
                        "%(url)s: redirects to another host more than %(count)d times (%(chain)s)"
                    )
                    % {"url": self.url, "count": MAX_HOST_CHANGES, "chain": chain}
                )


def _checked_connection(address, timeout=None, source_address=None, **kwargs):
    """``socket.create_connection``, refusing addresses only this machine should reach."""
    sock = socket.create_connection(address, timeout, source_address, **kwargs)
    peer = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
    if getattr(peer, "ipv4_mapped", None):
        peer = peer.ipv4_mapped
    if not settings.IMPORT_URL_ALLOW_PRIVATE and not peer.is_global:
        sock.close()
        raise _Refused(
            gettext(
                "%(host)s is an address of this machine or a private network (%(address)s); "
                "such pages are not fetched"
            )
            % {"host": address[0], "address": peer}
        )
    return sock


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=self._context)
