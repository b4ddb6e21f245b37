"""The ``export_annotations`` command: writes a file or standard output, filters like the page,
one-line errors, progress on standard error."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp.models import Annotation


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
