"""Turn a paragraph and its annotations into HTML: escape first, then add markup.

Overlapping annotations cannot nest as elements, so the text is cut into segments at every span
boundary and each segment is wrapped in one ``<mark>`` per annotation covering it, outermost first.
The innermost mark holds a link to that annotation's card; the first mark of every annotation
carries the id the card links back to. The text content of the result is exactly the paragraph.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articleapp.spans import segments

# Every mark but the first of its annotation has no attributes of its own.
NO_ATTRIBUTES = mark_safe("")
MARK = '<mark class="hl hl-{} hl-depth-{}" data-annotation="{}"{}>{}</mark>'
# A mark's depth class, for depths 0 to 4 (deeper marks share the last).
DEPTHS = [escape(depth) for depth in range(5)]


def highlight_kind(annotation):
    return annotation.entity.kind if annotation.entity_id else "comment"


def first_mark_attributes(key, number):
    if number is None:
        return format_html(' id="h-{}"', key)
    return format_html(' id="h-{}" data-note="{}"', key, number)


def render_paragraph(text, annotations, numbers=None):
    """Return ``text`` as safe HTML with every annotation in ``annotations`` highlighted.

    ``numbers`` maps annotation keys to their note numbers, which the first mark of each
    carries as ``data-note`` (print shows them).
    """
    numbers = numbers or {}
    # Each annotation's key and kind escaped once for all its marks: a page has hundreds, and
    # escaping a value costs more than placing it (the seed page's profile, README).
    keys = {annotation.pk: escape(annotation.pk) for annotation in annotations}
    kinds = {annotation.pk: escape(highlight_kind(annotation)) for annotation in annotations}
    spans = [(annotation.start, annotation.end, annotation.pk) for annotation in annotations]
    opened = set()
    parts = []
    for segment in segments(len(text), spans):
        html = escape(text[segment.start : segment.end])
        if not segment.span_keys:
            parts.append(html)
            continue
        html = format_html(
            '<a class="hl-link" href="#a-{}">{}</a>', keys[segment.span_keys[-1]], html
        )
        depth = len(segment.span_keys)
        for key in reversed(segment.span_keys):
            first = key not in opened
            opened.add(key)
            html = format_html(
                MARK,
                kinds[key],
                DEPTHS[min(depth, 4)],
                keys[key],
                first_mark_attributes(keys[key], numbers.get(key)) if first else NO_ATTRIBUTES,
                html,
            )
            depth -= 1
        parts.append(html)
    # Every part is either escaped text or built by format_html from escaped parts.
    return mark_safe("".join(parts))  # noqa: S308
