"""Articles, their dated text changes and their paragraphs."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articleapp.locking import VersionedModel
from articleapp.models.common import SLUG_PATTERN, newest_first, normalize_text


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(*newest_first())


class Article(models.Model):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kicker = models.CharField(_("kicker"), max_length=200, blank=True)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    source_name = models.CharField(_("source name"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, default="de")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When readers' text last changed after the article was first saved (a correction, a
    # re-import): "Aktualisiert am" and schema.org dateModified. Kept by articleapp.textchanges;
    # a save that changes no paragraph text leaves it alone.
    text_changed_at = models.DateTimeField(_("text changed"), null=True, blank=True, editable=False)
    # The reading page's version stamp and its parts, kept by articleapp.invalidation alone:
    # reader_digest digests what readers see there, made of content_digest (the article's own
    # fields, paragraphs and published annotations) and its related articles; card_digest, of
    # what other reading pages show of it, tells when theirs must move too. Not in forms or
    # history: a restored one would be stale, and so would a restored text_changed_at.
    reader_digest = models.CharField(_("reader digest"), max_length=32, blank=True, editable=False)
    content_digest = models.CharField(
        _("content digest"), max_length=32, blank=True, editable=False
    )
    card_digest = models.CharField(_("card digest"), max_length=32, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["text_changed_at", "reader_digest", "content_digest", "card_digest"]
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN), name="article_slug_format"
            ),
            # One article per source page: a re-import of the page updates it in place.
            models.UniqueConstraint(
                fields=["source_url"],
                condition=~Q(source_url=""),
                name="article_unique_source_url",
                violation_error_message=_(
                    "Another article has this source URL: each source page is one article."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articleapp:article-detail", kwargs={"slug": self.slug})


class TextRevision(models.Model):
    """A change of an article's paragraph texts after its first save, dated by when it began.

    Written by ``articleapp.textchanges`` alone, one per change. The texts before and after are
    in the paragraphs' history; ``articleapp.changelog`` reads them from there for readers.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="text_revisions", verbose_name=_("article")
    )
    started_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("text revision")
        verbose_name_plural = _("text revisions")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "started_at"], name="text_revision_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.article} @ {self.started_at:%Y-%m-%d %H:%M}"


class Paragraph(VersionedModel):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("article")
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="paragraph_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.article} ¶{self.position}"

    def save(self, *args, **kwargs):
        self.text = normalize_text(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"p-{self.position}"
