"""``/sitemap.xml`` (Django's sitemaps framework) and ``/robots.txt`` pointing to it.

The sitemap lists every article, every public entity (``Entity.objects.public()``) and every
public tag (``public_tags()``), under ``RANDNOTIZ_BASE_URL`` (``articleapp.canonical``), not the
request's host. ``lastmod`` is the last change a reader could notice, as far as it is recorded:

- an article: its own save, a change of a paragraph's text (the paragraphs' history) or a save
  of one of its published annotations, whichever is latest;
- an entity: its own last change (its history) or a save of a published mention;
- a tag: the last save of a published annotation carrying it (a tag only on entities has none,
  and its URL is listed without ``lastmod`` rather than with a guess).

Each section costs one query (and one to count it), whatever its size.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.urls import reverse

from articleapp import canonical
from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.tagging import public_tags
from project.methods import read_only

# Not for search engines: the admin and the staff exports (both behind a sign-in).
DISALLOWED = ["/admin/", "/export/"]


def latest(queryset, field):
    """A subquery: the latest ``field`` of ``queryset`` (which filters on ``OuterRef``)."""
    values = queryset.order_by(f"-{field}").values(field)[:1]
    return Subquery(values, output_field=DateTimeField())


def latest_of(first, second):
    """The later of two possibly empty dates; empty only when both are."""
    return Greatest(Coalesce(first, second), Coalesce(second, first))


def published_saved(**lookups):
    """The latest save of a published annotation matching ``lookups`` (with ``OuterRef``s)."""
    return latest(Annotation.objects.published().filter(**lookups), "updated_at")


class PublicSitemap(Sitemap):
    """A section whose URLs are on the public address, whatever host the sitemap was asked on."""

    def get_protocol(self, protocol=None):
        return canonical.origin()[0]

    def get_domain(self, site=None):
        return canonical.origin()[1]

    def lastmod(self, item):
        return item.last_change


class ArticleSitemap(PublicSitemap):
    def items(self):
        text_changed = latest(Paragraph.history.filter(article_id=OuterRef("pk")), "history_date")
        annotated = published_saved(paragraph__article=OuterRef("pk"))
        return Article.objects.annotate(
            last_change=Greatest(
                F("updated_at"),
                Coalesce(text_changed, F("updated_at")),
                Coalesce(annotated, F("updated_at")),
            )
        ).order_by("pk")


class EntitySitemap(PublicSitemap):
    def items(self):
        changed = latest(Entity.history.filter(id=OuterRef("pk")), "history_date")
        mentioned = published_saved(entity=OuterRef("pk"))
        return (
            Entity.objects.public()
            .annotate(last_change=latest_of(changed, mentioned))
            .order_by("pk")
        )


class TagSitemap(PublicSitemap):
    def items(self):
        tagged = published_saved(tags=OuterRef("pk"))
        return public_tags().annotate(last_change=tagged).order_by("pk")

    def location(self, tag):
        return reverse("articleapp:tag-detail", kwargs={"slug": tag.slug})


SITEMAPS = {"articles": ArticleSitemap, "entities": EntitySitemap, "tags": TagSitemap}


@read_only
def sitemap(request):
    """The sitemap of articles, entities and tags; ``?p=N`` pages past 50,000 URLs a section."""
    return sitemap_views.sitemap(request, SITEMAPS)


@read_only
def robots_txt(request):
    """``robots.txt``: the staff pages are off limits; the sitemap's absolute URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {canonical.absolute_url(reverse('articleapp:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
