"""Re-importing an article's text: updated in place, its annotations following their words
through edits, inserted and removed paragraphs and splits."""

import pytest

from articleapp import importer
from articleapp.models import Annotation, Article
from tests.support.factories import annotate_quote, make_annotation


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
