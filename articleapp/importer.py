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

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from articleapp import invalidation, textchanges
from articleapp.files import read_bytes
from articleapp.models import Article, Paragraph

BYLINE = re.compile(r"^\((?P<byline>[^()]{1,60})\)$")
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
KICKER_MAX_LENGTH = Article._meta.get_field("kicker").max_length
SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length
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
    data = read_bytes(path, ArticleImportError)
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


def check_slug(slug):
    """Raise ArticleImportError unless ``slug`` is a slug (Django's ``validate_slug``).

    A slug becomes the article's URL and the names of its files in the brat zip, so nothing but
    ASCII letters, digits, hyphens and underscores may pass (``../x`` would climb out of the
    zip and break every link to the article); the database checks it again.
    """
    try:
        validate_slug(slug)
    except ValidationError:
        raise ArticleImportError(
            f"the slug {slug!r} is not valid: use only letters, digits, hyphens and underscores"
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise ArticleImportError(
            f"the slug is {len(slug)} characters long (at most {SLUG_MAX_LENGTH})"
        )


def slug_for(title):
    """Return a URL slug for a German title: umlauts transliterated, at most 200 characters."""
    slug = slugify(title.translate(GERMAN_TRANSLITERATION))[:200].strip("-")
    if not slug:
        raise ArticleImportError("the title gives no slug; pass one with --slug")
    return slug


@transaction.atomic
@invalidation.deferred_touches()
def save(parsed, slug=None):
    """Create or update the article; keep every annotation, anchored, moved or orphaned.

    Returns ``(article, created)``. Old paragraphs take the new texts they pair with
    (``textchanges.pair_paragraphs``), so an inserted or removed paragraph does not shift the
    others' texts under their annotations; the rest is ``textchanges.reconcile``'s: splits,
    re-anchoring, and orphans of removed paragraphs kept on the nearest remaining one.
    """
    slug = slug or slug_for(parsed.title)
    check_slug(slug)
    article, created = Article.objects.select_for_update().get_or_create(
        slug=slug,
        defaults={"title": parsed.title, "kicker": parsed.kicker, "byline": parsed.byline},
    )
    if not created:
        article.title, article.kicker, article.byline = parsed.title, parsed.kicker, parsed.byline
        article.save()
    before = textchanges.before(article)
    old = list(before.paragraphs)
    new_texts = list(parsed.paragraphs)
    paired = textchanges.pair_paragraphs(before.texts, new_texts)
    # Park every paragraph whose position changes beyond the final range, so the unique
    # position constraint holds while they are renumbered one by one.
    parking = len(old) + len(new_texts) + 1
    moving = [
        paragraph.pk
        for index, paragraph in enumerate(old)
        if paragraph.position != paired.get(index, -1) + 1
    ]
    Paragraph.objects.filter(pk__in=moving).update(position=F("position") + parking)
    new_to_old = {new: old_index for old_index, new in paired.items()}
    for index, text in enumerate(new_texts):
        old_index = new_to_old.get(index)
        if old_index is None:
            Paragraph.objects.create(article=article, position=index + 1, text=text)
            continue
        paragraph = old[old_index]
        if paragraph.position != index + 1 or paragraph.text != text:
            paragraph.position, paragraph.text = index + 1, text
            paragraph.save()
    removed = [paragraph for index, paragraph in enumerate(old) if index not in paired]
    textchanges.reconcile(before, removed=removed)
    return article, created


def import_file(path, slug=None):
    """Read, parse and save the article in ``path``; return ``(article, created)``."""
    if slug is not None:
        check_slug(slug)  # before reading: a bad slug is the first problem to name
    return save(parse(read_text(path)), slug=slug)
