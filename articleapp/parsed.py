"""An article as read from any source (a text file, a saved web page, a URL), before it is saved.

Every reader returns a ``ParsedArticle`` or raises ``ArticleImportError`` with one line saying
why the source is not an article; ``articleapp.importer`` saves the one and reports the other.
Pure: no models, no network. ``ARTICLE_MAX_BYTES`` and ``ARTICLE_MAX_PARAGRAPHS`` bound every
article, from any source.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

# A byline in parentheses on a line or paragraph of its own, as the seed article's "(nen)".
BYLINE = re.compile(r"^\((?P<byline>[^()]{1,60})\)$")


# The most an article may hold: ten times a long feature, and still a page that loads and a
# preview whose confirmation form (``articleapp.admin.importing``, the article signed inside
# it) stays under Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
ARTICLE_MAX_BYTES = 1024 * 1024
ARTICLE_MAX_PARAGRAPHS = 2000


class ArticleImportError(Exception):
    """The source is not an article this importer can read; the message says why."""


@dataclass(frozen=True)
class ParsedArticle:
    kicker: str
    title: str
    byline: str
    paragraphs: tuple
    # What a web page tells about itself; empty (None) when it does not, and for text files.
    source_name: str = ""
    source_url: str = ""
    published_on: datetime.date | None = None
    language: str = ""

    def __post_init__(self):
        """Refuse an article over the limits, whichever reader made it."""
        if len(self.paragraphs) > ARTICLE_MAX_PARAGRAPHS:
            raise ArticleImportError(
                gettext("the article has %(count)d paragraphs (at most %(limit)d)")
                % {"count": len(self.paragraphs), "limit": ARTICLE_MAX_PARAGRAPHS}
            )
        size = sum(len(paragraph.encode()) for paragraph in self.paragraphs)
        if size > ARTICLE_MAX_BYTES:
            raise ArticleImportError(
                gettext("the article's text is %(size)s (at most %(limit)s)")
                % {"size": filesizeformat(size), "limit": filesizeformat(ARTICLE_MAX_BYTES)}
            )


def nfc(text):
    """Return text in Unicode NFC, the form every offset counts in."""
    return unicodedata.normalize("NFC", text)


def split_byline(blocks):
    """Return ``(body, byline)``: the blocks before the first byline block, and its text.

    Everything after a byline is the source site's, not the article's ("Source link", a comment
    form). Without a byline block the body is every block and the byline is empty.
    """
    for index, block in enumerate(blocks):
        match = BYLINE.match(block)
        if match:
            return tuple(blocks[:index]), match["byline"].strip()
    return tuple(blocks), ""
