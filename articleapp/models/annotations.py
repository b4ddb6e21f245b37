"""Annotations (editors' notes and suggestions) on the words of a paragraph, the reader rule
that decides which ones readers see, and the suggestions editors rejected."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Length, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from articleapp import anchoring, gazetteer
from articleapp.history import TaggedHistoricalRecords
from articleapp.locking import VersionedModel
from articleapp.models.articles import Paragraph
from articleapp.models.entities import Entity
from articleapp.wording import quoted


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
