import pytest
from django.db import transaction
from django.urls import reverse

from articleapp.history import current_tag_names
from articleapp.models import Annotation, Entity
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def paragraph(db):
    return make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()


def change_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_history", args=[obj.pk])


def annotation_form(annotation, **fields):
    return {
        "paragraph": annotation.paragraph_id,
        "start": annotation.start,
        "end": annotation.end,
        "entity": "",
        "comment": annotation.comment,
        "tags": current_tag_names(annotation),
        "status": annotation.status,
        "version": annotation.stored_version(),
        **fields,
    }


def records(obj):
    return list(obj.history.order_by("history_id").values_list("history_type", "tag_names"))


def test_tags_set_with_a_new_annotation_are_in_its_first_record(paragraph):
    """Creating an object and then tagging it in one transaction leaves one record."""
    annotation = annotate_quote(paragraph, "Paris", tags=["Ort", "Frankreich"])
    assert records(annotation) == [("+", "Frankreich, Ort")]


def test_changing_only_the_tags_in_the_admin_is_one_record(admin_client, admin_user, paragraph):
    """A save that changes only tags records who, when and the new tags, once."""
    annotation = annotate_quote(paragraph, "Paris", tags=["alt"])
    response = admin_client.post(change_url(annotation), annotation_form(annotation, tags="neu"))
    assert response.status_code == 302
    assert records(annotation) == [("+", "alt"), ("~", "neu")]
    latest = annotation.history.first()
    assert latest.history_user == admin_user
    assert latest.version == 2


def test_changing_fields_and_tags_together_is_one_record(admin_client, paragraph):
    """A save that changes the comment and the tags is one record holding both."""
    annotation = annotate_quote(paragraph, "Paris", tags=["alt"])
    admin_client.post(
        change_url(annotation), annotation_form(annotation, comment="neu", tags="KI, Europa")
    )
    latest = annotation.history.first()
    assert (latest.comment, latest.tag_names) == ("neu", "Europa, KI")
    assert annotation.history.count() == 2


def test_entity_tags_are_recorded_too(admin_client, admin_user):
    """Entities record their tags the same way."""
    entity = make_entity("Nvidia", slug="nvidia", tags=["Chips"])
    data = {
        "name": "Nvidia",
        "slug": "nvidia",
        "kind": "organisation",
        "description": "",
        "wikidata_id": "",
        "tags": "Chips, KI",
        "version": entity.stored_version(),
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    assert admin_client.post(change_url(entity), data).status_code == 302
    assert records(entity) == [("+", "Chips"), ("~", "Chips, KI")]
    assert entity.history.first().history_user == admin_user


def test_a_tag_change_without_a_save_gets_its_own_record(paragraph):
    """Tags added to an object read fresh, with no save, are recorded on their own."""
    annotation = annotate_quote(paragraph, "Paris")
    again = Annotation.objects.get(pk=annotation.pk)
    again.tags.add("Ort")
    again.tags.add("Frankreich")
    assert records(annotation) == [("+", ""), ("~", "Frankreich, Ort")]


@pytest.mark.django_db(transaction=True)
def test_tag_changes_in_separate_transactions_are_separate_records():
    """Each committed change of tags is its own record, with the tags after it."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    with transaction.atomic():
        annotation = annotate_quote(paragraph, "Paris", tags=["eins"])
    annotation.tags.add("zwei")
    with transaction.atomic():
        annotation.tags.set(["drei"])
    annotation.tags.clear()
    assert records(annotation) == [("+", "eins"), ("~", "eins, zwei"), ("~", "drei"), ("~", "")]


def test_adding_tags_already_there_records_nothing(paragraph):
    """A tag operation that changes nothing leaves the history alone."""
    annotation = annotate_quote(paragraph, "Paris", tags=["Ort"])
    again = Annotation.objects.get(pk=annotation.pk)
    again.tags.add("Ort")
    again.tags.remove("gibt es nicht")
    assert annotation.history.count() == 1


def test_deletion_record_keeps_the_last_tags(paragraph):
    """The record of a deletion shows the tags the object had."""
    annotation = annotate_quote(paragraph, "Paris", tags=["Ort"])
    pk = annotation.pk
    annotation.delete()
    assert Annotation.history.filter(id=pk).first().tag_names == "Ort"


def test_history_page_lists_tag_changes(admin_client, paragraph):
    """The admin's history shows the change of tags next to the other changes."""
    annotation = annotate_quote(paragraph, "Paris", tags=["alt"])
    admin_client.post(change_url(annotation), annotation_form(annotation, tags="neu"))
    response = admin_client.get(history_url(annotation))
    newest = response.context["page_obj"].object_list[0]
    tags = next(change for change in newest.readable_changes if change.label == "Schlagwörter")
    assert (tags.old, tags.new) == ("alt", "neu")
    html = response.content.decode()
    assert "<dt>Schlagwörter</dt>" in html
    assert "<del>alt</del>, <ins>neu</ins>" in html


def restore(admin_client, obj, record):
    """Open the history form of ``record`` and post it back as a browser would."""
    url = reverse(
        f"admin:articleapp_{obj._meta.model_name}_simple_history", args=[obj.pk, record.pk]
    )
    page = admin_client.get(url)
    data = dict(
        form_fields(page.content.decode(), form_id=f"historical{obj._meta.model_name}_form")
    )
    return page.context["adminform"].form, admin_client.post(url, data)


def test_restoring_an_annotation_version_restores_its_tags(admin_client, paragraph):
    """The restore form offers the version's tags, and saving it brings them back."""
    annotation = annotate_quote(paragraph, "Paris", tags=["alt", "Ort"], comment="alt")
    original = annotation.history.first()
    admin_client.post(
        change_url(annotation), annotation_form(annotation, comment="neu", tags="neu")
    )
    form, response = restore(admin_client, annotation, original)
    assert [tag.name for tag in form.initial["tags"]] == ["Ort", "alt"]
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.comment == "alt"
    assert set(annotation.tags.names()) == {"alt", "Ort"}
    assert annotation.history.first().tag_names == "Ort, alt"


def test_restoring_an_entity_version_restores_its_tags(admin_client):
    """Entities restore their tags too."""
    entity = make_entity("Nvidia", slug="nvidia", tags=["Chips"])
    original = entity.history.first()
    Entity.objects.get(pk=entity.pk).tags.set(["KI"])
    _, response = restore(admin_client, entity, original)
    assert response.status_code == 302
    assert list(entity.tags.names()) == ["Chips"]


def test_restoring_a_version_from_before_tags_were_recorded_keeps_the_tags(admin_client, paragraph):
    """A record without tag names does not clear the tags when restored."""
    annotation = annotate_quote(paragraph, "Paris", tags=["Ort"])
    annotation.history.update(tag_names=None)
    form, response = restore(admin_client, annotation, annotation.history.first())
    assert response.status_code == 302
    assert list(annotation.tags.names()) == ["Ort"]


def test_tags_saved_on_the_annotate_page_are_recorded(admin_client, paragraph):
    """The Annotate page's save records the new tags in one record."""
    annotation = annotate_quote(paragraph, "Paris", tags=["alt"])
    url = reverse("admin:articleapp_article_annotate", args=[paragraph.article_id])
    response = admin_client.post(
        f"{url}?annotation={annotation.pk}",
        annotation_form(annotation, quote="Paris", tags="neu, Ort"),
    )
    assert response.status_code == 302
    assert records(annotation) == [("+", "alt"), ("~", "Ort, neu")]
