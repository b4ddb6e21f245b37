"""Fetch a web page for an import: bounded in time, size and redirects; every failure one line.

- Only ``http`` and ``https`` URLs, without a user name or password in them.
- ``settings.IMPORT_URL_TIMEOUT`` seconds for the whole fetch: connecting, the TLS handshake,
  the request, the status line, the headers, interim ``100 Continue`` answers, the body, and
  every redirect together. Each wait on the network may last only until that deadline (its
  socket timeout shrinks to the time left before every read and send), so a server that
  trickles a byte a second, at any point of its answer, is cut off at the deadline and the
  socket closed. Looking up the host name is left to the system's resolver and its timeouts.
- At most ``settings.IMPORT_MAX_BYTES``, the limit of imported files: a ``Content-Length`` above
  it is refused before the body is read, and a body that grows past it is cut off.
- At most ``MAX_REDIRECTS`` redirects, of which at most ``MAX_HOST_CHANGES`` lead to another
  host: ``http`` to ``https`` on the same host, or ``example.org`` to ``www.example.org``, is
  usual; a chain through several hosts is a tracker or a loop.
- No addresses of this machine or its private network (loopback, private, link-local,
  reserved, and those inside an IPv6 address: see ``articleapp.addresses``): an editor's URL
  must not reach services that only the server can see. The check is made on each address the
  connection is about to be made to, so a name that resolves differently the second time does
  not get past it, and no proxy is used, so that the address is the server's own.
  ``settings.IMPORT_URL_ALLOW_PRIVATE`` lifts it (tests fetch from a server on 127.0.0.1).
- Only HTML comes back (``text/html`` or ``application/xhtml+xml``); the charset the server
  declares is returned for ``extraction.decode``.
"""

import functools
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext, ngettext

from articleapp.addresses import is_public
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
    deadline = _Deadline(timeout)
    redirects = _Redirects(url)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _HTTPHandler(deadline), _HTTPSHandler(deadline), redirects
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
            data = _read(response, url)
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


def _read(response, url):
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

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The request that follows the redirect; the redirect's own body is closed unread.

        urllib reads that body to its end before it follows, whatever its size: a redirect
        that never ends would fill memory until the deadline.
        """
        followed = super().redirect_request(req, fp, code, msg, headers, newurl)
        if followed is not None:
            fp.close()
        return followed

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


class _Deadline:
    """The moment a fetch ends; every wait on its connections ends there too."""

    def __init__(self, seconds):
        self.at = time.monotonic() + seconds

    def remaining(self):
        """Seconds left; TimeoutError when there are none."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


class _Bounded:
    """A socket whose timeout, before each receive or send, is the time left to its deadline.

    A socket timeout bounds one wait, and http.client reads a status line or a header one
    receive at a time, each as long as the server likes to take for it: only the deadline
    bounds them together. ``deadline`` is set right after the socket is made.
    """

    deadline = None

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().sendall(*args, **kwargs)


class _BoundedSocket(_Bounded, socket.socket):
    pass


class _BoundedSSLSocket(_Bounded, ssl.SSLSocket):
    pass


@functools.cache
def _tls_context():
    """The system's certificates and checks, as urllib's own; its sockets are bounded."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    context.sslsocket_class = _BoundedSSLSocket
    return context


def _connect(host, port, deadline):
    """A TCP connection to the first address of ``host`` that answers, by the deadline.

    Each address is checked before it is connected to; the first that may not be fetched
    ends the attempt (a name with a private address among its public ones is refused).
    """
    error = OSError(f"no address found for {host}")
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        _check_address(host, sockaddr[0])
        sock = _BoundedSocket(family, kind, proto)
        sock.deadline = deadline
        try:
            sock.settimeout(deadline.remaining())
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error


def _check_address(host, address):
    """Raise _Refused if ``address`` (of ``host``) is this machine's or a private network's."""
    if settings.IMPORT_URL_ALLOW_PRIVATE or is_public(address.split("%")[0]):
        return
    raise _Refused(
        gettext(
            "%(host)s is an address of this machine or a private network (%(address)s); "
            "such pages are not fetched"
        )
        % {"host": host, "address": address}
    )


def _handshake(sock, host, deadline):
    """``sock`` wrapped in TLS for ``host``; the handshake, too, ends by the deadline."""
    try:
        wrapped = _tls_context().wrap_socket(
            sock, server_hostname=host, do_handshake_on_connect=False
        )
    except BaseException:
        sock.close()
        raise
    wrapped.deadline = deadline
    try:
        # The ssl module gives a whole handshake the socket's timeout, not each of its reads.
        wrapped.settimeout(deadline.remaining())
        wrapped.do_handshake()
    except BaseException:
        wrapped.close()
        raise
    return wrapped


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose socket is made here: to a checked address, bounded by the deadline.

    ``connect`` is http.client's public hook for that; no proxy tunnel is ever set up.
    """

    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self):
        self.sock = _connect(self.host, self.port, self.deadline)


class _HTTPSConnection(_HTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        self.sock = _handshake(self.sock, self.host, self.deadline)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(functools.partial(_HTTPConnection, deadline=self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(functools.partial(_HTTPSConnection, deadline=self.deadline), req)
