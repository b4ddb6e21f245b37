"""Deterministic synthetic data for the benchmark, generated once per database and reused.

Small sets (reading articles) go through ``bulk_create``; the large corpora (up to a million
annotations) are generated inside PostgreSQL with ``INSERT … SELECT generate_series``, which writes
the same rows as the ORM would in a fraction of the time. Texts and names come from a seeded
random generator, so every run and every machine gets the same data.
"""

import random
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from articleapp import anchoring, invalidation
from articleapp.models import Annotation, Article, Entity, Paragraph
from bench import GENERATOR_VERSION

SEED = 20250611
CREATED_AT = datetime(2025, 6, 11, 9, 30, tzinfo=UTC)
ANNOTATIONS_PER_PARAGRAPH = 10
SPAN_STEP = 12  # annotation k covers [12k, 12k + 10)
SPAN_LENGTH = 10

SYLLABLES = (
    "an",
    "ber",
    "bil",
    "da",
    "del",
    "ein",
    "fel",
    "gen",
    "ha",
    "her",
    "in",
    "ka",
    "ken",
    "la",
    "lin",
    "ma",
    "mer",
    "na",
    "nen",
    "no",
    "or",
    "ra",
    "ren",
    "sa",
    "schaf",
    "sen",
    "stein",
    "ta",
    "ter",
    "un",
    "ver",
    "wald",
    "wer",
    "zu",
    "zen",
)
CONNECTIVES = (
    "und",
    "der",
    "die",
    "das",
    "mit",
    "für",
    "von",
    "auf",
    "im",
    "am",
    "zum",
    "bei",
    "nach",
    "über",
    "unter",
)


def words(rng, count):
    out = []
    for _ in range(count):
        if rng.random() < 0.3:
            out.append(rng.choice(CONNECTIVES))
        else:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            out.append(word.capitalize() if rng.random() < 0.35 else word)
    return out


def paragraph_texts(count=64, seed=SEED):
    """Return ``count`` German-looking paragraphs of 60 words, each over 300 characters."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        text = " ".join(words(rng, 60)) + "."
        texts.append(text[0].upper() + text[1:])
    return texts


def gazetteer_forms(count, seed=SEED):
    """Return ``(name, key)`` forms of ``count`` distinct entities, every third with an alias."""
    rng = random.Random(seed + 1)
    forms, seen = [], set()
    suffixes = ["AG", "GmbH", "Stiftung", "Institut", "Werke", "Gruppe", "Verband", ""]
    while len(seen) < count:
        parts = [w.capitalize() for w in words(rng, rng.randint(1, 2)) if w not in CONNECTIVES]
        if not parts:
            continue
        name = " ".join([*parts, rng.choice(suffixes)]).strip()
        if name in seen:
            continue
        key = len(seen)
        seen.add(name)
        forms.append((name, key))
        if key % 3 == 0 and len(parts) > 1:
            forms.append((parts[0], key))
    return forms


def suggestion_text(forms, paragraphs, seed=SEED, lowercase_filler=False):
    """Return paragraphs of running text with about three entity mentions each.

    The filler comes from the same syllables as the names, so it names entities by chance; with
    ``lowercase_filler`` it cannot (every name and alias begins with a capital, and matching is
    case-sensitive), and the text mentions exactly the names inserted.
    """
    rng = random.Random(seed + 2)
    names = [name for name, _ in forms]
    out = []
    for _ in range(paragraphs):
        body = words(rng, 55)
        if lowercase_filler:
            body = [word.lower() for word in body]
        for _ in range(3):
            body.insert(rng.randrange(len(body)), rng.choice(names))
        out.append(" ".join(body) + ".")
    return out


def article_file_text(paragraphs, seed=SEED):
    """Return a plain-text article in the importer's format with ``paragraphs`` paragraphs."""
    rng = random.Random(seed + 3)
    body = [" ".join(words(rng, 60)) + "." for _ in range(paragraphs)]
    return "\n\n".join(["Benchmark", f"Ein Artikel mit {paragraphs} Absätzen", *body, "(bench)"])


def ensure_schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (name text PRIMARY KEY, version int)"
        )


def is_current(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM bench_dataset WHERE name = %s", [name])
        row = cursor.fetchone()
    return row is not None and row[0] == GENERATOR_VERSION


def mark_current(name):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_dataset (name, version) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version",
            [name, GENERATOR_VERSION],
        )


def ensure(name, build, log):
    """Build dataset ``name`` unless this database already holds its current version."""
    if is_current(name):
        return
    log(f"generating {name} …")
    with transaction.atomic():
        build()
        mark_current(name)


def build_seed():
    call_command("seed", verbosity=0)


def pool_entities():
    """Return the ids of the 100 entities and 20 tags the synthetic annotations use."""
    entities = Entity.objects.bulk_create(
        Entity(
            name=f"Bench-Entität {number}",
            slug=f"bench-entity-{number}",
            kind=Entity.Kind.values[number % len(Entity.Kind.values)],
            wikidata_id=f"Q{1000 + number}" if number % 2 else "",
        )
        for number in range(100)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"bench-tag-{number}", slug=f"bench-tag-{number}") for number in range(20)
    )
    return [entity.pk for entity in entities], [tag.pk for tag in tags]


def entity_and_tag_pool():
    entity_ids = list(
        Entity.objects.filter(slug__startswith="bench-entity-").values_list("pk", flat=True)
    )
    tag_ids = list(Tag.objects.filter(slug__startswith="bench-tag-").values_list("pk", flat=True))
    return entity_ids, tag_ids


def build_reading_article(paragraph_count):
    """An article of ``paragraph_count`` paragraphs with 10 published annotations each."""

    def build():
        entity_ids, tag_ids = entity_and_tag_pool()
        texts = paragraph_texts()
        article = Article.objects.create(
            slug=f"bench-read-{paragraph_count}",
            title=f"Lesetest mit {paragraph_count} Absätzen",
            kicker="Benchmark",
            byline="bench",
        )
        paragraphs = Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, text=texts[position % len(texts)])
            for position in range(1, paragraph_count + 1)
        )
        annotations = []
        for paragraph in paragraphs:
            for k in range(ANNOTATIONS_PER_PARAGRAPH):
                start = k * SPAN_STEP
                quote = anchoring.capture(paragraph.text, start, start + SPAN_LENGTH)
                annotations.append(
                    Annotation(
                        paragraph=paragraph,
                        start=start,
                        end=start + SPAN_LENGTH,
                        quote=quote.exact,
                        published_quote=quote.exact,
                        prefix=quote.prefix,
                        suffix=quote.suffix,
                        entity_id=entity_ids[(paragraph.position + k) % len(entity_ids)]
                        if k % 2 == 0
                        else None,
                        comment=f"Anmerkung {k} zu Absatz {paragraph.position}.",
                        status=Annotation.Status.PUBLISHED,
                    )
                )
        annotations = Annotation.objects.bulk_create(annotations)
        content_type = ContentType.objects.get_for_model(Annotation)
        TaggedItem.objects.bulk_create(
            TaggedItem(
                content_type=content_type,
                object_id=annotation.pk,
                tag_id=tag_ids[annotation.pk % len(tag_ids)],
            )
            for annotation in annotations
        )
        # bulk_create sends no signals: the stamp and ArticleEntity rows are settled here.
        invalidation.touch_articles(Article.objects.filter(pk=article.pk))

    return build


ANNOTATIONS_SQL = """
INSERT INTO articleapp_annotation
    (paragraph_id, start, "end", quote, prefix, suffix, entity_id, comment, status, author_id,
     created_at, updated_at, anchor_status, is_suggestion, published_quote, version)
SELECT p.id, k * 12, k * 12 + 10,
       substr(p.text, k * 12 + 1, 10),
       substr(p.text, greatest(k * 12 - 32, 0) + 1, k * 12 - greatest(k * 12 - 32, 0)),
       substr(p.text, k * 12 + 11, 32),
       CASE WHEN k %% 2 = 0
            THEN (%(entities)s::bigint[])
                 [1 + (p.position + k) %% cardinality(%(entities)s::bigint[])]
       END,
       CASE WHEN k %% 3 = 0 THEN 'Kommentar zu Absatz ' || p.position ELSE '' END,
       CASE WHEN (p.position + k) %% 10 = 0 THEN 'draft' ELSE 'published' END,
       NULL, %(created)s, %(created)s, 'anchored', false,
       CASE WHEN (p.position + k) %% 10 = 0 THEN '' ELSE substr(p.text, k * 12 + 1, 10) END, 1
FROM articleapp_paragraph p CROSS JOIN generate_series(0, %(last_k)s) k
WHERE p.article_id = %(article)s
"""

PARAGRAPHS_SQL = """
INSERT INTO articleapp_paragraph (article_id, position, text, version)
SELECT %(article)s, g, (%(texts)s::text[])[1 + g %% cardinality(%(texts)s::text[])], 1
FROM generate_series(1, %(count)s) g
"""

TAGS_SQL = """
INSERT INTO taggit_taggeditem (tag_id, content_type_id, object_id)
SELECT (%(tags)s::bigint[])[1 + a.id %% cardinality(%(tags)s::bigint[])], %(content_type)s, a.id
FROM articleapp_annotation a JOIN articleapp_paragraph p ON p.id = a.paragraph_id
WHERE p.article_id = %(article)s AND a.start %% 48 = 0
"""


def build_export_corpus(annotation_count):
    """An article with ``annotation_count`` annotations, 10 per paragraph, in PostgreSQL."""

    def build():
        entity_ids, tag_ids = entity_and_tag_pool()
        article = Article.objects.create(
            slug=export_slug(annotation_count),
            title=f"Exporttest mit {annotation_count} Anmerkungen",
            kicker="Benchmark",
        )
        params = {
            "article": article.pk,
            "texts": paragraph_texts(),
            "count": annotation_count // ANNOTATIONS_PER_PARAGRAPH,
            "entities": entity_ids,
            "tags": tag_ids,
            "created": CREATED_AT,
            "last_k": ANNOTATIONS_PER_PARAGRAPH - 1,
            "content_type": ContentType.objects.get_for_model(Annotation).pk,
        }
        with connection.cursor() as cursor:
            cursor.execute(PARAGRAPHS_SQL, params)
            cursor.execute(ANNOTATIONS_SQL, params)
            cursor.execute(TAGS_SQL, params)
            cursor.execute("ANALYZE articleapp_paragraph")
            cursor.execute("ANALYZE articleapp_annotation")
            cursor.execute("ANALYZE taggit_taggeditem")

    return build


def export_slug(annotation_count):
    return f"bench-export-{annotation_count}"


MENTION_COUNTS = (10, 10_000)


def mention_slug(count):
    return f"bench-mentions-{count}"


def build_mentions():
    """Entities with 10 and with 10,000 published mentions, for the entity page's query count."""
    texts = paragraph_texts()
    article = Article.objects.create(slug="bench-mentions", title="Erwähnungen", kicker="Benchmark")
    total = sum(MENTION_COUNTS)
    with connection.cursor() as cursor:
        cursor.execute(PARAGRAPHS_SQL, {"article": article.pk, "texts": texts, "count": total})
    first = 1
    for count in MENTION_COUNTS:
        entity = Entity.objects.create(
            name=f"Erwähnt {count}-mal", slug=mention_slug(count), kind=Entity.Kind.PERSON
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO articleapp_annotation
                    (paragraph_id, start, "end", quote, prefix, suffix, entity_id, comment,
                     status, author_id, created_at, updated_at, anchor_status, is_suggestion,
                     published_quote, version)
                SELECT p.id, 0, 10, substr(p.text, 1, 10), '', substr(p.text, 11, 32), %s, '',
                       'published', NULL, %s, %s, 'anchored', false, substr(p.text, 1, 10), 1
                FROM articleapp_paragraph p
                WHERE p.article_id = %s AND p.position BETWEEN %s AND %s
                """,
                [entity.pk, CREATED_AT, CREATED_AT, article.pk, first, first + count - 1],
            )
        first += count
    # Written with SQL: the stamp and the ArticleEntity rows the entity pages read, settled here.
    invalidation.touch_articles(Article.objects.filter(pk=article.pk))


# What a measurement can read, by the name it gives in ``needs``: ``generate`` builds the
# first four, ``bench.corpus.generate`` the corpus.
DATASETS = ("seed", "reading", "mentions", "exports", "corpus")


def generate(sizes, log, needs=DATASETS):
    """Create the datasets in ``needs`` (see ``DATASETS``) for ``sizes`` not there yet."""
    ensure_schema()
    ensure("seed", build_seed, log)
    if {"reading", "mentions", "exports"} & set(needs):
        ensure("pool", pool_entities, log)
    if "reading" in needs:
        for paragraph_count in sizes.reading_paragraphs:
            ensure(f"read-{paragraph_count}", build_reading_article(paragraph_count), log)
    if "mentions" in needs:
        ensure("mentions", build_mentions, log)
    if "exports" in needs:
        for annotation_count in sizes.export_annotations:
            ensure(f"export-{annotation_count}", build_export_corpus(annotation_count), log)
