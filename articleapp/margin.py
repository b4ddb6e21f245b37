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
import re
from dataclasses import dataclass, field

from django.utils.text import Truncator

TEXT_CHARS_PER_LINE = 64
WRAPPED_CHARS_PER_LINE = 58
TEXT_LINE_PX = 30.4
NOTE_CHARS_PER_LINE = 42
NOTE_LINE_PX = 20.3
# Padding and border of a note, and the gap to the next one.
NOTE_CHROME_PX = 12
NOTE_GAP_PX = 8
# A margin may stand this much taller than its paragraph: the space below it (1.2rem).
SLACK_PX = 19
# The foot of a note: "Im Text · Wikidata · Permalink", each tag's pill, "Weiterlesen"; a row
# of tag pills stands taller than a line of text.
FOOT_CHARS = 30
TAG_CHARS = 5
READ_ON_CHARS = 13
TAG_ROW = 1.5
# "+N more: names…" stands on one line, with its padding and the gap above it.
FOLD_LINE_PX = NOTE_LINE_PX + 15
# A quote named in "+N more" is cut to this many characters.
LABEL_CHARS = 36
# A cut comment shows at least this many lines.
MIN_COMMENT_LINES = 3


@dataclass
class Margin:
    """One paragraph's margin: ``notes`` shown, ``folded`` behind "+N more", ``refs`` popovers."""

    notes: list = field(default_factory=list)
    folded: list = field(default_factory=list)
    refs: list = field(default_factory=list)

    @property
    def folded_names(self):
        """Name what "+N more" holds: each folded note's entity, or its quote."""
        return [annotation.label for annotation in self.folded]

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
        and not annotation.tag_list
    )


def label(annotation):
    """Name a note in "+N more": its entity, or the start of its quote."""
    if annotation.entity_id:
        return annotation.entity.name
    return Truncator(annotation.quote).chars(LABEL_CHARS)


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"[*_`#>]")


def visible(markdown):
    """Return roughly the text a reader sees of ``markdown``: link targets and marks removed."""
    return MARKDOWN_MARKS.sub("", MARKDOWN_LINK.sub(r"\1", markdown))


def lines(text, per_line):
    return max(1, math.ceil(len(text) / per_line))


def note_height(annotation, comment_lines=None):
    """Estimate a note's height in pixels at the wide layout, with the gap below it.

    The head (quote, entity, kind) takes one line; tags, the "read on" button and the links
    share the foot. With ``comment_lines`` the comment is cut to that many lines.
    """
    entity = annotation.entity
    rows = 1
    if entity is not None and entity.description:
        rows += min(2, lines(visible(entity.description), NOTE_CHARS_PER_LINE))
    if annotation.comment:
        rows += comment_rows(annotation) if comment_lines is None else comment_lines
    tags = annotation.tag_list
    foot = FOOT_CHARS + sum(len(tag.name) + TAG_CHARS for tag in tags)
    if comment_lines is not None:
        foot += READ_ON_CHARS
    rows += lines(" " * foot, NOTE_CHARS_PER_LINE) * (TAG_ROW if tags else 1)
    return rows * NOTE_LINE_PX + NOTE_CHROME_PX + NOTE_GAP_PX


def comment_rows(annotation):
    return lines(visible(annotation.comment), NOTE_CHARS_PER_LINE)


def clamp_lines(annotation, limit):
    """Return the lines of the comment to show so the note fits ``limit`` pixels, or None.

    A long comment beside a short paragraph would leave the text column empty below it, so it
    is cut (never below ``MIN_COMMENT_LINES``) and opens in place on request. None: it fits.
    """
    if not annotation.comment:
        return None
    excess = note_height(annotation) - limit
    if excess <= 0:
        return None
    rows = comment_rows(annotation)
    # One row more for the button that opens the rest.
    keep = max(MIN_COMMENT_LINES, rows - math.ceil(excess / NOTE_LINE_PX) - 1)
    return keep if keep < rows else None


def fold_height(labels):
    """Return the height of the "+N more: names…" line (one line, cut); none when none fold."""
    return FOLD_LINE_PX if labels else 0


def paragraph_height(text):
    return lines(text, TEXT_CHARS_PER_LINE) * TEXT_LINE_PX


def wanted_top(text, offset):
    """Estimate how far below the paragraph's top the line holding ``offset`` stands."""
    # Lines break at spaces, so a character sits further down than an even count says.
    return (offset // WRAPPED_CHARS_PER_LINE) * TEXT_LINE_PX


def plan(paragraphs):
    """Return a ``Margin`` per paragraph, in order.

    Each paragraph carries its published annotations in text order as
    ``published_annotations``, with entities and ``tag_list`` loaded (``reading.load``);
    this runs no query. Every annotation gets its ``note_number`` in the article, in text order
    (print shows them), its ``label`` (made once here: the plan asks for it many times) and its
    ``comment_lines`` (see ``clamp_lines``; None for a popover).
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
            annotation.label = label(annotation)
            annotation.comment_lines = None
            if is_bare(annotation) and annotation.entity_id in seen_entities:
                margin.refs.append(annotation)
            else:
                candidates.append(annotation)
            if annotation.entity_id is not None:
                seen_entities.add(annotation.entity_id)
        limit = paragraph_height(paragraph.text) + SLACK_PX
        for annotation in candidates:
            # Room below its line for the note, and for "+N more" should all others fold.
            others = [other.label for other in candidates if other is not annotation]
            below = limit - wanted_top(paragraph.text, annotation.start)
            room = below - fold_height(others)
            annotation.comment_lines = clamp_lines(annotation, room)
        shown = fit([candidate(item, paragraph.text) for item in candidates], limit)
        margin.notes = [annotation for annotation in candidates if annotation.pk in shown]
        margin.folded = [annotation for annotation in candidates if annotation.pk not in shown]
        margins.append(margin)
    return margins


@dataclass(frozen=True)
class Candidate:
    """What placing a note needs: where its words stand, its height, rank and label."""

    key: int
    wanted: float
    height: float
    is_minor: bool
    label: str


def candidate(annotation, text):
    return Candidate(
        annotation.pk,
        wanted_top(text, annotation.start),
        note_height(annotation, annotation.comment_lines),
        is_bare(annotation),
        annotation.label,
    )


def stack_bottom(notes, folded_labels):
    """Return where notes placed beside their words (in text order) end, "+N more" included.

    Each note stands at its words or under the note above, as ``reader.js`` places them.
    """
    bottom = 0
    for item in notes:
        bottom = max(bottom, item.wanted) + item.height
    return bottom + fold_height(folded_labels)


def fit(candidates, limit):
    """Return the keys of the candidates (in text order) shown beside a paragraph.

    Editorial notes are placed first, then minor (bare entity) notes, each only if the notes,
    beside their words, still end within ``limit`` with the "+N more" line of what folds; at
    least one note is shown. Every note the page shows then stands beside its words.
    """
    if stack_bottom(candidates, []) <= limit:
        return {item.key for item in candidates}
    by_priority = sorted(candidates, key=lambda item: item.is_minor)
    shown, editorial_folded = set(), False
    for item in by_priority:
        if item.is_minor and editorial_folded:
            break
        trial = shown | {item.key}
        notes = [other for other in candidates if other.key in trial]
        rest = [other.label for other in candidates if other.key not in trial]
        if not shown or stack_bottom(notes, rest) <= limit:
            shown = trial
        elif not item.is_minor:
            editorial_folded = True
    return shown
