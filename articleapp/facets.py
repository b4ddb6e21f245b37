"""Narrow search results to the articles that mention an entity or carry a tag.

The filters come from the query string, ``?entity=<slug>`` and ``?tag=<slug>``, and may be
combined. A value with NUL or over ``MAX_SLUG`` characters is a 400 (``articleapp.params``); a
value that names no entity or tag readers may see (``Entity.objects.public()``,
``public_tags()``) is ignored, and the page names it, so nobody takes the wider results for
narrowed ones. An article "mentions" an entity when a published annotation names it
(``ArticleEntity``); it "carries" a tag when a published annotation carries it or mentions an
entity that does.

The facets offered beside the results are the entities and tags the found articles mention most,
each a link that adds its filter.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import Tag

from articleapp import params
from articleapp.models import Annotation, Article, ArticleEntity, Entity
from articleapp.tagging import public_tags

MAX_SLUG = 200
FACETS = 8


@dataclass
class Filters:
    """The filters asked for: the entity and tag found (or None) and the values ignored."""

    entity: Entity | None = None
    tag: Tag | None = None
    ignored: list = field(default_factory=list)  # (parameter, value)

    @property
    def is_active(self):
        return self.entity is not None or self.tag is not None

    def articles(self):
        """The articles the filters let through, as a queryset; None without filters."""
        if not self.is_active:
            return None
        articles = Article.objects.all()
        if self.entity is not None:
            articles = articles.filter(entity_mentions__entity=self.entity)
        if self.tag is not None:
            tagged = Annotation.objects.published().filter(tags=self.tag).values("pk")
            tagged_entities = ArticleEntity.objects.filter(entity__tags=self.tag)
            articles = articles.filter(
                Q(paragraphs__annotations__in=tagged) | Q(pk__in=tagged_entities.values("article"))
            )
        return articles.distinct()

    def active(self, text):
        """``(label, name, URL of the search without it)`` for each filter in force."""
        values = self.values()
        active = []
        if self.entity is not None:
            without = {name: value for name, value in values.items() if name != "entity"}
            label = _("Only articles mentioning")
            active.append((label, self.entity.name, search_url(text, **without)))
        if self.tag is not None:
            without = {name: value for name, value in values.items() if name != "tag"}
            label = _("Only articles tagged")
            active.append((label, self.tag.name, search_url(text, **without)))
        return active

    def values(self):
        """The query string values of the filters in force."""
        values = {}
        if self.entity is not None:
            values["entity"] = self.entity.slug
        if self.tag is not None:
            values["tag"] = self.tag.slug
        return values


def read_filters(query):
    """Return the Filters of the query string ``query``; a query each for entity and tag."""
    filters = Filters()
    entity_slug = params.query_text(query, "entity", max_length=MAX_SLUG)
    if entity_slug:
        filters.entity = Entity.objects.public().filter(slug=entity_slug).first()
        if filters.entity is None:
            filters.ignored.append(("entity", entity_slug))
    tag_slug = params.query_text(query, "tag", max_length=MAX_SLUG)
    if tag_slug:
        filters.tag = public_tags().filter(slug=tag_slug).first()
        if filters.tag is None:
            filters.ignored.append(("tag", tag_slug))
    return filters


def search_url(text, **values):
    """The search page's URL for ``text`` with the filters ``values`` (empty ones left out)."""
    query = {"q": text, **{name: value for name, value in values.items() if value}}
    return f"{reverse('articleapp:search')}?{urlencode(query)}"


@dataclass(frozen=True)
class Facet:
    """An entity or tag to narrow the results by: its name, how often it occurs among the found
    articles (articles mentioning an entity, published notes carrying a tag), the URL."""

    name: str
    count: int
    url: str
    kind: str = ""


def entity_facets(article_pks, text, filters):
    """The entities the found articles mention most, not filtered by already. One query."""
    rows = ArticleEntity.objects.filter(article__in=article_pks)
    if filters.entity is not None:
        rows = rows.exclude(entity=filters.entity)
    rows = (
        rows.values("entity__slug", "entity__name", "entity__kind")
        .annotate(articles=Count("article"))
        .order_by("-articles", "entity__name")[:FACETS]
    )
    values = filters.values()
    return [
        Facet(
            row["entity__name"],
            row["articles"],
            search_url(text, **{**values, "entity": row["entity__slug"]}),
            row["entity__kind"],
        )
        for row in rows
    ]


def tag_facets(article_pks, text, filters):
    """The tags of the published annotations in the found articles, most used first. One query."""
    annotations = Annotation.objects.published().filter(paragraph__article__in=article_pks)
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="articleapp",
        taggit_taggeditem_items__content_type__model="annotation",
        taggit_taggeditem_items__object_id__in=annotations.values("pk"),
    )
    if filters.tag is not None:
        tags = tags.exclude(pk=filters.tag.pk)
    tags = tags.annotate(uses=Count("taggit_taggeditem_items")).order_by("-uses", "name")[:FACETS]
    values = filters.values()
    return [
        Facet(tag.name, tag.uses, search_url(text, **{**values, "tag": tag.slug})) for tag in tags
    ]
