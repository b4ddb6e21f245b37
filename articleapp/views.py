"""Public reading pages: articles, entities, tags and search.

They only read, so they answer GET and HEAD only (``project.methods.read_only``); any other
method gets the 405 page of ``project.middleware.MethodNotAllowedMiddleware``, before CSRF.
Numbers and text from the query string are read with ``articleapp.params`` (400 if malformed).
Entities are shown only once public (``Entity.objects.public()``).
"""

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404, render

from articleapp import changelog, dispersion, facets, overview, params, search
from articleapp.models import Annotation, Article, ArticleEntity, Entity, newest_first
from articleapp.notes import Notes
from articleapp.pagecache import cached_reading_page, reading_article
from articleapp.reading import reading_of
from articleapp.rendering import render_paragraph
from articleapp.snippets import keyword_in_context
from articleapp.tagging import public_tags
from project.methods import read_only

MENTIONS_PER_PAGE = 50
ARTICLES_PER_PAGE = 20
# The entities an article in the list mentions most, and the mentions an entity's timeline
# shows per article (the rest are a link away, on the reading page).
TOP_ENTITIES = 3
MENTIONS_PER_ARTICLE = 5
# The entities sharing the most paragraphs with an entity that its page names.
NEIGHBOURS = 24


def counted(queryset, by, expression):
    """A subquery expression: the aggregate ``expression`` over ``queryset``, which is filtered
    on ``OuterRef`` to one value of ``by``; 0 when it has no rows."""
    values = queryset.order_by().values(by).annotate(value=expression).values("value")
    return Coalesce(Subquery(values, output_field=IntegerField()), Value(0))


def published_mention_count():
    """An annotation expression: the entity's published mentions, counted in one subquery."""
    mentions = ArticleEntity.objects.filter(entity=OuterRef("pk"))
    return counted(mentions, "entity", Sum("mentions"))


def page_number(request):
    """The ``?page=`` asked for (from 1), or None; ``Paginator.get_page`` answers the last page
    for one past the end."""
    return params.query_number(request.GET, "page", minimum=1, maximum=params.MAX_POSITIVE_INTEGER)


class PagedFirst:
    """A queryset paged before its costly annotations: ``Paginator`` counts and slices
    ``keys`` (cheap to skip over), and the page's rows are read, in the same order, from
    ``rows`` in one query; so page 50 costs what page 1 does. (Not ``ordered``: Paginator
    reads that name as QuerySet.ordered.)"""

    def __init__(self, keys, rows):
        self.keys, self.rows = keys, rows

    def count(self):
        return self.keys.count()

    def __getitem__(self, index):
        return self.rows.filter(pk__in=self.keys[index].values("pk"))


class Counted:
    """A queryset and its length, counted already (in the query that read its owner), so that
    ``Paginator`` slices it without a query to count it."""

    def __init__(self, queryset, count):
        self.queryset, self.count_known = queryset, count

    def __len__(self):
        return self.count_known

    def __getitem__(self, index):
        return self.queryset[index]


def in_context(annotations):
    """Pair each annotation (with its paragraph loaded) with its keyword in context."""
    return [
        (item, keyword_in_context(item.paragraph.text, item.start, item.end))
        for item in annotations
    ]


@read_only
def article_list(request):
    """List the articles newest first, 20 a page.

    Template ``articleapp/article_list.html`` with ``page`` of articles, each with
    ``annotation_count`` (published) and ``top_mentions`` (``ArticleEntity`` rows with their
    entity, the ``TOP_ENTITIES`` it mentions most). Three queries whatever the number of
    articles: their count, the page, the entities.
    """
    annotations = Annotation.objects.published().filter(paragraph__article=OuterRef("pk"))
    top_mentions = ArticleEntity.objects.select_related("entity").order_by(
        "-mentions", "entity__name"
    )
    articles = (
        Article.objects.newest_first()
        .annotate(annotation_count=counted(annotations, "paragraph__article", Count("pk")))
        .prefetch_related(
            Prefetch(
                "entity_mentions", queryset=top_mentions[:TOP_ENTITIES], to_attr="top_mentions"
            )
        )
    )
    paged = PagedFirst(Article.objects.newest_first(), articles)
    page = Paginator(paged, ARTICLES_PER_PAGE).get_page(page_number(request))
    return render(request, "articleapp/article_list.html", {"page": page})


@read_only
@cached_reading_page
def article_detail(request, slug):
    """Show an article paragraph by paragraph, its notes in the margin beside their words.

    Template ``articleapp/article_detail.html`` with ``article``, ``rows`` (each ``paragraph``
    with its ``html``: text and margin, from ``notes.Notes``), ``mentions`` (who is mentioned,
    how often) and its HTML ``who_is_mentioned`` and ``entity_filters``, ``kinds``,
    ``has_comments``, ``annotation_count``, ``reading_minutes``, the dispersion ``plot`` and the
    ``related`` articles (``related.related_articles``). One query, the article (read by the
    page cache's stamp lookup if it ran), when this process keeps the article's
    ``reading.Reading`` at its digest; six when it reads it.
    """
    article = reading_article(request, slug) or get_object_or_404(Article, slug=slug)
    page = reading_of(article)
    notes = Notes(article.language)
    rows = [
        {
            "paragraph": paragraph,
            "html": notes.row(
                paragraph,
                render_paragraph(
                    paragraph.text, paragraph.published_annotations, paragraph_margin.numbers
                ),
                paragraph_margin,
            ),
        }
        for paragraph, paragraph_margin in zip(page.paragraphs, page.margins, strict=True)
    ]
    context = {
        "article": article,
        "rows": rows,
        "mentions": page.mentions,
        "who_is_mentioned": overview.who_is_mentioned(page.mentions, notes),
        "entity_filters": overview.entity_filters(page.mentions, notes),
        "kinds": page.kinds,
        "has_comments": page.has_comments,
        "annotation_count": page.annotation_count,
        "reading_minutes": page.reading_minutes,
        "plot": dispersion.render_svg(
            page.mentions, [paragraph.position for paragraph in page.paragraphs]
        ),
        "related": page.related,
    }
    return render(request, "articleapp/article_detail.html", context)


@read_only
def entity_list(request):
    """List the public entities grouped by kind with their published mention counts.

    Template ``articleapp/entity_list.html`` with ``groups``: (kind label, entities). One query.
    """
    entities = (
        Entity.objects.public().annotate(mention_count=published_mention_count()).order_by("name")
    )
    by_kind = {}
    for entity in entities:
        by_kind.setdefault(entity.kind, []).append(entity)
    groups = [(label, by_kind[kind]) for kind, label in Entity.Kind.choices if kind in by_kind]
    return render(request, "articleapp/entity_list.html", {"groups": groups})


@read_only
def entity_detail(request, slug):
    """Show an entity, the articles mentioning it newest first (20 a page), each with its first
    mentions in context, and the entities sharing a paragraph with it.

    Template ``articleapp/entity_detail.html`` with ``entity`` (with ``mention_count`` and
    ``article_count``), ``page`` (of ``ArticleEntity`` rows), ``timeline`` (per article on the
    page: ``article``, ``mentions`` (its count), ``shown`` ((annotation, keyword in context), the
    first ``MENTIONS_PER_ARTICLE``)) and ``neighbours`` (the ``NEIGHBOURS`` sharing the most
    paragraphs, with ``shared_paragraphs``). Six
    queries whatever the number of mentions or articles: entity with its counts, aliases, tags,
    the page of articles, their mentions shown, neighbours.
    """
    entity_articles = ArticleEntity.objects.filter(entity=OuterRef("pk"))
    entity = get_object_or_404(
        Entity.objects.public()
        .annotate(
            mention_count=published_mention_count(),
            article_count=counted(entity_articles, "entity", Count("pk")),
        )
        .prefetch_related("aliases", "tags"),
        slug=slug,
    )
    rows = (
        ArticleEntity.objects.filter(entity=entity)
        .select_related("article")
        .order_by(*newest_first("article__"))
    )
    paginator = Paginator(Counted(rows, entity.article_count), ARTICLES_PER_PAGE)
    page = paginator.get_page(page_number(request))
    shown = (
        Annotation.objects.published()
        .filter(entity=entity, paragraph__article__in=[row.article_id for row in page])
        .select_related("paragraph__article")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("paragraph__article"),
                order_by=[F("paragraph__position"), F("start"), F("pk")],
            )
        )
        .filter(rank__lte=MENTIONS_PER_ARTICLE)
        .order_by("paragraph__position", "start", "pk")
    )
    by_article = {}
    for annotation, kwic in in_context(shown):
        by_article.setdefault(annotation.paragraph.article_id, []).append((annotation, kwic))
    timeline = [
        {"article": row.article, "mentions": row.mentions, "shown": by_article.get(row.article_id)}
        for row in page
    ]
    paragraphs = Annotation.objects.published().filter(entity=entity).values("paragraph")
    neighbours = (
        Entity.objects.exclude(pk=entity.pk)
        .filter(
            annotations__in=Annotation.objects.published()
            .filter(paragraph__in=paragraphs)
            .values("pk")
        )
        .annotate(shared_paragraphs=Count("annotations__paragraph", distinct=True))
        .order_by("-shared_paragraphs", "name")[:NEIGHBOURS]
    )
    context = {"entity": entity, "page": page, "timeline": timeline, "neighbours": neighbours}
    return render(request, "articleapp/entity_detail.html", context)


@read_only
def tag_detail(request, slug):
    """Show the entities and the published annotations carrying a tag (50 annotations a page).

    Template ``articleapp/tag_detail.html`` with ``tag``, ``entities`` (with ``mention_count``),
    ``page`` and ``annotations`` ((annotation, keyword in context) on this page). Four queries.
    A tag that is not public (see ``public_tags``) is a 404, so its name is not shown.
    """
    tag = get_object_or_404(public_tags(), slug=slug)
    entities = (
        Entity.objects.public()
        .filter(tags=tag)
        .annotate(mention_count=published_mention_count())
        .order_by("name")
    )
    annotations = (
        Annotation.objects.published()
        .filter(tags=tag)
        .select_related("paragraph__article", "entity")
        .order_by("paragraph__article__title", "paragraph__position", "start", "pk")
    )
    page = Paginator(annotations, MENTIONS_PER_PAGE).get_page(page_number(request))
    context = {"tag": tag, "entities": entities, "page": page, "annotations": in_context(page)}
    return render(request, "articleapp/tag_detail.html", context)


@read_only
def search_results(request):
    """Search paragraphs, comments, entities and public tags for ``?q=``, the paragraphs and
    comments grouped by article and narrowed by ``?entity=`` and ``?tag=`` (``facets``).

    Template ``articleapp/search_results.html`` with ``query`` (cleaned, see ``search.Query``),
    ``results`` (``search.Results``, its ``groups`` by article), ``filters``
    (``facets.Filters``), ``active_filters`` ((label, name, URL without it)), the
    ``entity_facets`` and ``tag_facets`` of the found articles, and ``matches_word_forms``
    (whether other forms of a word are found too). At most nine queries: five to search, one
    for each filter, two for the facets; none to search for an empty query.
    """
    query = search.clean_query(params.query_text(request.GET, "q"))
    filters = facets.read_filters(request.GET)
    results = search.search(query, within=filters.articles())
    found = [group.article.pk for group in results.groups]
    context = {
        "query": query,
        "results": results,
        "filters": filters,
        "active_filters": filters.active(query.text),
        "entity_facets": facets.entity_facets(found, query.text, filters) if found else [],
        "tag_facets": facets.tag_facets(found, query.text, filters) if found else [],
        "matches_word_forms": search.matches_word_forms(),
        "search_text": query.text,
    }
    return render(request, "articleapp/search_results.html", context)


@read_only
def article_changes(request, slug):
    """Show the dated changes of an article's text, newest first, as word-level differences.

    Template ``articleapp/article_changes.html`` with ``article`` and ``changes``
    (``changelog.Change``). Three queries whatever the number of changes: the article, its
    revisions, its paragraphs' history.
    """
    article = get_object_or_404(Article, slug=slug)
    context = {"article": article, "changes": changelog.changes(article)}
    return render(request, "articleapp/article_changes.html", context)
