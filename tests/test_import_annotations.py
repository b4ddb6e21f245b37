import contextlib
import json
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp.models import Annotation, Entity
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

FORMATS = ["json", "jsonl", "w3c"]


def export(tmp_path, export_format, name="export"):
    target = tmp_path / f"{name}.{export_format}"
    call_command(
        "export_annotations", "--format", export_format, "--output", str(target), verbosity=0
    )
    return target


def clear_annotations_and_entities():
    Annotation.objects.all().delete()
    Entity.objects.all().delete()


@pytest.fixture
def annotated(seeded):
    """The seed plus an authored, tagged annotation on an entity without Wikidata ID."""
    article = make_article(paragraphs=["Die Initiative „Offene KI“ tagt in Köln."])
    paragraph = article.paragraphs.get()
    entity = make_entity(name="Offene KI", kind="initiative")
    annotate_quote(
        paragraph,
        "Offene KI",
        entity=entity,
        author=make_user(username="anna"),
        tags=["Verein", "KI"],
    )
    return seeded


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_round_trip_gives_identical_export(tmp_path, annotated, export_format):
    """Export, import into the same articles without annotations, export again: identical."""
    first = export(tmp_path, export_format, "first")
    count = Annotation.objects.count()
    visible = Annotation.objects.published().count()
    clear_annotations_and_entities()
    extra = ["--status", "published"] if export_format == "w3c" else []
    call_command("import_annotations", str(first), *extra, verbosity=0)
    assert Annotation.objects.count() == count
    assert Annotation.objects.published().count() == visible
    second = export(tmp_path, export_format, "second")
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_an_export_of_one_annotation_round_trips(tmp_path, annotated, export_format):
    """One annotation exported alone (JSON Lines: a single object) is imported back whole."""
    target = tmp_path / f"one.{export_format}"
    call_command(
        "export_annotations",
        *("--format", export_format, "--tag", "Verein", "--output", str(target)),
        verbosity=0,
    )
    assert len(target.read_text().splitlines()) == 1 or export_format != "jsonl"
    Annotation.objects.filter(tags__name="Verein").delete()
    extra = ["--status", "published"] if export_format == "w3c" else []
    call_command("import_annotations", str(target), *extra, verbosity=0)
    restored = Annotation.objects.get(tags__name="Verein")
    assert (restored.quote, restored.entity.name) == ("Offene KI", "Offene KI")
    assert set(restored.tags.names()) == {"Verein", "KI"}


@pytest.mark.django_db
def test_w3c_import_defaults_to_drafts(tmp_path, annotated):
    """W3C JSON-LD has no status: imported annotations are drafts unless --status says so."""
    first = export(tmp_path, "w3c")
    clear_annotations_and_entities()
    call_command("import_annotations", str(first), verbosity=0)
    assert set(Annotation.objects.values_list("status", flat=True)) == {"draft"}


@pytest.mark.django_db
def test_unknown_entities_are_created_and_known_ones_reused(tmp_path, annotated):
    """Entities missing here are created from the export; existing ones are matched."""
    first = export(tmp_path, "json")
    Annotation.objects.all().delete()
    Entity.objects.filter(slug="microsoft").update(name="Microsoft Corp.")
    Entity.objects.exclude(slug="microsoft").delete()
    before = Entity.objects.count()
    call_command("import_annotations", str(first), verbosity=0)
    assert Entity.objects.count() > before
    assert Entity.objects.get(slug="microsoft").name == "Microsoft Corp."
    assert Entity.objects.get(name="Offene KI").kind == "initiative"


@pytest.mark.django_db
def test_new_annotations_after_import_get_fresh_ids(tmp_path, annotated):
    """The id sequence moves past imported ids (PostgreSQL), so later saves do not collide."""
    first = export(tmp_path, "json")
    highest = Annotation.objects.order_by("-pk").first().pk
    clear_annotations_and_entities()
    call_command("import_annotations", str(first), verbosity=0)
    article = make_article(paragraphs=["Neu hier."])
    new = annotate_quote(article.paragraphs.get(), "Neu")
    assert new.pk > highest


def rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def set_first(field, value):
    def change(data):
        data[0][field] = value

    return change


BAD_RECORDS = [
    (set_first("start", "12"), "start must be a whole number, not a string"),
    (set_first("end", 100_000), "–100000 are outside paragraph"),
    (set_first("quote", "Mistrall"), "quote mismatch: the file has „Mistrall“"),
    (set_first("article", "nope"), "unknown article 'nope'"),
    (set_first("paragraph", 99), "has no paragraph 99"),
    (set_first("status", "secret"), "status 'secret' is not one of draft, published"),
    (set_first("tags", "Kritik"), "tags must be a list of strings"),
    (set_first("tags", ["Kritik", "#"]), "tag '#' has no letter or digit"),
    (set_first("created", "gestern"), "created 'gestern' is not an ISO 8601 date-time"),
    (lambda data: data.append(dict(data[0])), "occurs twice in the file"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), BAD_RECORDS)
def test_bad_json_record_is_one_clear_error_and_changes_nothing(
    tmp_path, annotated, change, message
):
    """A bad record names its place; nothing is imported, not even the good records."""
    path = rewrite(export(tmp_path, "json"), change)
    clear_annotations_and_entities()
    with pytest.raises(CommandError) as error:
        call_command("import_annotations", str(path), verbosity=0)
    assert message in str(error.value)
    assert ": item " in str(error.value)
    assert "\n" not in str(error.value)
    assert Annotation.objects.count() == 0
    assert Entity.objects.count() == 0


def w3c_change(change):
    def apply(data):
        change(data[1]["items"][0])

    return apply


BAD_W3C = [
    (
        w3c_change(lambda a: a.update(id="https://x.example/nowhere")),
        "is not a Randnotiz annotation detail URL",
    ),
    (w3c_change(lambda a: a["target"]["selector"]["refinedBy"][1].update(start=-5)), "offsets -5–"),
    (
        w3c_change(lambda a: a["target"]["selector"]["refinedBy"][0].update(exact="X")),
        "quote mismatch",
    ),
    (
        w3c_change(lambda a: a["target"]["selector"].update(value="absatz")),
        "is not a paragraph fragment",
    ),
    (w3c_change(lambda a: a.update(type="Note")), "type must be Annotation"),
    (lambda data: data.append(5), "item 3: expected an object, found a number"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), BAD_W3C)
def test_bad_w3c_annotation_is_one_clear_error(tmp_path, annotated, change, message):
    """A broken W3C annotation is reported with its place and nothing is imported."""
    path = rewrite(export(tmp_path, "w3c"), change)
    clear_annotations_and_entities()
    with pytest.raises(CommandError) as error:
        call_command("import_annotations", str(path), verbosity=0)
    assert message in str(error.value)
    assert "item 2, annotation 1" in str(error.value) or "item 3" in str(error.value)
    assert Annotation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\xff\xfe", "is not UTF-8"),
        (b'[{"id": 1,}]', "invalid JSON at line 1, column 11"),
        (b'{"id": 1}\n{"id": ', "line 2: invalid JSON"),
        (b'"text"', "expected a JSON array of annotations"),
    ],
)
def test_unreadable_files_are_one_clear_error(tmp_path, db, content, message):
    """Empty, non-UTF-8 and invalid JSON files name the problem and its place."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_annotations", str(path), verbosity=0)


@pytest.mark.django_db
def test_existing_ids_are_refused(tmp_path, annotated):
    """Importing annotations that already exist is refused instead of duplicating them."""
    path = export(tmp_path, "json")
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_annotations", str(path), verbosity=0)


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, annotated, capsys):
    """--dry-run checks the file and reports what it would do."""
    path = export(tmp_path, "json")
    count = Annotation.objects.count()
    clear_annotations_and_entities()
    call_command("import_annotations", str(path), "--dry-run")
    assert f"Would import {count} annotations" in capsys.readouterr().out
    assert Annotation.objects.count() == 0


@pytest.mark.django_db
def test_unknown_author_is_reported(tmp_path, annotated, capsys):
    """An author unknown here is left empty and named on stderr."""
    path = export(tmp_path, "json")
    clear_annotations_and_entities()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="anna").delete()
    call_command("import_annotations", str(path))
    assert "anna" in capsys.readouterr().err
    assert not Annotation.objects.filter(author__isnull=False).exists()


def w3c_selector_value(value):
    return w3c_change(lambda a: a["target"]["selector"].update(value=value))


HOSTILE_DOCUMENTS = [
    ("json", set_first("id", 10**20), "id 100000000000000000000 is too large"),
    ("json", set_first("start", 2**31), "start 2147483648 is too large"),
    ("json", set_first("created", "0001-01-01T00:30:00+01:00"), "outside the dates"),
    ("json", set_first("updated", "9999-12-31T23:30:00-01:00"), "outside the dates"),
    ("json", set_first("comment", "vor\0nach"), "NUL character"),
    ("json", set_first("article", "\0"), "NUL character"),
    ("jsonl", lambda data: data[0].update(author="an\0na"), "NUL character"),
    ("w3c", w3c_selector_value("p-²"), "is not a paragraph fragment like p-3"),
    ("w3c", w3c_selector_value("p-" + "9" * 30), "is not a paragraph fragment like p-3"),
    (
        "w3c",
        w3c_change(lambda a: a.update(id=a["id"].rsplit("/", 1)[0] + "/" + "9" * 20)),
        "id 99999999999999999999 is too large",
    ),
    ("w3c", w3c_change(lambda a: a.update(created="0001-01-01T00:00:00+14:00")), "outside"),
]


def rewrite_any(path, export_format, change):
    """Apply ``change`` to the export's data, whatever its format, and write it back."""
    if export_format != "jsonl":
        return rewrite(path, change)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(lines)
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(("export_format", "change", "message"), HOSTILE_DOCUMENTS)
def test_values_no_column_can_hold_are_one_clear_error(
    tmp_path, annotated, export_format, change, message
):
    """Numbers past their column, dates past the calendar, NUL and "p-²": one line, exit 1,
    nothing imported (these were tracebacks: bigint out of range, OverflowError, ValueError)."""
    path = rewrite_any(export(tmp_path, export_format), export_format, change)
    clear_annotations_and_entities()
    with pytest.raises(CommandError) as error:
        call_command("import_annotations", str(path), verbosity=0)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 1
    assert Annotation.objects.count() == 0
    assert Entity.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (b'{"id": 1}\n' + b"[" * 200_000 + b"]" * 200_000, "line 2: JSON nested too deeply"),
        (b"[" + b"7" * 5000 + b"]", "a number too long to read"),
    ],
    ids=["deep", "deep-line", "long-number"],
)
def test_documents_the_parser_cannot_hold_are_one_clear_error(tmp_path, db, content, message):
    """200,000 nested arrays or a 5,000-digit number: one line, not a RecursionError."""
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_annotations", str(path), verbosity=0)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not Annotation.objects.exists()


def unblock_fifo_later(path, seconds=3):
    """After a while, open the FIFO for writing and close it: a reader stuck on it (the bug
    this guards against) then reads an empty file instead of hanging the test run."""

    def open_and_close():
        time.sleep(seconds)
        with contextlib.suppress(OSError):  # no reader waiting: nothing to let go
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=open_and_close, daemon=True).start()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_annotations", "import_article"])
def test_only_regular_files_are_read(tmp_path, command):
    """/dev/zero, a FIFO and a directory are refused before reading, not read for ever."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    unblock_fifo_later(fifo)
    for path, message in [
        ("/dev/zero", "is not a regular file"),
        (fifo, "is not a regular file"),
        (tmp_path, "is a directory"),
    ]:
        started = time.monotonic()
        with pytest.raises(CommandError) as error:
            call_command(command, str(path), verbosity=0)
        assert message in str(error.value), path
        assert time.monotonic() - started < 2, path
    assert not Annotation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_annotations", "import_article"])
def test_files_over_the_limit_are_refused(tmp_path, settings, command):
    """A file larger than IMPORT_MAX_BYTES is refused with the setting's name."""
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 1001)
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), verbosity=0)
    assert "larger than the import limit of 1,000 bytes" in str(error.value)
    assert "IMPORT_MAX_BYTES" in str(error.value)
    path.write_bytes(b"[]" + b" " * 998)
    if command == "import_annotations":
        call_command(command, str(path), verbosity=0)  # exactly the limit is read
