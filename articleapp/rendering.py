"""Turn a paragraph and its annotations into HTML: escape first, then add markup.

Overlapping annotations cannot nest as elements, so the text is cut into segments at every span
boundary and each segment is wrapped in one ``<mark>`` per annotation covering it, outermost first.
The innermost mark holds a link to that annotation's card; the first mark of every annotation
carries the id the card links back to. The text content of the result is exactly the paragraph.
"""

from django.utils.safestring import SafeString

from articleapp.markup import escape
from articleapp.spans import segments


def highlight_kind(annotation):
    return annotation.entity.kind if annotation.entity_id else "comment"


def render_paragraph(text, annotations, numbers=None):
    """Return ``text`` as safe HTML with every annotation in ``annotations`` highlighted.

    ``numbers`` maps annotation keys (integers) to their note numbers, which the first mark of
    each carries as ``data-note`` (print shows them). The markup is written as f-strings (see
    ``articleapp.markup``): a page has hundreds of marks.
    """
    numbers = numbers or {}
    kinds = {annotation.pk: escape(highlight_kind(annotation)) for annotation in annotations}
    spans = [(annotation.start, annotation.end, annotation.pk) for annotation in annotations]
    opened = set()
    parts = []
    for segment in segments(len(text), spans):
        html = escape(text[segment.start : segment.end])
        keys = segment.span_keys
        if not keys:
            parts.append(html)
            continue
        # The innermost mark links to its annotation's note; the first mark of each
        # annotation carries the id the note links back to.
        html = f'<a class="hl-link" href="#a-{keys[-1]:d}">{html}</a>'
        depth = len(keys)
        for key in reversed(keys):
            first = ""
            if key not in opened:
                opened.add(key)
                number = numbers.get(key)
                first = f' id="h-{key:d}"'
                if number is not None:
                    first += f' data-note="{number:d}"'
            html = (
                f'<mark class="hl hl-{kinds[key]} hl-depth-{min(depth, 4):d}" '
                f'data-annotation="{key:d}"{first}>{html}</mark>'
            )
            depth -= 1
        parts.append(html)
    return SafeString("".join(parts))
