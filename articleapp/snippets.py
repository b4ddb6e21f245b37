"""Short excerpts of text with the interesting part marked: keyword in context, search snippets.

Pure functions: no models, no database. Everything returned as HTML is escaped first, then marked.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# The database marks search matches with these two control characters, which never occur in a
# normalised article; ``marked_html`` turns them into <mark> after escaping the text.
MATCH_START = "\x02"
MATCH_STOP = "\x03"
ELLIPSIS = "…"

WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class KeywordInContext:
    """A quote with a few words either side, and whether text was cut off before or after."""

    before: str
    quote: str
    after: str
    cut_before: bool
    cut_after: bool


def keyword_in_context(text, start, end, words=6):
    """Return the span ``text[start:end]`` with up to ``words`` words of context either side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = text[:start]
    right = text[end:]
    left_starts = [match.start() for match in WORD.finditer(left)]
    right_ends = [match.end() for match in WORD.finditer(right)]
    cut_before = len(left_starts) > words
    cut_after = len(right_ends) > words
    before = left[left_starts[-words] :] if cut_before else left
    after = right[: right_ends[words - 1]] if cut_after else right
    return KeywordInContext(before, text[start:end], after, cut_before, cut_after)


def marked_html(text):
    """Escape ``text`` and turn each MATCH_START…MATCH_STOP pair into ``<mark>…</mark>``.

    Stray or nested markers are dropped, so the result is always balanced HTML whose visible text
    is ``text`` without the markers.
    """
    parts = []
    inside = False
    for piece in re.split(f"([{MATCH_START}{MATCH_STOP}])", text):
        if piece == MATCH_START:
            if not inside:
                parts.append(mark_safe("<mark>"))  # noqa: S308
                inside = True
        elif piece == MATCH_STOP:
            if inside:
                parts.append(mark_safe("</mark>"))  # noqa: S308
                inside = False
        elif piece:
            parts.append(escape(piece))
    if inside:
        parts.append(mark_safe("</mark>"))  # noqa: S308
    # Every part is escaped text or one of the two fixed tags above.
    return mark_safe("".join(parts))  # noqa: S308


def mark_terms(text, terms, width=200):
    """Return an excerpt of ``text`` around the first term, every term occurrence marked.

    The fallback for databases without ``ts_headline``: case-insensitive, whole text if short.
    """
    terms = [term for term in terms if term]
    if not terms:
        return escape(text[:width]) + (ELLIPSIS if len(text) > width else "")
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    begin = 0
    if first and len(text) > width:
        begin = max(0, first.start() - width // 3)
        # Start at a word boundary so the excerpt does not open mid-word.
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and begin > 0 else 0
    end = min(len(text), begin + width)
    excerpt = text[begin:end]
    marked = pattern.sub(lambda match: f"{MATCH_START}{match.group(0)}{MATCH_STOP}", excerpt)
    html = marked_html(marked)
    return format_html(
        "{}{}{}", ELLIPSIS if begin > 0 else "", html, ELLIPSIS if end < len(text) else ""
    )
