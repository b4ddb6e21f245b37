"""brat standoff export: a zip with ``<article>.txt`` and ``<article>.ann`` per article.

The ``.txt`` is the article's paragraphs joined by a blank line (``"\\n\\n"``); offsets in the
``.ann`` count Unicode code points of that text, as brat does. Each annotation is a text-bound
line ``T<n>\\t<Type> <start> <end>\\t<quote>`` whose type is the entity kind capitalised
(``Organisation``, ``Person``…) or ``Span`` without an entity; a Wikidata ID becomes a
normalisation line ``N<n>\\tReference T<n> Wikidata:<Q…>\\t<entity name>``; the comment and the
tags become ``#<n>\\tAnnotatorNotes T<n>\\t…`` notes (line breaks in a comment are written as
spaces, since a note is one line). ``annotation.conf`` and ``tools.conf`` let brat open the
collection as it is. Orphans are dropped (``FORMAT.drops``): their offsets point at other words.
"""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone

from articleapp.exports.contract import ORPHANED, Format
from articleapp.exports.rows import iter_articles
from articleapp.models import Entity

PARAGRAPH_SEPARATOR = "\n\n"
SPAN_TYPE = "Span"
ANNOTATION_CONF = (
    "[entities]\n"
    + "".join(f"{kind.capitalize()}\n" for kind in Entity.Kind.values)
    + f"{SPAN_TYPE}\n[relations]\n[events]\n[attributes]\n"
)
LINE = re.compile(r"[^\r\n]+")
TOOLS_CONF = (
    "[normalization]\n"
    "Wikidata\tDB:none, <URL>:https://www.wikidata.org/, "
    "<URLBASE>:https://www.wikidata.org/wiki/%s\n"
)


class ChunkBuffer(io.RawIOBase):
    """A write-only, unseekable file that hands out what was written since the last ``take``."""

    def __init__(self):
        super().__init__()
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def one_line(text):
    return " ".join(text.split())


def fragments(text, start, end):
    """The ``[start, end)`` span of ``text`` as brat fragments: the runs between line breaks."""
    return [(start + run.start(), start + run.end()) for run in LINE.finditer(text[start:end])]


def ann_lines(paragraphs):
    """Yield the ``.ann`` lines of one article, given its paragraphs and their annotations."""
    offset = 0
    counters = {"T": 0, "N": 0, "#": 0}

    def next_id(prefix):
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    for paragraph, attached in paragraphs:
        for row in attached:
            spans = fragments(paragraph.text, row.start, row.end)
            if not spans:
                continue
            kind = row.entity_kind.capitalize() if row.entity_id else SPAN_TYPE
            text_id = next_id("T")
            locations = ";".join(f"{offset + start} {offset + end}" for start, end in spans)
            quote = " ".join(paragraph.text[start:end] for start, end in spans)
            yield f"{text_id}\t{kind} {locations}\t{quote}\n"
            if row.wikidata_id:
                yield (
                    f"{next_id('N')}\tReference {text_id} Wikidata:{row.wikidata_id}\t"
                    f"{one_line(row.entity_name)}\n"
                )
            if row.comment.strip():
                yield f"{next_id('#')}\tAnnotatorNotes {text_id}\t{one_line(row.comment)}\n"
            if row.tags:
                notes = "; ".join(one_line(tag) for tag in row.tags)
                yield f"{next_id('#')}\tAnnotatorNotes {text_id}\tTags: {notes}\n"
        offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)


def entry_name(slug, extension):
    """Return the zip entry ``<slug>.<extension>``; a slug that is not one is refused.

    Slugs are validated where they enter and by a database constraint; checked once more here,
    since an entry named ``../x.txt`` would be written outside the folder it is unpacked in.
    """
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValueError(f"article slug {slug!r} cannot name a file in the zip") from None
    return f"{slug}.{extension}"


def write(annotations, context):
    """Yield the zip file in pieces, one article's two files at a time."""
    buffer = ChunkBuffer()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def entry(name):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            return archive.open(info, "w")

        with entry("annotation.conf") as file:
            file.write(ANNOTATION_CONF.encode())
        with entry("tools.conf") as file:
            file.write(TOOLS_CONF.encode())
        for slug, paragraphs in iter_articles(annotations, context):
            with entry(entry_name(slug, "txt")) as file:
                text = PARAGRAPH_SEPARATOR.join(paragraph.text for paragraph, _ in paragraphs)
                file.write((text + "\n").encode())
            with entry(entry_name(slug, "ann")) as file:
                for line in ann_lines(paragraphs):
                    file.write(line.encode())
            yield buffer.take()
    yield buffer.take()


FORMAT = Format("brat", "brat standoff (zip)", "zip", "application/zip", write, drops=(ORPHANED,))
