"""The CSV exports, plain and for Excel (``articleapp/exports/csv.py``): columns, encodings,
line ends, and formula cells neutralised reversibly."""

import codecs
import csv
import io

import pytest
from django.core.management import call_command

from articleapp.exports.csv import neutralise, unneutralise
from articleapp.exports.records import FIELDS
from articleapp.models import Annotation
from tests.support.factories import make_annotation, make_article, make_entity
from tests.support.pages import content, text


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
