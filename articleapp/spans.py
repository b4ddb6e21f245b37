"""Split a text by possibly overlapping spans, and convert offsets between code points and UTF-16.

Pure functions: no Django, no database. Offsets count Unicode code points, as Python strings do.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same set of spans (outermost first)."""

    start: int
    end: int
    span_keys: tuple


def segments(length, spans):
    """Cut [0, length) at every span boundary; yield Segments with the spans covering each.

    ``spans`` is an iterable of ``(start, end, key)``. Spans outside the text, reversed or empty are
    ignored. Covering spans are ordered outermost first: earlier start, then later end, then input
    order, so that nested markup can open them in that order.
    """
    valid = [
        (start, end, index, key)
        for index, (start, end, key) in enumerate(spans)
        if 0 <= start < end <= length
    ]
    valid.sort(key=lambda span: (span[0], -span[1], span[2]))
    boundaries = sorted({0, length, *(s for s, _, _, _ in valid), *(e for _, e, _, _ in valid)})
    opening = 0
    active = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        active = [span for span in active if span[1] > left]
        while opening < len(valid) and valid[opening][0] == left:
            active.append(valid[opening])
            opening += 1
        active.sort(key=lambda span: (span[0], -span[1], span[2]))
        yield Segment(left, right, tuple(span[3] for span in active))


def utf16_to_codepoint(text, utf16_offset):
    """Convert an offset counted in UTF-16 code units (as browsers count) to code points."""
    if utf16_offset < 0:
        raise ValueError("offset must not be negative")
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_offset:
            if units > utf16_offset:
                raise ValueError("offset falls inside a surrogate pair")
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    if units == utf16_offset:
        return len(text)
    if units > utf16_offset:
        raise ValueError("offset falls inside a surrogate pair")
    raise ValueError("offset is past the end of the text")


def codepoint_to_utf16(text, offset):
    """Convert a code-point offset to UTF-16 code units."""
    if not 0 <= offset <= len(text):
        raise ValueError("offset is outside the text")
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)
