"""The staff export URLs: who may download, what the JSON formats hold, filters, file names,
streaming and a query count that does not grow."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articleapp.exports.records import FIELDS
from articleapp.models import Annotation
from tests.support.factories import make_annotation, make_article, make_entity, make_user
from tests.support.pages import count_queries, text

EXPORT_URLS = [
    "/export/",
    "/export/annotations.csv",
    "/export/annotations.csv-excel",
    "/export/annotations.json",
    "/export/annotations.jsonl",
    "/export/annotations.w3c",
    "/export/annotations.conll",
    "/export/annotations.brat",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXPORT_URLS)
def test_anonymous_is_sent_to_login(client, url):
    """Anonymous visitors are redirected to the login page."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXPORT_URLS)
def test_user_without_permission_is_forbidden(client, url):
    """A logged-in user without export_annotations gets 403."""
    client.force_login(make_user())
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_json_export_content(exporter, seeded):
    """A JSON array with one object per annotation and tags as a list."""
    response = exporter.get("/export/annotations.json")
    data = json.loads(text(response))
    assert len(data) == Annotation.objects.count()
    assert set(data[0]) == set(FIELDS)
    commented = [row for row in data if "Kritik an großen Tech-Konzernen" in row["quote"]]
    assert commented and "Big Tech" in commented[0]["tags"]
    assert all(row["created"].endswith("Z") for row in data)


@pytest.mark.django_db
def test_export_filters_by_article(exporter, seeded):
    """?article=<slug> limits the export; an unknown slug is a 400 naming it."""
    other = make_article(paragraphs=["Anderer Text"])
    make_annotation(other.paragraphs.get(), 0, 7)
    data = json.loads(text(exporter.get(f"/export/annotations.json?article={other.slug}")))
    assert [row["article"] for row in data] == [other.slug]
    response = exporter.get("/export/annotations.json?article=nope")
    assert response.status_code == 400
    assert "nope" in response.content.decode()


@pytest.mark.django_db
def test_unknown_format_is_404(exporter):
    """An export format that does not exist is a 404, not an error."""
    assert exporter.get("/export/annotations.xlsx").status_code == 404


@pytest.mark.django_db
def test_download_names_use_the_site_time_zone(exporter):
    """File names carry the time in Europe/Berlin (settings.TIME_ZONE), not UTC."""
    from articleapp.exports import FORMATS

    winter = datetime(2025, 1, 31, 23, 30, 5, tzinfo=UTC)
    summer = datetime(2025, 6, 30, 22, 0, 0, tzinfo=UTC)
    csv_format = FORMATS["csv"]
    assert csv_format.filename(winter) == "randnotiz-annotations-20250201-003005.csv"
    assert csv_format.filename(summer) == "randnotiz-annotations-20250701-000000.csv"
    before = timezone.localtime(timezone.now(), ZoneInfo("Europe/Berlin"))
    disposition = exporter.get("/export/annotations.csv")["Content-Disposition"]
    after = timezone.localtime(timezone.now(), ZoneInfo("Europe/Berlin"))
    stamps = {f"{moment:%Y%m%d-%H%M}" for moment in (before, after)}
    assert disposition[len('attachment; filename="randnotiz-annotations-') :][:13] in stamps


@pytest.mark.django_db
def test_export_includes_drafts_for_staff(exporter):
    """Staff exports include drafts, marked with their status."""
    article = make_article(paragraphs=["Mistral"])
    make_annotation(article.paragraphs.get(), 0, 7, status=Annotation.Status.DRAFT)
    data = json.loads(text(exporter.get("/export/annotations.json")))
    assert [row["status"] for row in data] == ["draft"]


@pytest.mark.django_db
def test_entity_fields_in_export(exporter):
    """Entity name, kind and Wikidata ID are exported with the annotation."""
    article = make_article(paragraphs=["Nvidia baut"])
    entity = make_entity(name="Nvidia", wikidata_id="Q182477")
    make_annotation(article.paragraphs.get(), 0, 6, entity=entity)
    row = json.loads(text(exporter.get("/export/annotations.json")))[0]
    assert (row["entity"], row["entity_kind"], row["wikidata_id"]) == (
        "Nvidia",
        "organisation",
        "Q182477",
    )


def bulk_annotations(count, articles=1):
    """Create ``count`` published annotations of one entity in each of ``articles``, fast."""
    entity = make_entity(name="Mistral AI", wikidata_id="Q119718658")
    for _ in range(articles):
        article = make_article(paragraphs=["Mistral " * max(count, 2)])
        paragraph = article.paragraphs.get()
        Annotation.objects.bulk_create(
            Annotation(
                paragraph=paragraph,
                start=8 * number,
                end=8 * number + 7,
                quote="Mistral",
                comment=f"Nr. {number}",
                status=Annotation.Status.PUBLISHED,
                entity=entity,
            )
            for number in range(count)
        )
    return article


FORMAT_NAMES = ["csv", "csv-excel", "json", "jsonl", "w3c", "conll", "brat"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_stream_is_lazy(name, monkeypatch):
    """The first chunk comes out before the second chunk of rows is read from the database.

    With chunks of one piece each: the writer itself must be lazy; ``batched`` then holds back
    at most ``CHUNK_LENGTH`` (``test_batched_chunks_are_bounded_and_whole``).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articleapp.exports import FORMATS, ExportContext, contract
    from articleapp.exports.rows import CHUNK_SIZE

    monkeypatch.setattr(contract, "CHUNK_LENGTH", 1)
    # Text formats stream article by article, so several articles of one chunk each.
    bulk_annotations(CHUNK_SIZE, articles=3)
    context = ExportContext(base_url="https://randnotiz.example", collection_url="https://x/")
    with CaptureQueriesContext(connection) as queries:
        chunks = FORMATS[name].stream(Annotation.objects.all(), context)
        next(chunks)
        while not queries.captured_queries or len(queries.captured_queries) < 2:
            next(chunks)
        early = len(queries.captured_queries)
        for _chunk in chunks:
            pass
    assert len(queries.captured_queries) > early, "all rows were read before the first output"


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_export_query_count_does_not_grow_with_annotations(exporter, name):
    """An export costs the same queries for 5 and for 50 annotations."""

    def queries_for_export():
        return count_queries(exporter, f"/export/annotations.{name}")

    article = bulk_annotations(5)
    small = queries_for_export()
    paragraph = article.paragraphs.get()
    Annotation.objects.bulk_create(
        Annotation(paragraph=paragraph, start=0, end=15, quote="Mistral Mistral", comment=str(n))
        for n in range(45)
    )
    assert queries_for_export() == small


@pytest.mark.django_db
def test_jsonl_export_has_one_object_per_line(exporter, seeded):
    """JSON Lines: each line is one annotation with the documented keys."""
    response = exporter.get("/export/annotations.jsonl")
    lines = text(response).splitlines()
    assert len(lines) == Annotation.objects.count()
    assert all(tuple(json.loads(line)) == FIELDS for line in lines)


@pytest.mark.django_db
def test_export_filters_by_status_kind_and_tag(exporter):
    """status, kind and tag narrow the export; repeated values widen it."""
    article = make_article(paragraphs=["Mistral und Paris und Köln"])
    paragraph = article.paragraphs.get()
    make_annotation(paragraph, 0, 7, entity=make_entity(name="Mistral"), tags=["KI"])
    make_annotation(
        paragraph, 12, 17, entity=make_entity(name="Paris", kind="place"), status="draft"
    )
    make_annotation(paragraph, 22, 26, tags=["Stadt"])

    def quotes(query):
        return sorted(
            row["quote"]
            for row in json.loads(text(exporter.get(f"/export/annotations.json?{query}")))
        )

    assert quotes("status=published") == ["Köln", "Mistral"]
    assert quotes("status=draft") == ["Paris"]
    assert quotes("kind=place&kind=organisation") == ["Mistral", "Paris"]
    assert quotes("tag=KI&tag=Stadt") == ["Köln", "Mistral"]
    assert quotes("tag=KI&status=draft") == []
