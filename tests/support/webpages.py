"""The HTML pages the import tests read, and a web server on 127.0.0.1 that serves them.

``tests/fixtures/pages/``: a news page around the seed article with heavy boilerplate
(navigation, JSON-LD, a cookie banner, comments, related links, a footer), a blog post in an
AMP-like layout, an article split by ads and "Lesen Sie auch" boxes, and a page without an
article. Written for these tests; the sites and people in them are made up, the seed article's
text excepted.

``page_server(routes)`` serves ``{path: Response}`` from a thread (``http.server``) for as long
as the ``with`` block runs; nothing leaves this machine.
"""

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SEED_PAGE = PAGES / "news-seed-article.html"
BLOG_PAGE = PAGES / "amp-blog-post.html"
ADS_PAGE = PAGES / "article-with-ads.html"
NO_ARTICLE_PAGE = PAGES / "no-article.html"
SEED_PAGE_URL = (
    "https://technikbote.example/news/"
    "ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech-10451.html"
)
SEED_TITLE = "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech"
HTML = "text/html; charset=utf-8"


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    content_type: str = HTML
    headers: dict = field(default_factory=dict)
    chunk_delay: float = 0.0  # seconds between bytes, for a server that trickles
    answer_delay: float = 0.0  # seconds before the status line, for a server slow to answer
    send_length: bool = True


def page(path, status=200):
    """A Response with the content of the fixture ``path``."""
    return Response(Path(path).read_bytes(), status)


def redirect(location, status=302):
    return Response(status=status, headers={"Location": location}, content_type="")


@contextlib.contextmanager
def page_server(routes):
    """Serve ``routes`` on 127.0.0.1; yield ``(base_url, port)``. Unknown paths are 404s."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- http.server's name
            response = routes.get(self.path) or Response(b"Nicht gefunden", 404, "text/plain")
            time.sleep(response.answer_delay)
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.send_length:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            try:
                if response.chunk_delay:
                    for offset in range(len(response.body)):
                        self.wfile.write(response.body[offset : offset + 1])
                        self.wfile.flush()
                        time.sleep(response.chunk_delay)
                else:
                    self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
