"""An article's public change log: each dated change of its text, paragraph by paragraph.

Built from what is already kept. ``TextRevision`` rows say when each change began; the
paragraphs' history (django-simple-history) holds their texts. Every history record a change
writes falls between its start and the next change's start (``articleapp.textchanges``), so the
text before a change is the paragraphs as of its start, and the text after it the paragraphs as
of the next change's start, or as they are now. A paragraph is the same paragraph before and
after when it is the same row, as the importer and the admin pair them.

Only paragraph texts and positions are read: who made a change, why, and anything about
annotations, drafts included, stay the editors'. A paragraph whose history begins with a change
rather than its creation (written without history, say by a bulk load) has no recorded earlier
wording: the log shows its new text and says so, rather than calling it added.
"""

from dataclasses import dataclass, field
from datetime import datetime

from articleapp import textdiff
from articleapp.models import Paragraph, TextRevision


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph's words before and after a change; a position is None where it is absent.

    ``earlier_unknown``: its text before the change was never recorded (see the module's
    docstring); ``segments`` then hold its new text, kept.
    """

    old_position: int | None
    new_position: int | None
    segments: list
    earlier_unknown: bool = False

    @property
    def is_added(self):
        return self.old_position is None and not self.earlier_unknown

    @property
    def is_removed(self):
        return self.new_position is None


@dataclass(frozen=True)
class Change:
    """A dated change of the text: the paragraphs it changed, in the article's order.

    No paragraph when only their order changed, or when the history of the texts is gone.
    """

    started_at: datetime
    paragraphs: list = field(default_factory=list)


def changes(article):
    """Return the article's changes, newest first. Two queries whatever their number."""
    starts = sorted(
        TextRevision.objects.filter(article=article).values_list("started_at", flat=True)
    )
    if not starts:
        return []
    records = (
        Paragraph.history.filter(article_id=article.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "history_type", "history_date", "position", "text")
    )
    states, unrecorded = texts_at(records, starts)
    result = [
        Change(started_at, compare(states[index], states[index + 1], unrecorded))
        for index, started_at in enumerate(starts)
    ]
    return result[::-1]


def texts_at(records, moments):
    """Return the paragraphs ``{id: (position, text)}`` as of each of ``moments`` and as of
    now, and the ids of those whose history does not begin with their creation.

    ``records`` are history rows ``(id, type, date, position, text)`` in the order written;
    a paragraph as of a moment is its last record before it, unless that is its deletion.
    """
    current, states, upcoming, seen, unrecorded = {}, [], iter(moments), set(), set()
    moment = next(upcoming)
    for pk, history_type, history_date, position, text in records:
        while moment is not None and history_date >= moment:
            states.append(dict(current))
            moment = next(upcoming, None)
        if pk not in seen and history_type != "+":
            unrecorded.add(pk)
        seen.add(pk)
        if history_type == "-":
            current.pop(pk, None)
        else:
            current[pk] = (position, text)
    while moment is not None:
        states.append(dict(current))
        moment = next(upcoming, None)
    states.append(current)
    return states, unrecorded


def compare(old, new, unrecorded=frozenset()):
    """Return a ParagraphChange for each paragraph whose text differs between two states;
    ``unrecorded`` are the ids of paragraphs whose earlier texts were never recorded."""
    result = []
    for pk in old.keys() | new.keys():
        old_position, old_text = old.get(pk, (None, ""))
        new_position, new_text = new.get(pk, (None, ""))
        if old_text == new_text and None not in (old_position, new_position):
            continue
        if old_position is None and pk in unrecorded:
            kept = [textdiff.Segment("kept", new_text)]
            result.append(ParagraphChange(None, new_position, kept, earlier_unknown=True))
            continue
        segments = textdiff.word_diff(old_text, new_text)
        result.append(ParagraphChange(old_position, new_position, segments))
    # In the article's order: where it stands now, a removed one where it stood.
    return sorted(
        result,
        key=lambda change: (
            change.new_position if change.new_position is not None else change.old_position,
            change.new_position is not None,
        ),
    )
