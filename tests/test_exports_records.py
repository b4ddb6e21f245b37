import io
import json
import zipfile
from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from articleapp.exports import FORMATS, ExportContext, rows
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

CONTEXT = ExportContext(
    base_url="https://randnotiz.example", collection_url="https://randnotiz.example/export/x"
)


def exported(name, annotations=None):
    """The whole export as text (brat's zip as bytes)."""
    annotations = Annotation.objects.all() if annotations is None else annotations
    data = b"".join(FORMATS[name].stream(annotations, CONTEXT))
    return data if name == "brat" else data.decode()


def expected_record(annotation):
    """The record as the model instance describes it: what the export has to say."""
    entity, author = annotation.entity, annotation.author
    return {
        "id": annotation.pk,
        "article": annotation.paragraph.article.slug,
        "paragraph": annotation.paragraph.position,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "entity": entity.name if entity else "",
        "entity_slug": entity.slug if entity else "",
        "entity_kind": entity.kind if entity else "",
        "wikidata_id": entity.wikidata_id if entity else "",
        "tags": sorted(
            (tag.name for tag in annotation.tags.order_by("name", "pk")), key=str.casefold
        ),
        "comment": annotation.comment,
        "status": annotation.status,
        "visible_to_readers": Annotation.objects.published().filter(pk=annotation.pk).exists(),
        "author": author.get_username() if author else "",
        "created": annotation.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "updated": annotation.updated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


@pytest.fixture
def varied(seeded):
    """The seed (whose entities have tags too) plus authors, case-twin tags, another article."""
    article = make_article(paragraphs=["Die Initiative „Offene KI“ tagt in Köln am Rhein."])
    paragraph = article.paragraphs.get()
    anna = make_user(username="anna", first_name="Anna", last_name="Weber")
    annotate_quote(
        paragraph,
        "Offene KI",
        entity=make_entity(name="Offene KI", kind="initiative"),
        author=anna,
        tags=["Verein", "ki", "KI", "Ärger", "apfel"],
    )
    annotate_quote(paragraph, "Köln", entity=make_entity(name="Köln", wikidata_id="Q365"))
    annotate_quote(paragraph, "Rhein", comment="=1+1", author=make_user(username="bert"))
    return seeded


@pytest.mark.django_db
def test_records_say_what_the_annotations_say(varied):
    """Every JSON record holds the annotation's own values, its relations' and its tags."""
    annotations = Annotation.objects.for_export()
    assert json.loads(exported("json")) == [expected_record(a) for a in annotations]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_output_does_not_depend_on_the_chunk_size(varied, monkeypatch, name):
    """Chunks of 2 rows (tags loaded per chunk) give the same bytes as one chunk."""
    whole = exported(name)
    monkeypatch.setattr(rows, "CHUNK_SIZE", 2)
    if name == "brat":  # the zip's time stamps are the only difference allowed
        whole, chunked = (zip_contents(data) for data in (whole, exported(name)))
    else:
        chunked = exported(name)
    assert chunked == whole


def zip_contents(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.django_db
def test_urls_are_what_reverse_gives(varied):
    """Article, entity and annotation links equal reverse() ones, under a script prefix too."""
    for prefix in ("/", "/randnotiz/"):
        set_script_prefix(prefix)
        try:
            context = ExportContext(base_url="https://randnotiz.example/")
            base = "https://randnotiz.example"
            assert context.article_url("a-b_1") == base + reverse(
                "articleapp:article-detail", kwargs={"slug": "a-b_1"}
            )
            assert context.entity_url("e-1") == base + reverse(
                "articleapp:entity-detail", kwargs={"slug": "e-1"}
            )
            assert context.annotation_url("a-b_1", 42) == base + reverse(
                "articleapp:annotation-detail", kwargs={"slug": "a-b_1", "pk": 42}
            )
        finally:
            set_script_prefix("/")


def bulk_article(count):
    """An article with ``count`` tagged annotations of an entity, made quickly."""
    article = make_article(paragraphs=["Wort " * count])
    paragraph = article.paragraphs.get()
    entity = make_entity(name="Wort")
    annotations = Annotation.objects.bulk_create(
        Annotation(paragraph=paragraph, start=5 * n, end=5 * n + 4, quote="Wort", entity=entity)
        for n in range(count)
    )
    for annotation in annotations:
        annotation.tags.add("t")
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_chunk_costs_one_query(monkeypatch, name):
    """Streaming 1, 2 and 4 chunks: the queries grow by exactly one (its tags) per chunk."""
    monkeypatch.setattr(rows, "CHUNK_SIZE", 5)
    counts = []
    for chunks in (1, 2, 4):
        article = bulk_article(5 * chunks)
        annotations = Annotation.objects.filter(paragraph__article=article)
        with CaptureQueriesContext(connection) as queries:
            for _chunk in FORMATS[name].stream(annotations, CONTEXT):
                pass
        counts.append(len(queries))
    assert counts[1] - counts[0] == 1
    assert counts[2] - counts[1] == 2
