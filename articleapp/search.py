"""Search paragraph text, annotation comments, entity names/aliases and public tags.

On PostgreSQL: full-text search with the ``german`` configuration over stored ``tsvector``
columns with GIN indexes (migration ``0007_stored_search_vectors``); only the first
``CANDIDATES`` matches of each kind are ranked, so a common word costs no more than a rare one;
paragraph snippets come from ``ts_headline``. On other databases: every word must occur
(case-insensitive substring), in reading order, snippets built in Python; other forms of a word
are not found (``matches_word_forms``). Entities and tags, small tables, are matched by substring
on both, and only those readers may see (``Entity.objects.public()``, ``public_tags``).

Paragraph and comment hits are shown grouped by article (``Results.groups``), in the order of
each article's best hit; ``search(query, within=…)`` narrows them to some articles (those
mentioning an entity or carrying a tag, see ``articleapp.facets``).

Comments are Markdown: their snippets are cut from the text a reader sees (``render_text``), never
from the source, so no ``**`` or link URL shows; on PostgreSQL ``ts_headline`` only says which
words matched.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Expression, Q
from django.urls import reverse

from articleapp import snippets
from articleapp.markdown import render_text
from articleapp.models import Annotation, Entity, Paragraph, newest_first
from articleapp.tagging import public_tags
from articleapp.wording import quoted

CONFIG = "german"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
CANDIDATES = 200
RESULTS = 30

TERM = re.compile(r"\w+")


@dataclass
class Query:
    """A cleaned search query: the text to search, its words, and what was changed."""

    text: str = ""
    terms: list = field(default_factory=list)
    was_shortened: bool = False

    @property
    def is_searchable(self):
        return bool(self.terms)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: what it is, where it links, an HTML snippet with the matches, and
    the article it is in."""

    title: str
    url: str
    snippet: str
    language: str = ""
    article: object = None
    position: int = 0  # of the paragraph


@dataclass
class ArticleGroup:
    """An article's hits: matching paragraphs and comments, each in rank order."""

    article: object
    paragraphs: list = field(default_factory=list)
    annotations: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityHit:
    """An entity, named once: its marked name, kind, the aliases that matched (only when the name
    did not) and an excerpt of its description."""

    name: str
    url: str
    kind: str
    also_called: list
    description: str


@dataclass(frozen=True, slots=True)
class TagHit:
    """A public tag whose name matched, marked, and its page."""

    name: str
    url: str


@dataclass
class Results:
    paragraphs: list = field(default_factory=list)
    annotations: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    @property
    def count(self):
        return sum(map(len, [self.paragraphs, self.annotations, self.entities, self.tags]))

    @property
    def groups(self):
        """The paragraph and comment hits grouped by article: the articles in the order of
        their best paragraph hit, then those found by comments alone."""
        groups = {}
        for kind, hits in (("paragraphs", self.paragraphs), ("annotations", self.annotations)):
            for hit in hits:
                group = groups.setdefault(hit.article.pk, ArticleGroup(hit.article))
                getattr(group, kind).append(hit)
        return list(groups.values())


def clean_query(raw):
    """Normalise a raw query: NFC, no control characters, bounded length and number of words."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    text = " ".join(text.split())
    was_shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    terms = TERM.findall(text)
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        was_shortened = True
    return Query(text=text, terms=terms, was_shortened=was_shortened)


class StoredSearchVector(Expression):
    """The row's stored ``search_vector`` column (PostgreSQL only, see migration 0007).

    The column is not in the model state (SQLite has no ``tsvector``), so this names it on the
    query's base table, under whatever alias the query gives that table (``U0`` in a subquery).
    """

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return (
            f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}",
            [],
        )


def matches_word_forms():
    """Whether a word also finds its other forms (plural, case endings): PostgreSQL only."""
    return connection.vendor == "postgresql"


def search(query, within=None):
    """Return the Results for a cleaned ``Query``; five queries, none if nothing to search.

    ``within``, an Article queryset, narrows the paragraph and comment hits to its articles.
    """
    if not query.is_searchable:
        return Results()
    paragraph_rows = Paragraph.objects.all()
    annotation_rows = Annotation.objects.published()
    if within is not None:
        paragraph_rows = paragraph_rows.filter(article__in=within.values("pk"))
        annotation_rows = annotation_rows.filter(paragraph__article__in=within.values("pk"))
    if matches_word_forms():
        paragraphs, annotations = _full_text(query, paragraph_rows, annotation_rows)
    else:
        paragraphs, annotations = _substring(query, paragraph_rows, annotation_rows)
    return Results(
        paragraphs=[paragraph_hit(paragraph, snippet) for paragraph, snippet in paragraphs],
        annotations=[annotation_hit(annotation, snippet) for annotation, snippet in annotations],
        entities=[entity_hit(entity, query) for entity in _entities(query)],
        tags=[tag_hit(tag, query) for tag in _tags(query)],
    )


def paragraph_hit(paragraph, snippet):
    return Hit(
        title=f"{paragraph.article.title} ¶{paragraph.position}",
        url=paragraph.get_absolute_url(),
        snippet=snippet,
        language=paragraph.article.language,
        article=paragraph.article,
        position=paragraph.position,
    )


def annotation_hit(annotation, snippet):
    return Hit(
        title=quoted(annotation.quote),
        url=annotation.get_absolute_url(),
        snippet=snippet,
        language=annotation.paragraph.article.language,
        article=annotation.paragraph.article,
        position=annotation.paragraph.position,
    )


def entity_hit(entity, query):
    # Aliases are named only for words the name lacks: "MSFT" finds Microsoft, also called MSFT.
    missing = [
        term.casefold() for term in query.terms if term.casefold() not in entity.name.casefold()
    ]
    also_called = [
        snippets.mark_terms(alias.name, query.terms)
        for alias in entity.aliases.all()
        if any(term in alias.name.casefold() for term in missing)
    ]
    return EntityHit(
        name=snippets.mark_terms(entity.name, query.terms),
        url=entity.get_absolute_url(),
        kind=entity.get_kind_display(),
        also_called=also_called,
        description=snippets.mark_terms(render_text(entity.description), query.terms, width=160),
    )


def tag_hit(tag, query):
    return TagHit(
        name=snippets.mark_terms(tag.name, query.terms),
        url=reverse("articleapp:tag-detail", kwargs={"slug": tag.slug}),
    )


def _full_text(query, paragraph_rows, annotation_rows):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    search_query = SearchQuery(query.text, config=CONFIG, search_type="websearch")

    def ranked(queryset, column, **headline):
        vector = StoredSearchVector()
        candidates = queryset.annotate(document=vector).filter(document=search_query)
        return (
            queryset.filter(pk__in=candidates.order_by().values("pk")[:CANDIDATES])
            .annotate(
                rank=SearchRank(vector, search_query),
                headline=SearchHeadline(
                    column,
                    search_query,
                    config=CONFIG,
                    start_sel=snippets.MATCH_START,
                    stop_sel=snippets.MATCH_STOP,
                    **headline,
                ),
            )
            .order_by("-rank", "pk")[:RESULTS]
        )

    paragraphs = ranked(
        paragraph_rows.select_related("article"),
        "text",
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=f" {snippets.ELLIPSIS} ",
    )
    # The whole comment, every match marked: which words matched, for the rendered text's excerpt.
    annotations = ranked(
        annotation_rows.exclude(comment="").select_related("paragraph__article"),
        "comment",
        highlight_all=True,
    )
    return (
        [
            (paragraph, snippets.headline_html(paragraph.headline, paragraph.text))
            for paragraph in paragraphs
        ],
        [
            (
                annotation,
                snippets.excerpt(
                    render_text(annotation.comment),
                    snippets.word_pattern(snippets.marked_words(annotation.headline)),
                ),
            )
            for annotation in annotations
        ],
    )


def _all_terms(column, terms):
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{column}__icontains": term})
    return condition


def _substring(query, paragraph_rows, annotation_rows):
    paragraphs = (
        paragraph_rows.filter(_all_terms("text", query.terms))
        .select_related("article")
        .order_by(*newest_first("article__"), "position")[:RESULTS]
    )
    annotations = (
        annotation_rows.filter(_all_terms("comment", query.terms))
        .select_related("paragraph__article")
        .order_by(*newest_first("paragraph__article__"), "paragraph__position", "start", "pk")[
            :RESULTS
        ]
    )
    pattern = snippets.term_pattern(query.terms)
    comments = [(annotation, render_text(annotation.comment)) for annotation in annotations]
    return (
        [(paragraph, snippets.mark_terms(paragraph.text, query.terms)) for paragraph in paragraphs],
        [
            (annotation, snippets.excerpt(text, pattern))
            for annotation, text in comments
            # A word only in the Markdown source (a link's URL, say) is no match to a reader.
            if all(term.casefold() in text.casefold() for term in query.terms)
        ],
    )


def _entities(query):
    condition = Q()
    for term in query.terms:
        condition &= Q(name__icontains=term) | Q(aliases__name__icontains=term)
    matching = Entity.objects.public().filter(condition).values("pk")
    return (
        Entity.objects.filter(pk__in=matching)
        .prefetch_related("aliases")
        .order_by("name")[:RESULTS]
    )


def _tags(query):
    return (
        public_tags()
        .filter(_all_terms("name", query.terms))
        .exclude(slug="")
        .order_by("name")[:RESULTS]
    )
