"""Articles, their paragraphs, the entity gazetteer and the annotations that link them."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articleapp import anchoring

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
validate_wikidata_id = RegexValidator(
    WIKIDATA_ID_PATTERN,
    _("A Wikidata ID is a Q followed by a number without leading zeros, e.g. Q2283."),
)


def normalize_text(text):
    """Return text in Unicode NFC, the form every offset counts in."""
    return unicodedata.normalize("NFC", text)


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

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articleapp:article-detail", kwargs={"slug": self.slug})


class Paragraph(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("article")
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))

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


class Entity(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        PERSON = "person", _("person")
        PLACE = "place", _("place")
        EVENT = "event", _("event")
        PRODUCT = "product", _("product")
        INITIATIVE = "initiative", _("initiative")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=20,
        blank=True,
        validators=[validate_wikidata_id],
        help_text=_("For example Q2283 for Microsoft. Leave empty when unsure."),
    )
    tags = TaggableManager(_("tags"), blank=True)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="entity_wikidata_id_format",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="entity_kind_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articleapp:entity-detail", kwargs={"slug": self.slug})

    @property
    def wikidata_url(self):
        if not self.wikidata_id:
            return ""
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}"


class EntityAlias(models.Model):
    """A surface form under which an entity occurs in text, e.g. "Mistral" for Mistral AI."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("entity")
    )
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("entity", Lower("name"), name="entity_alias_unique_per_entity"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name.strip())
        super().save(*args, **kwargs)


class AnnotationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Annotation.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Annotation.Status.DRAFT)

    def for_export(self):
        """Annotations with everything an export row shows, in a stable order."""
        return self.select_related("paragraph__article", "entity", "author").order_by(
            "paragraph__article__slug", "paragraph__position", "start", "end", "pk"
        )


class Annotation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("paragraph")
    )
    start = models.PositiveIntegerField(
        _("start"), help_text=_("Offset of the first character, in Unicode code points.")
    )
    end = models.PositiveIntegerField(
        _("end"), help_text=_("Offset after the last character, in Unicode code points.")
    )
    quote = models.TextField(_("quote"), editable=False)
    prefix = models.CharField(_("text before"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(_("text after"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        verbose_name=_("entity"),
    )
    comment = models.TextField(_("comment"), blank=True)
    tags = TaggableManager(_("tags"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["paragraph", "start", "-end", "pk"]
        permissions = [("export_annotations", _("Can export annotations"))]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_not_negative"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="annotation_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")),
                name="annotation_quote_matches_span",
            ),
            models.UniqueConstraint(
                fields=["paragraph", "start", "end", "entity"],
                condition=Q(entity__isnull=False),
                name="annotation_unique_entity_span",
            ),
        ]
        indexes = [
            models.Index(fields=["paragraph", "start"], name="annotation_paragraph_start_idx"),
            models.Index(fields=["status", "entity"], name="annotation_status_entity_idx"),
        ]

    def __str__(self):
        return f"„{self.quote}“ ({self.paragraph})"

    def get_absolute_url(self):
        return f"{self.paragraph.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"a-{self.pk}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def clean(self):
        super().clean()
        if self.paragraph_id is None or self.start is None or self.end is None:
            return
        self.anchor_in(self.paragraph.text)

    def anchor_in(self, text):
        """Set quote and context from text at the current offsets; reject offsets outside it."""
        if not 0 <= self.start < self.end <= len(text):
            raise ValidationError(
                {
                    "end": _(
                        "The span %(start)s–%(end)s is not inside the paragraph, which has "
                        "%(length)s characters; start must be smaller than end."
                    )
                    % {"start": self.start, "end": self.end, "length": len(text)}
                }
            )
        captured = anchoring.capture(text, self.start, self.end)
        self.quote, self.prefix, self.suffix = captured.exact, captured.prefix, captured.suffix
