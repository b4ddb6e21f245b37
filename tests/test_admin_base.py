"""What every model admin shares (``articleapp/admin/base.py``): its pages load, slugs are
checked, optimistic locking refuses a stale save or action, the history records who did it."""

import pytest
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.admin_posts import (
    annotation_form,
    change_url,
    entity_form,
    error_text,
    paragraph_form,
)
from tests.support.factories import make_annotation, make_article, make_entity, make_user


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["article", "paragraph", "entity", "annotation"])
def test_changelists_and_add_pages_load(admin_client_seeded, name):
    """Every admin list and add page answers 200."""
    assert (
        admin_client_seeded.get(reverse(f"admin:articleapp_{name}_changelist")).status_code == 200
    )
    assert admin_client_seeded.get(reverse(f"admin:articleapp_{name}_add")).status_code == 200


@pytest.mark.django_db
def test_two_editors_saving_one_annotation_the_second_is_refused(client, admin_user):
    """Interleaved saves: both open the form, the first saves, the second gets the conflict."""
    from django.test import Client

    paragraph = make_article(paragraphs=["Mistral AI baut"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 10)
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(make_user(username="bea", is_staff=True, is_superuser=True))
    opened_first = first.get(change_url(annotation)).context["adminform"].form.initial
    opened_second = second.get(change_url(annotation)).context["adminform"].form.initial
    assert opened_first["version"] == opened_second["version"] == 1
    saved = first.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 10, comment="erste", version=opened_first["version"]),
    )
    assert saved.status_code == 302
    refused = second.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 10, comment="zweite", version=opened_second["version"]),
    )
    assert refused.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(refused)
    assert admin_user.username in error_text(refused)
    annotation.refresh_from_db()
    assert (annotation.comment, annotation.version) == ("erste", 2)


@pytest.mark.django_db
def test_two_editors_saving_one_entity_and_one_paragraph(admin_client):
    """Entities and paragraphs are locked the same way."""
    entity = make_entity("Nvidia", slug="nvidia")
    stale = entity.version
    entity.description = "geändert"
    entity.save()
    response = admin_client.post(
        change_url(entity), entity_form(description="meins", version=stale)
    )
    assert response.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(response)
    paragraph = make_article(paragraphs=["Eins."]).paragraphs.get()
    stale_form = paragraph_form(paragraph, text="Meins.")
    paragraph.text = "Deren."
    paragraph.save()
    response = admin_client.post(change_url(paragraph), stale_form)
    assert response.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(response)
    paragraph.refresh_from_db()
    assert paragraph.text == "Deren."


@pytest.mark.django_db
def test_action_with_a_stale_version_leaves_the_row_alone(admin_client):
    """Publishing a row that changed since the list was shown is refused for that row."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7, status=Annotation.Status.DRAFT)
    other = make_annotation(paragraph, 8, 10, status=Annotation.Status.DRAFT)
    shown = annotation.version
    annotation.comment = "neu"
    annotation.save()
    admin_client.post(
        reverse("admin:articleapp_annotation_changelist"),
        {
            "action": "publish",
            "_selected_action": [annotation.pk, other.pk],
            f"version_{annotation.pk}": shown,
            f"version_{other.pk}": other.version,
        },
    )
    annotation.refresh_from_db()
    other.refresh_from_db()
    assert annotation.status == Annotation.Status.DRAFT
    assert other.status == Annotation.Status.PUBLISHED


@pytest.mark.django_db
def test_history_records_who_changed_what(admin_client, admin_user):
    """Each admin save is in the history with its user, and the history page shows it."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7)
    admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 7, comment="neu", version=annotation.version),
    )
    latest = annotation.history.first()
    assert (latest.comment, latest.history_user) == ("neu", admin_user)
    page = admin_client.get(reverse("admin:articleapp_annotation_history", args=[annotation.pk]))
    assert page.status_code == 200 and admin_user.username in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["article", "entity"])
def test_admin_refuses_a_slug_that_is_not_one(admin_client, model):
    """The admin's forms refuse ``../../zipslip`` as a slug, with a message."""
    data = (
        entity_form(slug="../../zipslip")
        if model == "entity"
        else {
            "title": "Titel",
            "slug": "../../zipslip",
            "language": "de",
            "paragraphs-TOTAL_FORMS": "0",
            "paragraphs-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(reverse(f"admin:articleapp_{model}_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
