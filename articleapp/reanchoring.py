"""Keep annotations on their words when paragraphs change; never delete one.

Called explicitly wherever a paragraph's text changes: the importer, the admin's paragraph forms
and the restore of an earlier paragraph version. Each annotation is re-anchored with
``anchoring.reanchor`` (same place, exact quote elsewhere, fuzzy quote plus context) and gets its
anchor status: anchored (same place), moved (found elsewhere) or orphaned (not found, kept with
its last offsets, hidden from readers, listed in the admin's orphan queue).

A removed paragraph's annotations are moved, as orphans with their last offsets, to the nearest
paragraph that remains (the one before it, or the first one when it was the first), so that an
editor finds them in the article's orphan queue and re-attaches them by selecting text.
"""

from dataclasses import dataclass, field

from django.db import transaction

from articleapp import anchoring
from articleapp.models import Annotation, RejectedSuggestion

Status = Annotation.AnchorStatus


@dataclass
class ReanchorReport:
    """What re-anchoring did, by annotation id."""

    anchored: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    orphaned: list = field(default_factory=list)

    def extend(self, other):
        self.anchored += other.anchored
        self.moved += other.moved
        self.orphaned += other.orphaned


def new_status(current, found):
    """Return the anchor status after a re-anchoring that found ``found``.

    Found in place keeps "moved" (an editor has not looked at it since it moved) and turns an
    orphan whose words came back into "anchored".
    """
    if found == anchoring.AnchorStatus.ANCHORED:
        return Status.ANCHORED if current == Status.ORPHANED else current
    return Status(found.value)


@transaction.atomic
def reanchor_paragraph(paragraph):
    """Re-anchor every annotation and remembered rejection of ``paragraph`` to its text."""
    text = paragraph.text
    annotations = list(paragraph.annotations.select_for_update().order_by("start", "-end", "pk"))
    results = []
    for annotation in annotations:
        anchor = anchoring.reanchor(
            text, annotation.anchoring_quote, annotation.start, annotation.end
        )
        results.append((annotation, anchor))
    # Spans may trade places; orphaning the ones that change first keeps the unique-span
    # constraint (which ignores orphans) satisfied at every intermediate step.
    changing = [
        annotation.pk
        for annotation, anchor in results
        if (anchor.start, anchor.end) != (annotation.start, annotation.end)
    ]
    Annotation.objects.filter(pk__in=changing).update(anchor_status=Status.ORPHANED)
    report = ReanchorReport()
    taken = set()
    for annotation, anchor in results:
        status = new_status(annotation.anchor_status, anchor.status)
        if status != Status.ORPHANED:
            key = (anchor.start, anchor.end, annotation.entity_id)
            if annotation.entity_id is not None and key in taken:
                # Two annotations of one entity landed on the same words: keep the first.
                status = Status.ORPHANED
            else:
                taken.add(key)
        before = _state(annotation)
        if status == Status.ORPHANED:
            annotation.anchor_status = Status.ORPHANED
            report.orphaned.append(annotation.pk)
        else:
            annotation.start, annotation.end = anchor.start, anchor.end
            annotation.anchor_in(text)
            annotation.anchor_status = status
            (report.anchored if status == Status.ANCHORED else report.moved).append(annotation.pk)
        if annotation.pk in changing or _state(annotation) != before:
            annotation.save()
    _reanchor_rejections(paragraph)
    return report


def _state(annotation):
    return (
        annotation.start,
        annotation.end,
        annotation.quote,
        annotation.prefix,
        annotation.suffix,
        annotation.anchor_status,
    )


def _reanchor_rejections(paragraph):
    """Follow rejected suggestions to their words; forget those whose words are gone."""
    text = paragraph.text
    kept = {}
    for rejection in paragraph.rejected_suggestions.order_by("pk"):
        anchor = anchoring.reanchor(text, rejection.anchoring_quote, rejection.start, rejection.end)
        if anchor.status == anchoring.AnchorStatus.ORPHANED:
            continue
        captured = anchoring.capture(text, anchor.start, anchor.end)
        key = (rejection.entity_id, anchor.start, anchor.end)
        kept.setdefault(
            key,
            RejectedSuggestion(
                paragraph=paragraph,
                entity_id=rejection.entity_id,
                start=anchor.start,
                end=anchor.end,
                quote=captured.exact,
                prefix=captured.prefix,
                suffix=captured.suffix,
                rejected_by_id=rejection.rejected_by_id,
            ),
        )
    paragraph.rejected_suggestions.all().delete()
    RejectedSuggestion.objects.bulk_create(kept.values())


@transaction.atomic
def orphan_onto(annotations, paragraph):
    """Move ``annotations`` (of a paragraph being removed) to ``paragraph`` as orphans."""
    moved = []
    for annotation in annotations:
        annotation.paragraph = paragraph
        annotation.anchor_status = Status.ORPHANED
        annotation.save()
        moved.append(annotation.pk)
    return moved


@transaction.atomic
def rescue_annotations(paragraph, exclude=()):
    """Before ``paragraph`` is deleted, orphan its annotations onto the nearest other paragraph.

    The nearest is the closest one before it, else the closest after it, never one in
    ``exclude`` (being deleted too). Returns the ids moved; none when no paragraph remains, in
    which case the admin's delete confirmation lists the annotations that go with it.
    """
    excluded = [other.pk for other in exclude]
    others = paragraph.article.paragraphs.exclude(pk=paragraph.pk).exclude(pk__in=excluded)
    target = (
        others.filter(position__lt=paragraph.position).order_by("-position").first()
        or others.filter(position__gt=paragraph.position).order_by("position").first()
    )
    if target is None:
        return []
    return orphan_onto(paragraph.annotations.all(), target)
