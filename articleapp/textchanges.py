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
with ``pair_paragraphs``; the admin's forms say it themselves.

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
from articleapp.models import Article, TextRevision
from articleapp.reanchoring import ReanchorReport, orphan_onto, reanchor_split


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
        target = _nearest(old_index, before.paragraphs, paired, paragraphs)
        if target is not None:
            report.orphaned_by_removal += orphan_onto(paragraph.annotations.all(), target)
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


def _nearest(old_index, old_paragraphs, paired, paragraphs):
    """The paragraph that takes the orphans of the removed ``old_paragraphs[old_index]``."""
    earlier = range(old_index - 1, -1, -1)
    later = range(old_index + 1, len(old_paragraphs))
    for other in [*earlier, *later]:
        if other in paired:
            return paragraphs[paired[other]]
    return paragraphs[0] if paragraphs else None


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
