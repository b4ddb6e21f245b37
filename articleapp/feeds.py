"""Atom feeds (Django's syndication framework): newest articles, an entity's mentions, a tag.

Like the pages, they show only what readers may see: published annotations
(``Annotation.objects.published()``), public entities (``Entity.objects.public()``, else 404)
and public tags (``public_tags()``, else 404). Nothing in them depends on who asks, so any cache
may keep them; ``served`` gives each an ETag of its body and answers a matching
``If-None-Match`` with 304 (Django's ``conditional_page``).

Links are absolute under ``RANDNOTIZ_BASE_URL`` (``articleapp.canonical``). An annotation's entry
links to its note on the reading page (``#a-<pk>``), where the reader's script scrolls to it and
emphasises it. Titles are plain text (Atom's default); summaries are HTML, built with
``format_html`` from escaped text and the comment's sanitised Markdown.

Entries of mentions and tags are ordered by when the annotation was last saved: publishing a
draft saves it, so a mention published today is new today. When it was first published is not
recorded, so an annotation's entry has an ``updated`` date and no ``published`` one.
"""

import re

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page

from articleapp.canonical import absolute_url
from articleapp.markdown import render_markdown
from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.snippets import keyword_in_context
from articleapp.tagging import public_tags
from project.methods import read_only

FEED_LENGTH = 30
# Characters XML 1.0 does not allow (Django's XML writer checks the same range).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SUMMARY_CHARS = 300


class PublicFeed(Feed):
    """An Atom feed named under the public address, without ``Last-Modified``.

    Django's feeds send the newest entry's date as ``Last-Modified``; when an entry is
    withdrawn (unpublished, orphaned) the newest date moves back, and a client asking
    ``If-Modified-Since`` would be told nothing changed. The ETag of the body has no such gap.
    """

    feed_type = Atom1Feed
    url_name = ""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        del response.headers["Last-Modified"]
        return response

    def get_feed(self, obj, request):
        """Build the feed, with the control characters XML 1.0 cannot hold taken out of its
        texts: an editor may paste one into a title or a comment, and Django's XML writer
        refuses them (the page shows them harmlessly; the feed leaves them out)."""
        feed = super().get_feed(obj, request)
        for values in [feed.feed, *feed.items]:
            for key, value in values.items():
                if isinstance(value, str):
                    values[key] = NOT_IN_XML.sub("", value)
        return feed

    def url_kwargs(self, obj):
        return {}

    def feed_url(self, obj):
        return absolute_url(reverse(f"articleapp:{self.url_name}", kwargs=self.url_kwargs(obj)))


class ArticleFeed(PublicFeed):
    """The newest articles, by when they were added, each with its kicker and first lines."""

    url_name = "article-feed"

    def title(self):
        return _("Randnotiz: new articles")

    def subtitle(self):
        return capfirst(_("annotated reading of news articles"))

    def link(self):
        return absolute_url(reverse("articleapp:article-list"))

    def items(self):
        lede = Paragraph.objects.filter(article=OuterRef("pk")).order_by("position")
        return Article.objects.annotate(lede=Subquery(lede.values("text")[:1])).order_by(
            "-created_at", "-pk"
        )[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        lede = Truncator(article.lede or "").chars(SUMMARY_CHARS)
        if article.kicker:
            return format_html("<p><strong>{}</strong></p><p>{}</p>", article.kicker, lede)
        return format_html("<p>{}</p>", lede)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_author_name(self, article):
        return article.byline or None

    def item_pubdate(self, article):
        return article.created_at

    def item_updateddate(self, article):
        return article.updated_at


class AnnotationFeed(PublicFeed):
    """Published annotations, newest first, each as its words in context and its comment."""

    def annotations(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return (
            self.annotations(obj)
            .select_related("paragraph__article", "entity")
            .order_by("-updated_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, annotation):
        return f"„{annotation.quote}“ · {annotation.paragraph.article.title}"

    def item_description(self, annotation):
        context = keyword_in_context(annotation.paragraph.text, annotation.start, annotation.end)
        text = format_html(
            "<p>{}{}<strong>{}</strong>{}{}</p>",
            "…" if context.cut_before else "",
            context.before,
            context.quote,
            context.after,
            "…" if context.cut_after else "",
        )
        if annotation.entity_id:
            text += format_html("<p>→ {}</p>", annotation.entity.name)
        if annotation.comment:
            # Sanitised by markdown-it and nh3 (articleapp.markdown): safe HTML.
            text += render_markdown(annotation.comment)
        return text

    def item_link(self, annotation):
        return absolute_url(annotation.get_absolute_url())

    def item_updateddate(self, annotation):
        return annotation.updated_at


class EntityFeed(AnnotationFeed):
    """New published mentions of one public entity."""

    url_name = "entity-feed"

    def get_object(self, request, slug):
        return Entity.objects.public().get(slug=slug)

    def url_kwargs(self, entity):
        return {"slug": entity.slug}

    def title(self, entity):
        return _("Randnotiz: mentions of %(name)s") % {"name": entity.name}

    def link(self, entity):
        return absolute_url(entity.get_absolute_url())

    def annotations(self, entity):
        return Annotation.objects.published().filter(entity=entity)


class TagFeed(AnnotationFeed):
    """New published annotations carrying one public tag."""

    url_name = "tag-feed"

    def get_object(self, request, slug):
        return public_tags().get(slug=slug)

    def url_kwargs(self, tag):
        return {"slug": tag.slug}

    def title(self, tag):
        return _("Randnotiz: tag „%(name)s“") % {"name": tag.name}

    def link(self, tag):
        return absolute_url(reverse("articleapp:tag-detail", kwargs={"slug": tag.slug}))

    def annotations(self, tag):
        return Annotation.objects.published().filter(tags=tag)


def served(feed):
    """The feed as a view: GET and HEAD only, an ETag of its body, 304 when it matches."""
    return read_only(conditional_page(feed))


article_feed = served(ArticleFeed())
entity_feed = served(EntityFeed())
tag_feed = served(TagFeed())
