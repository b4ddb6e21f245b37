"""The one way annotations follow an article whose paragraphs changed: pair, split, re-anchor.

Every writer of paragraphs (the importer, the article's paragraph inline in the admin, a
paragraph's own admin form and the restore of an earlier version there, the deletion of
paragraphs) does the same three steps:

1. ``before(article)``: read (and lock) the article's paragraphs as they are;
2. write its paragraphs: change texts and positions, add new ones, leaving removed ones alone;
3. ``reconcile(before, removed)``: pair the paragraphs of ``before`` with today's by their rows,
   hand the annotations of a paragraph split into new ones that follow it to the piece holding
   their words (``find_splits``), re-anchor the annotations of every paragraph whose text
   changed (``articleapp.reanchoring``), keep the annotations of removed paragraphs as orphans
   on the nearest paragraph that remains, delete the removed paragraphs, and report.

The importer, which gets texts rather than rows, first decides which row takes which new text
with ``pair_paragraphs``; the admin's forms say it themselves. Before it writes anything, ``plan``
tells what giving an article new texts would do to each annotation (an import's dry run and its
preview in the admin), by the same pairing, splits and ``reanchoring.place`` that ``reconcile``
then applies.

A change of the texts readers see (edited, added, removed or reordered paragraphs of an article
that had text before) is dated for them: ``reconcile`` records a ``TextRevision`` and sets
``Article.text_changed_at`` to the moment ``before`` took the lock. Every paragraph history
record the change writes is later than that moment and earlier than the next change's, which is
how ``articleapp.changelog`` finds the texts before and after each change. A save that leaves
every text as it was records nothing.
"""

import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from articleapp import anchoring, invalidation
from articleapp.models import Annotation, Article, TextRevision
from articleapp.reanchoring import ReanchorReport, orphan_onto, place, reanchor_split

Status = Annotation.AnchorStatus
# What ``plan`` reads of an annotation: the same values, the same plan.
PLANNED_FROM = (
    "pk",
    "paragraph_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "entity_id",
    "status",
    "anchor_status",
    "published_quote",
)


@dataclass(frozen=True)
class Before:
    """An article's paragraphs as they were before a change, in order, with their texts, and
    when the change began (after the lock was taken, so after every earlier change)."""

    article: object
    paragraphs: tuple
    texts: tuple
    started_at: object


@dataclass(frozen=True)
class ParagraphChange:
    """What happened to the annotations of one paragraph whose text changed."""

    paragraph: object  # the paragraph as it is now; it held the old text
    pieces: int  # how many paragraphs its text became: more than one after a split
    report: ReanchorReport


@dataclass
class TextChangeReport:
    changes: list = field(default_factory=list)  # ParagraphChange, in the article's order
    orphaned_by_removal: list = field(default_factory=list)  # annotation ids


def before(article):
    """Return the article's paragraphs as stored now, locked until the transaction ends."""
    paragraphs = tuple(article.paragraphs.select_for_update().order_by("position"))
    texts = tuple(paragraph.text for paragraph in paragraphs)
    return Before(article, paragraphs, texts, timezone.now())


@transaction.atomic
@invalidation.deferred_touches()
def reconcile(before, removed=()):
    """Make the annotations follow the change from ``before`` to the article's paragraphs now.

    ``removed`` are paragraphs of ``before`` that go: their annotations become orphans of the
    nearest remaining paragraph (the closest before it, else after it, else the first) and they
    are deleted. Every other paragraph of ``before`` is paired with its row of today; new rows
    after a changed one may be its second half (a split). Never deletes an annotation unless no
    paragraph remains at all.
    """
    removed_pks = {paragraph.pk for paragraph in removed}
    paragraphs = list(before.article.paragraphs.exclude(pk__in=removed_pks).order_by("position"))
    new_index = {paragraph.pk: index for index, paragraph in enumerate(paragraphs)}
    paired = {
        old_index: new_index[paragraph.pk]
        for old_index, paragraph in enumerate(before.paragraphs)
        if paragraph.pk in new_index
    }
    new_texts = [paragraph.text for paragraph in paragraphs]
    splits = find_splits(before.texts, new_texts, paired)
    report = TextChangeReport()
    for old_index, index in sorted(paired.items(), key=lambda pair: pair[1]):
        old_text = before.texts[old_index]
        if old_text == new_texts[index]:
            continue
        pieces = paragraphs[index : index + splits.get(old_index, 1)]
        report.changes.append(
            ParagraphChange(pieces[0], len(pieces), reanchor_split(pieces, old_text))
        )
    for old_index, paragraph in enumerate(before.paragraphs):
        if paragraph.pk not in removed_pks:
            continue
        target = nearest(old_index, len(before.paragraphs), paired, len(paragraphs))
        if target is not None:
            report.orphaned_by_removal += orphan_onto(
                paragraph.annotations.all(), paragraphs[target]
            )
        paragraph.delete()
    if before.texts and tuple(new_texts) != before.texts:
        record_revision(before)
    return report


def record_revision(before):
    """Date the change that began at ``before`` for readers (see the module's docstring)."""
    article = before.article
    TextRevision.objects.create(article=article, started_at=before.started_at)
    Article.objects.filter(pk=article.pk).update(text_changed_at=before.started_at)
    article.text_changed_at = before.started_at
    # An update() sends no signal: the stamp moves with the date readers now see.
    invalidation.touch_articles(Article.objects.filter(pk=article.pk))


def nearest(old_index, old_count, paired, new_count):
    """The new index of the paragraph that takes the orphans of removed paragraph ``old_index``.

    The closest old paragraph before it that remains, else after it, else the first; None when
    no paragraph remains.
    """
    earlier = range(old_index - 1, -1, -1)
    later = range(old_index + 1, old_count)
    for other in [*earlier, *later]:
        if other in paired:
            return paired[other]
    return 0 if new_count else None


@dataclass(frozen=True)
class Outcome:
    """What a planned change of texts does to one annotation."""

    annotation: object  # as stored now
    old_position: int
    position: int  # of the paragraph it will be on
    start: int
    end: int
    quote: str  # the words it will mark; its last words when orphaned
    status: str  # its Annotation.AnchorStatus afterwards
    elsewhere: bool = False  # on another paragraph than its own: a split's later piece

    @property
    def needs_review(self):
        """Hidden from readers afterwards until an editor looks: words changed, or orphaned."""
        return self.status in Annotation.HIDDEN_ANCHORS

    @property
    def is_moved(self):
        """Found again at another place than its own: other offsets, or another paragraph."""
        annotation = self.annotation
        offsets_changed = (self.start, self.end) != (annotation.start, annotation.end)
        return not self.needs_review and (self.elsewhere or offsets_changed)

    @property
    def is_kept(self):
        return not self.needs_review and not self.is_moved

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass(frozen=True)
class Plan:
    """What giving an article new paragraph texts would do, decided without writing."""

    paragraphs: tuple  # the article's paragraphs as read
    added: int  # new paragraphs, the later pieces of a split among them
    removed: int  # old paragraphs that go
    changed: int  # old paragraphs whose text changes (a split counts once)
    splits: int  # old paragraphs split into several
    states: tuple  # for each new text: "unchanged", "changed" or "new"
    outcomes: tuple  # Outcome, in the order of the new text
    previous: tuple = ()  # for each new text: the old text it replaces, or None if it is new

    @property
    def kept(self):
        return [outcome for outcome in self.outcomes if outcome.is_kept]

    @property
    def moved(self):
        return [outcome for outcome in self.outcomes if outcome.is_moved]

    @property
    def to_review(self):
        return [outcome for outcome in self.outcomes if outcome.needs_review]


def plan(article, new_texts, lock=False):
    """Tell what giving ``article`` the paragraph texts ``new_texts`` would do; write nothing.

    Pairs, splits and re-anchors as the importer and ``reconcile`` do; reads the article's
    paragraphs (locked, with ``lock``, until the transaction ends) and annotations in two
    queries.
    """
    paragraphs = []
    if article.pk is not None:
        rows = article.paragraphs.order_by("position")
        paragraphs = list(rows.select_for_update() if lock else rows)
    old_texts = [paragraph.text for paragraph in paragraphs]
    new_texts = list(new_texts)
    paired = pair_paragraphs(old_texts, new_texts)
    splits = find_splits(old_texts, new_texts, paired)
    by_paragraph = {paragraph.pk: [] for paragraph in paragraphs}
    if paragraphs:
        annotations = (
            Annotation.objects.filter(paragraph__article=article)
            .select_related("entity")
            .order_by("start", "-end", "pk")
        )
        for annotation in annotations:
            by_paragraph[annotation.paragraph_id].append(annotation)
    outcomes = []
    for old_index, paragraph in enumerate(paragraphs):
        annotations = by_paragraph[paragraph.pk]
        new_index = paired.get(old_index)
        if new_index is None:
            target = nearest(old_index, len(paragraphs), paired, len(new_texts))
            outcomes += [_orphaned(annotation, old_index, target) for annotation in annotations]
        elif old_texts[old_index] == new_texts[new_index]:
            outcomes += [_unchanged(annotation, old_index, new_index) for annotation in annotations]
        else:
            pieces = new_texts[new_index : new_index + splits.get(old_index, 1)]
            for placement in place(pieces, annotations, old_texts[old_index]):
                outcomes.append(_placed(placement, old_index, new_index))
    changed = [
        old_index
        for old_index, new_index in paired.items()
        if old_texts[old_index] != new_texts[new_index]
    ]
    old_of = {new_index: old_index for old_index, new_index in paired.items()}
    states = tuple(
        "new"
        if index not in old_of
        else "unchanged"
        if old_texts[old_of[index]] == text
        else "changed"
        for index, text in enumerate(new_texts)
    )
    previous = tuple(
        old_texts[old_of[index]] if index in old_of else None for index in range(len(new_texts))
    )
    return Plan(
        paragraphs=tuple(paragraphs),
        added=len(new_texts) - len(paired),
        removed=len(paragraphs) - len(paired),
        changed=len(changed),
        splits=len(splits),
        states=states,
        outcomes=tuple(sorted(outcomes, key=lambda o: (o.position, o.start, -o.end))),
        previous=previous,
    )


def pair_paragraphs(old_texts, new_texts):
    """Return ``{old index: new index}``: which old paragraph takes which new text.

    Equal texts pair with each other, and within a changed stretch old and new pair in order,
    so that an inserted or removed paragraph does not shift the others' texts under their
    annotations. Old paragraphs left over are removed.
    """
    paired = {}
    matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
    for _tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        for offset in range(min(old_end - old_start, new_end - new_start)):
            paired[old_start + offset] = new_start + offset
    return paired


def find_splits(old_texts, new_texts, paired):
    """Return ``{old index: number of pieces}`` for the old paragraphs split into several.

    A paired old paragraph whose text changed, followed in the new text by paragraphs that no
    old one pairs with, was split when its old text reads like its new text joined with (some
    of) those (``anchoring.split_pieces``).
    """
    unpaired = set(range(len(new_texts))) - set(paired.values())
    splits = {}
    for old_index, new_index in paired.items():
        old_text = old_texts[old_index]
        if old_text == new_texts[new_index]:
            continue
        following = new_index + 1
        while following in unpaired:
            following += 1
        if following - new_index < 2:
            continue
        count = anchoring.split_pieces(old_text, new_texts[new_index:following])
        if count > 1:
            splits[old_index] = count
    return splits


def _unchanged(annotation, old_index, new_index):
    return Outcome(
        annotation,
        old_index + 1,
        new_index + 1,
        annotation.start,
        annotation.end,
        annotation.quote,
        annotation.anchor_status,
    )


def _orphaned(annotation, old_index, target, elsewhere=True):
    """An orphan kept, with its last words and offsets, on the paragraph at ``target``."""
    position = old_index + 1 if target is None else target + 1
    return Outcome(
        annotation,
        old_index + 1,
        position,
        annotation.start,
        annotation.end,
        annotation.quote,
        Status.ORPHANED,
        elsewhere=elsewhere,
    )


def _placed(placement, old_index, new_index):
    annotation = placement.annotation
    if placement.is_orphaned:
        return _orphaned(annotation, old_index, new_index, elsewhere=False)
    return Outcome(
        annotation,
        old_index + 1,
        new_index + placement.piece + 1,
        placement.start,
        placement.end,
        placement.quote,
        placement.status,
        elsewhere=placement.piece > 0,
    )
