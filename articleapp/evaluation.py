"""Measure the gazetteer's suggestions against a gold file of the spans they should be.

A gold file is JSON Lines, one object per span: ``article`` (slug), ``paragraph`` (position),
``start`` and ``end`` (code points), ``entity`` (slug), and optionally ``quote``, the words at
those offsets, checked so that a gold file cannot silently drift from its text. Its articles
are read whole: every suggestion in them counts, and a suggestion is right when its paragraph,
offsets and entity are those of a gold span.

What is counted is what the gazetteer suggests (``suggestions.propose``), whatever editors did
with it since: an annotated or rejected span is still measured. Each suggestion has its reason;
a gold span gets the reason of the suggestion that found it, else the reason it was skipped for
(a longer name, a context word), else "not found": so the rows per reason show where recall is
lost, not only where precision is.
"""

import json
from dataclasses import dataclass, field

from articleapp import suggestions
from articleapp.files import read_bytes
from articleapp.models import Article, Entity, Paragraph

NOT_FOUND = "not-found"
FIELDS = {"article": str, "paragraph": int, "start": int, "end": int, "entity": str}


class GoldError(Exception):
    """The gold file cannot be used; the message names the file, the line and the fault."""


@dataclass(frozen=True)
class Span:
    article: str
    paragraph: int
    start: int
    end: int
    entity: str


@dataclass
class Score:
    """Counts for one row of the report: suggested, gold, and both."""

    suggested: int = 0
    gold: int = 0
    correct: int = 0

    @property
    def precision(self):
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self):
        return self.correct / self.gold if self.gold else None

    @property
    def f1(self):
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


@dataclass
class Evaluation:
    overall: Score = field(default_factory=Score)
    by_kind: dict = field(default_factory=dict)
    by_reason: dict = field(default_factory=dict)
    by_article: dict = field(default_factory=dict)


def read_gold(path):
    """Return the gold spans of the file at ``path``, checked against the database."""
    try:
        text = read_bytes(path, GoldError).decode("utf-8")
    except UnicodeDecodeError:
        raise GoldError(f"{path}: is not UTF-8 text") from None
    raw = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            raw.append((number, parse_line(path, number, line)))
    if not raw:
        raise GoldError(f"{path}: holds no gold spans")
    articles = {entry["article"] for _, entry in raw}
    known = set(Article.objects.filter(slug__in=articles).values_list("slug", flat=True))
    entities = set(
        Entity.objects.filter(slug__in={entry["entity"] for _, entry in raw}).values_list(
            "slug", flat=True
        )
    )
    paragraphs = {
        (slug, position): text
        for slug, position, text in Paragraph.objects.filter(article__slug__in=known).values_list(
            "article__slug", "position", "text"
        )
    }
    spans, seen = [], {}
    for number, entry in raw:
        where = f"{path} line {number}"
        if entry["article"] not in known:
            raise GoldError(f"{where}: no article with the slug {entry['article']!r}")
        if entry["entity"] not in entities:
            raise GoldError(f"{where}: no entity with the slug {entry['entity']!r}")
        paragraph = paragraphs.get((entry["article"], entry["paragraph"]))
        if paragraph is None:
            raise GoldError(f"{where}: {entry['article']} has no paragraph {entry['paragraph']}")
        if not 0 <= entry["start"] < entry["end"] <= len(paragraph):
            raise GoldError(
                f"{where}: {entry['start']}–{entry['end']} is not a span of the paragraph "
                f"({len(paragraph)} characters)"
            )
        words = paragraph[entry["start"] : entry["end"]]
        if "quote" in entry and entry["quote"] != words:
            raise GoldError(f"{where}: the quote {entry['quote']!r} is {words!r} in the text")
        span = Span(**{name: entry[name] for name in FIELDS})
        if span in seen:
            raise GoldError(f"{where}: repeats line {seen[span]}")
        seen[span] = number
        spans.append(span)
    return spans


def parse_line(path, number, line):
    """Return one gold line as a dict of its fields, or raise GoldError saying what is wrong."""
    where = f"{path} line {number}"
    try:
        entry = json.loads(line)
    except ValueError as error:
        raise GoldError(f"{where}: not JSON ({error.msg})") from None
    if not isinstance(entry, dict):
        raise GoldError(f"{where}: not a JSON object")
    missing = [name for name in FIELDS if name not in entry]
    if missing:
        raise GoldError(f"{where}: missing {', '.join(missing)}")
    for name, kind in FIELDS.items():
        value = entry[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise GoldError(f"{where}: {name} must be a whole number ≥ 0, not {value!r}")
        if kind is str and not isinstance(value, str):
            raise GoldError(f"{where}: {name} must be a string, not {value!r}")
    if "quote" in entry and not isinstance(entry["quote"], str):
        raise GoldError(f"{where}: quote must be a string")
    unknown = set(entry) - set(FIELDS) - {"quote"}
    if unknown:
        raise GoldError(f"{where}: unknown field {', '.join(sorted(unknown))}")
    return entry


def evaluate(gold):
    """Score the gazetteer's suggestions in the gold spans' articles against those spans."""
    slugs = sorted({span.article for span in gold})
    paragraphs = Paragraph.objects.filter(article__slug__in=slugs).select_related("article")
    gazetteer = suggestions.build_gazetteer()
    slug_of = dict(Entity.objects.values_list("pk", "slug"))
    kind_of = dict(Entity.objects.values_list("slug", "kind"))
    suggested, skipped = {}, {}
    for proposal in suggestions.judge_mentions(
        paragraphs.order_by("article", "position"), gazetteer
    ):
        span = Span(
            proposal.paragraph.article.slug,
            proposal.paragraph.position,
            proposal.start,
            proposal.end,
            slug_of[proposal.entity_id],
        )
        (suggested if proposal.is_suggested else skipped)[span] = str(proposal.verdict)
    result = Evaluation()
    gold = set(gold)
    for span in gold | set(suggested):
        reason = suggested.get(span) or skipped.get(span, NOT_FOUND)
        rows = [
            result.overall,
            result.by_kind.setdefault(kind_of[span.entity], Score()),
            result.by_reason.setdefault(reason, Score()),
            result.by_article.setdefault(span.article, Score()),
        ]
        for score in rows:
            score.suggested += span in suggested
            score.gold += span in gold
            score.correct += span in suggested and span in gold
    return result
