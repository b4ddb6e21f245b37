import codecs
import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articleapp.exports.csv import neutralise, unneutralise
from articleapp.exports.records import FIELDS
from articleapp.models import Annotation
from tests.support.factories import make_annotation, make_article, make_entity, make_user
from tests.support.pages import content, count_queries, text

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
def test_csv_export_content(exporter, seeded):
    """One row per annotation with the documented columns, UTF-8, RFC 4180 line ends."""
    response = exporter.get("/export/annotations.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = text(response)
    assert "\r\n" in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == FIELDS
    assert len(rows) == Annotation.objects.count()
    microsoft = [row for row in rows if row["entity"] == "Microsoft"]
    assert len(microsoft) == 4
    assert {row["wikidata_id"] for row in microsoft} == {"Q2283"}
    assert all(row["article"] == seeded.slug for row in rows)
    first = Annotation.objects.get(pk=rows[0]["id"])
    assert rows[0]["quote"] == first.quote
    assert int(rows[0]["start"]) == first.start


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


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "\0x", "'=x", "''+x"]
)
def test_formula_cells_are_neutralised_and_reversible(value):
    """Dangerous leading characters get an apostrophe; the documented rule undoes it."""
    cell = neutralise(value)
    assert cell.startswith("'")
    assert unneutralise(cell) == value


@pytest.mark.parametrize("value", ["Mistral", "'zitiert'", "", "1-2", "a=b"])
def test_harmless_cells_are_unchanged(value):
    """Ordinary text passes through untouched."""
    assert neutralise(value) == value == unneutralise(value)


@pytest.mark.django_db
def test_csv_export_neutralises_comment_formulas(exporter):
    """A comment that looks like a formula is exported inert."""
    article = make_article(paragraphs=["Mistral"])
    make_annotation(article.paragraphs.get(), 0, 7, comment='=HYPERLINK("http://x")')
    rows = list(csv.DictReader(io.StringIO(text(exporter.get("/export/annotations.csv")))))
    assert rows[0]["comment"] == '\'=HYPERLINK("http://x")'


def excel_rows(body):
    """The rows of a CSV for Excel, read as a spreadsheet program reads it."""
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.django_db
def test_csv_for_excel(exporter):
    """UTF-8 with a byte order mark, semicolons, CRLF, the plain CSV's columns and values."""
    article = make_article(paragraphs=["Die Bürgerinitiative in Köln"])
    entity = make_entity(name="Bürgerinitiative Köln", kind="initiative")
    make_annotation(
        article.paragraphs.get(),
        4,
        20,
        entity=entity,
        tags=["Öffentlich", "KI"],
        comment="Größer; „zitiert“, mit Komma",
    )
    response = exporter.get("/export/annotations.csv-excel")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    body = content(response)
    assert body.count(b"\r\n") == 2 and b"\n" not in body.replace(b"\r\n", b"")
    header, row = excel_rows(body)
    assert tuple(header) == FIELDS
    values = dict(zip(header, row, strict=True))
    assert values["quote"] == "Bürgerinitiative"
    assert values["entity"] == "Bürgerinitiative Köln"
    assert values["comment"] == "Größer; „zitiert“, mit Komma"
    assert values["tags"] == "KI; Öffentlich"
    plain = list(csv.reader(io.StringIO(text(exporter.get("/export/annotations.csv")))))
    assert [header, row] == plain


@pytest.mark.django_db
def test_csv_for_excel_neutralises_formulas(exporter):
    """Formula cells get the same apostrophe in the Excel variant as in the plain CSV."""
    article = make_article(paragraphs=["Mistral"])
    make_annotation(article.paragraphs.get(), 0, 7, comment="=1+1;@SUMME(A1)", tags=["-x"])
    _, row = excel_rows(content(exporter.get("/export/annotations.csv-excel")))
    values = dict(zip(FIELDS, row, strict=True))
    assert values["comment"] == "'=1+1;@SUMME(A1)"
    assert values["tags"] == "'-x"
    assert unneutralise(values["comment"]) == "=1+1;@SUMME(A1)"


@pytest.mark.django_db
def test_export_command_writes_csv_for_excel(tmp_path, seeded):
    """export_annotations --format csv-excel writes the same bytes as the export URL."""
    target = tmp_path / "out.csv"
    call_command(
        "export_annotations", "--format", "csv-excel", "--output", str(target), verbosity=0
    )
    rows = excel_rows(target.read_bytes())
    assert len(rows) == Annotation.objects.count() + 1
    assert any("Microsoft" in row for row in rows)


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
def test_export_command_writes_file(tmp_path, seeded):
    """The command writes the same JSON as the page to --output."""
    target = tmp_path / "out.json"
    call_command("export_annotations", "--format", "json", "--output", str(target), verbosity=0)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data) == Annotation.objects.count()


@pytest.mark.django_db
def test_export_command_filters_and_rejects_unknown_article(tmp_path, seeded, capsys):
    """--article filters; an unknown slug is a one-line error."""
    call_command("export_annotations", "--format", "csv", "--article", seeded.slug)
    assert "Microsoft" in capsys.readouterr().out
    # The message follows the interface language (German by default); it names the slug.
    with pytest.raises(CommandError, match="nope"):
        call_command("export_annotations", "--format", "csv", "--article", "nope")


@pytest.mark.django_db
def test_export_command_unwritable_output(tmp_path, seeded):
    """A directory that does not exist is a clear error, and no file is left behind."""
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "export_annotations", "--format", "csv", "--output", str(tmp_path / "no" / "x.csv")
        )


@pytest.mark.django_db
def test_export_command_docstart_for_conll_only(seeded, capsys):
    """--docstart conll2003 gives the CoNLL export the four-column document line; with another
    format it is a one-line error naming the option."""
    call_command("export_annotations", "--format", "conll", "--docstart", "conll2003")
    assert capsys.readouterr().out.startswith("-DOCSTART- -X- O O\n\n")
    with pytest.raises(CommandError, match="docstart"):
        call_command("export_annotations", "--format", "json", "--docstart", "conll2003")


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


@pytest.mark.django_db
def test_export_command_filters_like_the_page(tmp_path, seeded):
    """The command takes the same filters and writes the same rows as the URL."""
    target = tmp_path / "out.jsonl"
    call_command(
        "export_annotations",
        "--format",
        "jsonl",
        "--kind",
        "person",
        "--status",
        "published",
        "--output",
        str(target),
        verbosity=0,
    )
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rows and {row["entity_kind"] for row in rows} == {"person"}
    with pytest.raises(CommandError, match="kind: "):
        call_command("export_annotations", "--format", "csv", "--kind", "planet")


@pytest.mark.django_db
def test_export_command_progress_on_stderr(tmp_path, seeded):
    """--progress reports how many annotations are written, on stderr."""
    stderr = io.StringIO()
    call_command(
        "export_annotations",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "out.csv"),
        "--progress",
        stderr=stderr,
    )
    total = Annotation.objects.count()
    assert f"Exported {total} of {total} annotations (100 %" in stderr.getvalue()


@pytest.mark.django_db
def test_export_command_brat_needs_an_output_file(seeded):
    """A zip is not written to a terminal: brat asks for --output."""
    with pytest.raises(CommandError, match="--output"):
        call_command("export_annotations", "--format", "brat")
