"""Draw which entity is mentioned in which paragraph as an accessible SVG dispersion plot.

One row per entity, one column per paragraph; a filled cell links to its paragraph. Built with
``markup.format_html`` so every name is escaped; colours come from the stylesheet through classes.
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articleapp.markup import escape, format_html, join_html

LABEL_WIDTH = 160
HEADER_HEIGHT = 24
CELL = 24
GAP = 3
MAX_LABEL = 22


def short_label(name):
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def cell_label(entity_name, count, position):
    return ngettext(
        "%(name)s: %(count)s mention in paragraph %(position)s",
        "%(name)s: %(count)s mentions in paragraph %(position)s",
        count,
    ) % {"name": entity_name, "count": count, "position": position}


def render_svg(mentions, positions, id_prefix="dispersion"):
    """Return the SVG for ``mentions`` (overview.Mention) over paragraph ``positions``."""
    positions = list(positions)
    if not mentions or not positions:
        return ""
    width = LABEL_WIDTH + len(positions) * CELL
    height = HEADER_HEIGHT + len(mentions) * CELL
    headers = join_html(
        format_html(
            '<text class="plot-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            LABEL_WIDTH + column * CELL + CELL // 2,
            HEADER_HEIGHT - 8,
            position,
        )
        for column, position in enumerate(positions)
    )
    rows = join_html(render_row(row, mention, positions) for row, mention in enumerate(mentions))
    title = _("Who is mentioned where")
    description = _(
        "%(entities)s entities in rows, %(paragraphs)s paragraphs in columns; a filled cell means "
        "the entity is mentioned in that paragraph and links to it."
    ) % {"entities": len(mentions), "paragraphs": len(positions)}
    return format_html(
        '<svg class="dispersion" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{description}</desc>'
        '<text class="plot-axis plot-axis-label" x="{label_x}" y="{header_y}" '
        'text-anchor="end">{paragraph}</text>{headers}{rows}</svg>',
        w=width,
        h=height,
        p=id_prefix,
        title=title,
        description=description,
        label_x=LABEL_WIDTH - 8,
        header_y=HEADER_HEIGHT - 8,
        paragraph=_("¶"),
        headers=headers,
        rows=rows,
    )


def render_row(row, mention, positions):
    """Return one entity's row: its name and a cell per paragraph (f-strings: see
    ``articleapp.markup``; a plot has a cell per entity and paragraph)."""
    y = HEADER_HEIGHT + row * CELL
    top = y + GAP // 2
    size = CELL - GAP
    entity = mention.entity
    kind = escape(entity.kind)
    cells = []
    for column, position in enumerate(positions):
        x = LABEL_WIDTH + column * CELL + GAP // 2
        count = mention.per_paragraph.get(position, 0)
        if not count:
            cells.append(
                f'<rect class="plot-empty" x="{x:d}" y="{top:d}" width="{size:d}" '
                f'height="{size:d}" rx="3"/>'
            )
            continue
        label = escape(cell_label(entity.name, count, position))
        cells.append(
            f'<a href="#p-{position:d}" aria-label="{label}"><title>{label}</title>'
            f'<rect class="plot-cell plot-{kind}" x="{x:d}" y="{top:d}" width="{size:d}" '
            f'height="{size:d}" rx="3"/><text class="plot-count" x="{x + size // 2:d}" '
            f'y="{y + size // 2 + 5:d}" text-anchor="middle">{count:d}</text></a>'
        )
    return SafeString(
        f'<g class="plot-row"><text class="plot-name" x="{LABEL_WIDTH - 8:d}" '
        f'y="{y + CELL // 2 + 5:d}" text-anchor="end"><title>{escape(entity.name)}</title>'
        f"{escape(short_label(entity.name))}</text>{''.join(cells)}</g>"
    )
