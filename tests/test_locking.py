import datetime

import pytest
from django.http import QueryDict
from django.utils import translation

from articleapp.locking import VersionConflict, conflict_message, conflict_name, posted_version
from articleapp.models import Annotation, Entity, Paragraph
from tests.support.factories import (
    annotate_quote,
    make_annotation,
    make_article,
    make_entity,
    make_user,
)


@pytest.mark.parametrize(
    ("posted", "expected"),
    [("version=3", 3), ("", 7), ("version=", 7), ("version=-1", 7), ("version=²", 7)],
)
def test_posted_version_falls_back_on_anything_but_a_number(posted, expected):
    """A missing, negative or non-ASCII digit version is the default, never an exception."""
    assert posted_version(QueryDict(posted), "version", 7) == expected


def test_posted_version_refuses_absurdly_long_numbers():
    """A version with more digits than any real one is the default."""
    assert posted_version(QueryDict("version=" + "9" * 40), "version", 7) == 7


def stale_annotation_changed_by(username):
    """Return an annotation's stale copy (version 1) after ``username`` saved it at 14:07 UTC."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Paris")
    stale = Annotation.objects.get(pk=annotation.pk)
    annotation._history_user = make_user(username=username)
    annotation.comment = "neu"
    annotation.save()
    created, changed = annotation.history.order_by("history_id")
    for record, day in [(created, 1), (changed, 5)]:
        record.history_date = datetime.datetime(2026, 3, day, 14, 7, tzinfo=datetime.UTC)
        record.save()
    return stale


@pytest.mark.django_db
def test_conflict_message_in_english_quotes_the_words_once():
    """The English message names the annotation with its words in “…”, once, local time."""
    stale = stale_annotation_changed_by("anna")
    with translation.override("en"):
        message = conflict_message(stale, stale.version)
    assert message == (
        "The annotation “Paris” was changed by anna at March 5, 2026, 3:07 p.m. while you were "
        "editing it (version 2; you started from version 1). Your changes were not saved and "
        "the other editor's work was kept: reload to see the current version, then apply your "
        "changes again."
    )


@pytest.mark.django_db
def test_conflict_message_in_german_quotes_the_words_once():
    """The German message uses „…“ once and reads as a German sentence."""
    stale = stale_annotation_changed_by("anna")
    with translation.override("de"):
        message = conflict_message(stale, stale.version)
    assert message == (
        "Die Anmerkung „Paris“ wurde am 5. März 2026 15:07 von anna geändert, während Sie daran "
        "gearbeitet haben (Version 2; Sie hatten mit Version 1 begonnen). Ihre Änderungen wurden "
        "nicht gespeichert, die Arbeit der anderen Person bleibt erhalten: Laden Sie die Seite "
        "neu, um die aktuelle Version zu sehen, und nehmen Sie Ihre Änderungen dann erneut vor."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "paragraph_name", "entity_name"),
    [
        ("en", "Paragraph 2 of the article “Mistral baut”", "The entity “Mistral AI”"),
        ("de", "Absatz 2 des Artikels „Mistral baut“", "Die Entität „Mistral AI“"),
    ],
)
def test_conflict_names_of_paragraphs_and_entities(language, paragraph_name, entity_name):
    """Paragraphs and entities are named with one pair of quotation marks too."""
    paragraph = make_article(paragraphs=["Eins.", "Zwei."], title="Mistral baut").paragraphs.get(
        position=2
    )
    entity = make_entity("Mistral AI")
    with translation.override(language):
        assert conflict_message(paragraph, 0).startswith(paragraph_name + " ")
        assert conflict_message(entity, 0).startswith(entity_name + " ")


@pytest.mark.django_db
def test_conflict_name_shortens_a_long_quote():
    """A long annotated passage is cut short in the message."""
    text = "Mistral " * 30
    annotation = make_annotation(make_article(paragraphs=[text]).paragraphs.get(), 0, 239)
    with translation.override("en"):
        name = conflict_name(annotation)
    assert name.startswith("The annotation “Mistral Mistral") and name.endswith("…”")
    assert len(name) < 110


@pytest.mark.django_db
class TestVersionedSave:
    def test_each_save_bumps_the_version(self):
        """Saving an entity increments its version."""
        entity = make_entity()
        assert entity.version == 1
        entity.save()
        entity.save()
        entity.refresh_from_db()
        assert entity.version == 3

    def test_stale_copy_is_refused_and_the_first_save_stays(self):
        """Of two copies read at the same version, the second save raises and writes nothing."""
        paragraph = make_article(paragraphs=["Eins."]).paragraphs.get()
        first, second = (
            Paragraph.objects.get(pk=paragraph.pk),
            Paragraph.objects.get(pk=paragraph.pk),
        )
        first.text = "Erste Fassung."
        first.save()
        second.text = "Zweite Fassung."
        with pytest.raises(VersionConflict):
            second.save()
        paragraph.refresh_from_db()
        assert (paragraph.text, paragraph.version) == ("Erste Fassung.", 2)
        assert second.version == 1

    def test_annotation_conflict(self):
        """Annotations are locked the same way."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        annotation = make_annotation(paragraph, 0, 7)
        stale = Annotation.objects.get(pk=annotation.pk)
        annotation.comment = "neu"
        annotation.save()
        stale.comment = "alt"
        with pytest.raises(VersionConflict):
            stale.save()
        annotation.refresh_from_db()
        assert annotation.comment == "neu"

    @pytest.mark.parametrize("make", ["paragraph", "entity", "annotation"])
    def test_every_versioned_model_shares_the_locking(self, make):
        """Paragraphs, entities and annotations all refuse a stale save the same way."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        obj = {
            "paragraph": lambda: paragraph,
            "entity": make_entity,
            "annotation": lambda: make_annotation(paragraph, 0, 7),
        }[make]()
        stale = type(obj).objects.get(pk=obj.pk)
        obj.save()
        assert (obj.version, obj.stored_version(), stale.version) == (2, 2, 1)
        with pytest.raises(VersionConflict) as refused:
            stale.save()
        assert (refused.value.instance, refused.value.expected_version) == (stale, 1)
        assert (stale.version, obj.stored_version()) == (1, 2)

    def test_stored_version_of_a_deleted_row_is_none(self):
        """A row deleted meanwhile has no stored version."""
        entity = make_entity()
        Entity.objects.filter(pk=entity.pk).delete()
        assert entity.stored_version() is None

    def test_delete_unless_changed(self):
        """A copy read before someone else's save cannot delete; a current copy can."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        annotation = make_annotation(paragraph, 0, 7)
        stale = Annotation.objects.get(pk=annotation.pk)
        annotation.comment = "neu"
        annotation.save()
        with pytest.raises(VersionConflict):
            stale.delete_unless_changed()
        assert Annotation.objects.filter(pk=annotation.pk).exists()
        annotation.delete_unless_changed()
        assert not Annotation.objects.filter(pk=annotation.pk).exists()
        assert annotation.history.first().history_type == "-"
