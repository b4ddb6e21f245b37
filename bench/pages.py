"""The reading page's figures: its queries, its rate under gunicorn beside yardsticks, its bytes.

Registered before those of ``bench.measurements``, so the table lists them first.
"""

import gzip
import time
from html.parser import HTMLParser

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from articleapp.models import Article
from articleapp.reading import readings
from articleapp.seed import SEED_SLUG
from bench import data
from bench.ratio import WrkError, interleave, wrk
from bench.registry import SEED, Figure, measurement, ratio_figure
from bench.server import fetch

# --- 1: query counts ------------------------------------------------------------------------


def count_queries(url):
    """Return the number of SQL queries of one anonymous GET, the page cache off."""
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)


@measurement(
    "1",
    "SQL queries: reading page at 7/100/500 paragraphs (10 annotations each), read and then "
    "with its Reading kept by the process; entity page at 10/10,000 mentions",
    "identical at every size, ≤ 6",
    needs=("seed", "reading", "mentions"),
)
def query_counts(ctx):
    counts = {}
    readings.clear()
    for kept in ("", ", kept"):
        for paragraphs in ctx.sizes.reading_paragraphs:
            url = Article.objects.get(slug=f"bench-read-{paragraphs}").get_absolute_url()
            counts[f"reading page, {paragraphs} paragraphs{kept}"] = count_queries(url)
    for mentions in data.MENTION_COUNTS:
        counts[f"entity page, {mentions} mentions"] = count_queries(
            f"/entities/{data.mention_slug(mentions)}/"
        )
    groups = {"reading page": set(), "kept": set(), "entity page": set()}
    for name, count in counts.items():
        group = "kept" if name.endswith("kept") else name.split(",")[0]
        groups[group].add(count)
    worst = max(counts.values())
    values = list(counts.values())
    sizes = len(ctx.sizes.reading_paragraphs)
    return Figure(
        value=worst,
        met=all(len(group) == 1 for group in groups.values()) and worst <= 6,
        shown=(
            f"{' / '.join(map(str, values[:sizes]))} (kept: "
            f"{' / '.join(map(str, values[sizes : 2 * sizes]))}) / "
            f"{' / '.join(map(str, values[2 * sizes :]))}"
        ),
        details={"counts": counts},
    )


# --- 2-5, 12, 14: the server under wrk ------------------------------------------------------------


def server_ratio(ctx, server, path_a, path_b, headers_a=(), connections=8):
    base = ctx.server(server)
    # A page slower than the run would count nothing, so both sides of every pair get the run
    # length in which the slower side completes requests (found once, up to 8× the default).
    seconds = ctx.sizes.wrk_seconds
    while True:
        try:
            wrk(base + path_a, seconds, connections, headers_a)
            wrk(base + path_b, seconds, connections)
            break
        except WrkError:
            if seconds >= 8 * ctx.sizes.wrk_seconds:
                raise
            seconds *= 2
    return interleave(
        lambda: wrk(base + path_a, seconds, connections, headers_a),
        lambda: wrk(base + path_b, seconds, connections),
        ctx.sizes.pairs,
    )


def seed_path():
    return Article.objects.get(slug=SEED_SLUG).get_absolute_url()


@measurement(
    "2",
    "reading page (seed article) requests/s ÷ hello-world, same server and middleware",
    "≥ 0.5",
    needs=SEED,
)
def reading_vs_hello(ctx):
    pairs = server_ratio(ctx, "uncached", seed_path(), "/bench/hello/")
    return ratio_figure(pairs, lambda value: value >= 0.5)


@measurement(
    "2q",
    "what the reading page reads before it writes HTML (the article with its stamp: one query; "
    "its Reading, kept per process at that digest), answered with a fixed text "
    "(bench/urls.py), requests/s ÷ hello-world: the bound on figures 2 and 14 for any rendering",
    "reported",
    needs=SEED,
)
def reading_data_vs_hello(ctx):
    slug = Article.objects.get(slug=SEED_SLUG).slug
    pairs = server_ratio(ctx, "uncached", f"/bench/reading-data/{slug}/", "/bench/hello/")
    return ratio_figure(pairs, lambda value: True)


@measurement(
    "5m",
    "reading page with the page cache in each process's local memory (no REDIS_URL) ÷ "
    "hello-world: figure 5 without the Redis round trip",
    "reported",
    needs=SEED,
)
def locally_cached_reading_vs_hello(ctx):
    pairs = server_ratio(ctx, "cached-local", seed_path(), "/bench/hello/")
    return ratio_figure(pairs, lambda value: True, {"cache": "local memory"})


def page_seconds(url, repeat=1):
    """Time ``repeat`` rendered GETs of ``url`` in this process (bench settings, no page cache)."""
    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=0):
        started = time.perf_counter()
        for _ in range(repeat):
            if client.get(url).status_code != 200:
                raise RuntimeError(f"{url} did not answer 200")
    return time.perf_counter() - started


@measurement(
    "3",
    "reading page at 500 ÷ at 100 paragraphs (250 ÷ 50 in the quick run; 10 annotations each), "
    "server time per request",
    "≤ 5.5",
    needs=("seed", "reading"),
)
def reading_scaling(ctx):
    # Timed in-process rather than under wrk: one 500-paragraph request can outlast a short wrk
    # run on a loaded machine, and the figure is the server's time, not the network's.
    pairs = interleave(
        lambda: page_seconds(f"/articles/bench-read-{ctx.sizes.reading_paragraphs[-1]}/"),
        lambda: page_seconds(f"/articles/bench-read-{ctx.sizes.reading_paragraphs[-2]}/"),
        ctx.sizes.pairs,
    )
    return ratio_figure(pairs, lambda value: value <= 5.5)


@measurement(
    "4",
    "conditional GET answered 304 (If-None-Match) requests/s ÷ full page",
    "≥ 2",
    needs=SEED,
)
def conditional_get(ctx):
    url = ctx.server("uncached") + seed_path()
    status, headers, _ = fetch(url)
    etag = headers.get("ETag")
    if status != 200 or not etag:
        raise RuntimeError(f"the reading page answered {status} without an ETag")
    status, _, body = fetch(url, {"If-None-Match": etag})
    if status != 304 or body:
        raise RuntimeError(f"a matching If-None-Match was answered {status}, not an empty 304")
    pairs = server_ratio(ctx, "uncached", seed_path(), seed_path(), (f"If-None-Match: {etag}",))
    return ratio_figure(pairs, lambda value: value >= 2)


@measurement(
    "5",
    "reading page with the page cache on ÷ hello-world",
    "≥ 0.8",
    needs=SEED,
)
def cached_reading_vs_hello(ctx):
    pairs = server_ratio(ctx, "cached", seed_path(), "/bench/hello/")
    return ratio_figure(pairs, lambda value: value >= 0.8, {"cache": ctx.cache_backend})


# What Chromium sends: the page side of figures 5b and 14b asks for a compressed page, as every
# browser does, where wrk alone asks for none (project.compression then decodes a cached page).
BROWSER_ENCODINGS = ("Accept-Encoding: gzip, deflate, br, zstd",)


@measurement(
    "5b",
    "figure 5 with the page requested as a browser requests it (Accept-Encoding with br): the "
    "cached page sent as it is stored, Brotli, without decoding it",
    "≥ 0.8",
    needs=SEED,
)
def cached_reading_as_browsers_vs_hello(ctx):
    pairs = server_ratio(ctx, "cached", seed_path(), "/bench/hello/", BROWSER_ENCODINGS)
    return ratio_figure(pairs, lambda value: value >= 0.8, {"cache": ctx.cache_backend})


@measurement(
    "12",
    "static CSS through whitenoise requests/s ÷ hello-world",
    "≥ 1.0",
    needs=SEED,
)
def static_vs_hello(ctx):
    css = staticfiles_storage.url("articleapp/css/site.css")
    pairs = server_ratio(ctx, "uncached", css, "/bench/hello/")
    return ratio_figure(pairs, lambda value: value >= 1.0, {"path": css})


@measurement(
    "14",
    "rendered reading page (seed article, page cache off: each request reads the article and "
    "writes the whole page; the article's Reading, its rows and margin plan without HTML, kept "
    "per process at its digest) requests/s ÷ static CSS through whitenoise, same server",
    "≥ 0.05",
    needs=SEED,
)
def reading_vs_static(ctx):
    css_path = staticfiles_storage.url("articleapp/css/site.css")
    pairs = server_ratio(ctx, "uncached", seed_path(), css_path)
    return ratio_figure(pairs, lambda value: value >= 0.05, {"path": css_path})


@measurement(
    "14b",
    "figure 14 with the page requested as a browser requests it (Accept-Encoding with br): "
    "each render also compressed with Brotli (the CSS side as wrk asks for it)",
    "≥ 0.05",
    needs=SEED,
)
def reading_as_browsers_vs_static(ctx):
    css_path = staticfiles_storage.url("articleapp/css/site.css")
    pairs = server_ratio(ctx, "uncached", seed_path(), css_path, BROWSER_ENCODINGS)
    return ratio_figure(pairs, lambda value: value >= 0.05, {"path": css_path})


# --- 15: what the reading page weighs ---------------------------------------------------------


class Assets(HTMLParser):
    """Collect the stylesheets (``<link rel="stylesheet">``, those in ``<noscript>`` too) and
    scripts (``<script src>``) a page names."""

    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


def served_bytes(client, path, gzipped=False):
    """Return the body served for ``path``, gzip-encoded if asked and offered."""
    response = client.get(path, headers={"accept-encoding": "gzip"} if gzipped else {})
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def kilobytes(count):
    return f"{count / 1000:.1f} kB"


@measurement(
    "15",
    "bytes of the seed reading page: its HTML, every stylesheet and script it names, as served "
    "(whitenoise's gzip files) and, for the HTML, gzip -6 as a compressing proxy would send it",
    "reported",
    needs=SEED,
)
def page_weight(ctx):
    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=0):
        html = served_bytes(client, seed_path())
    assets = Assets()
    assets.feed(html.decode())
    sizes = {"HTML": [(seed_path(), len(html), len(gzip.compress(html, 6)))]}
    for kind, paths in (("CSS", assets.css), ("JavaScript", assets.js)):
        sizes[kind] = [
            (path, len(served_bytes(client, path)), len(served_bytes(client, path, True)))
            for path in paths
        ]
    shown = "; ".join(
        f"{kind} {kilobytes(sum(raw for _, raw, _ in files))} "
        f"(gzip {kilobytes(sum(packed for _, _, packed in files))}, {len(files)} "
        f"file{'s' if len(files) != 1 else ''})"
        for kind, files in sizes.items()
    )
    return Figure(
        value=sum(raw for files in sizes.values() for _, raw, _ in files),
        met=True,
        shown=shown,
        details={
            kind: {path: {"bytes": raw, "gzip": packed} for path, raw, packed in files}
            for kind, files in sizes.items()
        },
    )
