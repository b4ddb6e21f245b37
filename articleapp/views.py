"""Public reading pages and the staff export endpoints."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from articleapp.models import Annotation, Article, Entity
from articleapp.rendering import render_paragraph


def article_list(request):
    """List articles; template ``articleapp/article_list.html`` with ``articles``."""
    articles = Article.objects.annotate(
        paragraph_count=Count("paragraphs", distinct=True),
        annotation_count=Count(
            "paragraphs__annotations",
            filter=Q(paragraphs__annotations__status=Annotation.Status.PUBLISHED),
            distinct=True,
        ),
    )
    return render(request, "articleapp/article_list.html", {"articles": articles})


def article_detail(request, slug):
    """Show an article paragraph by paragraph beside its published annotations.

    Template ``articleapp/article_detail.html`` with ``article`` and ``rows`` (paragraph, its
    rendered HTML, its annotations). Four queries whatever the size: article, paragraphs,
    annotations with entities, annotation tags.
    """
    article = get_object_or_404(Article, slug=slug)
    published = (
        Annotation.objects.published()
        .select_related("entity")
        .prefetch_related("tags")
        .order_by("start", "-end", "pk")
    )
    paragraphs = article.paragraphs.order_by("position").prefetch_related(
        Prefetch("annotations", queryset=published, to_attr="published_annotations")
    )
    rows = [
        {
            "paragraph": paragraph,
            "html": render_paragraph(paragraph.text, paragraph.published_annotations),
            "annotations": paragraph.published_annotations,
        }
        for paragraph in paragraphs
    ]
    return render(request, "articleapp/article_detail.html", {"article": article, "rows": rows})


def entity_detail(request, slug):
    """Show an entity and its published mentions; template ``articleapp/entity_detail.html``."""
    entity = get_object_or_404(Entity.objects.prefetch_related("aliases", "tags"), slug=slug)
    mentions = (
        Annotation.objects.published()
        .filter(entity=entity)
        .select_related("paragraph__article")
        .order_by("paragraph__article__title", "paragraph__position", "start")
    )
    return render(
        request, "articleapp/entity_detail.html", {"entity": entity, "mentions": mentions}
    )
