"""An article as read from any source (a text file, a saved web page, a URL), before it is saved.

Every reader returns a ``ParsedArticle`` or raises ``ArticleImportError`` with one line saying
why the source is not an article; ``articleapp.importer`` saves the one and reports the other.
Pure: no models, no network.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

# A byline in parentheses on a line or paragraph of its own, as the seed article's "(nen)".
BYLINE = re.compile(r"^\((?P<byline>[^()]{1,60})\)$")


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
