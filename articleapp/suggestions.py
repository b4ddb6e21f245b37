"""Run the entity gazetteer over an article's paragraphs and manage the draft suggestions."""

from dataclasses import dataclass

from django.db import transaction

from articleapp import invalidation
from articleapp.gazetteer import Matcher
from articleapp.models import Annotation, Entity, EntityAlias, RejectedSuggestion


def build_matcher(entities=None):
    """Return a Matcher over the names and aliases of ``entities`` (default: all), keyed by id."""
    entities = Entity.objects.all() if entities is None else entities
    forms = [(name, pk) for pk, name in entities.values_list("pk", "name")]
    forms += EntityAlias.objects.filter(entity__in=entities).values_list("name", "entity_id")
    return Matcher(forms)


def find_mentions(paragraphs, matcher):
    """Yield ``(paragraph, mention)`` for every gazetteer mention in ``paragraphs``."""
    for paragraph in paragraphs:
        for mention in matcher.find(paragraph.text):
            yield paragraph, mention


@dataclass
class SuggestionReport:
    created: int = 0
    already_annotated: int = 0
    rejected_before: int = 0


@transaction.atomic
@invalidation.deferred_touches()
def suggest(article, matcher=None):
    """Create a draft suggestion for every gazetteer mention in ``article`` not yet handled.

    A mention is skipped when an annotation (not orphaned) already covers exactly its words, or
    when an editor rejected that entity on those words before; running it twice creates nothing
    new.
    """
    matcher = matcher or build_matcher()
    paragraphs = list(article.paragraphs.order_by("position"))
    annotated = set(
        Annotation.objects.filter(paragraph__article=article)
        .exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)
        .values_list("paragraph_id", "start", "end")
    )
    rejected = set(
        RejectedSuggestion.objects.filter(paragraph__article=article).values_list(
            "paragraph_id", "entity_id", "start", "end"
        )
    )
    report = SuggestionReport()
    for paragraph, mention in find_mentions(paragraphs, matcher):
        span = (paragraph.pk, mention.start, mention.end)
        if span in annotated:
            report.already_annotated += 1
            continue
        if (paragraph.pk, mention.key, mention.start, mention.end) in rejected:
            report.rejected_before += 1
            continue
        annotation = Annotation(
            paragraph=paragraph,
            start=mention.start,
            end=mention.end,
            entity_id=mention.key,
            status=Annotation.Status.DRAFT,
            is_suggestion=True,
        )
        annotation.anchor_in(paragraph.text)
        annotation.save()
        annotated.add(span)
        report.created += 1
    return report


def accept(annotation):
    """Mark a suggestion accepted: published against its current words. The caller saves it."""
    annotation.status = Annotation.Status.PUBLISHED
    annotation.is_suggestion = False
    annotation.confirm_words()


@transaction.atomic
def reject(annotation, user=None):
    """Delete a suggestion and remember its words so they are not suggested again.

    Only a stored version equal to the one the editor saw is deleted; otherwise VersionConflict.
    """
    annotation.delete_unless_changed()
    if annotation.entity_id is not None:
        RejectedSuggestion.objects.get_or_create(
            paragraph_id=annotation.paragraph_id,
            entity_id=annotation.entity_id,
            start=annotation.start,
            end=annotation.end,
            defaults={
                "quote": annotation.quote,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
                "rejected_by": user,
            },
        )
