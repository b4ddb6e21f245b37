"""Turn a paragraph and its annotations into HTML: escape first, then add markup.

Overlapping annotations cannot nest as elements, so the text is cut into segments at every span
boundary and each segment is wrapped in one ``<mark>`` per annotation covering it, outermost first.
The innermost mark holds a link to that annotation's card; the first mark of every annotation
carries the id the card links back to. The text content of the result is exactly the paragraph.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articleapp.spans import segments

# A segment is written by one ``format_html`` whose template is put together from these
# constant pieces, a mark for each annotation covering it (outermost first) around the link:
# a call for each mark and link took a fifth longer to highlight the seed page.
OPEN_MARK = '<mark class="hl hl-{} hl-depth-{}" data-annotation="{}"'
# The first mark of an annotation carries the id its note links back to, and its note number.
FIRST_MARK = ' id="h-{}">'
NUMBERED_FIRST_MARK = ' id="h-{}" data-note="{}">'
LINK = '<a class="hl-link" href="#a-{}">{}</a>'
CLOSE_MARK = "</mark>"
# A mark's depth class, for depths 0 to 4 (deeper marks share the last).
DEPTHS = [escape(depth) for depth in range(5)]


def highlight_kind(annotation):
    return annotation.entity.kind if annotation.entity_id else "comment"


def render_paragraph(text, annotations, numbers=None):
    """Return ``text`` as safe HTML with every annotation in ``annotations`` highlighted.

    ``numbers`` maps annotation keys to their note numbers, which the first mark of each
    carries as ``data-note`` (print shows them).
    """
    numbers = numbers or {}
    # Each annotation's key and kind escaped once for all its marks: escaping a value costs
    # more than placing it.
    keys = {annotation.pk: escape(annotation.pk) for annotation in annotations}
    kinds = {annotation.pk: escape(highlight_kind(annotation)) for annotation in annotations}
    spans = [(annotation.start, annotation.end, annotation.pk) for annotation in annotations]
    opened = set()
    parts = []
    for segment in segments(len(text), spans):
        words = text[segment.start : segment.end]
        if not segment.span_keys:
            parts.append(escape(words))
            continue
        template, values = [], []
        for depth, key in enumerate(segment.span_keys, start=1):
            template.append(OPEN_MARK)
            values += [kinds[key], DEPTHS[min(depth, 4)], keys[key]]
            if key in opened:
                template.append(">")
            elif numbers.get(key) is None:
                template.append(FIRST_MARK)
                values.append(keys[key])
            else:
                template.append(NUMBERED_FIRST_MARK)
                values += [keys[key], numbers[key]]
            opened.add(key)
        template += [LINK, CLOSE_MARK * len(segment.span_keys)]
        values += [keys[segment.span_keys[-1]], words]
        parts.append(format_html("".join(template), *values))
    # Every part is either escaped text or built by format_html from escaped parts.
    return mark_safe("".join(parts))  # noqa: S308
