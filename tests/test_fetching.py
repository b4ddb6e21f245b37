import itertools
import time

import pytest
from django.utils import translation

from articleapp import fetching
from articleapp.parsed import ArticleImportError
from tests.support.stalling import stalling_server
from tests.support.webpages import SEED_PAGE, Response, page, page_server, redirect

# Other names of 127.0.0.1, so that a redirect goes "to another host" on this machine.
HOSTS = ["localhost", "127.1", "127.0.1"]


@pytest.fixture(autouse=True)
def local_pages(settings):
    """The test server is on 127.0.0.1, which imports refuse by default; messages in English,
    as the command prints them."""
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    settings.IMPORT_URL_TIMEOUT = 5
    with translation.override("en"):
        yield


def failure(url):
    with pytest.raises(ArticleImportError) as error:
        fetching.fetch(url)
    message = str(error.value)
    assert "\n" not in message and message.startswith(url)
    return message


def test_fetches_a_page_with_its_charset_and_final_address():
    """A page behind a redirect on the same host: its bytes, where it was, its charset."""
    routes = {"/alt": redirect("/artikel.html", 301), "/artikel.html": page(SEED_PAGE)}
    with page_server(routes) as (base, _):
        fetched = fetching.fetch(f"{base}/alt")
    assert fetched.data == SEED_PAGE.read_bytes()
    assert fetched.url == f"{base}/artikel.html"
    assert fetched.charset == "utf-8"


def test_an_address_as_a_browser_shows_it():
    """Umlauts in the path are sent percent-encoded, escapes already made are kept, and a
    host name in another script is sent in IDNA."""
    routes = {"/B%C3%BCrger/a%20b?q=%C3%A4": page(SEED_PAGE)}
    with page_server(routes) as (base, _):
        assert fetching.fetch(f"{base}/Bürger/a%20b?q=ä#absatz").data == SEED_PAGE.read_bytes()
    assert fetching.ascii_url("https://bürger.example/x") == "https://xn--brger-kva.example/x"


def test_two_changes_of_host_are_followed():
    """127.0.0.1 → localhost → 127.1: two other hosts, as a site's www. and https moves go."""
    routes = {}
    with page_server(routes) as (base, port):
        routes["/a"] = redirect(f"http://{HOSTS[0]}:{port}/b")
        routes["/b"] = redirect(f"http://{HOSTS[1]}:{port}/c")
        routes["/c"] = page(SEED_PAGE)
        assert fetching.fetch(f"{base}/a").url == f"http://{HOSTS[1]}:{port}/c"


def test_a_third_change_of_host_is_refused():
    """A chain through three other hosts is a tracker or a loop: one line naming them."""
    routes = {}
    with page_server(routes) as (base, port):
        routes["/a"] = redirect(f"http://{HOSTS[0]}:{port}/b")
        routes["/b"] = redirect(f"http://{HOSTS[1]}:{port}/c")
        routes["/c"] = redirect(f"http://{HOSTS[2]}:{port}/d")
        routes["/d"] = page(SEED_PAGE)
        message = failure(f"{base}/a")
    assert "redirects to another host more than 2 times" in message
    assert "127.0.0.1 → localhost → 127.1 → 127.0.1" in message


def test_a_redirect_loop_ends():
    """A page that redirects to itself is given up after five redirects."""
    with page_server({"/kreis": redirect("/kreis")}) as (base, _):
        assert "more than 5 redirects" in failure(f"{base}/kreis")


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"]
)
def test_a_redirect_away_from_the_web_is_refused(location):
    """Only http and https are followed."""
    with page_server({"/weg": redirect(location)}) as (base, _):
        assert "is not a web address" in failure(f"{base}/weg")


def test_an_error_status_is_named():
    """A 404 is one line with the status the server gave."""
    with page_server({}) as (base, _):
        assert "the server answered 404 Not Found" in failure(f"{base}/fehlt")


def test_a_page_that_is_not_html_is_refused():
    """A PDF is not read at all."""
    routes = {"/datei.pdf": Response(b"%PDF-1.7", content_type="application/pdf")}
    with page_server(routes) as (base, _):
        assert "is not an HTML page (it is application/pdf)" in failure(f"{base}/datei.pdf")


def test_a_declared_length_over_the_limit_is_refused_before_reading(settings):
    """Content-Length above IMPORT_MAX_BYTES: refused, naming the setting."""
    settings.IMPORT_MAX_BYTES = 1000
    with page_server({"/gross": Response(b"x" * 1001)}) as (base, _):
        message = failure(f"{base}/gross")
    assert "larger than the import limit of 1,000 bytes" in message
    assert "IMPORT_MAX_BYTES" in message


def test_a_body_growing_over_the_limit_is_cut_off(settings):
    """Without a Content-Length the body is read up to the limit and no further."""
    settings.IMPORT_MAX_BYTES = 1000
    routes = {"/gross": Response(b"<p>" + b"x" * 5000, send_length=False)}
    with page_server(routes) as (base, _):
        assert "larger than the import limit" in failure(f"{base}/gross")


def test_a_trickling_server_is_cut_off_at_the_timeout(settings):
    """A byte every 0.2 s for 200 bytes would take 40 s; the fetch gives up after about 1 s."""
    settings.IMPORT_URL_TIMEOUT = 1
    routes = {"/langsam": Response(b"<p>" + b"x" * 197, chunk_delay=0.2)}
    started = time.monotonic()
    with page_server(routes) as (base, _):
        assert "no answer within 1 second" in failure(f"{base}/langsam")
    assert time.monotonic() - started < 5


def trickled(data):
    return (data[offset : offset + 1] for offset in range(len(data)))


# Each comes faster than the timeout and would go on for 50 s (the server gives up at 10 s).
SLOW_ANSWERS = {
    "status line": lambda: trickled(b"HTTP/1.1 200 " + b"O" * 1000),
    "headers": lambda: itertools.chain(
        [b"HTTP/1.1 200 OK\r\n"], trickled(b"X-Langsam: " + b"a" * 1000)
    ),
    "100 Continue": lambda: itertools.repeat(b"HTTP/1.1 100 Continue\r\n\r\n", 1000),
    # A TLS record header announcing 16 kB, then the 16 kB: the handshake waits for all.
    "TLS handshake": lambda: trickled(b"\x16\x03\x03\x40\x00" + bytes(16384)),
}
# Generous for a loaded machine; without one deadline for the whole fetch it takes 10 s.
WITHIN = 2.5


@pytest.mark.parametrize("answer", SLOW_ANSWERS, ids=list(SLOW_ANSWERS))
def test_a_slow_answer_ends_at_the_deadline(settings, answer):
    """A byte every 0.05 s never trips the per-read timeout; the fetch still ends after its
    timeout, in one line, and hangs up."""
    settings.IMPORT_URL_TIMEOUT = 1
    scheme = "https" if answer.startswith("TLS") else "http"
    with stalling_server(SLOW_ANSWERS[answer](), delay=0.05, scheme=scheme) as stall:
        started = time.monotonic()
        message = failure(stall.url)
        elapsed = time.monotonic() - started
        hung_up = stall.hung_up.wait(1)
    assert elapsed < WITHIN
    assert "no answer within 1 second" in message
    assert hung_up, "the socket was left open"


def test_redirects_share_the_deadline(settings):
    """Five redirects, each answered after 0.3 s: the timeout counts them all together."""
    settings.IMPORT_URL_TIMEOUT = 1
    routes = {
        f"/{hop}": Response(status=302, headers={"Location": f"/{hop + 1}"}, answer_delay=0.3)
        for hop in range(5)
    }
    routes["/5"] = page(SEED_PAGE)
    with page_server(routes) as (base, _):
        started = time.monotonic()
        assert "no answer within 1 second" in failure(f"{base}/0")
        assert time.monotonic() - started < WITHIN


def test_a_redirect_is_followed_without_reading_its_body(settings):
    """A redirect whose body never ends: followed at once, its body left unread (urllib
    would read all of it, whatever its size, before following)."""
    settings.IMPORT_URL_TIMEOUT = 2
    with page_server({"/artikel.html": page(SEED_PAGE)}) as (base, _):
        answer = (
            f"HTTP/1.1 302 Found\r\nLocation: {base}/artikel.html\r\n"
            "Content-Length: 10000000000\r\n\r\n"
        ).encode()
        body = itertools.repeat(b"x" * 65536)
        with stalling_server(itertools.chain([answer], body), delay=0.001) as stall:
            started = time.monotonic()
            fetched = fetching.fetch(stall.url)
            elapsed = time.monotonic() - started
    assert fetched.data == SEED_PAGE.read_bytes()
    assert elapsed < 1.5


def test_a_closed_port_is_a_refused_connection():
    """Nothing listening: one line, no traceback."""
    with page_server({}) as (_, port):
        pass
    assert "refused the connection" in failure(f"http://127.0.0.1:{port}/")


def test_addresses_of_this_machine_are_refused_by_default(settings):
    """Without IMPORT_URL_ALLOW_PRIVATE an editor's URL cannot reach local services."""
    settings.IMPORT_URL_ALLOW_PRIVATE = False
    with page_server({"/a": page(SEED_PAGE)}) as (_, port):
        for host in ["127.0.0.1", "localhost"]:
            message = failure(f"http://{host}:{port}/a")
            assert "address of this machine or a private network" in message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a.html", "is not a web address"),
        ("file:///etc/passwd", "is not a web address"),
        ("example.org/artikel", "is not a web address"),
        ("https://nutzer:geheim@example.org/", "user name or password"),
        ("https://example.org:99999/", "is not a valid URL"),
        ("https://example.org/mit leerzeichen", "a URL has no spaces"),
    ],
)
def test_urls_that_are_not_fetched(url, message):
    """Each is refused before any connection, in one line."""
    with pytest.raises(ArticleImportError, match=message):
        fetching.check_url(url)


# Each is 10.0.0.1 or 127.0.0.1 inside an IPv6 address (see tests/test_addresses.py).
@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a00:1",
        "64:ff9b:1::7f00:1",
        "2002:a00:1::1",
        "::a00:1",
        "::ffff:7f00:1",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",
        "fec0::1",
    ],
)
def test_private_networks_inside_ipv6_addresses_are_refused(settings, address):
    """NAT64, 6to4, IPv4-compatible and -mapped, Teredo and site-local: refused by default,
    before any connection is made."""
    settings.IMPORT_URL_ALLOW_PRIVATE = False
    assert "address of this machine or a private network" in failure(f"http://[{address}]:9/")
