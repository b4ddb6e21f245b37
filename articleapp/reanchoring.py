"""Keep annotations on their words when paragraphs change; never delete one.

Called by ``articleapp.textchanges``, the one place every writer of paragraphs goes through (the
importer, the admin's paragraph forms, the restore of an earlier paragraph version). Each
annotation is re-anchored with
``anchoring.reanchor`` (same place, exact quote elsewhere, fuzzy quote plus context) and gets its
anchor status: anchored (same place), moved (found elsewhere) or orphaned (not found, kept with
its last offsets, hidden from readers, listed in the admin's orphan queue).

A paragraph split in two or more hands each annotation to the piece that now holds its words
(``reanchor_split``); one whose words are in no single piece is orphaned.

A removed paragraph's annotations are moved, as orphans with their last offsets, to the nearest
paragraph that remains (``orphan_onto``; ``articleapp.textchanges`` chooses it), so that an
editor finds them in the article's orphan queue and re-attaches them by selecting text.
"""

from dataclasses import dataclass, field

from django.db import transaction

from articleapp import anchoring
from articleapp.models import Annotation, RejectedSuggestion

Status = Annotation.AnchorStatus
MOVED_ELSEWHERE = anchoring.AnchorStatus.MOVED


@dataclass
class ReanchorReport:
    """What re-anchoring did, by annotation id."""

    anchored: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # words changed: hidden until confirmed
    orphaned: list = field(default_factory=list)

    def add(self, annotation):
        """Count a re-anchored annotation under its new anchor status."""
        lists = {
            Status.ANCHORED: self.anchored,
            Status.MOVED: self.moved,
            Status.CHANGED: self.changed,
            Status.ORPHANED: self.orphaned,
        }
        lists[annotation.anchor_status].append(annotation.pk)


def new_status(annotation, found, old_quote):
    """Return the anchor status of ``annotation``, re-anchored (its quote is the words found).

    ``found`` is how the words were found (``anchoring``), ``old_quote`` its quote before. The
    words changed when they differ from those a published annotation was published against,
    or, for a draft, from its quote before (and stay changed until an editor confirms them):
    "words changed". Otherwise the same words: found in place keeps "moved" (an editor has
    not looked at it since it moved) and turns an orphan whose words came back, or a published
    annotation whose words were changed back, into "in place"; found elsewhere is "moved".
    """
    if annotation.is_published:
        changed = annotation.quote != annotation.published_quote
    else:
        changed = annotation.quote != old_quote or annotation.has_changed_words
    if changed:
        return Status.CHANGED
    if found == anchoring.AnchorStatus.ANCHORED:
        current = annotation.anchor_status
        return Status.ANCHORED if current in Annotation.HIDDEN_ANCHORS else current
    return Status.MOVED


@transaction.atomic
def reanchor_paragraph(paragraph, old_text=None):
    """Re-anchor every annotation and remembered rejection of ``paragraph`` to its text.

    ``old_text`` is the text before the change, when the caller knows it: a quote that occurred
    there once and occurs in the new text once is then found whatever its context became.
    """
    return reanchor_split([paragraph], old_text)


@transaction.atomic
def reanchor_split(paragraphs, old_text=None):
    """Re-anchor the annotations of ``paragraphs[0]``, whose text was split into ``paragraphs``.

    The first paragraph is the one that held ``old_text`` and keeps its row; the others are the
    new paragraphs that follow it with the rest of its text. Quotes are found again in the
    pieces' texts joined as they were before the split, so by the same rules as within one
    paragraph, and each annotation goes with its words: one found in a later piece moves to
    that paragraph (status moved). One found across the seam of two pieces is orphaned. With a
    single paragraph this is re-anchoring after an ordinary edit.
    """
    pieces = _Pieces(paragraphs)
    first = paragraphs[0]
    annotations = list(first.annotations.select_for_update().order_by("start", "-end", "pk"))
    results = []
    for annotation in annotations:
        anchor = anchoring.reanchor(
            pieces.text, annotation.anchoring_quote, annotation.start, annotation.end, old_text
        )
        results.append((annotation, anchor.status, pieces.locate(anchor)))
    # Spans may trade places; orphaning the ones that change first keeps the unique-span
    # constraint (which ignores orphans) satisfied at every intermediate step.
    changing = [
        annotation.pk
        for annotation, _, place in results
        if place != (annotation.paragraph, annotation.start, annotation.end)
    ]
    Annotation.objects.filter(pk__in=changing).update(anchor_status=Status.ORPHANED)
    report = ReanchorReport()
    taken = set()
    for annotation, found, place in results:
        before = _state(annotation)
        key = None if place is None else (place[0].pk, *place[1:], annotation.entity_id)
        if key is None or (annotation.entity_id is not None and key in taken):
            # Not found, or two annotations of one entity landed on the same words: the
            # first keeps them.
            annotation.anchor_status = Status.ORPHANED
            report.orphaned.append(annotation.pk)
        else:
            taken.add(key)
            paragraph, start, end = place
            old_quote = annotation.quote
            annotation.paragraph = paragraph
            annotation.start, annotation.end = start, end
            annotation.anchor_in(paragraph.text)
            if paragraph == first:
                annotation.anchor_status = new_status(annotation, found, old_quote)
            else:  # into a later piece of a split
                annotation.anchor_status = new_status(annotation, MOVED_ELSEWHERE, old_quote)
            report.add(annotation)
        if annotation.pk in changing or _state(annotation) != before:
            annotation.save()
    _reanchor_rejections(pieces, old_text)
    return report


class _Pieces:
    """The texts of consecutive paragraphs joined as one, and the way back to each paragraph."""

    def __init__(self, paragraphs):
        self.paragraphs = list(paragraphs)
        self.text = anchoring.SPLIT_SEPARATOR.join(paragraph.text for paragraph in paragraphs)
        self.offsets = []
        offset = 0
        for paragraph in self.paragraphs:
            self.offsets.append(offset)
            offset += len(paragraph.text) + len(anchoring.SPLIT_SEPARATOR)

    def locate(self, anchor):
        """Return ``(paragraph, start, end)`` for an anchor in the joined text, if in one piece."""
        if anchor.status == anchoring.AnchorStatus.ORPHANED:
            return None
        for paragraph, offset in zip(self.paragraphs, self.offsets, strict=True):
            if offset <= anchor.start and anchor.end <= offset + len(paragraph.text):
                return paragraph, anchor.start - offset, anchor.end - offset
        return None


def _state(annotation):
    return (
        annotation.paragraph_id,
        annotation.start,
        annotation.end,
        annotation.quote,
        annotation.prefix,
        annotation.suffix,
        annotation.anchor_status,
    )


def _reanchor_rejections(pieces, old_text=None):
    """Follow rejected suggestions to their words; forget those whose words are gone."""
    first = pieces.paragraphs[0]
    kept = {}
    for rejection in first.rejected_suggestions.order_by("pk"):
        anchor = anchoring.reanchor(
            pieces.text, rejection.anchoring_quote, rejection.start, rejection.end, old_text
        )
        place = pieces.locate(anchor)
        if place is None:
            continue
        paragraph, start, end = place
        captured = anchoring.capture(paragraph.text, start, end)
        kept.setdefault(
            (paragraph.pk, rejection.entity_id, start, end),
            RejectedSuggestion(
                paragraph=paragraph,
                entity_id=rejection.entity_id,
                start=start,
                end=end,
                quote=captured.exact,
                prefix=captured.prefix,
                suffix=captured.suffix,
                rejected_by_id=rejection.rejected_by_id,
            ),
        )
    first.rejected_suggestions.all().delete()
    # A later piece may remember the same rejection already (an editor split it by hand).
    RejectedSuggestion.objects.bulk_create(kept.values(), ignore_conflicts=True)


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
