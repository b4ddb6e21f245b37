"""The figures of a site with many articles (issue 15), on the 1,000-article corpus (``corpus``).

Registered in the runner's ``REGISTRY`` when imported (``bench.run`` imports this module after
``bench.measurements``), as figures ``16a``-``16d``:

- 16a: the query counts of the article list, an entity page and search, at the corpus's far ends
  (first and 50th page; one article and 1,000; a word in one article and in all), each pair
  identical and within the counts the tests hold (list 3, entity page 6, search 7, narrowed 9;
  search takes one fewer when no entity matches the words, as here: no aliases to read);
- 16b: server time of the list's 45th page ÷ its first, and of the entity page of an entity in
  1,000 articles ÷ one in 20 (both show 20 articles), in-process as figure 3: a page does not
  grow with what it does not show. Page 45, not the last: both then list corpus articles (the
  last pages hold the undated ones, among them the benchmark's export corpora of up to 50,000
  annotations, whose counting is what such a page costs);
- 16c: search p95 for a word in every article ÷ a word in one (grouped by article, with facets),
  figure 9's bound;
- 16d: import throughput, paragraphs per second, of 1,000 articles through the importer.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.test import Client, override_settings

from articleapp import importer
from articleapp.models import Article
from bench import corpus, data
from bench.measurements import p95
from bench.pages import count_queries, page_seconds
from bench.ratio import interleave
from bench.registry import Figure, measurement, ratio_figure

IMPORT_SLUG_PREFIX = "bench-import-many-"
DEEP_PAGE = 45
# The counts tests/test_query_counts.py and tests/test_search.py hold.
LIST_QUERIES, ENTITY_QUERIES, SEARCH_QUERIES, NARROWED_QUERIES = 3, 6, 7, 9


def entity_path(slug, page=1):
    return f"/entities/{slug}/" + (f"?page={page}" if page > 1 else "")


def search_path(word, **filters):
    query = "&".join(f"{name}={value}" for name, value in {"q": word, **filters}.items())
    return f"/search/?{query}"


@measurement(
    "16a",
    "SQL queries on 1,000 articles: article list page 1 / 50; entity page, 10 mentions in 1 "
    "article / mentions in 1,000 articles (page 1 / 50); search, a word in 1 article / in all "
    "1,000 / narrowed to an entity's articles",
    "identical at each end; list ≤ 3, entity page ≤ 6, search ≤ 7 (≤ 9 narrowed)",
)
def corpus_query_counts(ctx):
    last_page = corpus.ARTICLES // 20
    pages = {
        "article list, page 1": "/",
        f"article list, page {last_page}": f"/?page={last_page}",
        "entity page, 10 mentions in 1 article": entity_path(data.mention_slug(10)),
        "entity page, 1,000 articles, page 1": entity_path(corpus.EVERYWHERE),
        f"entity page, 1,000 articles, page {last_page}": entity_path(corpus.EVERYWHERE, last_page),
        "search, a word in 1 article": search_path(corpus.rare_word(421)),
        "search, a word in 1,000 articles": search_path(corpus.COMMON_WORD),
        "search, narrowed to an entity's articles": search_path(
            corpus.COMMON_WORD, entity=corpus.TWENTY
        ),
    }
    counts = {name: count_queries(path) for name, path in pages.items()}
    values = list(counts.values())
    met = (
        values[0] == values[1] <= LIST_QUERIES
        and values[2] == values[3] == values[4] <= ENTITY_QUERIES
        and values[5] == values[6] <= SEARCH_QUERIES
        and values[7] <= NARROWED_QUERIES
    )
    return Figure(
        value=max(values),
        met=met,
        shown=" / ".join(str(value) for value in values),
        details={"counts": counts},
    )


@measurement(
    "16b",
    "server time on 1,000 articles: article list page 45 ÷ page 1; entity page of an entity in "
    "1,000 articles ÷ one in 20 (20 articles shown by both)",
    "≤ 1.5; ≤ 1.5",
)
def corpus_page_scaling(ctx):
    repeat = 5
    list_pairs = interleave(
        lambda: page_seconds(f"/?page={DEEP_PAGE}", repeat),
        lambda: page_seconds("/", repeat),
        ctx.sizes.pairs,
    )
    entity_pairs = interleave(
        lambda: page_seconds(entity_path(corpus.EVERYWHERE), repeat),
        lambda: page_seconds(entity_path(corpus.TWENTY), repeat),
        ctx.sizes.pairs,
    )
    figure = ratio_figure(
        list_pairs,
        lambda value: value <= 1.5 and entity_pairs.median <= 1.5,
        {"entity_pairs": entity_pairs.as_dict(), "requests_per_sample": repeat},
    )
    figure.shown = f"{list_pairs.median:.3g}; {entity_pairs.median:.3g}"
    return figure


def search_p95(path, repeat):
    """The p95 of ``repeat`` rendered GETs of a search page, in milliseconds."""
    client = Client()
    timings = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(path)  # warm-up, untimed
        for _ in range(repeat):
            started = time.perf_counter()
            if client.get(path).status_code != 200:
                raise RuntimeError(f"{path} did not answer 200")
            timings.append((time.perf_counter() - started) * 1000)
    return p95(timings)


@measurement(
    "16c",
    "search p95 on 1,000 articles, grouped by article with facets: a word in every article ÷ "
    "a word in one",
    "≤ 5",
)
def corpus_search(ctx):
    repeat = ctx.sizes.search_repeat
    common, rare = search_path(corpus.COMMON_WORD), search_path(corpus.rare_word(421))
    narrowed = search_path(corpus.COMMON_WORD, entity=corpus.TWENTY)
    pairs = interleave(
        lambda: search_p95(common, repeat), lambda: search_p95(rare, repeat), ctx.sizes.pairs
    )
    filter_pairs = interleave(
        lambda: search_p95(narrowed, repeat), lambda: search_p95(common, repeat), ctx.sizes.pairs
    )
    return ratio_figure(
        pairs,
        lambda value: value <= 5,
        {
            "p95_ms_common": round(statistics.median(pairs.a), 1),
            "p95_ms_rare": round(statistics.median(pairs.b), 1),
            "narrowed_by_entity_vs_common_pairs": filter_pairs.as_dict(),
            "requests_per_sample": repeat,
        },
    )


@measurement(
    "16d",
    "import of 1,000 articles of 8 paragraphs through the importer (files read, parsed, saved, "
    "stamps settled), paragraphs per second",
    "reported",
)
def corpus_import(ctx):
    text = data.article_file_text(corpus.PARAGRAPHS)
    Article.objects.filter(slug__startswith=IMPORT_SLUG_PREFIX).delete()
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for number in range(corpus.ARTICLES):
            path = Path(directory) / f"artikel-{number}.txt"
            # A title of its own for each, so that no two are the same article.
            path.write_text(text.replace("Ein Artikel", f"Artikel {number}", 1), encoding="utf-8")
            paths.append(path)
        started = time.perf_counter()
        for number, path in enumerate(paths):
            importer.import_file(path, slug=f"{IMPORT_SLUG_PREFIX}{number}")
        seconds = time.perf_counter() - started
    imported = Article.objects.filter(slug__startswith=IMPORT_SLUG_PREFIX)
    paragraphs = imported.values("paragraphs").count()
    if paragraphs != corpus.ARTICLES * corpus.PARAGRAPHS:
        expected = corpus.ARTICLES * corpus.PARAGRAPHS
        raise RuntimeError(f"imported {paragraphs} paragraphs, not {expected}")
    imported.delete()
    rate = paragraphs / seconds
    return Figure(
        value=rate,
        met=True,
        shown=f"{rate:,.0f} paragraphs/s ({seconds:.1f} s for {corpus.ARTICLES:,} articles)",
        details={"seconds": round(seconds, 2), "paragraphs": paragraphs},
    )
