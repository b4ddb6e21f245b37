"""What a reading page is made of, read and laid out once per reader digest.

The reading page is written afresh, in the reader's language, on every request the page cache
does not answer (``views.article_detail`` with ``notes`` and ``rendering``). What it is written
from changes far less often: the article's paragraphs, their published annotations with entities
and tags, the margin's plan (``margin.plan``), who is mentioned where and the related articles
(``related.related_articles``). All of that is fixed by the article's reader digest, which
``articleapp.invalidation`` moves whenever readers would see a change, the related articles
included. So each process keeps a ``Reading`` per database, article and digest for the articles
it read last, and a render costs one query, the article (read for its stamp anyway), instead of
six. The profile of the seed page put the row queries at a third of a render once the rows were
written in Python (README, "Performance").

A Reading is kept only when nothing readers see of the article changed while its rows were
read: the article's digest and update time, read once more after the rows, are still those read
before them. Every write readers would see moves both in its own transaction
(``invalidation.settle``), so rows read while an editor's write committed between two queries
are shown but not kept, and a request finds a kept Reading only through the digest it read
from the database. Like the page cache, this trusts writers that bypass model signals to call
``invalidation.touch_articles``. No other process needs to see what one keeps.

A Reading is complete before it is kept and never changed after, so the threads of a process
render from one without locks; only the store is locked.
"""

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from articleapp import margin, overview, related
from articleapp.models import Annotation, Article
from articleapp.tagging import tag_lists

# Paragraphs and annotations kept per process, all Readings together: about 2–3 kB each
# (tracemalloc: the 500-paragraph benchmark article, 5,500 of them, takes 11.7 MB; the seed
# article, 47, 0.15 MB), so at most ~25 MB a process, or some fifty articles of a hundred notes.
BUDGET = 10_000


@dataclass(frozen=True)
class Reading:
    """An article's paragraphs, each with its ``published_annotations`` (entity and
    ``tag_list`` loaded, in text order), their ``margin.Margin``\\ s, the overview's parts and the
    ``related`` articles."""

    paragraphs: list
    margins: list
    mentions: list
    kinds: list
    has_comments: bool
    reading_minutes: int
    annotation_count: int
    related: list

    @property
    def weight(self):
        return len(self.paragraphs) + self.annotation_count


def load(article):
    """Return the article's paragraphs with their published annotations, its related articles,
    and whether the article's digest and update time were still those of ``article`` after they
    were read.

    Five queries: paragraphs, annotations with entities, tags, related articles, the article's
    digest again.
    """
    paragraphs = list(article.paragraphs.order_by("position"))
    annotations = list(
        Annotation.objects.published()
        .filter(paragraph__article=article)
        .select_related("entity")
        .order_by("paragraph__position", "start", "-end", "pk")
    )
    tags = tag_lists(annotations)
    by_paragraph = defaultdict(list)
    for annotation in annotations:
        annotation.tag_list = tags.get(annotation.pk, [])
        by_paragraph[annotation.paragraph_id].append(annotation)
    for paragraph in paragraphs:
        paragraph.published_annotations = by_paragraph[paragraph.pk]
    # The digest digests the related articles too (``related.related_parts``).
    related_articles = related.related_articles([article.pk])[article.pk]
    after = Article.objects.filter(pk=article.pk).values_list("reader_digest", "updated_at")
    unchanged = after.first() == (article.reader_digest, article.updated_at)
    return paragraphs, related_articles, unchanged


def lay_out(paragraphs, related_articles):
    """Return the ``Reading`` of what ``load`` returns; no query."""
    margins = margin.plan(paragraphs)
    kinds, has_comments = overview.kinds_present(paragraphs)
    return Reading(
        paragraphs=paragraphs,
        margins=margins,
        mentions=overview.mentioned_entities(paragraphs),
        kinds=kinds,
        has_comments=has_comments,
        reading_minutes=overview.reading_minutes(paragraph.text for paragraph in paragraphs),
        annotation_count=sum(paragraph_margin.count for paragraph_margin in margins),
        related=related_articles,
    )


class Store:
    """The Readings last used in this process, up to ``budget`` paragraphs and annotations."""

    def __init__(self, budget):
        self.budget = budget
        self.entries = OrderedDict()
        self.weight = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key, reading):
        if reading.weight > self.budget:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = reading
            self.weight += reading.weight
            while self.weight > self.budget:
                _, dropped = self.entries.popitem(last=False)
                self.weight -= dropped.weight

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.weight = 0


readings = Store(BUDGET)


def reading_of(article):
    """Return the ``Reading`` of ``article`` (a full row, as read for its stamp): kept in this
    process under its digest, or loaded (five queries) and kept if nothing changed meanwhile."""
    key = (article._state.db, article.pk, article.reader_digest)
    found = readings.get(key)
    if found is not None:
        return found
    paragraphs, related_articles, unchanged = load(article)
    reading = lay_out(paragraphs, related_articles)
    if unchanged:
        readings.put(key, reading)
    return reading
