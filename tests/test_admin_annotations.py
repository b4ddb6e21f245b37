"""Annotations in the admin (``articleapp/admin/annotations.py``): the list and its filters, the
form's checks, the publishing actions, restoring an old version."""

import pytest
from django.urls import reverse

from articleapp.models import Annotation, Entity
from tests.support.admin_posts import annotation_form, change_url, error_text
from tests.support.factories import annotate_quote, make_annotation, make_article, make_entity


@pytest.mark.django_db
def test_annotation_changelist_filters_and_search(admin_client_seeded):
    """Filtering by status and entity and searching quotes work."""
    url = reverse("admin:articleapp_annotation_changelist")
    entity = Entity.objects.get(slug="nvidia")
    response = admin_client_seeded.get(url, {"status": "published", "entity__id__exact": entity.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client_seeded.get(url, {"q": "Microsoft"}).context["cl"].result_count >= 4


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(0, 99), (5, 2), (3, 3)])
def test_annotation_with_bad_offsets_is_a_form_error(admin_client, start, end):
    """Offsets outside the text or reversed re-show the form with an error."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"), annotation_form(paragraph, start, end)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_annotation_add_sets_quote_and_author(admin_client, admin_user):
    """Saving offsets stores the quote from the text and the editor as author."""
    paragraph = make_article(paragraphs=["Mistral AI baut"]).paragraphs.get()
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"),
        annotation_form(paragraph, 0, 10, tags="KI, Europa"),
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert annotation.quote == "Mistral AI"
    assert annotation.author == admin_user
    assert set(annotation.tags.names()) == {"KI", "Europa"}


@pytest.mark.django_db
def test_publish_and_unpublish_actions(admin_client):
    """The list actions switch the status of the selected annotations."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7, status=Annotation.Status.DRAFT)
    url = reverse("admin:articleapp_annotation_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [annotation.pk]})
    annotation.refresh_from_db()
    assert annotation.status == Annotation.Status.PUBLISHED
    admin_client.post(url, {"action": "unpublish", "_selected_action": [annotation.pk]})
    annotation.refresh_from_db()
    assert annotation.status == Annotation.Status.DRAFT


@pytest.mark.django_db
def test_orphan_saved_unchanged_in_the_admin_is_a_form_error(admin_client):
    """An orphan cannot be saved back onto words that are not its own."""
    paragraph = make_article(paragraphs=["Mistral baut Rechenzentren."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Rechenzentren")
    paragraph.text = "Mistral baut nichts."
    paragraph.save()
    from articleapp.reanchoring import reanchor_paragraph

    reanchor_paragraph(paragraph)
    annotation.refresh_from_db()
    response = admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, annotation.start, annotation.end, version=annotation.version),
    )
    assert response.status_code == 200
    assert "stehen nicht mehr in diesem Absatz" in error_text(response)


@pytest.mark.django_db
def test_annotation_moved_to_another_articles_paragraph_is_a_form_error(admin_client):
    """An annotation cannot be moved into a different article."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    elsewhere = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7)
    response = admin_client.post(
        change_url(annotation), annotation_form(elsewhere, 0, 7, version=annotation.version)
    )
    assert response.status_code == 200
    assert "paragraph" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_duplicate_entity_span_is_a_form_error(admin_client):
    """The same entity twice on the same words is a form error, not a database error."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    entity = make_entity("Mistral AI")
    make_annotation(paragraph, 0, 10, entity=entity)
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"),
        annotation_form(paragraph, 0, 10, entity=entity.pk),
    )
    assert response.status_code == 200
    assert "entity" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_restoring_an_annotation_version_follows_its_words(admin_client):
    """A restored annotation takes its old words again, wherever they now stand."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Paris", comment="alt")
    original = annotation.history.first()
    admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 7, comment="neu", version=annotation.version),
    )
    paragraph.text = "Jetzt: Mistral baut in Paris."
    paragraph.save()
    annotation.refresh_from_db()
    restore_url = reverse(
        "admin:articleapp_annotation_simple_history", args=[annotation.pk, original.history_id]
    )
    response = admin_client.post(
        restore_url,
        annotation_form(
            paragraph, original.start, original.end, comment="alt", version=annotation.version
        ),
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.quote, annotation.comment) == ("Paris", "alt")
    assert paragraph.text[annotation.start : annotation.end] == "Paris"
