"""Render an annotation comment, written in Markdown by many hands, as safe HTML.

markdown-it-py (CommonMark, raw HTML off, line breaks kept) makes the HTML; nh3 (the Rust
``ammonia`` sanitiser) then keeps only a small allowlist of elements, ``href`` only with http,
https or mailto, and gives every link ``rel="noopener noreferrer nofollow"``. Raw HTML is shown
as text; an image becomes a link to it (nothing is loaded from elsewhere); headings and rules
lose their markup but keep their text.

Rendering is linear in the comment's length but not cheap for pathological input (runs of ``[``
cost tens of microseconds per character), so a comment longer than ``MARKDOWN_MAX_LENGTH`` is
shown as escaped plain text with its line breaks, and results are memoised: a reading page
renders each distinct comment once per process, not once per view.

``render_text`` gives the same comment as the plain text a reader sees, for excerpts that mark
search matches.
"""

import functools
import html

import nh3
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
# "*" empty: without it nh3 keeps its default attributes for every tag (lang, title).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
MARKDOWN_MAX_LENGTH = 10_000

markdown_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")


@functools.lru_cache(maxsize=4096)
def render_markdown(text, link_target=""):
    """Return ``text`` (Markdown) as sanitised HTML, marked safe for templates.

    ``link_target="_blank"`` opens its links in a new browsing context, for embeds framed by
    other sites, where a link followed inside the frame would land on a page that refuses to
    be framed.
    """
    if len(text) > MARKDOWN_MAX_LENGTH:
        return linebreaks(escape(text))
    html = markdown_parser.render(text)
    targets = {"a": {"target": link_target}} if link_target else None
    # nh3 guarantees the allowlist whatever markdown-it emits; mark_safe is on its output only.
    return mark_safe(  # noqa: S308
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel=LINK_REL,
            set_tag_attribute_values=targets,
            strip_comments=True,
        )
    )


@functools.lru_cache(maxsize=4096)
def render_text(text):
    """Return ``text`` (Markdown) as the words a reader sees, on one line: no syntax, no URLs."""
    return " ".join(html.unescape(strip_tags(render_markdown(text))).split())
