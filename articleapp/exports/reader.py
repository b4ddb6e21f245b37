"""Read an export back into the database: JSON, JSON Lines or W3C JSON-LD, all or nothing.

``load(path)`` parses the file (``articleapp.exports.parsing``) and checks every annotation
against the database first, and raises ``AnnotationImportError`` with one line naming the first
problem and where it is; only a file without problems is written, in one transaction.
Annotations keep their ids, timestamps, offsets, tags and comments, so exporting again gives the
same file. Entities the database does not know are created from the export (found by slug, then
by Wikidata ID). An author whose user name is unknown here is left empty and counted in the
result. Should the database still refuse a row, the transaction is rolled back and the refusal
is one line like any other problem.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.validators import validate_slug
from django.db import DatabaseError, connection, transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history
from taggit.models import Tag

from articleapp import invalidation
from articleapp.exports.parsing import AnnotationImportError, parse_file
from articleapp.exports.records import RecordError
from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.tagging import makes_a_slug

__all__ = ["AnnotationImportError", "ImportResult", "load"]

BATCH_SIZE = 1000
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
NAME_MAX_LENGTH = Entity._meta.get_field("name").max_length


@dataclass
class ImportResult:
    annotations: int = 0
    entities_created: list = field(default_factory=list)
    unknown_authors: set = field(default_factory=set)


def excerpt(text, limit=40):
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Plan:
    """The checked import: paragraphs, entities and authors resolved, nothing written yet."""

    def __init__(self, items):
        self.items = items
        self.paragraphs = {}
        self.linked_spans = set()
        self.entities = {}
        self.new_entities = {}
        self.authors = {}
        self.unknown_authors = set()

    def check(self):
        """Raise RecordError for the first item that cannot be imported."""
        slugs = {item.article for _place, item in self.items}
        articles = {article.slug: article for article in Article.objects.filter(slug__in=slugs)}
        paragraphs = Paragraph.objects.filter(article__in=articles.values()).select_related(
            "article"
        )
        self.paragraphs = {(p.article.slug, p.position): p for p in paragraphs}
        self.linked_spans = set(
            Annotation.objects.filter(paragraph__in=paragraphs, entity__isnull=False).values_list(
                "paragraph_id", "start", "end", "entity_id"
            )
        )
        ids = [item.pk for _place, item in self.items]
        existing = set(Annotation.objects.filter(pk__in=ids).values_list("pk", flat=True))
        usernames = {item.author for _place, item in self.items if item.author}
        user_model = get_user_model()
        self.authors = {
            user.get_username(): user
            for user in user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})
        }
        seen_ids, seen_spans = set(), set()
        for place, item in self.items:
            try:
                self.check_item(item, articles, existing, seen_ids, seen_spans)
            except RecordError as error:
                raise RecordError(f"{place}: {error}") from None
            if item.author and item.author not in self.authors:
                self.unknown_authors.add(item.author)

    def check_item(self, item, articles, existing, seen_ids, seen_spans):
        if item.pk < 1:
            raise RecordError(f"id {item.pk} is not a positive number")
        if item.pk in seen_ids:
            raise RecordError(f"id {item.pk} occurs twice in the file")
        if item.pk in existing:
            raise RecordError(
                f"an annotation with id {item.pk} already exists; import into a database "
                "without these annotations"
            )
        seen_ids.add(item.pk)
        article = articles.get(item.article)
        if article is None:
            raise RecordError(f"unknown article {item.article!r}")
        paragraph = self.paragraphs.get((article.slug, item.paragraph))
        if paragraph is None:
            raise RecordError(f"article {item.article!r} has no paragraph {item.paragraph}")
        length = len(paragraph.text)
        if not 0 <= item.start < item.end <= length:
            raise RecordError(
                f"offsets {item.start}–{item.end} are outside paragraph {item.paragraph} of "
                f"{item.article!r}, which has {length} characters"
            )
        found = paragraph.text[item.start : item.end]
        if found != item.quote:
            raise RecordError(
                f"quote mismatch: the file has „{excerpt(item.quote)}“ but paragraph "
                f"{item.paragraph} of {item.article!r} has „{excerpt(found)}“ at "
                f"{item.start}–{item.end}"
            )
        for tag in item.tags:
            if not tag.strip() or len(tag) > TAG_MAX_LENGTH:
                raise RecordError(f"tag {tag!r} is empty or longer than {TAG_MAX_LENGTH}")
            if not makes_a_slug(tag):
                raise RecordError(f"tag {tag!r} has no letter or digit")
        entity_key = self.check_entity(item.entity) if item.entity else None
        span = (paragraph.pk, item.start, item.end, entity_key)
        if entity_key is not None and span in seen_spans:
            raise RecordError(
                f"the same span {item.start}–{item.end} is linked to the same entity twice"
            )
        seen_spans.add(span)
        known = self.entities.get(item.entity) if item.entity else None
        if known and (paragraph.pk, item.start, item.end, known.pk) in self.linked_spans:
            raise RecordError(
                f"span {item.start}–{item.end} of paragraph {item.paragraph} is already linked "
                f"to {known.name!r} here"
            )

    def check_entity(self, data):
        """Find or plan the entity; return a key that identifies it within this import."""
        if data in self.entities or data in self.new_entities:
            return data
        entity = None
        if data.slug:
            entity = Entity.objects.filter(slug=data.slug).first()
        if entity is None and data.wikidata_id:
            entity = Entity.objects.filter(wikidata_id=data.wikidata_id).order_by("pk").first()
        if entity is not None:
            self.entities[data] = entity
            return data
        if not data.name.strip() or len(data.name) > NAME_MAX_LENGTH:
            raise RecordError(
                f"the entity {data.slug or data.wikidata_id!r} is unknown here and its name "
                f"{data.name!r} is empty or too long to create it"
            )
        if data.slug:
            try:
                validate_slug(data.slug)
            except ValidationError:
                raise RecordError(f"entity slug {data.slug!r} is not a valid slug") from None
        self.new_entities[data] = None
        return data

    def create_entities(self):
        created = []
        taken = set(Entity.objects.values_list("slug", flat=True))
        for data in self.new_entities:
            slug = data.slug or unique_slug(data.name, taken)
            taken.add(slug)
            entity = Entity.objects.create(
                slug=slug, name=data.name, kind=data.kind, wikidata_id=data.wikidata_id
            )
            self.entities[data] = entity
            created.append(entity)
        return created


def unique_slug(name, taken):
    base = slugify(name)[:190] or "entity"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def save(plan):
    """Write the checked plan in one transaction; return an ``ImportResult``."""
    result = ImportResult(unknown_authors=plan.unknown_authors)
    with transaction.atomic(), invalidation.deferred_touches():
        result.entities_created = plan.create_entities()
        batch = []
        for _place, item in plan.items:
            paragraph = plan.paragraphs[(item.article, item.paragraph)]
            annotation = Annotation(
                pk=item.pk,
                paragraph=paragraph,
                start=item.start,
                end=item.end,
                entity=plan.entities[item.entity] if item.entity else None,
                comment=item.comment,
                status=item.status,
                author=plan.authors.get(item.author),
            )
            annotation.anchor_in(paragraph.text)
            # As Annotation.save() would: a published annotation is published against its quote,
            # unless the export says readers did not see it: its words changed since, and the
            # words it was published against are not in the file.
            if annotation.status == Annotation.Status.PUBLISHED:
                if item.visible_to_readers is False:
                    annotation.anchor_status = Annotation.AnchorStatus.CHANGED
                else:
                    annotation.published_quote = annotation.quote
            # bulk_create stamps auto_now fields; the exported times are set afterwards.
            annotation.exported_times = (item.created, item.updated)
            annotation.exported_tags = item.tags
            batch.append(annotation)
            if len(batch) >= BATCH_SIZE:
                write_batch(batch)
                result.annotations += len(batch)
                batch = []
        write_batch(batch)
        result.annotations += len(batch)
        reset_sequences()
        # bulk_create and bulk_update send no signals: the readers' stamps move here.
        articles = {paragraph.article_id for paragraph in plan.paragraphs.values()}
        invalidation.touch_articles(Article.objects.filter(pk__in=articles))
    return result


def write_batch(batch):
    if not batch:
        return
    bulk_create_with_history(batch, Annotation)
    for annotation in batch:
        annotation.created_at, annotation.updated_at = annotation.exported_times
    Annotation.objects.bulk_update(batch, ["created_at", "updated_at"])
    for annotation in batch:
        if annotation.exported_tags:
            annotation.tags.add(*annotation.exported_tags)


def reset_sequences():
    """Move PostgreSQL's id sequences past the ids the import wrote."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Annotation, Entity])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def load(path, w3c_status=Annotation.Status.DRAFT, dry_run=False):
    """Import the file; raise AnnotationImportError (nothing written) if anything is wrong."""
    items = parse_file(path, w3c_status)
    plan = Plan(items)
    try:
        with transaction.atomic():
            plan.check()
            if dry_run:
                return ImportResult(
                    annotations=len(items),
                    entities_created=list(plan.new_entities),
                    unknown_authors=plan.unknown_authors,
                )
            return save(plan)
    except RecordError as error:
        raise AnnotationImportError(f"{path}: {error}") from None
    except DatabaseError as error:
        # The checks above should leave nothing for the database to refuse; if it does, the
        # transaction is rolled back and the reason is one line, not a traceback.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise AnnotationImportError(f"{path}: the database refused the import: {reason}") from None
