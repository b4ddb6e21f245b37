"""The figures of search, the gazetteer and the importer, after the reading page's and the exports'.

``bench.pages`` registers the reading page's figures first and ``bench.export_figures`` the
exports' next (importing them here keeps the order);
``bench.registry`` holds the registry the runner walks.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from articleapp import gazetteer, importer
from articleapp.models import Annotation, Article
from bench import data, export_figures, pages  # noqa: F401 (registered first, in this order)
from bench.ratio import Pairs, interleave
from bench.registry import Figure, measurement, ratio_figure

# --- 9: search --------------------------------------------------------------------------------


def search_database_url(paragraphs):
    """The URL of the database holding the ``paragraphs``-paragraph search corpus."""
    base = settings.DATABASES["default"]
    name = f"{base['NAME']}_search_{paragraphs}"
    user = base["USER"] or "postgres"
    return f"postgres://{user}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"


def search_child(paragraphs, *args):
    """Run ``bench.search_child`` against the corpus of ``paragraphs`` paragraphs."""
    env = {**os.environ, "DATABASE_URL": search_database_url(paragraphs)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.search_child", *map(str, args)],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.search_child {' '.join(map(str, args))}: {done.stderr[-2000:]}")
    return done.stdout


def ensure_search_corpus(paragraphs, log):
    url = search_database_url(paragraphs)
    name = url.rsplit("/", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone()
    if not exists:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    log(f"search corpus of {paragraphs:,} paragraphs in {name} …")
    search_child(paragraphs, "build", paragraphs)


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@measurement(
    "9",
    "search p95 at 1M ÷ 100k paragraphs (PostgreSQL, GIN); a common word's p95 ÷ a rare word's",
    "≤ 3; ≤ 5",
)
def search_scaling(ctx):
    from bench import search_child as corpus

    small, large = ctx.sizes.search_paragraphs
    for paragraphs in (small, large):
        ensure_search_corpus(paragraphs, ctx.log)
    words = [corpus.word_of_rank(rank) for rank in (corpus.COMMON, corpus.MIDDLING, corpus.RARE)]
    common, _, rare = words
    samples = {}

    def timings(paragraphs):
        runs = json.loads(search_child(paragraphs, "time", ctx.sizes.search_repeat, *words))
        samples.setdefault(paragraphs, []).append(runs)
        return p95([ms for word in words for ms in runs[word]])

    sizes = interleave(lambda: timings(large), lambda: timings(small), ctx.sizes.pairs)
    words_at_large = Pairs(
        a=[p95(runs[common]) for runs in samples[large]],
        b=[p95(runs[rare]) for runs in samples[large]],
    )
    by_word = {
        f"{paragraphs:,} paragraphs": {
            word: round(statistics.median(p95(runs[word]) for runs in samples[paragraphs]), 2)
            for word in words
        }
        for paragraphs in (small, large)
    }
    met = sizes.median <= 3 and words_at_large.median <= 5
    return Figure(
        value=sizes.median,
        met=met,
        shown=f"{sizes.median:.3g}; {words_at_large.median:.3g}",
        details={
            "paragraphs": [small, large],
            "words": dict(zip(("common", "middling", "rare"), words, strict=True)),
            "p95_ms_median": by_word,
            "sizes_pairs": sizes.as_dict(),
            "common_vs_rare_pairs": words_at_large.as_dict(),
        },
    )


# --- 10-11: the gazetteer ---------------------------------------------------------------------


def matcher_seconds(matcher, paragraphs):
    started = time.perf_counter()
    for text in paragraphs:
        matcher.find(text)
    return time.perf_counter() - started


def is_named_alone(matcher, forms, key):
    """Tell whether each name of entity ``key`` mentions that entity and no other."""
    names = [name for name, form_key in forms if form_key == key]
    return bool(names) and all(
        {mention.key for mention in matcher.find(name)} == {key} for name in names
    )


@measurement(
    "10a",
    "suggestions: Matcher time at 10k ÷ at 100 entities, same 500-paragraph text (mentioning "
    "entities of both), prebuilt",
    "≤ 2",
)
def matcher_entities(ctx):
    forms = data.gazetteer_forms(10_000)
    # The text names only entities both gazetteers hold, so both find the same mentions and the
    # ratio shows what the 9,900 extra names cost, not the extra mentions they would find. So the
    # 100 are entities whose names contain no other entity's name, and the filler names nobody.
    # (Until 2026-11-27 they did not: the large gazetteer found 3,105 mentions, the small 1,517.)
    large = gazetteer.Matcher(forms)
    alone = [key for key in range(len(forms)) if is_named_alone(large, forms, key)][:100]
    small_forms = [(name, key) for name, key in forms if key in set(alone)]
    text = data.suggestion_text(small_forms, 500, lowercase_filler=True)
    small = gazetteer.Matcher(small_forms)
    if [large.find(paragraph) for paragraph in text] != [small.find(p) for p in text]:
        raise RuntimeError("the two gazetteers find different mentions; the ratio would be unfair")
    pairs = interleave(
        lambda: matcher_seconds(large, text), lambda: matcher_seconds(small, text), ctx.sizes.pairs
    )
    return ratio_figure(pairs, lambda value: value <= 2)


@measurement(
    "10b",
    "suggestions: Matcher time on 10× the text (5,000 paragraphs) ÷ 1× (500), 10k entities",
    "8–12",
)
def matcher_text(ctx):
    forms = data.gazetteer_forms(10_000)
    text = data.suggestion_text(forms, 500)
    matcher = gazetteer.Matcher(forms)
    pairs = interleave(
        lambda: matcher_seconds(matcher, text * 10),
        lambda: matcher_seconds(matcher, text),
        ctx.sizes.pairs,
    )
    return ratio_figure(pairs, lambda value: 8 <= value <= 12)


@measurement(
    "11",
    "suggestions: a regex alternation ÷ the Aho-Corasick Matcher at 10k entities",
    "≥ 10",
)
def regex_vs_matcher(ctx):
    forms = data.gazetteer_forms(10_000)
    text = data.suggestion_text(forms, ctx.sizes.regex_paragraphs)
    matcher = gazetteer.Matcher(forms)
    if [m for p in text for m in gazetteer.regex_find(forms, p)] != [
        m for p in text for m in matcher.find(p)
    ]:
        raise RuntimeError("regex_find and Matcher disagree; the comparison would be unfair")

    def regex_seconds():
        started = time.perf_counter()
        for paragraph in text:
            gazetteer.regex_find(forms, paragraph)
        return time.perf_counter() - started

    pairs = interleave(regex_seconds, lambda: matcher_seconds(matcher, text), ctx.sizes.pairs)
    return ratio_figure(pairs, lambda value: value >= 10, {"paragraphs": len(text)})


# --- 13: import -------------------------------------------------------------------------------

IMPORT_SLUG = "bench-import-500"


def edit_tenth(text):
    """Return the article text with every tenth body paragraph edited (words added in front)."""
    blocks = text.split("\n\n")
    head, body, tail = blocks[:2], blocks[2:-1], blocks[-1:]
    body = [f"Nachtrag: {block}" if index % 10 == 0 else block for index, block in enumerate(body)]
    return "\n\n".join([*head, *body, *tail])


def annotate_imported(article):
    """Give each paragraph 5 published annotations (not timed), so re-import re-anchors them."""
    from articleapp import anchoring

    annotations = []
    for paragraph in article.paragraphs.all():
        for k in range(5):
            start = k * data.SPAN_STEP
            quote = anchoring.capture(paragraph.text, start, start + data.SPAN_LENGTH)
            annotations.append(
                Annotation(
                    paragraph=paragraph,
                    start=start,
                    end=start + data.SPAN_LENGTH,
                    quote=quote.exact,
                    published_quote=quote.exact,
                    prefix=quote.prefix,
                    suffix=quote.suffix,
                    status=Annotation.Status.PUBLISHED,
                )
            )
    Annotation.objects.bulk_create(annotations)


@measurement(
    "13",
    "import of a 500-paragraph article (50 in the quick run); re-import after editing 10 % of "
    "paragraphs "
    "(5 annotations a paragraph re-anchored) ÷ first import",
    "reported; re-import ≤ 2× first import",
)
def import_figure(ctx):
    text = data.article_file_text(ctx.sizes.import_paragraphs)
    with tempfile.TemporaryDirectory() as directory:
        first_path = Path(directory) / "article.txt"
        edited_path = Path(directory) / "article-edited.txt"
        first_path.write_text(text, encoding="utf-8")
        edited_path.write_text(edit_tenth(text), encoding="utf-8")
        firsts, reimports = [], []
        for _ in range(ctx.sizes.pairs):
            Article.objects.filter(slug=IMPORT_SLUG).delete()
            started = time.perf_counter()
            article, created = importer.import_file(first_path, slug=IMPORT_SLUG)
            firsts.append(time.perf_counter() - started)
            annotate_imported(article)
            started = time.perf_counter()
            importer.import_file(edited_path, slug=IMPORT_SLUG)
            reimports.append(time.perf_counter() - started)
            # The first annotation of an edited paragraph moved behind the added "Nachtrag: ".
            moved = Annotation.objects.filter(
                paragraph__article=article, paragraph__text__startswith="Nachtrag: ", start=10
            )
            if not created or not moved.exists():
                raise RuntimeError("the re-import did not re-anchor the edited paragraphs")
        Article.objects.filter(slug=IMPORT_SLUG).delete()
    pairs = Pairs(a=reimports, b=firsts)
    first = sorted(firsts)[len(firsts) // 2]
    figure = ratio_figure(pairs, lambda value: value <= 2, {"first_import_seconds": first})
    figure.shown = f"{pairs.median:.2f} (first import {first:.2f} s)"
    return figure
