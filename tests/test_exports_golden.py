"""Every export format's bytes, pinned: the seed with edge cases, and the hostile data.

``tests/golden/exports/`` was written by the export code as it was before the formats shared
one contract (issue 14, part 6), so the refactoring provably changed no byte: a file per format
for the seed and the edge cases (small enough to read a diff of), and the SHA-256 of each
format's export of the hostile data (``tests.support.hostile``, 2 MB of output) in
``hostile.sha256``. What a database assigns differently from run to run is fixed first:
annotation ids are renumbered 1, 2, … in export order (on SQLite and PostgreSQL alike), every
timestamp is set, and the zip's entry times are taken at a fixed moment.

A deliberate change of a format rewrites the files: ``GOLDEN_WRITE=1 pytest
tests/test_exports_golden.py``, then review the diff like any other change.
"""

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Case, F, Value, When
from django.utils import timezone
from taggit.models import TaggedItem

from articleapp.exports import FORMATS, ExportContext
from articleapp.models import Annotation, Article, Entity, Paragraph
from tests.support.factories import built_once, make_annotation, make_user
from tests.support.hostile import build_hostile_data

GOLDEN = Path(__file__).parent / "golden" / "exports"
HOSTILE_DIGESTS = GOLDEN / "hostile.sha256"
HOSTILE_PREFIX = "xss-"  # the hostile articles' slugs
CONTEXT = ExportContext(
    base_url="https://randnotiz.example",
    collection_url="https://randnotiz.example/export/annotations.w3c?status=all",
    include_authors=True,
)
CREATED = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
UPDATED = datetime(2025, 5, 2, 17, 45, 12, tzinfo=UTC)
# A timestamp with microseconds: written with them, unlike a whole second.
PRECISE = datetime(2025, 5, 3, 8, 0, 0, 250000, tzinfo=UTC)
ZIP_MOMENT = datetime(2025, 5, 4, 12, 0, tzinfo=UTC)


def add_edge_cases():
    """Annotations each export treats in its own way: draft, orphan, words changed, no entity,
    a quote across a line break, an author with a full name, overlapping spans."""
    article = Article.objects.create(
        slug="golden-randfaelle", title="Randfälle", kicker="Test", byline="gold"
    )
    first = Paragraph.objects.create(
        article=article,
        position=1,
        text="Die Initiative „Offene KI“ tagt in Köln am Rhein.\nArthur Mensch spricht 😀 dort.",
    )
    second = Paragraph.objects.create(
        article=article, position=2, text="=SUMME(A1) und @Mistral sind Zellen, keine Formeln."
    )
    person = Entity.objects.create(
        slug="golden-mensch", name="Arthur Mensch", kind=Entity.Kind.PERSON, wikidata_id="Q1"
    )
    place = Entity.objects.create(slug="golden-koeln", name="Köln", kind=Entity.Kind.PLACE)
    anna = make_user(username="golden-anna", first_name="Anna", last_name="Weber")
    text = first.text
    make_annotation(
        first,
        text.index("Köln"),
        text.index("Köln") + len("Köln am Rhein"),
        entity=place,
        author=anna,
        tags=["Stadt", "stadt", "Ort"],
        comment="Mehrzeilig:\nzweite Zeile",
    )
    make_annotation(first, text.index("Köln"), text.index("Köln") + 4, entity=place)
    make_annotation(
        first, text.index("Rhein."), text.index("Arthur") + len("Arthur Mensch"), entity=person
    )
    make_annotation(
        first,
        text.index("„"),
        text.index("“") + 1,
        comment="Ohne Entität",
        tags=["KI"],
        status=Annotation.Status.DRAFT,
    )
    make_annotation(first, text.index("😀"), text.index("😀") + 1, tags=["emoji"])
    orphan = make_annotation(second, 0, 10, entity=person)
    changed = make_annotation(second, 15, 23, entity=place, comment="@Mistral")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    Annotation.objects.filter(pk=changed.pk).update(anchor_status=Annotation.AnchorStatus.CHANGED)
    make_annotation(second, 0, 10, comment="-1+1", tags=["=1+1"])


def renumber_annotations():
    """Give the annotations ids 1, 2, … in export order, and move their tags along."""
    pks = list(Annotation.objects.for_export().values_list("pk", flat=True))
    offset = max(pks) + 1
    tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Annotation))
    # Out of the way first, so that no new id meets an old one.
    Annotation.objects.update(id=F("id") + offset)
    tagged.update(object_id=F("object_id") + offset)
    renumbered = [When(id=old + offset, then=Value(new)) for new, old in enumerate(pks, start=1)]
    retagged = [
        When(object_id=old + offset, then=Value(new)) for new, old in enumerate(pks, start=1)
    ]
    Annotation.objects.update(id=Case(*renumbered))
    tagged.update(object_id=Case(*retagged))


@pytest.fixture(scope="module")
def golden_data(django_db_setup, django_db_blocker):
    """Seed, hostile data and edge cases with fixed ids and times, built once for the module."""
    with built_once(django_db_blocker):
        call_command("seed", verbosity=0)
        build_hostile_data()
        add_edge_cases()
        renumber_annotations()
        Annotation.objects.update(created_at=CREATED, updated_at=UPDATED)
        Annotation.objects.filter(pk=2).update(updated_at=PRECISE)
        yield


@pytest.fixture
def fixed_zip_time(monkeypatch):
    """``timezone.localtime()`` without arguments (now) is ``ZIP_MOMENT``: brat's entry times."""
    localtime = timezone.localtime

    def fixed(value=None, zone=None):
        return localtime(ZIP_MOMENT if value is None else value, zone)

    monkeypatch.setattr(timezone, "localtime", fixed)


def exported(name, hostile):
    """The export of the hostile articles' annotations, or of all others, as bytes."""
    annotations = Annotation.objects.filter(paragraph__article__slug__startswith=HOSTILE_PREFIX)
    if not hostile:
        annotations = Annotation.objects.exclude(pk__in=annotations.values("pk"))
    chunks = FORMATS[name].stream(annotations, CONTEXT)
    return b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in chunks)


def first_difference(output, expected):
    pairs = enumerate(zip(output, expected, strict=False))
    at = next((index for index, (a, b) in pairs if a != b), min(len(output), len(expected)))
    return (
        f"{len(output)} bytes, golden {len(expected)}; first difference at byte {at}: "
        f"{output[max(0, at - 60) : at + 60]!r} instead of {expected[max(0, at - 60) : at + 60]!r}"
    )


def read_digests():
    if not HOSTILE_DIGESTS.exists():
        return {}
    lines = HOSTILE_DIGESTS.read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ") for line in lines)}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_bytes_are_unchanged(golden_data, fixed_zip_time, name):
    """Each format writes exactly the bytes of its golden file for the seed and edge cases."""
    path = GOLDEN / f"annotations.{name}"
    output = exported(name, hostile=False)
    if os.environ.get("GOLDEN_WRITE") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output)
    expected = path.read_bytes()
    assert output == expected, f"{name}: {first_difference(output, expected)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_hostile_export_bytes_are_unchanged(golden_data, fixed_zip_time, name):
    """Each format's export of the hostile data has the SHA-256 recorded for it."""
    output = exported(name, hostile=True)
    digest = hashlib.sha256(output).hexdigest()
    key = f"annotations.{name}"
    if os.environ.get("GOLDEN_WRITE") == "1":
        digests = {**read_digests(), key: digest}
        HOSTILE_DIGESTS.write_text(
            "".join(f"{value}  {name}\n" for name, value in sorted(digests.items()))
        )
    assert len(output) > 10_000
    assert digest == read_digests()[key], f"{name}: the hostile export changed"


@pytest.mark.django_db
def test_golden_data_holds_every_case(golden_data):
    """The pinned data holds what the formats treat differently: drafts, orphans, changed
    words, annotations without an entity, a span across a line break, hostile text."""
    annotations = Annotation.objects.all()
    assert list(annotations.order_by("pk").values_list("pk", flat=True)) == list(
        range(1, annotations.count() + 1)
    )
    assert annotations.filter(status=Annotation.Status.DRAFT).exists()
    assert annotations.filter(anchor_status=Annotation.AnchorStatus.ORPHANED).exists()
    assert annotations.filter(anchor_status=Annotation.AnchorStatus.CHANGED).exists()
    assert annotations.filter(entity__isnull=True).exists()
    assert annotations.filter(quote__contains="\n").exists()
    hostile = annotations.filter(paragraph__article__slug__startswith=HOSTILE_PREFIX)
    assert hostile.filter(comment__contains="<script>").count() > 10
    assert annotations.count() - hostile.count() > 40
