"""Read a news page (HTML): the article's text and what the page says about it, nothing else.

trafilatura finds the article body and drops the rest (navigation, cookie banners, comments,
related links, ads and "Lesen Sie auch" boxes, the footer); its metadata gives the title, the
author, the date, the site name and the canonical URL. Its settings, and why:

- ``favor_precision``: on a page without an article (``tests/fixtures/pages/no-article.html``)
  the default mode returned the navigation and the search form as a paragraph; with precision
  it finds nothing there, and the same paragraphs as before on every article fixture;
- comments, tables and images off: they are not paragraphs of the article;
- the date from htmldate without its extensive search, and the original date rather than the
  last update: the extensive search took a footer's "© 2025" for 1 January 2025.

What trafilatura does not do, done here:

- decoding (``decode``): the encoding the page declares (HTTP header, byte order mark,
  ``<meta charset>``), else UTF-8, and never a guess: trafilatura guesses and replaces what it
  cannot decode, and a text whose letters were guessed is not the source's text;
- paragraphs: each block of the extracted body (paragraph, subheading, quotation, list item) is
  one paragraph; its white space is collapsed as a browser shows it (trafilatura also turns
  non-breaking spaces into spaces), a line break counts as a space, the rest is kept verbatim,
  in Unicode NFC. Leading blocks that only repeat the headline (title and kicker) are dropped;
- the kicker: an element whose class names it so (``kicker``, ``dachzeile``, ``overline``,
  ``topline``, ``eyebrow``, …) inside the ``<h1>`` that holds the title or just before it;
- the byline: a paragraph like "(nen)", as in the text layout (what follows it is the site's),
  else the page's author;
- the language: ``<html lang>`` or a ``Content-Language`` meta tag.

Pure: no models, no network.
"""

import codecs
import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura
from django.utils.translation import gettext

from articleapp.parsed import ArticleImportError, ParsedArticle, nfc, split_byline

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# How a saved page begins, when its name does not say it is one.
HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL
)
# The HTML standard looks for <meta charset> in the first 1024 bytes.
META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9._:-]+)""", re.IGNORECASE
)
PRESCAN_BYTES = 1024
# Labels that browsers read as windows-1252 (the HTML standard's encoding table).
BROWSER_ENCODINGS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}
KICKER_CLASS = re.compile(
    r"kicker|dachzeile|overline|topline|roofline|spitzmarke|eyebrow|supertitle|headline-intro",
    re.IGNORECASE,
)
HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
HEADLINE_PUNCTUATION = " \t:–—-|·"
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
# Blocks of trafilatura's body that are article text, and the list whose items are.
TEXT_BLOCKS = {"p", "head", "quote", "code"}
DATE_PARAMETERS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Limits:
    """The longest title, kicker, byline, site name, URL and language the article can hold."""

    title: int
    kicker: int
    byline: int
    source_name: int
    source_url: int
    language: int


def is_html(name, data):
    """Tell whether a file called ``name`` holding ``data`` is a web page rather than text."""
    start = data[:4096].removeprefix(codecs.BOM_UTF8)
    return str(name).lower().endswith(HTML_SUFFIXES) or bool(HTML_START.match(start))


def decode(data, charset=None):
    """Return the page's text: decoded as declared (or as UTF-8), never guessed."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, declared = "utf-8-sig", True
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, declared = "utf-16", True
    else:
        if b"\0" in data and not charset:
            raise ArticleImportError(gettext("is a binary file, not an HTML page"))
        match = None if charset else META_CHARSET.search(data[:PRESCAN_BYTES])
        label = charset or (match[1].decode("ascii") if match else "")
        encoding, declared = label.strip().lower() or "utf-8", bool(label)
        encoding = BROWSER_ENCODINGS.get(encoding, encoding)
    try:
        return data.decode(encoding)
    except LookupError:
        raise ArticleImportError(
            gettext("declares an unknown character encoding %(encoding)r") % {"encoding": encoding}
        ) from None
    except UnicodeDecodeError as error:
        if declared:
            raise ArticleImportError(
                gettext(
                    "is not valid %(encoding)s text as it declares (invalid byte at position "
                    "%(position)d)"
                )
                % {"encoding": encoding, "position": error.start}
            ) from None
        raise ArticleImportError(
            gettext(
                "is not UTF-8 and declares no character encoding (invalid byte at position "
                "%(position)d)"
            )
            % {"position": error.start}
        ) from None


def extract(html, limits, url=None):
    """Return the article on the page ``html`` (fetched from ``url``, if it was)."""
    tree = trafilatura.load_html(html)
    if tree is None or tree.find(".//body") is None:
        raise ArticleImportError(gettext("is not HTML: no page structure in it"))
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        include_links=False,
        date_extraction_params=DATE_PARAMETERS,
    )
    if document is None or document.body is None:
        raise ArticleImportError(gettext("no article found on the page"))
    title = collapse(document.title or "")
    kicker = find_kicker(tree, title, limits.kicker)
    if kicker and title.startswith(kicker):  # a title read from an <h1> that holds the kicker
        title = title[len(kicker) :].lstrip(HEADLINE_PUNCTUATION)
    blocks = drop_headline(list(text_blocks(document.body)), title, kicker)
    if not blocks:
        raise ArticleImportError(gettext("no article found on the page"))
    if not title:
        raise ArticleImportError(gettext("no title found on the page"))
    if len(title) > limits.title:
        raise ArticleImportError(
            gettext("the title is %(length)d characters long (at most %(limit)d)")
            % {"length": len(title), "limit": limits.title}
        )
    paragraphs, byline = split_byline(blocks)
    if not paragraphs:
        raise ArticleImportError(
            gettext("no paragraphs: the article on the page has only a byline")
        )
    return ParsedArticle(
        kicker=kicker,
        title=title,
        byline=byline or shorten_authors(collapse(document.author or ""), limits.byline),
        paragraphs=paragraphs,
        source_name=fitting(collapse(document.sitename or ""), limits.source_name),
        source_url=web_address(document.url, url, limits.source_url),
        published_on=parse_date(document.date),
        language=page_language(tree, limits.language),
    )


def collapse(text):
    """White space as a browser shows it, in Unicode NFC."""
    return nfc(HTML_WHITESPACE.sub(" ", text).strip(" \t\n\r\f"))


def element_text(element):
    """The text of an element of trafilatura's body, a line break (``lb``) read as a space."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "lb" else element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def text_blocks(body):
    """Yield the text of each block of the extracted body: paragraphs, subheadings, items."""
    for element in body:
        if element.tag == "list":
            items = (collapse(element_text(item)) for item in element.findall("item"))
            yield from (item for item in items if item)
        elif element.tag in TEXT_BLOCKS:
            text = collapse(element_text(element))
            if text:
                yield text


def drop_headline(blocks, title, kicker):
    """Drop leading blocks that only repeat the headline: the title, the kicker, or both."""
    while blocks and is_headline(blocks[0], title, kicker):
        blocks.pop(0)
    return blocks


def is_headline(block, title, kicker):
    rest = block
    for part in (kicker, title):
        if part and part in rest:
            rest = rest.replace(part, "", 1)
    return rest != block and not rest.strip(HEADLINE_PUNCTUATION)


def find_kicker(tree, title, limit):
    """The kicker: a short element named so by its class, in or just before the title's <h1>."""
    if not title:
        return ""
    for heading in tree.iter("h1"):
        if title not in collapse(heading.text_content()):
            continue
        candidates = [*heading.iter(), *_preceding(heading), *_preceding(heading.getparent())]
        for candidate in candidates:
            if candidate is not None and KICKER_CLASS.search(candidate.get("class", "")):
                text = collapse(candidate.text_content())
                if text and text != title and len(text) <= limit:
                    return text
        return ""
    return ""


def _preceding(element, count=3):
    """The few elements just before ``element``, nearest first."""
    if element is None:
        return []
    siblings = []
    for sibling in element.itersiblings(preceding=True):
        if isinstance(sibling.tag, str):
            siblings.append(sibling)
        if len(siblings) == count:
            break
    return siblings


def shorten_authors(authors, limit):
    """The authors trafilatura found ("A; B"), as many as fit."""
    names = []
    for name in authors.split("; "):
        if len("; ".join([*names, name])) > limit:
            break
        names.append(name)
    return "; ".join(names)


def fitting(text, limit):
    return text if len(text) <= limit else ""


def web_address(canonical, fetched, limit):
    """The page's canonical URL, else the one it was fetched from: an http(s) URL that fits."""
    for address in (canonical, fetched):
        if not address:
            continue
        parts = urlsplit(address)
        web = parts.scheme in {"http", "https"} and bool(parts.hostname)
        if web and len(address) <= limit and not any(c.isspace() for c in address):
            return address
    return ""


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def page_language(tree, limit):
    """The language the page declares for itself, as a tag like ``de`` or ``en-GB``."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        for meta in tree.iter("meta"):
            if meta.get("http-equiv", "").lower() == "content-language":
                declared = meta.get("content", "").split(",")[0]
                break
    declared = (declared or "").strip()
    if LANGUAGE_TAG.match(declared) and len(declared) <= limit:
        return declared
    return ""
