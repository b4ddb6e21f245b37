"""Articles, their paragraphs, the entity gazetteer and the annotations that link them."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Length, Lower, Substr
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articleapp import anchoring, gazetteer
from articleapp.history import TaggedHistoricalRecords
from articleapp.locking import VersionedModel
from articleapp.wording import quoted

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
# Django's validate_slug as a database condition: ASCII letters, digits, hyphens and
# underscores. \Z, not $: in Python's re (SQLite's REGEXP) $ also matches before a final
# newline. A slug names files in the brat zip and is reversed into every article link.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+\Z"
validate_wikidata_id = RegexValidator(
    WIKIDATA_ID_PATTERN,
    _("A Wikidata ID is a Q followed by a number without leading zeros, e.g. Q2283."),
)


def normalize_text(text):
    """Return text in Unicode NFC, the form every offset counts in."""
    return unicodedata.normalize("NFC", text)


def newest_first(path=""):
    """The order of articles, newest first, for ``order_by`` on Article or through ``path``
    (``"paragraph__article__"``): by publication date, undated ones last on every database,
    then by when they came in."""
    return [
        F(f"{path}published_on").desc(nulls_last=True),
        F(f"{path}created_at").desc(),
        F(f"{path}pk").desc(),
    ]


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


class EntityQuerySet(models.QuerySet):
    def public(self):
        """Entities readers may see: one with a published mention, or one an editor made public.

        Every public page, list, search and export of entities starts here; until then an
        entity is the editors' business (created for a draft, or imported with one).
        """
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


def seen_by_readers():
    """The condition under which readers see an annotation: the one reader rule.

    Published, neither orphaned nor with changed words, and on the text it was published
    against (the paragraph still holds ``published_quote`` at its offsets). ``published()``
    filters by it; ``with_reader_visibility()`` reports it per row (the exports' field).
    """
    return (
        Q(status=Annotation.Status.PUBLISHED)
        & ~Q(anchor_status__in=Annotation.HIDDEN_ANCHORS)
        & Q(
            Exact(
                Substr("paragraph__text", F("start") + 1, F("end") - F("start")),
                F("published_quote"),
            )
        )
    )


class AnnotationQuerySet(models.QuerySet):
    def published(self):
        """Annotations readers may see (``seen_by_readers``)."""
        return self.filter(seen_by_readers())

    def with_reader_visibility(self):
        """Each annotation with ``is_visible_to_readers``: whether ``published()`` holds it."""
        return self.annotate(
            is_visible_to_readers=Case(
                When(seen_by_readers(), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def orphaned(self):
        return self.filter(anchor_status=Annotation.AnchorStatus.ORPHANED)

    def words_changed(self):
        """Annotations whose words an edit changed: hidden from readers until confirmed."""
        return self.filter(anchor_status=Annotation.AnchorStatus.CHANGED)

    def suggestions(self):
        return self.filter(is_suggestion=True, status=Annotation.Status.DRAFT)

    def drafts(self):
        return self.filter(status=Annotation.Status.DRAFT)

    def for_export(self):
        """Annotations with everything an export row shows, in a stable order."""
        return self.select_related("paragraph__article", "entity", "author").order_by(
            "paragraph__article__slug", "paragraph__position", "start", "end", "pk"
        )


class Annotation(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Confidence(models.IntegerChoices):
        """How sure the gazetteer is of a suggestion (articleapp.gazetteer.judge)."""

        LOW = gazetteer.Confidence.LOW.value, _("low")
        MEDIUM = gazetteer.Confidence.MEDIUM.value, _("medium")
        HIGH = gazetteer.Confidence.HIGH.value, _("high")

    class Reason(models.TextChoices):
        """Why the gazetteer suggested it: the weakest reason that applied."""

        NAME = gazetteer.Reason.NAME.value, _("name")
        ALIAS = gazetteer.Reason.ALIAS.value, _("alias")
        INFLECTED = gazetteer.Reason.INFLECTED.value, _("German ending")
        COMPOUND = gazetteer.Reason.COMPOUND.value, _("part of a compound")
        AMBIGUOUS = gazetteer.Reason.AMBIGUOUS.value, _("ambiguous")
        COMMON_WORD = gazetteer.Reason.COMMON_WORD.value, _("common word")

    class AnchorStatus(models.TextChoices):
        """Where the last change of the paragraph's text left the annotation.

        In place: its words where an editor last saw them. Moved: the same words elsewhere,
        still shown to readers. Words changed: found again, but an edit changed the words
        themselves; hidden from readers until an editor confirms them. Orphaned: not found.
        """

        ANCHORED = anchoring.AnchorStatus.ANCHORED.value, _("in place")
        MOVED = anchoring.AnchorStatus.MOVED.value, _("moved")
        CHANGED = "changed", _("words changed")
        ORPHANED = anchoring.AnchorStatus.ORPHANED.value, _("orphaned")

    # Anchor states readers never see, whatever the status.
    HIDDEN_ANCHORS = (AnchorStatus.ORPHANED, AnchorStatus.CHANGED)

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
    anchor_status = models.CharField(
        _("anchor"),
        max_length=20,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        help_text=_(
            "Moved: the same words were found elsewhere after a text change; readers still see "
            "it. Words changed: an edit changed the annotated words; hidden from readers until "
            "an editor confirms it. Orphaned: the words were not found; hidden until an editor "
            "re-attaches it."
        ),
    )
    published_quote = models.TextField(
        _("published quote"),
        blank=True,
        editable=False,
        help_text=_(
            "The text this annotation was published against. Readers see it only while the "
            "paragraph holds exactly this text at its offsets."
        ),
    )
    is_suggestion = models.BooleanField(
        _("suggestion"),
        default=False,
        help_text=_("Created by the gazetteer and not yet reviewed by an editor."),
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), choices=Confidence.choices, null=True, blank=True, editable=False
    )
    # Defaults in the database too: bulk SQL writers (the benchmark's data) leave them out.
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=Reason.choices,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )
    matched_form = models.CharField(
        _("form found"),
        max_length=200,
        blank=True,
        editable=False,
        default="",
        db_default="",
        help_text=_("The name or alias the gazetteer found here, without its ending."),
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
    history = TaggedHistoricalRecords()

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
            # An orphan keeps its last offsets, which may coincide with a later annotation's.
            models.UniqueConstraint(
                fields=["paragraph", "start", "end", "entity"],
                condition=Q(entity__isnull=False) & ~Q(anchor_status="orphaned"),
                name="annotation_unique_entity_span",
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | Q(confidence__in=[level.value for level in gazetteer.Confidence]),
                name="annotation_confidence_level",
            ),
            models.CheckConstraint(
                condition=Q(reason="")
                | Q(reason__in=[reason.value for reason in gazetteer.Reason]),
                name="annotation_reason_known",
            ),
        ]
        indexes = [
            models.Index(fields=["paragraph", "start"], name="annotation_paragraph_start_idx"),
            models.Index(fields=["status", "entity"], name="annotation_status_entity_idx"),
            models.Index(fields=["anchor_status"], name="annotation_anchor_status_idx"),
            models.Index(
                fields=["is_suggestion", "confidence", "reason"], name="annotation_suggestion_idx"
            ),
        ]

    def __str__(self):
        # Unquoted: Django's messages put the name in quotation marks themselves.
        return f"{self.quote} ({self.paragraph})"

    def save(self, *args, **kwargs):
        # A draft has not been published against any text; a newly published annotation is
        # published against its current quote. Re-anchoring keeps an existing published_quote,
        # so an annotation whose words changed stays hidden until an editor saves it again.
        if self.status == self.Status.DRAFT:
            self.published_quote = ""
        elif not self.published_quote:
            self.published_quote = self.quote
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.paragraph.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"a-{self.pk}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_orphaned(self):
        return self.anchor_status == self.AnchorStatus.ORPHANED

    @property
    def has_changed_words(self):
        return self.anchor_status == self.AnchorStatus.CHANGED

    def confirm_words(self):
        """Take the words now at the offsets as the annotation's own: an editor looked at them.

        In place again, and a published annotation is published against these words, so
        readers see it. The caller saves; an orphan has no words to confirm and stays one.
        """
        if self.is_orphaned:
            return
        self.anchor_status = self.AnchorStatus.ANCHORED
        self.published_quote = self.quote if self.is_published else ""

    @property
    def anchoring_quote(self):
        return anchoring.Quote(self.quote, self.prefix, self.suffix)

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
                    "end": ngettext(
                        "The span %(start)s–%(end)s is not inside the paragraph, which has "
                        "%(length)d character; start must be smaller than end.",
                        "The span %(start)s–%(end)s is not inside the paragraph, which has "
                        "%(length)d characters; start must be smaller than end.",
                        len(text),
                    )
                    % {"start": self.start, "end": self.end, "length": len(text)}
                }
            )
        captured = anchoring.capture(text, self.start, self.end)
        self.quote, self.prefix, self.suffix = captured.exact, captured.prefix, captured.suffix


class SuggestedAnnotation(Annotation):
    """The admin's review queue of draft suggestions (a view of Annotation)."""

    class Meta:
        proxy = True
        verbose_name = _("suggestion to review")
        verbose_name_plural = _("suggestions to review")


class OrphanedAnnotation(Annotation):
    """The admin's queue of annotations whose words were lost (a view of Annotation)."""

    class Meta:
        proxy = True
        verbose_name = _("orphaned annotation")
        verbose_name_plural = _("orphaned annotations")


class ChangedAnnotation(Annotation):
    """The admin's queue of annotations whose words an edit changed (a view of Annotation)."""

    class Meta:
        proxy = True
        verbose_name = _("annotation to check after a text change")
        verbose_name_plural = _("to check after text changes")


class RejectedSuggestion(models.Model):
    """A span an editor rejected as a mention of an entity: never suggested there again.

    Re-anchored with its paragraph like an annotation; one whose words are gone is forgotten,
    since the gazetteer cannot find it there either.
    """

    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="rejected_suggestions",
        verbose_name=_("paragraph"),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="rejected_suggestions",
        verbose_name=_("entity"),
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    quote = models.TextField(_("quote"))
    prefix = models.CharField(_("text before"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(_("text after"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    created_at = models.DateTimeField(_("rejected"), auto_now_add=True)

    class Meta:
        verbose_name = _("rejected suggestion")
        verbose_name_plural = _("rejected suggestions")
        ordering = ["paragraph", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "entity", "start", "end"],
                name="rejected_suggestion_unique_span",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="rejected_suggestion_start_before_end"
            ),
        ]

    def __str__(self):
        return f"{quoted(self.quote)} ≠ {self.entity}"

    @property
    def anchoring_quote(self):
        return anchoring.Quote(self.quote, self.prefix, self.suffix)
