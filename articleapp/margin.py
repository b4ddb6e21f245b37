"""Decide what the reading page's margin holds: notes, folded notes and popover references.

The margin is a budget (see ``shared/design/reading.md``, principle 3). An editorial comment or
an annotation with tags of its own is a note. An entity gets one note, at its first mention in
the article; its later bare mentions (no comment, no tags) are highlights whose note opens as a
popover. A paragraph's notes must not stand much taller than the paragraph itself, or the text
column is left empty beside them: notes past the paragraph's height fold into "+N more", the
editorial ones last.

Heights are estimated in CSS pixels of the wide layout from character counts, so the page is
decided on the server, before the first paint, and never shifts. The constants follow
``static/articleapp/css/site.css`` (text 19px/1.6 in a 39rem column, notes 14px/1.45 in an
18rem margin) and are checked against the browser in ``tests/browser/test_reading_layout.py``.
"""

import math
from dataclasses import dataclass, field

TEXT_CHARS_PER_LINE = 62
TEXT_LINE_PX = 30.4
NOTE_CHARS_PER_LINE = 42
NOTE_LINE_PX = 20.3
# Padding and border of a note, and the gap to the next one.
NOTE_CHROME_PX = 12
NOTE_GAP_PX = 8
# A margin may stand this much taller than its paragraph (into the space below it) before
# notes fold.
SLACK_PX = 1.5 * TEXT_LINE_PX


@dataclass
class Margin:
    """One paragraph's margin: ``notes`` shown, ``folded`` behind "+N more", ``refs`` popovers."""

    notes: list = field(default_factory=list)
    folded: list = field(default_factory=list)
    refs: list = field(default_factory=list)

    @property
    def folded_names(self):
        """Name what "+N more" holds: each folded note's entity, or its quote."""
        return [label(annotation) for annotation in self.folded]

    @property
    def numbers(self):
        """Map each annotation of the paragraph to its note number."""
        return {
            annotation.pk: annotation.note_number
            for annotation in self.notes + self.folded + self.refs
        }

    @property
    def note_count(self):
        return len(self.notes) + len(self.folded)

    @property
    def count(self):
        return self.note_count + len(self.refs)


def is_bare(annotation):
    """Tell whether an annotation only links words to an entity: no comment, no tags."""
    return (
        annotation.entity_id is not None
        and not annotation.comment.strip()
        and not annotation.tags.all()
    )


def label(annotation):
    return annotation.entity.name if annotation.entity_id else annotation.quote


def lines(text, per_line):
    return max(1, math.ceil(len(text) / per_line))


def note_height(annotation):
    """Estimate a note's height in pixels at the wide layout, with the gap below it."""
    entity = annotation.entity
    head = len(annotation.quote) + 3
    if entity is not None:
        head += len(entity.name) + len(entity.get_kind_display()) + 3
    rows = lines(" " * head, NOTE_CHARS_PER_LINE) + 1  # the head, and the links
    if entity is not None and entity.description:
        rows += min(2, lines(entity.description, NOTE_CHARS_PER_LINE))
    if annotation.comment:
        rows += lines(annotation.comment, NOTE_CHARS_PER_LINE)
    if annotation.tags.all():
        rows += 1.2
    return rows * NOTE_LINE_PX + NOTE_CHROME_PX + NOTE_GAP_PX


def fold_height(labels):
    """Estimate the height of "+N more: names…" for folded notes; nothing when none fold."""
    if not labels:
        return 0
    summary = f"+{len(labels)} more: {', '.join(labels)}"
    return lines(summary, NOTE_CHARS_PER_LINE) * NOTE_LINE_PX + NOTE_GAP_PX


def paragraph_height(text):
    return lines(text, TEXT_CHARS_PER_LINE) * TEXT_LINE_PX


def plan(paragraphs):
    """Return a ``Margin`` per paragraph, in order.

    Each paragraph carries its published annotations in text order as
    ``published_annotations``, with entities and tags loaded; this runs no query. Every
    annotation gets its ``note_number`` in the article, in text order (print shows them).
    """
    seen_entities = set()
    margins = []
    number = 0
    for paragraph in paragraphs:
        margin = Margin()
        candidates = []
        for annotation in paragraph.published_annotations:
            number += 1
            annotation.note_number = number
            if is_bare(annotation) and annotation.entity_id in seen_entities:
                margin.refs.append(annotation)
            else:
                candidates.append(annotation)
            if annotation.entity_id is not None:
                seen_entities.add(annotation.entity_id)
        shown = fit([candidate(item) for item in candidates], paragraph_height(paragraph.text))
        margin.notes = [annotation for annotation in candidates if annotation.pk in shown]
        margin.folded = [annotation for annotation in candidates if annotation.pk not in shown]
        margins.append(margin)
    return margins


@dataclass(frozen=True)
class Candidate:
    """What placing a note needs to know: its height, whether it is minor, its label."""

    key: int
    height: float
    is_minor: bool
    label: str


def candidate(annotation):
    return Candidate(annotation.pk, note_height(annotation), is_bare(annotation), label(annotation))


def fit(candidates, text_height):
    """Return the keys of the candidates shown beside a paragraph; the others fold.

    Editorial notes are placed first, then minor (bare entity) notes, each while it fits beside
    the text together with the "+N more" line of what is left; at least one note is shown.
    """
    limit = text_height + SLACK_PX
    if sum(item.height for item in candidates) <= limit:
        return {item.key for item in candidates}
    by_priority = sorted(candidates, key=lambda item: item.is_minor)
    shown, used, editorial_folded = set(), 0, False
    for item in by_priority:
        if item.is_minor and editorial_folded:
            break
        # Whatever is not shown by now folds; later notes join only if they fit beside it.
        rest = [other.label for other in by_priority if other.key not in shown and other != item]
        if not shown or used + item.height + fold_height(rest) <= limit:
            shown.add(item.key)
            used += item.height
        elif not item.is_minor:
            editorial_folded = True
    return shown
