"""The one contract of the export formats: bytes from ``stream``, chunks from ``batched``, and
the annotations each format drops, declared and kept to."""

import io
import json
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp.exports import FORMATS, ExportContext
from articleapp.exports.contract import ORPHANED, WITHOUT_ENTITY, Drop, batched
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity

CONTEXT = ExportContext(base_url="https://randnotiz.example", collection_url="https://x/")


@given(st.lists(st.text(max_size=40)), st.integers(min_value=1, max_value=100))
def test_batched_chunks_are_bounded_and_whole(pieces, length):
    """Text pieces come out as UTF-8 bytes, each chunk at least ``length`` characters but the
    last, no piece split between two chunks, nothing lost."""
    chunks = list(batched(pieces, length))
    assert b"".join(chunks) == "".join(pieces).encode()
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    texts = [chunk.decode() for chunk in chunks]  # whole UTF-8: a piece is never split
    assert all(len(text) >= length for text in texts[:-1])
    boundaries, at = set(), 0
    for piece in pieces:
        at += len(piece)
        boundaries.add(at)
    at = 0
    for text in texts:
        at += len(text)
        assert at in boundaries


@given(st.lists(st.binary(max_size=40)), st.integers(min_value=1, max_value=100))
def test_batched_joins_bytes_as_they_are(pieces, length):
    """Byte pieces (a zip) are joined unchanged into chunks of at least ``length`` bytes."""
    chunks = list(batched(pieces, length))
    assert b"".join(chunks) == b"".join(pieces)
    assert all(len(chunk) >= length for chunk in chunks[:-1])


def test_batched_gives_nothing_for_nothing():
    """No pieces, no chunks: an empty JSON Lines export is an empty body."""
    assert list(batched([])) == []


def test_every_format_keeps_the_contract():
    """Every format is named by its key and declares what it drops as ``Drop``s."""
    for name, export_format in FORMATS.items():
        assert export_format.name == name
        assert all(isinstance(drop, Drop) for drop in export_format.drops)
    drops = {name: export_format.drops for name, export_format in FORMATS.items()}
    assert drops == {
        "csv": (),
        "csv-excel": (),
        "json": (),
        "jsonl": (),
        "w3c": (),
        "conll": (WITHOUT_ENTITY, ORPHANED),
        "brat": (ORPHANED,),
    }


@pytest.fixture
def mixed(db):
    """Four annotations: with an entity, without one, an orphan, and a draft."""
    article = make_article(paragraphs=["Mistral baut mit Nvidia in Paris ein Rechenzentrum."])
    paragraph = article.paragraphs.get()
    entity = make_entity(name="Mistral")
    kept = annotate_quote(paragraph, "Mistral", entity=entity)
    plain = annotate_quote(paragraph, "Rechenzentrum")
    orphan = annotate_quote(paragraph, "Nvidia", entity=entity)
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    draft = annotate_quote(paragraph, "Paris", entity=entity, status=Annotation.Status.DRAFT)
    return {"kept": kept, "plain": plain, "orphan": orphan, "draft": draft}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_kept_leaves_out_what_the_drops_select(mixed, name):
    """``kept`` leaves out exactly the annotations one of the format's drops selects."""
    export_format = FORMATS[name]
    dropped = {
        annotation
        for annotation in mixed.values()
        for drop in export_format.drops
        if Annotation.objects.filter(drop.condition, pk=annotation.pk).exists()
    }
    assert set(export_format.kept(Annotation.objects.all())) == set(mixed.values()) - dropped


@pytest.mark.django_db
def test_the_exports_hold_what_their_formats_keep(mixed):
    """JSON holds all four; CoNLL tags only the anchored annotation with an entity (the draft's
    Paris too: status is a filter, not a drop); brat has all but the orphan."""
    records = json.loads(b"".join(FORMATS["json"].stream(Annotation.objects.all(), CONTEXT)))
    assert len(records) == 4
    conll = b"".join(FORMATS["conll"].stream(Annotation.objects.all(), CONTEXT)).decode()
    tagged = {line.split(" ")[0] for line in conll.splitlines() if line.endswith("-ORG")}
    assert tagged == {"Mistral", "Paris"}
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(FORMATS["brat"].stream(Annotation.objects.all(), CONTEXT)))
    )
    (ann,) = [name for name in archive.namelist() if name.endswith(".ann")]
    quotes = {line.split("\t")[2] for line in archive.read(ann).decode().splitlines()}
    assert quotes == {"Mistral", "Rechenzentrum", "Paris"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_stream_yields_bytes(mixed, name):
    """Every format's stream is an iterator of bytes, whatever it writes inside."""
    chunks = list(FORMATS[name].stream(Annotation.objects.all(), CONTEXT))
    assert chunks and all(isinstance(chunk, bytes) for chunk in chunks)
