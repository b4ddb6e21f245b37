"""Draw which entity is mentioned in which paragraph as an accessible SVG dispersion plot.

One row per entity, one column per paragraph; a filled cell links to its paragraph. Built with
``format_html`` so every name is escaped; colours come from the stylesheet through classes.
The empty cells are one rectangle filled with a pattern of a cell, under the filled ones: a
plot of 100 entities over 100 paragraphs drew 9,500 elements for them, a third of the reading
page's DOM.
"""

from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LABEL_WIDTH = 160
HEADER_HEIGHT = 24
CELL = 24
GAP = 3
MAX_LABEL = 22
SIZE = escape(CELL - GAP)
# A row is written by one ``format_html`` whose template is these pieces put together: a plot
# has a cell per entity and paragraph, and a call a cell took a third longer.
ROW = (
    '<g class="plot-row"><text class="plot-name" x="{}" y="{}" text-anchor="end">'
    "<title>{}</title>{}</text>"
)
FILLED_CELL = (
    '<a href="#p-{}" aria-label="{}"><title>{}</title>'
    '<rect class="plot-cell plot-{}" x="{}" y="{}" width="{}" height="{}" rx="3"/>'
    '<text class="plot-count" x="{}" y="{}" text-anchor="middle">{}</text></a>'
)


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
    headers = format_html_join(
        "",
        '<text class="plot-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (LABEL_WIDTH + column * CELL + CELL // 2, HEADER_HEIGHT - 8, position)
            for column, position in enumerate(positions)
        ),
    )
    # Each column's numbers escaped once for the plot, not once a cell: a plot has a cell per
    # entity and paragraph, and escaping a number costs more than placing it.
    columns = [
        (
            position,
            escape(position),
            escape(LABEL_WIDTH + column * CELL + GAP // 2),
            escape(LABEL_WIDTH + column * CELL + GAP // 2 + (CELL - GAP) // 2),
        )
        for column, position in enumerate(positions)
    ]
    rows = format_html_join(
        "", "{}", ((render_row(row, mention, columns),) for row, mention in enumerate(mentions))
    )
    title = _("Who is mentioned where")
    description = _(
        "%(entities)s entities in rows, %(paragraphs)s paragraphs in columns; a filled cell means "
        "the entity is mentioned in that paragraph and links to it."
    ) % {"entities": len(mentions), "paragraphs": len(positions)}
    return format_html(
        '<svg class="dispersion" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{description}</desc>'
        '<defs><pattern id="{p}-empty" x="{label_w}" y="{header_h}" width="{cell}" '
        'height="{cell}" patternUnits="userSpaceOnUse"><rect class="plot-empty" x="{gap}" '
        'y="{gap}" width="{size}" height="{size}" rx="3"/></pattern></defs>'
        '<rect fill="url(#{p}-empty)" x="{label_w}" y="{header_h}" width="{grid_w}" '
        'height="{grid_h}"/>'
        '<text class="plot-axis plot-axis-label" x="{label_x}" y="{header_y}" '
        'text-anchor="end">{paragraph}</text>{headers}{rows}</svg>',
        w=width,
        h=height,
        p=id_prefix,
        title=title,
        description=description,
        label_w=LABEL_WIDTH,
        header_h=HEADER_HEIGHT,
        cell=CELL,
        gap=GAP // 2,
        size=CELL - GAP,
        grid_w=len(positions) * CELL,
        grid_h=len(mentions) * CELL,
        label_x=LABEL_WIDTH - 8,
        header_y=HEADER_HEIGHT - 8,
        paragraph=_("¶"),
        headers=headers,
        rows=rows,
    )


def render_row(row, mention, columns):
    """Return an entity's row; ``columns`` holds each paragraph's position, with the position
    and its cells' x and centre escaped."""
    y = HEADER_HEIGHT + row * CELL
    top, middle = escape(y + GAP // 2), escape(y + (CELL - GAP) // 2 + 5)
    entity = mention.entity
    kind = escape(entity.kind)
    # One format_html for the row, its template put together from the cells' constant ones.
    template = [ROW]
    values = [LABEL_WIDTH - 8, y + CELL // 2 + 5, entity.name, short_label(entity.name)]
    for position, shown_position, x, centre in columns:
        count = mention.per_paragraph.get(position, 0)
        if count:
            label = escape(cell_label(entity.name, count, position))
            template.append(FILLED_CELL)
            values += [shown_position, label, label, kind, x, top, SIZE, SIZE, centre, middle]
            values.append(count)
    template.append("</g>")
    return format_html("".join(template), *values)
