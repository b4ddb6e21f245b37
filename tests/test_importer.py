import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import importer
from articleapp.models import Annotation, Article, Paragraph
from articleapp.seed import SEED_ARTICLE
from tests.support.factories import annotate_quote, make_annotation

SEED_TITLE = "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech"


def test_parse_seed_file():
    """The seed gives 7 paragraphs, its title, kicker and byline, and no site boilerplate."""
    parsed = importer.parse(importer.read_text(SEED_ARTICLE))
    assert parsed.title == SEED_TITLE
    assert parsed.kicker == "Künstliche Intelligenz"
    assert parsed.byline == "nen"
    assert len(parsed.paragraphs) == 7
    assert parsed.paragraphs[0].startswith("Der französische KI-Hersteller Mistral")
    assert "Intellligenz" in parsed.paragraphs[0]
    assert parsed.paragraphs[-1].endswith("keine Angaben.")
    body = "\n".join(parsed.paragraphs)
    for boilerplate in ("Source link", "Leave a Reply", "Beliebt", "mobile Version", "(nen)"):
        assert boilerplate not in body


def test_parse_joins_wrapped_lines_and_normalises():
    """Lines of one paragraph are joined; CRLF and decomposed characters are normalised."""
    parsed = importer.parse(
        "Kicker\r\n\r\nTitel\r\n\r\nZeile eins\r\nZeile zwei mit U\u0308\r\n\r\n(abc)\r\n"
    )
    assert parsed.paragraphs == ("Zeile eins Zeile zwei mit Ü",)


def test_parse_without_byline_keeps_all_blocks():
    """Without a byline every block after the title is a paragraph."""
    assert importer.parse("K\n\nT\n\nEins\n\nZwei").paragraphs == ("Eins", "Zwei")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"Kicker\n\nTitel \xff\xfe kaputt\n\nText", "not UTF-8"),
        (b"Nur eine Zeile", "no title"),
        (b"Kicker\n\nTitel\n\n(nen)\n\nSource link", "no paragraphs"),
        (b"Kicker\n\nTitel", "no paragraphs"),
    ],
    ids=["empty", "blank", "binary", "latin1", "no-title", "byline-only", "title-only"],
)
@pytest.mark.django_db
def test_bad_files_fail_with_one_line_and_change_nothing(tmp_path, content, message):
    """Each bad file: CommandError with a clear message, exit status 1, database unchanged."""
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_article", str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 1
    assert not Article.objects.exists() and not Paragraph.objects.exists()


@pytest.mark.django_db
def test_missing_file(tmp_path):
    """A path that does not exist is a clear error."""
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_article", str(tmp_path / "nope.txt"))


@pytest.mark.django_db
def test_import_seed_file_via_command():
    """The command imports the seed article with its seven paragraphs."""
    call_command("import_article", str(SEED_ARTICLE), verbosity=0)
    article = Article.objects.get()
    assert article.slug == "ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech"
    assert article.title == SEED_TITLE
    assert article.kicker == "Künstliche Intelligenz"
    assert article.byline == "nen"
    assert article.paragraphs.count() == 7


@pytest.mark.django_db
def test_reimport_updates_in_place(tmp_path):
    """Importing the same slug again updates the article: no duplicate rows."""
    path = tmp_path / "a.txt"
    path.write_text("K\n\nTitel\n\nEins\n\nZwei\n\n(x)\n", encoding="utf-8")
    first, created = importer.import_file(path, slug="s")
    path.write_text("K\n\nNeuer Titel\n\nEins\n\nZwei geändert\n\n(x)\n", encoding="utf-8")
    second, created_again = importer.import_file(path, slug="s")
    assert created and not created_again and first.pk == second.pk
    assert Article.objects.count() == 1
    assert list(second.paragraphs.values_list("text", flat=True)) == ["Eins", "Zwei geändert"]
    assert second.title == "Neuer Titel"


@pytest.mark.django_db
def test_reimport_moves_annotations_with_their_text(tmp_path):
    """An annotation follows its quote when text is inserted before it."""
    path = tmp_path / "a.txt"
    path.write_text("K\n\nT\n\nMistral baut Rechenzentren.\n", encoding="utf-8")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    path.write_text("K\n\nT\n\nMistral baut neue Rechenzentren.\n", encoding="utf-8")
    importer.import_file(path, slug="s")
    annotation.refresh_from_db()
    assert annotation.quote == "Rechenzentren"
    assert annotation.paragraph.text[annotation.start : annotation.end] == "Rechenzentren"


def write(path, *paragraphs, title="T"):
    path.write_text("K\n\n" + title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_reimport_orphans_a_removed_paragraphs_annotations_onto_the_previous_one(tmp_path):
    """A removed paragraph's annotation is kept as an orphan of the paragraph before it."""
    path = write(tmp_path / "a.txt", "Eins.", "Zwei mit Mistral.")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(position=2), "Mistral")
    importer.import_file(write(path, "Eins.", title="Anderer Titel"), slug="s")
    article.refresh_from_db()
    assert article.title == "Anderer Titel"
    assert list(article.paragraphs.values_list("text", flat=True)) == ["Eins."]
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert annotation.paragraph == article.paragraphs.get()
    assert annotation.quote == "Mistral"
    assert not Annotation.objects.published().exists()


@pytest.mark.django_db
def test_reimport_orphans_an_annotation_whose_words_are_gone(tmp_path):
    """Deleting the annotated words keeps the annotation, orphaned and hidden."""
    path = write(tmp_path / "a.txt", "Mistral baut Rechenzentren in Paris.")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    importer.import_file(write(path, "Mistral baut in Paris."), slug="s")
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert annotation.quote == "Rechenzentren"
    assert not Annotation.objects.published().exists()


@pytest.mark.django_db
def test_reimport_with_an_inserted_paragraph_keeps_the_others_in_place(tmp_path):
    """A paragraph inserted at the top shifts positions, not texts under annotations."""
    path = write(tmp_path / "a.txt", "Mistral baut.", "Nvidia liefert.")
    article, _ = importer.import_file(path, slug="s")
    mistral = annotate_quote(article.paragraphs.get(position=1), "Mistral")
    nvidia = annotate_quote(article.paragraphs.get(position=2), "Nvidia")
    importer.import_file(write(path, "Neu vorne.", "Mistral baut.", "Nvidia liefert."), slug="s")
    for annotation, position in [(mistral, 2), (nvidia, 3)]:
        annotation.refresh_from_db()
        assert annotation.anchor_status == Annotation.AnchorStatus.ANCHORED
        assert annotation.paragraph.position == position
    assert Annotation.objects.published().count() == 2


@pytest.mark.django_db
def test_reimport_with_a_removed_middle_paragraph_keeps_the_later_ones(tmp_path):
    """Removing a middle paragraph moves the later ones up with their annotations."""
    path = write(tmp_path / "a.txt", "Eins.", "Zwei Mistral.", "Drei Nvidia.")
    article, _ = importer.import_file(path, slug="s")
    nvidia = annotate_quote(article.paragraphs.get(position=3), "Nvidia")
    importer.import_file(write(path, "Eins.", "Drei Nvidia."), slug="s")
    nvidia.refresh_from_db()
    assert nvidia.paragraph.position == 2
    assert nvidia.anchor_status == Annotation.AnchorStatus.ANCHORED


SPLIT_FIRST = "Mistral baut Rechenzentren in Frankreich."
SPLIT_SECOND = "Der Chef von Mistral, Arthur Mensch, sagt das in Paris."


@pytest.mark.django_db
def test_reimport_with_a_paragraph_split_in_two(tmp_path):
    """Annotations in both halves and a quote in both: each follows its own words."""
    path = write(tmp_path / "a.txt", "Vorne.", f"{SPLIT_FIRST} {SPLIT_SECOND}", "Hinten.")
    article, _ = importer.import_file(path, slug="s")
    whole = article.paragraphs.get(position=2)
    first_mistral = annotate_quote(whole, "Mistral")
    start = whole.text.rindex("Mistral")
    second_mistral = make_annotation(whole, start, start + 7)
    paris = annotate_quote(whole, "Paris")
    importer.import_file(write(path, "Vorne.", SPLIT_FIRST, SPLIT_SECOND, "Hinten."), slug="s")
    texts = list(article.paragraphs.values_list("text", flat=True))
    assert texts == ["Vorne.", SPLIT_FIRST, SPLIT_SECOND, "Hinten."]
    second = article.paragraphs.get(position=3)
    for annotation, paragraph, status in [
        (first_mistral, whole, Annotation.AnchorStatus.ANCHORED),
        (second_mistral, second, Annotation.AnchorStatus.MOVED),
        (paris, second, Annotation.AnchorStatus.MOVED),
    ]:
        annotation.refresh_from_db()
        assert (annotation.paragraph, annotation.anchor_status) == (paragraph, status)
        assert paragraph.text[annotation.start : annotation.end] == annotation.quote
    assert Annotation.objects.published().count() == 3


@pytest.mark.django_db
def test_reimport_split_at_the_end_of_the_article(tmp_path):
    """The last paragraph split in two hands its second half's annotation over."""
    path = write(tmp_path / "a.txt", f"{SPLIT_FIRST} {SPLIT_SECOND}")
    article, _ = importer.import_file(path, slug="s")
    paris = annotate_quote(article.paragraphs.get(), "Paris")
    importer.import_file(write(path, SPLIT_FIRST, SPLIT_SECOND), slug="s")
    paris.refresh_from_db()
    assert paris.paragraph.position == 2 and paris.anchor_status == Annotation.AnchorStatus.MOVED


@pytest.mark.django_db
def test_reimport_edit_and_new_paragraph_is_no_split(tmp_path):
    """Words deleted from one paragraph are not looked for in a new paragraph after it."""
    path = write(tmp_path / "a.txt", "Mistral baut Rechenzentren in Paris.")
    article, _ = importer.import_file(path, slug="s")
    centres = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    importer.import_file(
        write(path, "Mistral baut in Paris.", "Rechenzentren entstehen in Lyon."), slug="s"
    )
    centres.refresh_from_db()
    assert centres.is_orphaned and centres.paragraph.position == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["../../zipslip", "a/b", "mit leerzeichen", "bürger", "x" * 201, "a\0b", "ok\n"]
)
def test_slug_that_is_not_a_slug_is_refused(client, slug):
    """``--slug ../../zipslip`` is one line and exit 1, nothing imported; the site still works
    (it was imported, then / was a 500 for everyone and the brat zip held ../../zipslip.txt)."""
    with pytest.raises(CommandError) as error:
        call_command("import_article", str(SEED_ARTICLE), slug=slug, verbosity=0)
    assert "slug" in str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 1
    assert not Article.objects.exists()
    assert client.get("/").status_code == 200
