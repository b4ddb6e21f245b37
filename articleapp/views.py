"""Public reading pages: articles, entities, tags and search.

They only read, so they answer GET and HEAD only (``project.methods.read_only``); any other
method gets the 405 page of ``project.middleware.MethodNotAllowedMiddleware``, before CSRF.
Numbers and text from the query string are read with ``articleapp.params`` (400 if malformed).
Entities are shown only once public (``Entity.objects.public()``).
"""

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from articleapp import dispersion, overview, params, search
from articleapp.models import Annotation, Article, Entity
from articleapp.notes import Notes
from articleapp.pagecache import cached_reading_page, reading_article
from articleapp.reading import reading_of
from articleapp.rendering import render_paragraph
from articleapp.snippets import keyword_in_context
from articleapp.tagging import public_tags
from project.methods import read_only

MENTIONS_PER_PAGE = 50


def published_mention_count():
    """An annotation expression: the entity's published mentions, counted in one subquery."""
    counts = (
        Annotation.objects.published()
        .filter(entity=OuterRef("pk"))
        .order_by()
        .values("entity")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def page_number(request):
    """The ``?page=`` asked for (from 1), or None; ``Paginator.get_page`` answers the last page
    for one past the end."""
    return params.query_number(request.GET, "page", minimum=1, maximum=params.MAX_POSITIVE_INTEGER)


def in_context(annotations):
    """Pair each annotation (with its paragraph loaded) with its keyword in context."""
    return [
        (item, keyword_in_context(item.paragraph.text, item.start, item.end))
        for item in annotations
    ]


@read_only
def article_list(request):
    """List articles; template ``articleapp/article_list.html`` with ``articles``."""
    articles = Article.objects.annotate(
        paragraph_count=Count("paragraphs", distinct=True),
        annotation_count=Count(
            "paragraphs__annotations",
            filter=Q(paragraphs__annotations__in=Annotation.objects.published().values("pk")),
            distinct=True,
        ),
    )
    return render(request, "articleapp/article_list.html", {"articles": articles})


@read_only
@cached_reading_page
def article_detail(request, slug):
    """Show an article paragraph by paragraph, its notes in the margin beside their words.

    Template ``articleapp/article_detail.html`` with ``article``, ``rows`` (each ``paragraph``
    with its ``html``: text and margin, from ``notes.Notes``), ``mentions`` (who is mentioned,
    how often) and its HTML ``who_is_mentioned`` and ``entity_filters``, ``kinds``,
    ``has_comments``, ``annotation_count``, ``reading_minutes`` and the dispersion ``plot``.
    One query, the article (read by the page cache's stamp lookup if it ran), when this process
    keeps the article's ``reading.Reading`` at its digest; four when it reads it.
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
    """Show an entity, its published mentions in context (50 a page) and co-occurring entities.

    Template ``articleapp/entity_detail.html`` with ``entity``, ``page`` (of mentions),
    ``mentions`` ((annotation, keyword in context) on this page) and ``neighbours`` (entities
    sharing a paragraph, with ``shared_paragraphs``). Six queries whatever the number of mentions:
    entity, aliases, tags, mention count, mention page, neighbours.
    """
    entity = get_object_or_404(
        Entity.objects.public().prefetch_related("aliases", "tags"), slug=slug
    )
    mentions = (
        Annotation.objects.published()
        .filter(entity=entity)
        .select_related("paragraph__article")
        .order_by("paragraph__article__title", "paragraph__position", "start", "pk")
    )
    page = Paginator(mentions, MENTIONS_PER_PAGE).get_page(page_number(request))
    paragraphs = Annotation.objects.published().filter(entity=entity).values("paragraph")
    neighbours = (
        Entity.objects.exclude(pk=entity.pk)
        .filter(
            annotations__in=Annotation.objects.published()
            .filter(paragraph__in=paragraphs)
            .values("pk")
        )
        .annotate(shared_paragraphs=Count("annotations__paragraph", distinct=True))
        .order_by("-shared_paragraphs", "name")
    )
    context = {
        "entity": entity,
        "page": page,
        "mentions": in_context(page),
        "neighbours": neighbours,
    }
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
    """Search paragraphs, comments, entities and public tags for ``?q=``.

    Template ``articleapp/search_results.html`` with ``query`` (cleaned, see ``search.Query``),
    ``results`` (``search.Results``) and ``matches_word_forms`` (whether other forms of a word
    are found too). At most five queries; none for an empty query.
    """
    query = search.clean_query(params.query_text(request.GET, "q"))
    context = {
        "query": query,
        "results": search.search(query),
        "matches_word_forms": search.matches_word_forms(),
        "search_text": query.text,
    }
    return render(request, "articleapp/search_results.html", context)
