import io
import zipfile

import pytest

from articleapp.exports import FORMATS, ExportContext, brat
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity

CONTEXT = ExportContext(base_url="https://randnotiz.example")


def archive(annotations):
    return zipfile.ZipFile(io.BytesIO(b"".join(FORMATS["brat"].stream(annotations, CONTEXT))))


@pytest.mark.django_db
def test_brat_zip_has_text_and_standoff_per_article():
    """Each article gets .txt and .ann; offsets point into the .txt; notes and Wikidata lines."""
    article = make_article(paragraphs=["Erster Absatz.", "Nvidia liefert Chips nach „Europa“."])
    second = article.paragraphs.get(position=2)
    nvidia = make_entity(name="Nvidia", wikidata_id="Q182477")
    annotate_quote(
        second, "Nvidia", entity=nvidia, comment="Zeile eins\nZeile zwei", tags=["Chips"]
    )
    annotate_quote(second, "Europa")
    files = archive(Annotation.objects.all())
    assert set(files.namelist()) == {
        "annotation.conf",
        "tools.conf",
        f"{article.slug}.txt",
        f"{article.slug}.ann",
    }
    text = files.read(f"{article.slug}.txt").decode()
    assert text == "Erster Absatz.\n\nNvidia liefert Chips nach „Europa“.\n"
    lines = files.read(f"{article.slug}.ann").decode().splitlines()
    assert lines[0] == "T1\tOrganisation 16 22\tNvidia"
    assert lines[1] == "N1\tReference T1 Wikidata:Q182477\tNvidia"
    assert lines[2] == "#1\tAnnotatorNotes T1\tZeile eins Zeile zwei"
    assert lines[3] == "#2\tAnnotatorNotes T1\tTags: Chips"
    assert lines[4].startswith("T2\tSpan ")
    for line in lines:
        if line.startswith("T"):
            _id, location, quote = line.split("\t")
            _kind, start, end = location.split(" ")
            assert text[int(start) : int(end)] == quote
    assert "Organisation\n" in files.read("annotation.conf").decode()


@pytest.mark.django_db
def test_brat_export_of_the_seed_is_consistent(seeded):
    """Every text-bound annotation of the seed matches the .txt at its offsets."""
    files = archive(Annotation.objects.all())
    text = files.read(f"{seeded.slug}.txt").decode()
    spans = [line.split("\t") for line in files.read(f"{seeded.slug}.ann").decode().splitlines()]
    bound = [span for span in spans if span[0].startswith("T")]
    assert len(bound) == Annotation.objects.count()
    for _id, location, quote in bound:
        _kind, start, end = location.split(" ")
        assert text[int(start) : int(end)] == quote


@pytest.mark.django_db
def test_quote_across_a_line_break_is_written_as_fragments():
    """A span across line breaks becomes fragments around them, as brat writes it; a tag with a
    line break is one line of notes."""
    article = make_article(paragraphs=["Die Firma Mistral\nAI baut in Paris."])
    annotate_quote(article.paragraphs.get(), "Mistral\nAI", tags=["zwei\nZeilen"])
    files = archive(Annotation.objects.all())
    text = files.read(f"{article.slug}.txt").decode()
    lines = files.read(f"{article.slug}.ann").decode().splitlines()
    assert lines == ["T1\tSpan 10 17;18 20\tMistral AI", "#1\tAnnotatorNotes T1\tTags: zwei Zeilen"]
    assert (text[10:17], text[18:20]) == ("Mistral", "AI")


@pytest.mark.parametrize("slug", ["../../zipslip", "/etc/passwd", "a/b", "..", "x\0y", "bürger"])
def test_zip_entries_are_named_only_by_slugs(slug):
    """A name that could climb out of the folder the zip is unpacked in is never written."""
    with pytest.raises(ValueError, match="cannot name a file"):
        brat.entry_name(slug, "txt")
    assert brat.entry_name("ki-fuer_buerger-2", "ann") == "ki-fuer_buerger-2.ann"
