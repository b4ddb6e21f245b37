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
# Characters: an excerpt's ends move back at most this far to fall between words; a longer
# "word" (a URL, say) is cut instead.
WORD_SLACK = 30

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


def term_pattern(terms):
    """Match any of ``terms`` anywhere, whatever its case (the substring search's notion)."""
    terms = [term for term in terms if term]
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def marked_words(headline):
    """Return the words a database headline marked, each once, longest first (so that in a
    pattern of alternatives the longest form wins)."""
    words = re.findall(f"{MATCH_START}([^{MATCH_START}{MATCH_STOP}]+){MATCH_STOP}", headline)
    return sorted({word.strip() for word in words if word.strip()}, key=lambda w: (-len(w), w))


def word_pattern(words):
    """Match any of ``words`` as a whole word, whatever its case (full-text search's notion)."""
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE
    )


def mark_terms(text, terms, width=200):
    """Return an excerpt of ``text`` around the first term, every term occurrence marked.

    The fallback for databases without ``ts_headline``: case-insensitive, whole text if short.
    """
    return excerpt(text, term_pattern(terms), width)


def excerpt(text, pattern, width=200):
    """Return about ``width`` characters of ``text`` around the first match of ``pattern``.

    The excerpt starts and ends at word boundaries, says with an ellipsis where text was left
    out, and marks every match within it. Only a word longer than ``WORD_SLACK`` is cut.
    """
    first = pattern.search(text) if pattern else None
    begin = 0
    if first and len(text) > width:
        # A third of the excerpt before the match, or less to fill it when the match is late.
        begin = _word_start(text, max(0, min(first.start() - width // 3, len(text) - width)))
    end = len(text)
    if end - begin > width:
        end = _word_end(text, begin + width, keep=first.end() if first else begin)
    piece = text[begin:end]
    if pattern:
        piece = pattern.sub(lambda match: f"{MATCH_START}{match.group(0)}{MATCH_STOP}", piece)
    return format_html(
        "{}{}{}",
        ELLIPSIS if begin > 0 else "",
        marked_html(piece.strip()),
        ELLIPSIS if end < len(text) else "",
    )


def _word_start(text, index):
    """Move ``index`` back to the start of its word, or leave it if that word is very long."""
    for candidate in range(index, max(0, index - WORD_SLACK) - 1, -1):
        if candidate == 0 or text[candidate - 1].isspace():
            return candidate
    return index


def _word_end(text, index, keep):
    """Where to end an excerpt near ``index``: at the end of the word before it, but never
    before ``keep`` (the first match's end); past ``keep`` at the next word's end if needed."""
    if index <= keep:
        for candidate in range(keep, min(len(text), keep + WORD_SLACK) + 1):
            if candidate == len(text) or text[candidate].isspace():
                return candidate
        return keep
    for candidate in range(index, max(keep, index - WORD_SLACK) - 1, -1):
        if text[candidate].isspace():
            return candidate
    return index


def headline_html(headline, text):
    """Turn a ``ts_headline`` of ``text`` into HTML, with ellipses where text was left out.

    PostgreSQL cuts fragments at word boundaries and joins them with `` … ``, but says nothing
    when the first fragment starts after the beginning of the text or the last ends before its
    end, and it drops punctuation at the text's edges (a closing full stop, an opening „),
    which is put back.
    """
    headline = headline.strip()
    fragments = headline.replace(MATCH_START, "").replace(MATCH_STOP, "").split(f" {ELLIPSIS} ")
    text = text.strip()
    begin = text.find(fragments[0])
    end = text.rfind(fragments[-1])
    before = text[:begin] if begin >= 0 else ELLIPSIS
    after = text[end + len(fragments[-1]) :] if end >= 0 else ELLIPSIS
    return format_html(
        "{}{}{}",
        ELLIPSIS if WORD.search(before) else before,
        marked_html(headline),
        ELLIPSIS if WORD.search(after) else after,
    )
