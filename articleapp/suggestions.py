"""Run the entity gazetteer over articles and manage the draft suggestions it makes."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext

from articleapp import invalidation
from articleapp.gazetteer import CONFIDENCE, EntityFacts, Matcher, Reason, judge
from articleapp.models import Annotation, Entity, EntityAlias, RejectedSuggestion
from articleapp.wording import quoted

GENITIVE_ENDINGS = frozenset({"s", "’s", "'s", "es"})


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
class Gazetteer:
    """The matcher over every entity's forms, with what judging their mentions needs."""

    matcher: Matcher
    facts: dict  # entity id -> EntityFacts


def build_gazetteer(entities=None):
    """Return the Gazetteer of ``entities`` (default: all)."""
    entities = Entity.objects.all() if entities is None else entities
    facts = {}
    for entity in entities.only(
        "name", "kind", "is_ambiguous", "not_before", "not_after"
    ).order_by():
        not_before, not_after = entity.context_words()
        facts[entity.pk] = EntityFacts(
            name=unicodedata.normalize("NFC", entity.name),
            is_person=entity.kind == Entity.Kind.PERSON,
            is_ambiguous=entity.is_ambiguous,
            not_before=not_before,
            not_after=not_after,
        )
    return Gazetteer(build_matcher(entities), facts)


@dataclass(frozen=True)
class Proposal:
    """A span the gazetteer would suggest, or would not and why (``verdict``)."""

    paragraph: object
    start: int
    end: int
    entity_id: int
    form: str
    verdict: str  # a gazetteer.Reason if suggested, else a gazetteer.Skip

    @property
    def is_suggested(self):
        return isinstance(self.verdict, Reason)


def judge_mentions(paragraphs, gazetteer):
    """Yield a Proposal for every gazetteer mention in ``paragraphs``, suggested or not."""
    for paragraph, mention in find_mentions(paragraphs, gazetteer.matcher):
        verdict = judge(paragraph.text, mention, gazetteer.facts[mention.key])
        yield Proposal(paragraph, mention.start, mention.end, mention.key, mention.form, verdict)


def propose(paragraphs, gazetteer):
    """Yield the Proposals the gazetteer suggests in ``paragraphs``, whatever was done before."""
    return (proposal for proposal in judge_mentions(paragraphs, gazetteer) if proposal.is_suggested)


@dataclass
class SuggestionReport:
    created: int = 0
    already_annotated: int = 0
    rejected_before: int = 0
    # (entity id, reason) -> new suggestions
    by_entity_and_reason: Counter = field(default_factory=Counter)


@transaction.atomic
@invalidation.deferred_touches()
def suggest(article, gazetteer=None, report=None, dry_run=False):
    """Create a draft suggestion for every suggested mention in ``article`` not yet handled.

    A mention is skipped when an annotation (not orphaned) already covers exactly its words, or
    when an editor rejected that entity on those words before; running it twice creates nothing
    new. Adds to ``report`` if given; with ``dry_run`` counts what it would create, saves nothing.
    """
    gazetteer = gazetteer or build_gazetteer()
    report = report if report is not None else SuggestionReport()
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
    for proposal in propose(paragraphs, gazetteer):
        paragraph = proposal.paragraph
        span = (paragraph.pk, proposal.start, proposal.end)
        if span in annotated:
            report.already_annotated += 1
            continue
        if (paragraph.pk, proposal.entity_id, proposal.start, proposal.end) in rejected:
            report.rejected_before += 1
            continue
        annotation = Annotation(
            paragraph=paragraph,
            start=proposal.start,
            end=proposal.end,
            entity_id=proposal.entity_id,
            status=Annotation.Status.DRAFT,
            is_suggestion=True,
            confidence=CONFIDENCE[proposal.verdict],
            reason=proposal.verdict,
            matched_form=proposal.form,
        )
        annotation.anchor_in(paragraph.text)
        if not dry_run:
            annotation.save()
        annotated.add(span)
        report.created += 1
        report.by_entity_and_reason[proposal.entity_id, proposal.verdict] += 1
    return report


def describe(annotation):
    """Say why the gazetteer suggested an annotation, e.g. „Alias „Mistral“, Genitiv“."""
    if not annotation.reason:
        return ""
    form, entity = annotation.matched_form, annotation.entity
    parts = [
        gettext("name")
        if entity is None or form == unicodedata.normalize("NFC", entity.name)
        else gettext("alias %(form)s") % {"form": quoted(form)}
    ]
    ending = annotation.quote[len(form) :] if annotation.quote.startswith(form) else ""
    if ending in GENITIVE_ENDINGS:
        parts.append(gettext("genitive"))
    elif ending:
        parts.append(gettext("ending -%(ending)s") % {"ending": ending})
    reason = annotation.reason
    if reason == Annotation.Reason.COMPOUND:
        parts.append(gettext("part of a hyphenated compound"))
    elif reason == Annotation.Reason.AMBIGUOUS:
        note = entity.ambiguity_note if entity is not None else ""
        parts.append(
            gettext("ambiguous: %(note)s") % {"note": note} if note else gettext("ambiguous")
        )
    elif reason == Annotation.Reason.COMMON_WORD:
        parts.append(gettext("also a common German word"))
    return capfirst(", ".join(parts))


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
