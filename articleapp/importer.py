"""Import an article from a text file, a saved web page or a URL: create it, or update it in place.

Sources, each read into a ``ParsedArticle`` (``articleapp.parsed``):

- a text file in the layout of ``data/articles/``: a kicker line, a title line, body paragraphs
  separated by blank lines, and a byline in parentheses such as ``(nen)``. Everything after the
  byline (the source site's "Source link", comment form and navigation) is dropped. Lines within
  a paragraph are joined with a space; the text is otherwise kept verbatim, in Unicode NFC;
- a saved web page (named ``.html``/``.htm``, or beginning like one): ``articleapp.extraction``;
- a URL: fetched by ``articleapp.fetching``, then read as a page.

Which article an import updates: the one with the slug given; else the one whose source URL is
the page's canonical URL (each source page is one article, a database constraint); else the one
with the slug made from the title. A slug whose article came from another page is refused
unless it was given. An update keeps every annotation: ``textchanges`` re-anchors them.

``plan`` tells what an import would do and writes nothing (the command's dry run, the admin's
preview); ``save`` does it in one transaction, and, given the digest of a plan, only while the
plan is still that one (the admin's confirmation of what its preview showed).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext

from articleapp import extraction, fetching, invalidation, textchanges
from articleapp.files import read_bytes
from articleapp.models import Article, Paragraph
from articleapp.parsed import ArticleImportError, ParsedArticle, nfc, split_byline

BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")


def _max_length(field):
    return Article._meta.get_field(field).max_length


TITLE_MAX_LENGTH = _max_length("title")
KICKER_MAX_LENGTH = _max_length("kicker")
SLUG_MAX_LENGTH = _max_length("slug")
LIMITS = extraction.Limits(
    title=TITLE_MAX_LENGTH,
    kicker=KICKER_MAX_LENGTH,
    byline=_max_length("byline"),
    source_name=_max_length("source_name"),
    source_url=_max_length("source_url"),
    language=_max_length("language"),
)
GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
# Taken from the source whenever it tells them; kept as they are when it does not.
SOURCE_FIELDS = ("source_name", "source_url", "published_on", "language")
FIELDS = ("title", "kicker", "byline", *SOURCE_FIELDS)


class PlanChanged(ArticleImportError):
    """The article changed since the plan was made; nothing was written."""


# Reading ------------------------------------------------------------------------------------


def read_file(path):
    """Read the article in the file ``path``: a web page or text, by its name and beginning."""
    return read_bytes_as(read_bytes(path, ArticleImportError), Path(path).name, str(path))


def read_bytes_as(data, name, label):
    """Read ``data``, the content of a file called ``name``; errors begin with ``label``."""
    if extraction.is_html(name, data):
        return read_page(data, label)
    return parse(decode_text(data, label))


def read_url(url):
    """Fetch the page at ``url`` and read the article on it."""
    page = fetching.fetch(url)
    return read_page(page.data, url, url=page.url, charset=page.charset)


def read_page(data, label, url=None, charset=None):
    try:
        return extraction.extract(extraction.decode(data, charset), LIMITS, url=url)
    except ArticleImportError as error:
        raise ArticleImportError(f"{label}: {error}") from None


def read_text(path):
    """Return the text of the file ``path``, or raise ArticleImportError saying why it has none."""
    return decode_text(read_bytes(path, ArticleImportError), str(path))


def decode_text(data, label):
    if b"\0" in data:
        raise ArticleImportError(
            gettext("%(file)s: is a binary file, not plain text") % {"file": label}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            gettext("%(file)s: is not UTF-8 text (invalid byte at position %(position)d)")
            % {"file": label, "position": error.start}
        ) from None
    if not text.strip():
        raise ArticleImportError(gettext("%(file)s: is empty") % {"file": label})
    return text


def parse(text):
    """Split article text into kicker, title, byline and body paragraphs."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in BLANK_LINES.split(text)
    ]
    blocks = [block for block in blocks if block]
    if not blocks:
        raise ArticleImportError(gettext("the file has no text"))
    if len(blocks) < 2:
        raise ArticleImportError(gettext("no title: expected a kicker line, then a title line"))
    kicker, title, *rest = blocks
    if len(kicker) > KICKER_MAX_LENGTH:
        raise ArticleImportError(
            gettext("the first line is %(length)d characters long; expected a short kicker line")
            % {"length": len(kicker)}
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise ArticleImportError(
            gettext("the title line is %(length)d characters long (at most %(limit)d)")
            % {"length": len(title), "limit": TITLE_MAX_LENGTH}
        )
    body, byline = split_byline(rest)
    if not body:
        raise ArticleImportError(gettext("no paragraphs: expected body text after the title line"))
    return ParsedArticle(kicker=kicker, title=title, byline=byline, paragraphs=body)


# Which article ------------------------------------------------------------------------------


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
            gettext(
                "the slug %(slug)r is not valid: use only letters, digits, hyphens and underscores"
            )
            % {"slug": slug}
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise ArticleImportError(
            gettext("the slug is %(length)d characters long (at most %(limit)d)")
            % {"length": len(slug), "limit": SLUG_MAX_LENGTH}
        )


def slug_for(title):
    """Return a URL slug for a German title: umlauts transliterated, at most 200 characters."""
    slug = slugify(title.translate(GERMAN_TRANSLITERATION))[:200].strip("-")
    if not slug:
        raise ArticleImportError(gettext("the title gives no slug; give one"))
    return slug


def find_article(parsed, slug=None, lock=False):
    """Return ``(article, slug)``: the article an import of ``parsed`` updates (None: a new one)."""
    articles = Article.objects.select_for_update() if lock else Article.objects.all()
    source = parsed.source_url
    by_source = articles.filter(source_url=source).first() if source else None
    if slug is not None:
        check_slug(slug)
        article = articles.filter(slug=slug).first()
        if by_source is not None and by_source != article:
            raise ArticleImportError(
                gettext(
                    "the page %(url)s is already the source of the article %(slug)r; import "
                    "it under that slug, or without one"
                )
                % {"url": source, "slug": by_source.slug}
            )
        return article, slug
    if by_source is not None:
        return by_source, by_source.slug
    slug = slug_for(parsed.title)
    article = articles.filter(slug=slug).first()
    if article is not None and source and article.source_url not in {"", source}:
        raise ArticleImportError(
            gettext(
                "the article %(slug)r comes from another page (%(url)s): give its slug to "
                "update it from this page, or another slug to import this one beside it"
            )
            % {"slug": slug, "url": article.source_url}
        )
    return article, slug


# Planning and saving ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """What importing ``parsed`` would do, decided without writing."""

    parsed: ParsedArticle
    slug: str
    article: Article | None  # the article updated; None when one is created
    changes: tuple  # (field name, value now, value after) for each field that changes
    text: textchanges.Plan
    digest: str  # of everything the plan was made from: an equal digest, an equal plan

    @property
    def created(self):
        return self.article is None

    @property
    def values(self):
        """The article's fields after the import."""
        return field_values(self.parsed, self.article)


def field_values(parsed, article):
    """The article's fields after the import: the source's, where it tells them."""
    values = {"title": parsed.title, "kicker": parsed.kicker, "byline": parsed.byline}
    for field in SOURCE_FIELDS:
        value = getattr(parsed, field)
        if value not in {"", None}:
            values[field] = value
        elif article is not None:
            values[field] = getattr(article, field)
        else:
            values[field] = Article._meta.get_field(field).get_default()
    return values


def plan(parsed, slug=None, lock=False):
    """Tell what importing ``parsed`` (under ``slug``, if given) would do; write nothing."""
    article, slug = find_article(parsed, slug, lock=lock)
    values = field_values(parsed, article)
    changes = tuple(
        (field, getattr(article, field) if article else None, values[field])
        for field in FIELDS
        if article is None or getattr(article, field) != values[field]
    )
    text = textchanges.plan(article or Article(), parsed.paragraphs, lock=lock)
    return ImportPlan(parsed, slug, article, changes, text, _digest(parsed, slug, article, text))


def _digest(parsed, slug, article, text):
    state = {
        "parsed": [*(str(getattr(parsed, field)) for field in FIELDS), *parsed.paragraphs],
        "slug": slug,
        "article": [article.pk, *(str(getattr(article, f)) for f in FIELDS)] if article else None,
        "paragraphs": [[paragraph.pk, paragraph.text] for paragraph in text.paragraphs],
        "annotations": [
            [str(getattr(outcome.annotation, name)) for name in textchanges.PLANNED_FROM]
            for outcome in text.outcomes
        ],
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


@transaction.atomic
@invalidation.deferred_touches()
def save(parsed, slug=None, expected=None):
    """Create or update the article; keep every annotation, anchored, moved or orphaned.

    Returns ``(article, created)``. With ``expected``, the digest of a plan shown before, raises
    PlanChanged, writing nothing, unless the plan is still that one. Old paragraphs take the
    texts ``textchanges.pair_paragraphs`` gives them, so an inserted or removed paragraph does
    not shift the others' texts under their annotations; the rest is
    ``textchanges.reconcile``'s: splits, re-anchoring, and orphans of removed paragraphs kept
    on the nearest remaining one.
    """
    planned = plan(parsed, slug, lock=True)
    if expected is not None and planned.digest != expected:
        raise PlanChanged(
            gettext("the article changed since this import was previewed; nothing was changed")
        )
    article, created = planned.article, planned.created
    if created:
        article = Article(slug=planned.slug)
    for field, value in field_values(parsed, planned.article).items():
        setattr(article, field, value)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Two imports of one new article at once: the database let the other one create it.
        raise ArticleImportError(
            gettext(
                "another import created this article at the same moment; nothing was "
                "changed, import again to update it"
            )
        ) from None
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
    """Read and save the article in the file ``path``; return ``(article, created)``."""
    if slug is not None:
        check_slug(slug)  # before reading: a bad slug is the first problem to name
    return save(read_file(path), slug=slug)
