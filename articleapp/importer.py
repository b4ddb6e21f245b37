"""Read a plain-text article, parse it, and save it atomically.

The shape, as in ``data/articles/``: a kicker line, a title line, body paragraphs separated by
blank lines, and a byline in parentheses such as ``(nen)``. Everything after the byline (the
source site's "Source link", comment form and navigation) is dropped. Lines within a paragraph are
joined with a space; the text is otherwise kept verbatim, in Unicode NFC.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from articleapp import anchoring
from articleapp.models import Article, Paragraph

BYLINE = re.compile(r"^\((?P<byline>[^()]{1,60})\)$")
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
KICKER_MAX_LENGTH = Article._meta.get_field("kicker").max_length
GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


class ArticleImportError(Exception):
    """The file is not an article this importer can read; the message says why."""


@dataclass(frozen=True)
class ParsedArticle:
    kicker: str
    title: str
    byline: str
    paragraphs: tuple


def read_text(path):
    """Return the file's text, or raise ArticleImportError saying why it is not an article."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleImportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleImportError(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise ArticleImportError(f"{path}: cannot be read ({error.strerror})") from None
    if b"\0" in data:
        raise ArticleImportError(f"{path}: is a binary file, not plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            f"{path}: is not UTF-8 text (invalid byte at position {error.start})"
        ) from None
    if not text.strip():
        raise ArticleImportError(f"{path}: is empty")
    return text


def parse(text):
    """Split article text into kicker, title, byline and body paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in BLANK_LINES.split(text)
    ]
    blocks = [block for block in blocks if block]
    if not blocks:
        raise ArticleImportError("the file has no text")
    if len(blocks) < 2:
        raise ArticleImportError("no title: expected a kicker line, then a title line")
    kicker, title, *rest = blocks
    if len(kicker) > KICKER_MAX_LENGTH:
        raise ArticleImportError(
            f"the first line is {len(kicker)} characters long; expected a short kicker line"
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise ArticleImportError(
            f"the title line is {len(title)} characters long (at most {TITLE_MAX_LENGTH})"
        )
    byline = ""
    body = rest
    for index, block in enumerate(rest):
        match = BYLINE.match(block)
        if match:
            byline = match["byline"].strip()
            body = rest[:index]
            break
    if not body:
        raise ArticleImportError("no paragraphs: expected body text after the title line")
    return ParsedArticle(kicker=kicker, title=title, byline=byline, paragraphs=tuple(body))


def slug_for(title):
    """Return a URL slug for a German title: umlauts transliterated, at most 200 characters."""
    slug = slugify(title.translate(GERMAN_TRANSLITERATION))[:200].strip("-")
    if not slug:
        raise ArticleImportError("the title gives no slug; pass one with --slug")
    return slug


@transaction.atomic
def save(parsed, slug=None):
    """Create or update the article; keep every annotation anchored, or change nothing.

    Returns ``(article, created)``. A paragraph whose text changed has its annotations re-anchored;
    if one cannot be found in the new text, or a removed paragraph has annotations, the whole
    import is refused with ArticleImportError and the database is left as it was.
    """
    slug = slug or slug_for(parsed.title)
    article, created = Article.objects.select_for_update().get_or_create(
        slug=slug,
        defaults={"title": parsed.title, "kicker": parsed.kicker, "byline": parsed.byline},
    )
    if not created:
        article.title, article.kicker, article.byline = parsed.title, parsed.kicker, parsed.byline
        article.save()
    existing = {paragraph.position: paragraph for paragraph in article.paragraphs.all()}
    for position, text in enumerate(parsed.paragraphs, start=1):
        paragraph = existing.pop(position, None)
        if paragraph is None:
            Paragraph.objects.create(article=article, position=position, text=text)
        elif paragraph.text != text:
            paragraph.text = text
            paragraph.save()
            reanchor_annotations(paragraph)
    for position, paragraph in sorted(existing.items()):
        if paragraph.annotations.exists():
            raise ArticleImportError(
                f"paragraph {position} has annotations and is missing from the new text"
            )
        paragraph.delete()
    return article, created


def reanchor_annotations(paragraph):
    """Move each annotation of a changed paragraph to where its quote now stands."""
    for annotation in paragraph.annotations.all():
        quote = anchoring.Quote(annotation.quote, annotation.prefix, annotation.suffix)
        anchor = anchoring.reanchor(paragraph.text, quote, annotation.start, annotation.end)
        if anchor.status == anchoring.AnchorStatus.ORPHANED:
            raise ArticleImportError(
                f"paragraph {paragraph.position}: the annotated text „{annotation.quote}“ is no "
                "longer in it; remove or move that annotation first"
            )
        annotation.start, annotation.end = anchor.start, anchor.end
        annotation.anchor_in(paragraph.text)
        annotation.save()


def import_file(path, slug=None):
    """Read, parse and save the article in ``path``; return ``(article, created)``."""
    return save(parse(read_text(path)), slug=slug)
