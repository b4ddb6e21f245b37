"""Render an annotation comment, written in Markdown by many hands, as safe HTML.

markdown-it-py (CommonMark, raw HTML off, line breaks kept) makes the HTML; nh3 (the Rust
``ammonia`` sanitiser) then keeps only a small allowlist of elements, ``href`` only with http,
https or mailto, and gives every link ``rel="noopener noreferrer nofollow"``. Images, headings,
tables and raw HTML do not survive; their text does.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

markdown_parser = MarkdownIt("commonmark", {"html": False, "breaks": True})


def render_markdown(text):
    """Return ``text`` (Markdown) as sanitised HTML, marked safe for templates."""
    html = markdown_parser.render(text)
    # nh3 guarantees the allowlist whatever markdown-it emits; mark_safe is on its output only.
    return mark_safe(  # noqa: S308
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )
