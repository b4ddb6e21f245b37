"""A synthetic corpus of 1,000 articles, for the figures of a site with many articles (issue 15).

Each article has ``PARAGRAPHS`` paragraphs of the shared synthetic text, a source, a date (every
50th is undated) and two published annotations a paragraph. The first names ``EVERYWHERE``, an
entity every article mentions; the second paragraph of every 50th article names ``TWENTY``, an
entity mentioned in 20 articles; the others name one of ``POOL`` entities drawn with a skew, a
few topics in many articles and most in few, so that related articles share more or less. Every
paragraph holds ``COMMON_WORD``; the first paragraph of article ``n`` holds ``rare_word(n)``,
found there alone. Every fourth annotation carries a tag of the benchmark's pool, every third
second annotation a comment.

The rows are written with SQL, as the other large datasets are; then
``invalidation.touch_articles`` settles the articles' stamps and their ``ArticleEntity`` rows,
as every writer without model signals must.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from articleapp import invalidation
from articleapp.models import Annotation, Article, Entity
from bench import data

ARTICLES = 1000
PARAGRAPHS = 8
POOL = 200
SLUG_PREFIX = "bench-many-"
EVERYWHERE = "bench-ueberall"
TWENTY = "bench-zwanzigmal"
COMMON_WORD = "Sammelwort"
SOURCES = ["heise online", "tagesschau.de", "Le Monde", "Der Standard", "netzpolitik.org"]
FIRST_DAY = datetime.date(2023, 1, 1)

ARTICLES_SQL = """
INSERT INTO articleapp_article
    (slug, title, kicker, byline, source_name, source_url, published_on, language, created_at,
     updated_at, reader_digest, content_digest, card_digest)
SELECT %(prefix)s || lpad(n::text, 4, '0'), 'Artikel ' || n || ' des Korpus', 'Benchmark',
       'bench', (%(sources)s::text[])[1 + n %% cardinality(%(sources)s::text[])], '',
       CASE WHEN n %% 50 = 0 THEN NULL ELSE %(first_day)s::date + n END, 'de',
       %(created)s, %(created)s, '', '', ''
FROM generate_series(1, %(articles)s) n
"""

PARAGRAPHS_SQL = """
INSERT INTO articleapp_paragraph (article_id, position, text, version)
SELECT a.id, g,
       (%(texts)s::text[])[1 + (a.id * 8 + g) %% cardinality(%(texts)s::text[])]
       || ' ' || %(common)s
       || CASE WHEN g = 1 THEN ' Einzelwort' || substr(a.slug, %(number_from)s) ELSE '' END,
       1
FROM articleapp_article a CROSS JOIN generate_series(1, %(paragraphs)s) g
WHERE a.slug LIKE %(prefix)s || '%%'
"""

# n: the article's number; the pool entity's index is skewed towards the first ones (r²).
ANNOTATIONS_SQL = """
INSERT INTO articleapp_annotation
    (paragraph_id, start, "end", quote, prefix, suffix, entity_id, comment, status, author_id,
     created_at, updated_at, anchor_status, is_suggestion, published_quote, version)
SELECT p.id, k * 12, k * 12 + 10,
       substr(p.text, k * 12 + 1, 10),
       substr(p.text, greatest(k * 12 - 32, 0) + 1, k * 12 - greatest(k * 12 - 32, 0)),
       substr(p.text, k * 12 + 11, 32),
       CASE WHEN p.position = 1 AND k = 0 THEN %(everywhere)s
            WHEN p.position = 2 AND k = 0 AND n %% 50 = 0 THEN %(twenty)s
            ELSE (%(pool)s::bigint[])[
                1 + floor(cardinality(%(pool)s::bigint[])
                * power(((n * 7919 + p.position * 104729 + k * 1299709) %% 1000) / 1000.0, 2))::int]
       END,
       CASE WHEN k = 1 AND p.position %% 3 = 0 THEN 'Anmerkung zu Absatz ' || p.position
            ELSE '' END,
       'published', NULL, %(created)s, %(created)s, 'anchored', false,
       substr(p.text, k * 12 + 1, 10), 1
FROM articleapp_paragraph p
JOIN (SELECT id, substr(slug, %(number_from)s)::int AS n FROM articleapp_article
      WHERE slug LIKE %(prefix)s || '%%') a ON a.id = p.article_id
CROSS JOIN generate_series(0, 1) k
"""

TAGS_SQL = """
INSERT INTO taggit_taggeditem (tag_id, content_type_id, object_id)
SELECT (%(tags)s::bigint[])[1 + an.id %% cardinality(%(tags)s::bigint[])], %(content_type)s, an.id
FROM articleapp_annotation an
JOIN articleapp_paragraph p ON p.id = an.paragraph_id
JOIN articleapp_article a ON a.id = p.article_id
WHERE a.slug LIKE %(prefix)s || '%%' AND an.id %% 4 = 0
"""


def rare_word(number):
    """The word only the first paragraph of article ``number`` (1 to ``ARTICLES``) holds."""
    return f"Einzelwort{number:04d}"


def build():
    """Write the corpus (see the module's docstring) and settle its stamps."""
    _, tag_ids = data.entity_and_tag_pool()
    everywhere = Entity.objects.create(name="Überall", slug=EVERYWHERE, kind=Entity.Kind.PLACE)
    twenty = Entity.objects.create(name="Zwanzigmal", slug=TWENTY, kind=Entity.Kind.EVENT)
    pool = Entity.objects.bulk_create(
        Entity(name=f"Thema {number}", slug=f"bench-thema-{number}", kind=Entity.Kind.OTHER)
        for number in range(POOL)
    )
    params = {
        "prefix": SLUG_PREFIX,
        "number_from": len(SLUG_PREFIX) + 1,
        "sources": SOURCES,
        "first_day": FIRST_DAY,
        "created": data.CREATED_AT,
        "articles": ARTICLES,
        "paragraphs": PARAGRAPHS,
        "texts": data.paragraph_texts(),
        "common": COMMON_WORD,
        "everywhere": everywhere.pk,
        "twenty": twenty.pk,
        "pool": [entity.pk for entity in pool],
        "tags": tag_ids,
        "content_type": ContentType.objects.get_for_model(Annotation).pk,
    }
    with connection.cursor() as cursor:
        for statement in (ARTICLES_SQL, PARAGRAPHS_SQL, ANNOTATIONS_SQL, TAGS_SQL):
            cursor.execute(statement, params)
        for table in ("article", "paragraph", "annotation"):
            cursor.execute(f"ANALYZE articleapp_{table}")
        cursor.execute("ANALYZE taggit_taggeditem")
    invalidation.touch_articles(Article.objects.filter(slug__startswith=SLUG_PREFIX))


def generate(log):
    data.ensure("many-articles", build, log)
