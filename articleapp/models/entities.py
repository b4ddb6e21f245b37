"""The entity gazetteer: entities, their aliases, and which articles mention them."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articleapp.history import TaggedHistoricalRecords
from articleapp.locking import VersionedModel
from articleapp.models.articles import Article
from articleapp.models.common import (
    SLUG_PATTERN,
    WIKIDATA_ID_PATTERN,
    normalize_text,
    validate_wikidata_id,
)


class EntityQuerySet(models.QuerySet):
    def public(self):
        """Entities readers may see: one with a published mention, or one an editor made public.

        Every public page, list, search and export of entities starts here; until then an
        entity is the editors' business (created for a draft, or imported with one).
        """
        # Imported here: the annotations module builds on this one (Annotation.entity).
        from articleapp.models.annotations import Annotation

        mentioned = Annotation.objects.published().filter(entity=OuterRef("pk"))
        return self.filter(Q(is_public=True) | Exists(mentioned))


class Entity(VersionedModel):
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
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Show the entity to readers now. Without this, its page, its place in the entity "
            "list and in search appear with its first published annotation."
        ),
    )
    tags = TaggableManager(_("tags"), blank=True)
    # How the gazetteer treats the entity's names: see articleapp.gazetteer.judge.
    is_ambiguous = models.BooleanField(
        _("ambiguous"),
        default=False,
        help_text=_(
            "A one-word name or alias of it also means something else: its mentions are "
            "suggested with low confidence."
        ),
    )
    ambiguity_note = models.CharField(
        _("other meaning"),
        max_length=100,
        blank=True,
        help_text=_("Shown with its suggestions after “ambiguous:”, e.g. “auch ein Wind”."),
    )
    not_before = models.CharField(
        _("never before"),
        max_length=300,
        blank=True,
        help_text=_(
            "Words, separated by commas: a name of it directly before one of them is not "
            "suggested (e.g. “weht, bläst”)."
        ),
    )
    not_after = models.CharField(
        _("never after"),
        max_length=300,
        blank=True,
        help_text=_(
            "Words, separated by commas: a name of it directly after one of them is not "
            "suggested (e.g. “kalte, eisige”)."
        ),
    )

    objects = EntityQuerySet.as_manager()
    history = TaggedHistoricalRecords()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="entity_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN), name="entity_slug_format"
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="entity_kind_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articleapp:entity-detail", kwargs={"slug": self.slug})

    def get_kind_display(self):
        # Django's own builds a dict of every choice per call, translating each label (eight
        # gettext calls a card on the reading page); the enum finds the one label. Labels are
        # lower case for use inside a sentence; shown alone they start with a capital.
        label = self.Kind(self.kind).label if self.kind in self.Kind.values else self.kind
        return capfirst(label)

    def context_words(self):
        """Return the "never before" and "never after" words, each a set, casefolded."""
        return tuple(
            frozenset(word.strip().casefold() for word in words.split(",") if word.strip())
            for words in (self.not_before, self.not_after)
        )

    @property
    def wikidata_url(self):
        if not self.wikidata_id:
            return ""
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}"


class ArticleEntity(models.Model):
    """An entity readers see mentioned in an article, and how often.

    Derived from ``Annotation.objects.published()`` and kept by ``articleapp.invalidation`` when
    it settles an article's reading stamp, never written elsewhere: the article list's "mentions
    most", the entity page's articles and the reading page's related articles read it.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="entity_mentions", verbose_name=_("article")
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="article_mentions", verbose_name=_("entity")
    )
    mentions = models.PositiveIntegerField(_("mentions"))

    class Meta:
        verbose_name = _("entity of an article")
        verbose_name_plural = _("entities of articles")
        ordering = ["article", "-mentions", "entity"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="article_entity_unique"),
            models.CheckConstraint(condition=Q(mentions__gte=1), name="article_entity_mentioned"),
        ]
        indexes = [models.Index(fields=["entity", "article"], name="article_entity_entity_idx")]

    def __str__(self):
        return f"{self.entity} ({self.article})"


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
