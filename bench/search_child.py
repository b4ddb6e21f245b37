"""Build a search corpus, or time searches on it, in this fresh process (figure 9).

Search reads every paragraph in the database, so each corpus size lives in a database of its own
(``<benchmark database>_search_<paragraphs>``) and is searched by a child process pointed at it:

- ``python -m bench.search_child build <paragraphs>`` migrates the database named by
  ``DATABASE_URL`` and fills it with ``<paragraphs>`` paragraphs, unless it already holds them;
- ``python -m bench.search_child time <repeat> <word> …`` runs ``articleapp.search.search`` for
  each word ``<repeat>`` times (after one untimed warm-up each) and prints the milliseconds of
  every run as JSON ``{word: [ms, …]}``.

The text is drawn in PostgreSQL from a vocabulary of 50,000 German-looking words with a
log-uniform (Zipf-like) rank distribution: the word of rank 1 is in ~98 % of paragraphs, rank 100
in ~5 %, rank 40,000 in about 1 of 7,000, so a corpus ten times larger has ten times the matches
of every word, as real text would.
"""

import importlib
import json
import os
import random
import sys
import time

VOCABULARY_SIZE = 50_000
WORDS_PER_PARAGRAPH = 60
SEED = 20250611
ARTICLE_SLUG = "bench-search"
# Ranks (1-based) of the words timed: the commonest word, a middling one, a rare one.
COMMON, MIDDLING, RARE = 1, 100, 40_000

# A table, not an array parameter: reading element i of a text[] walks the i - 1 before it.
VOCABULARY_SQL = """
CREATE TEMPORARY TABLE bench_vocabulary (rank int PRIMARY KEY, word text NOT NULL)
ON COMMIT DROP
"""
PARAGRAPHS_SQL = """
INSERT INTO articleapp_paragraph (article_id, position, text, version)
SELECT %(article)s, g,
       (SELECT string_agg(v.word, ' ')
        FROM (SELECT floor(exp(random() * ln(%(size)s)))::int AS rank
              FROM generate_series(1, %(words)s + 0 * g)) AS draw
        JOIN bench_vocabulary v ON v.rank = draw.rank) || '.',
       1
FROM generate_series(1, %(count)s) g
"""


def vocabulary():
    """Return the 50,000 distinct words, rank 1 first; the same on every machine."""
    from bench.data import SYLLABLES

    rng = random.Random(SEED)
    words, seen = [], set()
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def word_of_rank(rank):
    return vocabulary()[rank - 1]


def build(paragraphs):
    from django.core.management import call_command
    from django.db import connection, transaction

    from articleapp.models import Article

    stored = importlib.import_module("articleapp.migrations.0007_stored_search_vectors")
    table, _, index, _ = stored.COLUMNS[0]
    call_command("migrate", verbosity=0)
    article = Article.objects.filter(slug=ARTICLE_SLUG).first()
    if article is not None and article.paragraphs.count() == paragraphs:
        return
    with transaction.atomic():
        Article.objects.filter(slug=ARTICLE_SLUG).delete()
        article = Article.objects.create(slug=ARTICLE_SLUG, title="Suchtest", kicker="Benchmark")
        # Building the GIN index once after the rows is far faster than updating it per row.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {index}")
            cursor.execute(VOCABULARY_SQL)
            with cursor.copy("COPY bench_vocabulary (rank, word) FROM STDIN") as copy:
                for rank, word in enumerate(vocabulary(), start=1):
                    copy.write_row((rank, word))
            cursor.execute("ANALYZE bench_vocabulary")
            cursor.execute("SELECT setseed(0.5)")
            cursor.execute(
                PARAGRAPHS_SQL,
                {
                    "article": article.pk,
                    "size": VOCABULARY_SIZE,
                    "words": WORDS_PER_PARAGRAPH,
                    "count": paragraphs,
                },
            )
            # The deferred foreign-key checks must run before the index can be built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"CREATE INDEX {index} ON {table} USING gin ({stored.COLUMN})")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articleapp_paragraph")


def time_searches(repeat, words):
    from articleapp.search import clean_query, search

    timings = {}
    for word in words:
        query = clean_query(word)
        search(query)  # warm-up: connection, plan, the index pages this word needs
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            search(query)
            runs.append((time.perf_counter() - started) * 1000)
        timings[word] = runs
    print(json.dumps(timings))


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if len(argv) == 2 and argv[0] == "build":
        build(int(argv[1]))
    elif len(argv) >= 3 and argv[0] == "time":
        time_searches(int(argv[1]), argv[2:])
    else:
        sys.exit("usage: python -m bench.search_child build <paragraphs> | time <repeat> <word> …")


if __name__ == "__main__":
    main(sys.argv[1:])
