"""Write the reading page's rows as HTML: each paragraph with its notes, "+N more" and popovers.

What ``margin.plan`` decided becomes markup here, in Python. It used to be a template include
per note, and the profile of the seed page said that was most of a render: each note resolved
some forty template variables, reversed its entity's URL and translated its strings again.
Here the interface strings are translated and escaped once per page, what an entity or a tag
shows (its link, kind, description, Wikidata link) is built once per page however often it is
mentioned, and a note is one f-string (see ``articleapp.markup`` for the rule that keeps those
safe: every value in them is a number, markup built here, or escaped). The markup is the one
the page has always had: ``static/articleapp/js/reader.js``, the stylesheets and the browser
tests read it.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from articleapp.markdown import render_markdown
from articleapp.markup import escape, format_html, join_html

# Slugs that every URL converter leaves as they are (``reverse`` quotes nothing in them).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
SLUG_PLACEHOLDER = "--slug--"


class SlugUrls:
    """Reverse a URL taking one ``slug`` once per page; fill in each slug by hand.

    ``reverse`` costs ~50 µs a call here, and a page links every entity three times. Any slug
    it would quote (a tag's umlaut) is still reversed.
    """

    def __init__(self, name):
        self.name = name
        self.prefix, self.suffix = reverse(name, kwargs={"slug": SLUG_PLACEHOLDER}).split(
            SLUG_PLACEHOLDER
        )

    def __call__(self, slug):
        if PLAIN_SLUG.match(slug):
            return f"{self.prefix}{slug}{self.suffix}"
        return reverse(self.name, kwargs={"slug": slug})


@dataclass(frozen=True)
class EntityParts:
    """What the page shows of an entity, built once per page; every field is HTML."""

    kind: str
    slug: str
    name: str
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

    def entity(self, entity):
        """Return the ``EntityParts`` of ``entity``, built on its first use on the page."""
        parts = self.entities.get(entity.pk)
        if parts is None:
            parts = self.entities[entity.pk] = self.entity_parts(entity)
        return parts

    def entity_parts(self, entity):
        description = ""
        if entity.description:
            description = format_html(
                '<div class="note-description" lang="{}">{}</div>',
                self.language,
                render_markdown(entity.description),
            )
        wikidata = ""
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
        return EntityParts(
            escape(entity.kind), escape(entity.slug), entity.name, link, description, wikidata
        )

    def kind_label(self, entity):
        """Return the entity's kind as shown ("Organisation"), translated once per page."""
        label = self.kind_labels.get(entity.kind)
        if label is None:
            label = self.kind_labels[entity.kind] = str(entity.get_kind_display())
        return label

    def tag_link(self, tag):
        """Return a tag as a link to its page (its name alone without a slug), once per page."""
        link = self.tag_links.get(tag.pk)
        if link is None:
            if tag.slug:
                url = self.tag_url(tag.slug)
                link = format_html('<li><a class="tag" href="{}">{}</a>\n</li>', url, tag.name)
            else:
                link = format_html("<li>{}\n</li>", tag.name)
            self.tag_links[tag.pk] = link
        return link

    def tag_list(self, tags):
        if not tags:
            return ""
        links = "".join([self.tag_link(tag) for tag in tags])
        return f'<ul class="tags" aria-label="{self.tags_label}">{links}</ul>'

    def note(self, annotation, popover=False):
        """Return one note: an ``<li>`` of the margin's lists, or a ``<div>`` popover.

        ``annotation`` comes from ``margin.plan`` (``note_number``, ``comment_lines`` and
        ``tag_list`` set).
        """
        pk = annotation.pk
        language = self.language
        quote = escape(annotation.quote)
        quoted = f'<span class="note-quote" lang="{language}">„{quote}“</span>'
        if annotation.entity_id is None:
            kind, entity_attribute, description, wikidata, head = "comment", "", "", "", quoted
        else:
            entity = self.entity(annotation.entity)
            kind, description, wikidata = entity.kind, entity.description, entity.wikidata
            entity_attribute = f' data-entity="{entity.slug}"'
            # „Nvidia“ → Nvidia says nothing: the entity alone.
            same = annotation.quote == entity.name
            head = entity.link if same else f"{quoted} → {entity.link}"
        comment = expand = ""
        if annotation.comment:
            lines = annotation.comment_lines
            clamp = f" clamp clamp-{lines:d}" if lines else ""
            comment = (
                f'<div class="note-comment{clamp}" id="c-{pk:d}" lang="{language}">'
                f"{render_markdown(annotation.comment)}</div>"
            )
            if lines:
                expand = (
                    '<button type="button" class="note-expand" aria-expanded="false" '
                    f'aria-controls="c-{pk:d}"><span class="when-closed">{self.read_on}</span>'
                    f'<span class="when-open">{self.show_less}</span></button>'
                )
        if popover:
            opening = f'<div class="note kind-{kind} note-popover" id="a-{pk:d}"'
            closing, popover_attribute = "</div>", " popover"
        else:
            opening, closing, popover_attribute = (
                f'<li class="note kind-{kind}" id="a-{pk:d}"',
                "</li>",
                "",
            )
        to_the_note = escape(self.to_the_note % {"quote": annotation.quote})
        return SafeString(
            f'{opening} data-annotation="{pk:d}" data-note="{annotation.note_number:d}" '
            f'data-kind="{kind}"{entity_attribute}{popover_attribute}>\n'
            f'  <p class="note-head">{head}</p>\n'
            f"  {description}\n"
            f"  {comment}\n"
            '  <div class="note-foot">\n'
            f"    {expand}\n"
            f"    {self.tag_list(annotation.tag_list)}\n"
            f'    <p class="note-links"><a href="#h-{pk:d}">{self.in_the_text}'
            f'<span class="visually-hidden">: „{quote}“</span></a>{wikidata} · '
            f'<a href="#a-{pk:d}">{self.permalink}<span class="visually-hidden"> {to_the_note}'
            "</span></a></p>\n"
            "  </div>\n"
            f"{closing}\n"
        )

    def margin(self, paragraph_margin):
        """Return a paragraph's ``<div class="margin">`` (a ``margin.Margin``), or "" if empty.

        Its notes fold under "N notes" on narrow screens; those that do not fit beside the
        paragraph fold again under "+N more: names…"; the popovers follow.
        """
        if not paragraph_margin.count:
            return ""
        fold = ""
        if paragraph_margin.notes or paragraph_margin.folded:
            count = paragraph_margin.note_count
            summary = escape(
                ngettext("%(counter)s note", "%(counter)s notes", count) % {"counter": count}
            )
            notes = "".join([self.note(annotation) for annotation in paragraph_margin.notes])
            more = self.more(paragraph_margin.folded, paragraph_margin.folded_names)
            fold = (
                f'<details class="notes-fold">\n<summary>{summary}</summary>\n'
                f'<ol class="notes">\n{notes}</ol>\n{more}</details>\n'
            )
        popovers = "".join([self.note(item, popover=True) for item in paragraph_margin.refs])
        return SafeString(
            f'<div class="margin" lang="{self.interface_language}">\n{fold}{popovers}</div>'
        )

    def more(self, folded, names):
        """Return the "+N more: names…" fold of a paragraph's notes, or "" if none fold."""
        if not folded:
            return ""
        count = len(folded)
        summary = escape(
            ngettext("+%(counter)s more note", "+%(counter)s more notes", count)
            % {"counter": count}
        )
        notes = "".join([self.note(annotation) for annotation in folded])
        return (
            f'<details class="more-notes">\n<summary><span class="more-count">{summary}:</span> '
            f'<span class="more-names" lang="{self.language}">{join_html(names, ", ")}</span>'
            f'</summary>\n<ol class="notes">\n{notes}</ol>\n</details>\n'
        )

    def row(self, paragraph, paragraph_html, paragraph_margin):
        """Return a paragraph's ``<section class="row">``: its text (``paragraph_html``, from
        ``rendering.render_paragraph``) and its margin, as safe HTML."""
        label = escape(self.paragraph_label % {"position": paragraph.position})
        return SafeString(
            f'<section class="row" aria-label="{label}">\n'
            f'<p class="paragraph-text" id="{escape(paragraph.anchor)}">{paragraph_html}</p>\n'
            f"{self.margin(paragraph_margin)}\n</section>\n"
        )
