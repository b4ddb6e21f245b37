"""Write the reading page's rows as HTML: each paragraph with its notes, "+N more" and popovers.

What ``margin.plan`` decided becomes markup here, in Python, with ``format_html``. It was a
template include per note, and the profile of the seed page said that was most of a render
(two thirds of 22 ms of CPU): each note resolved some forty template variables, reversed its
entity's URL and translated its strings again. Here the interface strings are translated and
escaped once per page, what an entity or a tag shows (its link, kind, description, Wikidata
link) is built once per page however often it is mentioned, and a note is one ``format_html``
of parts built the same way. The markup is the one the page has always had:
``static/articleapp/js/reader.js`` and ``filters.js``, the stylesheets and the browser tests
read it.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from articleapp.markdown import render_markdown
from articleapp.urlpieces import SlugUrls

# A note is written by one ``format_html`` whose template is put together from these constant
# pieces (the head, the comment, the button and the tags only where the note has them): a call
# for each part took a sixth longer to write the seed page's notes. Every value goes in by name.
NOTE_OPEN = (
    '<{element} class="note kind-{kind}{popover_class}" id="a-{pk}" data-annotation="{pk}" '
    'data-note="{number}" data-kind="{kind}"{entity_attribute}{popover}>\n'
    '  <p class="note-head">'
)
QUOTE = '<span class="note-quote" lang="{language}">„{quote}“</span>'
ENTITY = "{entity_link}"
QUOTE_AND_ENTITY = QUOTE + " → " + ENTITY
NOTE_DESCRIPTION = "</p>\n  {description}\n  "
COMMENT = '<div class="note-comment" id="c-{pk}" lang="{language}">{comment}</div>'
CLAMPED_COMMENT = (
    '<div class="note-comment clamp clamp-{lines}" id="c-{pk}" lang="{language}">{comment}</div>'
)
NOTE_FOOT = '\n  <div class="note-foot">\n    '
EXPAND = (
    '<button type="button" class="note-expand" aria-expanded="false" aria-controls="c-{pk}">'
    '<span class="when-closed">{read_on}</span><span class="when-open">{show_less}</span></button>'
)
TAGS = '<ul class="tags" aria-label="{tags_label}">{tags}</ul>'
NOTE_CLOSE = (
    '\n    <p class="note-links"><a href="#h-{pk}">{in_the_text}<span class="visually-hidden">: '
    '„{quote}“</span></a>{wikidata} · <a href="#a-{pk}">{permalink}<span class="visually-hidden">'
    " {to_the_note}</span></a></p>\n"
    "  </div>\n"
    "</{element}>\n"
)
# Safe constants for what a note leaves out or switches on: ``format_html`` escapes a plain
# string on every call.
NOTHING = mark_safe("")
AS_ITEM = {"element": mark_safe("li"), "popover_class": NOTHING, "popover": NOTHING}
AS_POPOVER = {
    "element": mark_safe("div"),
    "popover_class": mark_safe(" note-popover"),
    "popover": mark_safe(" popover"),
}
AS_COMMENT = {"kind": mark_safe("comment"), "entity_attribute": NOTHING}
NO_ENTITY = {"description": NOTHING, "wikidata": NOTHING}


def plural_forms(singular, plural):
    """Return the translated forms of a count for 1 and for any other number, "%(counter)s"
    left in them."""
    return ngettext(singular, plural, 1), ngettext(singular, plural, 2)


@dataclass(frozen=True)
class EntityParts:
    """What the page shows of an entity, built once per page; every field is safe HTML."""

    kind: str
    slug: str
    name: str
    # ' data-entity="slug"' for its notes.
    attribute: str
    # "<a>name</a> <span class="kind">Kind</span>", as notes and "who is mentioned" show it.
    link: str
    # The description as a ``note-description`` block, or "".
    description: str
    # " · <a>Wikidata</a>", or "".
    wikidata: str


class Notes:
    """Write one reading page's rows; entity and tag parts are kept for the page.

    ``language`` is the article's (notes quote it); the interface's is the active language.
    """

    def __init__(self, language):
        self.language = escape(language)
        self.interface_language = escape(get_language())
        self.entities = {}
        self.kind_labels = {}
        self.tag_links = {}
        self.entity_url = SlugUrls("articleapp:entity-detail")
        self.tag_url = SlugUrls("articleapp:tag-detail")
        self.paragraph_label = gettext("Paragraph %(position)s")
        self.to_the_note = gettext("to the note on „%(quote)s“")
        self.in_the_text = escape(gettext("In the text"))
        self.permalink = escape(gettext("Permalink"))
        self.tags_label = escape(gettext("Tags"))
        self.read_on = escape(gettext("Read on"))
        self.show_less = escape(gettext("Show less"))
        # Both plural forms of the fold counts, for filters.js to recount them as the filter bar
        # hides notes (German and English: one form for 1, the other for every other number).
        self.note_forms = plural_forms("%(counter)s note", "%(counter)s notes")
        self.more_forms = plural_forms("+%(counter)s more note", "+%(counter)s more notes")

    def entity(self, entity):
        """Return the ``EntityParts`` of ``entity``, built on its first use on the page."""
        parts = self.entities.get(entity.pk)
        if parts is None:
            parts = self.entities[entity.pk] = self.entity_parts(entity)
        return parts

    def entity_parts(self, entity):
        description = NOTHING
        if entity.description:
            description = format_html(
                '<div class="note-description" lang="{}">{}</div>',
                self.language,
                render_markdown(entity.description),
            )
        wikidata = NOTHING
        if entity.wikidata_id:
            wikidata = format_html(
                ' · <a href="{}" rel="noopener noreferrer">Wikidata</a>', entity.wikidata_url
            )
        link = format_html(
            '<a href="{}" lang="{}">{}</a> <span class="kind">{}</span>',
            self.entity_url(entity.slug),
            self.language,
            entity.name,
            self.kind_label(entity),
        )
        slug = escape(entity.slug)
        return EntityParts(
            kind=escape(entity.kind),
            slug=slug,
            name=escape(entity.name),
            attribute=format_html(' data-entity="{}"', slug),
            link=link,
            description=description,
            wikidata=wikidata,
        )

    def kind_label(self, entity):
        """Return the entity's kind as shown ("Organisation"), translated once per page."""
        label = self.kind_labels.get(entity.kind)
        if label is None:
            label = self.kind_labels[entity.kind] = escape(entity.get_kind_display())
        return label

    def tag_link(self, tag):
        """Return a tag as a list item linking to its page (its name alone without a slug)."""
        link = self.tag_links.get(tag.pk)
        if link is None:
            if tag.slug:
                url = self.tag_url(tag.slug)
                link = format_html('<li><a class="tag" href="{}">{}</a>\n</li>', url, tag.name)
            else:
                link = format_html("<li>{}\n</li>", tag.name)
            self.tag_links[tag.pk] = link
        return link

    def note(self, annotation, popover=False):
        """Return one note: an ``<li>`` of the margin's lists, or a ``<div>`` popover.

        ``annotation`` comes from ``margin.plan`` (``note_number``, ``comment_lines`` and
        ``tag_list`` set).
        """
        values = {
            **(AS_POPOVER if popover else AS_ITEM),
            "pk": escape(annotation.pk),
            "number": annotation.note_number,
            "language": self.language,
            "quote": annotation.quote,
            "in_the_text": self.in_the_text,
            "permalink": self.permalink,
            "to_the_note": self.to_the_note % {"quote": annotation.quote},
        }
        template = [NOTE_OPEN]
        if annotation.entity_id is None:
            values.update(AS_COMMENT, **NO_ENTITY)
            template.append(QUOTE)
        else:
            entity = self.entity(annotation.entity)
            values.update(
                kind=entity.kind,
                entity_attribute=entity.attribute,
                entity_link=entity.link,
                description=entity.description,
                wikidata=entity.wikidata,
            )
            # „Nvidia“ → Nvidia says nothing: the entity alone.
            same = annotation.quote == annotation.entity.name
            template.append(ENTITY if same else QUOTE_AND_ENTITY)
        template.append(NOTE_DESCRIPTION)
        lines = annotation.comment_lines if annotation.comment else None
        if annotation.comment:
            values["comment"] = render_markdown(annotation.comment)
            template.append(CLAMPED_COMMENT if lines else COMMENT)
        template.append(NOTE_FOOT)
        if lines:
            values.update(lines=lines, read_on=self.read_on, show_less=self.show_less)
            template.append(EXPAND)
        template.append("\n    ")
        if annotation.tag_list:
            # Each tag link was built by format_html from escaped parts.
            tags = mark_safe("".join([self.tag_link(tag) for tag in annotation.tag_list]))  # noqa: S308
            values.update(tags_label=self.tags_label, tags=tags)
            template.append(TAGS)
        template.append(NOTE_CLOSE)
        return format_html("".join(template), **values)

    def notes(self, annotations, popover=False):
        """Return the notes of ``annotations``, one after the other."""
        # Each note is built by format_html from escaped parts.
        return mark_safe(  # noqa: S308
            "".join([self.note(annotation, popover) for annotation in annotations])
        )

    def margin(self, paragraph_margin):
        """Return a paragraph's ``<div class="margin">`` (a ``margin.Margin``), or "" if empty.

        Its notes fold under "N notes" on narrow screens; those that do not fit beside the
        paragraph fold again under "+N more: names…"; the popovers follow.
        """
        if not paragraph_margin.count:
            return NOTHING
        fold = NOTHING
        if paragraph_margin.notes or paragraph_margin.folded:
            count = paragraph_margin.note_count
            fold = format_html(
                '<details class="notes-fold">\n'
                '<summary data-one="{}" data-other="{}">{}</summary>\n'
                '<ol class="notes">\n{}</ol>\n{}</details>\n',
                *self.note_forms,
                ngettext("%(counter)s note", "%(counter)s notes", count) % {"counter": count},
                self.notes(paragraph_margin.notes),
                self.more(paragraph_margin.folded, paragraph_margin.folded_names),
            )
        popovers = self.notes(paragraph_margin.refs, popover=True)
        return format_html(
            '<div class="margin" lang="{}">\n{}{}</div>', self.interface_language, fold, popovers
        )

    def more(self, folded, names):
        """Return the "+N more: names…" fold of a paragraph's notes, or "" if none fold.

        Each name is a ``<span data-name-of="pk">``, so the script can name what a filter leaves.
        """
        if not folded:
            return NOTHING
        count = len(folded)
        return format_html(
            '<details class="more-notes">\n<summary><span class="more-count" data-one="{}" '
            'data-other="{}">{}:</span> <span class="more-names" lang="{}">{}</span></summary>\n'
            '<ol class="notes">\n{}</ol>\n</details>\n',
            *self.more_forms,
            ngettext("+%(counter)s more note", "+%(counter)s more notes", count)
            % {"counter": count},
            self.language,
            format_html_join(
                ", ",
                '<span data-name-of="{}">{}</span>',
                zip([annotation.pk for annotation in folded], names, strict=True),
            ),
            self.notes(folded),
        )

    def row(self, paragraph, paragraph_html, paragraph_margin):
        """Return a paragraph's ``<section class="row">``: its text (``paragraph_html``, from
        ``rendering.render_paragraph``) and its margin, as safe HTML."""
        return format_html(
            '<section class="row" aria-label="{}">\n'
            '<p class="paragraph-text" id="{}">{}</p>\n{}\n</section>\n',
            self.paragraph_label % {"position": paragraph.position},
            paragraph.anchor,
            paragraph_html,
            self.margin(paragraph_margin),
        )
