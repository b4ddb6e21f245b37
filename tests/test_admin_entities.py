"""Entities in the admin (``articleapp/admin/entities.py``): the form's checks, made public."""

import pytest
from django.urls import reverse

from articleapp.models import Entity
from tests.support.admin_posts import entity_form
from tests.support.factories import make_entity


@pytest.mark.django_db
def test_add_with_the_empty_version_field_starts_at_version_one(admin_client):
    """The add form posts an empty hidden version; the new entity starts at version 1."""
    response = admin_client.post(reverse("admin:articleapp_entity_add"), entity_form(version=""))
    assert response.status_code == 302
    assert Entity.objects.get().version == 1


@pytest.mark.django_db
def test_malformed_wikidata_id_is_a_form_error(admin_client):
    """A Wikidata ID like Q01 is rejected with a message."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"), entity_form(wikidata_id="Q01")
    )
    assert response.status_code == 200
    assert "wikidata_id" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_a_tag_of_punctuation_alone_is_a_form_error(admin_client):
    """A tag with no letter or digit would have no slug, so no page: the form names it and
    nothing is saved."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"), entity_form(tags="KI, #, ?")
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["tags"]
    assert error == "Ein Schlagwort braucht einen Buchstaben oder eine Ziffer: „#“, „?“."
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_duplicate_slug_is_a_form_error(admin_client):
    """A slug already taken is rejected with a message."""
    make_entity(slug="nvidia")
    response = admin_client.post(reverse("admin:articleapp_entity_add"), entity_form())
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_duplicate_alias_is_a_form_error(admin_client):
    """The same alias twice in one entity is a form error, not a database error."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"),
        entity_form(
            **{
                "aliases-TOTAL_FORMS": "2",
                "aliases-0-name": "NVIDIA",
                "aliases-1-name": "nvidia",
            }
        ),
    )
    assert response.status_code == 200
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_editors_can_make_an_entity_public(admin_client, client):
    """The entity form has "public": ticked, the entity has a public page without mentions."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"), entity_form(is_public="on")
    )
    assert response.status_code == 302
    assert Entity.objects.get().is_public
    assert client.get("/entities/nvidia/").status_code == 200
    changelist = admin_client.get(reverse("admin:articleapp_entity_changelist"), {"is_public": "0"})
    assert changelist.context["cl"].result_count == 0
