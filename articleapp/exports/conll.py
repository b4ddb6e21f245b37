"""CoNLL-2003 style IOB export for training named-entity recognisers.

One ``token TAG`` pair per line, a blank line after each sentence, and a document line plus a
blank line before each article: ``-DOCSTART- O`` (a token and a tag like every other line), or,
with ``docstart=conll2003`` (``ExportContext.docstart``), the four columns ``-DOCSTART- -X- O O``
of the CoNLL-2003 files, the exact line spaCy's ``conll_ner_to_docs`` splits documents on (it
reads the two-column one as a word). Tags are ``B-``/``I-`` plus ``PER``, ``ORG``, ``LOC`` or
``MISC`` (``KIND_TAGS``), or ``O``. Every paragraph of each article that has an exported
annotation is written, so unannotated sentences serve as negative examples; annotations without
an entity and orphans are dropped (``FORMAT.drops``). Overlapping annotations cannot both be
expressed in IOB: the earlier one wins, and of two starting together the longer one. A token
that an annotation covers only in part (``Microsofts`` for ``Microsoft``) is tagged as part of
it.

Tokenisation (``tokenize``): numbers with inner ``.``/``,``/``:``/``/`` (``3,5``, ``1.000``,
``12:30``) are one token; words keep inner hyphens, apostrophes and ampersands (``KI-Modelle``,
``geht's``, ``AT&T``); letter-dot abbreviations (``z.B.``, ``u.a.``) and known abbreviations with
their dot (``Dr.``, ``bzw.``, ``z.`` ``B.``, see ``ABBREVIATIONS``) are one token; an ordinal
number keeps its dot before a month name or a lower-case word (``3. Mai``); every other
non-space character, including German quotes „ “ ‚ ‘ and guillemets » «, is a token of its own.

Sentences (``sentences``) end at a paragraph's end and after ``.``, ``!``, ``?`` or ``…``
(with any closing quotes or brackets that follow) when the next token begins with a capital
letter, a digit or an opening quote or bracket.
"""

import re

from articleapp.exports.contract import DOCSTART_LINES, ORPHANED, WITHOUT_ENTITY, Format
from articleapp.exports.rows import iter_articles
from articleapp.models import Entity

KIND_TAGS = {
    Entity.Kind.PERSON: "PER",
    Entity.Kind.ORGANISATION: "ORG",
    Entity.Kind.PLACE: "LOC",
    Entity.Kind.EVENT: "MISC",
    Entity.Kind.PRODUCT: "MISC",
    Entity.Kind.INITIATIVE: "MISC",
    Entity.Kind.OTHER: "MISC",
}
ABBREVIATIONS = frozenset(
    [
        "a",
        "abs",
        "b",
        "bspw",
        "bzw",
        "ca",
        "co",
        "corp",
        "d",
        "dr",
        "etc",
        "evtl",
        "ggf",
        "h",
        "inc",
        "inkl",
        "jh",
        "ltd",
        "mio",
        "mr",
        "mrd",
        "ms",
        "nr",
        "prof",
        "s",
        "sog",
        "st",
        "str",
        "tel",
        "u",
        "usw",
        "vgl",
        "z",
    ]
)
MONTHS = frozenset(
    [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
        "jan",
        "feb",
        "mär",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "nov",
        "dez",
    ]
)
TOKEN = re.compile(
    r"""
      (?:[^\W\d_]\.){2,}          # z.B. u.a.
    | \d+(?:[.,:/]\d+)*           # 3,5 1.000 12:30 2024/25
    | [^\W_]+(?:['’&-][^\W_]+)*   # words with inner hyphen, apostrophe or ampersand
    | \S                          # any other character on its own
    """,
    re.VERBOSE,
)
SENTENCE_END = frozenset(".!?…")
CLOSERS = frozenset("“”\"’'«)]")
OPENERS = frozenset('„»‚"“‘([')


def tokenize(text):
    """Return ``[(token, start, end), …]`` for ``text``, offsets in code points."""
    tokens = [(match.group(), match.start(), match.end()) for match in TOKEN.finditer(text)]
    merged = []
    index = 0
    while index < len(tokens):
        token, start, end = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following and following[0] == "." and following[1] == end:
            after = tokens[index + 2][0] if index + 2 < len(tokens) else ""
            is_abbreviation = token.casefold() in ABBREVIATIONS
            is_ordinal = token.isdigit() and (after.casefold() in MONTHS or after[:1].islower())
            if is_abbreviation or is_ordinal:
                merged.append((token + ".", start, following[2]))
                index += 2
                continue
        merged.append((token, start, end))
        index += 1
    return merged


def sentences(tokens):
    """Split a paragraph's tokens into sentences (lists of tokens)."""
    result, current = [], []
    index = 0
    while index < len(tokens):
        current.append(tokens[index])
        if tokens[index][0] in SENTENCE_END:
            while index + 1 < len(tokens) and tokens[index + 1][0] in CLOSERS:
                index += 1
                current.append(tokens[index])
            following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
            if following and (
                following[0].isupper() or following[0].isdigit() or following[0] in OPENERS
            ):
                result.append(current)
                current = []
        index += 1
    if current:
        result.append(current)
    return result


def chosen_spans(spans):
    """Drop spans that overlap an earlier (or, starting together, a longer) one."""
    chosen, reach = [], 0
    for start, end, tag in sorted(spans, key=lambda span: (span[0], span[0] - span[1])):
        if start >= reach:
            chosen.append((start, end, tag))
            reach = end
    return chosen


def tag_tokens(tokens, spans):
    """Return the IOB tag of each token for the given ``(start, end, tag)`` spans."""
    tags = []
    spans = chosen_spans(spans)
    current = None
    for _token, start, end in tokens:
        span = next((span for span in spans if span[0] < end and start < span[1]), None)
        if span is None:
            tags.append("O")
        else:
            tags.append(("I-" if span is current else "B-") + span[2])
        current = span
    return tags


def paragraph_lines(text, spans):
    """Yield the CoNLL lines of one paragraph, a blank line after each sentence."""
    tokens = tokenize(text)
    tags = iter(tag_tokens(tokens, spans))
    for sentence in sentences(tokens):
        yield "".join(f"{token} {next(tags)}\n" for token, _start, _end in sentence) + "\n"


def write(annotations, context):
    """Yield each article's text as tagged tokens, one paragraph at a time."""
    docstart = DOCSTART_LINES[context.docstart] + "\n\n"
    for _article, paragraphs in iter_articles(annotations, context):
        yield docstart
        for paragraph, attached in paragraphs:
            spans = [(row.start, row.end, KIND_TAGS[row.entity_kind]) for row in attached]
            yield "".join(paragraph_lines(paragraph.text, spans))


FORMAT = Format(
    "conll",
    "CoNLL-2003 IOB",
    "conll",
    "text/plain; charset=utf-8",
    write,
    drops=(WITHOUT_ENTITY, ORPHANED),
)
